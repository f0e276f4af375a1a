"""Failures the notebook tools report as one line, the command line's way, never a traceback."""

from __future__ import annotations

from ..codegen import CodegenError
from ..errors import UserInputError
from ..store import StoreError

PROG = "automl-codegen"
# What the store, the code generator and the file system raise for a bad request.
EXPECTED_ERRORS = (StoreError, CodegenError, UserInputError, LookupError, OSError)


class PanelError(Exception):
    """A request the notebook tools cannot serve; the message says what to do instead."""


def error_line(error: BaseException) -> str:
    """``automl-codegen: error: <message>`` on one line."""
    if isinstance(error, KeyError) and not isinstance(error, StoreError) and error.args:
        message = str(error.args[0])
    elif isinstance(error, OSError) and error.strerror:
        where = f" {error.filename}" if error.filename else ""
        message = f"cannot write{where}: {error.strerror}"
    else:
        message = str(error)
    return f"{PROG}: error: {' '.join(message.split())}"


__all__ = ["EXPECTED_ERRORS", "PROG", "PanelError", "error_line"]

"""Failures the notebook tools report as one line, the command line's way, never a traceback."""

from __future__ import annotations

from ..codegen import CodegenError
from ..errors import UserInputError
from ..store import StoreError, StoreUnavailableError

PROG = "automl-codegen"
# What the store, the code generator and the file system raise for a bad request.
EXPECTED_ERRORS = (StoreError, CodegenError, UserInputError, LookupError, OSError)


class PanelError(Exception):
    """A request the notebook tools cannot serve; the message says what to do instead."""


# In a notebook the store is named by the ``store=`` argument (or ``%codegen --store``).
_ANOTHER_STORE = "open another store with store=DIR (%codegen: --store DIR)"
_STORE_FIXES = {
    "cannot_create": _ANOTHER_STORE,
    "not_writable": f"fix its permissions, or {_ANOTHER_STORE}",
    "unreadable_database": f"if the file is damaged, move it away, or {_ANOTHER_STORE}",
    "no_wal": f"{_ANOTHER_STORE} on a local disk",
    "disk_full": f"free some space (the runs finished so far are kept), or {_ANOTHER_STORE}",
}


def store_fix(error: StoreUnavailableError) -> str:
    """What a notebook user can do about a store that cannot be used."""
    return _STORE_FIXES[error.problem]


def error_line(error: BaseException) -> str:
    """``automl-codegen: error: <message>`` on one line."""
    if isinstance(error, KeyError) and not isinstance(error, StoreError) and error.args:
        message = str(error.args[0])
    elif isinstance(error, OSError) and error.strerror:
        where = f" {error.filename}" if error.filename else ""
        message = f"cannot write{where}: {error.strerror}"
    elif isinstance(error, StoreUnavailableError):
        message = f"{error}; {store_fix(error)}"
    else:
        message = str(error)
    return f"{PROG}: error: {' '.join(message.split())}"


__all__ = ["EXPECTED_ERRORS", "PROG", "PanelError", "error_line", "store_fix"]

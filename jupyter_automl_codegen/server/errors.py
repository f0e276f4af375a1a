"""API errors: one exception type, the store's errors mapped onto it, and path redaction.

Replies never carry a traceback or a server file system path: store and contents-manager
messages name paths freely (they are written for logs and terminals), so every message that
leaves the server goes through :func:`redact_paths`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from tornado.web import HTTPError

from ..codegen import CodegenError
from ..store import (
    InvalidIdError,
    NotFoundError,
    StoreError,
    StoreIntegrityError,
    StoreStateError,
    StoreUnavailableError,
)

# An absolute POSIX or Windows path, or a file URL, not glued to a word or a placeholder.
_ABSOLUTE_PATH = re.compile(r"""(?<![\w.~%>-])(?:file:/*|[A-Za-z]:)?[/\\][^\s'"`,;)\]]*""")
_PLACEHOLDER = "<path>"
_DEFAULT_REASONS = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
}


class ApiError(HTTPError):
    """An error reply: HTTP ``status``, a human ``message`` and a short ``reason`` code."""

    def __init__(self, status: int, message: str, reason: str | None = None):
        super().__init__(status, message)
        self.message = message
        self.reason_code = reason or _DEFAULT_REASONS.get(status, "error")


def reason_for(status: int) -> str:
    """The ``reason`` code of a reply with this status when nothing more precise is known."""
    if status >= 500:
        return "internal_error"
    return _DEFAULT_REASONS.get(status, "error")


def redact_paths(text: str, known: Iterable[tuple[str, str]] = ()) -> str:
    """``text`` with known roots named by ``label`` and any other absolute path replaced."""
    for path, label in sorted(known, key=lambda item: -len(item[0])):
        if path:
            text = text.replace(path, label)
    return _ABSOLUTE_PATH.sub(_PLACEHOLDER, text)


def http_error_message(error: HTTPError) -> str | None:
    """The message of any tornado ``HTTPError`` (``get_message`` is tornado >= 6.5)."""
    if hasattr(error, "get_message"):
        return error.get_message()
    return error.log_message % error.args if error.args else error.log_message


def from_store_error(error: Exception) -> ApiError:
    """The reply for an error raised by the store or the code generator."""
    message = str(error)
    if isinstance(error, InvalidIdError):
        return ApiError(400, message, "invalid_id")
    if isinstance(error, NotFoundError):
        return ApiError(404, message, "not_found")
    if isinstance(error, StoreStateError):
        return ApiError(409, message, "run_not_ready")
    if isinstance(error, StoreIntegrityError):
        return ApiError(409, message, "stored_file_damaged")
    if isinstance(error, CodegenError):
        return ApiError(409, f"code generation failed: {message}", "codegen_failed")
    if isinstance(error, StoreUnavailableError):
        return ApiError(503, f"{message}; {store_fix(error)}", "store_unavailable")
    if isinstance(error, StoreError):
        return ApiError(503, message, "store_unavailable")
    raise TypeError(f"not a store or codegen error: {type(error).__name__}")


# The server's administrator names the store in the server's configuration.
_ANOTHER_STORE = "set c.AutoMLCodegenApp.store to another folder in the Jupyter server config"
_STORE_FIXES = {
    "cannot_create": _ANOTHER_STORE,
    "not_writable": f"fix its permissions, or {_ANOTHER_STORE}",
    "unreadable_database": f"if the file is damaged, move it away, or {_ANOTHER_STORE}",
    "no_wal": f"{_ANOTHER_STORE} on a local disk",
    "disk_full": f"free some space (the runs finished so far are kept), or {_ANOTHER_STORE}",
}


def store_fix(error: StoreUnavailableError) -> str:
    """What the server's administrator can do about a store that cannot be used."""
    return _STORE_FIXES[error.problem]


def maps_store_errors(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Decorate a handler method so store and codegen errors become their API replies."""

    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            await method(*args, **kwargs)
        except (StoreError, CodegenError) as error:
            raise from_store_error(error) from None

    return wrapper


__all__ = [
    "ApiError",
    "from_store_error",
    "http_error_message",
    "maps_store_errors",
    "reason_for",
    "redact_paths",
    "store_fix",
]

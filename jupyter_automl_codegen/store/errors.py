"""Exceptions raised by the run store.

Every error derives from :class:`StoreError` so callers (CLI, Jupyter server
extension) can catch one type and show the message; the subclasses also derive
from the matching builtin (``ValueError``, ``KeyError``) so generic handlers
keep working.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class: the store cannot do what was asked."""


class InvalidIdError(StoreError, ValueError):
    """An id does not have the shape the store hands out (possible injection)."""


class NotFoundError(StoreError, KeyError):
    """An id is well formed but unknown to this store."""

    def __str__(self) -> str:
        # KeyError.__str__ returns repr(message), which would show quotes.
        return str(self.args[0]) if self.args else ""


class StoreIntegrityError(StoreError):
    """A stored file is missing or does not match the SHA-256 recorded for it."""


class StoreStateError(StoreError):
    """The requested change is illegal for the current state (e.g. status transition)."""


__all__ = [
    "InvalidIdError",
    "NotFoundError",
    "StoreError",
    "StoreIntegrityError",
    "StoreStateError",
]

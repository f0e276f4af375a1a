"""Exceptions raised by the run store.

Every error derives from :class:`StoreError` so callers (CLI, Jupyter server
extension) can catch one type and show the message; the subclasses also derive
from the matching builtin (``ValueError``, ``KeyError``) so generic handlers
keep working.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: the store cannot do what was asked."""


class InvalidIdError(StoreError, ValueError):
    """An id does not have the shape the store hands out (possible injection)."""


class NotFoundError(StoreError, KeyError):
    """An id is well formed but unknown to this store."""

    def __str__(self) -> str:
        # KeyError.__str__ returns repr(message), which would show quotes.
        return str(self.args[0]) if self.args else ""


class StoreUnavailableError(StoreError):
    """The store cannot be opened or written where it lives.

    It states the fact only (which place, what went wrong); each surface (command line, REST
    API, notebook kernel) words the fix for its own users, since only it knows how they name
    another store.

    Parameters
    ----------
    root : path-like
        The store's root directory.
    problem : str
        One of :attr:`PROBLEMS`: ``"cannot_create"`` (the directory cannot be made),
        ``"not_writable"``, ``"unreadable_database"`` (SQLite cannot open the file),
        ``"no_wal"`` (the file system refuses write-ahead logging, e.g. a network share) or
        ``"disk_full"``.
    detail : str, optional
        What the operating system or SQLite said.
    path : path-like, optional
        The file concerned, when it is not the root itself.
    """

    PROBLEMS = ("cannot_create", "not_writable", "unreadable_database", "no_wal", "disk_full")

    def __init__(
        self, root: object, problem: str, detail: str | None = None, path: object = None
    ) -> None:
        if problem not in self.PROBLEMS:
            raise ValueError(f"problem must be one of {self.PROBLEMS}, got {problem!r:.60}")
        self.root = Path(str(root))
        self.problem = problem
        self.detail = detail
        self.path = None if path is None else Path(str(path))
        super().__init__(self._describe())

    def __reduce__(self):
        return (type(self), (str(self.root), self.problem, self.detail, self.path))

    def _describe(self) -> str:
        root, path = self.root, self.path or self.root
        if self.problem == "cannot_create":
            return f"cannot create the run store directory {root}: {self.detail}"
        if self.problem == "not_writable":
            return f"the run store directory {root} is not writable"
        if self.problem == "unreadable_database":
            return f"cannot open the run store database {path}: {self.detail}"
        if self.problem == "no_wal":
            return (
                f"the run store database {path} cannot use write-ahead logging (journal mode "
                f"stays {self.detail!r}); network file systems are not supported"
            )
        where = f" writing {self.path}" if self.path else ""
        return f"the disk holding the run store {root} is full{where}"


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
    "StoreUnavailableError",
]

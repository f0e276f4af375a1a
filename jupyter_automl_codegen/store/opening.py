"""One way to accept "a store or where one lives" at a public entry point."""

from __future__ import annotations

import os

from .run_store import RunStore


def as_run_store(store: RunStore | str | os.PathLike[str] | None) -> RunStore:
    """``store`` itself when it is a :class:`RunStore`, else the store opened at that root.

    Parameters
    ----------
    store : RunStore, str, path-like or None
        An open store, or the root directory of one; None means the default root
        (``$AUTOML_CODEGEN_STORE``, else the XDG data directory).

    Returns
    -------
    RunStore
        The same object when one was given, so the caller's connections are reused.
    """
    return store if isinstance(store, RunStore) else RunStore(store)


__all__ = ["as_run_store"]

"""Where the store lives on disk when the caller does not say."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_STORE_ENV = "AUTOML_CODEGEN_STORE"
_APP_DIR = "jupyter-automl-codegen"


def resolve_store_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Pick the store root: ``explicit``, else ``$AUTOML_CODEGEN_STORE``, else XDG data dir.

    The XDG fallback (``$XDG_DATA_HOME`` or ``~/.local/share``) keeps the store
    out of notebooks' working directories by default. A relative
    ``XDG_DATA_HOME`` is ignored, as the XDG spec requires.
    """
    if explicit is not None and str(explicit) != "":
        root = Path(explicit)
    elif os.environ.get(DEFAULT_STORE_ENV):
        root = Path(os.environ[DEFAULT_STORE_ENV])
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
        root = base / _APP_DIR / "store"
    return root.expanduser().absolute()


__all__ = ["DEFAULT_STORE_ENV", "resolve_store_root"]

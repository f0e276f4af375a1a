"""A run's generated files as text: the copy kept in the store, else rendered now.

Training writes each completed run's folder into the store, so the common case is a read;
runs trained with code generation off are rendered on demand (pure, but it runs ruff, so
callers run this in a worker thread).
"""

from __future__ import annotations

import re

from ..codegen import GENERATED_FILES, render_files
from ..store import RunStore
from ..stored_code import run_context, stored_code_dir

# Helper modules copied next to the script (``datetime_features.py``).
_HELPER_MODULE = re.compile(r"[a-z][a-z0-9_]*\.py")


def generated_files(store: RunStore, run_id: str) -> dict[str, str]:
    """Every file of the run's generated folder, by name (stored copy reused when complete)."""
    context = run_context(store, run_id)  # also refuses runs that have no code
    stored = _stored_files(store, run_id)
    return stored if stored is not None else render_files(context)


def _stored_files(store: RunStore, run_id: str) -> dict[str, str] | None:
    folder = stored_code_dir(store, run_id)
    if not all((folder / name).is_file() for name in GENERATED_FILES):
        return None
    names = [*GENERATED_FILES]
    names += sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name not in GENERATED_FILES
        and _HELPER_MODULE.fullmatch(entry.name)
        and entry.is_file()
    )
    return {name: (folder / name).read_text(encoding="utf-8") for name in names}


__all__ = ["generated_files"]

"""A run's stored files under the names Azure AutoML gives them: ``outputs/model.pkl``,
``outputs/generated_code/script.py``, ...

The mapping onto the store's folders:

- ``outputs/model.pkl`` is the run's model, ``runs/<run id>/model.pkl`` (its bytes are
  checked against the SHA-256 recorded for it before they are handed out);
- every other name ``outputs/<path>`` is the file ``runs/<run id>/outputs/<path>``, where
  other components keep what a run produced (its generated code folder,
  ``outputs/generated_code/``).

Temporary files (hidden names) and Python caches are not listed; the store's bookkeeping
beside the model (validation predictions) is not a run output and is not listed either.
A name is served only if the listing holds it, so no name can reach outside the run's
folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .artifacts import MODEL_NAME
from .errors import NotFoundError
from .ids import validate_run_id
from .run_store import OUTPUTS_DIR, RunStore

MODEL_FILE_NAME = f"{OUTPUTS_DIR}/{MODEL_NAME}"
_SKIPPED_FOLDERS = {"__pycache__"}


def run_file_names(store: RunStore, run_id: str) -> list[str]:
    """The run's stored files as relative names, ``outputs/model.pkl`` first, then sorted.

    Raises ``NotFoundError`` when no run has this id.
    """
    return list(_run_files(store, run_id))


def read_run_file(store: RunStore, run_id: str, name: str) -> bytes:
    """The bytes of one of the run's files, by its name in :func:`run_file_names`.

    Raises ``ValueError`` for a name that is not a plain relative path (``..``, an
    absolute path, a backslash), ``NotFoundError`` (listing the names there are) for an
    unknown one, and ``StoreIntegrityError`` for a model that does not match its SHA-256.
    """
    check_file_name(name)
    found = _run_files(store, run_id)
    if name not in found:
        listed = ", ".join(found) or "none: the run stored no file"
        raise NotFoundError(f"run {run_id} has no file {name!r}; its files are: {listed}")
    if name == MODEL_FILE_NAME:
        run = store.get_run(run_id)
        return store._read_verified(found[name], run.model_sha256, f"model of run {run_id}")
    return found[name].read_bytes()


def check_file_name(name: str) -> None:
    """Refuse a name that is not a plain relative path of ``/``-separated parts."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"a file name must be a non-empty string such as {MODEL_FILE_NAME!r}")
    parts = name.split("/")
    if (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValueError(
            f"{name!r} is not a run file name: give a relative name without '..', such as "
            f"{MODEL_FILE_NAME!r} (see get_file_names())"
        )


def _run_files(store: RunStore, run_id: str) -> dict[str, Path]:
    run = store.get_run(validate_run_id(run_id))
    folder = store.runs_dir / run.id
    found: dict[str, Path] = {}
    model = folder / MODEL_NAME
    if run.model_sha256 is not None and model.is_file():
        found[MODEL_FILE_NAME] = model
    outputs = folder / OUTPUTS_DIR
    listed = []
    for path in outputs.rglob("*") if outputs.is_dir() else ():
        relative = PurePosixPath(path.relative_to(outputs).as_posix())
        if any(p.startswith(".") or p in _SKIPPED_FOLDERS for p in relative.parts):
            continue
        if path.is_file() and not path.is_symlink():
            listed.append((f"{OUTPUTS_DIR}/{relative}", path))
    for name, path in sorted(listed):
        found.setdefault(name, path)
    return found


__all__ = ["MODEL_FILE_NAME", "check_file_name", "read_run_file", "run_file_names"]

"""A run's code folder in a shared folder: ``<shared>/<safe experiment name>/<run id>/``.

The layout the Jupyter server and the notebook kernel both write. The run id is already a
strict pattern; the experiment name is user data, so it is reduced to a portable folder name,
and every target is resolved (symbolic links followed) and must lie inside the shared folder
before anything is written. Imports only the store and the code generator.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .codegen import write_files
from .codegen.generate import TRAINING_NOTEBOOK
from .store import RunStore, StoreError
from .stored_code import generated_files

DEFAULT_SHARED_FOLDER = "automl_generated_code"
MAX_NAME_CHARS = 80
SAFE_NAME_PATTERN = r"[A-Za-z0-9._ -]{1,80}"
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._ -]+")
# Names Windows reserves for devices, with or without an extension.
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"
}


class OutsideSharedFolderError(StoreError):
    """A target resolves outside the shared folder (a symbolic link points out of it)."""


def safe_folder_name(name: str, fallback: str) -> str:
    """``name`` as a portable folder name, or ``fallback`` when nothing usable is left.

    NFKC first (so fullwidth ``．．／`` becomes ``../`` and is then neutralised), every run
    of characters outside ``[A-Za-z0-9._ -]`` becomes one ``_``, dots and spaces are stripped
    from both ends (no hidden folders, no ``.``/``..``, nothing Windows trims), and the
    result is cut to 80 characters.
    """
    text = _UNSAFE_RUN.sub("_", unicodedata.normalize("NFKC", str(name)))
    text = text.strip(". ")[:MAX_NAME_CHARS].rstrip(". ")
    if not text.strip("_-"):
        return fallback
    if text.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_DEVICES:
        text = "_" + text[: MAX_NAME_CHARS - 1]
    return text


def run_folder_parts(store: RunStore, run_id: str) -> tuple[str, str]:
    """``(safe experiment name, run id)``: the two folders under the shared folder."""
    run = store.get_run(run_id)  # validates the id, NotFoundError when unknown
    experiment = store.get_experiment(run.experiment_id)
    return safe_folder_name(experiment.name, fallback=experiment.id), run.id


@dataclass(frozen=True)
class WrittenFolder:
    """Where a run's code folder is on disk, and whether this call wrote it."""

    folder: Path
    files: dict[str, Path]
    written: bool

    @property
    def notebook(self) -> Path:
        """The training notebook, the file to open first."""
        return self.files[TRAINING_NOTEBOOK]


def write_code_folder(
    store: RunStore,
    run_id: str,
    shared_folder: str | os.PathLike[str] = DEFAULT_SHARED_FOLDER,
    *,
    overwrite: bool = False,
) -> WrittenFolder:
    """Write the run's folder into ``shared_folder`` (relative to the working directory).

    An existing folder is kept, as the server keeps it (someone may have edited the
    notebook), unless ``overwrite``; files it lacks are added. Raises ``StoreStateError``
    for a run without code and ``OutsideSharedFolderError`` when a target escapes.
    """
    name, run_id = run_folder_parts(store, run_id)
    files = generated_files(store, run_id)
    shared = _resolve(Path(shared_folder))
    folder = shared / name / run_id
    targets = {file_name: folder / file_name for file_name in files}
    for target in [folder.parent, folder, *targets.values()]:
        if not _resolve(target).is_relative_to(shared):
            raise OutsideSharedFolderError(
                f"refusing to write {target}: it resolves outside the shared folder {shared} "
                "(a symbolic link points out of it); remove the link or choose another folder"
            )
    missing = {n: text for n, text in files.items() if overwrite or not targets[n].exists()}
    if missing:
        write_files(missing, folder)
    return WrittenFolder(folder=folder, files=targets, written=bool(missing))


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop, a permission problem
        raise OutsideSharedFolderError(f"cannot resolve {path}") from None


__all__ = [
    "DEFAULT_SHARED_FOLDER",
    "MAX_NAME_CHARS",
    "SAFE_NAME_PATTERN",
    "OutsideSharedFolderError",
    "WrittenFolder",
    "run_folder_parts",
    "safe_folder_name",
    "write_code_folder",
]

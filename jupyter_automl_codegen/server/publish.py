"""Writing a run's generated files into the shared folder through the contents manager.

Going through the server's contents manager (not ``open()``) keeps Jupyter's view of the
files right: notebooks are saved as notebook models (validated, signed as trusted since
the server wrote them), and other contents managers (databases, cloud drives) work too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from jupyter_core.utils import ensure_async

from .shared_folder import api_path, check_confined


@dataclass(frozen=True)
class Published:
    """Where the files are, and whether this request wrote them."""

    folder: str
    files: dict[str, str]
    written: bool


async def publish(
    contents_manager,
    shared_folder: str,
    folder: str,
    files: dict[str, str],
    *,
    overwrite: bool,
) -> Published:
    """Save ``files`` into ``folder`` unless it exists and ``overwrite`` is false."""
    targets = {name: api_path(folder, name) for name in files}
    check_confined(
        getattr(contents_manager, "root_dir", None), shared_folder, [folder, *targets.values()]
    )
    exists = await ensure_async(contents_manager.dir_exists(folder))
    if exists and not overwrite:
        return Published(folder, targets, written=False)
    await _make_folders(contents_manager, folder)
    for name, text in files.items():
        await ensure_async(contents_manager.save(_model(name, text), targets[name]))
    return Published(folder, targets, written=True)


async def _make_folders(contents_manager, folder: str) -> None:
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        path = "/".join(parts[:depth])
        if not await ensure_async(contents_manager.dir_exists(path)):
            await ensure_async(contents_manager.save({"type": "directory"}, path))


def _model(name: str, text: str) -> dict:
    if name.endswith(".ipynb"):
        return {"type": "notebook", "format": "json", "content": json.loads(text)}
    return {"type": "file", "format": "text", "content": text}


__all__ = ["Published", "publish"]

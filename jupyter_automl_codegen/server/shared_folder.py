"""Where generated code goes: safe folder names, and proof that a write stays inside.

``<shared_folder>/<safe experiment name>/<run id>/``: the run id is already a strict
pattern; the experiment name is user data, so it is reduced to a portable folder name, and
every target is resolved (symlinks followed) and checked to lie inside the shared folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..code_folder import MAX_NAME_CHARS, SAFE_NAME_PATTERN, safe_folder_name
from .errors import ApiError


def api_path(*parts: str) -> str:
    """A contents-manager path (``/``-separated, relative to the server's root)."""
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


def check_confined(root_dir: str | None, shared_folder: str, targets: Iterable[str]) -> None:
    """Refuse (409) unless every target API path resolves inside the shared folder.

    Paths are resolved with symlinks followed and compared with ``Path.is_relative_to``
    (a ``startswith`` test would admit a sibling such as ``automl_generated_code_x``). The
    shared folder itself must resolve inside the server's root. Without a local root
    (a contents manager that is not on disk) there is nothing to resolve.
    """
    if not root_dir:
        return
    root = _resolve(Path(root_dir), ".")
    shared = _resolve(root / shared_folder, shared_folder)
    if not shared.is_relative_to(root):
        raise _outside(shared_folder, "the shared folder resolves outside the server's root")
    for target in targets:
        if not _resolve(root / target, target).is_relative_to(shared):
            raise _outside(target, "the target resolves outside the shared folder")


def _resolve(path: Path, shown: str) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop, a permission problem
        raise _outside(shown, "the path cannot be resolved") from None


def _outside(path: str, problem: str) -> ApiError:
    return ApiError(
        409,
        f"refusing to write {path!r}: {problem} (a symbolic link points out of it); "
        "remove the link or configure another AutoMLCodegenApp.shared_folder",
        "outside_shared_folder",
    )


__all__ = ["MAX_NAME_CHARS", "SAFE_NAME_PATTERN", "api_path", "check_confined", "safe_folder_name"]

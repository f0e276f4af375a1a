"""Where generated code goes: safe folder names, and proof that a write stays inside.

``<shared_folder>/<safe experiment name>/<run id>/``: the run id is already a strict
pattern; the experiment name is user data, so it is reduced to a portable folder name, and
every target is resolved (symlinks followed) and checked to lie inside the shared folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import ApiError

MAX_NAME_CHARS = 80
SAFE_NAME_PATTERN = r"[A-Za-z0-9._ -]{1,80}"
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._ -]+")
# Names Windows reserves for devices, with or without an extension.
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"
}


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

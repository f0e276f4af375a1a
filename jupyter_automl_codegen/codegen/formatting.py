"""Formatting generated source with ruff, so generated files are formatted and lint-clean."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .errors import CodegenError


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin

    return find_ruff_bin()


def format_source(source: str, *, filename: str = "script.py") -> str:
    """``ruff format`` of one file's text, with ruff's defaults (no project settings)."""
    return format_sources({filename: source})[filename]


def format_sources(sources: dict[str, str]) -> dict[str, str]:
    """``ruff format`` of several snippets in one ruff process (names must be ``*.py``)."""
    with tempfile.TemporaryDirectory(prefix="automl-codegen-format-") as folder:
        paths = {}
        for index, (name, text) in enumerate(sources.items()):
            paths[name] = Path(folder) / f"snippet_{index}.py"
            paths[name].write_text(text, encoding="utf-8")
        try:
            result = subprocess.run(
                [_ruff(), "format", "--isolated", "--quiet", *map(str, paths.values())],
                capture_output=True,
                text=True,
                check=False,
                cwd=folder,
            )
        except (OSError, ImportError) as error:  # pragma: no cover - ruff is a dependency
            raise CodegenError(f"cannot run ruff to format generated code: {error}") from None
        if result.returncode != 0:
            raise CodegenError(f"generated code does not parse: {result.stderr.strip()}")
        return {name: path.read_text(encoding="utf-8") for name, path in paths.items()}

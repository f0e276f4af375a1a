"""The package's version, read from one source: ``package.json``.

pyproject.toml takes the version from package.json at build time (hatch-nodejs-version), so
the installed metadata is the first place to look. A source tree that was never installed
reads package.json itself.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DISTRIBUTION = "jupyter-automl-codegen"


def _read_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        package_json = Path(__file__).resolve().parents[1] / "package.json"
        try:
            return json.loads(package_json.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            return "0+unknown"


__version__ = _read_version()

"""One version source: package.json. The package, its installed metadata and npm's agree."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import tomllib
from packaging.version import Version

import jupyter_automl_codegen
from jupyter_automl_codegen._version import DISTRIBUTION

REPO = Path(__file__).resolve().parents[2]


def test_package_metadata_and_package_json_agree():
    npm_version = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["version"]
    assert jupyter_automl_codegen.__version__ == version(DISTRIBUTION)
    # npm writes pre-releases as 1.0.0-alpha.1, Python as 1.0.0a1: compare them as versions.
    assert Version(jupyter_automl_codegen.__version__) == Version(npm_version)


def test_pyproject_takes_its_version_from_package_json():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["source"] == "nodejs"

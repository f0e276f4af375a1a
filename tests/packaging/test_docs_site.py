"""The README stays short and points into the documentation site, which builds without warnings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from jupyter_automl_codegen.server.app import AutoMLCodegenApp
from jupyter_automl_codegen.server.openapi import openapi_document

REPO = Path(__file__).resolve().parents[2]
API_OBJECTS = (
    "AutoMLConfig",
    "submit",
    "resume",
    "AutoMLRun",
    "ChildRun",
    "generate_training_code",
    "RunStore",
)


def test_readme_is_short_and_its_links_resolve():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    targets = re.findall(r"\]\(((?:docs|jupyter_automl_codegen)/[^)#]+)", readme)
    assert targets
    for target in targets:
        assert (REPO / target).exists(), target


def test_docs_build_strict_with_api_reference_and_openapi(tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert built.returncode == 0, built.stderr[-5000:]
    assert (site / "index.html").is_file()

    reference = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in API_OBJECTS:
        assert re.search(rf'id="jupyter_automl_codegen\.[\w.]*\b{name}"', reference), name

    published = json.loads((site / "openapi.json").read_text(encoding="utf-8"))
    app = AutoMLCodegenApp
    expected = openapi_document("/", app.page_size.default_value, app.max_page_size.default_value)
    assert published == json.loads(json.dumps(expected))

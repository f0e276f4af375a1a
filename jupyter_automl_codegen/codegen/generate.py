"""A run's context -> the files of its generated folder, and writing them safely."""

from __future__ import annotations

import os
import tempfile
from importlib.resources import files
from pathlib import Path

from .. import __version__
from ..spec import HELPERS_PACKAGE
from .context import CodegenContext
from .formatting import format_source
from .notebooks import script_run_notebook, training_notebook
from .requirements import requirements
from .script import build_training_code

SCRIPT = "script.py"
TRAINING_NOTEBOOK = "training_code.ipynb"
SCRIPT_RUN_NOTEBOOK = "script_run_notebook.ipynb"
REQUIREMENTS = "requirements.txt"
GENERATED_FILES = (TRAINING_NOTEBOOK, SCRIPT, SCRIPT_RUN_NOTEBOOK, REQUIREMENTS)


def render_files(context: CodegenContext) -> dict[str, str]:
    """Every file of the generated folder, by name: a pure function of the context."""
    code = build_training_code(context, generator_version=__version__)
    script = format_source(code.script(), filename=SCRIPT)
    rendered = {
        SCRIPT: script,
        TRAINING_NOTEBOOK: training_notebook(context, code),
        SCRIPT_RUN_NOTEBOOK: script_run_notebook(context, code),
        REQUIREMENTS: requirements(code.packages, context.versions),
    }
    for module in code.helper_modules:
        source = files(HELPERS_PACKAGE).joinpath(f"{module}.py").read_text(encoding="utf-8")
        rendered[f"{module}.py"] = format_source(source, filename=f"{module}.py")
    return rendered


def write_files(rendered: dict[str, str], out_dir: str | Path) -> dict[str, Path]:
    """Write the files into ``out_dir`` (created), each atomically; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in rendered.items():
        target = out_dir / name
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        paths[name] = target
    return paths


def generate_code(context: CodegenContext, out_dir: str | Path) -> dict[str, Path]:
    """Render and write a run's generated folder; returns the written paths by file name."""
    return write_files(render_files(context), out_dir)

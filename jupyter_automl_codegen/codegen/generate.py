"""A run's context -> the files of its generated folder, and writing them safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .._version import __version__
from .context import CodegenContext
from .forecasting_script import build_forecasting_code
from .formatting import format_sources
from .notebooks import (
    code_snippets,
    notebook_json,
    script_run_notebook_cells,
    training_notebook_cells,
)
from .requirements import requirements
from .sample_rows import TEST_ROWS, test_rows_csv
from .score_script import score_script
from .source import TrainingCode
from .tabular_script import build_tabular_code

SCRIPT = "script.py"
TRAINING_NOTEBOOK = "training_code.ipynb"
SCRIPT_RUN_NOTEBOOK = "script_run_notebook.ipynb"
REQUIREMENTS = "requirements.txt"
SCORE_SCRIPT = "score.py"
# The files every generated folder holds.
GENERATED_FILES = (TRAINING_NOTEBOOK, SCRIPT, SCRIPT_RUN_NOTEBOOK, REQUIREMENTS)
# Classification and regression folders also hold ``score.py`` (forecasting ones do not: a
# forecast needs the series' history) and, when the data snapshot is readable,
# ``test_rows.csv``, the notebook's default rows to score.
TABULAR_FILES = (SCORE_SCRIPT,)
OPTIONAL_FILES = (TEST_ROWS,)


def required_files(task: str) -> tuple[str, ...]:
    """The files a complete generated folder of a run of ``task`` holds."""
    return GENERATED_FILES if task == "forecasting" else (*GENERATED_FILES, *TABULAR_FILES)


def build_training_code(context: CodegenContext, *, generator_version: str) -> TrainingCode:
    """All stages of the training code of one run, from the builder of its task."""
    if context.task == "forecasting":
        return build_forecasting_code(context, generator_version=generator_version)
    return build_tabular_code(context, generator_version=generator_version)


def render_files(context: CodegenContext) -> dict[str, str]:
    """Every file of the generated folder, by name: a pure function of the context (and of
    the data snapshot it names, whose first rows become ``test_rows.csv``).

    All Python source of the folder (script, notebook cells) is formatted by a
    single ruff process, the dominant cost of generating a folder.
    """
    code = build_training_code(context, generator_version=__version__)
    training_cells = training_notebook_cells(context, code)
    run_cells = script_run_notebook_cells(context, code)
    requirement_text = requirements(code.packages, context.versions)
    scoring = {}
    if context.task != "forecasting":
        scoring[SCORE_SCRIPT] = score_script(context, requirement_text.split(), __version__)
    formatted = format_sources(
        {
            SCRIPT: code.script(),
            **scoring,
            **code_snippets(training_cells, "training"),
            **code_snippets(run_cells, "run"),
        }
    )
    rendered = {
        SCRIPT: formatted[SCRIPT],
        TRAINING_NOTEBOOK: notebook_json(training_cells, formatted, "training"),
        SCRIPT_RUN_NOTEBOOK: notebook_json(run_cells, formatted, "run"),
        REQUIREMENTS: requirement_text,
    }
    rendered.update({name: formatted[name] for name in scoring})
    if context.task != "forecasting":
        sample = test_rows_csv(context.data_path)
        if sample is not None:
            rendered[TEST_ROWS] = sample
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
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        paths[name] = target
    return paths


def generate_code(context: CodegenContext, out_dir: str | Path) -> dict[str, Path]:
    """Render and write a run's generated folder; returns the written paths by file name."""
    return write_files(render_files(context), out_dir)

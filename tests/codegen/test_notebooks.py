"""The generated notebooks: valid, deterministic, lint-clean, safe markdown, and they run.

The execution tests run the notebooks of the fastest run of each task in a fresh ``python3``
kernel (nbclient), in a generated folder whose name would break ``import script``.
"""

from __future__ import annotations

import ast
import html
import importlib.util
import json
import math
import re
import shutil
import sqlite3
import subprocess

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbclient import NotebookClient
from ruff.__main__ import find_ruff_bin

from jupyter_automl_codegen import __version__
from jupyter_automl_codegen.codegen import (
    CodegenContext,
    build_training_code,
    notebooks,
    render_files,
)
from jupyter_automl_codegen.codegen.generate import SCRIPT_RUN_NOTEBOOK, TRAINING_NOTEBOOK
from jupyter_automl_codegen.codegen.notebooks import escape_markdown
from jupyter_automl_codegen.store import RunStore
from jupyter_automl_codegen.stored_code import generate_run_code, run_context

pytestmark = pytest.mark.slow

TASKS = ("classification", "regression")
NOTEBOOKS = (TRAINING_NOTEBOOK, SCRIPT_RUN_NOTEBOOK)
ODD_FOLDER = "my run-1 (copy) ü"  # not an identifier: ``import script`` patterns would break


@pytest.fixture(scope="module")
def fastest(trained_store):
    """Per task, the completed child run with the smallest fit time."""
    store = trained_store["store"]
    runs = {}
    for task in TASKS:
        experiment_id = trained_store[task].experiment_id
        runs[task] = store.list_runs(
            experiment_id, status="completed", order_by="fit_time", limit=1
        )[0].id
    return runs


def expected_metrics(store: RunStore, run_id: str) -> dict:
    """The run's metrics as ``metrics.json`` holds them: NaN and missing values are None."""
    metrics = store.get_run(run_id).metrics
    return {
        name: None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        for name, value in metrics.items()
    }


def execute(folder, name: str):
    notebook = nbformat.read(folder / name, as_version=4)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return notebook


def outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


# --- escape_markdown -------------------------------------------------------------------------


def unescape_markdown(text: str) -> str:
    """What a CommonMark renderer shows for escaped inline text: escapes and entities undone."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))


def test_escape_markdown_examples():
    assert escape_markdown("<img src=x onerror=alert(1)>") == (
        "&lt;img src=x onerror=alert\\(1\\)&gt;"
    )
    assert escape_markdown("**bold** `code` [a](javascript:x)") == (
        "\\*\\*bold\\*\\* \\`code\\` \\[a\\]\\(javascript:x\\)"
    )
    assert escape_markdown("a\nb\r\nc\u2028d\u2029e") == "a b  c d e"
    assert escape_markdown("# 1. - + ! | ~ _ {x} $x$ \\") == (
        "\\# 1\\. \\- \\+ \\! \\| \\~ \\_ \\{x\\} \\$x\\$ \\\\"
    )
    assert escape_markdown("&amp; \"q\" 'a'") == "&amp;amp; &quot;q&quot; &#x27;a&#x27;"
    assert escape_markdown(0.5) == "0\\.5"


@given(st.text())
def test_escape_markdown_renders_the_text_literally(text):
    escaped = escape_markdown(text)
    assert "<" not in escaped and ">" not in escaped
    assert "](" not in escaped
    assert not re.search(r"[\n\r\u2028\u2029]", escaped)
    # Every markdown-special character is escaped (``#`` and ``;`` also end entities).
    assert not re.search(r"(?<!\\)[`*_{}\[\]()+\-.!|~$]", re.sub(r"\\.", "", escaped))
    expected = re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", " ", text)
    assert unescape_markdown(escaped) == expected


# --- structure -------------------------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
def test_notebooks_are_valid_and_deterministic(trained_store, fastest, task, monkeypatch):
    store = trained_store["store"]
    context = run_context(store, fastest[task])
    first, second = render_files(context), render_files(context)
    code = build_training_code(context, generator_version=__version__)
    for name in NOTEBOOKS:
        assert first[name] == second[name]
        notebook = nbformat.reads(first[name], as_version=4)
        nbformat.validate(notebook)
        assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
        assert notebook.metadata.kernelspec == {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        assert notebook.metadata.language_info.name == "python"
        assert [cell.id for cell in notebook.cells] == [
            f"cell-{i}" for i in range(len(notebook.cells))
        ]
        assert notebook.cells[0].cell_type == "markdown"
        for cell in notebook.cells:
            if cell.cell_type == "code":
                compile(cell.source, f"<{name}:{cell.id}>", "exec")

    training = nbformat.reads(first[TRAINING_NOTEBOOK], as_version=4)
    code_cells = [cell for cell in training.cells if cell.cell_type == "code"]
    imports = code_cells[0].source
    assert imports.index('os.environ["OMP_NUM_THREADS"]') < imports.index("import numpy as np")
    assert "import argparse" not in imports  # only main() used it; main is not a cell
    for index, cell in enumerate(training.cells):  # every code cell sits under a markdown
        if cell.cell_type == "code":
            assert training.cells[index - 1].cell_type == "markdown"
    stages = [stage for stage in code.stages if stage.name != "main"]
    for stage in stages:
        heading = f"### {escape_markdown(stage.title)}"
        position = next(
            i for i, c in enumerate(training.cells) if c.source.split("\n")[0] == heading
        )
        cell = training.cells[position + 1]
        assert ast.dump(ast.parse(cell.source)) == ast.dump(ast.parse(stage.code))
    assert not any("def main(" in cell.source for cell in code_cells)
    title = training.cells[0].source
    assert escape_markdown(context.run_id) in title
    assert escape_markdown(context.data_sha256) in title
    assert escape_markdown(context.algorithm_label) in title

    # One ruff process per notebook, never one per cell.
    calls = []
    original = notebooks.format_sources
    monkeypatch.setattr(
        notebooks, "format_sources", lambda sources: calls.append(1) or original(sources)
    )
    notebooks.training_notebook(context, code)
    notebooks.script_run_notebook(context, code)
    assert len(calls) == 2


@pytest.mark.parametrize("task", TASKS)
def test_code_cells_pass_ruff(trained_store, fastest, task, tmp_path):
    folder = tmp_path / ODD_FOLDER
    generate_run_code(trained_store["store"], fastest[task], folder)
    result = subprocess.run(
        [find_ruff_bin(), "check", "--isolated", "--no-cache", *NOTEBOOKS],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- markdown safety -------------------------------------------------------------------------

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_COLUMNS = ["**bold**", "a`b``c", "line\nbreak\r\u2028x", "x](javascript:x)", "<b>&amp;"]


def evil_context() -> CodegenContext:
    group = "num](javascript:alert(1))"
    imputer = {"class": "sklearn.impute.SimpleImputer", "params": {}}
    featurize = {
        "class": "sklearn.compose.ColumnTransformer",
        "params": {"transformers": [{"__tuple__": [group, imputer, EVIL_COLUMNS]}]},
    }
    spec = {
        "class": "sklearn.pipeline.Pipeline",
        "params": {
            "steps": [
                {"__tuple__": ["featurize", featurize]},
                {"__tuple__": ["model", {"class": "sklearn.linear_model.Ridge", "params": {}}]},
            ]
        },
    }
    return CodegenContext(
        pipeline_spec=spec,
        task="regression",
        label="<script>alert(1)</script>",
        validation={"kind": "cv", "n_folds": 3, "seed": 0, "stratified": False},
        validation_description="3-fold *cv*\n# [x](javascript:x)",
        data_path="/data/<img src=x>/data.parquet",
        data_sha256="<svg onload=alert(1)>",
        feature_columns=tuple(EVIL_COLUMNS),
        column_kinds={"numeric": list(EVIL_COLUMNS)},
        group_descriptions={group: f"Columns {', '.join(EVIL_COLUMNS)}: `x](y)` <i>"},
        experiment_name=EVIL_NAME,
        run_id="run_1](javascript:alert(1))",
        algorithm="Ridge<img src=x>",
        scaler="`scaler`\n---",
        primary_metric="r2_score<b>",
        metrics={"r2_score<b>": 0.5, "nan'metric": float("nan"), "missing": None},
    )


def test_markdown_cannot_be_injected(tmp_path):
    rendered = render_files(evil_context())
    for name in NOTEBOOKS:
        notebook = nbformat.reads(rendered[name], as_version=4)
        nbformat.validate(notebook)
        markdown = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
        for source in markdown:
            assert "<" not in source and "](" not in source
            for line in source.splitlines():  # no data-made block: headings are ours only
                assert not line.startswith("#") or line.startswith(("# ", "### "))
                assert not line.startswith(("---", "===", "<", "    "))
        text = "\n".join(markdown)
        assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in text
        if name == TRAINING_NOTEBOOK:  # column names show in the featurization explanation
            assert "\\*\\*bold\\*\\*" in text and "a\\`b\\`\\`c" in text
            assert "line break  x" in text and "x\\]\\(javascript:x\\)" in text
        for cell in notebook.cells:
            if cell.cell_type == "code":
                compile(cell.source, f"<{name}:{cell.id}>", "exec")
    # Data in code cells only as literals: the cells stay lint-clean.
    (tmp_path / "evil").mkdir()
    for name in NOTEBOOKS:
        (tmp_path / "evil" / name).write_text(rendered[name], encoding="utf-8")
    result = subprocess.run(
        [find_ruff_bin(), "check", "--isolated", "--no-cache", *NOTEBOOKS],
        cwd=tmp_path / "evil",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    training = nbformat.reads(rendered[TRAINING_NOTEBOOK], as_version=4)
    comparison = training.cells[-1].source
    assert '"nan\'metric": None' in comparison and '"missing": None' in comparison


# --- execution -------------------------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
def test_training_notebook_runs_and_repeats_the_run_metrics(trained_store, fastest, task, tmp_path):
    store = trained_store["store"]
    run_id = fastest[task]
    folder = tmp_path / ODD_FOLDER
    generate_run_code(store, run_id, folder)
    notebook = execute(folder, TRAINING_NOTEBOOK)

    assert (folder / "model.pkl").is_file()
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == expected_metrics(store, run_id)
    shown = next(c for c in notebook.cells if c.source.startswith("metrics = validate_model("))
    # The cell's value (warnings, if any, go to stderr and are not part of it).
    result = next(o for o in shown.outputs if o.output_type == "execute_result")
    assert result.data["text/plain"].startswith("{")
    comparison = outputs_text(notebook.cells[-1])
    assert "original" in comparison and "retrained" in comparison and "difference" in comparison


def copy_store(source: RunStore, target):
    """A copy of the session store, so the tracked script run does not change it."""
    shutil.copytree(source.root, target, ignore=shutil.ignore_patterns("store.db*"))
    with sqlite3.connect(source.db_path) as src, sqlite3.connect(target / "store.db") as dst:
        src.backup(dst)
    return RunStore(target)


def tracking_available() -> bool:
    try:
        return importlib.util.find_spec("jupyter_automl_codegen.tracking") is not None
    except ImportError:
        return False


@pytest.mark.parametrize(
    ("task", "hide_tracking"),
    [("classification", False), ("regression", False), ("regression", True)],
)
def test_script_run_notebook_runs_the_script(
    trained_store, fastest, task, hide_tracking, tmp_path, monkeypatch
):
    store = copy_store(trained_store["store"], tmp_path / "store")
    # The default store (the kernel inherits it) is another one: the notebook records its
    # run in the store the original run is in, named in the notebook.
    default_store = tmp_path / "default-store"
    monkeypatch.setenv("AUTOML_CODEGEN_STORE", str(default_store))
    monkeypatch.delenv("DASK_SCHEDULER", raising=False)
    if hide_tracking:  # a package without ``tracking`` shadows ours: the plain-script branch
        shadow = tmp_path / "shadow" / "jupyter_automl_codegen"
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text("", encoding="utf-8")
        monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    run_id = fastest[task]
    folder = tmp_path / ODD_FOLDER
    generate_run_code(store, run_id, folder)
    notebook = execute(folder, SCRIPT_RUN_NOTEBOOK)

    assert (folder / "outputs" / "model.pkl").is_file()
    metrics = json.loads((folder / "outputs" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == expected_metrics(store, run_id)
    printed = "".join(outputs_text(cell) for cell in notebook.cells)
    assert "WARNING" not in printed  # same environment: every pinned version matches
    tracked = re.search(r"Tracked as run (\S+) in the run store", printed)
    assert (tracked is not None) == (tracking_available() and not hide_tracking)
    if tracked is not None:  # a new completed run in the store, with the script's metrics
        new_run = store.get_run(tracked.group(1))
        assert new_run.status == "completed"
        assert new_run.metrics == store.get_run(run_id).metrics
        assert new_run.properties["compute"] == "local"
        assert not default_store.exists()
    # The last step scores test_rows.csv, the snapshot's first rows, beside the predictions.
    assert (folder / "test_rows.csv").is_file()
    predictions = outputs_text(notebook.cells[-3])
    assert "prediction" in predictions
    if task == "classification":
        classes = store.get_run(store.get_run(run_id).parent_id).properties["classes"]
        assert any(str(label) in predictions for label in classes)
    assert "difference" in outputs_text(notebook.cells[-1])


def test_an_unreachable_dask_scheduler_refuses_the_script_run_and_records_nothing(
    trained_store, fastest, tmp_path, monkeypatch
):
    pytest.importorskip("distributed")
    from jupyter_automl_codegen import ConfigError, script_compute
    from jupyter_automl_codegen.tracking import run_script

    monkeypatch.setattr(script_compute, "CONNECT_TIMEOUT", 2.0)
    store = copy_store(trained_store["store"], tmp_path / "store")
    run_id = fastest["regression"]
    folder = tmp_path / "code"
    generate_run_code(store, run_id, folder)
    before = [experiment.id for experiment in store.list_experiments()]
    with pytest.raises(ConfigError, match="cannot connect to the Dask scheduler"):
        run_script(
            folder / "script.py",
            folder / "outputs",
            source_run_id=run_id,
            store=store,
            dask_scheduler="tcp://127.0.0.1:9",
        )
    assert [experiment.id for experiment in store.list_experiments()] == before

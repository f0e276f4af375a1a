"""The notebook surfaces with a forecasting experiment: the ``ModelBrowser`` panel (its
leaderboard, the details with the forecasting featurization, **View generated code**) and
``%codegen list/show/open``."""

from __future__ import annotations

import ast
import json

import pytest

from jupyter_automl_codegen import ModelBrowser
from jupyter_automl_codegen.code_folder import DEFAULT_SHARED_FOLDER
from jupyter_automl_codegen.codegen import GENERATED_FILES
from jupyter_automl_codegen.kernel import OPEN_MIME_TYPE
from jupyter_automl_codegen.kernel.leaderboard import BEST_MARK
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..kernel_tools import open_paths, run_magic, shell_fixture  # noqa: F401 (fixture "shell")

PRIMARY = "normalized_root_mean_squared_error"
STAGES = ("prepare_data", "generate_algorithm_config", "build_model_pipeline", "forecast")


@pytest.fixture
def panel(forecasting_experiment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    browser = ModelBrowser(store=forecasting_experiment["store"])
    yield browser
    browser.close()


def _children(forecasting_experiment) -> dict:
    return {c.algorithm: c for c in forecasting_experiment["run"].get_children()}


def test_the_panel_shows_the_leaderboard_on_the_forecasting_metric(panel, forecasting_experiment):
    store = forecasting_experiment["store"]
    experiment = store.get_experiment(forecasting_experiment["run"].experiment_id)
    assert panel.experiment_id == experiment.id
    assert experiment.primary_metric == PRIMARY
    assert panel.sort_dropdown.value == PRIMARY
    assert "mean_absolute_scaled_error" in panel.sort_dropdown.options
    lines = {run_id: label for label, run_id in panel.runs_select.options}
    assert len(lines) == 4
    assert panel.runs_select.options[0][1] == experiment.best_run_id
    assert lines[experiment.best_run_id].startswith(BEST_MARK)
    values = [store.get_run(run_id).metrics[PRIMARY] for run_id in lines]
    assert values == sorted(values)  # lower is better: best first


@pytest.mark.parametrize(
    ("algorithm", "expected", "absent"),
    [
        (
            "Ridge",
            [
                "series ids</td><td>kind",
                "frequency</td><td>D",
                "horizon</td><td>7 step(s)",
                "lags</td><td>1, 2, 3, 7",
                "rolling windows</td><td>mean of 7 steps, lag 1",
                "calendar features</td><td>dayofweek, dayofyear",
                "known features used</td><td>precipitation",
            ],
            ["known features ignored</td><td>precipitation"],
        ),
        (
            "AutoARIMA",
            ["one model per series", "season length</td><td>7 step(s)"],
            ["lags</td>", "known features ignored</td><td>precipitation"],
        ),
        (
            "AutoETS",
            ["one model per series", "known features ignored</td><td>precipitation"],
            ["known features used</td><td>precipitation"],
        ),
    ],
)
def test_the_details_show_the_forecasting_featurization(
    panel, forecasting_experiment, algorithm, expected, absent
):
    run = _children(forecasting_experiment)[algorithm]
    panel.select_run(run.id)
    details = panel.details_html.value
    assert run.id in details and algorithm in details
    assert "Featurization" in details and "Validation: rolling origin" in details
    for text in expected:
        assert text in details, text
    for text in absent:
        assert text not in details, text


def test_view_generated_code_writes_the_forecasting_notebook(
    panel, forecasting_experiment, tmp_path
):
    run_id = _children(forecasting_experiment)["AutoARIMA"].id
    panel.select_run(run_id)
    panel.view_code_button.click()
    expected = f"{DEFAULT_SHARED_FOLDER}/weather-forecast/{run_id}/training_code.ipynb"
    [output] = panel.output.outputs
    assert output["data"][OPEN_MIME_TYPE]["path"] == expected
    notebook = json.loads((tmp_path / expected).read_text(encoding="utf-8"))
    sources = "".join("".join(cell["source"]) for cell in notebook["cells"])
    for stage in STAGES:
        assert f"def {stage}(" in sources, stage
    assert "KNOWN_FEATURES" in sources and "AutoARIMA(" in sources


def test_codegen_list_show_and_open_a_forecasting_run(
    shell, forecasting_experiment, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    store, run = forecasting_experiment["store"], forecasting_experiment["run"]
    store_arg = f"--store {forecasting_experiment['root']}"
    experiment = store.get_experiment(run.experiment_id)

    listed = run_magic(shell, f"list {store_arg}").stdout.splitlines()
    assert listed[1].split()[:3] == [experiment.id, "weather-forecast", "forecasting"]
    board = run_magic(shell, f"list {experiment.id} {store_arg}").stdout.splitlines()
    assert PRIMARY in board[0]
    assert board[1].split()[:2] == ["1", experiment.best_run_id]
    assert len(board) == 1 + 4

    ridge = _children(forecasting_experiment)["Ridge"].id
    shown = run_magic(shell, f"show {ridge} {store_arg}")
    assert shown.stderr == ""
    [(script, replace)] = shell.next_inputs
    ast.parse(script)
    assert "def generate_featurization_config(" in script and "MLForecast(" in script
    assert script == (stored_code_dir(store, ridge) / "script.py").read_text(encoding="utf-8")

    opened = run_magic(shell, f"open {ridge} {store_arg}")
    assert opened.stderr == ""
    expected = f"{DEFAULT_SHARED_FOLDER}/weather-forecast/{ridge}/training_code.ipynb"
    assert open_paths(opened) == [expected]
    folder = tmp_path / DEFAULT_SHARED_FOLDER / "weather-forecast" / ridge
    assert sorted(p.name for p in folder.iterdir()) == sorted(GENERATED_FILES)

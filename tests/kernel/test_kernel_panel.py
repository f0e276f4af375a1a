"""The ``ModelBrowser`` panel, driven as a user would: dropdowns, the run list, the buttons."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from jupyter_automl_codegen import ModelBrowser, RunStore
from jupyter_automl_codegen.code_folder import DEFAULT_SHARED_FOLDER
from jupyter_automl_codegen.codegen import GENERATED_FILES
from jupyter_automl_codegen.kernel import OPEN_MIME_TYPE, open_code
from jupyter_automl_codegen.kernel.browser import INSERT_CODE, VIEW_CODE
from jupyter_automl_codegen.kernel.leaderboard import BEST_MARK
from jupyter_automl_codegen.store.ranking import GREATER_IS_BETTER
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..kernel_tools import shell_fixture  # noqa: F401 (fixture "shell")

CREATED_ROUNDING = 0.001  # the bundle's "created" is rounded to the millisecond


@pytest.fixture
def panel(trained_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    browser = ModelBrowser(store=trained_store["store"])
    yield browser
    browser.close()


def _experiment(trained_store, key):
    return trained_store["store"].get_experiment(trained_store[key].experiment_id)


def _lines(panel) -> dict[str, str]:
    return {run_id: label for label, run_id in panel.runs_select.options}


def _metric_column(panel, metric):
    board = panel.leaderboard
    return [run.metrics.get(metric) for run in board.runs if run.metrics.get(metric) is not None]


def test_the_panel_and_its_parts_carry_stable_names(panel):
    assert "automl-codegen-panel" in panel._dom_classes
    names = {c for widget in panel._all_widgets() for c in widget._dom_classes}
    for part in ("experiment", "sort", "order", "refresh", "status", "leaderboard", "details"):
        assert f"automl-codegen-{part}" in names
    assert panel.view_code_button.description == VIEW_CODE == "View generated code"
    assert panel.insert_code_button.description == INSERT_CODE == "Insert code below"
    assert "automl-codegen-view-code" in panel.view_code_button._dom_classes
    assert "automl-codegen-insert-code" in panel.insert_code_button._dom_classes
    assert "automl-codegen-output" in panel.output._dom_classes


def test_it_opens_on_the_latest_experiment_with_the_best_run_marked_and_selected(
    panel, trained_store
):
    cars, penguins = (
        _experiment(trained_store, "regression"),
        _experiment(trained_store, "classification"),
    )
    assert [value for _, value in panel.experiment_dropdown.options] == [cars.id, penguins.id]
    assert panel.experiment_id == cars.id
    lines = _lines(panel)
    assert len(lines) == trained_store["store"].count_runs(cars.id)
    assert lines[cars.best_run_id].startswith(BEST_MARK)
    assert [run_id for run_id, line in lines.items() if BEST_MARK in line] == [cars.best_run_id]
    assert panel.selected_run_id == cars.best_run_id
    assert not panel.polling  # a finished experiment is not refreshed in the background
    assert "completed" in panel.status_html.value


def test_choosing_an_experiment_and_sorting_by_any_metric(panel, trained_store):
    penguins = _experiment(trained_store, "classification")
    panel.experiment_dropdown.value = penguins.id
    assert panel.sort_dropdown.value == penguins.primary_metric
    assert panel.sort_dropdown.options[0] == penguins.primary_metric
    assert {"accuracy", "log_loss"} <= set(panel.sort_dropdown.options)
    assert panel.runs_select.options[0][1] == penguins.best_run_id

    for metric in ("accuracy", "log_loss"):
        panel.sort_dropdown.value = metric
        values = _metric_column(panel, metric)
        best_first = sorted(values, reverse=GREATER_IS_BETTER[metric])
        assert values == best_first, metric
        assert metric in panel.header_html.value
        panel.order_toggle.value = False  # worst first
        assert _metric_column(panel, metric) == best_first[::-1]
        panel.order_toggle.value = True
    # The best run stays marked whatever the order.
    assert _lines(panel)[penguins.best_run_id].startswith(BEST_MARK)


def test_selecting_a_run_shows_its_metrics_algorithm_hyperparameters_and_featurization(
    panel, trained_store
):
    store = trained_store["store"]
    penguins = _experiment(trained_store, "classification")
    panel.experiment_dropdown.value = penguins.id
    runs = store.list_runs(penguins.id, status="completed")
    run = next(r for r in reversed(runs) if "members" not in r.properties)
    panel.select_run(run.id)
    details = panel.details_html.value
    assert run.id in details and run.algorithm in details
    assert f"{run.metrics[penguins.primary_metric]:.6g}" in details
    for name in run.properties["hyperparameters"]:
        assert name in details
    parent = store.get_run(run.parent_id)
    assert "Featurization" in details
    for group in parent.properties["featurization_descriptions"]:
        assert group in details
    assert not panel.view_code_button.disabled and not panel.insert_code_button.disabled

    ensemble = next(r for r in runs if r.algorithm == "VotingEnsemble")
    panel.select_run(ensemble.id)
    details = panel.details_html.value
    assert "Ensemble members" in details
    for member in ensemble.properties["members"]:
        assert member["run_id"] in details and f"weight {member['weight']}" in details


def test_view_generated_code_writes_the_folder_and_displays_the_open_bundle(
    panel, trained_store, tmp_path
):
    penguins = _experiment(trained_store, "classification")
    panel.experiment_dropdown.value = penguins.id
    run_id = penguins.best_run_id
    panel.select_run(run_id)
    clicked = time.time()
    panel.view_code_button.click()
    answered = time.time()

    expected = f"{DEFAULT_SHARED_FOLDER}/penguins/{run_id}/training_code.ipynb"
    [output] = panel.output.outputs
    assert output["output_type"] == "display_data"
    bundle = output["data"]
    assert bundle[OPEN_MIME_TYPE]["path"] == expected
    # a fresh request per click: stamped between the click and its answer (to the millisecond)
    created = bundle[OPEN_MIME_TYPE]["created"]
    assert clicked - CREATED_ROUNDING <= created <= answered + CREATED_ROUNDING
    assert bundle["text/html"] == f'<a href="{expected}">{expected}</a>'
    assert expected in bundle["text/plain"]
    folder = tmp_path / DEFAULT_SHARED_FOLDER / "penguins" / run_id
    stored = stored_code_dir(trained_store["store"], run_id)
    expected_files = [*GENERATED_FILES, "score.py", "test_rows.csv"]  # a classification run
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected_files)
    for name in expected_files:
        assert (folder / name).read_bytes() == (stored / name).read_bytes(), name


def test_insert_code_below_puts_the_script_into_the_next_cell(shell, panel, trained_store):
    run_id = _experiment(trained_store, "regression").best_run_id
    panel.select_run(run_id)
    panel.insert_code_button.click()
    [(script, replace)] = shell.next_inputs
    assert replace is False and "def build_model_pipeline" in script
    assert script == (stored_code_dir(trained_store["store"], run_id) / "script.py").read_text()
    note, shown = panel.output.outputs
    assert "inserted as the next cell" in note["text"]
    assert shown["data"]["text/plain"] == script


def test_a_click_arriving_as_a_widget_message_shows_the_script_instead(
    panel, trained_store, monkeypatch
):
    """In a kernel a click is a comm message: set_next_input would fire with a later cell."""
    calls = []
    kernel = SimpleNamespace(get_parent=lambda channel: {"header": {"msg_type": "comm_msg"}})
    fake = SimpleNamespace(kernel=kernel, set_next_input=lambda *a, **k: calls.append(a))
    monkeypatch.setattr(open_code, "ipython_shell", lambda: fake)
    run_id = _experiment(trained_store, "regression").best_run_id
    panel.select_run(run_id)
    panel.insert_code_button.click()
    assert calls == []
    note, shown = panel.output.outputs
    assert f"%codegen show {run_id}" in note["text"]
    assert "def build_model_pipeline" in shown["data"]["text/plain"]

    kernel.get_parent = lambda channel: {"header": {"msg_type": "execute_request"}}
    panel.insert_code()  # called from a cell: the new cell is created
    assert len(calls) == 1 and "def build_model_pipeline" in calls[0][0]


def test_a_run_without_code_disables_the_buttons_and_errors_are_one_line(panel, trained_store):
    parent_id = trained_store["regression"].id
    assert panel.view_code(parent_id) is None
    [error] = panel.output.outputs
    assert error["name"] == "stderr"
    assert error["text"].startswith("automl-codegen: error: ")
    assert error["text"].count("\n") == 1 and "Traceback" not in error["text"]
    panel.view_code("AutoML_" + "0" * 32 + "_9")
    assert "not found" in panel.output.outputs[0]["text"]


def test_an_empty_store_says_how_to_train(tmp_path):
    panel = ModelBrowser(store=tmp_path / "store")
    assert panel.experiment_id is None and panel.runs_select.options == ()
    assert "No experiment" in panel.status_html.value
    assert panel.view_code_button.disabled and panel.insert_code_button.disabled
    panel.close()


def test_an_unknown_experiment_is_one_line_in_the_output(trained_store):
    panel = ModelBrowser("exp_" + "0" * 32, store=trained_store["store"])
    assert "not found" in panel.output.outputs[0]["text"]
    panel.close()


def _count_refreshes(panel, monkeypatch) -> list:
    """The panel's refreshes, one entry as each ends (its own method, observed, not replaced)."""
    refreshes = []
    refresh = panel.refresh

    def counted(*args, **kwargs):
        refresh(*args, **kwargs)
        refreshes.append(len(refreshes))

    monkeypatch.setattr(panel, "refresh", counted)
    return refreshes


def _after_two_polls(panel, refreshes) -> None:
    """Wait for two more of the poller's refreshes: the second began after this call, so it
    read what the store held then. Ends early only if the panel stopped polling."""
    target = len(refreshes) + 2
    while len(refreshes) < target:
        assert panel.polling, "the panel stopped polling while the experiment runs"
        time.sleep(0.01)


def test_the_leaderboard_refreshes_itself_while_the_experiment_runs(tmp_path, monkeypatch):
    store = RunStore(tmp_path / "store")
    experiment, parent = store.create_experiment(
        "live", task="regression", label="y", primary_metric="r2_score"
    )

    def add_run(value):
        run = store.create_child_run(parent.id, algorithm="Ridge", spec=None)
        store.start_run(run.id)
        return store.complete_run(
            run.id,
            metrics={"r2_score": value},
            primary_metric_value=value,
            fit_time=0.1,
            score_time=0.1,
            model_bytes=b"model",
            versions={},
        )

    first = add_run(0.5)
    panel = ModelBrowser(store=store, poll_interval=0.05)
    refreshes = _count_refreshes(panel, monkeypatch)
    try:
        assert panel.polling and "Refreshing while it runs" in panel.status_html.value
        assert _lines(panel)[first.id].startswith(BEST_MARK)
        second = add_run(0.9)  # a trial ends in the training process
        _after_two_polls(panel, refreshes)
        assert len(panel.runs_select.options) == 2, "the new run"
        assert _lines(panel)[second.id].startswith(BEST_MARK), "the new leader"
        assert panel.selected_run_id == first.id  # the user's selection is kept
        store.finish_parent(parent.id, "completed", best_run_id=second.id)
        thread = panel._poller._thread
        thread.join()  # the poller ends itself once it reads the finished experiment
        assert not panel.polling and refreshes
        assert "completed" in panel.status_html.value
    finally:
        panel.close()
    assert not any(t.name == "automl-codegen-panel-poll" for t in threading.enumerate())

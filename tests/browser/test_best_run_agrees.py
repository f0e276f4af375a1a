"""Under ``--metric log_loss`` every surface's rank 1 is the experiment's best run.

The engine ranks log-loss by its cautious value (``automl.metrics.cautious_log_loss``), not by
the plain metric; a surface that ranked on its own could crown another run. One experiment is
trained from the command line, then its best run is read from the store and compared with the
CLI's ``runs`` table, the REST API sorted by the primary metric, the sidebar's star in
Chromium and the first row of the notebook's model panel.
"""

from __future__ import annotations

import pytest

from jupyter_automl_codegen import ModelBrowser, RunStore, load_dataset
from jupyter_automl_codegen.automl import AutoMLRun
from jupyter_automl_codegen.kernel.leaderboard import BEST_MARK

from ..clitools import run_cli, run_cli_json
from .jupyterlab_process import SIDEBAR_ID, jupyterlab, open_sidebar

SIDEBAR = f"#{SIDEBAR_ID}"
ROWS = f"{SIDEBAR} tr.jp-AutoMLCodegen-run"


@pytest.fixture(scope="module")
def log_loss_experiment(tmp_path_factory):
    """A penguins classification trained by the CLI with ``--metric log_loss``."""
    base = tmp_path_factory.mktemp("log-loss")
    data = base / "penguins.csv"
    dataset = load_dataset("penguins")
    dataset.frame.to_csv(data, index=False)
    root = base / "store"
    summary = run_cli_json(
        "train",
        data,
        "--label",
        dataset.label,
        "--task",
        "classification",
        "--metric",
        "log_loss",
        "--max-trials",
        "10",
        "--experiment",
        "penguins-log-loss",
        store=root,
    )
    store = RunStore(root)
    experiment = store.get_experiment(summary["experiment_id"])
    assert experiment.primary_metric == "log_loss" and experiment.best_run_id is not None
    assert store.count_runs(experiment.id, "completed") >= 2
    yield {"root": root, "store": store, "experiment": experiment, "summary": summary}
    store.close()


@pytest.fixture(scope="module")
def lab(log_loss_experiment, tmp_path_factory):
    """JupyterLab over the log-loss store (the ``page`` fixture opens it)."""
    with jupyterlab(tmp_path_factory.mktemp("lab"), log_loss_experiment["root"]) as server:
        yield server


def _cli_rank_one(root, experiment_id: str) -> str:
    result = run_cli("runs", experiment_id, store=root)
    assert result.returncode == 0, result.stderr
    header, first, *_ = result.stdout.splitlines()
    assert header.split()[:2] == ["rank", "run"]
    rank, run_id, *_ = first.split()
    assert rank == "1"
    return run_id


def test_every_surface_ranks_the_experiments_best_run_first(
    log_loss_experiment, lab, page, screenshot
):
    store, experiment = log_loss_experiment["store"], log_loss_experiment["experiment"]
    best = experiment.best_run_id
    # The engine: what it recorded, what it reported, what its run object calls best.
    assert log_loss_experiment["summary"]["best_run_id"] == best
    assert AutoMLRun(store, experiment.parent_run_id).get_best_child().id == best

    assert _cli_rank_one(log_loss_experiment["root"], experiment.id) == best

    listing = lab.api(f"experiments/{experiment.id}/runs?sort=primary_metric")
    assert (listing["sort"], listing["order"]) == ("primary_metric", "asc")
    assert listing["items"][0]["id"] == best
    (summary,) = [item for item in lab.api("experiments")["items"] if item["id"] == experiment.id]
    assert summary["best_run"]["id"] == best

    open_sidebar(page)
    page.locator(f'{SIDEBAR} [data-experiment-id="{experiment.id}"] button').click()
    page.locator(ROWS).first.wait_for()
    starred = page.locator(f"{SIDEBAR} tr.jp-AutoMLCodegen-best")
    starred.wait_for()
    assert starred.count() == 1 and starred.get_attribute("data-run-id") == best
    assert page.locator(ROWS).first.get_attribute("data-run-id") == best
    screenshot(page.locator(SIDEBAR), "best-run-agrees-log-loss")

    panel = ModelBrowser(experiment.id, store=store, auto_refresh=False)
    try:
        label, first_run = panel.runs_select.options[0]
        assert first_run == best and label.startswith(BEST_MARK)
        assert panel.leaderboard.runs[0].id == best
    finally:
        panel.close()

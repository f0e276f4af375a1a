"""A forecasting experiment in the sidebar, in real JupyterLab and Chromium: its leaderboard on
the forecasting primary metric, the forecasting featurization in a row's details, and **View
generated code** opening a notebook of the forecasting stages."""

from __future__ import annotations

import ast

import nbformat
import pytest
from playwright.sync_api import expect

from .jupyterlab_process import SIDEBAR_ID, jupyterlab, open_sidebar
from .notebook_state import notebook_cells, wait_for_current_document

SIDEBAR = f"#{SIDEBAR_ID}"
ROWS = f"{SIDEBAR} tr.jp-AutoMLCodegen-run"


@pytest.fixture(scope="module")
def lab(forecasting_experiment, tmp_path_factory):
    """JupyterLab serving the session's forecasting store (overrides the tabular one)."""
    with jupyterlab(
        tmp_path_factory.mktemp("forecast-lab"), forecasting_experiment["root"]
    ) as server:
        yield server


def _runs(lab) -> tuple[dict, list[dict]]:
    (experiment,) = lab.api("experiments")["items"]
    return experiment, lab.api(f"experiments/{experiment['id']}/runs")["items"]


def _open_details(page, run: dict):
    row = page.locator(f'{ROWS}[data-run-id="{run["id"]}"]')
    if row.get_attribute("aria-expanded") != "true":  # the best row may be open already
        row.locator(".jp-AutoMLCodegen-algorithm-line").click()
    return page.locator(f'{SIDEBAR} [data-details-for="{run["id"]}"]')


def _pairs(details) -> dict[str, str]:
    """The forecasting featurization as shown: term -> value."""
    block = details.locator("dl.jp-AutoMLCodegen-forecasting")
    expect(block).to_be_visible()
    terms = block.locator("dt").all_inner_texts()
    values = block.locator("dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def test_forecasting_leaderboard_and_featurization(page, lab, screenshot):
    experiment, runs = _runs(lab)
    open_sidebar(page)
    item = page.locator(f'{SIDEBAR} [data-experiment-id="{experiment["id"]}"]')
    expect(item).to_contain_text("weather-forecast")
    expect(item).to_contain_text("forecasting")
    item.locator("button").click()
    expect(page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-leaderboard h3")).to_have_text(
        "Models of weather-forecast"
    )
    # The leaderboard ranks on the forecasting primary metric, lowest error first.
    assert experiment["primary_metric"] == "normalized_root_mean_squared_error"
    metric = page.locator(f"{SIDEBAR} th.jp-AutoMLCodegen-col-metric")
    expect(metric).to_contain_text("NRMSE")
    expect(metric).to_have_attribute("aria-sort", "ascending")  # lower is better
    expect(metric).to_have_attribute("title", "normalized root mean squared error")
    expect(page.locator(ROWS)).to_have_count(4)
    rows = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.runId)")
    assert rows == [run["id"] for run in runs]
    values = [run["primary_metric"]["value"] for run in runs]
    assert values == sorted(values)
    best = page.locator(f"{SIDEBAR} tr.jp-AutoMLCodegen-best")
    expect(best).to_have_attribute("data-run-id", experiment["best_run"]["id"])

    by_algorithm = {run["algorithm"]: run for run in runs}
    ridge = _pairs(_open_details(page, by_algorithm["Ridge"]))
    assert ridge == {
        "target": "value",
        "time column": "date",
        "series ids": "kind",
        "frequency": "D",
        "horizon": "7 step(s)",
        "season length": "7 step(s)",
        "model": "one global model over every series",
        "lags": "1, 2, 3, 7",
        "rolling windows": "mean of 7 steps, lag 1",
        "calendar features": "dayofweek, dayofyear",
        "target transforms": "differences at lag 1",
        "known features used": "precipitation",
        "known features ignored": "none",
    }
    details = _open_details(page, by_algorithm["Ridge"])
    expect(details).to_contain_text("Validation: rolling origin: 3 folds")
    screenshot(page, "sidebar-forecasting")
    ets = _pairs(_open_details(page, by_algorithm["AutoETS"]))
    assert ets["model"] == "one model per series" and "lags" not in ets
    assert (ets["known features used"], ets["known features ignored"]) == ("none", "precipitation")
    arima = _pairs(_open_details(page, by_algorithm["AutoARIMA"]))
    assert arima["known features used"] == "precipitation"


def test_view_generated_code_opens_the_forecasting_notebook(page, lab):
    experiment, runs = _runs(lab)
    open_sidebar(page)
    page.locator(f'{SIDEBAR} [data-experiment-id="{experiment["id"]}"] button').click()
    # Not the best model: the notebook must be the code of the row clicked.
    run = next(r for r in runs if r["algorithm"] == "Ridge")
    if run["id"] == experiment["best_run"]["id"]:
        run = next(r for r in runs if r["algorithm"] == "AutoARIMA")
    page.locator(f'{ROWS}[data-run-id="{run["id"]}"]').get_by_role(
        "button", name="View generated code"
    ).click()
    path = wait_for_current_document(page, "training_code.ipynb")
    assert f"/{run['id']}/" in f"/{path}"
    cells = notebook_cells(page)
    on_disk = nbformat.read(lab.root / path, as_version=4)
    assert [c["source"] for c in cells] == [c.source for c in on_disk.cells]
    sources = "\n".join(c["source"] for c in cells)
    script = lab.api(f"runs/{run['id']}/code")["script"]
    functions = {
        node.name: ast.get_source_segment(script, node)
        for node in ast.parse(script).body
        if isinstance(node, ast.FunctionDef)
    }
    for stage in ("prepare_data", "train_model", "forecast", "split_dataset", "validate_model"):
        assert stage in functions, stage
    for name, source in functions.items():
        if name != "main":  # the notebook runs the stages cell by cell instead
            assert source in sources, name
    assert "KNOWN_FEATURES" in sources

"""The REST API needs nothing task-specific: a forecasting experiment lists and opens."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen import AutoMLConfig, RunStore, load_dataset, submit

from .conftest import call, server_config


@pytest.fixture(scope="module")
def forecasting_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("forecast-server-store")
    submit(
        AutoMLConfig(
            task="forecasting",
            label_column_name="passengers",
            time_column_name="month",
            forecast_horizon=12,
            max_trials=2,
            max_concurrent_iterations=2,
        ),
        load_dataset("air-passengers").frame,
        store=RunStore(root),
        experiment_name="air",
        show_progress=False,
    )
    return root


@pytest.fixture
def jp_server_config(forecasting_root):
    return server_config(forecasting_root)


async def test_a_forecasting_experiment_lists_with_its_best_run_and_code(jp_fetch):
    status, reply = await call(jp_fetch, "GET", "experiments")
    assert status == 200
    (item,) = reply["items"]
    assert item["task"] == "forecasting"
    assert item["primary_metric"] == "normalized_root_mean_squared_error"
    assert item["best_run"]["primary_metric"]["greater_is_better"] is False
    status, runs = await call(jp_fetch, "GET", f"experiments/{item['id']}/runs")
    assert status == 200
    assert {run["algorithm"] for run in runs["items"]} == {"SeasonalNaive", "AutoETS"}
    status, code = await call(jp_fetch, "GET", f"runs/{item['best_run']['id']}/code")
    assert status == 200

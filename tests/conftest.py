"""Shared fixtures: experiments are trained once per session and reused by many tests."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen import AutoMLConfig, RunStore, load_dataset, submit

from .budgets import AMPLE_TIME_BUDGET_SECONDS


def pytest_collection_modifyitems(items):
    """Browser tests last (Playwright's event loop must not meet pytest-jupyter's), and
    marked ``browser`` so that ``-m "not browser"`` leaves them out."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: "browser" in item.path.parts)


# Rows kept out of training, so fidelity tests compare predictions on unseen rows.
HOLDOUT_EVERY = 5


def _split(frame):
    holdout = frame.index % HOLDOUT_EVERY == 0
    return frame[~holdout].reset_index(drop=True), frame[holdout].reset_index(drop=True)


@pytest.fixture(scope="session")
def trained_store(tmp_path_factory):
    """A store holding a small penguins classification and a cars regression experiment.

    Each experiment trains on four fifths of its data set; ``holdout`` holds the rest.
    Code generation is on, so every completed child run has its generated folder.
    """
    root = tmp_path_factory.mktemp("store")
    store = RunStore(root)
    result = {"root": root, "store": store, "holdout": {}}
    for key, name in (("classification", "penguins"), ("regression", "cars")):
        dataset = load_dataset(name)
        train, holdout = _split(dataset.frame)
        result[key] = submit(
            AutoMLConfig(
                task=dataset.task,
                label_column_name=dataset.label,
                experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
                max_trials=12,
                n_cross_validations=3,
                max_concurrent_iterations=2,
            ),
            train,
            store=store,
            experiment_name=name,
            show_progress=False,
        )
        result["holdout"][key] = holdout.drop(columns=[dataset.label])
    return result


@pytest.fixture(scope="session")
def forecasting_experiment(tmp_path_factory):
    """A store holding one small forecasting experiment: two daily series with a known-in-
    advance feature, and four candidates (seasonal naive, ETS, ARIMA with the feature as an
    exogenous regressor, Ridge on lags, a rolling mean and calendar features)."""
    from .forecast_data import WEATHER_HORIZON, weather_with_known_precipitation

    root = tmp_path_factory.mktemp("forecasting-store")
    store = RunStore(root)
    frame = weather_with_known_precipitation()
    run = submit(
        AutoMLConfig(
            task="forecasting",
            label_column_name="value",
            time_column_name="date",
            time_series_id_column_names=["kind"],
            known_feature_column_names=["precipitation"],
            forecast_horizon=WEATHER_HORIZON,
            allowed_models=["SeasonalNaive", "AutoETS", "Ridge", "AutoARIMA"],
            max_trials=4,
            max_concurrent_iterations=2,
            experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
        ),
        frame,
        store=store,
        experiment_name="weather-forecast",
        show_progress=False,
    )
    return {"root": root, "store": store, "run": run, "frame": frame}

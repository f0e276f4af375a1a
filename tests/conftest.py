"""Shared fixtures: experiments are trained once per session and reused by many tests."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen import AutoMLConfig, RunStore, load_dataset, submit


@pytest.fixture(scope="session")
def trained_store(tmp_path_factory):
    """A store holding a small penguins classification and a cars regression experiment."""
    root = tmp_path_factory.mktemp("store")
    store = RunStore(root)
    penguins = load_dataset("penguins")
    classification = submit(
        AutoMLConfig(
            task="classification",
            label_column_name=penguins.label,
            experiment_timeout_seconds=120,
            max_trials=12,
            n_cross_validations=3,
            max_concurrent_iterations=2,
        ),
        penguins.frame,
        store=store,
        experiment_name="penguins",
        show_progress=False,
    )
    cars = load_dataset("cars")
    regression = submit(
        AutoMLConfig(
            task="regression",
            label_column_name=cars.label,
            experiment_timeout_seconds=120,
            max_trials=12,
            n_cross_validations=3,
            max_concurrent_iterations=2,
        ),
        cars.frame,
        store=store,
        experiment_name="cars",
        show_progress=False,
    )
    return {
        "root": root,
        "store": store,
        "classification": classification,
        "regression": regression,
    }

"""Every golden script runs: the pinned ``tests/golden/<case>/script.py`` trains on its case's
data and its model predicts what the engine's model of the same spec predicts.

The golden files are byte-compared with the generator's output elsewhere; this runs them, so a
golden file that no longer works (for any task, forecasting included) cannot stay pinned. Each
script runs in a subprocess with ``--data`` (the case's data; the golden header names a fixed,
fictitious snapshot). The engine side builds the model from the case's spec with the engine's
own data preparation, fitting and validation.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen.automl.forecasting.candidates import build_forecaster
from jupyter_automl_codegen.automl.forecasting.evaluation import (
    fit_forecaster,
    forecast_frame,
    uses_features,
    validate,
)
from jupyter_automl_codegen.automl.forecasting.series import ForecastSettings, prepare_series
from jupyter_automl_codegen.automl.preparation import prepare_training_data
from jupyter_automl_codegen.automl.weights import fit_weighted, labelled_weights
from jupyter_automl_codegen.spec import from_spec

from .golden_cases import CASES, FORECASTING_CASES, GOLDEN, GOLDEN_CASES

pytestmark = pytest.mark.slow


def test_every_golden_folder_is_a_case():
    """A golden folder without a case would never run (nor be compared)."""
    folders = {p.name for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders == set(GOLDEN_CASES) | set(FORECASTING_CASES)


def run_golden_script(case, data: pd.DataFrame, tmp_path):
    """Run ``tests/golden/<case>/script.py`` on ``data``; returns its output folder."""
    folder = tmp_path / "code"
    folder.mkdir()
    shutil.copyfile(GOLDEN / case / "script.py", folder / "script.py")
    data_path = tmp_path / "data.parquet"
    data.to_parquet(data_path, index=False)
    output = tmp_path / "output"
    result = subprocess.run(
        [sys.executable, "script.py", "--data", str(data_path), "--output-dir", str(output)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"{case}/script.py failed:\n{result.stderr[-3000:]}"
    metrics = json.loads((output / "metrics.json").read_text())
    assert metrics and all(v is None or np.isfinite(v) for v in metrics.values()), metrics
    return output


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_tabular_golden_script_trains_the_engines_model(case, tmp_path):
    data, context = CASES[case]().data, CASES[case]().context
    output = run_golden_script(case, data, tmp_path)
    metrics = json.loads((output / "metrics.json").read_text())
    assert context.primary_metric in metrics

    weights = labelled_weights(data, context.label, context.weight_column)
    X, y, _ = prepare_training_data(data, context.label, context.task, context.weight_column)
    engine_model = fit_weighted(from_spec(context.pipeline_spec), X, y, weights)
    script_model = joblib.load(output / "model.pkl")

    np.testing.assert_array_equal(script_model.predict(X), engine_model.predict(X))
    if context.task == "classification":
        np.testing.assert_allclose(
            script_model.predict_proba(X), engine_model.predict_proba(X), rtol=1e-9, atol=1e-12
        )


@pytest.mark.parametrize("case", list(FORECASTING_CASES))
def test_forecasting_golden_script_forecasts_as_the_engine_does(case, tmp_path):
    data, context = FORECASTING_CASES[case]().data, FORECASTING_CASES[case]().context
    output = run_golden_script(case, data, tmp_path)
    settings = ForecastSettings.from_dict(context.forecasting)
    series, keys, future = prepare_series(data, settings)

    # The script's rolling-origin metrics are the engine's validation of the same spec.
    metrics = json.loads((output / "metrics.json").read_text())
    expected = validate(context.pipeline_spec, series, settings)
    assert metrics.keys() == expected.keys()
    for name, value in expected.items():
        if value is None:  # undefined (r2 of one step per fold)
            assert metrics[name] is None, name
        else:
            assert metrics[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name

    # Its forecast of the steps after the history is the engine's model's.
    engine_model = fit_forecaster(build_forecaster(context.pipeline_spec), series, settings)
    if uses_features(engine_model, settings):
        predicted = engine_model.predict(h=settings.horizon, X_df=future)
    else:
        predicted = engine_model.predict(h=settings.horizon)
    expected_forecast = forecast_frame(predicted, keys, settings)
    written = pd.read_csv(output / "forecast.csv", parse_dates=[settings.time_column])
    assert list(written.columns) == list(expected_forecast.columns)
    pd.testing.assert_frame_equal(
        written, expected_forecast, check_dtype=False, rtol=1e-9, atol=1e-12
    )

    # And the saved model predicts the same steps.
    script_model = joblib.load(output / "model.pkl")
    if settings.known_features:
        again = script_model.predict(h=settings.horizon, X_df=future)
    else:
        again = script_model.predict(h=settings.horizon)
    np.testing.assert_allclose(
        forecast_frame(again, keys, settings)["prediction"],
        expected_forecast["prediction"],
        rtol=1e-9,
        atol=1e-12,
    )

"""Rolling-origin validation, the forecasting metrics, and forecasts in the output layout.

Fold k of n cuts every series at the same timestamp, ``(n - k) * horizon`` steps before the
last timestamp of the data; the forecaster is fitted on the steps up to the cutoff and scored
on the next ``horizon`` steps of each series. Metrics are computed per series, averaged over
the series of a fold, then over the folds:

- ``normalized_root_mean_squared_error`` and ``normalized_mean_absolute_error`` divide by the
  range of the series' fitted history (1.0 when it is constant);
- ``mean_absolute_scaled_error`` (MASE) divides the mean absolute error by that of the
  in-sample seasonal-naive forecast of the history (one season back; 1.0 when it is 0), so a
  value below 1 beats seasonal naive;
- ``r2_score`` and ``mean_absolute_percentage_error`` are scikit-learn's.

The generated ``calculate_metrics`` repeats these lines exactly.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    r2_score,
    root_mean_squared_error,
)

from ..metrics import FORECASTING_METRICS
from .candidates import (
    EXOGENOUS_CLASSICAL,
    PREDICTION,
    build_forecaster,
    is_machine_learning,
)
from .series import ForecastSettings


def series_metrics(history, y_true, y_pred, season_length: int) -> dict[str, float]:
    """The metrics of one series' forecast over one fold."""
    y_range = history.max() - history.min()
    if y_range == 0:
        y_range = 1.0
    naive_error = np.mean(np.abs(history[season_length:] - history[:-season_length]))
    if naive_error == 0:
        naive_error = 1.0
    mae = mean_absolute_error(y_true, y_pred)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # r2 of a single step is undefined (nan)
        r2 = r2_score(y_true, y_pred)
    metrics = {
        "normalized_root_mean_squared_error": root_mean_squared_error(y_true, y_pred) / y_range,
        "r2_score": r2,
        "normalized_mean_absolute_error": mae / y_range,
        "mean_absolute_percentage_error": mean_absolute_percentage_error(y_true, y_pred),
        "mean_absolute_scaled_error": mae / naive_error,
    }
    return {name: float(value) for name, value in metrics.items()}


def rolling_origin_folds(series: pd.DataFrame, settings: ForecastSettings):
    """``(cutoff, validation timestamps)`` of each fold, oldest first."""
    steps = pd.date_range(
        end=series["ds"].max(), periods=settings.n_folds * settings.horizon + 1, freq=settings.freq
    )
    return [
        (steps[start], steps[start + 1 : start + settings.horizon + 1])
        for start in range(0, settings.n_folds * settings.horizon, settings.horizon)
    ]


def uses_features(model, settings: ForecastSettings) -> bool:
    """Whether the forecaster reads known-in-advance features: ML models, and AutoARIMA as
    exogenous regressors (see ``candidates.EXOGENOUS_CLASSICAL``)."""
    if not settings.known_features:
        return False
    if type(model).__name__ == "MLForecast":
        return True
    return all(type(m).__name__ in EXOGENOUS_CLASSICAL for m in model.models)


def fit_forecaster(model, series: pd.DataFrame, settings: ForecastSettings):
    """Fit on the history. ML features are dynamic (known in advance), never static; a
    classical model gets the known features as exogenous columns only if it reads them."""
    if type(model).__name__ == "MLForecast":
        if settings.known_features:
            return model.fit(series, static_features=[])
        return model.fit(series)
    return model.fit(series[_classical_columns(model, settings)])


def _classical_columns(model, settings: ForecastSettings) -> list[str]:
    features = list(settings.known_features) if uses_features(model, settings) else []
    return ["unique_id", "ds", "y", *features]


def fold_metrics(forecaster, series, cutoff, future, settings: ForecastSettings) -> dict:
    """Fit on the steps up to ``cutoff``; the metrics of the next steps, averaged over series."""
    history = series[series["ds"] <= cutoff]
    fit_forecaster(forecaster, history, settings)
    actual = series[series["ds"].isin(future)]
    if uses_features(forecaster, settings):
        features = actual[["unique_id", "ds", *settings.known_features]]
        predicted = forecaster.predict(h=settings.horizon, X_df=features)
    else:
        predicted = forecaster.predict(h=settings.horizon)
    scored = actual.merge(predicted, on=["unique_id", "ds"])
    scores = []
    for unique_id, group in scored.groupby("unique_id", sort=True):
        past = history.loc[history["unique_id"] == unique_id, "y"].to_numpy()
        scores.append(
            series_metrics(
                past, group["y"].to_numpy(), group[PREDICTION].to_numpy(), settings.season_length
            )
        )
    return {name: float(np.mean([score[name] for score in scores])) for name in scores[0]}


def validate(spec: dict, series: pd.DataFrame, settings: ForecastSettings) -> dict:
    """The rolling-origin metrics of a forecaster spec (averaged over folds; None if undefined)."""
    scores = [
        fold_metrics(build_forecaster(spec), series, cutoff, future, settings)
        for cutoff, future in rolling_origin_folds(series, settings)
    ]
    metrics = {}
    for name in scores[0]:
        mean = float(np.mean([score[name] for score in scores]))
        metrics[name] = mean if np.isfinite(mean) else None
    return metrics


def forecast_frame(predicted: pd.DataFrame, keys: pd.DataFrame, settings: ForecastSettings):
    """Forecasts in the output layout: series-id columns, the time column, ``prediction``."""
    ids = list(settings.series_id_columns)
    out = predicted.merge(keys, on="unique_id").sort_values(["unique_id", "ds"])
    out = out.rename(columns={"ds": settings.time_column})
    return out[[*ids, settings.time_column, PREDICTION]].reset_index(drop=True)


def forecast_after_history(model, series, future, settings: ForecastSettings):
    """Forecast the ``horizon`` steps after ``series``, the history of a fitted model.

    A global ML model keeps what it learned and reads its lag features from the new history
    (and the known-in-advance features of the steps ahead from ``future``); classical models
    are per series, so they are fitted again (same configuration) on it.
    """
    if type(model).__name__ == "MLForecast":
        if uses_features(model, settings):
            return model.predict(h=settings.horizon, new_df=series, X_df=future)
        return model.predict(h=settings.horizon, new_df=series)
    if uses_features(model, settings):
        return model.forecast(
            df=series[_classical_columns(model, settings)], h=settings.horizon, X_df=future
        )
    return model.forecast(df=series[["unique_id", "ds", "y"]], h=settings.horizon)


__all__ = ["FORECASTING_METRICS", "is_machine_learning"]

"""One forecasting trial, as run inside a worker process (a local one, or a Dask worker):
validate by rolling origin, then fit on the whole history and return the fitted forecaster
serialised. On Dask the data snapshot's bytes arrive through the experiment's worker plugin
(``trial.SHIPPED_DATA``, as for tabular trials) instead of being read from the store folder;
either way they are checked against the snapshot's SHA-256."""

from __future__ import annotations

import hashlib
import io
import time
from dataclasses import dataclass

import joblib
import pandas as pd

from ..trial import SHIPPED_DATA, TrialLimits, TrialResult, guarded
from .candidates import build_forecaster
from .evaluation import fit_forecaster, validate
from .series import ForecastSettings, prepare_series


@dataclass(frozen=True)
class ForecastTask:
    run_id: str
    snapshot_path: str
    snapshot_sha256: str
    settings: dict
    spec: dict
    timeout_seconds: float | None = None
    memory_mb: int | None = None


_SERIES: dict = {}


def run_forecast_trial(task: ForecastTask) -> TrialResult:
    """Validate the forecaster by rolling origin, refit it on every step and return it
    serialised, under the experiment's per-trial time and memory limits."""
    limits = TrialLimits(task.timeout_seconds, task.memory_mb, task.spec)
    load = lambda: _series(task, ForecastSettings.from_dict(task.settings))  # noqa: E731
    return guarded(task.run_id, limits, load, _run, task)


def _series(task: ForecastTask, settings: ForecastSettings) -> pd.DataFrame:
    if task.snapshot_sha256 not in _SERIES:
        _SERIES.clear()
        raw = SHIPPED_DATA.get(task.snapshot_sha256)
        if raw is None:
            with open(task.snapshot_path, "rb") as handle:
                raw = handle.read()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != task.snapshot_sha256:
            raise RuntimeError(f"data snapshot {task.snapshot_path} changed on disk")
        frame = pd.read_parquet(io.BytesIO(raw))
        _SERIES[task.snapshot_sha256] = prepare_series(frame, settings)[0]
    return _SERIES[task.snapshot_sha256]


def _run(task: ForecastTask, *, worker: str) -> TrialResult:
    settings = ForecastSettings.from_dict(task.settings)
    series = _series(task, settings)
    started = time.perf_counter()
    metrics = validate(task.spec, series, settings)
    model = build_forecaster(task.spec)
    fit_forecaster(model, series, settings)
    fitted = time.perf_counter()
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return TrialResult(
        task.run_id,
        metrics=metrics,
        fit_time=fitted - started,
        score_time=0.0,
        model_bytes=buffer.getvalue(),
        worker=worker,
    )

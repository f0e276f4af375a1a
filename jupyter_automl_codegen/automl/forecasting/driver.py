"""The task driver of forecasting: the same steps as the tabular one (check the data, record
it on the parent run, reload it to resume, search), over the planned forecasting trials of
``forecasting.experiment``. A resumed experiment's trial plan is fixed by the seed, so the
planned trials that finished are skipped and the others run.
"""

from __future__ import annotations

import time

import pandas as pd

from ..config import AutoMLConfig
from ..lifecycle import Snapshot, deadline, open_compute
from ..recording import record_result, trial_result
from . import experiment as forecasting
from .series import ForecastSettings


def check_data(config: AutoMLConfig, frame: pd.DataFrame) -> ForecastSettings:
    """The experiment's ForecastSettings, or a DataError before anything is stored."""
    return forecasting.check_data(config, frame)


def record_data(run_store, parent_id: str, data: ForecastSettings, frame: pd.DataFrame) -> None:
    run_store.update_properties(parent_id, rows=len(frame))


def reload_data(run_store, experiment, parent, config: AutoMLConfig) -> ForecastSettings:
    """A resumed experiment's forecasting settings, as its first run recorded them."""
    return ForecastSettings.from_dict(parent.properties["forecasting"])


def search(
    run_store,
    parent_id: str,
    config: AutoMLConfig,
    data: ForecastSettings,
    snapshot: Snapshot,
    *,
    show_progress: bool,
    started: float | None = None,
    budget: float | None = None,
    history: list | None = None,
) -> None:
    """``forecasting.search`` on the experiment's compute backend, recording into the store.
    ``history``: the finished child runs of an interrupted experiment, whose planned trials
    are skipped (``budget`` is then the time it had left)."""
    started = time.monotonic() if started is None else started
    budget = config.experiment_timeout_seconds if budget is None else budget
    compute = open_compute(config, snapshot.path)
    try:
        forecasting.search(
            run_store,
            parent_id,
            config,
            data,
            snapshot.path,
            snapshot.sha256,
            record=lambda run_id, future, elapsed: record_result(
                run_store,
                run_id,
                trial_result(future, elapsed, config.trial_timeout_seconds),
                config,
                compute.name,
            ),
            compute=compute,
            show_progress=show_progress,
            deadline=deadline(started, budget),
            finished_trials=frozenset(c.properties.get("trial") for c in history or ()),
        )
    finally:
        compute.close()

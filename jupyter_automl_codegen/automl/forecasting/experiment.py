"""Submitting a forecasting experiment: check the series, snapshot them, run the planned
trials in worker processes under the time and trial budget.

Ensembles are not built for forecasting (the ``enable_*_ensemble`` settings are ignored):
averaging forecasters of two libraries would need code of our own in the generated script.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, wait

from joblib.externals.loky import get_reusable_executor

from ..progress import SearchProgress
from .candidates import forecaster_spec, plan_trials
from .evaluation import FORECASTING_METRICS
from .series import check_forecasting_frame
from .trial import ForecastTask, run_forecast_trial

# Without max_trials, the plan is long enough that only the time budget stops it.
UNBOUNDED_TRIALS = 200


def check_data(config, frame):
    """The experiment's ForecastSettings, or a DataError before anything is stored."""
    return check_forecasting_frame(frame, config)


def search(
    run_store,
    parent_id,
    config,
    settings,
    snapshot_path,
    snapshot_sha,
    *,
    record,
    workers: int,
    show_progress: bool,
) -> None:
    """Run the trial plan; ``record(run_id, result)`` stores each finished trial."""
    run_store.update_properties(
        parent_id,
        forecasting=settings.to_dict(),
        validation={
            "kind": "rolling_origin",
            "n_folds": settings.n_folds,
            "horizon": settings.horizon,
        },
        validation_description=settings.describe(),
        metrics=list(FORECASTING_METRICS),
        ensembles={"skipped": "ensembles are not built for forecasting"},
    )
    count = config.max_trials or UNBOUNDED_TRIALS
    plan = plan_trials(config.algorithms(), settings, config.seed, count)
    deadline = time.monotonic() + config.experiment_timeout_seconds
    progress = SearchProgress(config, enabled=show_progress)
    inflight: dict = {}
    pending = list(enumerate(plan))
    try:
        while pending or inflight:
            while pending and len(inflight) < workers and time.monotonic() < deadline:
                number, (algorithm, params) = pending.pop(0)
                spec = forecaster_spec(algorithm, params, settings, config.seed)
                run = run_store.create_child_run(
                    parent_id,
                    algorithm=algorithm,
                    spec=spec,
                    properties={"hyperparameters": params, "trial": number},
                )
                run_store.start_run(run.id)
                task = ForecastTask(run.id, snapshot_path, snapshot_sha, settings.to_dict(), spec)
                executor = get_reusable_executor(max_workers=workers)
                inflight[executor.submit(run_forecast_trial, task)] = run.id
            if time.monotonic() >= deadline:
                pending = []
            if not inflight:
                break
            done, _ = wait(
                inflight, timeout=max(0.0, deadline - time.monotonic()), return_when=FIRST_COMPLETED
            )
            if not done:
                for run_id in inflight.values():
                    run_store.fail_run(
                        run_id,
                        "timed out: the experiment's time budget ran out before this trial finished",
                    )
                get_reusable_executor(max_workers=workers).shutdown(wait=False, kill_workers=True)
                break
            for future in done:
                run_id = inflight.pop(future)
                trial_loss = record(run_id, future)
                progress.update(trial_loss, deadline - time.monotonic())
    finally:
        progress.close()

"""Submitting a forecasting experiment: check the series, snapshot them, run the planned
trials on the experiment's compute backend (local worker processes, or the workers of the Dask
cluster named by ``dask_scheduler``, see ``automl/compute.py``) under the time and trial budget.

Ensembles are not built for forecasting (the ``enable_*_ensemble`` settings are ignored):
averaging forecasters of two libraries would need code of our own in the generated script.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, wait

from ..progress import SearchProgress
from ..trial import timeout_message
from .candidates import (
    EXOGENOUS_CLASSICAL,
    MACHINE_LEARNING,
    algorithm_names,
    featurization,
    featurization_descriptions,
    forecaster_spec,
    plan_trials,
)
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
    compute,
    show_progress: bool,
    deadline: float,
    finished_trials=frozenset(),
) -> None:
    """Run the trial plan on ``compute`` (a ``Compute`` backend; ``compute.workers`` trials at
    once) until ``deadline`` (a ``time.monotonic()`` reading); ``record(run_id, future,
    seconds it ran)`` stores each finished trial. A trial past ``trial_timeout_seconds`` (and
    the backend's grace) is abandoned and failed. ``finished_trials``: the numbers of planned
    trials that a resumed experiment finished before; they are skipped."""
    workers = compute.workers
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
        known_features=_known_features_use(config, settings),
    )
    count = config.max_trials or UNBOUNDED_TRIALS
    plan = plan_trials(config.algorithms(), settings, config.seed, count)
    progress = SearchProgress(config, enabled=show_progress)
    trial_limit = config.trial_timeout_seconds
    inflight: dict = {}  # future -> (run id, launch time)
    pending = [
        (number, trial) for number, trial in enumerate(plan) if number not in finished_trials
    ]
    try:
        while pending or inflight:
            while pending and len(inflight) < workers and time.monotonic() < deadline:
                number, (algorithm, params) = pending.pop(0)
                spec = forecaster_spec(algorithm, params, settings, config.seed)
                described = featurization(spec, algorithm, settings)
                run = run_store.create_child_run(
                    parent_id,
                    algorithm=algorithm,
                    spec=spec,
                    properties={
                        "hyperparameters": params,
                        "trial": number,
                        "featurization": described,
                        "featurization_descriptions": featurization_descriptions(described),
                    },
                )
                run_store.start_run(run.id)
                task = ForecastTask(
                    run.id,
                    snapshot_path,
                    snapshot_sha,
                    settings.to_dict(),
                    spec,
                    timeout_seconds=trial_limit,
                    memory_mb=config.trial_memory_mb,
                )
                inflight[compute.submit(run_forecast_trial, task)] = (run.id, time.monotonic())
            if time.monotonic() >= deadline:
                pending = []
            if not inflight:
                break
            wake = deadline
            if trial_limit is not None:
                launches = [at for _, at in inflight.values()]
                wake = min(wake, min(launches) + trial_limit + compute.timeout_grace)
            done, _ = wait(
                inflight, timeout=max(0.0, wake - time.monotonic()), return_when=FIRST_COMPLETED
            )
            if not done and time.monotonic() >= deadline:
                for run_id, _ in inflight.values():
                    run_store.fail_run(
                        run_id,
                        "timed out: the experiment's time budget ran out before this trial finished",
                    )
                compute.stop()
                break
            for future in done:
                run_id, launched_at = inflight.pop(future)
                trial_loss = record(run_id, future, time.monotonic() - launched_at)
                progress.update(trial_loss, deadline - time.monotonic())
            if trial_limit is not None:  # trials stuck past their limit and its grace
                now = time.monotonic()
                for future, (run_id, launched_at) in list(inflight.items()):
                    if now >= launched_at + trial_limit + compute.timeout_grace:
                        del inflight[future]
                        compute.abandon(future)
                        run_store.fail_run(run_id, timeout_message(trial_limit))
                        progress.update(None, deadline - now)
    finally:
        progress.close()


def _known_features_use(config, settings) -> dict | None:
    """Which candidates of the experiment read its known-in-advance features, and which
    ignore them (seasonal naive, ETS and Theta model the target alone)."""
    if not settings.known_features:
        return None
    algorithms = [name for name in algorithm_names() if name in config.algorithms()]
    readers = (*MACHINE_LEARNING, *EXOGENOUS_CLASSICAL)
    ignored = [name for name in algorithms if name not in readers]
    return {
        "columns": list(settings.known_features),
        "used_by": [name for name in algorithms if name not in ignored],
        "ignored_by": ignored,
    }

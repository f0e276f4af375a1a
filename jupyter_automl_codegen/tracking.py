"""Running a generated ``script.py`` as a new tracked run, the way the cloud original submits it.

The script runs in a subprocess; its metrics and model land in the run store as a new
experiment with one child run, next to the run the script was generated from. A forecasting
run's new experiment carries the forecasting settings (time column, series ids, horizon,
frequency, known features: given by the notebook, else the source run's), so the new run
forecasts, lists and shows its featurization like any forecasting run.

With a Dask scheduler the script runs on one of that cluster's workers (``script_compute``);
the new run records where it ran (``compute``: ``local`` or the scheduler's address, and
``worker``), as trials do.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from . import script_compute
from .store import RunStore, as_run_store

SCRIPT_RUN_ALGORITHM = "ScriptRun"


def run_script(
    script_path: str | Path,
    output_dir: str | Path,
    *,
    source_run_id: str,
    store: RunStore | str | Path | None = None,
    data: str | Path | None = None,
    forecasting: dict | None = None,
    dask_scheduler: str | None = None,
) -> dict:
    """Run ``script_path`` and record it as a new run; returns its id, metrics and exit code.

    ``forecasting``: the settings of a forecasting run's script (``ForecastSettings`` as a
    dict: label, time column, series ids, horizon, frequency, season length, folds, known
    features); the source run's when not given. ``dask_scheduler``: run the script on that
    Dask cluster (the data, ``data`` or the run's snapshot, is sent with it).
    """
    run_store = as_run_store(store)
    source = run_store.get_run(source_run_id)
    experiment = run_store.get_experiment(source.experiment_id)
    # Connect first: an unreachable cluster leaves no run behind.
    client = None if dask_scheduler is None else script_compute.connect(dask_scheduler)
    try:
        return _tracked_run(
            run_store,
            source,
            experiment,
            script_path,
            output_dir,
            data,
            forecasting,
            client,
            dask_scheduler,
        )
    finally:
        if client is not None:
            client.close()


def _tracked_run(
    run_store, source, experiment, script_path, output_dir, data, forecasting, client, address
) -> dict:
    script_path, output_dir = Path(script_path).resolve(), Path(output_dir).resolve()
    properties = {"source_run_id": source.id, "script": str(script_path)}
    child_properties = {"source_run_id": source.id, "source_algorithm": source.algorithm}
    if experiment.task == "forecasting":
        properties.update(_forecasting_properties(run_store, source, forecasting))
        child_properties.update(
            {
                key: source.properties[key]
                for key in ("hyperparameters", "featurization", "featurization_descriptions")
                if key in source.properties
            }
        )
    _, parent = run_store.create_experiment(
        f"{experiment.name} (script run)",
        task=experiment.task,
        label=experiment.label,
        primary_metric=experiment.primary_metric,
        properties=properties,
    )
    child = run_store.create_child_run(
        parent.id,
        algorithm=SCRIPT_RUN_ALGORITHM,
        spec=source.spec,
        properties=child_properties,
    )
    run_store.start_run(child.id)
    started = time.perf_counter()
    try:
        if client is None:
            completed = script_compute.run_here(script_path, output_dir, data)
        else:
            snapshot = Path(data) if data is not None else None
            snapshot = snapshot or run_store.data_snapshot_path(experiment.id)
            completed = script_compute.run_on_cluster(
                client, address, script_path, output_dir, snapshot
            )
    except BaseException as error:
        run_store.fail_run(child.id, f"the script did not run: {error}")
        run_store.finish_parent(parent.id, "failed", error=str(error))
        raise
    elapsed = time.perf_counter() - started
    run_store.update_properties(child.id, compute=completed.compute, worker=completed.worker)
    metrics = {}
    if completed.returncode == 0:
        metrics = json.loads((output_dir / "metrics.json").read_text(encoding="utf-8"))
        value = metrics.get(experiment.primary_metric)
        run_store.complete_run(
            child.id,
            metrics=metrics,
            primary_metric_value=value,
            fit_time=elapsed,
            score_time=0.0,
            model_bytes=(output_dir / "model.pkl").read_bytes(),
            versions=source.versions,
        )
        run_store.finish_parent(parent.id, "completed", best_run_id=child.id)
    else:
        error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        run_store.fail_run(child.id, f"script.py exited with {completed.returncode}: {error}")
        run_store.finish_parent(parent.id, "failed", error=error)
    return {
        "run_id": child.id,
        "experiment_id": parent.experiment_id,
        "metrics": metrics,
        "returncode": completed.returncode,
        "stdout": completed.stdout,
        "stderr": completed.stderr,
        "store": str(run_store.root),
        "compute": completed.compute,
        "worker": completed.worker,
    }


def _forecasting_properties(run_store: RunStore, source, forecasting: dict | None) -> dict:
    """The parent-run properties that make the script run a forecasting run."""
    from .automl.forecasting.series import ForecastSettings

    recorded = run_store.get_run(source.parent_id).properties
    settings = ForecastSettings.from_dict(forecasting or recorded["forecasting"])
    properties = {
        "forecasting": settings.to_dict(),
        "validation": {
            "kind": "rolling_origin",
            "n_folds": settings.n_folds,
            "horizon": settings.horizon,
        },
        "validation_description": settings.describe(),
    }
    for key in ("metrics", "known_features"):
        if key in recorded:
            properties[key] = recorded[key]
    return properties

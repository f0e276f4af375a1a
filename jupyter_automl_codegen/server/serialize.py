"""JSON shapes of the API's replies, built from store records.

Only fields meant for the browser are copied: run and parent properties can hold the
path of the training data file, so they are picked field by field, never passed whole, and
a failed trial's error text has any file path in it replaced.
"""

from __future__ import annotations

from typing import Any

from ..codegen.generate import SCRIPT
from ..store import Experiment, Run, RunStore
from ..store.ranking import GREATER_IS_BETTER, RANKING_COLUMN, greater_is_better
from ..stored_code import code_generation_status, stored_code_dir
from .errors import redact_paths

_ERROR_CHARS = 2000
# Child run properties the API shows (the rest is bookkeeping).
_RUN_PROPERTIES = ("hyperparameters", "scaler", "trial", "members", "meta_learner", "scoring")


def primary_metric(name: str, value: float | None) -> dict[str, Any]:
    """``{"name", "value", "greater_is_better"}`` (direction None for an unknown metric)."""
    return {"name": name, "value": value, "greater_is_better": GREATER_IS_BETTER.get(name)}


def experiment_summary(store: RunStore, experiment: Experiment) -> dict[str, Any]:
    """One row of ``GET experiments``: the experiment, its timing and its best run so far."""
    parent = store.get_run(experiment.parent_run_id).to_dict()
    best = _best_run(store, experiment)
    return {
        "id": experiment.id,
        "name": experiment.name,
        "task": experiment.task,
        "label": experiment.label,
        "status": experiment.status,
        "started_at": parent["started_at"] or parent["created_at"],
        "ended_at": parent["ended_at"],
        "num_runs": experiment.num_runs,
        "primary_metric": experiment.primary_metric,
        "best_run": None
        if best is None
        else {
            "id": best.id,
            "algorithm": best.algorithm,
            "primary_metric": primary_metric(best.primary_metric, best.primary_metric_value),
        },
    }


def _best_run(store: RunStore, experiment: Experiment) -> Run | None:
    """The recorded best run of a finished experiment, else the current leader."""
    if experiment.best_run_id is not None:
        return store.get_run(experiment.best_run_id)
    leaders = store.list_runs(  # rank 1 of store.ranking, read from the listing index
        experiment.id,
        status="completed",
        order_by=RANKING_COLUMN,
        descending=greater_is_better(experiment.primary_metric),
        limit=1,
    )
    return leaders[0] if leaders else None


def has_stored_code(store: RunStore, run_id: str) -> bool:
    """Whether the run's generated ``script.py`` is in the store (listing never writes)."""
    return (stored_code_dir(store, run_id) / SCRIPT).is_file()


def run_summary(store: RunStore, run: Run) -> dict[str, Any]:
    """One item of ``GET experiments/{id}/runs``."""
    record = run.to_dict()
    return {
        "id": run.id,
        "iteration": run.iteration,
        "algorithm": run.algorithm,
        "status": run.status,
        "primary_metric": primary_metric(run.primary_metric, run.primary_metric_value),
        "metrics": record["metrics"],
        "fit_time": run.fit_time,
        "score_time": run.score_time,
        "created_at": record["created_at"],
        "started_at": record["started_at"],
        "ended_at": record["ended_at"],
        "has_code": run.kind == "child" and has_stored_code(store, run.id),
        "code_generation": code_generation(store, run),
        "compute": run.properties.get("compute"),
        "worker": run.properties.get("worker"),
        "error": None if run.error is None else redact_paths(run.error[:_ERROR_CHARS]),
    }


def code_generation(store: RunStore, run: Run) -> dict[str, Any]:
    """``{"status", "reason"}``: whether the run's code is stored, failed to generate (and
    why, paths redacted), is rendered on demand, or does not exist."""
    status, reason = code_generation_status(store, run)
    return {
        "status": status,
        "reason": None if reason is None else redact_paths(reason[:_ERROR_CHARS]),
    }


def run_detail(store: RunStore, run: Run) -> dict[str, Any]:
    """``GET runs/{id}``: the summary plus spec, hyperparameters and featurization."""
    parent = run if run.parent_id is None else store.get_run(run.parent_id)
    props = parent.properties
    return {
        **run_summary(store, run),
        "kind": run.kind,
        "experiment_id": run.experiment_id,
        "parent_id": run.parent_id,
        "spec": run.spec,
        "properties": {
            key: run.properties[key] for key in _RUN_PROPERTIES if key in run.properties
        },
        "versions": dict(run.versions),
        "featurization": _featurization(run, props),
    }


# Fields of a forecasting run's featurization the API shows (see forecasting/candidates.py).
_FORECASTING_FIELDS = (
    "target",
    "time_column",
    "series_id_columns",
    "frequency",
    "horizon",
    "season_length",
    "scope",
    "lags",
    "rolling_windows",
    "calendar_features",
    "target_transforms",
    "known_features",
    "known_features_used",
    "known_features_ignored",
)


def _featurization(run: Run, props: dict[str, Any]) -> dict[str, Any]:
    """How the run's inputs were built: the columns' treatment (tabular), or the series,
    lags, windows and calendar features of a forecasting run (recorded on the child run)."""
    if "forecasting" in props:
        described = run.properties.get("featurization")
        return {
            "columns": None,
            "descriptions": run.properties.get("featurization_descriptions"),
            "validation": props.get("validation_description"),
            "forecasting": None
            if not isinstance(described, dict)
            else {key: described.get(key) for key in _FORECASTING_FIELDS},
        }
    return {
        "columns": props.get("featurization"),
        "descriptions": props.get("featurization_descriptions"),
        "validation": props.get("validation_description"),
        "forecasting": None,
    }


__all__ = [
    "code_generation",
    "experiment_summary",
    "has_stored_code",
    "primary_metric",
    "run_detail",
    "run_summary",
]

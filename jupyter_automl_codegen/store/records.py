"""Immutable records returned by the store, and the time format it uses.

Records are snapshots: mutating the store never changes a record already
handed out, which keeps them safe to pass between threads and to cache.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .jsonfields import loads


def utc_now() -> str:
    """Current time as stored: ISO-8601 UTC with microseconds (sorts as text)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    """Inverse of :func:`utc_now` (aware ``datetime`` in UTC)."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Experiment:
    """One AutoML experiment; its status is the status of its parent run."""

    id: str
    name: str
    task: str
    label: str
    created_at: datetime
    status: str
    parent_run_id: str
    primary_metric: str
    best_run_id: str | None
    num_runs: int
    data_sha256: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (ISO-8601 UTC times)."""
        return {
            "id": self.id,
            "name": self.name,
            "task": self.task,
            "label": self.label,
            "created_at": _iso(self.created_at),
            "status": self.status,
            "parent_run_id": self.parent_run_id,
            "primary_metric": self.primary_metric,
            "best_run_id": self.best_run_id,
            "num_runs": self.num_runs,
            "data_sha256": self.data_sha256,
        }


@dataclass(frozen=True)
class Run:
    """A parent run (the AutoML job) or a child run (one trained pipeline)."""

    id: str
    experiment_id: str
    parent_id: str | None
    kind: str
    iteration: int | None
    status: str
    algorithm: str | None
    spec: dict[str, Any] | None
    metrics: dict[str, Any]
    primary_metric: str
    primary_metric_value: float | None
    fit_time: float | None
    score_time: float | None
    error: str | None
    versions: dict[str, Any]
    properties: dict[str, Any]
    model_sha256: str | None
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def is_terminal(self) -> bool:
        """True once the run can no longer change status."""
        return self.status in ("completed", "failed", "canceled")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (ISO-8601 UTC times, JSON fields already parsed)."""
        return {
            "id": self.id,
            "experiment_id": self.experiment_id,
            "parent_id": self.parent_id,
            "kind": self.kind,
            "iteration": self.iteration,
            "status": self.status,
            "algorithm": self.algorithm,
            "spec": self.spec,
            "metrics": dict(self.metrics),
            "primary_metric": self.primary_metric,
            "primary_metric_value": self.primary_metric_value,
            "fit_time": self.fit_time,
            "score_time": self.score_time,
            "error": self.error,
            "versions": dict(self.versions),
            "properties": dict(self.properties),
            "model_sha256": self.model_sha256,
            "created_at": _iso(self.created_at),
            "started_at": _iso(self.started_at),
            "ended_at": _iso(self.ended_at),
        }


def run_from_row(row: sqlite3.Row) -> Run:
    """Build a :class:`Run` from a ``SELECT * FROM runs`` row."""
    created = parse_time(row["created_at"])
    assert created is not None
    return Run(
        id=row["id"],
        experiment_id=row["experiment_id"],
        parent_id=row["parent_id"],
        kind=row["kind"],
        iteration=row["iteration"],
        status=row["status"],
        algorithm=row["algorithm"],
        spec=loads(row["spec"]),
        metrics=loads(row["metrics"]) or {},
        primary_metric=row["primary_metric"],
        primary_metric_value=row["primary_metric_value"],
        fit_time=row["fit_time"],
        score_time=row["score_time"],
        error=row["error"],
        versions=loads(row["versions"]) or {},
        properties=loads(row["properties"]) or {},
        model_sha256=row["model_sha256"],
        created_at=created,
        started_at=parse_time(row["started_at"]),
        ended_at=parse_time(row["ended_at"]),
    )


def experiment_from_row(row: sqlite3.Row) -> Experiment:
    """Build an :class:`Experiment` from the store's experiment query."""
    created = parse_time(row["created_at"])
    assert created is not None
    return Experiment(
        id=row["id"],
        name=row["name"],
        task=row["task"],
        label=row["label"],
        created_at=created,
        status=row["status"],
        parent_run_id=row["parent_run_id"],
        primary_metric=row["primary_metric"],
        best_run_id=row["best_run_id"],
        num_runs=int(row["num_runs"]),
        data_sha256=row["data_sha256"],
    )


__all__ = ["Experiment", "Run", "experiment_from_row", "parse_time", "run_from_row", "utc_now"]

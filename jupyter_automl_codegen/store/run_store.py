"""The run store: experiments and runs in SQLite, models and data snapshots on disk.

Layout under the store root::

    store.db                                   SQLite (WAL) database
    experiments/<experiment_id>/data.parquet   training data snapshot
    runs/<run_id>/model.pkl                    fitted model (joblib)
    runs/<run_id>/validation_predictions.npz   a trial's predictions on the validation rows
    runs/<run_id>/outputs/                     free for other components

Several processes (notebook kernel, training workers, the Jupyter server) may
use one store at the same time; every write is a ``BEGIN IMMEDIATE``
transaction, and files are published atomically before the database row that
points at them is committed.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import files
from .artifacts import MODEL_NAME, SNAPSHOT_NAME, VALIDATION_PREDICTIONS_NAME, ArtifactsMixin
from .connection import ConnectionManager, read_transaction, write_transaction
from .errors import StoreError, StoreStateError, StoreUnavailableError
from .ids import (
    child_run_id,
    new_experiment_id,
    new_parent_run_id,
    validate_parent_run_id,
    validate_run_id,
)
from .jsonfields import clean_float, dumps, loads
from .location import resolve_store_root
from .parent_runs import TERMINAL_STATUSES, ParentRunsMixin
from .process import current_process
from .queries import METRIC_NAME_PATTERN, QueriesMixin
from .records import Experiment, Run, utc_now
from .recovery import RecoveryMixin, interrupted_message
from .schema import ensure_schema

DB_NAME = "store.db"
OUTPUTS_DIR = "outputs"

# Legal status transitions of a child run.
_TRANSITIONS = {
    "queued": {"running", "failed", "canceled"},
    "running": {"completed", "failed", "canceled"},
}


def _require_str(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, got {value!r:.60}")
    return value


def _require_dict(value: object, what: str, *, optional: bool) -> dict[str, Any] | None:
    if value is None and optional:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a dict, got {type(value).__name__}")
    return value


class RunStore(QueriesMixin, ParentRunsMixin, ArtifactsMixin, RecoveryMixin):
    """Experiments, runs, models and data snapshots under one root directory.

    Connections are opened lazily per process and thread, so a ``RunStore``
    may be shared by threads and survives ``fork()``; pickling it (e.g. to
    send it to a ``spawn`` worker) reopens the same root in the receiver.

    Parameters
    ----------
    root : str, path-like or None, default None
        The store's directory, created if missing. None means ``$AUTOML_CODEGEN_STORE``,
        else ``$XDG_DATA_HOME/jupyter-automl-codegen/store``.
    recover : bool, default True
        Fail the active runs whose owning process died (see :meth:`recover`) on open.

    Attributes
    ----------
    root : pathlib.Path
        The absolute store directory.
    db_path : pathlib.Path
        The SQLite database, ``<root>/store.db``.
    experiments_dir, runs_dir : pathlib.Path
        Where data snapshots and run folders are kept.

    Raises
    ------
    StoreUnavailableError
        The directory cannot be created or written, or the database cannot be opened.

    Examples
    --------
    >>> with RunStore("automl-store") as store:  # doctest: +SKIP
    ...     experiments = store.list_experiments()
    """

    def __init__(self, root: str | os.PathLike[str] | None = None, *, recover: bool = True):
        self.root = resolve_store_root(root)
        self.db_path = self.root / DB_NAME
        self.experiments_dir = self.root / "experiments"
        self.runs_dir = self.root / "runs"
        try:
            for directory in (self.root, self.experiments_dir, self.runs_dir):
                directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(
                self.root, "cannot_create", str(exc.strerror or exc)
            ) from exc
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StoreUnavailableError(self.root, "not_writable")
        self._connections = ConnectionManager(self.db_path)
        try:
            ensure_schema(self._connections.get(), str(self.db_path))
        except sqlite3.Error as exc:
            self._connections.close()
            raise StoreUnavailableError(
                self.root, "unreadable_database", str(exc), self.db_path
            ) from exc
        except BaseException:
            self._connections.close()
            raise
        if recover:
            try:
                self.recover()
            except BaseException:
                self._connections.close()
                raise

    # -- plumbing -----------------------------------------------------------

    def __repr__(self) -> str:
        return f"RunStore({str(self.root)!r})"

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_reopen, (str(self.root),))

    def close(self) -> None:
        """Close this process's connections; the store cannot be used afterwards."""
        self._connections.close()

    @contextmanager
    def _db_errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                raise StoreUnavailableError(self.root, "disk_full", path=self.db_path) from exc
            raise StoreError(f"run store database {self.db_path}: {exc}") from exc
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StoreUnavailableError(self.root, "disk_full", path=exc.filename) from exc
            raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._db_errors(), write_transaction(self._connections.get()) as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._db_errors(), read_transaction(self._connections.get()) as conn:
            yield conn

    def _check_transition(self, row: sqlite3.Row, target: str) -> None:
        if row["kind"] != "child":
            raise StoreStateError(
                f"run {row['id']} is a parent run; finish it with finish_parent() instead"
            )
        if target not in _TRANSITIONS.get(row["status"], ()):
            hint = " (call start_run first)" if row["status"] == "queued" else ""
            raise StoreStateError(
                f"cannot mark run {row['id']} {target}: it is {row['status']}{hint}"
            )

    # -- experiments --------------------------------------------------------

    def create_experiment(
        self,
        name: str,
        *,
        task: str,
        label: str,
        primary_metric: str,
        properties: dict[str, Any] | None = None,
    ) -> tuple[Experiment, Run]:
        """Create an experiment and its parent run (status running, owned by this process).

        Parameters
        ----------
        name : str
            The experiment's name, as surfaces show it.
        task : str
            ``"classification"``, ``"regression"`` or ``"forecasting"``.
        label : str
            The column the experiment predicts.
        primary_metric : str
            The metric runs are ranked by (see ``store.ranking``).
        properties : dict, optional
            Free-form JSON stored on the parent run.

        Returns
        -------
        tuple of (Experiment, Run)
            The new experiment and its parent run.
        """
        _require_str(name, "name")
        _require_str(task, "task")
        _require_str(label, "label")
        _require_str(primary_metric, "primary_metric")
        props = dumps(_require_dict(properties, "properties", optional=True) or {})
        experiment_id, parent_id = new_experiment_id(), new_parent_run_id()
        owner = current_process()
        now = utc_now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO experiments (id, name, task, label, primary_metric, created_at,"
                " parent_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (experiment_id, name, task, label, primary_metric, now, parent_id),
            )
            conn.execute(
                "INSERT INTO runs (id, experiment_id, kind, status, primary_metric, properties,"
                " owner_pid, owner_start, owner_host, created_at, started_at)"
                " VALUES (?, ?, 'parent', 'running', ?, ?, ?, ?, ?, ?, ?)",
                (parent_id, experiment_id, primary_metric, props)
                + (owner.pid, owner.start, owner.host, now, now),
            )
        return self.get_experiment(experiment_id), self.get_run(parent_id)

    # -- runs ---------------------------------------------------------------

    def create_child_run(
        self,
        parent_run_id: str,
        *,
        algorithm: str,
        spec: dict[str, Any] | None,
        properties: dict[str, Any] | None = None,
    ) -> Run:
        """Add a queued child run; its iteration is allocated inside the write lock.

        Parameters
        ----------
        parent_run_id : str
            A running parent run.
        algorithm : str
            The model's algorithm name.
        spec : dict or None
            The unfitted pipeline as JSON (``jupyter_automl_codegen.spec``).
        properties : dict, optional
            Free-form JSON (hyperparameters, ensemble members, ...).

        Returns
        -------
        Run
            The new child run, ``queued``.

        Raises
        ------
        StoreStateError
            The parent run is not running.
        """
        validate_parent_run_id(parent_run_id)
        _require_str(algorithm, "algorithm")
        spec_json = None if spec is None else dumps(_require_dict(spec, "spec", optional=False))
        props = dumps(_require_dict(properties, "properties", optional=True) or {})
        owner = current_process()
        with self._write() as conn:
            parent = self._run_row(conn, parent_run_id)
            if parent["status"] != "running":
                raise StoreStateError(
                    f"cannot add a run to parent run {parent_run_id}: it is {parent['status']}"
                )
            (iteration,) = conn.execute(
                "SELECT COALESCE(MAX(iteration) + 1, 0) FROM runs WHERE parent_id = ?",
                (parent_run_id,),
            ).fetchone()
            run_id = child_run_id(parent_run_id, iteration)
            conn.execute(
                "INSERT INTO runs (id, experiment_id, parent_id, kind, iteration, status,"
                " algorithm, spec, primary_metric, properties, owner_pid, owner_start,"
                " owner_host, created_at) VALUES (?, ?, ?, 'child', ?, 'queued', ?, ?, ?, ?,"
                " ?, ?, ?, ?)",
                (
                    run_id,
                    parent["experiment_id"],
                    parent_run_id,
                    iteration,
                    algorithm,
                    spec_json,
                    parent["primary_metric"],
                    props,
                    owner.pid,
                    owner.start,
                    owner.host,
                    utc_now(),
                ),
            )
        return self.get_run(run_id)

    def start_run(self, run_id: str) -> Run:
        """Mark a queued run running; the calling process becomes its owner.

        Parameters
        ----------
        run_id : str
            A queued child run.

        Returns
        -------
        Run
            The run, ``running``.
        """
        validate_run_id(run_id)
        owner = current_process()
        with self._write() as conn:
            self._check_transition(self._run_row(conn, run_id), "running")
            conn.execute(
                "UPDATE runs SET status = 'running', started_at = ?, owner_pid = ?,"
                " owner_start = ?, owner_host = ? WHERE id = ?",
                (utc_now(), owner.pid, owner.start, owner.host, run_id),
            )
        return self.get_run(run_id)

    def complete_run(
        self,
        run_id: str,
        *,
        metrics: dict[str, Any],
        primary_metric_value: float | None,
        fit_time: float,
        score_time: float,
        model_bytes: bytes,
        versions: dict[str, Any],
    ) -> Run:
        """Mark a running run completed, storing the serialized model and its SHA-256.

        The model file is durable at its final name before the row saying
        "completed" is committed, so a completed run always has its model.

        Parameters
        ----------
        run_id : str
            A running child run.
        metrics : dict
            Metric name to value.
        primary_metric_value : float or None
            The value the run is ranked by (for ``log_loss`` the cautious log-loss).
        fit_time, score_time : float
            Seconds spent fitting and scoring.
        model_bytes : bytes
            The fitted model, serialized with joblib.
        versions : dict
            Package versions the model was trained with.

        Returns
        -------
        Run
            The run, ``completed``.
        """
        validate_run_id(run_id)
        metrics_json = dumps(_require_dict(metrics, "metrics", optional=False))
        versions_json = dumps(_require_dict(versions, "versions", optional=False))
        if not isinstance(model_bytes, (bytes, bytearray, memoryview)):
            raise TypeError(f"model_bytes must be bytes, got {type(model_bytes).__name__}")
        with self._read() as conn:  # fail fast before writing a possibly large file
            self._check_transition(self._run_row(conn, run_id), "completed")
        final = self.runs_dir / run_id / MODEL_NAME
        digest = files.sha256_bytes(model_bytes)
        with self._db_errors():
            temp = files.write_temp(final, lambda handle: handle.write(model_bytes))
        try:
            with self._write() as conn:
                self._check_transition(self._run_row(conn, run_id), "completed")
                files.publish(temp, final)
                conn.execute(
                    "UPDATE runs SET status = 'completed', metrics = ?, primary_metric_value = ?,"
                    " fit_time = ?, score_time = ?, versions = ?, model_sha256 = ?, error = NULL,"
                    " ended_at = ? WHERE id = ?",
                    (
                        metrics_json,
                        clean_float(primary_metric_value),
                        clean_float(fit_time),
                        clean_float(score_time),
                        versions_json,
                        digest,
                        utc_now(),
                        run_id,
                    ),
                )
        finally:
            files.discard(temp)
        return self.get_run(run_id)

    def fail_run(self, run_id: str, error: str, *, fit_time: float | None = None) -> Run:
        """Mark a queued or running run failed, recording why.

        Parameters
        ----------
        run_id : str
            A queued or running child run.
        error : str
            Why it failed, as surfaces show it.
        fit_time : float, optional
            Seconds spent before the failure; kept as it was when not given.

        Returns
        -------
        Run
            The run, ``failed``.
        """
        validate_run_id(run_id)
        with self._write() as conn:
            self._check_transition(self._run_row(conn, run_id), "failed")
            conn.execute(
                "UPDATE runs SET status = 'failed', error = ?, fit_time = COALESCE(?, fit_time),"
                " ended_at = ? WHERE id = ?",
                (str(error), clean_float(fit_time), utc_now(), run_id),
            )
        return self.get_run(run_id)

    def cancel_run(self, run_id: str, reason: str | None = None) -> Run:
        """Mark a queued or running run canceled.

        Parameters
        ----------
        run_id : str
            A queued or running child run.
        reason : str, optional
            Stored in the run's error field.

        Returns
        -------
        Run
            The run, ``canceled``.
        """
        validate_run_id(run_id)
        with self._write() as conn:
            self._check_transition(self._run_row(conn, run_id), "canceled")
            conn.execute(
                "UPDATE runs SET status = 'canceled', error = ?, ended_at = ? WHERE id = ?",
                (None if reason is None else str(reason), utc_now(), run_id),
            )
        return self.get_run(run_id)

    def update_properties(self, run_id: str, **props: Any) -> Run:
        """Merge ``props`` into the run's free-form properties (read-modify-write, locked).

        Parameters
        ----------
        run_id : str
            Any run.
        **props
            JSON values to set.

        Returns
        -------
        Run
            The run with its merged properties.
        """
        validate_run_id(run_id)
        with self._write() as conn:
            row = self._run_row(conn, run_id)
            merged = loads(row["properties"]) or {}
            merged.update(props)
            conn.execute("UPDATE runs SET properties = ? WHERE id = ?", (dumps(merged), run_id))
        return self.get_run(run_id)


def _reopen(root: str) -> RunStore:
    """Unpickle helper: reopen without recovery (the sender is alive and owns its runs)."""
    return RunStore(root, recover=False)


__all__ = [
    "DB_NAME",
    "METRIC_NAME_PATTERN",
    "MODEL_NAME",
    "OUTPUTS_DIR",
    "SNAPSHOT_NAME",
    "TERMINAL_STATUSES",
    "VALIDATION_PREDICTIONS_NAME",
    "RunStore",
    "interrupted_message",
]

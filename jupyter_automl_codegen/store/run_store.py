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
import io
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files
from .connection import ConnectionManager, read_transaction, write_transaction
from .errors import (
    NotFoundError,
    StoreError,
    StoreIntegrityError,
    StoreStateError,
    StoreUnavailableError,
)
from .ids import (
    child_run_id,
    new_experiment_id,
    new_parent_run_id,
    validate_experiment_id,
    validate_parent_run_id,
    validate_run_id,
)
from .jsonfields import clean_float, dumps, loads
from .location import resolve_store_root
from .process import current_process, hostname, is_alive
from .records import Experiment, Run, experiment_from_row, run_from_row, utc_now
from .schema import RUN_STATUSES, ensure_schema

if TYPE_CHECKING:
    import pandas as pd

DB_NAME = "store.db"
SNAPSHOT_NAME = "data.parquet"
MODEL_NAME = "model.pkl"
VALIDATION_PREDICTIONS_NAME = "validation_predictions.npz"
OUTPUTS_DIR = "outputs"

TERMINAL_STATUSES = ("completed", "failed", "canceled")
_ACTIVE = ("queued", "running")
# Legal status transitions of a child run.
_TRANSITIONS = {
    "queued": {"running", "failed", "canceled"},
    "running": {"completed", "failed", "canceled"},
}
_ORDER_COLUMNS = {
    "iteration": "iteration",
    "fit_time": "fit_time",
    "created_at": "created_at",
    "primary_metric_value": "primary_metric_value",
}
METRIC_NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]{0,127}"
_METRIC_ORDER_RE = re.compile(r"metrics\.(" + METRIC_NAME_PATTERN + r")")

_EXPERIMENT_QUERY = """
SELECT e.id, e.name, e.task, e.label, e.primary_metric, e.created_at, e.parent_run_id,
       e.best_run_id, e.data_sha256, p.status AS status,
       (SELECT COUNT(*) FROM runs c WHERE c.parent_id = e.parent_run_id) AS num_runs
FROM experiments e JOIN runs p ON p.id = e.parent_run_id
"""


def disk_full_message(root: Path, path: object = None) -> str:
    """The fact of a full disk as text; prefer raising ``StoreUnavailableError`` directly."""
    return str(StoreUnavailableError(root, "disk_full", path=path))


def interrupted_message(pid: int) -> str:
    """Error recorded on runs whose owning process died."""
    return f"interrupted: the training process (pid {pid}) ended before this run finished"


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


class RunStore:
    """Experiments, runs, models and data snapshots under one root directory.

    Connections are opened lazily per process and thread, so a ``RunStore``
    may be shared by threads and survives ``fork()``; pickling it (e.g. to
    send it to a ``spawn`` worker) reopens the same root in the receiver.
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
        """Close this process's connections; the store can't be used afterwards."""
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

    def _run_row(self, conn: sqlite3.Connection, run_id: str) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"run {run_id} not found in the run store at {self.root}")
        return row

    def _experiment_row(self, conn: sqlite3.Connection, experiment_id: str) -> sqlite3.Row:
        row = conn.execute(_EXPERIMENT_QUERY + " WHERE e.id = ?", (experiment_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"experiment {experiment_id} not found in the run store at {self.root}"
            )
        return row

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

        ``properties`` are stored on the parent run.
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

    def get_experiment(self, experiment_id: str) -> Experiment:
        """The experiment ``experiment_id`` (NotFoundError if unknown)."""
        validate_experiment_id(experiment_id)
        with self._read() as conn:
            return experiment_from_row(self._experiment_row(conn, experiment_id))

    def list_experiments(self) -> list[Experiment]:
        """All experiments, newest first."""
        with self._read() as conn:
            rows = conn.execute(
                _EXPERIMENT_QUERY + " ORDER BY e.created_at DESC, e.rowid DESC"
            ).fetchall()
        return [experiment_from_row(row) for row in rows]

    # -- data snapshot ------------------------------------------------------

    def save_data_snapshot(self, experiment_id: str, df: pd.DataFrame) -> tuple[Path, str]:
        """Write the experiment's training data as parquet, once; return (path, SHA-256).

        The snapshot is what generated code and reloaded models refer to, so it
        is immutable: a second call raises StoreStateError.
        """
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        validate_experiment_id(experiment_id)
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
        with self._read() as conn:
            if self._experiment_row(conn, experiment_id)["data_sha256"] is not None:
                raise StoreStateError(f"experiment {experiment_id} already has a data snapshot")
        final = self.experiments_dir / experiment_id / SNAPSHOT_NAME
        table = pa.Table.from_pandas(df, preserve_index=False)
        with self._db_errors():
            temp = files.write_temp(final, lambda handle: pq.write_table(table, handle))
        try:
            digest = files.sha256_file(temp)
            with self._write() as conn:
                if self._experiment_row(conn, experiment_id)["data_sha256"] is not None:
                    raise StoreStateError(f"experiment {experiment_id} already has a data snapshot")
                files.publish(temp, final)
                conn.execute(
                    "UPDATE experiments SET data_sha256 = ? WHERE id = ?", (digest, experiment_id)
                )
        finally:
            files.discard(temp)
        return final, digest

    def data_snapshot_path(self, experiment_id: str) -> Path:
        """Path of the experiment's saved snapshot (NotFoundError if none was saved)."""
        validate_experiment_id(experiment_id)
        with self._read() as conn:
            row = self._experiment_row(conn, experiment_id)
        if row["data_sha256"] is None:
            raise NotFoundError(
                f"experiment {experiment_id} has no data snapshot; call save_data_snapshot first"
            )
        return self.experiments_dir / experiment_id / SNAPSHOT_NAME

    def load_data_snapshot(self, experiment_id: str) -> pd.DataFrame:
        """Read the snapshot after checking its SHA-256 (StoreIntegrityError on mismatch)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.data_snapshot_path(experiment_id)
        expected = self.get_experiment(experiment_id).data_sha256
        data = self._read_verified(path, expected, f"data snapshot of experiment {experiment_id}")
        return pq.read_table(pa.BufferReader(data)).to_pandas()

    def _read_verified(self, path: Path, expected: str | None, what: str) -> bytes:
        """Read a file into memory and check its hash, so what is loaded is what was checked."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StoreIntegrityError(f"the {what} is missing: {path}") from None
        actual = files.sha256_bytes(data)
        if actual != expected:
            raise StoreIntegrityError(
                f"the {what} at {path} was modified or corrupted: SHA-256 {actual} does not "
                f"match the recorded {expected}"
            )
        return data

    # -- runs ---------------------------------------------------------------

    def create_child_run(
        self,
        parent_run_id: str,
        *,
        algorithm: str,
        spec: dict[str, Any] | None,
        properties: dict[str, Any] | None = None,
    ) -> Run:
        """Add a queued child run; its iteration is allocated inside the write lock."""
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
        """queued -> running; the calling process becomes the run's owner."""
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
        """running -> completed, storing the serialized model and its SHA-256.

        The model file is durable at its final name before the row saying
        "completed" is committed, so a completed run always has its model.
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
        """queued/running -> failed, recording the error text."""
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
        """queued/running -> canceled; ``reason`` goes to the run's error field."""
        validate_run_id(run_id)
        with self._write() as conn:
            self._check_transition(self._run_row(conn, run_id), "canceled")
            conn.execute(
                "UPDATE runs SET status = 'canceled', error = ?, ended_at = ? WHERE id = ?",
                (None if reason is None else str(reason), utc_now(), run_id),
            )
        return self.get_run(run_id)

    def update_properties(self, run_id: str, **props: Any) -> Run:
        """Merge ``props`` into the run's free-form properties (read-modify-write, locked)."""
        validate_run_id(run_id)
        with self._write() as conn:
            row = self._run_row(conn, run_id)
            merged = loads(row["properties"]) or {}
            merged.update(props)
            conn.execute("UPDATE runs SET properties = ? WHERE id = ?", (dumps(merged), run_id))
        return self.get_run(run_id)

    def finish_parent(
        self,
        parent_run_id: str,
        status: str,
        *,
        best_run_id: str | None = None,
        error: str | None = None,
    ) -> Run:
        """End the AutoML job: set the parent's final status and cancel still-queued children.

        ``best_run_id`` must be a completed child of this parent.
        """
        validate_parent_run_id(parent_run_id)
        if status not in TERMINAL_STATUSES:
            raise ValueError(f"status must be one of {TERMINAL_STATUSES}, got {status!r:.60}")
        if best_run_id is not None:
            validate_run_id(best_run_id)
        now = utc_now()
        with self._write() as conn:
            parent = self._run_row(conn, parent_run_id)
            if parent["kind"] != "parent":
                raise StoreStateError(f"run {parent_run_id} is not a parent run")
            if parent["status"] not in _ACTIVE:
                raise StoreStateError(
                    f"cannot finish parent run {parent_run_id} as {status}: "
                    f"it is already {parent['status']}"
                )
            if best_run_id is not None:
                best = self._run_row(conn, best_run_id)
                if best["parent_id"] != parent_run_id or best["status"] != "completed":
                    raise StoreStateError(
                        f"best run {best_run_id} must be a completed child of {parent_run_id}"
                    )
            conn.execute(
                "UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?",
                (status, None if error is None else str(error), now, parent_run_id),
            )
            conn.execute(
                "UPDATE experiments SET best_run_id = ? WHERE parent_run_id = ?",
                (best_run_id, parent_run_id),
            )
            conn.execute(
                "UPDATE runs SET status = 'canceled', error = ?, ended_at = ?"
                " WHERE parent_id = ? AND status = 'queued'",
                (
                    f"canceled: the parent run finished ({status}) before it started",
                    now,
                    parent_run_id,
                ),
            )
        return self.get_run(parent_run_id)

    def reopen_parent(self, parent_run_id: str, **props: Any) -> Run:
        """failed/canceled -> running again (an interrupted experiment is resumed).

        The calling process becomes the owner, the error and end time are cleared, the
        experiment's best run is unset until it finishes again, and ``props`` are merged into
        the parent's properties. Its finished children are kept as they are.
        """
        validate_parent_run_id(parent_run_id)
        owner = current_process()
        with self._write() as conn:
            parent = self._run_row(conn, parent_run_id)
            if parent["kind"] != "parent":
                raise StoreStateError(f"run {parent_run_id} is not a parent run")
            if parent["status"] not in ("failed", "canceled"):
                raise StoreStateError(
                    f"cannot resume parent run {parent_run_id}: it is {parent['status']}"
                )
            merged = loads(parent["properties"]) or {}
            merged.update(props)
            conn.execute(
                "UPDATE runs SET status = 'running', error = NULL, ended_at = NULL,"
                " properties = ?, owner_pid = ?, owner_start = ?, owner_host = ? WHERE id = ?",
                (dumps(merged), owner.pid, owner.start, owner.host, parent_run_id),
            )
            conn.execute(
                "UPDATE experiments SET best_run_id = NULL WHERE parent_run_id = ?",
                (parent_run_id,),
            )
        return self.get_run(parent_run_id)

    def get_run(self, run_id: str) -> Run:
        """The run ``run_id`` (parent or child)."""
        validate_run_id(run_id)
        with self._read() as conn:
            return run_from_row(self._run_row(conn, run_id))

    def list_runs(
        self,
        experiment_id: str,
        *,
        status: str | None = None,
        order_by: str = "iteration",
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Run]:
        """Child runs of an experiment, filtered, sorted (NULLs last) and paged.

        ``order_by`` is a column name or ``metrics.<name>``; the metric name is
        checked against a strict pattern and bound as a JSON path parameter.
        """
        validate_experiment_id(experiment_id)
        if status is not None and status not in RUN_STATUSES:
            raise ValueError(f"status must be one of {RUN_STATUSES}, got {status!r:.60}")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit must be an int or None")
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise TypeError("offset must be an int")
        if (limit is not None and limit < 0) or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        key_params: list[Any] = []
        if isinstance(order_by, str) and order_by in _ORDER_COLUMNS:
            key = _ORDER_COLUMNS[order_by]
        elif isinstance(order_by, str) and (match := _METRIC_ORDER_RE.fullmatch(order_by)):
            key = "json_extract(metrics, ?)"
            key_params = ["$." + match.group(1)]
        else:
            raise ValueError(
                f"order_by must be one of {sorted(_ORDER_COLUMNS)} or 'metrics.<name>' with "
                f"<name> matching {METRIC_NAME_PATTERN}, got {order_by!r:.60}"
            )
        direction = "DESC" if descending else "ASC"
        sql = "SELECT * FROM runs WHERE experiment_id = ? AND kind = 'child'"
        params: list[Any] = [experiment_id]
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        sql += f" ORDER BY ({key}) IS NULL, {key} {direction}, iteration ASC LIMIT ? OFFSET ?"
        params += key_params + key_params + [-1 if limit is None else limit, offset]
        with self._read() as conn:
            self._experiment_row(conn, experiment_id)
            rows = conn.execute(sql, params).fetchall()
        return [run_from_row(row) for row in rows]

    def count_runs(self, experiment_id: str, status: str | None = None) -> int:
        """Number of child runs of an experiment (optionally with ``status``)."""
        validate_experiment_id(experiment_id)
        if status is not None and status not in RUN_STATUSES:
            raise ValueError(f"status must be one of {RUN_STATUSES}, got {status!r:.60}")
        sql = "SELECT COUNT(*) FROM runs WHERE experiment_id = ? AND kind = 'child'"
        params: list[Any] = [experiment_id]
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        with self._read() as conn:
            self._experiment_row(conn, experiment_id)
            return int(conn.execute(sql, params).fetchone()[0])

    # -- files of a run -----------------------------------------------------

    def run_dir(self, run_id: str) -> Path:
        """``runs/<run_id>/`` (created); ``outputs/`` inside it is free for other components."""
        validate_run_id(run_id)
        self.get_run(run_id)
        path = self.runs_dir / run_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def model_path(self, run_id: str) -> Path:
        """Where the run's model is (or will be) stored."""
        validate_run_id(run_id)
        self.get_run(run_id)
        return self.runs_dir / run_id / MODEL_NAME

    def load_model(self, run_id: str) -> Any:
        """Unpickle the model of a completed run after verifying its SHA-256.

        Only the store's own file is read, and the bytes are hashed before
        ``joblib.load`` sees them: a tampered pickle is never executed.
        """
        import joblib

        run = self.get_run(run_id)
        if run.status != "completed":
            raise StoreStateError(f"run {run_id} has no model: it is {run.status}")
        data = self._read_verified(
            self.runs_dir / run_id / MODEL_NAME, run.model_sha256, f"model of run {run_id}"
        )
        return joblib.load(io.BytesIO(data))

    def save_validation_predictions(self, run_id: str, predictions: list) -> None:
        """Keep a trial's predictions on each split's validation rows (one array per split),
        so that the ensembles of a resumed experiment can still select it."""
        import numpy as np

        validate_run_id(run_id)
        final = self.runs_dir / run_id / VALIDATION_PREDICTIONS_NAME
        with self._db_errors():
            temp = files.write_temp(final, lambda handle: np.savez(handle, *predictions))
            try:
                files.publish(temp, final)
            finally:
                files.discard(temp)

    def load_validation_predictions(self, run_id: str) -> list | None:
        """What :meth:`save_validation_predictions` kept, or None when nothing (readable)
        was kept. Plain arrays only: the file is read without unpickling."""
        import numpy as np

        validate_run_id(run_id)
        try:
            with np.load(self.runs_dir / run_id / VALIDATION_PREDICTIONS_NAME) as data:
                return [data[f"arr_{index}"] for index in range(len(data.files))]
        except Exception:  # missing, torn or foreign: the run is just not a candidate
            return None

    # -- recovery -----------------------------------------------------------

    def recover(self) -> list[str]:
        """Fail active runs whose owning process died; remove leftover temp files.

        Only owners on this host are judged, and only when they are known to be
        dead (pid gone, zombie, or reused by a process with another start time).
        A parent failed here takes its queued/running children with it.
        Returns the ids of the runs marked failed.
        """
        host = hostname()
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, kind, owner_pid, owner_start, owner_host FROM runs"
                " WHERE status IN ('queued', 'running') AND owner_host = ?"
                " AND owner_pid IS NOT NULL",
                (host,),
            ).fetchall()
        verdicts: dict[tuple[int, str | None], bool | None] = {}
        dead = []
        for row in rows:
            key = (int(row["owner_pid"]), row["owner_start"])
            if key not in verdicts:
                verdicts[key] = is_alive(*key)
            if verdicts[key] is False:
                dead.append(row)
        failed: list[str] = []
        if dead:
            now = utc_now()
            with self._write() as conn:
                # Parents first, so their children get the parent's message.
                for row in sorted(dead, key=lambda r: r["kind"] != "parent"):
                    message = interrupted_message(row["owner_pid"])
                    cur = conn.execute(
                        "UPDATE runs SET status = 'failed', error = ?, ended_at = ?"
                        " WHERE id = ? AND status IN ('queued', 'running') AND owner_pid = ?"
                        " AND owner_start IS ? AND owner_host = ?",
                        (message, now, row["id"], row["owner_pid"], row["owner_start"], host),
                    )
                    if cur.rowcount:
                        failed.append(row["id"])
                    if cur.rowcount and row["kind"] == "parent":
                        children = conn.execute(
                            "SELECT id FROM runs WHERE parent_id = ?"
                            " AND status IN ('queued', 'running')",
                            (row["id"],),
                        ).fetchall()
                        conn.execute(
                            "UPDATE runs SET status = 'failed', error = ?, ended_at = ?"
                            " WHERE parent_id = ? AND status IN ('queued', 'running')",
                            (message, now, row["id"]),
                        )
                        failed.extend(child["id"] for child in children)
        self._remove_stale_temps()
        return failed

    def _remove_stale_temps(self) -> None:
        directories = [
            d for parent in (self.runs_dir, self.experiments_dir) for d in parent.iterdir()
        ]
        files.remove_stale_temps(
            [d for d in directories if d.is_dir()],
            lambda pid: is_alive(pid) is not False,
        )


def _reopen(root: str) -> RunStore:
    """Unpickle helper: reopen without recovery (the sender is alive and owns its runs)."""
    return RunStore(root, recover=False)


__all__ = ["METRIC_NAME_PATTERN", "RunStore", "TERMINAL_STATUSES", "interrupted_message"]

"""Reading a store: experiments and runs by id, and child runs filtered, sorted and paged."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from .errors import NotFoundError
from .ids import validate_experiment_id, validate_run_id
from .records import Experiment, Run, experiment_from_row, run_from_row
from .schema import RUN_STATUSES

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


class QueriesMixin:
    """The read-only methods of a :class:`RunStore`."""

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

    # -- experiments --------------------------------------------------------

    def get_experiment(self, experiment_id: str) -> Experiment:
        """One experiment.

        Parameters
        ----------
        experiment_id : str
            An experiment id.

        Returns
        -------
        Experiment

        Raises
        ------
        NotFoundError
            No such experiment in this store.
        """
        validate_experiment_id(experiment_id)
        with self._read() as conn:
            return experiment_from_row(self._experiment_row(conn, experiment_id))

    def list_experiments(self) -> list[Experiment]:
        """All experiments, newest first.

        Returns
        -------
        list of Experiment
        """
        with self._read() as conn:
            rows = conn.execute(
                _EXPERIMENT_QUERY + " ORDER BY e.created_at DESC, e.rowid DESC"
            ).fetchall()
        return [experiment_from_row(row) for row in rows]

    # -- runs ---------------------------------------------------------------

    def get_run(self, run_id: str) -> Run:
        """One run, parent or child.

        Parameters
        ----------
        run_id : str
            A run id.

        Returns
        -------
        Run

        Raises
        ------
        NotFoundError
            No such run in this store.
        """
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
        """Child runs of an experiment, filtered, sorted (missing values last) and paged.

        Ordered by ``primary_metric_value`` this is the ranking of ``store.ranking``
        (only completed runs have that value; ties go to the earlier trial).

        Parameters
        ----------
        experiment_id : str
            An experiment id.
        status : str, optional
            Only runs with this status.
        order_by : str, default "iteration"
            ``iteration``, ``fit_time``, ``created_at``, ``primary_metric_value`` or
            ``metrics.<name>`` (the name checked against a strict pattern and bound as a
            JSON path parameter).
        descending : bool, default False
            Largest values first.
        limit : int, optional
            At most this many runs.
        offset : int, default 0
            Skip this many runs first.

        Returns
        -------
        list of Run
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
        """How many child runs an experiment has.

        Parameters
        ----------
        experiment_id : str
            An experiment id.
        status : str, optional
            Count only runs with this status.

        Returns
        -------
        int
        """
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


__all__ = ["METRIC_NAME_PATTERN", "QueriesMixin"]

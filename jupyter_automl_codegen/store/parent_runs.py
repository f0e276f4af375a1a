"""Ending and resuming an AutoML job: the parent run's own transitions."""

from __future__ import annotations

from typing import Any

from .errors import StoreStateError
from .ids import validate_parent_run_id, validate_run_id
from .jsonfields import dumps, loads
from .process import current_process
from .records import Run, utc_now

TERMINAL_STATUSES = ("completed", "failed", "canceled")
_ACTIVE = ("queued", "running")


class ParentRunsMixin:
    """How a :class:`RunStore` finishes and reopens parent runs."""

    def finish_parent(
        self,
        parent_run_id: str,
        status: str,
        *,
        best_run_id: str | None = None,
        error: str | None = None,
    ) -> Run:
        """End the AutoML job: set the parent's final status and cancel still-queued children.

        Parameters
        ----------
        parent_run_id : str
            A running parent run.
        status : {"completed", "failed", "canceled"}
            Its final status.
        best_run_id : str, optional
            The experiment's best run (rank 1 of ``store.ranking``): a completed child of
            this parent.
        error : str, optional
            Why the experiment failed or was canceled.

        Returns
        -------
        Run
            The parent run, finished.

        Raises
        ------
        StoreStateError
            The run is not a running parent, or ``best_run_id`` is not its completed child.
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
        """Make a failed or canceled parent run running again (its experiment is resumed).

        The calling process becomes the owner, the error and end time are cleared, the
        experiment's best run is unset until it finishes again. Its finished children are
        kept as they are.

        Parameters
        ----------
        parent_run_id : str
            A failed or canceled parent run.
        **props
            JSON values merged into the parent's properties.

        Returns
        -------
        Run
            The parent run, ``running``.
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


__all__ = ["TERMINAL_STATUSES", "ParentRunsMixin"]

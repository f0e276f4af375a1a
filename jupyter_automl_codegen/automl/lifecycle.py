"""An experiment's life in the store, whatever its task: its data snapshot, its deadline, the
compute backend its trials run on, and how it ends (completed with its best run, failed, or
canceled).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass

import pandas as pd

from ..store import RunStore, StoreError, StoreUnavailableError
from .compute import Compute, DaskCompute, LocalCompute
from .config import AutoMLConfig
from .data import DataError
from .runs import AutoMLRun

# The search and the ensembles end this much before the budget does: stopping the workers,
# choosing the best model and exiting take the rest.
WRAP_UP_SECONDS = 1.5
WRAP_UP_SHARE = 0.05


@dataclass(frozen=True)
class Snapshot:
    """The experiment's training data as stored: the Parquet file the trials read, and its
    SHA-256 (a trial refuses a file that changed)."""

    path: str
    sha256: str


def save_snapshot(run_store: RunStore, experiment_id: str, frame: pd.DataFrame) -> Snapshot:
    try:
        path, sha = run_store.save_data_snapshot(experiment_id, frame)
    except (TypeError, ValueError) as error:  # pyarrow refuses mixed-type object columns
        raise DataError(
            f"the data cannot be stored as Parquet ({error}); give each column a single type."
        ) from None
    return Snapshot(str(path), sha)


def deadline(started: float, budget: float) -> float:
    """When the trials must end: the budget from ``started``, less the time to wrap up."""
    return started + budget - min(WRAP_UP_SECONDS, WRAP_UP_SHARE * budget)


def open_compute(config: AutoMLConfig, snapshot_path: str) -> Compute:
    """The backend the trials run on, and how many run at once there."""
    if config.dask_scheduler is None:
        return LocalCompute(config.max_concurrent_iterations or _cpu_count())
    with open(snapshot_path, "rb") as handle:
        data = handle.read()
    compute = DaskCompute(config.dask_scheduler, data)
    compute.workers = config.max_concurrent_iterations or max(
        1, sum(compute.client.nthreads().values())
    )
    return compute


def interrupted(child) -> bool:
    """Whether a child run was stopped by its driver's death (not by its own failure)."""
    return child.status in ("failed", "canceled") and (child.error or "").startswith(
        ("interrupted", "canceled")
    )


def end_on_error(run_store: RunStore, parent_id: str, error: BaseException) -> None:
    """Mark the experiment failed (canceled on Ctrl-C); a full disk becomes a StoreUnavailableError."""
    status = "canceled" if isinstance(error, KeyboardInterrupt) else "failed"
    try:
        run_store.finish_parent(parent_id, status, error=f"{type(error).__name__}: {error}")
    except StoreError:  # e.g. the disk is full: the next open of the store marks it failed
        pass
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        raise StoreUnavailableError(run_store.root, "disk_full", path=error.filename) from error


def finish(run_store: RunStore, parent_id: str) -> AutoMLRun:
    """Complete the experiment with its best run, or fail it when no trial completed."""
    run = AutoMLRun(run_store, parent_id)
    board = run.leaderboard()  # best primary metric first, ties to the earlier trial
    if board:
        run_store.finish_parent(parent_id, "completed", best_run_id=board[0].id)
    else:
        error = "no trial completed; see the child runs' errors"
        run_store.finish_parent(parent_id, "failed", error=error)
    return run


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1

"""Waiting on a training in another process by what its store records, never by the clock.

A wait ends when the store shows what the test waits for, or when the training process ended
first (the caller asserts which); pytest's own timeout is the only guard against a hang.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

POLL_SECONDS = 0.1

COMPLETED_TRIALS = "SELECT count(*) FROM runs WHERE kind = 'child' AND status = 'completed'"
EXPERIMENTS = "SELECT count(*) FROM experiments"


def store_count(store_root: Path, query: str) -> int:
    """A count read from the store's database; 0 while the database or its tables are missing
    (the training has not created them yet)."""
    database = Path(store_root) / "store.db"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(database, timeout=30) as db:
            return db.execute(query).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def wait_for_count(process: subprocess.Popen, store_root: Path, query: str, count: int) -> int:
    """Poll until ``query`` counts at least ``count`` or ``process`` has ended; return the
    last count seen."""
    seen = store_count(store_root, query)
    while seen < count and process.poll() is None:
        time.sleep(POLL_SECONDS)
        seen = store_count(store_root, query)
    return seen

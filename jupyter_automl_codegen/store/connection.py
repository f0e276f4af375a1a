"""SQLite connections: configured for concurrent writers, one per process and thread.

SQLite connections must not cross ``fork()`` (the child would share file locks
and WAL state with its parent) nor be shared between threads. A
:class:`ConnectionManager` therefore opens connections lazily, keyed by the
current pid and thread; connections inherited through ``fork()`` are parked
and never used or closed in the child.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import StoreError, StoreUnavailableError

BUSY_TIMEOUT_S = 30.0

# Connections inherited through fork(): kept referenced forever so the child's
# garbage collector never runs sqlite3_close() on its parent's handles.
_INHERITED: list[sqlite3.Connection] = []
_MANAGERS: weakref.WeakSet[ConnectionManager] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for manager in list(_MANAGERS):
        manager._park_inherited()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def open_connection(db_path: Path) -> sqlite3.Connection:
    """Open ``db_path`` in autocommit mode with WAL, busy timeout, and foreign keys.

    Autocommit (``isolation_level=None``) lets the store issue ``BEGIN IMMEDIATE``
    itself: a deferred transaction that later writes gets SQLITE_BUSY at once,
    without waiting for the busy timeout.
    """
    conn = sqlite3.connect(
        str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreUnavailableError(db_path.parent, "no_wal", str(mode), db_path)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


class ConnectionManager:
    """Hands out the calling thread's connection, opening it on first use."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._lock = threading.Lock()
        self._local = threading.local()
        self._owned: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        self._closed = False
        _MANAGERS.add(self)

    def _park_inherited(self) -> None:
        # Runs in the child right after fork(): the lock may be held by a
        # thread that does not exist here, so replace it rather than take it.
        self._lock = threading.Lock()
        _INHERITED.extend(self._owned)
        self._owned = []
        self._local = threading.local()
        self._pid = os.getpid()

    def get(self) -> sqlite3.Connection:
        """The connection of the current process and thread."""
        if self._closed:
            raise StoreError(f"the run store at {self.db_path.parent} is closed")
        pid = os.getpid()
        if pid != self._pid:  # fork without the at-fork hook (should not happen)
            self._park_inherited()
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) == pid:
            return conn
        conn = open_connection(self.db_path)
        self._local.conn = conn
        self._local.pid = pid
        with self._lock:
            self._owned.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this process opened (from any thread)."""
        self._closed = True
        with self._lock:
            owned, self._owned = self._owned, []
        for conn in owned:
            try:
                conn.close()
            except sqlite3.Error:
                pass


class WriteLockStats:
    """How long this process's write transactions waited for SQLite's write lock.

    There is no retry loop to count: ``BEGIN IMMEDIATE`` waits inside SQLite (the busy
    timeout, up to ``BUSY_TIMEOUT_S``), so the time it takes is the lock wait. Kept per
    process, cheap (two clock reads per write); read by ``benchmarks/store_concurrency.py``.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.writes = 0
        self.waited = 0  # writes that waited more than 1 ms for the lock
        self.wait_seconds: list[float] = []

    def record(self, seconds: float) -> None:
        self.writes += 1
        if seconds > 0.001:
            self.waited += 1
            self.wait_seconds.append(seconds)


WRITE_LOCK_STATS = WriteLockStats()


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception.

    Taking the write lock up front means the busy timeout applies and the
    transaction can never fail half-way with SQLITE_BUSY on its first write.
    """
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    WRITE_LOCK_STATS.record(time.perf_counter() - started)
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def read_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A deferred read transaction: several SELECTs see one consistent snapshot."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


__all__ = [
    "BUSY_TIMEOUT_S",
    "ConnectionManager",
    "WRITE_LOCK_STATS",
    "open_connection",
    "read_transaction",
    "write_transaction",
]

"""A background thread that refreshes the panel while an experiment is still running."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Poller:
    """Calls ``tick`` every ``interval`` seconds until it returns False or ``stop()``.

    The kernel stays free: the thread only waits on an event between ticks, and widget
    updates made from it reach the frontend like any other output.
    """

    def __init__(self, interval: float, tick: Callable[[], bool]):
        if not interval > 0:
            raise ValueError(
                f"poll_interval must be a positive number of seconds, got {interval!r}"
            )
        self.interval = float(interval)
        self._tick = tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        """Start polling, unless it already runs."""
        if self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, args=(self._stop,), name="automl-codegen-panel-poll", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current tick (never blocks)."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end (tests and shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            try:
                keep_going = self._tick()
            except Exception:  # the store went away, the kernel is shutting down
                keep_going = False
            if not keep_going:
                stop.set()


__all__ = ["Poller"]

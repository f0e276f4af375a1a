"""Trial functions that misbehave for one algorithm, for fault tests.

The engine runs ``search_loop.run_trial`` in its workers; a test monkeypatches it with one of
these, which runs in the worker process, makes the chosen trial hang, allocate too much or
crash its process, and runs every other trial as usual. No production code knows about them.
"""

from __future__ import annotations

import os
import signal
import time

from jupyter_automl_codegen.automl import trial

TARGET = "KNeighbors"  # the KNN trials misbehave


def _targeted(task) -> bool:
    return TARGET in task.pipeline_spec["params"]["steps"][-1]["__tuple__"][1]["class"]


def _misbehaving(behaviour, task, data):
    """Run the trial as ``run_trial`` does, its body misbehaving first when targeted (inside
    the trial's limits, where the worker's data is already loaded). Nothing is patched: the
    worker processes outlive a test and serve the next one."""

    def run(task, data, *, worker):
        if _targeted(task):
            behaviour()
        return trial._run(task, data, worker=worker)

    return trial._guarded(run, task, data)


def _hang():
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # Python code: the SIGALRM limit interrupts it
        time.sleep(0.05)


def _allocate():
    blocks = [bytearray(64 * 2**20) for _ in range(64)]  # 4 GiB, a block at a time
    return len(blocks)


def _segfault():
    os.kill(os.getpid(), signal.SIGSEGV)


def hanging_run_trial(task, data=None):
    return _misbehaving(_hang, task, data)


def hungry_run_trial(task, data=None):
    return _misbehaving(_allocate, task, data)


def segfaulting_run_trial(task, data=None):
    if _targeted(task):
        _segfault()
    return trial.run_trial(task, data)


def _hang_briefly():
    time.sleep(12)


def briefly_hanging_run_trial(task, data=None):
    """For Dask, where an abandoned trial's thread runs on: hangs 12 s, not 120 s."""
    return _misbehaving(_hang_briefly, task, data)

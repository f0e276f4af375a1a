"""Where trials run: local worker processes, or an existing Dask cluster.

One interface, two backends. The driver hands a backend a trial function (``run_trial`` or
``run_ensemble``) and its ``TrialTask``; the backend answers with a
``concurrent.futures.Future`` whose result is a ``TrialResult``, so the search loop waits on
either kind with ``concurrent.futures.wait`` and never branches on the backend. Either way the
driver alone writes the run store: workers only compute and return the fitted model, its
metrics and its validation predictions.

- ``LocalCompute`` runs trials in joblib's loky worker processes on this machine. Workers read
  the data snapshot from the store folder once per process. A trial's time and memory limits
  are enforced inside the worker (see ``trial``).
- ``DaskCompute`` runs them on a ``dask.distributed`` cluster the user already runs. The
  snapshot's bytes go to every worker once, through a worker plugin (which also reaches a
  worker that joins or restarts later; a ``scatter(..., broadcast=True)`` copy is reduced to
  one replica by the scheduler's memory manager and lost with its worker), and each trial
  carries only its task; workers need no access to the store folder.
  A worker that dies while running a trial makes the scheduler run that trial again elsewhere
  (its ``distributed.scheduler.allowed-failures`` setting bounds how often; past it the trial
  fails with ``KilledWorker``). The result arrives once, so a retried trial is recorded once.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future

from ..errors import ConfigError
from .extras import install_hint, require

DASK_INSTALL_HINT = install_hint("dask")


class Compute:
    """The interface of a trial backend."""

    #: recorded on every child run as its ``compute`` property
    name: str = "local"
    #: a trial over its time limit is failed by the driver this many seconds later (local
    #: workers stop themselves first, so their own error is the one recorded)
    timeout_grace: float = 0.0

    def submit(self, function, task, *args) -> Future:
        raise NotImplementedError

    def abandon(self, future: Future) -> None:
        """Stop waiting for one trial (its time limit ran out)."""
        future.cancel()

    def stop(self) -> None:
        """Stop every running trial (the experiment's time budget ran out)."""

    def close(self) -> None:
        """Release what the backend holds (connections, data on the workers)."""


class LocalCompute(Compute):
    """Trials in loky worker processes on this machine."""

    name = "local"
    timeout_grace = 5.0

    def __init__(self, workers: int):
        self.workers = workers

    def _executor(self):
        from joblib.externals.loky import get_reusable_executor

        # A worker that crashed breaks its pool; loky then hands out a new one.
        return get_reusable_executor(max_workers=self.workers)

    def submit(self, function, task, *args) -> Future:
        return self._executor().submit(function, task, *args)

    def stop(self) -> None:
        self._executor().shutdown(wait=False, kill_workers=True)


class DaskCompute(Compute):
    """Trials on an existing ``dask.distributed`` cluster, the data sent once per worker."""

    timeout_grace = 0.0

    def __init__(self, address: str, snapshot_bytes: bytes, *, connect_timeout: float = 30.0):
        distributed = import_distributed()
        try:
            self.client = distributed.Client(address, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise ConfigError(
                f"dask_scheduler={address!r}: cannot connect to the Dask scheduler ({error}); "
                "start it or give the address of a running one, e.g. tcp://host:8786."
            ) from None
        self.name = address
        self._running: dict[Future, object] = {}  # our future -> the Dask future
        self._plugin = f"jupyter-automl-codegen-data-{uuid.uuid4().hex}"
        try:
            self.client.register_plugin(
                _data_plugin(distributed, snapshot_bytes), name=self._plugin
            )
        except BaseException:
            self.client.close()
            raise

    def submit(self, function, task, *args) -> Future:
        # retries=1: a trial that raises on the worker (it catches its own errors, so only
        # an infrastructure failure does) runs once more before it fails.
        task_future = self.client.submit(function, task, *args, pure=False, retries=1)
        future: Future = Future()
        future.set_running_or_notify_cancel()
        self._running[future] = task_future
        task_future.add_done_callback(lambda done: self._settle(done, future))
        return future

    def _settle(self, task_future, future: Future) -> None:
        self._running.pop(future, None)
        _settle(task_future, future)

    def abandon(self, future: Future) -> None:
        task_future = self._running.pop(future, None)
        if task_future is not None:
            task_future.cancel()  # the scheduler releases it; a running thread ends on its own

    def stop(self) -> None:
        for future in list(self._running):
            self.abandon(future)

    def close(self) -> None:
        self.stop()
        try:
            self.client.unregister_worker_plugin(self._plugin)
        except Exception:  # the cluster may be gone already
            pass
        self.client.close()


def _data_plugin(distributed, snapshot_bytes: bytes):
    """A worker plugin that hands the snapshot's bytes to every worker once: those running
    now and any that joins or is restarted later (a scattered copy would be lost with the
    worker holding it, as the scheduler keeps only the replicas tasks need)."""
    import hashlib

    digest = hashlib.sha256(snapshot_bytes).hexdigest()

    class SnapshotData(distributed.WorkerPlugin):
        def setup(self, worker):
            from jupyter_automl_codegen.automl import trial

            trial.SHIPPED_DATA[digest] = snapshot_bytes

        def teardown(self, worker):
            from jupyter_automl_codegen.automl import trial

            trial.SHIPPED_DATA.pop(digest, None)

    return SnapshotData()


def _settle(task_future, future: Future) -> None:
    """Hand a Dask future's outcome to ours (Dask runs this in its callback thread)."""
    if future.done():
        return
    try:
        if task_future.status == "finished":
            future.set_result(task_future.result())
        elif task_future.status == "cancelled":
            future.set_exception(RuntimeError("the trial was cancelled on the Dask cluster"))
        else:
            future.set_exception(task_future.exception())
    except BaseException as error:  # noqa: BLE001 - reached the driver as the trial's error
        if not future.done():
            future.set_exception(error)


def import_distributed():
    """``dask.distributed``, or a ConfigError saying how to install it."""
    require("dask", "running trials on a Dask cluster")
    try:
        import distributed
    except ImportError as error:
        raise ConfigError(
            f"running trials on a Dask cluster needs dask.distributed, which cannot be "
            f"imported ({error}); install it with `{DASK_INSTALL_HINT}`."
        ) from None
    return distributed


__all__ = ["Compute", "DASK_INSTALL_HINT", "DaskCompute", "LocalCompute", "import_distributed"]

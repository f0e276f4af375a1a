"""One trial, as run inside a worker process: validate a pipeline spec, then fit it on all rows.

Workers read the data snapshot from disk once (checking its SHA-256) and keep, per process,
the featurized folds: the featurization step is the same for every trial of an experiment, so
only the scaler and the model are fitted per trial. Fitting the featurizer once and the rest
per trial gives exactly what ``Pipeline.fit`` gives, since the featurizer never sees the later
steps. A run's fit and score times still include the featurization it reused, so they are the
times of its whole pipeline. Workers never touch the run store; the driver records results.

A trial also hands back its predictions on each split's validation rows (class probabilities or
regression values), from which the driver selects and scores the voting ensemble. Ensembles
themselves run here too (``run_ensemble``): their members are whole pipelines, so they are
fitted as they are, without the featurized-fold cache.

On a Dask cluster the snapshot's bytes are handed to each worker once by the driver's worker
plugin (``SHIPPED_DATA``) instead of being read from the store folder; they are checked against
the same SHA-256.

Limits: when a trial owns its process (a local worker runs it in its main thread), its time
limit raises ``TrialTimeout`` inside the trial (SIGALRM) and, should the trial be stuck in native
code that never returns to Python, ends the worker process a few seconds later (faulthandler's
watchdog thread); its memory limit caps the worker's address space (``RLIMIT_AS``) at what it
uses when the trial starts plus the limit, so an allocation beyond it raises ``MemoryError``.
Both need POSIX; on Dask, where trials share a worker process, the driver enforces the time
limit and the workers' own ``memory_limit`` governs memory.
"""

from __future__ import annotations

import faulthandler
import hashlib
import io
import json
import os
import signal
import socket
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from functools import partial

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ..spec import from_spec
from .metrics import classification_metrics, mean_metrics, regression_metrics
from .preparation import class_codes, prepare_training_data
from .validation import ValidationScheme
from .weights import fit_weighted, labelled_weights

FEATURIZE_STEP = "featurize"


@dataclass(frozen=True)
class TrialTask:
    """Everything a worker needs to run one trial; plain data, cheap to send."""

    run_id: str
    snapshot_path: str
    snapshot_sha256: str
    label: str
    task: str
    pipeline_spec: dict
    scheme: dict
    plan: dict
    timeout_seconds: float | None = None
    memory_mb: int | None = None
    weight_column: str | None = None  # the sample weights' column, if any


@dataclass
class TrialResult:
    run_id: str
    metrics: dict = field(default_factory=dict)
    fit_time: float = 0.0
    score_time: float = 0.0
    model_bytes: bytes | None = None
    error: str | None = None
    worker: str = ""
    # Per split, the predictions on its validation rows: probabilities or values.
    validation_predictions: list | None = None


# Snapshot bytes handed to this Dask worker by the driver's worker plugin, by SHA-256.
SHIPPED_DATA: dict[str, bytes] = {}
# Per-process caches: the prepared data of one snapshot and its featurized folds.
_DATA: dict = {}
_FOLDS: dict = {}


# A trial stuck in native code past its time limit ends its worker this much later.
HARD_TIMEOUT_GRACE = 3.0


class TrialTimeout(Exception):
    """The trial ran longer than its time limit."""


def timeout_message(trial_limit: float) -> str:
    return (
        f"timed out: the trial ran longer than its limit of {trial_limit:g} s "
        "(trial_timeout_seconds)"
    )


def run_trial(task: TrialTask, data: bytes | None = None) -> TrialResult:
    """Cross-validate the pipeline, refit it on every row and return it serialised."""
    return _guarded(_run, task, data)


def run_ensemble(task: TrialTask, cross_validate: bool, data: bytes | None = None) -> TrialResult:
    """Fit an ensemble of whole pipelines on every row (after cross-validating it, when asked:
    an ensemble scored from its members' validation predictions needs no validation here)."""
    return _guarded(_run_ensemble, task, data, cross_validate)


def worker_name() -> str:
    """The Dask worker's address when on one, else ``host:pid``."""
    distributed = sys.modules.get("distributed")
    if distributed is not None:
        try:
            return distributed.get_worker().address
        except ValueError:  # not inside a Dask task
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


def _guarded(function, task: TrialTask, data, *args) -> TrialResult:
    limits = TrialLimits(task.timeout_seconds, task.memory_mb, task.pipeline_spec)
    return guarded(
        task.run_id, limits, partial(_training_data, task, data), function, task, data, *args
    )


def guarded(run_id: str, limits: TrialLimits, load_data, function, *args) -> TrialResult:
    """``function(*args, worker=...)`` under the trial's limits, one thread per library and
    no warnings; any error becomes a failed result, never a crash of the search.

    ``load_data()`` runs first, outside the limits: the worker reads the data snapshot once
    and keeps it for every trial, so its memory (and the Parquet reader's) is not the trial's.
    """
    worker = worker_name()
    try:
        load_data()
        with limits, threadpool_limits(1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*args, worker=worker)
    except MemoryError as error:
        limit = f" (trial_memory_mb={limits.memory_mb})" if limits.memory_mb else ""
        detail = f": {error}" if str(error) else ""
        return TrialResult(
            run_id, error=f"MemoryError: out of memory{limit}{detail}", worker=worker
        )
    except Exception as error:
        return TrialResult(run_id, error=f"{type(error).__name__}: {error}", worker=worker)


class TrialLimits:
    """A trial's time and memory limits, applied only where the trial owns its process."""

    def __init__(self, timeout_seconds: float | None, memory_mb: int | None, spec: dict):
        self.timeout_seconds, self.memory_mb, self.spec = timeout_seconds, memory_mb, spec
        self.owns_process = threading.current_thread() is threading.main_thread() and hasattr(
            signal, "SIGALRM"
        )
        self.saved_rlimit = None
        self.saved_handler = None

    def __enter__(self):
        if not self.owns_process:
            return self
        timeout, memory_mb = self.timeout_seconds, self.memory_mb
        if timeout:
            self.saved_handler = signal.signal(signal.SIGALRM, _on_alarm(timeout))
            signal.setitimer(signal.ITIMER_REAL, timeout)
            faulthandler.dump_traceback_later(timeout + HARD_TIMEOUT_GRACE, exit=True)
        if memory_mb:
            _import_classes(self.spec)  # loading a library is not the trial's
            self._limit_memory(memory_mb)
        return self

    def _limit_memory(self, memory_mb: int) -> None:
        try:
            import resource
        except ImportError:  # not POSIX: the limit cannot be applied
            return
        used = _address_space_bytes()
        if used is None:
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = used + memory_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        self.saved_rlimit = (soft, hard)

    def __exit__(self, *exc_info):
        if not self.owns_process:
            return False
        if self.timeout_seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            faulthandler.cancel_dump_traceback_later()
            signal.signal(signal.SIGALRM, self.saved_handler or signal.SIG_DFL)
        if self.saved_rlimit is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.saved_rlimit)
        return False


def _import_classes(spec) -> None:
    """Import the modules of every class a spec names (they are on the spec's allowlist)."""
    import importlib

    if isinstance(spec, dict):
        path = spec.get("class")
        if isinstance(path, str) and "." in path:
            try:
                importlib.import_module(path.rsplit(".", 1)[0])
            except ImportError:
                pass  # from_spec reports it
        for value in spec.values():
            _import_classes(value)
    elif isinstance(spec, list):
        for value in spec:
            _import_classes(value)


def _address_space_bytes() -> int | None:
    """This process's virtual memory size (Linux ``/proc``, else psutil when installed)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().vms


def _on_alarm(timeout: float):
    def handler(signum, frame):
        raise TrialTimeout(f"timed out: the trial ran longer than its limit of {timeout:g} s")

    return handler


def _run(task: TrialTask, data, *, worker: str) -> TrialResult:
    X, y, classes, weights = _training_data(task, data)
    pipeline = from_spec(task.pipeline_spec)
    featurizer = pipeline.steps[0][1]
    scheme = ValidationScheme.from_dict(task.scheme)
    fold_metrics, predictions, fit_time, score_time = [], [], 0.0, 0.0
    for index, (train, valid) in enumerate(scheme.splits(y)):
        X_train, X_valid, seconds = _featurized(task, featurizer, index, X, y, train, valid)
        fit_time += seconds.fit
        score_time += seconds.transform
        tail = Pipeline([(name, clone(step)) for name, step in pipeline.steps[1:]])
        started = time.perf_counter()
        fit_weighted(tail, X_train, y[train], _rows(weights, train))
        fit_time += time.perf_counter() - started
        started = time.perf_counter()
        metrics, predicted = _score(
            task.task, tail, X_valid, y[valid], classes, _rows(weights, valid)
        )
        score_time += time.perf_counter() - started
        fold_metrics.append(metrics)
        predictions.append(predicted)
    metrics = mean_metrics(fold_metrics)

    fitted_featurizer, X_all, seconds = _featurized_all(task, featurizer, X, y)
    fit_time += seconds.fit
    tail = Pipeline([(name, clone(step)) for name, step in pipeline.steps[1:]])
    started = time.perf_counter()
    fit_weighted(tail, X_all, y, weights)
    fit_time += time.perf_counter() - started
    model = Pipeline([(FEATURIZE_STEP, fitted_featurizer), *tail.steps])
    return TrialResult(
        task.run_id,
        metrics=metrics,
        fit_time=fit_time,
        score_time=score_time,
        model_bytes=_dump(model),
        worker=worker,
        validation_predictions=predictions,
    )


def _run_ensemble(task: TrialTask, data, cross_validate: bool, *, worker: str) -> TrialResult:
    X, y, classes, weights = _training_data(task, data)
    ensemble = from_spec(task.pipeline_spec)
    metrics, fit_time, score_time = {}, 0.0, 0.0
    predictions = None
    if cross_validate:
        fold_metrics, predictions = [], []
        for train, valid in ValidationScheme.from_dict(task.scheme).splits(y):
            started = time.perf_counter()
            model = fit_weighted(clone(ensemble), X.iloc[train], y[train], _rows(weights, train))
            fit_time += time.perf_counter() - started
            started = time.perf_counter()
            scored, predicted = _score(
                task.task, model, X.iloc[valid], y[valid], classes, _rows(weights, valid)
            )
            score_time += time.perf_counter() - started
            fold_metrics.append(scored)
            predictions.append(predicted)
        metrics = mean_metrics(fold_metrics)
    started = time.perf_counter()
    model = fit_weighted(clone(ensemble), X, y, weights)
    fit_time += time.perf_counter() - started
    return TrialResult(
        task.run_id,
        metrics=metrics,
        fit_time=fit_time,
        score_time=score_time,
        model_bytes=_dump(model),
        worker=worker,
        validation_predictions=predictions,
    )


def _dump(model) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def _training_data(task: TrialTask, data: bytes | None = None):
    """``(X, y, classes, weights)`` of the task's snapshot, read once per worker."""
    key = (task.snapshot_sha256, task.label, task.task, task.weight_column)
    if key not in _DATA:
        _DATA.clear()
        _FOLDS.clear()
        raw = data if data is not None else SHIPPED_DATA.get(task.snapshot_sha256)
        if raw is None:
            with open(task.snapshot_path, "rb") as handle:
                raw = handle.read()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != task.snapshot_sha256:
            raise RuntimeError(
                f"data snapshot {task.snapshot_path} changed on disk (SHA-256 {digest}, "
                f"expected {task.snapshot_sha256})"
            )
        frame = pd.read_parquet(io.BytesIO(raw))
        X, y, classes = prepare_training_data(frame, task.label, task.task, task.weight_column)
        _DATA[key] = X, y, classes, labelled_weights(frame, task.label, task.weight_column)
    return _DATA[key]


def _featurizer_key(task: TrialTask, fold) -> tuple:
    """Folds depend on the data, the featurizer and the validation scheme (a reused worker
    may serve experiments that split the same data differently)."""
    featurizer_spec = task.pipeline_spec["params"]["steps"][0]
    return (
        task.snapshot_sha256,
        json.dumps(featurizer_spec, sort_keys=True),
        json.dumps(task.scheme, sort_keys=True),
        fold,
    )


@dataclass(frozen=True)
class _Seconds:
    """What featurizing once cost; every trial that reuses the result counts it as its own,
    so a run's fit and score times are those of its whole pipeline."""

    fit: float
    transform: float = 0.0


def _featurized(task, featurizer, index, X, y, train, valid):
    key = _featurizer_key(task, ("fold", index))
    if key not in _FOLDS:
        fitted = clone(featurizer)
        started = time.perf_counter()
        X_train = fitted.fit_transform(X.iloc[train], y[train])
        fitted_at = time.perf_counter()
        X_valid = fitted.transform(X.iloc[valid])
        seconds = _Seconds(fitted_at - started, time.perf_counter() - fitted_at)
        _FOLDS[key] = (X_train, X_valid, seconds)
    return _FOLDS[key]


def _featurized_all(task, featurizer, X, y):
    key = _featurizer_key(task, "all")
    if key not in _FOLDS:
        fitted = clone(featurizer)
        started = time.perf_counter()
        X_all = fitted.fit_transform(X, y)
        _FOLDS[key] = (fitted, X_all, _Seconds(time.perf_counter() - started))
    return _FOLDS[key]


def _rows(weights, index):
    return None if weights is None else weights[index]


def _score(
    task_kind: str, model, X_valid, y_valid, classes, weights=None
) -> tuple[dict, np.ndarray]:
    """The metrics of a fitted model on validation rows (weighted by ``weights``), and its
    raw predictions there (in the model's own dtype, as scikit-learn's voting ensembles
    average them). Models answer in the data's labels; the metrics compare class codes
    (positions in ``classes``)."""
    if task_kind == "classification":
        proba = model.predict_proba(X_valid)
        metrics = classification_metrics(
            class_codes(y_valid, classes),
            class_codes(model.predict(X_valid), classes),
            proba,
            np.arange(len(classes)),
            sample_weight=weights,
        )
        return metrics, np.asarray(proba)
    predicted = model.predict(X_valid)
    return regression_metrics(y_valid, predicted, sample_weight=weights), np.asarray(predicted)

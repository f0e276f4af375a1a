"""Submitting an experiment: check the data, snapshot it, and run the search under its budget.

Trials run on a compute backend (``compute``): joblib's loky worker processes, or the workers of
a Dask cluster named by ``dask_scheduler``. The driver alone writes the run store. Results
are handed to the searcher in trial order, and trial k is proposed only once trials
0..k-workers are known, so the same seed, data and trial count give the same leaderboard
whatever the timing, while the workers stay busy.

The search leaves part of the time budget to the ensembles that end the experiment (see
``ensembles``): a share of it until trials are known, then their estimated cost from the
trials' fit times. Trials still running when the search's share ends are stopped and fail. An
ensemble that does not fit in the time left is skipped, and the reason is recorded on the
parent run; one still running at the deadline is stopped and fails.

A trial over its own time limit (``trial_timeout_seconds``) fails and the search goes on; so
does one whose worker process died (a crash, or the memory limit). ``resume`` continues an
interrupted experiment with the time and trials it had left, its finished trials kept and
replayed into the searcher so their configurations are not proposed again; those that were
ensemble candidates kept their validation predictions in the store, so the ensembles that end
the resumed experiment still choose among them.
"""

from __future__ import annotations

import errno
import os
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from ..codegen import CodegenError
from ..errors import UserInputError
from ..spec import to_spec
from ..store import RunStore, StoreError
from ..store.run_store import disk_full_message
from ..stored_code import generate_run_code
from .compute import Compute, DaskCompute, LocalCompute
from .config import AutoMLConfig
from .data import DataError, check_class_counts, check_training_frame, read_table
from .ensembles import (
    STACK,
    VOTING,
    Candidate,
    CandidatePool,
    EnsembleSkipped,
    check_time,
    plan_stack,
    plan_voting,
    reserve_seconds,
)
from .featurization import build_featurizer, group_descriptions
from .metrics import loss, ranking_value
from .preparation import prepare_training_data
from .profiling import FeaturizationPlan, profile_columns
from .progress import SearchProgress
from .runs import AutoMLRun
from .search import Searcher
from .timing import TrialTimes
from .trial import (
    FEATURIZE_STEP,
    TrialResult,
    TrialTask,
    run_ensemble,
    run_trial,
    timeout_message,
)
from .validation import ValidationScheme, choose_scheme
from .versions import library_versions
from .zoo import make_estimator, make_scaler

# A trial whose estimated duration overshoots the budget by more than this is not started.
BUDGET_SLACK = 0.02
# A starting point estimated to take more than this share of the search's time left is
# tried only when the draw after the first round picks it.
FIRST_ROUND_SHARE = 0.25
# The search and the ensembles end this much before the budget does: stopping the workers,
# choosing the best model and exiting take the rest.
WRAP_UP_SECONDS = 1.5
WRAP_UP_SHARE = 0.05


def submit(
    config: AutoMLConfig,
    training_data: pd.DataFrame | str | Path,
    *,
    store: RunStore | str | Path | None = None,
    experiment_name: str | None = None,
    show_progress: bool = True,
    started_at: float | None = None,
) -> AutoMLRun:
    """Run an AutoML experiment to completion and return its parent run.

    ``training_data`` is a DataFrame or the path of a CSV or Parquet file. Bad data raises
    ``DataError`` and bad settings ``ConfigError`` before anything is written to the store.

    The time budget counts from ``started_at`` (a ``time.monotonic()`` reading; default: this
    call), so reading, checking, storing and profiling the data are inside it; the command
    line passes the moment its process started.
    """
    started = time.monotonic() if started_at is None else started_at
    config.validate()
    if isinstance(training_data, (str, Path)):
        source = Path(training_data).name
        frame = read_table(training_data)
    else:
        source, frame = "DataFrame", training_data
    label, task = config.label_column_name, config.task
    if task == "forecasting":
        return _submit_forecasting(
            config, frame, source, store, experiment_name, show_progress, started
        )
    check_training_frame(frame, label, task)
    plan = profile_columns(frame, label)
    if not plan.groups():
        reasons = "; ".join(f"{c.name!r}: {c.reason}" for c in plan.columns[:5])
        raise DataError(f"every feature column was dropped ({reasons}); add informative columns.")
    _, y, classes = prepare_training_data(frame, label, task, plan)
    scheme = choose_scheme(
        task, len(y), config.seed, config.n_cross_validations, config.validation_size
    )
    if task == "classification":
        folds = check_class_counts(pd.Series(classes[y]), scheme.n_folds or 2)
        if scheme.kind == "cv" and folds < scheme.n_folds:
            scheme = choose_scheme(task, len(y), config.seed, folds)

    run_store = store if isinstance(store, RunStore) else RunStore(store)
    name = experiment_name or Path(source).stem
    experiment, parent = run_store.create_experiment(
        name,
        task=task,
        label=label,
        primary_metric=config.primary_metric,
        properties={"config": config.to_dict(), "source": source},
    )
    try:
        snapshot_path, snapshot_sha = _snapshot(run_store, experiment.id, frame)
        run_store.update_properties(
            parent.id,
            featurization=plan.to_dict(),
            featurization_descriptions=group_descriptions(plan),
            validation=scheme.to_dict(),
            validation_description=scheme.describe(),
            classes=None if classes is None else [_plain(c) for c in classes],
            rows=len(y),
            dropped_rows_without_label=int(len(frame) - len(y)),
        )
        _search(
            run_store,
            parent.id,
            config,
            plan,
            scheme,
            snapshot_path,
            snapshot_sha,
            y=y,
            n_classes=None if classes is None else len(classes),
            show_progress=show_progress,
            started=started,
        )
    except BaseException as error:
        _end_on_error(run_store, parent.id, error)
        raise
    return _finish(run_store, parent.id)


def resume(
    experiment_id: str,
    *,
    store: RunStore | str | Path | None = None,
    show_progress: bool = True,
    dask_scheduler: str | None = None,
) -> AutoMLRun:
    """Continue an interrupted (failed or canceled) experiment with the budget it had left.

    Its finished trials are kept, and replayed into the searcher in trial order so that the
    search goes on from what they found instead of proposing their configurations again.
    Trials the interruption stopped stay failed and do not count against the trial budget.
    The time left is the budget less the time from the experiment's start to its last
    recorded trial. ``dask_scheduler`` runs the rest on a cluster (the original setting is
    kept otherwise).
    """
    run_store = store if isinstance(store, RunStore) else RunStore(store)
    experiment = run_store.get_experiment(experiment_id)
    parent = run_store.get_run(experiment.parent_run_id)
    if parent.status not in ("failed", "canceled"):
        raise UserInputError(
            f"experiment {experiment_id} is {parent.status}; only an interrupted (failed or "
            "canceled) experiment can be resumed."
        )
    props = parent.properties
    if "validation" not in props or experiment.data_sha256 is None:
        raise UserInputError(
            f"experiment {experiment_id} stopped before its data was recorded; train it again."
        )
    config = AutoMLConfig(**props["config"])
    if dask_scheduler is not None:
        config.dask_scheduler = dask_scheduler
        config.trial_memory_mb = None
    config.validate()
    children = run_store.list_runs(experiment_id)
    trials = [c for c in children if c.algorithm not in (VOTING, STACK)]
    history = sorted(
        (c for c in trials if not _interrupted(c)), key=lambda c: c.properties.get("trial", 0)
    )
    stamps = [t for c in children for t in (c.ended_at, c.started_at) if t is not None]
    used = (max(stamps) - parent.started_at).total_seconds() if stamps else 0.0
    seconds_left = config.experiment_timeout_seconds - max(0.0, used)
    trials_left = None if config.max_trials is None else config.max_trials - len(history)
    if seconds_left <= 0 or (trials_left is not None and trials_left <= 0):
        raise UserInputError(
            f"experiment {experiment_id} has no budget left ({len(history)} trials finished, "
            f"{max(0.0, used):.0f} s of {config.experiment_timeout_seconds:g} s used)."
        )
    snapshot_path = str(run_store.data_snapshot_path(experiment_id))
    resumed = {
        "previous_error": parent.error,
        "seconds_used": round(max(0.0, used), 3),
        "finished_trials": len(history),
    }
    if config.task == "forecasting":
        return _resume_forecasting(
            run_store,
            experiment,
            config,
            history,
            snapshot_path,
            resumed,
            show_progress=show_progress,
            budget=seconds_left,
        )
    plan = FeaturizationPlan.from_dict(props["featurization"])
    scheme = ValidationScheme.from_dict(props["validation"])
    frame = run_store.load_data_snapshot(experiment_id)
    _, y, classes = prepare_training_data(frame, config.label_column_name, config.task, plan)
    run_store.reopen_parent(parent.id, resumed=resumed)
    try:
        _search(
            run_store,
            parent.id,
            config,
            plan,
            scheme,
            snapshot_path,
            experiment.data_sha256,
            y=y,
            n_classes=None if classes is None else len(classes),
            show_progress=show_progress,
            budget=seconds_left,
            history=history,
        )
    except BaseException as error:
        _end_on_error(run_store, parent.id, error)
        raise
    return _finish(run_store, parent.id)


def _resume_forecasting(
    run_store, experiment, config, history, snapshot_path, resumed, *, show_progress, budget
) -> AutoMLRun:
    """``resume`` of a forecasting experiment: its trial plan is fixed by the seed, so the
    planned trials that finished are skipped and the others run."""
    from .forecasting.series import ForecastSettings

    parent_id = experiment.parent_run_id
    settings = ForecastSettings.from_dict(run_store.get_run(parent_id).properties["forecasting"])
    run_store.reopen_parent(parent_id, resumed=resumed)
    try:
        _search_forecasting(
            run_store,
            parent_id,
            config,
            settings,
            snapshot_path,
            experiment.data_sha256,
            show_progress=show_progress,
            deadline=_deadline(time.monotonic(), budget),
            finished_trials=frozenset(c.properties.get("trial") for c in history),
        )
    except BaseException as error:
        _end_on_error(run_store, parent_id, error)
        raise
    return _finish(run_store, parent_id)


def _interrupted(child) -> bool:
    """Whether a child run was stopped by its driver's death (not by its own failure)."""
    return child.status in ("failed", "canceled") and (child.error or "").startswith(
        ("interrupted", "canceled")
    )


def _end_on_error(run_store: RunStore, parent_id: str, error: BaseException) -> None:
    """Mark the experiment failed (canceled on Ctrl-C); a full disk becomes a StoreError."""
    status = "canceled" if isinstance(error, KeyboardInterrupt) else "failed"
    try:
        run_store.finish_parent(parent_id, status, error=f"{type(error).__name__}: {error}")
    except StoreError:  # e.g. the disk is full: the next open of the store marks it failed
        pass
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        raise StoreError(disk_full_message(run_store.root, error.filename)) from error


def _finish(run_store: RunStore, parent_id: str) -> AutoMLRun:
    run = AutoMLRun(run_store, parent_id)
    board = run.leaderboard()  # best primary metric first, ties to the earlier trial
    if board:
        run_store.finish_parent(parent_id, "completed", best_run_id=board[0].id)
    else:
        error = "no trial completed; see the child runs' errors"
        run_store.finish_parent(parent_id, "failed", error=error)
    return run


def _submit_forecasting(config, frame, source, store, experiment_name, show_progress, started):
    """``submit`` for ``task="forecasting"`` (see ``forecasting/experiment.py``)."""
    from .forecasting import experiment as forecasting

    settings = forecasting.check_data(config, frame)
    run_store = store if isinstance(store, RunStore) else RunStore(store)
    experiment, parent = run_store.create_experiment(
        experiment_name or Path(source).stem,
        task=config.task,
        label=config.label_column_name,
        primary_metric=config.primary_metric,
        properties={"config": config.to_dict(), "source": source},
    )
    try:
        snapshot_path, snapshot_sha = _snapshot(run_store, experiment.id, frame)
        run_store.update_properties(parent.id, rows=len(frame))
        deadline = _deadline(started, config.experiment_timeout_seconds)
        _search_forecasting(
            run_store,
            parent.id,
            config,
            settings,
            snapshot_path,
            snapshot_sha,
            show_progress=show_progress,
            deadline=deadline,
        )
    except BaseException as error:
        _end_on_error(run_store, parent.id, error)
        raise
    return _finish(run_store, parent.id)


def _search_forecasting(run_store, parent_id, config, settings, snapshot_path, *args, **options):
    """``forecasting.search`` on the experiment's compute backend, recording into the store;
    ``args`` and ``options`` are passed on (the snapshot's SHA-256, deadline, ...)."""
    from .forecasting import experiment as forecasting

    compute = _compute(config, snapshot_path)
    try:
        forecasting.search(
            run_store,
            parent_id,
            config,
            settings,
            snapshot_path,
            *args,
            record=lambda run_id, future, elapsed: _record(
                run_store,
                run_id,
                _result(future, elapsed, config.trial_timeout_seconds),
                config,
                compute.name,
            ),
            compute=compute,
            **options,
        )
    finally:
        compute.close()


def _snapshot(run_store: RunStore, experiment_id: str, frame: pd.DataFrame):
    try:
        path, sha = run_store.save_data_snapshot(experiment_id, frame)
    except (TypeError, ValueError) as error:  # pyarrow refuses mixed-type object columns
        raise DataError(
            f"the data cannot be stored as Parquet ({error}); give each column a single type."
        ) from None
    return str(path), sha


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def _search(
    run_store,
    parent_id,
    config,
    plan,
    scheme,
    snapshot_path,
    snapshot_sha,
    *,
    y,
    n_classes,
    show_progress,
    started: float | None = None,
    budget: float | None = None,
    history: list | None = None,
) -> None:
    """Run trials until the time budget (less the ensembles' share) or the trial count is
    spent, then the ensembles. ``history``: finished child runs of an interrupted experiment,
    replayed into the searcher first (``budget`` is then the time it had left). The budget
    counts from ``started`` (default: now) and ends ``WRAP_UP_SECONDS`` early."""
    started = time.monotonic() if started is None else started
    budget = config.experiment_timeout_seconds if budget is None else budget
    deadline = _deadline(started, budget)
    compute = _compute(config, snapshot_path)
    try:
        _search_on(
            compute,
            run_store,
            parent_id,
            config,
            plan,
            scheme,
            snapshot_path,
            snapshot_sha,
            y=y,
            n_classes=n_classes,
            show_progress=show_progress,
            started=started,
            budget=budget,
            deadline=deadline,
            history=history or [],
        )
    finally:
        compute.close()


def _deadline(started: float, budget: float) -> float:
    """When the trials must end: the budget from ``started``, less the time to wrap up."""
    return started + budget - min(WRAP_UP_SECONDS, WRAP_UP_SHARE * budget)


def _compute(config: AutoMLConfig, snapshot_path: str) -> Compute:
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


def _search_on(
    compute,
    run_store,
    parent_id,
    config,
    plan,
    scheme,
    snapshot_path,
    snapshot_sha,
    *,
    y,
    n_classes,
    show_progress,
    started,
    budget,
    deadline,
    history,
) -> None:
    workers = compute.workers
    launcher = _TrialLauncher(
        run_store,
        parent_id,
        config,
        plan,
        build_featurizer(plan),
        scheme,
        snapshot_path,
        snapshot_sha,
        compute,
    )
    feature_count = max(1, len(plan.feature_columns))
    searcher = Searcher(config.task, config.algorithms(), config.seed, len(y), feature_count)
    for child in history:  # a resumed experiment: what its finished trials found
        value = child.primary_metric_value
        past = None if value is None else loss(config.primary_metric, value)
        searcher.tell(
            searcher.propose(child.algorithm), past if child.status == "completed" else None
        )
    y_valid = scheme.validation_labels(y)
    progress = SearchProgress(config, enabled=show_progress)
    pool = _pool_of(run_store, history, config.primary_metric)
    inflight: dict = {}  # future -> (proposal, run id, launch time, task)
    finished: dict[int, tuple] = {}  # trial number -> (proposal, loss), until told in order
    told = launched = len(history)
    times = TrialTimes()
    reserve = 0.0
    trial_limit = config.trial_timeout_seconds
    try:
        while True:
            while told in finished:
                searcher.tell(*finished.pop(told))
                told += 1
            now = time.monotonic()
            reserve = reserve_seconds(
                pool,
                budget,
                workers,
                voting=config.enable_voting_ensemble,
                stack=config.enable_stack_ensemble,
            )
            if len(pool) < 2 and now >= deadline - reserve:
                reserve = 0.0  # no ensemble can be built: the time goes back to the trials
            search_deadline = deadline - reserve
            budget_left = config.max_trials is None or launched < config.max_trials
            slot_free = len(inflight) < workers and told > launched - workers
            if budget_left and now < search_deadline and slot_free:
                proposal = _propose(searcher, times, search_deadline - now)
                if proposal is not None:
                    run_id, task = launcher.launch(proposal)
                    inflight[compute.submit(run_trial, task)] = (proposal, run_id, now, task)
                    launched += 1
                    continue
                budget_left = False
            if not inflight:
                break
            wake = search_deadline
            if trial_limit is not None:
                limit = trial_limit + compute.timeout_grace
                wake = min(wake, min(at + limit for _, _, at, _ in inflight.values()))
            done, _ = wait(inflight, timeout=max(0.0, wake - now), return_when=FIRST_COMPLETED)
            if not done and time.monotonic() >= search_deadline:
                # the search's time ran out with trials still running
                reason = (
                    "timed out: the experiment's time budget ran out before this trial finished"
                )
                if reserve > 0:
                    reason += " (the rest of the budget is reserved for the ensembles)"
                _fail_unfinished(run_store, inflight, reason)
                compute.stop()
                break
            if not done:  # trials over their own time limit
                for proposal, run_id in _over_limit(compute, inflight, trial_limit):
                    run_store.fail_run(run_id, timeout_message(trial_limit))
                    finished[proposal.number] = (proposal, None)
                    progress.update(None, deadline - time.monotonic())
                continue
            for future in done:
                proposal, run_id, launched_at, task = inflight.pop(future)
                elapsed = time.monotonic() - launched_at
                result = _result(future, elapsed, trial_limit)
                trial_loss = _record(
                    run_store,
                    run_id,
                    result,
                    config,
                    compute.name,
                    (y_valid, n_classes),
                    keep_predictions=partial(pool.admits, trial=proposal.number),
                )
                finished[proposal.number] = (proposal, trial_loss)
                if trial_loss is not None:
                    times.add(proposal.algorithm, proposal.cost, elapsed)
                    pool.add(
                        Candidate(
                            run_id,
                            proposal.algorithm,
                            proposal.number,
                            trial_loss,
                            result.fit_time,
                            task.pipeline_spec,
                            result.validation_predictions,
                        )
                    )
                progress.update(trial_loss, deadline - time.monotonic())
            if not budget_left and not inflight:
                break
        accounting = {
            "budget_seconds": budget,
            "reserved_seconds": round(reserve, 3),
            "search_ended_at_seconds": round(time.monotonic() - started, 3),
        }
        ensembles = _Ensembles(launcher, pool, y, n_classes, started, deadline, workers)
        accounting.update(ensembles.run())
        run_store.update_properties(parent_id, ensembles=accounting)
    finally:
        progress.close()


def _pool_of(run_store, history, metric: str) -> CandidatePool:
    """The ensembles' candidates among a resumed experiment's finished trials: those that
    entered the pool before the interruption kept their validation predictions."""
    pool = CandidatePool()
    for child in history:
        if child.status != "completed" or child.primary_metric_value is None:
            continue
        predictions = run_store.load_validation_predictions(child.id)
        if predictions is not None:
            pool.add(
                Candidate(
                    child.id,
                    child.algorithm,
                    child.properties.get("trial", 0),
                    loss(metric, child.primary_metric_value),
                    child.fit_time or 0.0,
                    child.spec,
                    predictions,
                )
            )
    return pool


def _over_limit(compute: Compute, inflight: dict, trial_limit: float):
    """Take the trials running longer than their limit out of ``inflight``."""
    now = time.monotonic()
    for future, (proposal, run_id, launched_at, _) in list(inflight.items()):
        if now >= launched_at + trial_limit + compute.timeout_grace:
            del inflight[future]
            compute.abandon(future)
            yield proposal, run_id


class _Ensembles:
    """The ensembles that end an experiment, fitted in the workers inside the time left."""

    def __init__(self, launcher, pool, y, n_classes, started, deadline, workers):
        self.launcher, self.pool, self.y, self.n_classes = launcher, pool, y, n_classes
        self.y_valid = launcher.scheme.validation_labels(y)
        self.started, self.deadline, self.workers = started, deadline, workers

    def run(self) -> dict:
        """Plan, launch and record each ensemble; returns what happened to each, by name."""
        config = self.launcher.config
        wanted = [
            name
            for name, enabled in (
                (VOTING, config.enable_voting_ensemble),
                (STACK, config.enable_stack_ensemble),
            )
            if enabled
        ]
        report, inflight = {}, {}  # future -> (plan, run id)
        for name in wanted:
            try:
                plan = self._plan(name, self._seconds_left(inflight))
                # Planning (the greedy selection) took time too: check again, with the
                # slack a trial's estimate gets.
                seconds_left = self._seconds_left(inflight)
                check_time(plan.estimated_seconds, seconds_left * (1 + BUDGET_SLACK))
            except EnsembleSkipped as skipped:
                report[name] = {"status": "skipped", "reason": str(skipped)}
                continue
            run_id, task = self.launcher.launch_ensemble(plan, self._elapsed(), seconds_left)
            future = self.launcher.compute.submit(run_ensemble, task, plan.metrics is None)
            inflight[future] = (plan, run_id)
            report[name] = {"run_id": run_id}
        pending = set(inflight)
        while pending:  # record each ensemble as soon as it ends
            timeout = max(0.0, self.deadline - time.monotonic())
            done, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            if not done:
                self.launcher.compute.stop()
                break
            for future in done:
                plan, run_id = inflight[future]
                report[plan.algorithm]["status"] = self._finish(future, plan, run_id, True)
        for future in pending:
            plan, run_id = inflight[future]
            report[plan.algorithm]["status"] = self._finish(future, plan, run_id, False)
        return report

    def _finish(self, future, plan, run_id: str, finished: bool) -> str:
        """Record an ensemble's result (or its timeout) and when it ended; its status."""
        store = self.launcher.run_store
        budget = store.get_run(run_id).properties["budget"]
        store.update_properties(run_id, budget={**budget, "ended_at_seconds": self._elapsed()})
        if not finished:
            store.fail_run(
                run_id, "timed out: the experiment's time budget ran out before it finished"
            )
            return "failed"
        result = _result(future)
        if plan.metrics is not None and result.error is None:
            result.metrics, result.validation_predictions = plan.metrics, plan.predictions
        config, compute = self.launcher.config, self.launcher.compute.name
        _record(store, run_id, result, config, compute, (self.y_valid, self.n_classes))
        return store.get_run(run_id).status

    def _seconds_left(self, inflight: dict) -> float:
        """Time left for the next ensemble, less what it waits for a worker."""
        seconds_left = self.deadline - time.monotonic()
        if len(inflight) >= self.workers:
            seconds_left -= sum(plan.estimated_seconds for plan, _ in inflight.values())
        return seconds_left

    def _plan(self, name: str, seconds_left: float):
        if len(self.pool) < 2:
            raise EnsembleSkipped("fewer than two trials completed")
        config = self.launcher.config
        if name == VOTING:
            splits = self.launcher.scheme.splits(self.y)
            return plan_voting(
                self.pool,
                self.y,
                splits,
                config.task,
                config.primary_metric,
                self.n_classes,
                seconds_left,
            )
        return plan_stack(self.pool, config.task, seconds_left)

    def _elapsed(self) -> float:
        return round(time.monotonic() - self.started, 3)


def _propose(searcher: Searcher, times: TrialTimes, seconds_left: float):
    """The next proposal whose estimated duration fits in the time left, else None. A
    starting point that would take more than ``FIRST_ROUND_SHARE`` of it waits for the draw
    that follows the first round (on large data, slow starts would fill the whole budget)."""
    excluded: set[str] = set()
    deferred: set[str] = set()
    while True:
        name = searcher.choose_algorithm(frozenset(excluded), frozenset(deferred))
        if name is None:
            return None
        starting = searcher.starting_point(name)
        estimate = times.estimate(name, searcher.estimated_cost(name), starting_point=starting)
        if estimate > seconds_left * (1 + BUDGET_SLACK):
            excluded.add(name)
        elif starting and name not in deferred and estimate > FIRST_ROUND_SHARE * seconds_left:
            deferred.add(name)
        else:
            return searcher.propose(name)


@dataclass(frozen=True)
class _TrialLauncher:
    """What every trial of one experiment shares; makes a child run and its task per proposal."""

    run_store: RunStore
    parent_id: str
    config: AutoMLConfig
    plan: FeaturizationPlan
    featurizer: object
    scheme: ValidationScheme
    snapshot_path: str
    snapshot_sha: str
    compute: Compute

    def launch(self, proposal) -> tuple[str, TrialTask]:
        steps = [(FEATURIZE_STEP, self.featurizer)]
        scaler = make_scaler(proposal.scaler)
        if scaler is not None:
            steps.append(("scale", scaler))
        model = make_estimator(
            proposal.algorithm, self.config.task, proposal.params, self.config.seed
        )
        steps.append(("model", model))
        spec = to_spec(Pipeline(steps))
        run = self.run_store.create_child_run(
            self.parent_id,
            algorithm=proposal.algorithm,
            spec=spec,
            properties={
                "scaler": proposal.scaler,
                "hyperparameters": proposal.params,
                "trial": proposal.number,
            },
        )
        return run.id, self._start(run.id, spec)

    def launch_ensemble(self, plan, started_at: float, seconds_left: float):
        """The child run of an ensemble and its task; the run records its members and the
        time accounting it started under (seconds since the experiment started)."""
        properties = {
            "members": plan.members,
            "scoring": plan.scoring,
            "budget": {
                "estimated_seconds": round(plan.estimated_seconds, 3),
                "started_at_seconds": started_at,
                "seconds_left": round(seconds_left, 3),
                "budget_seconds": self.config.experiment_timeout_seconds,
            },
        }
        if plan.meta_learner is not None:
            properties["meta_learner"] = plan.meta_learner
        run = self.run_store.create_child_run(
            self.parent_id, algorithm=plan.algorithm, spec=plan.spec, properties=properties
        )
        return run.id, self._start(run.id, plan.spec)

    def _start(self, run_id: str, spec: dict) -> TrialTask:
        self.run_store.start_run(run_id)
        return TrialTask(
            run_id=run_id,
            snapshot_path=self.snapshot_path,
            snapshot_sha256=self.snapshot_sha,
            label=self.config.label_column_name,
            task=self.config.task,
            pipeline_spec=spec,
            scheme=self.scheme.to_dict(),
            plan=self.plan.to_dict(),
            timeout_seconds=self.config.trial_timeout_seconds,
            memory_mb=self.config.trial_memory_mb,
        )


def _result(future, elapsed: float | None = None, limit: float | None = None) -> TrialResult:
    """A finished task's result; a worker process that died gives a failed result (a timed
    out one when it died past the trial's time limit: the worker ended itself)."""
    try:
        return future.result()
    except Exception as error:  # the worker process died (crash, out of memory, time limit)
        if limit is not None and elapsed is not None and elapsed >= limit:
            return TrialResult("", error=timeout_message(limit))
        error_text = f"the worker process ended: {type(error).__name__}: {error}"
        if "SIGSEGV" in error_text or "-11" in error_text:
            error_text += " (segmentation fault)"
        return TrialResult("", error=error_text)


def _record(
    run_store,
    run_id,
    result: TrialResult,
    config,
    compute: str,
    validation=(None, None),
    keep_predictions=None,
) -> float | None:
    """Store a finished trial; return its loss, or None when it failed. ``validation``: the
    labels of every split's validation rows, pooled, and the number of classes.
    ``keep_predictions(loss)``: whether to keep the trial's validation predictions (for the
    ensembles of a resumed experiment); they are kept before the run is completed, so a
    completed candidate always has them."""
    if result.error is not None:
        if result.worker:
            run_store.update_properties(run_id, worker=result.worker, compute=compute)
        run_store.fail_run(run_id, result.error, fit_time=result.fit_time)
        return None
    y_valid, n_classes = validation
    predictions = result.validation_predictions
    value = ranking_value(config.primary_metric, result.metrics, y_valid, predictions, n_classes)
    spec = run_store.get_run(run_id).spec
    run_store.update_properties(run_id, worker=result.worker, compute=compute)
    trial_loss = None if value is None else loss(config.primary_metric, value)
    keep = keep_predictions is not None and predictions is not None and trial_loss is not None
    if keep and keep_predictions(trial_loss):
        run_store.save_validation_predictions(run_id, predictions)
    run_store.complete_run(
        run_id,
        metrics=result.metrics,
        primary_metric_value=value,
        fit_time=result.fit_time,
        score_time=result.score_time,
        model_bytes=result.model_bytes,
        versions=library_versions(spec),
    )
    if config.enable_code_generation:
        try:
            generate_run_code(run_store, run_id)
        except CodegenError as error:  # the model stays usable; say why its code is missing
            run_store.update_properties(run_id, code_generation_error=str(error))
    return trial_loss


def _fail_unfinished(run_store, inflight: dict, reason: str) -> None:
    for _, run_id, *_ in inflight.values():
        run_store.fail_run(run_id, reason)
    inflight.clear()


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1

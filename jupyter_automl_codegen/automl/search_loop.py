"""The tabular search: trials launched on the compute backend, told to the searcher in trial
order, until the time budget (less the ensembles' share) or the trial count is spent; then the
ensembles that end the experiment.

Results are handed to the searcher in trial order, and trial k is proposed only once trials
0..k-workers are known, so the same seed, data and trial count give the same leaderboard
whatever the timing, while the workers stay busy. A trial over its own time limit
(``trial_timeout_seconds``) fails and the search goes on; trials still running when the
search's share of the budget ends are stopped and fail.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..store import RunStore
from .compute import Compute
from .config import AutoMLConfig
from .ensembles import Candidate, reserve_seconds
from .featurization import build_featurizer
from .final_ensembles import FinalEnsembles, candidate_pool
from .launcher import TrialLauncher
from .metrics import loss
from .profiling import FeaturizationPlan
from .progress import SearchProgress
from .recording import record_result, trial_result
from .search import Proposal, Searcher
from .timing import BUDGET_SLACK, TrialTimes
from .trial import TrialTask, run_trial, timeout_message
from .validation import ValidationScheme
from .weights import validation_weights

# A starting point estimated to take more than this share of the search's time left is
# tried only when the draw after the first round picks it.
FIRST_ROUND_SHARE = 0.25
SEARCH_TIMED_OUT = "timed out: the experiment's time budget ran out before this trial finished"


@dataclass(frozen=True, eq=False)
class SearchSettings:
    """Everything one tabular search runs on, fixed before its first trial.

    ``started`` is a ``time.monotonic()`` reading the ``budget`` (seconds) counts from, and
    ``deadline`` when the trials and ensembles must end. ``history``: the finished child runs
    of an interrupted experiment, replayed into the searcher first.
    """

    run_store: RunStore
    parent_id: str
    config: AutoMLConfig
    plan: FeaturizationPlan
    scheme: ValidationScheme
    snapshot_path: str
    snapshot_sha: str
    y: np.ndarray
    n_classes: int | None
    show_progress: bool
    started: float
    budget: float
    deadline: float
    history: tuple = ()
    weights: np.ndarray | None = None  # the labelled rows' sample weights, if any


@dataclass(frozen=True)
class InFlightTrial:
    """A trial running on a worker: what was proposed, its child run, when it was launched
    (a ``time.monotonic()`` reading) and the task the worker runs."""

    proposal: Proposal
    run_id: str
    launched_at: float
    task: TrialTask


@dataclass
class _Told:
    """Finished trials wait here until every earlier trial is known, then go to the searcher."""

    next_number: int
    waiting: dict = field(default_factory=dict)  # trial number -> (proposal, loss)


class TabularSearch:
    """One experiment's search on ``compute``; ``run`` ends with the final ensembles."""

    def __init__(self, settings: SearchSettings, compute: Compute):
        self.settings, self.compute = settings, compute
        config = settings.config
        self.config = config
        self.launcher = TrialLauncher(
            settings.run_store,
            settings.parent_id,
            config,
            settings.plan,
            build_featurizer(settings.plan),
            settings.scheme,
            settings.snapshot_path,
            settings.snapshot_sha,
            compute,
        )
        feature_count = max(1, len(settings.plan.feature_columns))
        self.searcher = Searcher(
            config.task, config.algorithms(), config.seed, len(settings.y), feature_count
        )
        self._replay(settings.history)
        self.y_valid = settings.scheme.validation_labels(settings.y)
        self.w_valid = validation_weights(settings.scheme, settings.y, settings.weights)
        self.pool = candidate_pool(settings.run_store, settings.history, config.primary_metric)
        self.inflight: dict = {}  # future -> InFlightTrial
        self.told = _Told(len(settings.history))
        self.launched = len(settings.history)
        self.times = TrialTimes()
        self.reserve = 0.0
        self.progress = None

    def run(self) -> None:
        """Search, then fit the ensembles; records their time accounting on the parent run."""
        self.progress = SearchProgress(self.config, enabled=self.settings.show_progress)
        try:
            self._search()
            self._end_with_ensembles()
        finally:
            self.progress.close()

    def _replay(self, history) -> None:
        """A resumed experiment: tell the searcher what its finished trials found."""
        for child in history:
            value = child.primary_metric_value
            past = None if value is None else loss(self.config.primary_metric, value)
            self.searcher.tell(
                self.searcher.propose(child.algorithm),
                past if child.status == "completed" else None,
            )

    def _search(self) -> None:
        while True:
            self._tell_in_order()
            now = time.monotonic()
            search_deadline = self._search_deadline(now)
            launching = self._trials_left() and now < search_deadline and self._slot_free()
            if launching and self.fill_slot(now, search_deadline):
                continue
            budget_left = self._trials_left() and not launching  # no proposal fits: stop
            if not self.inflight:
                break
            done = self._wait(now, search_deadline)
            if not done and time.monotonic() >= search_deadline:
                self.fail_unfinished()
                self.compute.stop()
                break
            if not done:
                self.expire_over_limit()
                continue
            self.collect(done)
            if not budget_left and not self.inflight:
                break

    def _tell_in_order(self) -> None:
        while self.told.next_number in self.told.waiting:
            self.searcher.tell(*self.told.waiting.pop(self.told.next_number))
            self.told.next_number += 1

    def _search_deadline(self, now: float) -> float:
        """The trials' deadline: the experiment's, less the time reserved for the ensembles
        (none while fewer than two candidates exist and the time would run out)."""
        config = self.config
        self.reserve = reserve_seconds(
            self.pool,
            self.settings.budget,
            self.compute.workers,
            voting=config.enable_voting_ensemble,
            stack=config.enable_stack_ensemble,
        )
        if len(self.pool) < 2 and now >= self.settings.deadline - self.reserve:
            self.reserve = 0.0  # no ensemble can be built: the time goes back to the trials
        return self.settings.deadline - self.reserve

    def _trials_left(self) -> bool:
        return self.config.max_trials is None or self.launched < self.config.max_trials

    def _slot_free(self) -> bool:
        """A worker is free, and launching would not run ahead of the trials told."""
        workers = self.compute.workers
        return len(self.inflight) < workers and self.told.next_number > self.launched - workers

    def fill_slot(self, now: float, search_deadline: float) -> bool:
        """Launch the next proposal that fits in the time left; False when none does."""
        proposal = propose(self.searcher, self.times, search_deadline - now)
        if proposal is None:
            return False
        run_id, task = self.launcher.launch(proposal)
        future = self.compute.submit(run_trial, task)
        self.inflight[future] = InFlightTrial(proposal, run_id, now, task)
        self.launched += 1
        return True

    def _wait(self, now: float, search_deadline: float) -> set:
        """Wait for a trial to end, until the search's deadline or the first trial limit."""
        wake = search_deadline
        trial_limit = self.config.trial_timeout_seconds
        if trial_limit is not None:
            limit = trial_limit + self.compute.timeout_grace
            wake = min(wake, min(t.launched_at + limit for t in self.inflight.values()))
        done, _ = wait(self.inflight, timeout=max(0.0, wake - now), return_when=FIRST_COMPLETED)
        return done

    def fail_unfinished(self) -> None:
        """The search's time ran out with trials still running: each fails, saying why."""
        reason = SEARCH_TIMED_OUT
        if self.reserve > 0:
            reason += " (the rest of the budget is reserved for the ensembles)"
        for trial in self.inflight.values():
            self.settings.run_store.fail_run(trial.run_id, reason)
        self.inflight.clear()

    def expire_over_limit(self) -> None:
        """Fail the trials running longer than their own limit (and the backend's grace)."""
        trial_limit = self.config.trial_timeout_seconds
        if trial_limit is None:
            return
        now = time.monotonic()
        for future, trial in list(self.inflight.items()):
            if now >= trial.launched_at + trial_limit + self.compute.timeout_grace:
                del self.inflight[future]
                self.compute.abandon(future)
                self.settings.run_store.fail_run(trial.run_id, timeout_message(trial_limit))
                self.told.waiting[trial.proposal.number] = (trial.proposal, None)
                self.progress.update(None, self.settings.deadline - time.monotonic())

    def collect(self, done) -> None:
        """Record each finished trial; the completed ones become ensemble candidates."""
        settings = self.settings
        for future in done:
            trial = self.inflight.pop(future)
            proposal = trial.proposal
            elapsed = time.monotonic() - trial.launched_at
            result = trial_result(future, elapsed, self.config.trial_timeout_seconds)
            trial_loss = record_result(
                settings.run_store,
                trial.run_id,
                result,
                self.config,
                self.compute.name,
                (self.y_valid, settings.n_classes, self.w_valid),
                keep_predictions=partial(self.pool.admits, trial=proposal.number),
            )
            self.told.waiting[proposal.number] = (proposal, trial_loss)
            if trial_loss is not None:
                self.times.add(proposal.algorithm, proposal.cost, elapsed)
                self.pool.add(
                    Candidate(
                        trial.run_id,
                        proposal.algorithm,
                        proposal.number,
                        trial_loss,
                        result.fit_time,
                        trial.task.pipeline_spec,
                        result.validation_predictions,
                    )
                )
            self.progress.update(trial_loss, settings.deadline - time.monotonic())

    def _end_with_ensembles(self) -> None:
        settings = self.settings
        accounting = {
            "budget_seconds": settings.budget,
            "reserved_seconds": round(self.reserve, 3),
            "search_ended_at_seconds": round(time.monotonic() - settings.started, 3),
        }
        ensembles = FinalEnsembles(
            self.launcher,
            self.pool,
            settings.y,
            settings.n_classes,
            settings.started,
            settings.deadline,
            self.compute.workers,
            settings.weights,
        )
        accounting.update(ensembles.run())
        settings.run_store.update_properties(settings.parent_id, ensembles=accounting)


def propose(searcher: Searcher, times: TrialTimes, seconds_left: float):
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

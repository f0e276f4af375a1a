"""The ensembles that end a tabular experiment, fitted in the workers inside the time left,
and the candidates they choose among (see ``ensembles`` for how each is planned).

An ensemble that does not fit in the time left is skipped, and the reason is recorded on the
parent run; one still running at the deadline is stopped and fails.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, wait

from .ensembles import (
    STACK,
    VOTING,
    Candidate,
    CandidatePool,
    EnsembleSkipped,
    check_time,
    plan_stack,
    plan_voting,
)
from .metrics import loss
from .recording import record_result, trial_result
from .timing import BUDGET_SLACK
from .trial import run_ensemble
from .weights import validation_weights


def candidate_pool(run_store, history, metric: str) -> CandidatePool:
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


class FinalEnsembles:
    """The ensembles that end an experiment, fitted in the workers inside the time left."""

    def __init__(self, launcher, pool, y, n_classes, started, deadline, workers, weights=None):
        self.launcher, self.pool, self.y, self.n_classes = launcher, pool, y, n_classes
        self.weights = weights  # the labelled rows' sample weights, if any
        self.y_valid = launcher.scheme.validation_labels(y)
        self.w_valid = validation_weights(launcher.scheme, y, weights)
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
        result = trial_result(future)
        if plan.metrics is not None and result.error is None:
            result.metrics, result.validation_predictions = plan.metrics, plan.predictions
        config, compute = self.launcher.config, self.launcher.compute.name
        validation = (self.y_valid, self.n_classes, self.w_valid)
        record_result(store, run_id, result, config, compute, validation)
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
                self.weights,
            )
        return plan_stack(self.pool, config.task, seconds_left)

    def _elapsed(self) -> float:
        return round(time.monotonic() - self.started, 3)

"""Ensembles of an experiment's trained pipelines: soft voting and stacking.

**VotingEnsemble**: greedy ensemble selection with replacement (Caruana et al., 2004) over the
best completed trials. It starts from the best single trial and, for ``SELECTION_ITERATIONS``
rounds, adds the trial (again, possibly) whose addition gives the best primary metric of the
averaged validation predictions; the ensemble kept is the best one met on the way, and the
number of times each trial was picked, divided by their greatest common divisor, is its
integer weight. Selection judges the pooled validation predictions of all splits at once (one
metric call per candidate instead of one per split), stops early after
``SELECTION_PATIENCE`` rounds without improvement, and never spends more than half of the time
left.

**StackEnsemble**: the best trial of each of the ``STACK_FAMILIES`` strongest algorithm
families, under a meta learner (LogisticRegression for classification, RidgeCV for
regression) that scikit-learn trains on the members' out-of-fold predictions from
``STACK_INNER_FOLDS``-fold cross-validation (3 rather than scikit-learn's default 5: every
fit of a stack fits each member once per inner fold and once more, so the inner folds
multiply its cost).

Both are scikit-learn's own ``VotingClassifier`` / ``VotingRegressor`` /
``StackingClassifier`` / ``StackingRegressor`` whose members are whole pipelines
(featurization, scaler, model), so their specs and generated code need nothing of ours.

**Scores.** On every split, soft voting averages the members' validation predictions with the
weights (``np.average``, as scikit-learn does), which is exactly what cross-validating the
voting ensemble on the same splits computes, because each member is deterministic and was
fitted on that split's training rows: so the voting ensemble is scored from its members'
predictions, without refitting (its generated script cross-validates it and gets the same
metrics). The weights were chosen on these same predictions, so its score is optimistic in the
way any choice made on validation data is. A stack's meta learner learns from predictions, so
the stack is cross-validated as a whole on the experiment's splits.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import (
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
    VotingRegressor,
)
from sklearn.linear_model import LogisticRegression, RidgeCV

from ..spec import from_spec, to_spec
from .metrics import loss, mean_metrics, prediction_metrics, ranking_value
from .zoo import ALGORITHMS

VOTING = "VotingEnsemble"
STACK = "StackEnsemble"

MAX_CANDIDATES = 20  # best completed trials kept, with their validation predictions
SELECTION_ITERATIONS = 20
SELECTION_PATIENCE = 5
STACK_FAMILIES = 4
STACK_INNER_FOLDS = 3
# Time held back for the ensembles: a share of the budget until two trials are known, then
# the estimate from the trials' fit times, never more than the larger share (and nothing for
# an ensemble whose estimate exceeds that share: it would be skipped anyway).
INITIAL_RESERVE_SHARE = 0.1
MAX_RESERVE_SHARE = 0.25
VOTING_ESTIMATE_MEMBERS = 5  # the estimate assumes the voting ensemble has this many members
ESTIMATE_MARGIN = 1.25
# A stack also predicts on every inner and outer validation fold and runs beside the voting
# ensemble's fit and code generation, so its estimate gets a wider margin (a guess: on the
# shared 2-core machine one stack ran more than 2.7 times its members' fit times, another 0.7).
STACK_MARGIN = 2.0
OVERHEAD_SECONDS = 1.0  # storing the model and generating the code of one ensemble

VOTING_SCORING = (
    "from the members' validation predictions on the experiment's splits, averaged with the "
    "weights (equal to cross-validating the ensemble; weights chosen on these predictions)"
)
STACK_SCORING = "by validating the whole stack on the experiment's splits"


class EnsembleSkipped(Exception):
    """An ensemble that is not built; the message says why."""


@dataclass(frozen=True)
class Candidate:
    """A completed trial an ensemble may use."""

    run_id: str
    algorithm: str
    trial: int
    loss: float
    fit_time: float  # its validation fits and its final fit
    spec: dict
    predictions: list  # per split: predictions on the split's validation rows

    @property
    def name(self) -> str:
        """The member's name inside the ensemble, e.g. ``lightgbm_7``."""
        return f"{self.algorithm.lower()}_{self.trial}"

    def seconds_per_fit(self) -> float:
        return self.fit_time / (len(self.predictions) + 1)


class CandidatePool:
    """The best ``MAX_CANDIDATES`` completed trials, best first (ties: the earlier trial)."""

    def __init__(self, limit: int = MAX_CANDIDATES):
        self._limit = limit
        self._ranked: list[Candidate] = []

    def add(self, candidate: Candidate) -> None:
        if candidate.predictions is None or not math.isfinite(candidate.loss):
            return
        self._ranked.append(candidate)
        self._ranked.sort(key=lambda c: (c.loss, c.trial))
        del self._ranked[self._limit :]

    def admits(self, loss: float, trial: int) -> bool:
        """Whether a trial with this loss would be among the best ``limit`` once added."""
        if not math.isfinite(loss):
            return False
        if len(self._ranked) < self._limit:
            return True
        worst = self._ranked[-1]
        return (loss, trial) < (worst.loss, worst.trial)

    def ranked(self) -> list[Candidate]:
        return list(self._ranked)

    def without(self, candidate: Candidate) -> CandidatePool:
        """A copy of the pool without ``candidate``."""
        pool = CandidatePool(self._limit)
        pool._ranked = [c for c in self._ranked if c is not candidate]
        return pool

    def __len__(self) -> int:
        return len(self._ranked)


@dataclass(frozen=True)
class EnsemblePlan:
    """An ensemble ready to fit: its spec, its members and what it should cost."""

    algorithm: str
    spec: dict
    members: list[dict]  # {"run_id", "algorithm", "name"[, "weight"]}
    estimated_seconds: float
    metrics: dict | None  # known already (voting), else validated by fitting (stack)
    scoring: str
    meta_learner: str | None = None
    predictions: list | None = None  # per split, on its validation rows (voting)


# --- estimates --------------------------------------------------------------------------------


def voting_seconds(members: list[Candidate]) -> float:
    """One fit of every member on all rows (the score needs no fit)."""
    return sum(c.seconds_per_fit() for c in members) * ESTIMATE_MARGIN + OVERHEAD_SECONDS


def stack_seconds(members: list[Candidate]) -> float:
    """Per split and for the final fit: every member fitted once per inner fold and once more."""
    if not members:
        return OVERHEAD_SECONDS
    fits = (len(members[0].predictions) + 1) * (STACK_INNER_FOLDS + 1)
    per_fit = sum(c.seconds_per_fit() for c in members)
    return fits * per_fit * STACK_MARGIN + OVERHEAD_SECONDS


def reserve_seconds(
    pool: CandidatePool, budget: float, workers: int, *, voting: bool, stack: bool
) -> float:
    """The time the search leaves to the ensembles that are turned on."""
    if not (voting or stack):
        return 0.0
    if len(pool) < 2:
        return INITIAL_RESERVE_SHARE * budget
    needed = []
    if voting:
        needed.append(voting_seconds(pool.ranked()[:VOTING_ESTIMATE_MEMBERS]))
    if stack:
        needed.append(stack_seconds(stack_members(pool)))
    # An ensemble that needs more than the largest share will be skipped: keep no time for it.
    needed = [seconds for seconds in needed if seconds <= MAX_RESERVE_SHARE * budget]
    if not needed:
        return 0.0
    total = max(needed) if workers >= 2 else sum(needed)
    return min(MAX_RESERVE_SHARE * budget, total)


# --- voting -----------------------------------------------------------------------------------


def greedy_selection(
    pool: CandidatePool,
    y,
    splits,
    task: str,
    metric: str,
    n_classes: int | None,
    seconds: float = math.inf,
    sample_weight=None,
) -> list[tuple[Candidate, int]]:
    """Caruana's ensemble selection: ``(candidate, integer weight)``, best candidate first;
    it stops after ``seconds`` with the best ensemble found so far. ``sample_weight``: the
    rows' sample weights (all rows, like ``y``) that weigh every score, if any."""
    stop_at = time.monotonic() + seconds
    ranked = pool.ranked()
    if not ranked:
        raise EnsembleSkipped("no completed trial to ensemble")
    rows = np.concatenate([valid for _, valid in splits])
    y_valid = y[rows]
    w_valid = None if sample_weight is None else sample_weight[rows]
    pooled = [np.concatenate(c.predictions).astype(float) for c in ranked]

    def blend_loss(total, size):
        blend = total / size
        value = prediction_metrics(
            task, y_valid, blend, n_classes, names=(metric,), sample_weight=w_valid
        )
        return loss(metric, ranking_value(metric, value, y_valid, [blend], n_classes, w_valid))

    counts = [1] + [0] * (len(ranked) - 1)
    total = pooled[0].copy()
    best_loss, best_counts, best_size = blend_loss(total, 1), list(counts), 1
    for size in range(2, SELECTION_ITERATIONS + 1):
        if size - best_size > SELECTION_PATIENCE or time.monotonic() > stop_at:
            break
        losses = [blend_loss(total + p, size) for p in pooled]
        pick = int(np.argmin(losses))  # the first minimum: the better trial on ties
        counts[pick] += 1
        total = total + pooled[pick]
        if losses[pick] < best_loss:
            best_loss, best_counts, best_size = losses[pick], list(counts), size
    divisor = math.gcd(*best_counts)
    return [(c, n // divisor) for c, n in zip(ranked, best_counts, strict=True) if n]


def voting_validation(
    members: list[tuple[Candidate, int]], y, splits, task, n_classes, sample_weight=None
) -> tuple[dict, list]:
    """The voting ensemble's metrics on every split (weighted by ``sample_weight``, the rows'
    sample weights, if any), averaged (what its validation gives), and its predictions on
    each split's validation rows."""
    weights = [weight for _, weight in members]
    fold_metrics, blends = [], []
    for index, (_, valid) in enumerate(splits):
        stacked = np.asarray([c.predictions[index] for c, _ in members])
        if task == "classification":  # as VotingClassifier.predict_proba
            blend = np.average(stacked, axis=0, weights=weights)
        else:  # as VotingRegressor.predict
            blend = np.average(stacked.T, axis=1, weights=weights)
        rows_weights = None if sample_weight is None else sample_weight[valid]
        fold_metrics.append(
            prediction_metrics(task, y[valid], blend, n_classes, sample_weight=rows_weights)
        )
        blends.append(blend)
    return mean_metrics(fold_metrics), blends


def plan_voting(
    pool, y, splits, task: str, metric: str, n_classes, seconds_left: float, sample_weight=None
) -> EnsemblePlan:
    stop_at = time.monotonic() + seconds_left / 2  # for the selection
    while True:
        seconds = max(0.0, stop_at - time.monotonic())
        members = greedy_selection(pool, y, splits, task, metric, n_classes, seconds, sample_weight)
        if len(members) < 2:
            raise EnsembleSkipped(
                "greedy selection found no blend better than the best single trial"
            )
        estimate = voting_seconds([c for c, _ in members])
        if estimate <= seconds_left or len(pool) <= 2 or seconds == 0.0:
            break
        # too slow to refit in the time left: select again without the slowest member
        pool = pool.without(max((c for c, _ in members[1:]), key=Candidate.seconds_per_fit))
    check_time(estimate, seconds_left)
    metrics, predictions = voting_validation(members, y, splits, task, n_classes, sample_weight)
    estimators = [(c.name, from_spec(c.spec)) for c, _ in members]
    weights = [weight for _, weight in members]
    if task == "classification":
        ensemble = VotingClassifier(estimators=estimators, voting="soft", weights=weights)
    else:
        ensemble = VotingRegressor(estimators=estimators, weights=weights)
    return EnsemblePlan(
        algorithm=VOTING,
        spec=to_spec(ensemble),
        members=[{**_member(c), "weight": weight} for c, weight in members],
        estimated_seconds=estimate,
        metrics=metrics,
        predictions=predictions,
        scoring=VOTING_SCORING,
    )


# --- stacking ---------------------------------------------------------------------------------


def stack_members(pool: CandidatePool) -> list[Candidate]:
    """The best trial of each of the ``STACK_FAMILIES`` best algorithm families."""
    chosen, families = [], set()
    for candidate in pool.ranked():
        family = ALGORITHMS[candidate.algorithm].family
        if family not in families:
            families.add(family)
            chosen.append(candidate)
        if len(chosen) == STACK_FAMILIES:
            break
    return chosen


def plan_stack(pool: CandidatePool, task: str, seconds_left: float) -> EnsemblePlan:
    members = stack_members(pool)
    # Drop the slowest members (never the best) until the stack fits in the time left.
    while len(members) > 2 and stack_seconds(members) > seconds_left:
        members.remove(max(members[1:], key=lambda c: c.seconds_per_fit()))
    if len(members) < 2:
        raise EnsembleSkipped("a stack needs trials of at least two algorithm families")
    estimate = stack_seconds(members)
    check_time(estimate, seconds_left)
    estimators = [(c.name, from_spec(c.spec)) for c in members]
    if task == "classification":
        meta = LogisticRegression(max_iter=1000)
        ensemble = StackingClassifier(
            estimators=estimators, final_estimator=meta, cv=STACK_INNER_FOLDS
        )
    else:
        meta = RidgeCV()
        ensemble = StackingRegressor(
            estimators=estimators, final_estimator=meta, cv=STACK_INNER_FOLDS
        )
    return EnsemblePlan(
        algorithm=STACK,
        spec=to_spec(ensemble),
        members=[_member(c) for c in members],
        estimated_seconds=estimate,
        metrics=None,
        scoring=STACK_SCORING,
        meta_learner=type(meta).__name__,
    )


def _member(candidate: Candidate) -> dict:
    return {"run_id": candidate.run_id, "algorithm": candidate.algorithm, "name": candidate.name}


def check_time(estimate: float, seconds_left: float) -> None:
    if estimate > seconds_left:
        raise EnsembleSkipped(
            f"not enough time left: it needs about {estimate:.1f} s, {max(seconds_left, 0):.1f} s "
            "of the budget remain"
        )

"""The search strategy: which algorithm to try next and with which hyperparameters.

Each algorithm has its own Optuna study (seeded TPE) whose first trial is the algorithm's
cheap known-good configuration and, for LightGBM and HistGradientBoosting, whose second trial
is the library's usual default (a hundred trees of 31 leaves): the cheap start finds out fast whether
the family suits the data, the default gives at once the model most users would fit by hand.
The first round runs those starting points, cheapest first; after that the next algorithm is
drawn with probability inversely proportional to its estimated cost
for improvement (ECI, after FLAML): the cost it has spent since it last improved, or, for an
algorithm behind the leader, the cost it would need to catch up at the rate it has improved so
far. Costs come from the zoo's cost model, not from wall time, so a seed fixes the search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import optuna

from .zoo import ALGORITHMS, SCALERS

optuna.logging.set_verbosity(optuna.logging.WARNING)

# Random TPE draws per algorithm before the model of good regions takes over.
STARTUP_TRIALS = 4


@dataclass
class Proposal:
    """One configuration to try: an algorithm, its hyperparameters and its scaler."""

    number: int
    algorithm: str
    params: dict
    scaler: str | None
    cost: float
    optuna_trial: optuna.trial.Trial = field(repr=False)


@dataclass
class _Progress:
    """What the search knows of one algorithm."""

    visits: int = 0
    best: float = math.inf
    spent: float = 0.0  # cost units spent on this algorithm
    spent_at_best: float = 0.0
    first_loss: float = math.inf
    failures: int = 0
    best_params: dict | None = None

    def eci(self, leader: float, last_cost: float) -> float:
        since_best = max(self.spent - self.spent_at_best, last_cost)
        if self.best == leader:
            return since_best
        if not math.isfinite(self.best):
            return math.inf
        gained = self.first_loss - self.best
        rate = gained / max(self.spent_at_best, 1e-12)
        catch_up = (self.best - leader) / rate if rate > 0 else math.inf
        return max(since_best, min(catch_up, since_best * 10 + last_cost))


class Searcher:
    """Proposes configurations and learns from their losses (lower is better)."""

    def __init__(self, task: str, algorithms: list[str], seed: int, rows: int, columns: int):
        self.task, self.rows, self.columns = task, rows, columns
        self._rng = np.random.default_rng(seed)
        self._studies: dict[str, optuna.Study] = {}
        self._progress = {name: _Progress() for name in algorithms}
        self._last_cost: dict[str, float] = {}
        self._count = 0
        for offset, name in enumerate(algorithms):
            sampler = optuna.samplers.TPESampler(
                seed=seed + offset,
                n_startup_trials=STARTUP_TRIALS,
                multivariate=True,
                constant_liar=True,
            )
            study = optuna.create_study(direction="minimize", sampler=sampler)
            for params in self._starting_points(name):
                study.enqueue_trial(params)
            self._studies[name] = study
        # (cost, position, algorithm, visit): the starting points, cheapest first.
        self._first_round = sorted(
            (ALGORITHMS[name].cost(params, rows, columns), position, name, visit)
            for position, name in enumerate(algorithms)
            for visit, params in enumerate(self._starting_points(name))
        )

    def _starting_points(self, name: str) -> list[dict]:
        """The configurations an algorithm's study tries first, in order."""
        algorithm = ALGORITHMS[name]
        points = [dict(algorithm.initial[self.task])]
        if self.task in algorithm.default:
            points.append(dict(algorithm.default[self.task]))
        if algorithm.scaled:
            for params in points:
                params["scaler"] = "StandardScaler"
        return points

    def choose_algorithm(
        self, exclude: frozenset = frozenset(), defer: frozenset = frozenset()
    ) -> str | None:
        """The next algorithm to try, or None when every candidate is excluded. ``defer``:
        algorithms whose starting point is too slow for the first round now; they stay in the
        draw that follows it, at the cost of that starting point."""
        for *_, name, visit in self._first_round:
            if name not in exclude | defer and self._progress[name].visits == visit:
                return name
        candidates = [
            name
            for name, p in self._progress.items()
            if name not in exclude and not (p.failures >= 2 and not math.isfinite(p.best))
        ]
        if not candidates:
            return None
        leader = min(p.best for p in self._progress.values())
        weights = []
        for name in candidates:
            progress = self._progress[name]
            if progress.visits == 0:  # as FLAML: the cost of its first trial
                eci = self.estimated_cost(name)
            else:
                eci = progress.eci(leader, self._last_cost.get(name, 1.0))
            weights.append(0.0 if math.isinf(eci) else 1.0 / max(eci, 1e-12))
        total = sum(weights)
        if total == 0:
            return candidates[int(self._rng.integers(len(candidates)))]
        return candidates[int(self._rng.choice(len(candidates), p=np.array(weights) / total))]

    def propose(self, name: str) -> Proposal:
        algorithm = ALGORITHMS[name]
        progress = self._progress[name]
        trial = self._studies[name].ask()
        starts = self._starting_points(name)  # enqueued, so asked first and in this order
        start = starts[progress.visits] if progress.visits < len(starts) else None
        params = algorithm.space(trial, self.task, algorithm.size_caps(progress.best_params, start))
        scaler = trial.suggest_categorical("scaler", list(SCALERS)) if algorithm.scaled else None
        progress.visits += 1
        cost = float(algorithm.cost(params, self.rows, self.columns))
        self._last_cost[name] = cost
        self._count += 1
        return Proposal(self._count - 1, name, params, scaler, cost, trial)

    def starting_point(self, name: str) -> bool:
        """Whether the algorithm's next proposal is one of its starting points."""
        return self._progress[name].visits < len(self._starting_points(name))

    def estimated_cost(self, name: str) -> float:
        """Cost units of the algorithm's next trial: a starting point's own, else the last's."""
        starts, visits = self._starting_points(name), self._progress[name].visits
        if visits < len(starts):
            return float(ALGORITHMS[name].cost(starts[visits], self.rows, self.columns))
        return self._last_cost[name]

    def tell(self, proposal: Proposal, loss: float | None) -> None:
        """Record a finished trial; ``loss`` None means the trial failed."""
        progress = self._progress[proposal.algorithm]
        progress.spent += proposal.cost
        study = self._studies[proposal.algorithm]
        if loss is None or not math.isfinite(loss):
            progress.failures += 1
            study.tell(proposal.optuna_trial, state=optuna.trial.TrialState.FAIL)
            return
        study.tell(proposal.optuna_trial, loss)
        if not math.isfinite(progress.first_loss):
            progress.first_loss = loss
        if loss < progress.best:
            progress.best = loss
            progress.spent_at_best = progress.spent
            progress.best_params = proposal.params

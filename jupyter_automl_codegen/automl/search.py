"""The search strategy: which algorithm to try next and with which hyperparameters.

Each algorithm has its own Optuna study (seeded TPE) whose first trial is the algorithm's
cheap known-good configuration. Every algorithm gets that first trial, cheapest first; after
that the next algorithm is drawn with probability inversely proportional to its estimated cost
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
            study.enqueue_trial(self._initial_params(name))
            self._studies[name] = study
        self._first_round = sorted(
            algorithms, key=lambda n: (self._initial_cost(n), algorithms.index(n))
        )

    def _initial_params(self, name: str) -> dict:
        params = dict(ALGORITHMS[name].initial[self.task])
        if ALGORITHMS[name].scaled:
            params["scaler"] = "StandardScaler"
        return params

    def _initial_cost(self, name: str) -> float:
        return ALGORITHMS[name].cost(ALGORITHMS[name].initial[self.task], self.rows, self.columns)

    def choose_algorithm(self, exclude: frozenset = frozenset()) -> str | None:
        """The next algorithm to try, or None when every candidate is excluded."""
        for name in self._first_round:
            if name not in exclude and self._progress[name].visits == 0:
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
            eci = self._progress[name].eci(leader, self._last_cost.get(name, 1.0))
            weights.append(0.0 if math.isinf(eci) else 1.0 / max(eci, 1e-12))
        total = sum(weights)
        if total == 0:
            return candidates[int(self._rng.integers(len(candidates)))]
        return candidates[int(self._rng.choice(len(candidates), p=np.array(weights) / total))]

    def propose(self, name: str) -> Proposal:
        algorithm = ALGORITHMS[name]
        progress = self._progress[name]
        trial = self._studies[name].ask()
        params = algorithm.space(trial, self.task, algorithm.size_caps(progress.best_params))
        scaler = trial.suggest_categorical("scaler", list(SCALERS)) if algorithm.scaled else None
        progress.visits += 1
        cost = float(algorithm.cost(params, self.rows, self.columns))
        self._last_cost[name] = cost
        self._count += 1
        return Proposal(self._count - 1, name, params, scaler, cost, trial)

    def estimated_cost(self, name: str) -> float:
        """Cost units of the algorithm's next trial, from its last one."""
        return self._last_cost.get(name, self._initial_cost(name))

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

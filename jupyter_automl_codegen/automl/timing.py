"""How long the next trial will take, estimated from the trials already run.

A trial's wall time is a part every trial of the algorithm pays (worker round trip, binning
the data, scoring, pickling) plus a part that grows with its cost units (the zoo's cost
model). Once an algorithm has run at two costs, both parts come from those two trials (the
cheapest and the costliest); with one trial, from that trial and the fastest trial of any
algorithm. Rating an algorithm by its cheapest trial alone would charge its fixed part again
for every cost unit: a four-tree start that takes 2 s would make a hundred-tree model look
like minutes, and the search would never grow its models on large data.

Starting points (see ``search``) and algorithms not yet run are rated at the median rate of
the algorithms run so far (the cost model's units are calibrated to be alike across
algorithms): an algorithm's cheap start is mostly fixed costs, and its own rate would make
its default configuration look a hundred times too slow.
"""

from __future__ import annotations

import math
import statistics

# A trial (or ensemble) whose estimated duration overshoots the time left by more than this
# share is not started.
BUDGET_SLACK = 0.02
# Two trials of one algorithm give its own fixed part only when their costs differ this much.
DISTINCT_COSTS = 2.0


class TrialTimes:
    """Wall times of finished trials, by algorithm, and the estimates drawn from them."""

    def __init__(self) -> None:
        self.fastest = math.inf  # seconds of the fastest trial of any algorithm
        self._cheapest: dict[str, tuple[float, float]] = {}  # algorithm -> (cost, seconds)
        self._costliest: dict[str, tuple[float, float]] = {}

    def add(self, algorithm: str, cost: float, seconds: float) -> None:
        self.fastest = min(self.fastest, seconds)
        if algorithm not in self._cheapest or cost < self._cheapest[algorithm][0]:
            self._cheapest[algorithm] = (cost, seconds)
        if algorithm not in self._costliest or cost >= self._costliest[algorithm][0]:
            self._costliest[algorithm] = (cost, seconds)

    def estimate(self, algorithm: str, cost: float, *, starting_point: bool = False) -> float:
        """Seconds a trial of ``cost`` units is expected to take; 0.0 before any trial ends."""
        if not self._costliest:
            return 0.0
        if starting_point or algorithm not in self._costliest:
            rate = statistics.median(self._rate(name) for name in self._costliest)
        else:
            rate = self._rate(algorithm)
        return self._fixed(algorithm) + rate * cost

    def _fixed(self, algorithm: str) -> float:
        if algorithm not in self._costliest:
            return self.fastest
        (low_cost, low_s), (high_cost, high_s) = (
            self._cheapest[algorithm],
            self._costliest[algorithm],
        )
        if high_cost < low_cost * DISTINCT_COSTS:
            return self.fastest
        rate = max(0.0, high_s - low_s) / (high_cost - low_cost)
        return min(low_s, max(0.0, low_s - rate * low_cost))

    def _rate(self, algorithm: str) -> float:
        cost, seconds = self._costliest[algorithm]
        return max(0.0, seconds - self._fixed(algorithm)) / max(cost, 1e-9)

"""The panel's leaderboard: an experiment's runs sorted by any metric, the best one marked.

Pure functions of store records, so they are tested without a frontend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..listing import algorithm_label, format_table
from ..store import Experiment, Run, RunStore
from ..store.ranking import best_run, rank_runs, ranked_value

BEST_MARK = "★"


@dataclass(frozen=True)
class Leaderboard:
    """One snapshot of an experiment's child runs, in display order."""

    experiment: Experiment
    runs: tuple[Run, ...]
    sort_metric: str
    best_first: bool
    best_run_id: str | None

    @property
    def metric_names(self) -> list[str]:
        """The primary metric first, then every other metric some run reported."""
        primary = self.experiment.primary_metric
        others = sorted({name for run in self.runs for name in run.metrics} - {primary})
        return [primary, *others]

    def lines(self) -> tuple[str, list[str]]:
        """``(header, one line per run)``: aligned columns for a monospaced list."""
        primary = self.experiment.primary_metric
        header = ["", "trial", "algorithm", "status", self.sort_metric]
        if self.sort_metric != primary:
            header.append(primary)
        rows = []
        for run in self.runs:
            row = [
                BEST_MARK if run.id == self.best_run_id else "",
                str(run.iteration),
                algorithm_label(run),
                run.status,
                _value(ranked_value(run, self.sort_metric)),
            ]
            if self.sort_metric != primary:
                row.append(_value(ranked_value(run)))
            rows.append(row)
        table = format_table(header, rows).splitlines()
        return table[0], table[1:]


def _value(value) -> str:
    return "-" if value is None else f"{value:.4f}"


def best_run_id(experiment: Experiment, runs: Sequence[Run]) -> str | None:
    """The experiment's recorded best run, else the current leader on the primary metric."""
    if experiment.best_run_id is not None:
        return experiment.best_run_id
    leader = best_run(runs)
    return None if leader is None else leader.id


def load_leaderboard(
    store: RunStore, experiment_id: str, sort_metric: str | None = None, *, best_first: bool = True
) -> Leaderboard:
    """Read the experiment and its child runs now, sorted by ``sort_metric`` (primary default)."""
    experiment = store.get_experiment(experiment_id)
    runs = store.list_runs(experiment.id)
    metric = sort_metric or experiment.primary_metric
    return Leaderboard(
        experiment=experiment,
        runs=tuple(rank_runs(runs, metric, best_first=best_first)),  # store.ranking
        sort_metric=metric,
        best_first=best_first,
        best_run_id=best_run_id(experiment, runs),
    )


__all__ = ["BEST_MARK", "Leaderboard", "best_run_id", "load_leaderboard"]

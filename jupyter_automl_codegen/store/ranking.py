"""The one ranking rule: which run is best and in what order a leaderboard lists runs.

Every surface ranks through this module: the engine when it records an experiment's best run,
the CLI's ``runs`` table, the REST API's ``sort=primary_metric`` (and the experiment's
``best_run`` the sidebar stars), the notebook panel and ``AutoMLRun.leaderboard``.

The rule, on the primary metric: completed runs that have a ``primary_metric_value`` first,
best first, ties to the earlier trial; then every other run in trial order. The primary
metric's value is the one the engine ranks by (for ``log_loss`` the cautious log-loss, see
``automl.metrics.ranking_value``), never the plain metric, so a surface cannot crown a run
the engine did not. Sorting by any other metric uses that metric's value the same way.

Kept in the store layer and free of imports so the server and the CLI rank without the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import Run

GREATER_IS_BETTER: dict[str, bool] = {
    "accuracy": True,
    "AUC_weighted": True,
    "AUC_macro": True,
    "average_precision_score_weighted": True,
    "balanced_accuracy": True,
    "f1_score_weighted": True,
    "log_loss": False,
    "norm_macro_recall": True,
    "precision_score_weighted": True,
    "recall_score_weighted": True,
    "matthews_correlation": True,
    "r2_score": True,
    "spearman_correlation": True,
    "root_mean_squared_error": False,
    "normalized_root_mean_squared_error": False,
    "mean_absolute_error": False,
    "normalized_mean_absolute_error": False,
    "median_absolute_error": False,
    "explained_variance": True,
    "mean_absolute_percentage_error": False,
    "mean_absolute_scaled_error": False,
}
# The store column that holds the value the primary metric is ranked by.
RANKING_COLUMN = "primary_metric_value"


def greater_is_better(metric: str) -> bool:
    """Whether a larger ``metric`` is better (an unknown metric counts as a score)."""
    return GREATER_IS_BETTER.get(metric, True)


def ranked_value(run: Run, metric: str | None = None) -> float | None:
    """The number ``run`` is ranked by on ``metric`` (its primary metric by default).

    Parameters
    ----------
    run : Run
        A child run record.
    metric : str, optional
        The metric to rank on; None or the run's primary metric means the engine's ranking
        value (``primary_metric_value``).

    Returns
    -------
    float or None
        None when the run is not completed or has no finite value for the metric.
    """
    if run.status != "completed":
        return None
    if metric is None or metric == run.primary_metric:
        value = run.primary_metric_value
    else:
        value = run.metrics.get(metric)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return float(value)


def rank_runs(
    runs: Sequence[Run], metric: str | None = None, *, best_first: bool = True
) -> list[Run]:
    """``runs`` in leaderboard order on ``metric`` (the primary metric by default).

    Parameters
    ----------
    runs : sequence of Run
        Child runs of one experiment.
    metric : str, optional
        The metric to sort by; None means each run's primary metric, ranked by the value
        the engine ranks by.
    best_first : bool, default True
        False lists the ranked runs worst first (ties still to the earlier trial).

    Returns
    -------
    list of Run
        The ranked runs, then the runs without a value in trial order.
    """
    ranked = [run for run in runs if ranked_value(run, metric) is not None]
    ranked_ids = {run.id for run in ranked}
    rest = sorted((run for run in runs if run.id not in ranked_ids), key=_trial)
    if not ranked:
        return rest
    greater = greater_is_better(metric or ranked[0].primary_metric)
    sign = -1.0 if greater == best_first else 1.0
    ranked.sort(key=lambda run: (sign * ranked_value(run, metric), _trial(run)))
    return ranked + rest


def best_run(runs: Sequence[Run]) -> Run | None:
    """The experiment's best run among ``runs``: rank 1 on the primary metric, if ranked."""
    ranked = rank_runs(runs)
    return ranked[0] if ranked and ranked_value(ranked[0]) is not None else None


def _trial(run: Run) -> tuple[float, str]:
    return (math.inf if run.iteration is None else run.iteration, run.id)


__all__ = [
    "GREATER_IS_BETTER",
    "RANKING_COLUMN",
    "best_run",
    "greater_is_better",
    "rank_runs",
    "ranked_value",
]

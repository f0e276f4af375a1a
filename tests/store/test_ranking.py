"""The one ranking rule: the engine's value decides, and the store pages in the same order."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen.store import RunStore
from jupyter_automl_codegen.store.ranking import (
    RANKING_COLUMN,
    best_run,
    greater_is_better,
    rank_runs,
    ranked_value,
)

# (plain log_loss, the engine's cautious value): the plain metric would crown trial 0.
TRIALS = [(0.05, 0.90), (0.20, 0.30), (0.10, 0.30), (0.40, 0.45)]


@pytest.fixture
def store(tmp_path):
    with RunStore(tmp_path / "store") as store:
        yield store


@pytest.fixture
def experiment(store):
    experiment, parent = store.create_experiment(
        "ranking", task="classification", label="y", primary_metric="log_loss"
    )
    for plain, cautious in TRIALS:
        run = store.start_run(store.create_child_run(parent.id, algorithm="A", spec=None).id)
        store.complete_run(
            run.id,
            metrics={"log_loss": plain, "accuracy": 1 - plain},
            primary_metric_value=cautious,
            fit_time=1.0,
            score_time=0.1,
            model_bytes=b"model",
            versions={},
        )
    failed = store.start_run(store.create_child_run(parent.id, algorithm="B", spec=None).id)
    store.fail_run(failed.id, "boom")
    store.create_child_run(parent.id, algorithm="C", spec=None)  # still queued
    return experiment


def test_the_primary_metric_ranks_by_the_engines_value_ties_to_the_earlier_trial(store, experiment):
    runs = store.list_runs(experiment.id)
    ranked = rank_runs(runs)
    assert [run.iteration for run in ranked] == [1, 2, 3, 0, 4, 5]
    assert [ranked_value(run) for run in ranked[:4]] == [0.30, 0.30, 0.45, 0.90]
    assert ranked_value(ranked[4]) is None and ranked[4].status == "failed"
    assert best_run(runs).iteration == 1
    worst_first = rank_runs(runs, best_first=False)
    assert [run.iteration for run in worst_first] == [0, 3, 1, 2, 4, 5]


def test_another_metric_ranks_by_its_own_values_in_its_own_direction(store, experiment):
    runs = store.list_runs(experiment.id)
    assert [run.iteration for run in rank_runs(runs, "accuracy")] == [0, 2, 1, 3, 4, 5]
    assert [run.iteration for run in rank_runs(runs, "log_loss")] == [1, 2, 3, 0, 4, 5]
    assert greater_is_better("accuracy") and not greater_is_better("log_loss")


@pytest.mark.parametrize("best_first", [True, False])
def test_the_stores_pages_follow_the_rule(store, experiment, best_first):
    """What the REST API serves page by page is the same order, read from an index."""
    descending = greater_is_better("log_loss") == best_first
    paged = [
        run.id
        for offset in range(0, 6, 2)
        for run in store.list_runs(
            experiment.id, order_by=RANKING_COLUMN, descending=descending, limit=2, offset=offset
        )
    ]
    expected = rank_runs(store.list_runs(experiment.id), best_first=best_first)
    assert paged == [run.id for run in expected]


def test_no_completed_run_means_no_best_run(store):
    experiment, parent = store.create_experiment(
        "empty", task="regression", label="y", primary_metric="r2_score"
    )
    store.create_child_run(parent.id, algorithm="A", spec=None)
    runs = store.list_runs(experiment.id)
    assert best_run(runs) is None and rank_runs(runs) == runs

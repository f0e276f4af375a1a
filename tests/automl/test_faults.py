"""Faults: trials over their time or memory limit, a segfaulting trial, a full disk."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen import AutoMLConfig, ConfigError, load_dataset, submit
from jupyter_automl_codegen.automl import search_loop
from jupyter_automl_codegen.cli import main as cli_main

from .. import fault_trials
from ..budgets import AMPLE_TIME_BUDGET_SECONDS

pytestmark = pytest.mark.slow

ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


def _train(tmp_path, monkeypatch, function, **overrides):
    monkeypatch.setattr(search_loop, "run_trial", function)
    penguins = load_dataset("penguins")
    settings = dict(
        task=penguins.task,
        label_column_name=penguins.label,
        experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
        max_trials=6,
        n_cross_validations=3,
        max_concurrent_iterations=2,
        enable_voting_ensemble=False,
        enable_stack_ensemble=False,
    )
    settings.update(overrides)
    return submit(AutoMLConfig(**settings), penguins.frame, store=tmp_path, show_progress=False)


def _split_by_target(run):
    children = run.get_children()
    target = [c for c in children if c.algorithm == "KNN"]
    others = [c for c in children if c.algorithm != "KNN"]
    assert target, "no KNN trial was proposed"
    return target, others


def test_a_trial_over_its_time_limit_fails_and_the_search_goes_on(tmp_path, monkeypatch, capsys):
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    monkeypatch.setattr(search_loop, "run_trial", fault_trials.hanging_run_trial)
    code = cli_main(
        ["--store", str(tmp_path / "store"), "train", str(data), "--label", "species"]
        + ["--task", "classification", "--max-trials", "6", "--workers", "2"]
        + ["--no-ensembles", "--trial-timeout", "4", "--json"]
        + ["--timeout", str(AMPLE_TIME_BUDGET_SECONDS)]
    )
    assert code == 0, capsys.readouterr().err
    from jupyter_automl_codegen import RunStore
    from jupyter_automl_codegen.automl.runs import AutoMLRun

    store = RunStore(tmp_path / "store")
    experiment_record = store.list_experiments()[0]
    run = AutoMLRun(store, experiment_record.parent_run_id)
    assert run.status == "completed"
    target, others = _split_by_target(run)
    for child in target:
        assert child.status == "failed"
        assert "timed out: the trial ran longer than its limit of 4 s" in child.error
    assert len(run.get_children()) == 6
    assert all(c.status == "completed" for c in others)


def test_a_trial_over_its_memory_limit_fails_and_the_search_goes_on(tmp_path, monkeypatch):
    run = _train(tmp_path, monkeypatch, fault_trials.hungry_run_trial, trial_memory_mb=512)
    assert run.status == "completed"
    target, others = _split_by_target(run)
    for child in target:
        assert child.status == "failed"
        assert child.error.startswith("MemoryError: out of memory (trial_memory_mb=512)")
    assert all(c.status == "completed" for c in others)


def test_a_small_memory_limit_is_the_trials_alone(tmp_path, capsys):
    """The worker reads the data snapshot (and loads its Parquet reader) outside the trial's
    limit: 32 MB is plenty for a trial on 344 rows, and every trial completes."""
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    store = tmp_path / "store"
    code = cli_main(
        ["--store", str(store), "train", str(data), "--label", "species"]
        + ["--task", "classification", "--max-trials", "4", "--workers", "2", "--no-ensembles"]
        + ["--trial-memory", "32", "--trial-timeout", "20", "--json"]
        + ["--timeout", str(AMPLE_TIME_BUDGET_SECONDS)]
    )
    assert code == 0, capsys.readouterr().err
    from jupyter_automl_codegen import RunStore

    runs = RunStore(store)
    (experiment_record,) = runs.list_experiments()
    children = runs.list_runs(experiment_record.id)
    assert len(children) == 4
    assert [(c.status, c.error) for c in children] == [("completed", None)] * 4


def test_a_segfaulting_trial_fails_and_the_search_goes_on(tmp_path, monkeypatch):
    run = _train(tmp_path, monkeypatch, fault_trials.segfaulting_run_trial, max_trials=8)
    assert run.status == "completed"
    target, others = _split_by_target(run)
    for child in target:
        assert child.status == "failed"
        assert "worker process ended" in child.error and "segmentation fault" in child.error
    assert len(run.get_children()) == 8
    # a worker's death can take the trial sharing its pool with it, never more
    assert len([c for c in others if c.status == "failed"]) <= len(target)
    assert len([c for c in others if c.status == "completed"]) >= 5


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"trial_timeout_seconds": 0}, "trial_timeout_seconds=0 must be a positive"),
        ({"trial_memory_mb": -5}, "trial_memory_mb=-5 must be a positive integer"),
        ({"dask_scheduler": ""}, "dask_scheduler='' must be a scheduler address"),
    ],
)
def test_bad_limits_are_config_errors(settings, message):
    config = AutoMLConfig(task="classification", label_column_name="y", **settings)
    with pytest.raises(ConfigError, match=message):
        config.validate()

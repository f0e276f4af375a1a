"""Ensembles: a VotingEnsemble and a StackEnsemble end every experiment, inside its budget.

The session fixture's experiments (penguins classification, cars regression: mixed types with
missing values) have both ensembles; their generated code is checked by the fidelity tests.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import AutoMLConfig, ConfigError, load_dataset, submit
from jupyter_automl_codegen.automl import ensembles
from jupyter_automl_codegen.automl.ensembles import (
    INITIAL_RESERVE_SHARE,
    MAX_RESERVE_SHARE,
    STACK,
    VOTING,
    Candidate,
    CandidatePool,
    EnsembleSkipped,
    greedy_selection,
    plan_stack,
    plan_voting,
    reserve_seconds,
)
from jupyter_automl_codegen.automl.runs import ChildRun
from jupyter_automl_codegen.automl.timing import BUDGET_SLACK
from jupyter_automl_codegen.automl.zoo import ALGORITHMS
from jupyter_automl_codegen.server.serialize import run_detail
from jupyter_automl_codegen.spec import from_spec, to_spec

from ..budgets import AMPLE_TIME_BUDGET_SECONDS
from ..clitools import run_cli, run_cli_json

ENSEMBLES = (VOTING, STACK)
TASKS = ("classification", "regression")


def ensembles_of(run) -> dict[str, ChildRun]:
    return {c.algorithm: c for c in run.get_children() if c.algorithm in ENSEMBLES}


@pytest.mark.parametrize("task", TASKS)
def test_both_ensembles_complete_with_their_members(trained_store, task):
    run = trained_store[task]
    trials = {c.id: c for c in run.get_children() if c.algorithm not in ENSEMBLES}
    assert len(trials) == 12  # the ensembles come on top of the trial budget
    ensembles = ensembles_of(run)
    assert set(ensembles) == set(ENSEMBLES)
    for ensemble in ensembles.values():
        assert ensemble.status == "completed", ensemble.error
        assert ensemble.properties["scoring"]
        members = ensemble.members
        assert len(members) >= 2
        assert len({m["run_id"] for m in members}) == len(members)
        for member in members:
            trial = trials[member["run_id"]]
            assert trial.status == "completed" and trial.algorithm == member["algorithm"]
        # Each member is the trial's whole pipeline, featurization included.
        estimators = ensemble.spec["params"]["estimators"]
        for member, item in zip(members, estimators, strict=True):
            member_name, pipeline = item["__tuple__"]
            assert member_name == member["name"]
            assert pipeline == trials[member["run_id"]].spec
        assert to_spec(from_spec(ensemble.spec)) == ensemble.spec
        assert ensemble.get_metrics()[run.primary_metric] is not None


@pytest.mark.parametrize("task", TASKS)
def test_voting_weights_are_integer_ratios_and_stack_members_are_diverse(trained_store, task):
    ensembles = ensembles_of(trained_store[task])
    voting = ensembles[VOTING]
    weights = [m["weight"] for m in voting.members]
    assert all(type(w) is int and w >= 1 for w in weights)
    assert math.gcd(*weights) == 1
    assert voting.spec["params"]["weights"] == weights
    expected_class = "VotingClassifier" if task == "classification" else "VotingRegressor"
    assert voting.spec["class"] == f"sklearn.ensemble.{expected_class}"
    if task == "classification":
        assert voting.spec["params"]["voting"] == "soft"

    stack = ensembles[STACK]
    families = [ALGORITHMS[m["algorithm"]].family for m in stack.members]
    assert len(set(families)) == len(families)
    assert stack.properties["meta_learner"] == (
        "LogisticRegression" if task == "classification" else "RidgeCV"
    )
    assert all("weight" not in m for m in stack.members)


@pytest.mark.parametrize("task", TASKS)
def test_ensembles_start_and_end_inside_the_time_budget(trained_store, task):
    store = trained_store["store"]
    run = trained_store[task]
    report = store.get_run(run.id).properties["ensembles"]
    budget = report["budget_seconds"]
    assert 0 < report["reserved_seconds"] <= MAX_RESERVE_SHARE * budget
    for name, ensemble in ensembles_of(run).items():
        assert report[name] == {"run_id": ensemble.id, "status": "completed"}
        accounting = ensemble.properties["budget"]
        assert accounting["budget_seconds"] == budget
        assert accounting["started_at_seconds"] >= report["search_ended_at_seconds"]
        # it was started only because its estimate fitted in the time left ...
        assert accounting["estimated_seconds"] <= accounting["seconds_left"] * (1 + BUDGET_SLACK)
        assert accounting["started_at_seconds"] + accounting["seconds_left"] <= budget + 0.01
        # ... and it ended before the deadline
        assert accounting["ended_at_seconds"] <= budget * (1 + BUDGET_SLACK)


def test_ensembles_rank_predict_and_show_in_the_api(trained_store):
    store = trained_store["store"]
    run = trained_store["regression"]
    ranked = [c.id for c in run.leaderboard()]
    frame = trained_store["holdout"]["regression"]
    for ensemble in ensembles_of(run).values():
        assert ensemble.id in ranked
        predictions = ensemble.predict(frame)
        assert len(predictions) == len(frame) and predictions.notna().all()
        detail = run_detail(store, store.get_run(ensemble.id))
        assert detail["algorithm"] == ensemble.algorithm
        assert detail["properties"]["members"] == ensemble.members
        assert "budget" not in detail["properties"]

    penguins = trained_store["classification"]
    voting = ensembles_of(penguins)[VOTING]
    features = trained_store["holdout"]["classification"]
    assert set(voting.predict(features)) <= {"Adelie", "Chinstrap", "Gentoo"}
    proba = voting.predict_proba(features)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_cli_lists_ensembles_with_members_and_predicts_with_them(trained_store, tmp_path):
    store_root = trained_store["root"]
    run = trained_store["classification"]
    runs = run_cli_json("runs", run.experiment_id, store=store_root)
    by_algorithm = {r["algorithm"]: r for r in runs}
    voting = by_algorithm[VOTING]
    assert voting["properties"]["members"] == ensembles_of(run)[VOTING].members
    data = tmp_path / "rows.csv"
    trained_store["holdout"]["classification"].to_csv(data, index=False)
    out = tmp_path / "predictions.csv"
    result = run_cli("predict", voting["id"], data, "--out", out, store=store_root)
    assert result.returncode == 0, result.stderr
    predictions = pd.read_csv(out)
    assert list(predictions.columns) == [
        "prediction",
        "proba_Adelie",
        "proba_Chinstrap",
        "proba_Gentoo",
    ]


def test_no_ensembles_flag_turns_both_off(tmp_path):
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    args = ["train", data, "--label", "species", "--task", "classification"]
    args += ["--max-trials", "3", "--workers", "2", "--no-ensembles", "--no-code-generation"]
    args += ["--timeout", str(AMPLE_TIME_BUDGET_SECONDS)]
    summary = run_cli_json(*args, store=tmp_path / "store")
    assert len(summary["runs"]) == 3
    assert not {r["algorithm"] for r in summary["runs"]} & set(ENSEMBLES)


def test_ensembles_without_time_left_are_skipped_and_the_reason_recorded(tmp_path, monkeypatch):
    monkeypatch.setattr(ensembles, "OVERHEAD_SECONDS", 1e6)  # every estimate is too long
    penguins = load_dataset("penguins")
    config = AutoMLConfig(
        task="classification",
        label_column_name="species",
        experiment_timeout_seconds=120,
        max_trials=4,
        max_concurrent_iterations=2,
        enable_code_generation=False,
    )
    run = submit(config, penguins.frame, store=tmp_path, show_progress=False)
    assert run.status == "completed"
    assert not {c.algorithm for c in run.get_children()} & set(ENSEMBLES)
    report = run.properties["ensembles"]
    for name in ENSEMBLES:
        assert report[name]["status"] == "skipped"
        assert report[name]["reason"].startswith("not enough time left: it needs about")
    # estimates beyond the largest share: no search time was held back for them
    assert report["reserved_seconds"] == 0.0


def test_ensemble_settings_must_be_booleans():
    config = AutoMLConfig(task="regression", label_column_name="y", enable_stack_ensemble="no")
    with pytest.raises(ConfigError, match="enable_stack_ensemble='no' must be True or False"):
        config.validate()


# --- the selection itself, on made-up predictions -----------------------------------------------


def _candidate(number, algorithm, predictions, loss, fit_time=1.0):
    spec = {"class": "sklearn.pipeline.Pipeline", "params": {"steps": []}}
    return Candidate(f"run_{number}", algorithm, number, loss, fit_time, spec, predictions)


def _regression_pool():
    """Three models whose errors cancel when averaged: 2 parts of the first to 1 of another."""
    rng = np.random.default_rng(0)
    y = rng.normal(size=90)
    rows = np.arange(90)
    splits = [(np.setdiff1d(rows, rows[i::3]), rows[i::3]) for i in range(3)]
    noise = rng.normal(size=90)
    outputs = {"A": y + noise, "B": y - 2 * noise + 0.1 * rng.normal(size=90), "C": y + 3}
    pool = CandidatePool()
    for number, (name, output) in enumerate(outputs.items()):
        predictions = [output[valid] for _, valid in splits]
        loss = float(np.sqrt(np.mean((output - y) ** 2)))
        pool.add(_candidate(number, "Ridge" if name != "C" else "KNN", predictions, loss))
    return pool, y, splits


def test_greedy_selection_blends_models_whose_errors_cancel():
    pool, y, splits = _regression_pool()
    chosen = greedy_selection(pool, y, splits, "regression", "root_mean_squared_error", None)
    weights = {c.run_id: w for c, w in chosen}
    assert weights == {"run_0": 2, "run_1": 1}
    plan = plan_voting(pool, y, splits, "regression", "root_mean_squared_error", None, 60.0)
    assert plan.members[0] | {"weight": 2} == plan.members[0]
    best_single = pool.ranked()[0].loss
    assert plan.metrics["root_mean_squared_error"] < best_single


def test_a_voting_ensemble_too_slow_to_refit_is_selected_again_without_its_slowest_member():
    pool, y, splits = _regression_pool()
    slow = pool.ranked()[1]  # B, whose errors cancel the best model's
    rng = np.random.default_rng(1)
    twin = np.concatenate(slow.predictions) + 0.2 * rng.normal(size=90)  # B, a bit worse
    fast_twin = _candidate(
        3, "Ridge", np.split(twin, np.cumsum([len(v) for _, v in splits])[:-1]), slow.loss + 0.1
    )
    pool.add(fast_twin)
    slow_pool = CandidatePool()
    for candidate in pool.ranked():
        fit_time = 400.0 if candidate is slow else candidate.fit_time
        slow_pool.add(dataclasses.replace(candidate, fit_time=fit_time))
    metric = "root_mean_squared_error"
    roomy = plan_voting(slow_pool, y, splits, "regression", metric, None, 1_000.0)
    assert {m["run_id"] for m in roomy.members} == {"run_0", "run_1"}
    tight = plan_voting(slow_pool, y, splits, "regression", metric, None, 60.0)
    assert {m["run_id"] for m in tight.members} == {"run_0", "run_3"}
    assert tight.estimated_seconds <= 60.0


def test_an_ensemble_that_does_not_fit_in_the_time_left_is_skipped_with_the_reason():
    pool, y, splits = _regression_pool()
    with pytest.raises(EnsembleSkipped, match="not enough time left"):
        plan_voting(pool, y, splits, "regression", "root_mean_squared_error", None, 0.5)
    with pytest.raises(EnsembleSkipped, match="not enough time left"):
        plan_stack(pool, "regression", 0.5)
    single = CandidatePool()
    single.add(pool.ranked()[0])
    single.add(pool.ranked()[1])  # two Ridge trials: one algorithm family
    with pytest.raises(EnsembleSkipped, match="two algorithm families"):
        plan_stack(single, "regression", 600.0)


def test_the_reserve_starts_as_a_share_of_the_budget_and_follows_the_estimate():
    empty = CandidatePool()
    assert reserve_seconds(empty, 100, 2, voting=True, stack=True) == INITIAL_RESERVE_SHARE * 100
    assert reserve_seconds(empty, 100, 2, voting=False, stack=False) == 0.0
    pool, _, _ = _regression_pool()
    cheap = reserve_seconds(pool, 1000, 2, voting=True, stack=False)
    assert 0 < cheap < MAX_RESERVE_SHARE * 1000
    # an ensemble needing more than the largest share would be skipped: nothing is kept for it
    too_small = 0.9 * cheap / MAX_RESERVE_SHARE
    assert reserve_seconds(pool, too_small, 2, voting=True, stack=False) == 0.0

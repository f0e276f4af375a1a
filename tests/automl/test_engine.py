"""The AutoML engine through its Python API: search, runs, models, reproducibility."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import (
    AutoMLConfig,
    ConfigError,
    DataError,
    RunStore,
    load_dataset,
    submit,
)
from jupyter_automl_codegen.automl.metrics import CLASSIFICATION_METRICS, REGRESSION_METRICS
from jupyter_automl_codegen.automl.profiling import profile_columns
from jupyter_automl_codegen.automl.trial import TrialTask, run_trial
from jupyter_automl_codegen.spec import from_spec

from ..conftest import _split

ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


def trials_of(run):
    """The child runs of the search's trials (the ensembles that end it left out)."""
    return [c for c in run.get_children() if c.algorithm not in ENSEMBLES]


def test_classification_experiment_records_every_trial(trained_store):
    run = trained_store["classification"]
    assert run.status == "completed"
    children = trials_of(run)
    assert len(children) == 12
    completed = [c for c in children if c.status == "completed"]
    assert len(completed) >= 10
    # the first round gives every algorithm its cheap starting configuration
    assert {c.algorithm for c in children} >= {
        "LogisticRegression",
        "SGD",
        "KNN",
        "HistGradientBoosting",
        "LightGBM",
        "XGBoost",
        "RandomForest",
        "ExtremeRandomTrees",
    }
    for child in completed:
        assert set(child.get_metrics()) == set(CLASSIFICATION_METRICS)
        assert child.spec["class"] == "sklearn.pipeline.Pipeline"
        assert child.properties["compute"] == "local"


def test_leaderboard_is_sorted_by_the_primary_metric(trained_store):
    run = trained_store["classification"]
    assert run.primary_metric == "AUC_weighted"
    scores = [c.get_metrics()["AUC_weighted"] for c in run.leaderboard()]
    assert scores == sorted(scores, reverse=True)
    best, model = run.get_output()
    assert best.id == run.get_best_child().id
    assert trained_store["store"].get_experiment(run.experiment_id).best_run_id == best.id

    regression = trained_store["regression"]
    errors = [
        c.get_metrics()["normalized_root_mean_squared_error"] for c in regression.leaderboard()
    ]
    assert errors == sorted(errors)
    assert set(regression.get_best_child().get_metrics()) == set(REGRESSION_METRICS)


def test_models_predict_original_labels_and_rebuild_from_their_spec(trained_store):
    run = trained_store["classification"]
    penguins = load_dataset("penguins").frame
    features = penguins.drop(columns=["species"])
    best = run.get_best_child()
    predictions = best.predict(features.head(20))
    assert set(predictions) <= {"Adelie", "Chinstrap", "Gentoo"}
    assert (predictions == penguins["species"].head(20)).mean() > 0.8
    proba = best.predict_proba(features.head(5))
    assert list(proba.columns) == ["Adelie", "Chinstrap", "Gentoo"]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # the spec alone rebuilds the same model: nothing needs unpickling to know the pipeline
    rebuilt = from_spec(best.spec)
    train, _ = _split(penguins)  # the rows the experiment trained on
    labelled = train[train["species"].notna()].reset_index(drop=True)
    rebuilt.fit(labelled.drop(columns=["species"]), labelled["species"])
    np.testing.assert_array_equal(rebuilt.predict(features), best.get_model().predict(features))


def test_featurization_plan_and_validation_are_recorded(trained_store):
    parent = trained_store["store"].get_run(trained_store["regression"].id)
    kinds = {c["name"]: c["kind"] for c in parent.properties["featurization"]["columns"]}
    assert kinds["Name"] == "text"
    assert kinds["Year"] == "datetime"
    assert kinds["Origin"] == "categorical"
    assert kinds["Horsepower"] == "numeric"
    assert parent.properties["validation"]["n_folds"] == 3
    train, _ = _split(load_dataset("cars").frame)
    missing_labels = int(train["Miles_per_Gallon"].isna().sum())
    assert missing_labels > 0
    assert parent.properties["dropped_rows_without_label"] == missing_labels


def test_same_seed_data_and_trial_count_give_the_same_leaderboard(tmp_path):
    cars = load_dataset("cars")
    config = dict(
        task="regression",
        label_column_name=cars.label,
        experiment_timeout_seconds=300,
        max_trials=14,
        n_cross_validations=3,
        max_concurrent_iterations=2,
        seed=7,
    )

    def leaderboard():
        run = submit(AutoMLConfig(**config), cars.frame, store=tmp_path, show_progress=False)
        return [
            (c.algorithm, c.properties["hyperparameters"], c.properties["scaler"], c.get_metrics())
            for c in trials_of(run)
        ]

    first, second = leaderboard(), leaderboard()
    assert first == second
    assert len({algorithm for algorithm, *_ in first}) >= 5


def test_allowed_and_blocked_models(tmp_path):
    penguins = load_dataset("penguins")
    run = submit(
        AutoMLConfig(
            task="classification",
            label_column_name="species",
            max_trials=3,
            allowed_models=["LightGBM", "LogisticRegression"],
            blocked_models=["LogisticRegression"],
            max_concurrent_iterations=1,
        ),
        penguins.frame,
        store=tmp_path,
        show_progress=False,
    )
    assert {c.algorithm for c in trials_of(run)} == {"LightGBM"}
    with pytest.raises(ConfigError, match="Did you mean 'LightGBM'"):
        AutoMLConfig(
            task="classification", label_column_name="y", allowed_models=["LightGMB"]
        ).validate()


def test_log_loss_searches_leave_out_zero_probability_models(tmp_path):
    """1-NN cross-validates to a log-loss of 0 on penguins, then costs 36 per wrong row."""
    penguins = load_dataset("penguins")
    config = AutoMLConfig(
        task="classification",
        label_column_name="species",
        primary_metric="log_loss",
        max_trials=12,
        max_concurrent_iterations=2,
        enable_voting_ensemble=False,
        enable_stack_ensemble=False,
    )
    run = submit(config, penguins.frame, store=tmp_path, show_progress=False)
    trials = trials_of(run)
    assert "KNN" not in {c.algorithm for c in trials}
    sgd = [c for c in trials if c.algorithm == "SGD"]
    assert sgd and all(c.properties["hyperparameters"]["loss"] == "log_loss" for c in sgd)
    # runs rank by the cautious log-loss, never below the plain one
    board = run.leaderboard()
    assert all(c.primary_metric_value >= c.get_metrics()["log_loss"] for c in board)
    values = [c.primary_metric_value for c in board]
    assert values == sorted(values) and run.get_best_child().id == board[0].id
    probabilities = board[0].predict_proba(penguins.frame.drop(columns="species"))
    assert probabilities.to_numpy().min() > 0
    # naming KNN brings it back, and other metrics keep it
    assert "KNN" in AutoMLConfig(**{**config.to_dict(), "allowed_models": ["KNN"]}).algorithms()
    assert (
        "KNN" in AutoMLConfig(task="classification", label_column_name="y").validate().algorithms()
    )


def test_a_failing_trial_is_a_result_not_a_crash(tmp_path):
    store = RunStore(tmp_path)
    experiment, _ = store.create_experiment(
        "x", task="regression", label="y", primary_metric="r2_score"
    )
    frame = pd.DataFrame({"a": np.arange(20.0), "y": np.arange(20.0)})
    path, sha = store.save_data_snapshot(experiment.id, frame)
    spec = {"class": "sklearn.pipeline.Pipeline", "params": {"steps": "not a list"}}
    result = run_trial(
        TrialTask(
            "AutoML_" + "0" * 32 + "_0",
            str(path),
            sha,
            "y",
            "regression",
            spec,
            {"kind": "cv", "n_folds": 2, "validation_size": None, "stratified": False, "seed": 0},
            profile_columns(frame, "y").to_dict(),
        )
    )
    assert result.error and result.model_bytes is None
    tampered = TrialTask(
        "AutoML_" + "0" * 32 + "_1", str(path), "0" * 64, "y", "regression", spec, {}, {}
    )
    assert "changed on disk" in run_trial(tampered).error


def test_column_names_with_nul_are_refused_before_anything_is_stored(tmp_path):
    frame = pd.DataFrame({"a\x00": np.arange(20.0), "y": np.arange(20.0)})
    config = AutoMLConfig(task="regression", label_column_name="y", max_trials=1)
    with pytest.raises(DataError, match="NUL character"):
        submit(config, frame, store=tmp_path, show_progress=False)
    assert RunStore(tmp_path).list_experiments() == []


def _worker_pids() -> list[int]:
    """The loky worker processes of this process, read from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            command = open(f"/proc/{entry}/cmdline").read()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and "popen_loky_posix" in command:
            pids.append(int(entry))
    return pids


def _is_running(pid: int) -> bool:
    """Whether the process is on a CPU now (a worker in a trial), read from /proc."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, IndexError):
        return False


def test_a_worker_that_dies_fails_only_its_trial(tmp_path):
    cars = load_dataset("cars")
    killed = []
    training_ended = threading.Event()

    def kill_a_worker():
        while not killed and not training_ended.is_set():
            store = RunStore(tmp_path)
            experiments = store.list_experiments()
            if experiments and store.count_runs(experiments[0].id, "completed") >= 2:
                busy = [pid for pid in _worker_pids() if _is_running(pid)]
                if busy:  # an idle worker's death costs no trial, so it would prove nothing
                    os.kill(busy[0], signal.SIGKILL)
                    killed.append(busy[0])
            time.sleep(0.05)

    thread = threading.Thread(target=kill_a_worker, daemon=True)
    thread.start()
    run = submit(
        AutoMLConfig(
            task="regression",
            label_column_name=cars.label,
            experiment_timeout_seconds=300,
            max_trials=14,
            n_cross_validations=3,
            max_concurrent_iterations=2,
        ),
        cars.frame,
        store=tmp_path,
        show_progress=False,
    )
    training_ended.set()
    thread.join()
    assert killed, "no worker was killed"
    children = trials_of(run)
    assert run.status == "completed" and len(children) == 14
    failed = [c for c in children if c.status == "failed"]
    assert 1 <= len(failed) <= 2  # the killed worker's trial (its pool neighbour may share it)
    assert all("worker process ended" in c.error for c in failed)
    assert len([c for c in children if c.status == "completed"]) >= 12

"""The ``automl-codegen`` command line contract: train, experiments, runs, predict, demo."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pandas as pd

from jupyter_automl_codegen import RunStore, load_dataset

from ..budgets import AMPLE_TIME_BUDGET_SECONDS
from ..clitools import run_cli, run_cli_json
from ..training_watch import COMPLETED_TRIALS, wait_for_count

ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


def test_train_json_contract_and_predict(tmp_path):
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    store = tmp_path / "store"
    summary = run_cli_json(
        "train",
        data,
        "--label",
        "species",
        "--task",
        "classification",
        "--metric",
        "accuracy",
        "--max-trials",
        "4",
        "--seed",
        "3",
        "--workers",
        "2",
        "--experiment",
        "my penguins",
        "--timeout",
        str(AMPLE_TIME_BUDGET_SECONDS),
        store=store,
    )
    assert set(summary) >= {"experiment_id", "parent_run_id", "best_run_id", "runs"}
    trials = [r for r in summary["runs"] if r["algorithm"] not in ENSEMBLES]
    assert len(trials) == 4
    for run in summary["runs"]:
        assert set(run) >= {"run_id", "algorithm", "status", "primary_metric", "metrics"}
        if run["status"] == "completed":
            assert run["primary_metric"] == run["metrics"]["accuracy"]
    best = max(
        (r for r in summary["runs"] if r["status"] == "completed"),
        key=lambda r: r["primary_metric"],
    )
    assert summary["best_run_id"] == best["run_id"]

    experiments = run_cli_json("experiments", store=store)
    assert [e["name"] for e in experiments] == ["my penguins"]
    assert experiments[0]["status"] == "completed"

    runs = run_cli_json("runs", summary["experiment_id"], store=store)
    assert [r["id"] for r in runs] == [r["run_id"] for r in summary["runs"]]

    out = tmp_path / "predictions.csv"
    result = run_cli("predict", summary["best_run_id"], data, "--out", out, store=store)
    assert result.returncode == 0, result.stderr
    predictions = pd.read_csv(out)
    assert list(predictions.columns) == [
        "prediction",
        "proba_Adelie",
        "proba_Chinstrap",
        "proba_Gentoo",
    ]
    assert len(predictions) == 344
    truth = load_dataset("penguins").frame["species"]
    assert (predictions["prediction"] == truth).mean() > 0.9

    table = run_cli("runs", summary["experiment_id"], store=store)
    assert table.returncode == 0
    assert "accuracy" in table.stdout.splitlines()[0]


def test_store_location_from_the_environment(tmp_path):
    store = tmp_path / "env-store"
    result = run_cli("experiments", env={"AUTOML_CODEGEN_STORE": str(store)})
    assert result.returncode == 0, result.stderr
    assert (store / "store.db").exists()


def test_kill_9_of_training_leaves_a_store_that_opens_with_every_finished_run(tmp_path):
    data = tmp_path / "cars.csv"
    load_dataset("cars").frame.to_csv(data, index=False)
    store = tmp_path / "store"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_automl_codegen.cli",
            "--store",
            str(store),
            "train",
            str(data),
            "--label",
            "Miles_per_Gallon",
            "--task",
            "regression",
            "--timeout",
            str(AMPLE_TIME_BUDGET_SECONDS),
            "--workers",
            "2",
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        completed = wait_for_count(process, store, COMPLETED_TRIALS, 3)
        assert completed >= 3, f"the training ended after {completed} of 3 trials"
        assert process.poll() is None, "the training ended by itself"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    with sqlite3.connect(store / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    experiments = run_cli_json("experiments", store=store)
    assert len(experiments) == 1 and experiments[0]["status"] == "failed"
    runs = run_cli_json("runs", experiments[0]["id"], store=store)
    statuses = {r["status"] for r in runs}
    assert statuses <= {"completed", "failed", "canceled"}
    finished = [r for r in runs if r["status"] == "completed"]
    assert len(finished) >= 3
    reopened = RunStore(store)
    for run in finished:
        reopened.load_model(run["id"])  # the SHA-256 still matches
    interrupted = [r for r in runs if r["status"] == "failed"]
    assert all("interrupted" in r["error"] for r in interrupted)


def test_demo_prints_a_leaderboard(tmp_path):
    result = run_cli("demo", "--timeout", "15", store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert "rank" in result.stdout and "AUC_weighted" in result.stdout
    assert "completed" in result.stdout

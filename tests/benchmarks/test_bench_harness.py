"""The pieces of benchmarks/automl_vs_peers.py, cheaply: no AutoML run here."""

from __future__ import annotations

import json
import math
import os
import select
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import automl_vs_peers as avp  # noqa: E402
import peer_workers  # noqa: E402
from peer_datasets import BenchDataset  # noqa: E402

pytestmark = pytest.mark.slow


def _frame(n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "colour": rng.choice(["red", "blue", None], size=n),
            "label": np.where(np.arange(n) % 4 == 0, "rare", "common"),
        }
    )


def test_split_is_fixed_per_seed_and_stratified():
    frame = _frame()
    train_a, test_a = avp.split(frame, "label", "classification", 1)
    train_b, test_b = avp.split(frame, "label", "classification", 1)
    _, test_c = avp.split(frame, "label", "classification", 2)
    assert list(test_a.index) == list(test_b.index)
    assert list(train_a.index) == list(train_b.index)
    assert list(test_a.index) != list(test_c.index)
    assert len(test_a) == 50 and (test_a["label"] == "rare").sum() == 13  # 25 % of 50 rares


def test_seeds_per_data_set_size():
    assert avp.seeds_for(1_999, None) == [0, 1, 2, 3, 4]
    assert avp.seeds_for(2_000, None) == [0, 1, 2]
    assert avp.seeds_for(50, 1) == [0]


def test_errors_on_fixed_numbers():
    classes = ["a", "b"]
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    # positives b at 0.8 and 0.4; negatives at 0.1 and 0.7: 3 of 4 pairs ordered -> AUC 0.75
    assert avp.error("binary", ["a", "b", "b", "a"], proba, classes) == pytest.approx(0.25)
    three = np.array([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]])
    expected = -(math.log(0.5) + math.log(0.8)) / 2
    assert avp.error("multiclass", ["a", "b"], three, ["a", "b", "c"]) == pytest.approx(expected)
    assert avp.error("regression", [1.0, 2.0, 3.0], np.array([1.0, 2.0, 5.0])) == pytest.approx(
        math.sqrt(4 / 3)
    )


def test_probabilities_are_aligned_to_the_sorted_classes():
    proba = np.array([[0.7, 0.3]])
    assert avp.align_proba(proba, ["b", "a"], ["a", "b", "c"]).tolist() == [[0.3, 0.7, 0.0]]


def test_constant_prediction():
    prior = avp.constant_prediction("multiclass", ["a", "a", "b", "c"], 2, ["a", "b", "c"])
    assert prior.tolist() == [[0.5, 0.25, 0.25]] * 2
    assert avp.constant_prediction("regression", [1, 2, 6], 2, None).tolist() == [3.0, 3.0]


def test_ratio_summaries():
    assert avp.geometric_mean([2.0, 0.5]) == pytest.approx(1.0)
    assert avp.geometric_mean([1.0, 4.0]) == pytest.approx(2.0)
    low, high = avp.bootstrap_interval([1.2, 1.2, 1.2])
    assert low == pytest.approx(1.2) and high == pytest.approx(1.2)
    low, high = avp.bootstrap_interval([0.5, 1.0, 2.0, 1.5, 0.8])
    assert 0.5 <= low < avp.geometric_mean([0.5, 1.0, 2.0, 1.5, 0.8]) < high <= 2.0
    assert avp.win_tie_loss([0.98, 0.995, 1.0, 1.009, 1.02, 1.5]) == (1, 3, 2)


def test_mean_ranks_share_ties():
    errors = pd.DataFrame(
        {"ours": [0.1, 0.3], "flaml": [0.2, 0.3], "constant": [0.5, 0.4]}, index=["d1", "d2"]
    )
    ranks = avp.mean_ranks(errors)
    assert ranks.to_dict() == {"ours": 1.25, "flaml": 1.75, "constant": 3.0}


def test_summary_ratio_is_ours_over_flaml_of_seed_means():
    records = [
        {"dataset": "d", "budget": 30, "seed": s, "contender": c, "error": e}
        for s, c, e in [(0, "ours", 0.1), (1, "ours", 0.3), (0, "flaml", 0.4), (1, "flaml", 0.4)]
    ]
    errors, ratios = avp.summarize(records, 30, "ours")
    assert errors.loc["d", "ours"] == pytest.approx(0.2)
    assert ratios["d"] == pytest.approx(0.5)


KILL_AFTER_SECONDS = 2.0
# Longer than any test may run (pytest's timeout): only the kill can end these sleeps.
NEVER_ENDS = "3600"


class _Sleeper:
    """A contender that never finishes: a shell that sleeps, with a sleeping child of its own;
    it writes both process ids to ``pid_file`` first."""

    name = "sleeper"
    budgeted = True

    def __init__(self, pid_file: Path):
        self.pid_file = pid_file

    def run(self, job):
        script = f'sleep {NEVER_ENDS} & echo $$ $! > "$0"; sleep {NEVER_ENDS}'
        command = ["sh", "-c", script, str(self.pid_file)]
        done = avp.run_limited(command, job.kill_after, avp.limited_env())
        return avp.Outcome(done.status, done.seconds, done.seconds)


def _wait_for_exit(pid: int) -> None:
    """Return once the process has ended (a zombie has ended too); pytest's timeout guards."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # ended and reaped
    try:
        select.select([handle], [], [])  # readable once the process has exited
    finally:
        os.close(handle)


def test_a_contender_past_its_deadline_is_killed_and_scored_as_constant(monkeypatch, tmp_path):
    monkeypatch.setattr(avp.Job, "kill_after", property(lambda job: KILL_AFTER_SECONDS))
    frame = _frame(80)
    dataset = BenchDataset("toy", "test", "label", "classification", lambda: frame)
    train, test = avp.split(frame, "label", "classification", 0)
    pid_file = tmp_path / "sleeper.pids"
    record = avp.run_cell(_Sleeper(pid_file), dataset, "binary", train, test, 30, 0)
    assert record["status"] == "timeout"  # killed: on its own it would sleep for an hour
    assert record["error"] == record["constant_error"] == pytest.approx(0.5)
    assert record["train_s"] >= KILL_AFTER_SECONDS  # not before its deadline
    # the whole process group was killed, the contender's own child too
    assert pid_file.exists(), "the sleeper was killed before it started its child"
    pids = [int(pid) for pid in pid_file.read_text().split()]
    assert len(pids) == 2
    for pid in pids:
        _wait_for_exit(pid)


def test_run_limited_sets_the_thread_variables():
    code = "import os; print(os.environ['OMP_NUM_THREADS'], os.environ['MKL_NUM_THREADS'], len(os.sched_getaffinity(0)))"
    done = avp.run_limited([sys.executable, "-c", code], 30, avp.limited_env())
    omp, mkl, cores = done.stdout.split()
    assert done.status == "ok" and omp == mkl == "2" and int(cores) <= 2


def test_baseline_worker_round_trip(tmp_path):
    frame = _frame(120)
    train, test = avp.split(frame, "label", "classification", 0)
    train.to_parquet(tmp_path / "train.parquet", index=False)
    test.drop(columns=["label"]).to_parquet(tmp_path / "test.parquet", index=False)
    job = {"label": "label", "kind": "binary", "budget": 5, "seed": 0, "n_jobs": 2}
    (tmp_path / "job.json").write_text(json.dumps(job))
    peer_workers.main(["linear", str(tmp_path)])
    result = json.loads((tmp_path / "result.json").read_text())
    proba = np.load(tmp_path / "prediction.npy")
    assert result["classes"] == ["common", "rare"] and proba.shape == (len(test), 2)
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_resume_skips_recorded_cells(tmp_path, monkeypatch):
    calls = []

    class Counter:
        name, budgeted = "counter", False

        def run(self, job):
            calls.append(job.seed)
            n = len(pd.read_parquet(job.folder / "test.parquet"))
            return avp.Outcome("ok", 0.0, 0.0, np.full((n, 2), 0.5))

    frame = _frame(80)
    monkeypatch.setitem(
        avp.DATASETS, "toy", BenchDataset("toy", "test", "label", "classification", lambda: frame)
    )
    monkeypatch.setitem(avp.CONTENDERS, "counter", Counter())
    args = ["--datasets", "toy", "--contenders", "counter", "--budgets", "5", "--seeds", "2"]
    args += ["--results", str(tmp_path)]
    monkeypatch.setattr(avp, "report", lambda records, results: "")
    avp.main(args)
    avp.main(args)
    assert calls == [0, 1]
    assert len(avp.read_records(tmp_path / "automl_vs_peers.jsonl")) == 2

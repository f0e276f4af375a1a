"""kill -9 of the training driver at random moments, resuming an interrupted experiment, and
a full disk: the store stays whole and every finished run stays usable."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jupyter_automl_codegen import RunStore, load_dataset
from jupyter_automl_codegen.automl.metrics import loss
from jupyter_automl_codegen.automl.zoo import ALGORITHMS

from ..budgets import AMPLE_TIME_BUDGET_SECONDS
from ..clitools import run_cli
from ..training_watch import COMPLETED_TRIALS, EXPERIMENTS, store_count, wait_for_count
from .small_disk import SmallDisk

pytestmark = pytest.mark.slow

# The repository root, so a process in the small disk's namespace can import this module.
REPO = Path(__file__).resolve().parents[2]

ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


PENGUINS = ("--label", "species", "--task", "classification")


def _start_training(data, store, *extra, task=PENGUINS):
    return subprocess.Popen(
        [sys.executable, "-m", "jupyter_automl_codegen.cli", "--store", str(store), "train"]
        + [str(data), *task, "--workers", "2", "--json", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_driver(process) -> None:
    """kill -9 of the driver alone, then of its orphaned workers (they never write)."""
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.2)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _check_store(store_root) -> RunStore:
    """Every property a store must have after its writer was killed, once reopened."""
    with sqlite3.connect(store_root / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = RunStore(store_root)  # recovery: the dead driver's runs are failed
    for experiment in store.list_experiments():
        assert experiment.status != "running", experiment
        for run in store.list_runs(experiment.id):
            assert run.status in ("completed", "failed", "canceled"), run
            if run.status == "completed":
                store.load_model(run.id)  # present, and its SHA-256 matches
            elif run.status == "failed" and experiment.status == "failed":
                assert run.error
    # no half-written artifact: temp files of the dead writer are gone, final names whole
    for folder in (store.runs_dir, store.experiments_dir):
        assert not list(folder.glob("*/.*.tmp"))
    return store


@pytest.fixture
def penguins_csv(tmp_path):
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    return data


# When a kill comes: right after the start (maybe before the store exists), once the
# experiment is recorded, or once that many of its trials have completed. The trial budget is
# far above the last of these, so every kill interrupts a training.
MOMENTS = ("at once", "experiment recorded", 1, 2, 3, 4)
TRIALS_LEFT_TO_RUN = ("--max-trials", "40", "--timeout", str(AMPLE_TIME_BUDGET_SECONDS))


def _wait_for_moment(process, store_root, moment) -> None:
    """Block until the store records ``moment`` of this training (counted from what the store
    held before it started); fail if the training ended before."""
    if moment == "at once":
        return
    if moment == "experiment recorded":
        query, count = EXPERIMENTS, store_count(store_root, EXPERIMENTS) + 1
    else:
        query, count = COMPLETED_TRIALS, store_count(store_root, COMPLETED_TRIALS) + moment
    seen = wait_for_count(process, store_root, query, count)
    assert seen >= count, f"the training ended before {moment!r} ({seen} of {count})"


def test_kill_9_of_the_driver_at_ten_random_moments(tmp_path, penguins_csv):
    rng = random.Random(10)
    store_root = tmp_path / "store"
    killed_experiments = expected_killed = 0
    for attempt in range(10):
        moment = rng.choice(MOMENTS)
        before = store_count(store_root, EXPERIMENTS)
        process = _start_training(penguins_csv, store_root, *TRIALS_LEFT_TO_RUN, "--no-ensembles")
        try:
            _wait_for_moment(process, store_root, moment)
            assert process.poll() is None, f"attempt {attempt}: the training ended by itself"
        finally:
            _kill_driver(process)
        if moment != "at once":
            expected_killed += 1
        if not (store_root / "store.db").exists():
            continue  # killed before the store was created
        store = _check_store(store_root)
        # the experiment killed now (if it got that far) is failed, its trials too
        experiments = store.list_experiments()
        assert len(experiments) <= attempt + 1
        if len(experiments) > before:
            newest = experiments[0]
            assert newest.status == "failed", (moment, newest)
            parent = store.get_run(newest.parent_run_id)
            assert parent.error.startswith("interrupted")
            killed_experiments += 1
            for run in store.list_runs(newest.id):
                if run.status == "failed":
                    assert run.error.startswith("interrupted")
        store.close()
    print(f"{killed_experiments} experiments killed mid-training")
    # every kill after the experiment was recorded left one failed experiment
    assert killed_experiments >= expected_killed >= 3


def _kill_after_completed(process, store_root, count: int) -> None:
    """kill -9 of a training driver once ``count`` of its trials have completed."""
    try:
        seen = wait_for_count(process, store_root, COMPLETED_TRIALS, count)
        assert seen >= count, f"the training ended after {seen} of {count} trials"
        assert process.poll() is None, "the training ended by itself"
    finally:
        _kill_driver(process)


def test_resume_continues_an_interrupted_experiment(tmp_path, penguins_csv):
    store_root = tmp_path / "store"
    process = _start_training(
        penguins_csv, store_root, "--max-trials", "8", "--timeout", str(AMPLE_TIME_BUDGET_SECONDS)
    )
    _kill_after_completed(process, store_root, 3)
    store = _check_store(store_root)
    (experiment,) = store.list_experiments()
    assert experiment.status == "failed"
    before = {r.id: r for r in store.list_runs(experiment.id)}
    kept = {i: r for i, r in before.items() if r.status == "completed"}
    store.close()

    result = run_cli("train", "--resume", experiment.id, "--json", store=store_root)
    assert result.returncode == 0, result.stderr
    store = RunStore(store_root)
    parent = store.get_run(experiment.parent_run_id)
    assert parent.status == "completed"
    assert parent.properties["resumed"]["finished_trials"] >= 3
    runs = store.list_runs(experiment.id)
    for run_id, run in kept.items():  # finished runs kept as they were
        again = store.get_run(run_id)
        assert again.status == "completed" and again.model_sha256 == run.model_sha256
    trials = [r for r in runs if r.algorithm not in ENSEMBLES]
    not_interrupted = [r for r in trials if not (r.error or "").startswith("interrupted")]
    assert len(not_interrupted) == 8  # the trial budget: finished before + run after
    configs = [
        (r.algorithm, repr(r.properties["hyperparameters"]), r.properties.get("scaler"))
        for r in not_interrupted
    ]
    assert len(set(configs)) == len(configs)  # no finished configuration was repeated
    assert {r.algorithm for r in runs} >= set(ENSEMBLES)
    assert store.get_experiment(experiment.id).best_run_id is not None
    # the ensembles choose among every finished trial, those before the interruption too:
    # the stack takes the best trial of each of the four best algorithm families
    metric = store.get_experiment(experiment.id).primary_metric
    ranked = sorted(
        (r for r in trials if r.status == "completed"),
        key=lambda r: (loss(metric, r.primary_metric_value), r.properties["trial"]),
    )
    best_of_family = {}
    for run in ranked:
        best_of_family.setdefault(ALGORITHMS[run.algorithm].family, run.id)
    (stack,) = [r for r in runs if r.algorithm == "StackEnsemble"]
    members = [member["run_id"] for member in stack.properties["members"]]
    assert members == list(best_of_family.values())[:4]
    assert set(members) & set(kept), "no trial from before the interruption was a candidate"

    again = run_cli("train", "--resume", experiment.id, store=store_root)
    assert again.returncode == 2 and "only an interrupted" in again.stderr


def test_resume_continues_an_interrupted_forecasting_experiment(tmp_path):
    data = tmp_path / "air.csv"
    load_dataset("air-passengers").frame.to_csv(data, index=False)
    store_root = tmp_path / "store"
    task = ("--label", "passengers", "--task", "forecasting", "--time-column", "month")
    extra = ("--horizon", "12", "--max-trials", "6", "--no-code-generation")
    extra += ("--timeout", str(AMPLE_TIME_BUDGET_SECONDS))
    process = _start_training(data, store_root, *extra, task=task)
    _kill_after_completed(process, store_root, 2)
    store = _check_store(store_root)
    (experiment,) = store.list_experiments()
    kept = {r.id: r for r in store.list_runs(experiment.id) if r.status == "completed"}
    store.close()

    result = run_cli("train", "--resume", experiment.id, "--json", store=store_root)
    assert result.returncode == 0, result.stderr
    store = RunStore(store_root)
    assert store.get_run(experiment.parent_run_id).status == "completed"
    for run_id, run in kept.items():
        assert store.get_run(run_id).model_sha256 == run.model_sha256
    runs = store.list_runs(experiment.id)
    finished = [r for r in runs if not (r.error or "").startswith("interrupted")]
    # the seeded plan of six trials, each planned trial run once
    assert sorted(r.properties["trial"] for r in finished) == list(range(6))
    assert store.get_experiment(experiment.id).best_run_id is not None


_CHECK_INSIDE = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])  # the repository: entering the namespace moved us to "/"
from tests.store.test_crash_recovery import _check_store
store = _check_store(Path(sys.argv[1]))
(experiment,) = store.list_experiments()
completed = store.count_runs(experiment.id, "completed")
print(json.dumps({"id": experiment.id, "status": experiment.status, "completed": completed}))
"""


def _cli(disk: SmallDisk, store_root, *args):
    """``automl-codegen --store store_root ...`` run where the small disk is mounted."""
    command = [sys.executable, "-m", "jupyter_automl_codegen.cli", "--store", str(store_root)]
    return subprocess.run(
        disk.command([*command, *map(str, args)]), capture_output=True, text=True, timeout=600
    )


def test_a_full_disk_gives_a_clear_error_and_a_store_that_reopens(tmp_path, penguins_csv):
    disk = SmallDisk(tmp_path / "small")  # fails (never skips) when it cannot be made
    try:
        store_root = disk.mount / "store"
        assert _cli(disk, store_root, "experiments").returncode == 0
        outside = disk.outside(disk.mount)
        stats = os.statvfs(outside)
        assert stats.f_blocks * stats.f_frsize <= 4 * 1024 * 1024  # the small disk, not /tmp
        filler = outside / "filler"
        filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - 400_000))
        result = _cli(
            disk,
            store_root,
            "train",
            penguins_csv,
            "--label",
            "species",
            "--task",
            "classification",
            "--max-trials",
            "40",
            "--workers",
            "2",
            "--json",
        )
        assert result.returncode == 2, (result.stdout[-500:], result.stderr[-2000:])
        assert "is full" in result.stderr and "Traceback" not in result.stderr
        filler.unlink()
        # SQLite resolves /proc/<pid>/root, so the store is checked inside the namespace.
        checked = subprocess.run(
            disk.command([sys.executable, "-c", _CHECK_INSIDE, str(store_root), str(REPO)]),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert checked.returncode == 0, checked.stderr[-3000:]
        experiment = json.loads(checked.stdout)
        assert experiment["status"] == "failed"
        assert experiment["completed"] >= 1
        listed = _cli(disk, store_root, "runs", experiment["id"], "--json")
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout)
    finally:
        disk.close()

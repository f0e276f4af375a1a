"""Trials on a Dask cluster: a LocalCluster of two worker processes bound to 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
import time

import joblib
import numpy as np
import pytest

from jupyter_automl_codegen import AutoMLConfig, ConfigError, RunStore, load_dataset, submit
from jupyter_automl_codegen.automl.runs import ChildRun
from jupyter_automl_codegen.cli import main as cli_main
from jupyter_automl_codegen.server.serialize import run_detail, run_summary
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..budgets import AMPLE_TIME_BUDGET_SECONDS
from ..clitools import run_cli_json
from ..codegen.test_fidelity import _run_script
from ..conftest import _split

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")
ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


@pytest.fixture(scope="module")
def cluster():
    import dask

    # a trial whose worker dies is run once more elsewhere, then fails (KilledWorker)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            processes=True,
            dashboard_address=None,
        ) as local_cluster:
            yield local_cluster


def _workers(cluster) -> set[str]:
    with distributed.Client(cluster.scheduler_address) as client:
        return set(client.scheduler_info()["workers"])


def _config(address, **overrides):
    penguins = load_dataset("penguins")
    settings = dict(
        task=penguins.task,
        label_column_name=penguins.label,
        experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
        max_trials=6,
        n_cross_validations=3,
        dask_scheduler=address,
    )
    settings.update(overrides)
    return AutoMLConfig(**settings)


@pytest.fixture(scope="module")
def dask_run(cluster, tmp_path_factory):
    penguins = load_dataset("penguins")
    train, holdout = _split(penguins.frame)
    store = RunStore(tmp_path_factory.mktemp("dask-store"))
    run = submit(_config(cluster.scheduler_address), train, store=store, show_progress=False)
    return {"run": run, "store": store, "holdout": holdout.drop(columns=[penguins.label])}


def test_trials_and_ensembles_run_on_the_cluster_workers(cluster, dask_run):
    run, store = dask_run["run"], dask_run["store"]
    assert run.status == "completed"
    children = run.get_children()
    assert {c.algorithm for c in children} >= set(ENSEMBLES)
    workers = _workers(cluster)
    for child in children:
        assert child.status == "completed", child.error
        assert child.properties["compute"] == cluster.scheduler_address
        assert child.properties["worker"] in workers
    trials = [c for c in children if c.algorithm not in ENSEMBLES]
    assert len(trials) == 6
    assert {c.properties["worker"] for c in trials} == workers  # both workers trained
    # the driver wrote the store; the workers never even imported it
    with distributed.Client(cluster.scheduler_address) as client:
        imported = client.run(lambda: "jupyter_automl_codegen.store.run_store" in sys.modules)
    assert imported and not any(imported.values())

    listed = run_cli_json("runs", run.experiment_id, store=store.root)
    assert {r["properties"]["worker"] for r in listed} <= workers
    summary = run_summary(store, store.get_run(trials[0].id))
    assert summary["compute"] == cluster.scheduler_address
    assert summary["worker"] in workers
    assert run_detail(store, store.get_run(trials[0].id))["worker"] == summary["worker"]


def test_the_data_is_sent_once_not_with_each_trial(cluster, dask_run, monkeypatch):
    from jupyter_automl_codegen.automl import compute as compute_module

    scattered, submitted = [], []
    original_init = compute_module.DaskCompute.__init__

    def spy_init(self, address, snapshot_bytes, **kwargs):
        scattered.append(len(snapshot_bytes))
        original_init(self, address, snapshot_bytes, **kwargs)
        submit_one = self.client.submit

        def spy_submit(function, *args, **kw):
            submitted.append(len(repr(args)))
            return submit_one(function, *args, **kw)

        self.client.submit = spy_submit

    monkeypatch.setattr(compute_module.DaskCompute, "__init__", spy_init)
    penguins = load_dataset("penguins")
    store = RunStore(dask_run["store"].root)
    config = _config(
        cluster.scheduler_address,
        max_trials=2,
        enable_voting_ensemble=False,
        enable_stack_ensemble=False,
    )
    run = submit(config, penguins.frame, store=store, show_progress=False)
    assert run.status == "completed"
    assert len(scattered) == 1 and scattered[0] > 1000
    # a trial's arguments are its task (a spec and settings), not the data
    assert len(submitted) == 2 and all(size < scattered[0] for size in submitted)


def test_generated_code_of_a_dask_run_rebuilds_its_model(dask_run, tmp_path):
    store, run = dask_run["store"], dask_run["run"]
    child = next(c for c in run.leaderboard() if c.algorithm not in ENSEMBLES)
    result = _run_script(stored_code_dir(store, child.id), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads((tmp_path / "metrics.json").read_text()) == child.get_metrics()
    retrained = joblib.load(tmp_path / "model.pkl")
    stored = store.load_model(child.id)
    rows = dask_run["holdout"]  # raw rows: both models are self-contained
    np.testing.assert_array_equal(retrained.predict(rows), stored.predict(rows))
    np.testing.assert_allclose(
        retrained.predict_proba(rows), stored.predict_proba(rows), rtol=1e-9, atol=0
    )


def test_a_worker_killed_mid_trial_costs_at_most_that_trial(cluster, tmp_path):
    client = distributed.Client(cluster.scheduler_address)
    cars = load_dataset("cars")
    killed = []
    training_ended = threading.Event()

    def kill_a_busy_worker():
        while not killed and not training_ended.is_set():
            store = RunStore(tmp_path, recover=False)
            experiments = store.list_experiments()
            if experiments and store.count_runs(experiments[0].id, "completed") >= 1:
                busy = [address for address, keys in client.processing().items() if keys]
                if busy:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(busy[0])
            time.sleep(0.05)

    thread = threading.Thread(target=kill_a_busy_worker, daemon=True)
    thread.start()
    try:
        run = submit(
            AutoMLConfig(
                task=cars.task,
                label_column_name=cars.label,
                experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
                max_trials=8,
                n_cross_validations=3,
                enable_voting_ensemble=False,
                enable_stack_ensemble=False,
                dask_scheduler=cluster.scheduler_address,
            ),
            cars.frame,
            store=tmp_path,
            show_progress=False,
        )
    finally:
        training_ended.set()
        thread.join()
        client.close()
    assert killed, "no busy worker was killed before the training ended"
    assert run.status == "completed"
    children = run.get_children()
    assert len(children) == 8  # each trial recorded once, a retried one too
    failed = [c for c in children if c.status == "failed"]
    assert len(failed) <= 1  # retried elsewhere, or failed with the worker's death named
    assert all("worker process ended" in c.error for c in failed)
    completed = [c for c in children if c.status == "completed"]
    assert len(completed) >= 7
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted the worker


def test_without_dask_the_flag_gives_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    config = _config("tcp://127.0.0.1:1")
    with pytest.raises(ConfigError, match=r"pip install 'jupyter-automl-codegen\[dask\]'"):
        config.validate()
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    argv = ["--store", str(tmp_path / "store"), "train", str(data), "--label", "species"]
    code = cli_main(argv + ["--task", "classification", "--dask-scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    error = capsys.readouterr().err
    assert "pip install 'jupyter-automl-codegen[dask]'" in error and "Traceback" not in error
    assert not (tmp_path / "store").exists()


def test_an_unreachable_scheduler_is_a_config_error():
    from jupyter_automl_codegen.automl.compute import DaskCompute

    with pytest.raises(ConfigError, match="cannot connect to the Dask scheduler"):
        DaskCompute("tcp://127.0.0.1:9", b"", connect_timeout=2)


def test_script_run_notebook_runs_the_script_on_the_cluster(
    cluster, dask_run, tmp_path, monkeypatch
):
    """With ``DASK_SCHEDULER`` set, the notebook's script run is a tracked run on the
    cluster: recorded in the original run's store with that cluster as its ``compute``."""
    import nbformat
    from nbclient import NotebookClient

    from jupyter_automl_codegen.stored_code import generate_run_code

    store, run = dask_run["store"], dask_run["run"]
    monkeypatch.setenv("DASK_SCHEDULER", cluster.scheduler_address)  # the kernel inherits it
    default_store = tmp_path / "default-store"
    monkeypatch.setenv("AUTOML_CODEGEN_STORE", str(default_store))
    child = next(c for c in run.leaderboard() if c.algorithm not in ENSEMBLES)
    folder = tmp_path / "code"
    generate_run_code(store, child.id, folder)
    notebook = nbformat.read(folder / "script_run_notebook.ipynb", as_version=4)
    NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(folder)}}
    ).execute()
    printed = "".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
    assert f"Ran script.py on the Dask cluster at {cluster.scheduler_address}" in printed
    tracked = re.search(r"Tracked as run (\S+) in the run store", printed)
    assert tracked is not None, printed
    new_run = store.get_run(tracked.group(1))
    assert new_run.status == "completed"
    assert new_run.metrics == child.get_metrics()
    assert new_run.properties["compute"] == cluster.scheduler_address
    assert new_run.properties["worker"]
    assert not default_store.exists()
    assert json.loads((folder / "outputs" / "metrics.json").read_text()) == child.get_metrics()
    retrained = joblib.load(folder / "outputs" / "model.pkl")
    rows = dask_run["holdout"]
    np.testing.assert_array_equal(retrained.predict(rows), ChildRun(store, child.id).predict(rows))


def test_a_trial_over_its_time_limit_on_dask_fails_and_the_search_goes_on(
    cluster, tmp_path, monkeypatch
):
    from jupyter_automl_codegen.automl import search_loop

    from .. import fault_trials

    monkeypatch.setattr(search_loop, "run_trial", fault_trials.briefly_hanging_run_trial)
    config = _config(
        cluster.scheduler_address,
        trial_timeout_seconds=4,
        enable_voting_ensemble=False,
        enable_stack_ensemble=False,
    )
    run = submit(config, load_dataset("penguins").frame, store=tmp_path, show_progress=False)
    assert run.status == "completed"
    children = run.get_children()
    assert len(children) == 6
    knn = [c for c in children if c.algorithm == "KNN"]
    assert knn and all(c.status == "failed" for c in knn)
    timed_out = "timed out: the trial ran longer than its limit of 4 s"
    assert all(timed_out in c.error for c in knn)
    # On Dask the limit counts from submission: a trial queued behind the abandoned one
    # (whose thread runs on for its 12 s) may time out too; the rest complete.
    others = [c for c in children if c.algorithm != "KNN"]
    assert all(c.status == "completed" or timed_out in c.error for c in others), [
        (c.algorithm, c.status, c.error) for c in others
    ]
    assert len([c for c in others if c.status == "completed"]) >= 3


def test_forecasting_trials_run_on_the_cluster_and_match_local_ones(cluster, tmp_path):
    """``--dask-scheduler`` with ``--task forecasting``: every trial runs on a cluster worker
    (recorded as such), and the seeded plan gives the metrics local workers give."""
    air = tmp_path / "air.csv"
    load_dataset("air-passengers").frame.to_csv(air, index=False)
    args = ["train", air, "--task", "forecasting", "--label", "passengers"]
    args += ["--time-column", "month", "--horizon", "12", "--max-trials", "5"]
    args += ["--timeout", str(AMPLE_TIME_BUDGET_SECONDS)]
    on_dask = run_cli_json(
        *args, "--dask-scheduler", cluster.scheduler_address, store=tmp_path / "dask"
    )
    local = run_cli_json(*args, "--workers", "2", store=tmp_path / "local")
    assert on_dask["status"] == local["status"] == "completed"
    listed = run_cli_json("runs", on_dask["experiment_id"], store=tmp_path / "dask")
    assert len(listed) == 5
    workers = _workers(cluster)
    for run in listed:
        assert run["status"] == "completed", run["error"]
        assert run["properties"]["compute"] == cluster.scheduler_address
        assert run["properties"]["worker"] in workers
    assert {(r["algorithm"], json.dumps(r["metrics"])) for r in on_dask["runs"]} == {
        (r["algorithm"], json.dumps(r["metrics"])) for r in local["runs"]
    }
    # its generated code rebuilds the model, as for a local run
    store = RunStore(tmp_path / "dask")
    best = store.get_run(on_dask["best_run_id"])
    result = _run_script(stored_code_dir(store, best.id), tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads((tmp_path / "out" / "metrics.json").read_text()) == best.metrics

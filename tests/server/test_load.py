"""Load: four experiments training at once on one store while the REST API lists runs."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading

import pytest
import requests

from jupyter_automl_codegen import RunStore, load_dataset

from ..budgets import AMPLE_TIME_BUDGET_SECONDS
from ..server_process import free_port, stop, wait_until_ready
from .test_server_live import API, JUPYTER, _isolated_env

pytestmark = pytest.mark.slow

TRAININGS = 4


@pytest.fixture
def server_on_empty_store(tmp_path):
    store = tmp_path / "store"
    RunStore(store).close()
    root = tmp_path / "root"
    root.mkdir()
    token, port = secrets.token_hex(16), free_port()
    env = _isolated_env(tmp_path, store)
    command = [
        JUPYTER, "server", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"}
    try:
        wait_until_ready(process, f"{url}/", token, log_path, timeout=90)
        yield {"api": f"{url}/{API}", "headers": headers, "store": store, "log": log_path}
    finally:
        stop(process, timeout=15)


def test_four_trainings_at_once_while_the_api_lists_runs(server_on_empty_store, tmp_path):
    api, headers, store = (server_on_empty_store[k] for k in ("api", "headers", "store"))
    data = tmp_path / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    trainings = [
        subprocess.Popen(
            [sys.executable, "-m", "jupyter_automl_codegen.cli", "--store", str(store), "train"]
            + [str(data), "--label", "species", "--task", "classification"]
            + ["--max-trials", "4", "--workers", "1", "--no-ensembles", "--json"]
            + ["--timeout", str(AMPLE_TIME_BUDGET_SECONDS)]
            + ["--experiment", f"load-{index}", "--seed", str(index)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(TRAININGS)
    ]
    # one entry per listing round answered while the trainings ran: run totals by experiment
    rounds, failures = [], []
    stop = threading.Event()

    def list_in_a_loop():
        while not stop.is_set():
            reply = requests.get(f"{api}/experiments", headers=headers, timeout=60)
            pages = [reply]
            totals = {}
            if reply.status_code == 200:
                for experiment in reply.json()["items"]:
                    page = requests.get(
                        f"{api}/experiments/{experiment['id']}/runs", headers=headers, timeout=60
                    )
                    pages.append(page)
                    if page.status_code == 200:
                        totals[experiment["id"]] = page.json()["total"]
            failures.extend(page.text for page in pages if page.status_code != 200)
            if not failures:
                rounds.append(totals)

    lister = threading.Thread(target=list_in_a_loop, daemon=True)
    lister.start()
    outputs = []
    try:
        for training in trainings:
            outputs.append(training.communicate(timeout=600))
    finally:
        stop.set()
        lister.join()
        for training in trainings:
            if training.poll() is None:
                training.kill()
    for training, (_stdout, stderr) in zip(trainings, outputs, strict=True):
        assert training.returncode == 0, stderr[-2000:]
        assert "locked" not in stderr
    assert not failures, failures[:3]
    log = server_on_empty_store["log"].read_text(errors="replace")
    assert "database is locked" not in log

    # no run is lost: what each training reported is what the store and the API hold
    reported = {
        summary["experiment_id"]: summary
        for summary in (json.loads(stdout) for stdout, _ in outputs)
    }
    assert len(reported) == TRAININGS
    reader = RunStore(store)
    for experiment_id, summary in reported.items():
        page = requests.get(
            f"{api}/experiments/{experiment_id}/runs", headers=headers, timeout=60
        ).json()
        assert page["total"] == len(summary["runs"]) == reader.count_runs(experiment_id) == 4
        assert {item["id"] for item in page["items"]} == {r["run_id"] for r in summary["runs"]}
        assert all(item["compute"] == "local" and item["worker"] for item in page["items"])
        assert summary["status"] == "completed"

    # the API answered while the trainings wrote, and what it listed only ever grew
    print(f"\nlisting rounds answered while training: {len(rounds)}")
    assert rounds, "no listing round was answered while the trainings ran"
    for experiment_id in reported:
        seen = [totals[experiment_id] for totals in rounds if experiment_id in totals]
        assert seen == sorted(seen), (experiment_id, seen)
        assert all(total <= 4 for total in seen)

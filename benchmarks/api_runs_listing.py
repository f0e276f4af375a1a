"""Latency of the runs listing API on large stores, next to the same read done in-process.

For stores holding 1,000, 10,000 and 100,000 child runs in one experiment, times
``GET <base_url>/automl-codegen/api/experiments/{id}/runs`` (the first page of 50, best
primary metric first: what the sidebar asks for) against a live ``jupyter server`` started
with the package installed, over one keep-alive connection, and prints p50/p95 next to the
peer: the same page read directly with ``RunStore.list_runs`` plus ``RunStore.count_runs``
in this process (no HTTP, no JSON, no server). The goal is p95 under 100 ms at 100,000.

Filling: the store's API writes a run in three transactions plus a model file; its measured
cost per run is printed, and the stores are filled instead by a bulk ``INSERT`` into the
store's own ``runs`` table (same columns and JSON shapes as real runs, one transaction),
after creating the experiment and finishing its parent through the API.

    .venv/bin/python benchmarks/api_runs_listing.py [--sizes 1000 10000 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from jupyter_automl_codegen import RunStore
from jupyter_automl_codegen.spec import to_spec
from jupyter_automl_codegen.store.ids import child_run_id
from jupyter_automl_codegen.store.records import utc_now

METRICS = (
    "accuracy",
    "AUC_weighted",
    "AUC_macro",
    "average_precision_score_weighted",
    "balanced_accuracy",
    "f1_score_weighted",
    "log_loss",
    "norm_macro_recall",
    "precision_score_weighted",
    "recall_score_weighted",
    "matthews_correlation",
)
PAGE = 50
FAILED_SHARE = 0.03
API = "automl-codegen/api"


def _spec_json() -> str:
    """A real pipeline's spec, so rows are as wide as the engine's."""
    from lightgbm import LGBMClassifier

    featurize = ColumnTransformer(
        [
            ("numeric", SimpleImputer(add_indicator=True), [f"num_{i}" for i in range(8)]),
            (
                "categorical",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                        ("encode", OneHotEncoder(handle_unknown="ignore")),
                    ]
                ),
                [f"cat_{i}" for i in range(4)],
            ),
        ]
    )
    model = LGBMClassifier(n_estimators=117, num_leaves=23, learning_rate=0.07, verbose=-1)
    pipeline = Pipeline([("featurize", featurize), ("scale", StandardScaler()), ("model", model)])
    return json.dumps(to_spec(pipeline))


def api_seconds_per_run(root: Path, runs: int = 100) -> float:
    """What filling through the store's API costs per run (child, start, complete + model)."""
    store = RunStore(root)
    _, parent = store.create_experiment(
        "api fill", task="classification", label="y", primary_metric="AUC_weighted"
    )
    started = time.perf_counter()
    for _ in range(runs):
        run = store.create_child_run(parent.id, algorithm="LightGBM", spec=json.loads(SPEC))
        store.start_run(run.id)
        store.complete_run(
            run.id,
            metrics={name: 0.5 for name in METRICS},
            primary_metric_value=0.5,
            fit_time=1.0,
            score_time=0.1,
            model_bytes=b"m" * 20_000,
            versions={"scikit-learn": "1.9"},
        )
    elapsed = (time.perf_counter() - started) / runs
    store.close()
    return elapsed


def filled_store(root: Path, size: int, seed: int = 0) -> str:
    """A store with one finished experiment of ``size`` child runs; returns its id."""
    store = RunStore(root)
    experiment, parent = store.create_experiment(
        f"bench {size}", task="classification", label="y", primary_metric="AUC_weighted"
    )
    rng, now = random.Random(seed), utc_now()
    versions = json.dumps({"python": "3.11.7", "scikit-learn": "1.9.1", "lightgbm": "4.6.0"})
    rows = []
    for iteration in range(size):
        failed = rng.random() < FAILED_SHARE
        metrics = {} if failed else {name: rng.random() for name in METRICS}
        properties = {"hyperparameters": {"n_estimators": 117}, "scaler": "StandardScaler"}
        rows.append(
            (
                child_run_id(parent.id, iteration),
                experiment.id,
                parent.id,
                iteration,
                "failed" if failed else "completed",
                SPEC,
                json.dumps(metrics),
                None if failed else metrics["AUC_weighted"],
                rng.uniform(0.1, 30),
                rng.uniform(0.01, 1),
                "ValueError: the trial failed" if failed else None,
                versions,
                json.dumps({**properties, "trial": iteration}),
                None if failed else secrets.token_hex(32),
                now,
            )
        )
    connection = sqlite3.connect(store.db_path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO runs (id, experiment_id, parent_id, kind, iteration, status, algorithm,"
        " spec, metrics, primary_metric, primary_metric_value, fit_time, score_time, error,"
        " versions, properties, model_sha256, created_at, started_at, ended_at)"
        " VALUES (?, ?, ?, 'child', ?, ?, 'LightGBM', ?, ?, 'AUC_weighted', ?, ?, ?, ?, ?, ?,"
        " ?, ?, NULL, NULL)",
        rows,
    )
    connection.execute("COMMIT")
    connection.close()
    best = store.list_runs(
        experiment.id, order_by="primary_metric_value", descending=True, limit=1
    )[0]
    store.finish_parent(parent.id, "completed", best_run_id=best.id)
    store.close()
    return experiment.id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``jupyter server`` on a free loopback port, reading the store from the environment."""

    def __init__(self, store: Path, tmp: Path):
        self.token, port = secrets.token_hex(16), _free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
        env.update(
            AUTOML_CODEGEN_STORE=str(store),
            JUPYTER_CONFIG_DIR=str(tmp / "config"),
            JUPYTER_DATA_DIR=str(tmp / "data"),
            JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        )
        (tmp / "root").mkdir(parents=True, exist_ok=True)
        self.log = open(tmp / "server.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("jupyter")),
                "server",
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={tmp / 'root'}",
                "--ServerApp.log_level=WARN",
            ],  # fmt: skip
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.token}"
        self._wait()

    def _wait(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter server exited; see {self.log.name}")
            try:
                if self.session.get(f"{self.url}/api/status", timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"jupyter server did not start; see {self.log.name}")

    def stop(self) -> None:
        self.session.close()
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()


def percentiles_ms(function, requests_: int, warmup: int = 10) -> tuple[float, float]:
    """(p50, p95) in milliseconds of ``requests_`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(requests_):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return cuts[49], cuts[94]


def measure(size: int, requests_: int, tmp: Path) -> dict:
    root = tmp / f"store_{size}"
    started = time.perf_counter()
    experiment_id = filled_store(root, size)
    fill_s = time.perf_counter() - started

    store = RunStore(root)

    def direct() -> None:
        runs = store.list_runs(
            experiment_id, order_by="primary_metric_value", descending=True, limit=PAGE
        )
        assert len(runs) == PAGE and store.count_runs(experiment_id) == size

    server = LiveServer(root, tmp / f"server_{size}")
    url = f"{server.url}/{API}/experiments/{experiment_id}/runs"

    def over_http() -> None:
        reply = server.session.get(url, timeout=30)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        assert (len(page["items"]), page["total"], page["order"]) == (PAGE, size, "desc")

    try:
        server_p50, server_p95 = percentiles_ms(over_http, requests_)
        direct_p50, direct_p95 = percentiles_ms(direct, requests_)
    finally:
        server.stop()
        store.close()
    return {
        "size": size,
        "fill_s": fill_s,
        "server": (server_p50, server_p95),
        "direct": (direct_p50, direct_p95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="api-bench-") as folder:
        tmp = Path(folder)
        per_run = api_seconds_per_run(tmp / "api_fill")
        print(
            f"filling through RunStore's API: {per_run * 1000:.1f} ms per run, so "
            f"{per_run * max(args.sizes) / 60:.1f} min and {max(args.sizes):,} model files "
            f"for {max(args.sizes):,} runs; the stores below are bulk-inserted\n"
        )
        rows = [measure(size, args.requests, tmp) for size in args.sizes]
    print(
        f"GET experiments/{{id}}/runs, first page of {PAGE}, best AUC_weighted first "
        f"({args.requests} requests after 10 warm-up; peer: RunStore.list_runs + count_runs "
        "in-process)\n"
    )
    header = (
        f"{'runs':>9}  {'fill s':>6}  {'API p50':>8}  {'API p95':>8}  "
        f"{'peer p50':>8}  {'peer p95':>8}  {'API/peer p50':>12}  {'p95 < 100 ms':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        (s50, s95), (d50, d95) = row["server"], row["direct"]
        print(
            f"{row['size']:>9,}  {row['fill_s']:>6.1f}  {s50:>6.1f}ms  {s95:>6.1f}ms  "
            f"{d50:>6.1f}ms  {d95:>6.1f}ms  {s50 / d50:>11.1f}x  {'yes' if s95 < 100 else 'NO':>12}"
        )


SPEC = _spec_json()

if __name__ == "__main__":
    main()

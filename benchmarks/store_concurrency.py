"""Concurrent writers on one run store: write-lock waits and the latency of listing runs.

N writer processes (4, 8, 16) each play the store's side of an experiment as fast as they can:
create the experiment, then per trial create a child run, start it, complete it with a
20 KB model file and merge properties (the writes the driver makes per trial, without the
training). Meanwhile one reader process lists an experiment's runs (first page of 50, best
first) and counts them in a loop, as the REST API does. Printed side by side with the peer:
the same load written by a single writer process.

Lock retries: the store has no retry loop. Every write transaction starts with
``BEGIN IMMEDIATE``, and SQLite itself waits (busy timeout, 30 s) while another process holds
the write lock; so the table reports the time ``BEGIN IMMEDIATE`` took (the lock wait), the
share of writes that waited over 1 ms, and any "database is locked" error (there should be
none: an error would mean a wait over 30 s).

    .venv/bin/python benchmarks/store_concurrency.py [--writers 1 4 8 16] [--trials 100]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time

from jupyter_automl_codegen import RunStore
from jupyter_automl_codegen.store.connection import WRITE_LOCK_STATS

MODEL = b"m" * 20_000
SPEC = {"class": "sklearn.linear_model.LogisticRegression", "params": {"C": 1.0}}


def writer(root: str, index: int, trials: int, queue) -> None:
    store = RunStore(root, recover=False)
    WRITE_LOCK_STATS.reset()
    errors = 0
    started = time.perf_counter()
    _, parent = store.create_experiment(
        f"writer-{index}", task="classification", label="y", primary_metric="accuracy"
    )
    for trial in range(trials):
        try:
            run = store.create_child_run(parent.id, algorithm="LogisticRegression", spec=SPEC)
            store.start_run(run.id)
            store.complete_run(
                run.id,
                metrics={"accuracy": trial / trials},
                primary_metric_value=trial / trials,
                fit_time=0.01,
                score_time=0.001,
                model_bytes=MODEL,
                versions={"scikit-learn": "1"},
            )
            store.update_properties(run.id, worker=f"w{index}", compute="local")
        except Exception as error:  # noqa: BLE001 - counted, the benchmark goes on
            errors += 1 if "locked" in str(error) else 0
    store.finish_parent(parent.id, "completed")
    queue.put(
        {
            "seconds": time.perf_counter() - started,
            "writes": WRITE_LOCK_STATS.writes,
            "waited": WRITE_LOCK_STATS.waited,
            "waits": WRITE_LOCK_STATS.wait_seconds,
            "errors": errors,
        }
    )


def reader(root: str, stop, queue) -> None:
    store = RunStore(root, recover=False)
    latencies = []
    while not stop.is_set():
        experiments = store.list_experiments()
        if not experiments:
            time.sleep(0.01)
            continue
        started = time.perf_counter()
        store.list_runs(
            experiments[0].id, order_by="primary_metric_value", descending=True, limit=50
        )
        store.count_runs(experiments[0].id)
        latencies.append(time.perf_counter() - started)
    queue.put(latencies)


def measure(writers: int, trials: int) -> dict:
    with tempfile.TemporaryDirectory() as root:
        RunStore(root).close()
        context = multiprocessing.get_context("spawn")
        queue, stop = context.Queue(), context.Event()
        read = context.Process(target=reader, args=(root, stop, queue))
        read.start()
        processes = [
            context.Process(target=writer, args=(root, i, trials, queue)) for i in range(writers)
        ]
        started = time.perf_counter()
        for process in processes:
            process.start()
        results = [queue.get() for _ in processes]
        elapsed = time.perf_counter() - started
        stop.set()
        latencies = queue.get()
        for process in [*processes, read]:
            process.join()
    waits = [w for r in results for w in r["waits"]]
    writes = sum(r["writes"] for r in results)
    return {
        "writers": writers,
        "runs": writers * trials,
        "runs_per_s": writers * trials / elapsed,
        "writes": writes,
        "waited_share": sum(r["waited"] for r in results) / max(1, writes),
        "wait_p95_ms": 1000 * _p95(waits),
        "wait_max_ms": 1000 * max(waits, default=0.0),
        "errors": sum(r["errors"] for r in results),
        "lists": len(latencies),
        "list_p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "list_p95_ms": 1000 * _p95(latencies),
    }


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--trials", type=int, default=100, help="child runs per writer")
    args = parser.parse_args()
    header = (
        f"{'writers':>7} {'runs':>6} {'runs/s':>7} {'writes':>7} {'waited':>7} "
        f"{'wait p95':>9} {'wait max':>9} {'locked':>6} {'lists':>6} {'list p50':>9} "
        f"{'list p95':>9}"
    )
    print(header)
    for count in args.writers:
        row = measure(count, args.trials)
        label = f"{count}{' (peer)' if count == 1 else ''}"
        print(
            f"{label:>7} {row['runs']:>6} {row['runs_per_s']:>7.0f} {row['writes']:>7} "
            f"{row['waited_share']:>6.0%} {row['wait_p95_ms']:>7.1f}ms "
            f"{row['wait_max_ms']:>7.1f}ms {row['errors']:>6} {row['lists']:>6} "
            f"{row['list_p50_ms']:>7.2f}ms {row['list_p95_ms']:>7.2f}ms"
        )


if __name__ == "__main__":
    main()

"""Held-out quality and budget use of ``automl-codegen train`` against a default baseline.

For each bundled data set: hold out 25 % of the rows (stratified for classification), train
with the real command line under a time budget on the rest, and score the best run on the
held-out rows next to the peer, a default HistGradientBoosting pipeline (median imputation,
ordinal-encoded categoricals, text and dates as ordinal categories) fitted on the same rows.
The engine trains twice, with its ensembles (``automl``) and with ``--no-ensembles``
(``no_ens``); ``best`` is the algorithm of the best run with ensembles. The baseline
pipeline is ``peer_workers.hgb_pipeline``, shared with ``automl_vs_peers.py``.
Prints one table; nothing here is a pass/fail test.

    .venv/bin/python benchmarks/heldout_vs_baseline.py --timeout 60
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from peer_workers import hgb_pipeline as baseline
from sklearn.metrics import mean_squared_error, roc_auc_score
from sklearn.model_selection import train_test_split

from jupyter_automl_codegen import RunStore, load_dataset
from jupyter_automl_codegen.automl.runs import ChildRun

DATASETS = ("penguins", "cars", "seattle-weather")


def score(task: str, y_true, predict, predict_proba, classes=None) -> float:
    """AUC_weighted for classification, RMSE for regression, on held-out rows."""
    if task == "classification":
        proba = predict_proba()
        if len(classes) == 2:
            return roc_auc_score(y_true, proba[:, 1])
        return roc_auc_score(y_true, proba, average="weighted", multi_class="ovr", labels=classes)
    return float(np.sqrt(mean_squared_error(y_true, predict())))


def run(name: str, timeout: float, workers: int) -> dict:
    dataset = load_dataset(name)
    frame = dataset.frame[dataset.frame[dataset.label].notna()].reset_index(drop=True)
    stratify = frame[dataset.label] if dataset.task == "classification" else None
    train, test = train_test_split(frame, test_size=0.25, random_state=0, stratify=stratify)
    with_ensembles = train_and_score(dataset, train, test, timeout, workers, ensembles=True)
    without = train_and_score(dataset, train, test, timeout, workers, ensembles=False)
    peer = baseline(train.drop(columns=[dataset.label]), dataset.task)
    peer.fit(train.drop(columns=[dataset.label]), train[dataset.label])
    peer_classes = list(peer.classes_) if dataset.task == "classification" else None
    features = test.drop(columns=[dataset.label])
    hgb = score(
        dataset.task,
        test[dataset.label],
        lambda: peer.predict(features),
        lambda: peer.predict_proba(features),
        peer_classes,
    )
    return {
        "data": name,
        "task": dataset.task,
        "metric": "AUC_weighted" if dataset.task == "classification" else "RMSE",
        **with_ensembles,
        "no_ens": without["automl"],
        "no_ens_wall_s": without["wall_s"],
        "hgb_default": hgb,
    }


def train_and_score(dataset, train, test, timeout, workers, *, ensembles: bool) -> dict:
    """Train with the command line and score its best run on the held-out rows."""
    features = test.drop(columns=[dataset.label])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / f"{dataset.name}.csv"
        train.to_csv(data, index=False)
        started = time.monotonic()
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter_automl_codegen.cli",
                "--store",
                f"{tmp}/store",
                "train",
                str(data),
                "--label",
                dataset.label,
                "--task",
                dataset.task,
                "--timeout",
                str(timeout),
                "--workers",
                str(workers),
                "--json",
                *([] if ensembles else ["--no-ensembles"]),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.monotonic() - started
        summary = json.loads(completed.stdout)
        store = RunStore(f"{tmp}/store")
        best = ChildRun(store, summary["best_run_id"])
        model = best.get_model()  # self-contained: the data's own labels in and out
        classes = list(model.classes_) if dataset.task == "classification" else None
        automl = score(
            dataset.task,
            test[dataset.label],
            lambda: best.predict(features),
            lambda: best.predict_proba(features).to_numpy(),
            classes,
        )
        runs = summary["runs"]
        done = [r for r in runs if r["status"] == "completed"]
        families = {r["algorithm"] for r in done}
        ensembles_report = store.get_run(summary["parent_run_id"]).properties["ensembles"]
    built = [
        name
        for name in ("VotingEnsemble", "StackEnsemble")
        if ensembles_report.get(name, {}).get("status") == "completed"
    ]
    return {
        "automl": automl,
        "best": best.algorithm,
        "ensembles": "+".join(n.removesuffix("Ensemble") for n in built) or "-",
        "wall_s": wall,
        "completed": len(done),
        "trials": len(runs),
        "algorithms": len(families),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--datasets", nargs="*", default=DATASETS)
    args = parser.parse_args()
    header = (
        "data",
        "task",
        "metric",
        "automl",
        "no_ens",
        "hgb_default",
        "ratio",
        "best",
        "ensembles",
        "wall_s",
        "no_ens_wall_s",
        "completed",
        "trials",
        "algorithms",
    )
    print(" | ".join(header))
    for name in args.datasets:
        row = run(name, args.timeout, args.workers)
        ratio = row["automl"] / row["hgb_default"]
        print(
            " | ".join(
                [
                    row["data"],
                    row["task"],
                    row["metric"],
                    f"{row['automl']:.4f}",
                    f"{row['no_ens']:.4f}",
                    f"{row['hgb_default']:.4f}",
                    f"{ratio:.3f}",
                    row["best"],
                    row["ensembles"],
                    f"{row['wall_s']:.1f}",
                    f"{row['no_ens_wall_s']:.1f}",
                    str(row["completed"]),
                    str(row["trials"]),
                    str(row["algorithms"]),
                ]
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()

"""The deploy path works in a fresh virtual environment holding only ``requirements.txt``.

Two experiments, every family and both ensembles, on bundled data sets the engine is not
tuned on: Seattle weather classification (a date, numbers, a string label) and cars
regression (free text, a date, a category, numbers with missing values). Every completed run, trials and ensembles, is
retrained by its ``script.py`` in the fresh environment; then, from another directory and with
nothing of the generated folder on ``sys.path``, ``joblib.load(model.pkl).predict`` (and
``predict_proba``, columns named by ``classes_``) on held-out raw rows read by
``pd.read_csv``, label and an extra column included, columns shuffled, must answer what
``automl-codegen predict`` answers for the stored model, and ``score.py`` must write the
same file.
"""

from __future__ import annotations

import json
import os
import subprocess
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import load_dataset
from jupyter_automl_codegen.automl.zoo import algorithm_names

from ..budgets import AMPLE_TIME_BUDGET_SECONDS
from ..clitools import run_cli, run_cli_json

pytestmark = pytest.mark.slow

# The fresh environment must not see this package through the caller's PYTHONPATH either.
FRESH_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
HELD_OUT_ROWS = 60
EXTRA_COLUMN = "note_not_a_feature"

# Azure's last step, as a user writes it; it also records what the model says about itself.
DEPLOY_SNIPPET = """
import json, sys
import joblib, pandas as pd
model_path, data, out, facts, label_column, *forbidden = sys.argv[1:]
assert not [p for p in sys.path if any(p.startswith(f) for f in forbidden)], sys.path
model = joblib.load(model_path)
rows = pd.read_csv(data)
result = pd.DataFrame({"prediction": model.predict(rows)})
if hasattr(model, "predict_proba"):
    probabilities = model.predict_proba(rows)
    for index, label in enumerate(model.classes_):
        result[f"proba_{label}"] = probabilities[:, index]
result.to_csv(out, index=False)
predictions = model.predict(rows)
json.dump({
    "classes": [str(c) for c in getattr(model, "classes_", [])],
    "prediction_types": sorted({type(p).__name__ for p in predictions}),
    "strings": all(isinstance(p, str) for p in predictions),
    "numbers": predictions.dtype.kind == "f",
    "same_without_label": bool((model.predict(rows.drop(columns=[label_column])) == predictions).all()),
    "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("script", "score")),
}, open(facts, "w"))
"""


def held_out_split(name: str, seed: int):
    """The data set's training rows, and held-out rows as a user's file would give them:
    the label kept, an unrelated column added, the columns in another order."""
    dataset = load_dataset(name)
    shuffled = dataset.frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    train, test = shuffled.iloc[HELD_OUT_ROWS:], shuffled.iloc[:HELD_OUT_ROWS].copy()
    test[EXTRA_COLUMN] = [f"row {i}" for i in range(len(test))]
    order = np.random.default_rng(seed).permutation(test.columns)
    return dataset, train, test[list(order)]


def train_experiment(name: str, tmp_path: Path, store: Path) -> dict:
    dataset, train, test = held_out_split(name, seed=7)
    train_file = tmp_path / f"{name}-train.csv"
    test_file = tmp_path / f"{name}-test.csv"
    train.to_csv(train_file, index=False)
    test.to_csv(test_file, index=False)
    summary = run_cli_json(
        "train",
        train_file,
        "--label",
        dataset.label,
        "--task",
        dataset.task,
        "--max-trials",  # the first round tries every family once
        str(len(algorithm_names(dataset.task))),
        "--workers",
        "2",
        "--timeout",
        str(AMPLE_TIME_BUDGET_SECONDS),
        "--no-code-generation",
        store=store,
    )
    runs = [r for r in summary["runs"] if r["status"] == "completed"]
    ensembles = {r["algorithm"] for r in runs if "members" in r}
    assert ensembles == {"VotingEnsemble", "StackEnsemble"}, runs
    assert {r["algorithm"] for r in runs} - ensembles == set(algorithm_names(dataset.task))
    return {"dataset": dataset, "test_file": test_file, "run_ids": [r["run_id"] for r in runs]}


def fresh_environment(path: Path, requirements: set[str]) -> str:
    """A virtual environment with only the generated requirements, and without this package."""
    venv.create(path, with_pip=True)
    python = str(path / "bin" / "python")
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", *sorted(requirements)],
        capture_output=True,
        text=True,
        timeout=900,
        env=FRESH_ENV,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    probe = subprocess.run(
        [python, "-c", "import jupyter_automl_codegen"],
        cwd=path,
        capture_output=True,
        text=True,
        env=FRESH_ENV,
    )
    assert probe.returncode != 0 and "jupyter_automl_codegen" in probe.stderr
    return python


def run_fresh(python: str, *args, cwd: Path):
    result = subprocess.run(
        [python, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=FRESH_ENV,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def assert_same_predictions(ours: pd.DataFrame, theirs: pd.DataFrame, task: str, run_id: str):
    assert list(ours.columns) == list(theirs.columns), run_id
    assert len(ours) == len(theirs) == HELD_OUT_ROWS, run_id
    if task == "classification":
        labels = ours["prediction"].astype(str), theirs["prediction"].astype(str)
        assert (labels[0] == labels[1]).all(), run_id
        numbers = ours.drop(columns="prediction"), theirs.drop(columns="prediction")
    else:
        numbers = ours, theirs
    np.testing.assert_allclose(
        numbers[0].to_numpy(float), numbers[1].to_numpy(float), rtol=1e-9, atol=0, err_msg=run_id
    )


def code_folder(run_id: str, store: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "code" / run_id
    result = run_cli("codegen", run_id, "--out", folder, store=store)
    assert result.returncode == 0, result.stderr
    assert {p.name for p in folder.iterdir()} >= {"script.py", "score.py", "requirements.txt"}
    return folder


def check_deploy_path(python: str, run_id: str, experiment: dict, store: Path, tmp_path: Path):
    """Retrain the run in the fresh environment, then score its held-out rows three ways."""
    dataset, test_file = experiment["dataset"], experiment["test_file"]
    folder, output = tmp_path / "code" / run_id, tmp_path / "out" / run_id
    elsewhere = tmp_path / "elsewhere" / run_id  # neither the generated folder nor the model's
    elsewhere.mkdir(parents=True)
    run_fresh(python, folder / "script.py", "--output-dir", output, cwd=tmp_path)
    model = output / "model.pkl"

    deployed, facts = elsewhere / "deployed.csv", elsewhere / "facts.json"
    snippet_args = (model, test_file, deployed, facts, dataset.label, folder, output)
    run_fresh(python, "-c", DEPLOY_SNIPPET, *snippet_args, cwd=elsewhere)
    scored = elsewhere / "scored.csv"
    score_args = ("--model", model, "--data", test_file, "--out", scored)
    run_fresh(python, folder / "score.py", *score_args, cwd=elsewhere)
    cli = elsewhere / "cli.csv"
    result = run_cli("predict", run_id, test_file, "--out", cli, store=store)
    assert result.returncode == 0, result.stderr

    expected = pd.read_csv(cli)
    assert_same_predictions(pd.read_csv(deployed), expected, dataset.task, run_id)
    assert_same_predictions(pd.read_csv(scored), expected, dataset.task, run_id)
    # score.py is the snippet as a program: the same model writes the same bytes.
    assert scored.read_bytes() == deployed.read_bytes(), run_id

    said = json.loads(facts.read_text())
    assert said["modules"] == [] and said["same_without_label"], run_id
    if dataset.task == "classification":
        labels = sorted(dataset.frame[dataset.label].unique())
        assert said["classes"] == labels, run_id  # the data's own labels, not codes
        assert said["strings"], (run_id, said["prediction_types"])
        assert set(expected["prediction"]) <= set(labels), run_id
    else:
        assert said["classes"] == [], run_id
        assert said["numbers"], (run_id, said["prediction_types"])


def test_models_deploy_from_a_fresh_environment(tmp_path):
    store = tmp_path / "store"
    experiments = [train_experiment(n, tmp_path, store) for n in ("seattle-weather", "cars")]
    runs = [(run_id, e) for e in experiments for run_id in e["run_ids"]]

    # Every run's checks are subprocesses: two at a time keep both cores busy.
    with ThreadPoolExecutor(max_workers=2) as pool:
        folders = list(pool.map(lambda run: code_folder(run[0], store, tmp_path), runs))
        requirements = {
            line for folder in folders for line in (folder / "requirements.txt").read_text().split()
        }
        python = fresh_environment(tmp_path / "fresh-venv", requirements)
        checks = [
            pool.submit(check_deploy_path, python, run_id, experiment, store, tmp_path)
            for run_id, experiment in runs
        ]
        for check in checks:
            check.result()

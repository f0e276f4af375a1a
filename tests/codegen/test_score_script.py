"""``score.py`` writes what ``automl-codegen predict`` writes, from the model ``script.py`` saves.

For the best run and one single-model run of both tasks: ``script.py --output-dir OUT``, then
``score.py --model OUT/model.pkl --data test.csv --out a.csv`` from another directory, against
``automl-codegen predict RUN test.csv --out b.csv``: the same columns in the same order, the
labels identical and the numbers equal to 1e-9. The rows hold the label column, as a held-out
file does. The classification cases need the self-contained model (original labels out,
``classes_`` the data's labels).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import load_dataset
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..clitools import run_cli
from ..conftest import _split
from .test_fidelity import _run_script

pytestmark = pytest.mark.slow

DATASETS = {"classification": "penguins", "regression": "cars"}
ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


def _chosen_runs(run):
    """The best run and the best run that is not an ensemble."""
    board = run.leaderboard()
    single = next(child for child in board if child.algorithm not in ENSEMBLES)
    return {child.id: child for child in (board[0], single)}.values()


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_score_script_writes_what_predict_writes(trained_store, task, tmp_path):
    store = trained_store["store"]
    dataset = load_dataset(DATASETS[task])
    test_file = tmp_path / "test.csv"
    _split(dataset.frame)[1].to_csv(test_file, index=False)  # held-out rows, label included
    for child in _chosen_runs(trained_store[task]):
        folder = stored_code_dir(store, child.id)
        output = tmp_path / child.id / "out"
        built = _run_script(folder, output)
        assert built.returncode == 0, built.stderr
        elsewhere = tmp_path / child.id / "elsewhere"
        elsewhere.mkdir()
        scored = subprocess.run(
            [sys.executable, str(folder / "score.py"), "--model", str(output / "model.pkl")]
            + ["--data", str(test_file), "--out", "a.csv"],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert scored.returncode == 0, scored.stderr
        predicted = run_cli(
            "predict", child.id, test_file, "--out", tmp_path / "b.csv", store=store.root
        )
        assert predicted.returncode == 0, predicted.stderr
        a = pd.read_csv(elsewhere / "a.csv")
        b = pd.read_csv(tmp_path / "b.csv")
        assert list(a.columns) == list(b.columns), child.algorithm
        assert list(a.columns[:1]) == ["prediction"]
        if task == "classification":
            assert a["prediction"].tolist() == b["prediction"].tolist(), child.algorithm
            numbers = a.columns[1:]
        else:
            numbers = a.columns
        np.testing.assert_allclose(
            a[numbers].to_numpy(float), b[numbers].to_numpy(float), rtol=0, atol=1e-9
        )

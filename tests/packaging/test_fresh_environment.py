"""Generated code runs in a fresh virtual environment holding only its requirements.txt.

The experiment uses the bundled Seattle weather data (dates, numbers and a categorical label),
which the engine and code generator are not tuned on. For every completed run, the script
trains in the fresh environment and its model must predict what ``automl-codegen predict``
predicts for the stored model, on every row.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv

import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import load_dataset

from ..clitools import run_cli, run_cli_json

pytestmark = pytest.mark.slow

# The fresh environment must not see this package through the caller's PYTHONPATH either.
FRESH_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}

PREDICT_SNIPPET = """
import importlib.util, sys
import joblib, pandas as pd
folder, model_path, data, out = sys.argv[1:5]
sys.path.insert(0, model_path.rsplit("/", 1)[0])  # the helper modules saved beside the model
spec = importlib.util.spec_from_file_location("script", folder + "/script.py")
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)
model = joblib.load(model_path)
X, _ = script.prepare_data(pd.read_csv(data))
result = pd.DataFrame({"prediction": [script.CLASSES[c] for c in model.predict(X)]})
for i, label in enumerate(script.CLASSES):
    result[f"proba_{label}"] = model.predict_proba(X)[:, i]
result.to_csv(out, index=False)
"""


def test_scripts_rebuild_every_run_in_a_fresh_environment(tmp_path):
    weather = load_dataset("seattle-weather")
    data = tmp_path / "weather.csv"
    weather.frame.to_csv(data, index=False)
    store = tmp_path / "store"
    summary = run_cli_json(
        "train",
        data,
        "--label",
        weather.label,
        "--task",
        weather.task,
        "--max-trials",
        "8",
        "--workers",
        "2",
        "--timeout",
        "300",
        "--no-code-generation",
        store=store,
    )
    completed = [r["run_id"] for r in summary["runs"] if r["status"] == "completed"]
    assert len(completed) >= 6

    folders, requirements = {}, set()
    for run_id in completed:
        folder = tmp_path / "code" / run_id
        result = run_cli("codegen", run_id, "--out", folder, store=store)
        assert result.returncode == 0, result.stderr
        assert {p.name for p in folder.iterdir()} >= {
            "script.py",
            "training_code.ipynb",
            "script_run_notebook.ipynb",
            "requirements.txt",
        }
        folders[run_id] = folder
        requirements |= set((folder / "requirements.txt").read_text().split())

    environment = tmp_path / "fresh-venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
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
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=FRESH_ENV,
    )
    assert probe.returncode != 0  # the fresh environment really lacks our package

    for run_id, folder in folders.items():
        output = tmp_path / "out" / run_id
        trained = subprocess.run(
            [python, str(folder / "script.py"), "--output-dir", str(output)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
            env=FRESH_ENV,
        )
        assert trained.returncode == 0, trained.stderr[-3000:]
        ours = tmp_path / f"{run_id}-fresh.csv"
        predicted = subprocess.run(
            [
                python,
                "-c",
                PREDICT_SNIPPET,
                str(folder),
                str(output / "model.pkl"),
                str(data),
                str(ours),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env=FRESH_ENV,
        )
        assert predicted.returncode == 0, predicted.stderr[-3000:]
        theirs = tmp_path / f"{run_id}-cli.csv"
        result = run_cli("predict", run_id, data, "--out", theirs, store=store)
        assert result.returncode == 0, result.stderr
        fresh, cli = pd.read_csv(ours), pd.read_csv(theirs)
        assert list(fresh.columns) == list(cli.columns)
        assert (fresh["prediction"] == cli["prediction"]).all(), run_id
        np.testing.assert_allclose(
            fresh.drop(columns="prediction").to_numpy(),
            cli.drop(columns="prediction").to_numpy(),
            rtol=1e-9,
            atol=0,
        )
    assert sys.prefix != str(environment)

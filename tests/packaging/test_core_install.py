"""`pip install .` with no extras: a user's core install, in a fresh virtual environment.

A clean copy of the checkout (the files git tracks or would track, so no built labextension
and no virtualenv) is built by pip in its own isolated build environment: hatch-jupyter-builder
runs `jlpm install` and `jlpm build:prod`, hatch-nodejs-version reads the version from
package.json. The core install must then enable both Jupyter extensions, train a small
classification experiment through the command line and generate its code; the features that
need an extra must end with one clear error naming it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from jupyter_automl_codegen import load_dataset

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Nothing of the developer's environment leaks in: no PYTHONPATH, no Jupyter folders.
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("PYTHONPATH", "PYTHONHOME") and "JUPYTER" not in k
}


def _run(*command, cwd=None, check=True, timeout=1800) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
        cwd=cwd,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr[-5000:]}"
    return result


def _output(*command) -> str:
    result = _run(*command)
    return ANSI.sub("", result.stdout + result.stderr)


def _clean_copy(target: Path) -> Path:
    """The checkout's files as git sees them (committed or not), without ignored ones."""
    listed = _run(
        "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def core_env(tmp_path_factory):
    """A fresh virtual environment holding `pip install <clean copy>` and nothing else."""
    root = tmp_path_factory.mktemp("core-install")
    copy = _clean_copy(root / "copy")
    assert not (copy / "jupyter_automl_codegen" / "labextension").exists()
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    _run(env_dir / "bin" / "python", "-m", "pip", "install", "--quiet", copy)
    return env_dir


def test_core_install_has_no_optional_libraries(core_env):
    probe = "import importlib.util as u; print([m for m in ('statsforecast', 'mlforecast', 'distributed', 'palmerpenguins') if u.find_spec(m)])"
    assert _output(core_env / "bin" / "python", "-c", probe).strip() == "[]"


def test_core_install_enables_both_extensions(core_env):
    python = core_env / "bin" / "python"
    labextensions = _output(python, "-m", "jupyter", "labextension", "list")
    line = next(line for line in labextensions.splitlines() if "jupyter-automl-codegen" in line)
    assert "enabled" in line and "OK" in line, labextensions
    installed = core_env / "share" / "jupyter" / "labextensions" / "jupyter-automl-codegen"
    assert (installed / "install.json").is_file()
    assert list((installed / "static").glob("remoteEntry.*.js"))
    assert (installed / "schemas" / "jupyter-automl-codegen" / "plugin.json").is_file()

    server = _output(python, "-m", "jupyter", "server", "extension", "list")
    assert re.search(r"jupyter_automl_codegen\s+enabled", server), server
    assert "jupyter_automl_codegen" in server and "OK" in server, server


def test_core_install_version_is_package_json_s(core_env):
    npm_version = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["version"]
    python = core_env / "bin" / "python"
    installed = _output(python, "-c", "import jupyter_automl_codegen as p; print(p.__version__)")
    assert installed.strip() == npm_version


def test_core_install_trains_a_classification_and_generates_its_code(core_env, tmp_path):
    penguins = load_dataset("penguins")
    data = tmp_path / "penguins.csv"
    penguins.frame.to_csv(data, index=False)
    cli = core_env / "bin" / "automl-codegen"
    store = tmp_path / "store"
    trained = _run(
        cli, "--store", store, "train", data, "--label", penguins.label,
        "--task", "classification", "--max-trials", "4", "--workers", "1",
        "--timeout", "300", "--no-ensembles", "--json", cwd=tmp_path,
    )  # fmt: skip
    summary = json.loads(trained.stdout)
    assert summary["status"] == "completed"
    best = summary["best_run_id"]
    assert best in {run["run_id"] for run in summary["runs"] if run["status"] == "completed"}

    folder = tmp_path / "code"
    _run(cli, "--store", store, "codegen", best, "--out", folder, cwd=tmp_path)
    assert {p.name for p in folder.iterdir()} >= {
        "script.py",
        "training_code.ipynb",
        "script_run_notebook.ipynb",
        "requirements.txt",
    }
    compile((folder / "script.py").read_text(encoding="utf-8"), "script.py", "exec")


def _single_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("automl-codegen: error:"), result.stderr
    return lines[0]


def test_forecasting_without_its_extra_names_the_extra(core_env, tmp_path):
    passengers = load_dataset("air-passengers")
    data = tmp_path / "passengers.csv"
    passengers.frame.to_csv(data, index=False)
    result = _run(
        core_env / "bin" / "automl-codegen", "--store", tmp_path / "store", "train", data,
        "--label", passengers.label, "--task", "forecasting",
        "--time-column", passengers.time_column, "--horizon", str(passengers.horizon),
        "--max-trials", "2", cwd=tmp_path, check=False,
    )  # fmt: skip
    assert "jupyter-automl-codegen[forecasting]" in _single_error_line(result)


def test_dask_without_its_extra_names_the_extra(core_env, tmp_path):
    penguins = load_dataset("penguins")
    data = tmp_path / "penguins.csv"
    penguins.frame.to_csv(data, index=False)
    result = _run(
        core_env / "bin" / "automl-codegen", "--store", tmp_path / "store", "train", data,
        "--label", penguins.label, "--task", "classification",
        "--dask-scheduler", "tcp://127.0.0.1:8786", cwd=tmp_path, check=False,
    )  # fmt: skip
    assert "jupyter-automl-codegen[dask]" in _single_error_line(result)

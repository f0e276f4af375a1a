"""The package's public API, pinned: its names and the signatures of its functions.

A change here is a change for every user's code (and the generated notebooks, which import
``resume`` and ``run_script``); make it on purpose, with the README and docs.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import jupyter_automl_codegen

PUBLIC_NAMES = [
    "AutoMLConfig",
    "AutoMLRun",
    "ChildRun",
    "ConfigError",
    "DataError",
    "ModelBrowser",
    "RunStore",
    "generate_training_code",
    "load_dataset",
    "load_ipython_extension",
    "resume",
    "run_script",
    "submit",
]

SIGNATURES = {
    "submit": (
        "(config: 'AutoMLConfig', training_data: 'pd.DataFrame | str | Path | None' = None, *, "
        "store: 'RunStore | str | Path | None' = None, experiment_name: 'str | None' = None, "
        "show_progress: 'bool' = True, started_at: 'float | None' = None, "
        "show_panel: 'bool | None' = None) -> 'AutoMLRun'"
    ),
    "resume": (
        "(experiment_id: 'str', *, store: 'RunStore | str | Path | None' = None, "
        "show_progress: 'bool' = True, dask_scheduler: 'str | None' = None) -> 'AutoMLRun'"
    ),
    "run_script": (
        "(script_path: 'str | Path', output_dir: 'str | Path', *, source_run_id: 'str', "
        "store: 'RunStore | str | Path | None' = None, data: 'str | Path | None' = None, "
        "forecasting: 'dict | None' = None, dask_scheduler: 'str | None' = None) -> 'dict'"
    ),
    "generate_training_code": (
        "(source, out_dir: 'str | Path', *, store: 'RunStore | str | Path | None' = None, "
        "training_data: 'pd.DataFrame | None' = None, label: 'str | None' = None, "
        "seed: 'int' = 0, experiment_name: 'str | None' = None) -> 'dict[str, Path]'"
    ),
}


def test_the_public_names_are_pinned():
    assert jupyter_automl_codegen.__all__ == PUBLIC_NAMES


def test_the_public_functions_keep_their_signatures():
    for name, signature in SIGNATURES.items():
        assert str(inspect.signature(getattr(jupyter_automl_codegen, name))) == signature, name


def test_there_is_one_submit_and_it_takes_started_at():
    from jupyter_automl_codegen.automl import experiment

    assert jupyter_automl_codegen.submit is experiment.submit
    assert jupyter_automl_codegen.automl.submit is experiment.submit
    assert "started_at" in inspect.signature(jupyter_automl_codegen.submit).parameters
    assert jupyter_automl_codegen.resume is experiment.resume


def test_the_names_the_generated_notebooks_import_are_exported():
    from jupyter_automl_codegen import tracking

    assert jupyter_automl_codegen.run_script is tracking.run_script


def test_tabular_automl_loads_no_optional_extra():
    """Importing the package, its API and the tabular driver loads neither the forecasting
    libraries nor Dask (they are extras)."""
    code = (
        "import sys, jupyter_automl_codegen as j\n"
        "j.submit, j.resume, j.run_script, j.AutoMLConfig, j.AutoMLRun\n"
        "import jupyter_automl_codegen.automl.tabular, jupyter_automl_codegen.cli\n"
        "j.AutoMLConfig(task='classification', label_column_name='y').validate()\n"
        "extras = ['statsforecast', 'mlforecast', 'dask', 'distributed']\n"
        "print(sorted(name for name in extras if name in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"

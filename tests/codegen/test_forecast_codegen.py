"""Generated code of forecasting runs, built from fixed run facts without training: golden
files (byte-stable, readable output), lint-clean, and safe with hostile column names."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from jupyter_automl_codegen.codegen import render_files

from .golden_cases import FORECASTING_CASES, check_golden_files, forecasting_context


@pytest.mark.parametrize("case", list(FORECASTING_CASES))
def test_generated_forecasting_files_match_golden_files(case):
    files = render_files(FORECASTING_CASES[case]().context)
    check_golden_files(case, files)
    # a forecast needs the series' history: no score.py, no test rows to score
    assert "score.py" not in files and "test_rows.csv" not in files


@pytest.mark.parametrize(
    "algorithm", ["SeasonalNaive", "AutoTheta", "AutoARIMA", "Ridge", "ExtraTrees"]
)
@pytest.mark.parametrize("features", [(), ("price",)])
def test_forecasting_scripts_are_lint_clean_and_import_only_public_packages(
    tmp_path, algorithm, features
):
    script = render_files(forecasting_context(algorithm, features=features))["script.py"]
    path = tmp_path / "script.py"
    path.write_text(script)
    checked = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "E,F,W,I,B,UP"]
        + ["--ignore", "E501", str(path)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
    modules = set()
    for node in ast.walk(ast.parse(script)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names)
    assert third_party <= {
        "numpy",
        "pandas",
        "sklearn",
        "joblib",
        "lightgbm",
        "mlforecast",
        "statsforecast",
    }


HOSTILE = [
    'x"); import os; os.system("echo pwned',
    "line\nbreak",
    "\u2028tab\tand NUL-free",
    "'''",
    "{TIME_COLUMN}",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_column_names_stay_data(name):
    hostile = forecasting_context(
        "Ridge", label=name, time=name + " time", ids=[name + " id"], features=[name + " f"]
    )
    script = render_files(hostile)["script.py"]
    tree = ast.parse(script)
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert constants["LABEL"] == name
    assert constants["TIME_COLUMN"] == name + " time"
    assert constants["SERIES_ID_COLUMNS"] == [name + " id"]
    assert constants["KNOWN_FEATURES"] == [name + " f"]
    assert "pwned" not in "".join(
        ast.unparse(n) for n in tree.body if not isinstance(n, ast.Assign)
    )

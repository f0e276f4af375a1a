"""Promise 3, Readable (and promise 1, Standalone): generated code a person can read and run.

Generated files are lint-clean and formatted, one function per column group, every column name
written once in its group's constant (and once in FEATURE_COLUMNS), every non-default
estimator argument shown (the pipeline rebuilt from the script has the run's exact spec), no
function that nothing calls, imports from the standard library, the scientific stack and the
folder's own helpers only, and byte-for-byte stable output (golden files).

Set ``UPDATE_GOLDEN=1`` to rewrite ``tests/golden/<case>/`` from the current generator (the
golden tests then fail: review the diff and rerun without it).
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import os
import re
import subprocess
import sys
from collections import Counter
from unittest import mock

import nbformat
import pytest
from ruff.__main__ import find_ruff_bin

import jupyter_automl_codegen
from jupyter_automl_codegen.codegen import render_files, write_files
from jupyter_automl_codegen.codegen.context import KIND_ORDER
from jupyter_automl_codegen.spec import to_spec

from .golden_cases import CASES, GOLDEN_CASES, VERSION_LINE, VERSIONS, check_golden_files

# Modules a generated folder may import besides the standard library.
THIRD_PARTY = {"numpy", "pandas", "scipy", "sklearn", "joblib", "lightgbm", "xgboost", "skrub"}
DISTRIBUTIONS = {"sklearn": "scikit-learn"}  # module -> PyPI name where they differ
GROUP_FUNCTION = re.compile(r"get_(\w+)_transformer")


@functools.cache
def context(case):
    return CASES[case]().context


@functools.cache
def rendered(case):
    return render_files(context(case))


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Each case's generated folder, written once."""
    root = tmp_path_factory.mktemp("generated")
    result = {}
    for case in CASES:
        result[case] = root / case
        write_files(rendered(case), result[case])
    return result


def script_tree(case):
    return ast.parse(rendered(case)["script.py"])


# --- sanity of the cases themselves -------------------------------------------------------------


def test_cases_cover_classification_regression_text_and_dates():
    kinds = {case: set(context(case).column_kinds) for case in CASES}
    assert kinds["binary_logistic"] == {"numeric", "categorical"}
    assert kinds["regression_ridge"] == {"numeric", "categorical"}
    assert {"datetime", "text"} <= kinds["multiclass_lightgbm"]
    assert {"datetime", "text", "high_cardinality"} <= kinds["regression_xgboost"]
    assert set(KIND_ORDER) == kinds["wide"]
    assert context("multiclass_lightgbm").classes == ("bird", "cat", "dog")
    assert context("regression_ridge").task == "regression"


# --- lint and format ----------------------------------------------------------------------------


def ruff(folder, names, *command):
    """Run ruff with its defaults (no project settings) in ``folder``: (ok, report)."""
    result = subprocess.run(
        [find_ruff_bin(), *command, "--isolated", *names],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_script_passes_ruff_check_and_format(case, folders):
    for command in (["check"], ["format", "--check"]):
        ok, report = ruff(folders[case], ["script.py", "score.py"], *command)
        assert ok, f"ruff {' '.join(command)} --isolated script.py score.py:\n{report}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_tabular_folder_has_a_score_script_of_its_task(case):
    """``score.py`` writes ``prediction`` and, for a classifier only, the probabilities; it
    names the run's label and columns once, as literals."""
    score = rendered(case)["score.py"]
    tree = ast.parse(score)
    assert {"read_rows", "load_model", "score", "main"} <= {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef)
    }
    assert ("predict_proba" in score) == (context(case).task == "classification")
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert constants["LABEL"] == context(case).label
    assert constants["FEATURE_COLUMNS"] == list(context(case).feature_columns)
    imported = {module for module, _ in imports_in(tree)}
    assert imported == {"argparse", "pathlib", "joblib", "pandas"}


# --- one function per group, one constant per column --------------------------------------------


def test_wide_frame_gets_one_transformer_function_per_group():
    tree = script_tree("wide")
    functions = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and GROUP_FUNCTION.fullmatch(node.name)
    ]
    assert sorted(functions) == sorted(
        f"get_{group}_transformer"
        for group in ("numeric", "categorical", "high_cardinality", "datetime", "text")
    )
    # The two text columns share one function, applied per column by a loop.
    calls = Counter(
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    )
    assert all(calls[name] == 1 for name in functions), calls


def test_wide_frame_writes_each_column_name_once_per_constant():
    """Exactly: each of the 200 column names occurs twice among the script's string constants,
    once in FEATURE_COLUMNS and once in the constant of its group (NUMERIC_COLUMNS, ...), and
    nowhere else; the label occurs once (LABEL)."""
    ctx = context("wide")
    assert len(ctx.feature_columns) == 200
    assert {kind: len(columns) for kind, columns in ctx.column_kinds.items()} == {
        "numeric": 120,
        "categorical": 60,
        "high_cardinality": 15,
        "datetime": 3,
        "text": 2,
    }
    tree = script_tree("wide")
    strings = Counter(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )
    assert {name: strings[name] for name in ctx.feature_columns} == dict.fromkeys(
        ctx.feature_columns, 2
    )
    assert strings["label"] == 1
    constants = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert constants["FEATURE_COLUMNS"] == list(ctx.feature_columns)
    for kind, columns in ctx.column_kinds.items():
        assert constants[f"{kind.upper()}_COLUMNS"] == columns
    # The column lists are only ever referred to by name inside the functions.
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            inner = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)}
            assert not inner & set(ctx.feature_columns), node.name


# --- every non-default argument shown -----------------------------------------------------------


def import_script(folder, case):
    """The generated script as a module (its ``main`` is guarded, so nothing runs)."""
    spec = importlib.util.spec_from_file_location(f"generated_{case}", folder / "script.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ):
        spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case", sorted(CASES))
def test_rebuilt_pipeline_has_the_runs_exact_spec(case, folders):
    module = import_script(folders[case], case)
    assert to_spec(module.build_model_pipeline()) == context(case).pipeline_spec


@pytest.mark.parametrize("case", sorted(CASES))
def test_estimators_show_no_default_arguments(case, folders):
    """The flip side: a literal argument equal to the library's default is left out."""
    module = import_script(folders[case], case)
    checked = 0
    for node in ast.walk(script_tree(case)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        cls = getattr(module, node.func.id, None)
        if not (isinstance(cls, type) and hasattr(cls, "get_params")):
            continue
        try:
            defaults = cls().get_params(deep=False)
        except TypeError:  # Pipeline, ColumnTransformer, ... have required arguments
            continue
        for keyword in node.keywords:
            try:
                value = ast.literal_eval(keyword.value)
            except ValueError:  # a function or an estimator, not a literal
                continue
            if keyword.arg not in defaults:  # an extra keyword (LightGBM's **kwargs)
                continue
            default = defaults[keyword.arg]
            same = value == default and type(value) is type(default)
            assert not same, f"{node.func.id}({keyword.arg}={value!r}) repeats the default"
            checked += 1
    assert checked


# --- no dead code -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_function_and_constant_is_used(case):
    tree = script_tree(case)
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    called = Counter(
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    )
    assert [name for name in defined if not called[name]] == []
    # main is called by the __main__ guard only.
    guard = tree.body[-1]
    assert isinstance(guard, ast.If) and ast.unparse(guard.test) == "__name__ == '__main__'"
    assert called["main"] == 1 and ast.unparse(guard.body[0]) == "main()"
    constants = [
        node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    ]
    loaded = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    assert [name for name in constants if name not in loaded] == []


# --- standalone: what the generated folder imports ----------------------------------------------


def imports_in(tree):
    """``(top-level module, guarded)`` of every import in ``tree``; guarded means inside the
    body of a ``try`` that catches ImportError. Relative imports are refused."""
    found = []

    def visit(node, guarded):
        if isinstance(node, ast.Try):
            catches = any(
                handler.type is not None
                and re.search(r"\b(ImportError|ModuleNotFoundError)\b", ast.unparse(handler.type))
                for handler in node.handlers
            )
            for child in node.body:
                visit(child, guarded or catches)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name.split(".")[0], guarded) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, ast.unparse(node)
            found.append((node.module.split(".")[0], guarded))
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


def notebook_code(text):
    """The code cells of a notebook as Python (IPython magics and shell lines left out)."""
    notebook = nbformat.reads(text, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            yield "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_folder_imports_only_the_stack_and_its_own_helpers(case):
    """Every generated .py file and every code cell of training_code.ipynb imports only the
    standard library, the scientific stack and the folder's helper modules; so does any other
    notebook, except for imports guarded by ``try: ... except ImportError`` (the script-run
    notebook's optional run tracking)."""
    files = rendered(case)
    helpers = {name[: -len(".py")] for name in files if name.endswith(".py")} - {"script"}
    allowed = set(sys.stdlib_module_names) | THIRD_PARTY | helpers
    sources = {name: text for name, text in files.items() if name.endswith(".py")}
    assert "training_code.ipynb" in files
    for name in (name for name in files if name.endswith(".ipynb")):
        for index, code in enumerate(notebook_code(files[name])):
            sources[f"{name}[{index}]"] = code
    third_party = set()
    for name, source in sources.items():
        strict = not name.endswith("]") or name.startswith("training_code.ipynb[")
        for module, guarded in imports_in(ast.parse(source)):
            if guarded and not strict:
                continue
            assert module != "jupyter_automl_codegen", name
            assert module in allowed, (name, module)
            if module in THIRD_PARTY:
                third_party.add(module)
    # requirements.txt pins every third-party library the folder imports.
    pinned = dict(line.split("==") for line in files["requirements.txt"].splitlines())
    assert {DISTRIBUTIONS.get(module, module) for module in third_party} <= set(pinned)
    assert all(pinned[name] == VERSIONS[name] for name in pinned)


# --- golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_generated_files_match_golden_files(case):
    files = rendered(case)
    header = VERSION_LINE.format(version=jupyter_automl_codegen.__version__)
    assert files["script.py"].splitlines()[0] == header
    check_golden_files(case, files)


# --- ensembles ----------------------------------------------------------------------------------


def test_ensemble_code_has_per_member_functions_and_one_shared_featurization():
    functions = {
        case: [node.name for node in script_tree(case).body if isinstance(node, ast.FunctionDef)]
        for case in ("voting_ensemble", "stack_ensemble")
    }
    for names in functions.values():
        assert names.count("generate_data_transformation_config") == 1
        assert "generate_algorithm_config" not in names
        assert {"generate_algorithm_config_0", "generate_algorithm_config_1"} <= set(names)
        # the scaled member (0) has a preprocessor; the other does not
        assert "generate_preprocessor_config_0" in names
        assert "generate_preprocessor_config_1" not in names
    assert "generate_algorithm_config_meta" in functions["stack_ensemble"]
    assert "generate_algorithm_config_meta" not in functions["voting_ensemble"]

    tree = script_tree("voting_ensemble")
    build = next(n for n in tree.body if getattr(n, "name", "") == "build_model_pipeline")
    (call,) = [
        n
        for n in ast.walk(build)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "VotingClassifier"
    ]
    keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
    assert keywords == {"estimators": "members", "voting": "'soft'", "weights": "[2, 1]"}
    script = rendered("voting_ensemble")["script.py"]
    assert "# Member 0: run AutoML_0123456789abcdef_2, 'LogisticRegression', weight 2" in script

"""Promise 4, Safe: data-derived strings are exact literals of the generated code, never code.

Column names, category values, class labels and experiment names come from the user's data.
Whatever they hold (quotes, backslashes, newlines, NUL, line and paragraph separators, bidi
controls, triple quotes, code, ``#``, f-string braces, HTML, NFKC look-alikes, 10,000
characters, lone surrogates), the generated ``script.py`` must compile, hold each of them as a
string constant equal to the input, and contain nothing beyond its fixed layout. Where a value
cannot be carried, a clean ``ValueError`` is raised instead of broken code: Parquet refuses lone
surrogates, the spec's JSON round trip refuses a surrogate pair (JSON joins it into one
character) and the generator refuses a column name ending with NUL (numpy drops trailing NULs,
so scikit-learn's ColumnTransformer cannot select that column).
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from lightgbm import LGBMClassifier
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier, VotingRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder, StandardScaler

from jupyter_automl_codegen.automl.featurization import build_featurizer, group_descriptions
from jupyter_automl_codegen.automl.profiling import profile_columns
from jupyter_automl_codegen.codegen import CodegenContext, CodegenError, generate_code, render_files
from jupyter_automl_codegen.codegen.context import KIND_ORDER
from jupyter_automl_codegen.codegen.source import comment_text, literal
from jupyter_automl_codegen.spec import from_spec, to_spec

CANARY_CODE = "__import__('os').system('touch CANARY')"
HOSTILE = [
    "'\"",
    "\\",
    "trailing backslash\\",
    "line\nbreak",
    "carriage\rreturn",
    "nul\x00byte",
    "line\u2028separator",
    "paragraph\u2029separator",
    "bidi\u202eoverride",
    '"""',
    "'''",
    CANARY_CODE,
    "#",
    "# comment",
    "{}",
    "{__import__('os')}",
    "<img src=x onerror=alert(1)>",
    "ﬁ",
    "fi",
    "Ａ",
    "A",
    "z" * 10_000,
    "",
    " ",
    "\\N{BULLET}",
    "\\x41",
]
# Pairs that are equal after NFKC normalisation but are different columns.
NFKC_PAIRS = [("ﬁ", "fi"), ("Ａ", "A")]


# Drawn by index, so that failure reports do not print the 10,000-character name.
def hostile_example(index):
    return HOSTILE[index]


HOSTILE_EXAMPLES = st.integers(0, len(HOSTILE) - 1).map(hostile_example)
SURROGATES = st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3)
# st.text() draws no surrogates: they are drawn explicitly, and Parquet refuses them.
PLAIN_TEXT = st.one_of(
    HOSTILE_EXAMPLES,
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.text(max_size=10), HOSTILE_EXAMPLES),
)
SURROGATE_TEXT = st.one_of(
    SURROGATES,
    st.builds(lambda a, b: a + b, HOSTILE_EXAMPLES, SURROGATES),
    st.builds(lambda a, b: a + b, SURROGATES, st.text(max_size=5)),
)
HOSTILE_TEXT = PLAIN_TEXT | SURROGATE_TEXT

CV = {"kind": "cv", "n_folds": 2, "validation_size": None, "stratified": True, "seed": 0}
HOLDOUT = {
    "kind": "holdout",
    "n_folds": None,
    "validation_size": 0.25,
    "stratified": True,
    "seed": 0,
}
FORBIDDEN_CALLS = {"eval", "exec", "__import__", "system", "compile", "popen"}
FEATURE_KINDS = ("numeric", "categorical", "text", "datetime")
WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]

assert all(unicodedata.normalize("NFKC", a) == b and a != b for a, b in NFKC_PAIRS)


# --- building contexts without training --------------------------------------------------------


def hostile_frame(
    columns, label, classes=None, *, rows=30, category_values=None, text_words=None, seed=0
):
    """A frame whose i-th feature column is numeric, categorical, text or dates (i mod 4)."""
    rng = np.random.default_rng(seed)
    category_values = category_values or ["red", "green", "blue"]
    words = (text_words or []) + WORDS
    data = {}
    for i, name in enumerate(columns):
        kind = FEATURE_KINDS[i % len(FEATURE_KINDS)]
        if kind == "numeric":
            values = rng.normal(size=rows)
            values[rows // 2] = np.nan
        elif kind == "categorical":
            values = [category_values[(r + i) % len(category_values)] for r in range(rows)]
        elif kind == "text":
            values = [" ".join(rng.choice(words, size=5)) for _ in range(rows)]
        else:
            start = pd.Timestamp("2021-03-01") + pd.Timedelta(days=i)
            dates = pd.date_range(start, periods=rows, freq="53h")
            values = [d.strftime("%Y-%m-%d %H:%M") for d in dates]
        data[name] = values
    if classes is None:
        data[label] = rng.normal(size=rows) * 10
    else:
        data[label] = [classes[r % len(classes)] for r in range(rows)]
    return pd.DataFrame(data)


def make_context(
    frame,
    label,
    task,
    *,
    model=None,
    scaler=None,
    validation=CV,
    data_path="/data/snapshot.parquet",
    data_sha256="0" * 64,
    **facts,
):
    """The context the engine would record for ``frame``, with a fixed, untrained pipeline."""
    plan = profile_columns(frame, label)
    if model is None:
        model = LogisticRegression(random_state=0) if task == "classification" else Ridge()
    steps = [("featurize", build_featurizer(plan))]
    if scaler is not None:
        steps.append(("scale", scaler))
    steps.append(("model", model))
    groups = plan.groups()
    classes = None
    if task == "classification":
        target = frame.loc[frame[label].notna(), label]
        target = target.astype(str) if target.dtype == object else target
        classes = tuple(LabelEncoder().fit(target).classes_.tolist())
    return CodegenContext(
        pipeline_spec=to_spec(Pipeline(steps)),
        task=task,
        label=label,
        validation=validation,
        data_path=data_path,
        data_sha256=data_sha256,
        feature_columns=tuple(column.name for column in plan.columns),
        column_kinds={kind: groups[kind] for kind in KIND_ORDER if kind in groups},
        group_descriptions=group_descriptions(plan),
        classes=classes,
        algorithm=type(model).__name__,
        scaler=None if scaler is None else type(scaler).__name__,
        **facts,
    )


def has_surrogate(text):
    return any(unicodedata.category(character) == "Cs" for character in text)


def snapshot(frame, folder):
    """Write the frame as the run store does; returns (path, sha256)."""
    path = Path(folder) / "data.parquet"
    frame.to_parquet(path, index=False)
    return str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest()


# --- checks on a generated script --------------------------------------------------------------


def header_lines(source):
    """The lines before the module docstring."""
    lines = source.splitlines()  # every line break Python or an editor may honour
    end = next(i for i, line in enumerate(lines) if line.startswith('"""'))
    return lines[:end]


def constant_assignments(tree):
    """Top-level ``NAME = <literal>`` assignments, evaluated."""
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def is_environ_setting(node):
    """``os.environ["<LIBRARY>_NUM_THREADS"] = "<digits>"``."""
    target = node.targets[0]
    return (
        len(node.targets) == 1
        and isinstance(target, ast.Subscript)
        and ast.unparse(target.value) == "os.environ"
        and isinstance(target.slice, ast.Constant)
        and str(target.slice.value).endswith("_NUM_THREADS")
        and isinstance(node.value, ast.Constant)
        and str(node.value.value).isdigit()
    )


def is_main_guard(node):
    return (
        isinstance(node, ast.If)
        and ast.unparse(node.test) == "__name__ == '__main__'"
        and not node.orelse
        and [ast.unparse(statement) for statement in node.body] == ["main()"]
    )


def check_script(source, context):
    """Every promise of a generated script about the data-derived strings of its context."""
    code = compile(source, "script.py", "exec")
    assert code is not None
    tree = ast.parse(source)

    # The header is comments only; the experiment name is its repr, on one line.
    header = header_lines(source)
    assert header and all(line.startswith("#") for line in header), header
    if context.experiment_name is not None:
        assert f"# Experiment: {context.experiment_name!r}" in header

    # Only the fixed layout at the top level.
    expected_constants = {"DATA_PATH", "DATA_SHA256", "LABEL", "FEATURE_COLUMNS"}
    expected_constants |= {f"{kind.upper()}_COLUMNS" for kind in context.column_kinds}
    if context.weight_column is not None:
        expected_constants.add("WEIGHT_COLUMN")
    docstring, *body = tree.body
    assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
    assigned = set()
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef)):
            continue
        if isinstance(node, ast.Assign) and is_environ_setting(node):
            continue
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            assert len(node.targets) == 1
            name = node.targets[0].id
            assert name in expected_constants and name not in assigned, name
            assigned.add(name)
            continue
        assert is_main_guard(node), ast.dump(node)[:300]
    assert assigned == expected_constants
    assert is_main_guard(tree.body[-1])

    # Each data-derived string is an exact constant, in the right place.
    constants = constant_assignments(tree)
    assert constants["LABEL"] == context.label
    assert constants["FEATURE_COLUMNS"] == list(context.feature_columns)
    for kind, columns in context.column_kinds.items():
        assert constants[f"{kind.upper()}_COLUMNS"] == list(columns)
    assert constants["DATA_PATH"] == context.data_path
    assert constants["DATA_SHA256"] == context.data_sha256
    if context.weight_column is not None:
        assert constants["WEIGHT_COLUMN"] == context.weight_column
        assert context.weight_column not in constants["FEATURE_COLUMNS"]
    strings = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    derived = [context.label, *context.feature_columns]
    derived += [] if context.weight_column is None else [context.weight_column]
    assert all(value in strings for value in derived)

    # No dynamic code anywhere.
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            assert name not in FORBIDDEN_CALLS, ast.unparse(node)[:200]
        if isinstance(node, ast.Name):
            assert node.id not in FORBIDDEN_CALLS - {"system"}, node.id
    return tree


# --- properties --------------------------------------------------------------------------------

NAMES = st.lists(PLAIN_TEXT, min_size=2, max_size=6, unique=True)
CLASSES = st.lists(PLAIN_TEXT, min_size=2, max_size=3, unique=True)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    names=NAMES,
    classes=CLASSES,
    experiment=HOSTILE_TEXT,
    regression=st.booleans(),
    surrogate=st.one_of(st.none(), st.none(), SURROGATE_TEXT),
    where=st.sampled_from(["label", "column", "class"]),
)
@example(
    names=["label", *HOSTILE],
    classes=HOSTILE[:3],
    experiment=CANARY_CODE,
    regression=False,
    surrogate=None,
    where="column",
)
@example(
    names=["y", *[name for pair in NFKC_PAIRS for name in pair]],
    classes=["ﬁ", "fi", "Ａ"],
    experiment='"""\n' + CANARY_CODE,
    regression=False,
    surrogate=None,
    where="column",
)
@example(
    names=["z" * 10_000, "y" * 10_000],
    classes=["a", "b"],
    experiment="",
    regression=True,
    surrogate=None,
    where="column",
)
@example(  # lone surrogates: Parquet refuses them, the generator escapes them
    names=["\ud800", "a\udfff", "\udc00\ud800x"],
    classes=["\ud800", "\udc00"],
    experiment="\udfff\n",
    regression=False,
    surrogate=None,
    where="column",
)
@example(  # a high + low surrogate pair: the spec's JSON round trip refuses it
    names=["y", "x"],
    classes=["a", "b"],
    experiment="",
    regression=False,
    surrogate="\udbff\udc00",
    where="column",
)
def test_hostile_strings_are_exact_literals(
    names, classes, experiment, regression, surrogate, where
):
    if surrogate is not None:  # some examples carry one lone surrogate somewhere
        if where == "class" and not regression:
            classes = [*classes[:-1], classes[-1] + surrogate]
        else:
            index = 0 if where == "label" else len(names) - 1
            names = [*names[:index], names[index] + surrogate, *names[index + 1 :]]
        assume(len(set(names)) == len(names) and len(set(classes)) == len(classes))
    label, *columns = names
    task = "regression" if regression else "classification"
    frame = hostile_frame(columns, label, None if regression else classes)
    carried = [*names, *(() if regression else classes)]
    with tempfile.TemporaryDirectory() as folder:
        # The snapshot either holds every name exactly or refuses cleanly (lone surrogates).
        try:
            data_path, sha = snapshot(frame, folder)
        except ValueError as error:
            assert str(error)
            assert any(has_surrogate(text) for text in carried)
            event("the Parquet snapshot refused a lone surrogate")
            data_path, sha = "/data/snapshot.parquet", "0" * 64
        else:
            assert list(pd.read_parquet(data_path).columns) == list(frame.columns)
        # The generator needs no snapshot: it writes any str exactly (surrogates escaped).
        try:
            context = make_context(
                frame,
                label,
                task,
                data_path=data_path,
                data_sha256=sha,
                experiment_name=experiment,
                run_id="AutoML_0123456789abcdef_1",
            )
        except ValueError as error:
            # SpecError: JSON joins a high and a low surrogate into one character, so the
            # pipeline spec cannot carry such a column name and says so.
            assert "round trip" in str(error)
            assert any(has_surrogate(text) for text in columns)
            event("the spec refused a surrogate pair")
            return
        try:
            source = render_files(context)["script.py"]
        except CodegenError as error:
            # ColumnTransformer cannot select a column whose name ends with NUL.
            refused = [column for column in columns if column.endswith("\x00")]
            assert refused and repr(refused[0]) in str(error)
            event("the generator refused a trailing NUL")
            return
    check_script(source, context)
    event(f"generated a {task} script")
    source.encode("utf-8")  # writable as UTF-8: surrogates only ever appear escaped


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=NAMES, weight=PLAIN_TEXT, ensemble=st.booleans())
@example(names=["label", "x"], weight=CANARY_CODE, ensemble=True)
@example(names=["label", "x"], weight='"]\nimport os  # ', ensemble=False)
def test_hostile_weight_column_is_an_exact_literal(names, weight, ensemble):
    """The weight column's name is data-derived text: one exact constant, never a feature."""
    assume(weight not in names and not weight.endswith("\x00"))
    label, *columns = names
    assume(all(not column.endswith("\x00") for column in columns))
    frame = hostile_frame(columns, label, ["a", "b"])
    context = make_context(frame, label, "classification", weight_column=weight)
    if ensemble:  # the same pipeline as the one member of a voting ensemble
        member = from_spec(context.pipeline_spec)
        ensemble_spec = to_spec(VotingClassifier([("logisticregression_1", member)], voting="soft"))
        context = dataclasses.replace(context, pipeline_spec=ensemble_spec, algorithm="Voting")
    try:
        source = render_files(context)["script.py"]
    except CodegenError as error:  # a name that cannot be written (lone surrogates) says so
        assert str(error)
        return
    tree = check_script(source, context)
    assert "WEIGHT_COLUMN" in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classes=st.lists(HOSTILE_TEXT, min_size=2, max_size=5, unique=True))
@example(classes=HOSTILE)
def test_hostile_class_labels_never_reach_the_code(classes):
    """The model learns its classes from the data (``model.classes_``): the script is the
    same whatever the labels are, so no label can change what it does."""
    frame = hostile_frame(["x"], "target", classes)
    context = make_context(frame, "target", "classification")
    assert set(context.classes) == set(classes)
    source = render_files(context)["script.py"]
    check_script(source, context)
    plain = [f"class {i}" for i in range(len(classes))]
    plain_context = make_context(hostile_frame(["x"], "target", plain), "target", "classification")
    assert source == render_files(plain_context)["script.py"]


def run_facts():
    """Run metadata the engine makes, but a hand-built context could fill with anything."""
    return st.fixed_dictionaries(
        {
            "experiment_name": HOSTILE_TEXT,
            "run_id": HOSTILE_TEXT,
            "primary_metric": HOSTILE_TEXT,
            "data_sha256": HOSTILE_TEXT,
            "data_path": HOSTILE_TEXT,
        }
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=run_facts(), algorithm=HOSTILE_TEXT)
@example(
    facts={
        "experiment_name": "x\nimport os",
        "run_id": "r\nimport os\nos.system('touch CANARY')",
        "primary_metric": "AUC\r\n" + CANARY_CODE,
        "data_sha256": "ab\u2028" + CANARY_CODE,
        "data_path": "/tmp/a'\nb.parquet",
    },
    algorithm="Ridge\n" + CANARY_CODE,
)
def test_hostile_run_facts_stay_in_comments_and_literals(facts, algorithm):
    frame = hostile_frame(["a", "b"], "y")
    context = make_context(
        frame, "y", "regression", metrics={facts["primary_metric"]: 0.5}, **facts
    )
    context = dataclasses.replace(context, algorithm=algorithm)
    source = render_files(context)["script.py"]
    check_script(source, context)


MEMBER_NAMES = st.lists(
    PLAIN_TEXT.filter(lambda name: "__" not in name), min_size=2, max_size=2, unique=True
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=MEMBER_NAMES, facts=st.lists(HOSTILE_TEXT, min_size=4, max_size=4))
@example(
    names=["a'\nimport os", CANARY_CODE],
    facts=["r\n" + CANARY_CODE, "x\u2028y", "Ridge\n#", "'''"],
)
def test_hostile_ensemble_member_names_and_facts_stay_literals_and_comments(names, facts):
    frame = hostile_frame(["a", "b"], "y")
    context = make_context(frame, "y", "regression")
    member = from_spec(context.pipeline_spec)
    ensemble = VotingRegressor([(names[0], member), (names[1], clone(member))], weights=[2, 1])
    members = (
        {"run_id": facts[0], "algorithm": facts[1], "weight": 2},
        {"run_id": facts[2], "algorithm": facts[3], "weight": 1},
    )
    context = dataclasses.replace(
        context, pipeline_spec=to_spec(ensemble), algorithm="VotingEnsemble", members=members
    )
    files = render_files(context)
    tree = check_script(files["script.py"], context)
    strings = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert set(names) <= strings
    assert "generate_algorithm_config_1" in {
        node.name for node in tree.body if isinstance(node, ast.FunctionDef)
    }


# --- running the generated code for real --------------------------------------------------------


def run_script(folder):
    result = subprocess.run(
        [sys.executable, "script.py", "--output-dir", "out"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (folder / "out" / "model.pkl").is_file()
    metrics = json.loads((folder / "out" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics and all(v is None or math.isfinite(v) for v in metrics.values())
    return metrics


REAL_CASES = {
    "binary-logistic": dict(
        task="classification",
        columns=["weight 'kg'", 'colour\n"x"', 'note """ {}', "when\\", "bidi\u202eamount"],
        classes=["yes\n'''", "no\\"],
        model=LogisticRegression(max_iter=500, random_state=0),
        scaler=StandardScaler(),
        validation=CV,
    ),
    "multiclass-lightgbm": dict(
        task="classification",
        columns=[
            "ﬁ",
            "fi",
            "Ａ",
            "A",
            "<img src=x onerror=alert(1)>",
            "nul\x00byte",
            "#",
            "\u2028",
        ],
        classes=["Ａ", "A", '"""\\', "trailing nul\x00"],
        model=LGBMClassifier(
            n_estimators=5, num_leaves=4, min_child_samples=2, random_state=0, n_jobs=1, verbose=-1
        ),
        scaler=None,
        validation=HOLDOUT,
    ),
    "regression-ridge": dict(
        task="regression",
        columns=["z" * 10_000, "{}", "carriage\r", "'", "trailing\\"],
        classes=None,
        model=Ridge(alpha=0.5),
        scaler=None,
        validation={**HOLDOUT, "stratified": False},
    ),
}


@pytest.mark.parametrize("case", sorted(REAL_CASES))
def test_generated_script_runs_with_hostile_data(case, tmp_path):
    spec = REAL_CASES[case]
    canary = tmp_path / "CANARY"
    attack = f"__import__('os').system('touch {canary}')"
    columns = [*spec["columns"], attack]
    classes = None if spec["classes"] is None else [*spec["classes"], attack]
    frame = hostile_frame(
        columns,
        f"label\n{attack}",
        classes,
        rows=30,
        category_values=[attack, "'\"\\", '"""\n'],
        text_words=[attack, "{}", "\\", "\u2029", "'''"],
    )
    folder = tmp_path / "generated"
    folder.mkdir()
    data_path, sha = snapshot(frame, tmp_path)
    context = make_context(
        frame,
        f"label\n{attack}",
        spec["task"],
        model=spec["model"],
        scaler=spec["scaler"],
        validation=spec["validation"],
        data_path=data_path,
        data_sha256=sha,
        experiment_name=f'"""\n{attack}\n',
        run_id="AutoML_0123456789abcdef_1",
    )
    kinds = set(context.column_kinds)
    assert {"numeric", "categorical", "text", "datetime"} <= kinds, kinds
    assert all(name in context.feature_columns for name in columns)
    paths = generate_code(context, folder)
    check_script(paths["script.py"].read_text(encoding="utf-8"), context)
    metrics = run_script(folder)
    assert not canary.exists()
    expected = "AUC_weighted" if spec["task"] == "classification" else "r2_score"
    assert expected in metrics
    model = joblib.load(folder / "out" / "model.pkl")
    predictions = model.predict(frame.drop(columns=[f"label\n{attack}"]))
    if classes is not None:  # the saved model answers in the data's own, hostile labels
        assert set(model.classes_) == set(classes)
        assert set(predictions) <= set(classes)
    assert not canary.exists()


def test_a_column_name_ending_with_nul_is_refused_by_name():
    frame = hostile_frame(["ok", "bad\x00"], "y", ["a", "b"])
    context = make_context(frame, "y", "classification")
    with pytest.raises(CodegenError, match="NUL") as raised:
        render_files(context)
    assert repr("bad\x00") in str(raised.value)


# --- literal() and comment_text() --------------------------------------------------------------


class Colour(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 2


@pytest.mark.parametrize(
    "value",
    [math.nan, math.inf, -math.inf, [1.0, math.nan], object(), np.array([5]), Colour.RED, Size.BIG],
    ids=["nan", "inf", "-inf", "nan-in-list", "object", "array", "str-enum", "int-enum"],
)
def test_literal_refuses_values_without_an_exact_literal(value):
    with pytest.raises(CodegenError) as raised:
        literal(value)
    shown = value[1] if isinstance(value, list) else value
    assert repr(shown) in str(raised.value)


@settings(max_examples=200, deadline=None)
@given(
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | HOSTILE_TEXT,
        lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
        max_leaves=8,
    )
)
def test_literal_round_trips_exactly(value):
    source = literal(value)
    assert ast.literal_eval(source) == value
    assert repr(type(ast.literal_eval(source))) == repr(type(value))
    assert "\n" not in source and "\r" not in source


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.str_("a\n"), "'a\\n'"),
        (np.float64(0.25), "0.25"),
        (np.int64(3), "3"),
        (np.bool_(1), "True"),
    ],
)
def test_literal_writes_numpy_scalars_as_plain_values(value, expected):
    assert literal(value) == expected
    assert literal([value]) == f"[{expected}]"


@settings(max_examples=200, deadline=None)
@given(value=HOSTILE_TEXT | st.floats() | st.lists(HOSTILE_TEXT, max_size=3))
def test_comment_text_is_one_printable_line(value):
    text = comment_text(value)
    assert text.isprintable(), text
    if isinstance(value, str):
        assert ast.literal_eval(text) == value

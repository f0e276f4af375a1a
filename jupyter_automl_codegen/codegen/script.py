"""A trained pipeline's spec and run facts -> the stages of its standalone training script.

Each stage is one top-level function of ``script.py`` (and one cell of the training
notebook). The layout is fixed text; every value that comes from the data or the run (column
names, labels, paths, hyperparameters) enters only through ``literal`` or the ``Renderer``,
which write exact, escaped Python literals from an AST.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import numpy as np

from .context import TEXT_LIKE_KINDS, CodegenContext
from .errors import CodegenError
from .imports import Imports
from .metrics_source import metrics_function
from .render import Renderer

GENERATOR = "jupyter-automl-codegen"


@dataclass(frozen=True)
class Stage:
    """One stage of the training code: a function (or block) and what it is for."""

    name: str
    title: str
    explanation: str  # plain text; notebooks escape it for markdown
    code: str


@dataclass(frozen=True)
class TrainingCode:
    """The stages of a script plus what a generated folder needs beside them."""

    header: str
    imports: str
    stages: tuple[Stage, ...]
    helper_modules: tuple[str, ...]
    packages: tuple[str, ...]  # top-level third-party modules the code imports

    def script(self) -> str:
        body = "\n\n\n".join(stage.code for stage in self.stages)
        return (
            f'{self.header}\n{self.imports}\n\n{body}\n\n\nif __name__ == "__main__":\n    main()\n'
        )


def literal(value) -> str:
    """An exact Python literal of a plain value (str, number, bool, None, list, tuple)."""
    node = _literal_node(value)
    source = ast.unparse(node)
    if ast.literal_eval(source) != value and value == value:  # NaN is never equal
        raise CodegenError(f"{value!r} has no exact literal")
    return source


def _literal_node(value) -> ast.expr:
    if isinstance(value, np.generic):  # numpy scalar: np.str_ and np.float64 subclass str/float
        value = value.item()
    # Exact types only: a subclass (StrEnum, IntEnum, ...) has its own repr, not a literal.
    if value is None or type(value) in (bool, int, str):
        return ast.Constant(value)
    if type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise CodegenError(f"{value!r} is not a finite number")
        return ast.Constant(value)
    if type(value) is list:
        return ast.List([_literal_node(v) for v in value], ast.Load())
    if type(value) is tuple:
        return ast.Tuple([_literal_node(v) for v in value], ast.Load())
    raise CodegenError(f"cannot write {value!r} ({type(value).__name__}) as a literal")


def comment_text(value) -> str:
    """A value inside a ``#`` comment: its repr, so a newline can never end the comment."""
    return str.__repr__(value) if isinstance(value, str) else _one_line(str(value))


def _one_line(text: str) -> str:
    """Text for a comment as is when printable (no line break, no bidi control), else its repr."""
    return text if text.isprintable() else repr(text)


def build_training_code(context: CodegenContext, *, generator_version: str) -> TrainingCode:
    """All stages of the training code of one run."""
    imports = Imports()
    renderer = Renderer(imports)
    steps = _pipeline_steps(context.pipeline_spec)
    featurizer = steps[0] if _is_column_transformer(steps[0][1]) else None
    model_step = steps[-1]
    middle = steps[1 if featurizer else 0 : -1]
    constants = _column_constants(context)

    stages = [_constants_stage(context, constants, imports)]
    stages.append(_dataset_stage(context, imports))
    stages.append(_prepare_stage(context, constants, imports))
    if featurizer is not None:
        group_stages, transformation = _featurization_stages(
            context, featurizer, constants, renderer
        )
        stages += group_stages
        stages.append(transformation)
    if middle:
        stages.append(_preprocessor_stage(middle, renderer))
    stages.append(_algorithm_stage(context, model_step, renderer))
    stages.append(_pipeline_stage(context, steps, featurizer, middle, renderer))
    stages.append(_train_stage())
    stages.append(_split_stage(context, imports))
    stages.append(_metrics_stage(context, imports))
    stages.append(_validate_stage(imports))
    stages.append(_main_stage(context, renderer.helper_modules, imports))

    header = _header(context, generator_version)
    import_block = _import_block(imports)
    packages = sorted(
        {m.split(".")[0] for m in [*imports.modules, *imports.names.values()]} - set(imports.local)
    )
    return TrainingCode(
        header=header,
        imports=import_block,
        stages=tuple(stages),
        helper_modules=tuple(sorted(renderer.helper_modules)),
        packages=tuple(packages),
    )


# --- header and imports ---------------------------------------------------------------------


def _header(context: CodegenContext, version: str) -> str:
    lines = [f"# Training code generated by {GENERATOR} {version}."]
    if context.experiment_name is not None:
        lines.append(f"# Experiment: {comment_text(context.experiment_name)}")
    if context.run_id is not None:
        lines.append(f"# Run: {_one_line(str(context.run_id))}")
    lines.append(f"# Algorithm: {comment_text(context.algorithm_label)}")
    if context.primary_metric is not None:
        value = context.primary_metric_value
        metric = _one_line(str(context.primary_metric))
        lines.append(f"# Primary metric: {metric} = {comment_text(value)}")
    if context.data_sha256:
        lines.append(f"# Data SHA-256: {_one_line(str(context.data_sha256))}")
    lines.append('"""Train the model of an AutoML run, exactly as AutoML trained it.')
    lines.append("")
    lines.append("Run ``python script.py [--data FILE] [--output-dir DIR]``: it validates the")
    lines.append("model as the run did, prints the metrics, trains it on every row and writes")
    lines.append("``model.pkl`` (joblib) and ``metrics.json`` into the output folder.")
    lines.append('"""')
    return "\n".join(lines)


def _import_block(imports: Imports) -> str:
    """Imports, with the thread settings before numpy is first imported."""
    rest = Imports(
        modules=imports.modules - {"os"}, names=dict(imports.names), local=set(imports.local)
    )
    return (
        "import os\n\n"
        "# The AutoML trial ran single-threaded; the same thread count gives bit-identical\n"
        "# results (set before numpy and scikit-learn load their thread pools).\n"
        'os.environ["OMP_NUM_THREADS"] = "1"\n'
        'os.environ["OPENBLAS_NUM_THREADS"] = "1"\n'
        'os.environ["MKL_NUM_THREADS"] = "1"\n\n' + rest.render()
    )


# --- stages ---------------------------------------------------------------------------------


def _column_constants(context: CodegenContext) -> dict[str, list[str]]:
    """``<KIND>_COLUMNS`` constants, one per column treatment of the run's plan."""
    return {f"{kind.upper()}_COLUMNS": list(cols) for kind, cols in context.column_kinds.items()}


def _constants_stage(context, constants, imports) -> Stage:
    lines = [
        f"DATA_PATH = {literal(context.data_path)}",
        f"DATA_SHA256 = {literal(context.data_sha256)}",
        f"LABEL = {literal(context.label)}",
        f"FEATURE_COLUMNS = {literal(list(context.feature_columns))}",
    ]
    lines += [f"{name} = {literal(columns)}" for name, columns in constants.items()]
    if context.classes is not None:
        lines.append(f"CLASSES = {literal(list(context.classes))}")
    return Stage(
        "constants",
        "The run's data and columns",
        "Where the training data snapshot lives, its SHA-256, the label and the feature "
        "columns AutoML used, grouped by the treatment AutoML chose for them.",
        "\n".join(lines),
    )


def _dataset_stage(context, imports) -> Stage:
    imports.module("hashlib")
    imports.name("pathlib", "Path")
    imports.module("pandas")
    code = '''
def get_training_dataset(path=None):
    """Load the run's data snapshot (checking its SHA-256), or the --data file."""
    if path is None:
        path = Path(DATA_PATH)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != DATA_SHA256:
            raise SystemExit(
                f"{path} is not the data this model was trained on (SHA-256 {digest}); "
                "use --data to train on other data."
            )
        return pd.read_parquet(path)
    path = Path(path)
    df = pd.read_csv(path) if path.suffix.lower() == ".csv" else pd.read_parquet(path)
    missing = [column for column in [LABEL, *FEATURE_COLUMNS] if column not in df.columns]
    if missing:
        raise SystemExit(f"{path} lacks the training columns {missing}")
    return df
'''
    return Stage(
        "get_training_dataset",
        "Data loading",
        "Loads the exact data snapshot the AutoML run trained on and checks its SHA-256, so "
        "the code rebuilds the same model; `--data` trains on another file with the same "
        "columns instead.",
        code.strip(),
    )


def _prepare_stage(context, constants, imports) -> Stage:
    lines = [
        "df = df[df[LABEL].notna()].reset_index(drop=True)",
        "X = df.drop(columns=[LABEL])",
    ]
    if "NUMERIC_COLUMNS" in constants:
        lines += [
            "for column in NUMERIC_COLUMNS:",
            '    X[column] = pd.to_numeric(X[column], errors="coerce").astype("float64")',
        ]
    text_like = [f"*{k.upper()}_COLUMNS" for k in TEXT_LIKE_KINDS if k in context.column_kinds]
    if text_like:
        imports.module("numpy")
        lines += [
            f"for column in [{', '.join(text_like)}]:",
            "    X[column] = X[column].astype(str).where(X[column].notna(), np.nan).astype(object)",
        ]
    if context.task == "classification":
        imports.name("sklearn.preprocessing", "LabelEncoder")
        lines += [
            "target = df[LABEL]",
            "if target.dtype == object:",
            "    target = target.astype(str)",
            "y = LabelEncoder().fit_transform(target)",
        ]
        doc = "Keep labelled rows, give columns uniform types and encode classes as 0..K-1."
        explanation = (
            "Drops rows without a label, gives text-like columns one type (str, missing as "
            "NaN) and numeric columns float64, and encodes the classes as 0..K-1 in sorted "
            "order (`CLASSES[i]` is the label of code i), which every algorithm accepts."
        )
    else:
        imports.module("numpy")
        lines.append('y = df[LABEL].to_numpy(dtype="float64")')
        doc = "Keep labelled rows and give feature columns uniform types."
        explanation = (
            "Drops rows without a label and gives text-like columns one type (str, missing "
            "as NaN) and numeric columns float64."
        )
    lines.append("return X, y")
    body = "\n".join("    " + line for line in lines)
    code = f'def prepare_data(df):\n    """{doc}"""\n{body}'
    return Stage("prepare_data", "Data preparation", explanation, code)


def _featurization_stages(context, featurizer, constants, renderer):
    _, spec = featurizer
    transformers = spec["params"].get("transformers")
    if not isinstance(transformers, list):
        raise CodegenError("the ColumnTransformer's transformers must be a list")
    stages, functions = [], {}  # function name -> transformer spec
    rows = []  # (transformer name, function name or literal, selector node)
    for index, item in enumerate(transformers):
        name, transformer, columns = _transformer_tuple(item)
        if isinstance(transformer, str):  # "drop" / "passthrough"
            rows.append((name, ast.Constant(transformer), columns))
            continue
        function = _function_name(name, index)
        while function in functions and functions[function] != transformer:
            function = f"{function[: -len('_transformer')]}_{index}_transformer"
        if function not in functions:
            functions[function] = transformer
            group = re.sub(r"_\d+$", "", name)
            explanation = context.group_descriptions.get(name) or _generic_explanation(group)
            stages.append(
                Stage(
                    function,
                    f"Featurization: {group.replace('_', ' ')} columns",
                    explanation,
                    f"def {function}():\n"
                    f'    """The transformer of the {_docstring_group(group)} column group."""\n'
                    f"    return {ast.unparse(renderer.estimator(transformer))}",
                ),
            )
        rows.append((name, _call_node(function), columns))

    transformers_node = _transformers_node(rows, constants, renderer)
    rest = {
        "class": spec["class"],
        "params": {k: v for k, v in spec["params"].items() if k != "transformers"},
    }
    call = renderer.estimator(rest)
    call.keywords.insert(0, ast.keyword("transformers", transformers_node))
    code = (
        "def generate_data_transformation_config():\n"
        '    """One transformer per group of columns that AutoML treats alike."""\n'
        f"    return {ast.unparse(call)}"
    )
    transformation = Stage(
        "generate_data_transformation_config",
        "Featurization",
        "A ColumnTransformer applies each group's transformer to its columns and joins "
        "the results; columns not listed (dropped by AutoML) are left out.",
        code,
    )
    return stages, transformation


def _transformers_node(rows, constants, renderer) -> ast.expr:
    """The ``transformers`` list; runs of per-column text transformers become a loop."""
    elements = []
    index = 0
    while index < len(rows):
        name, function_node, columns = rows[index]
        run = _per_column_run(rows, index, constants)
        if run is not None:
            constant, base, length, function = run
            template = (
                f'[(f"{base}_{{i}}", {function}(), [column]) '
                f"for i, column in enumerate({constant})]"
            )
            elements.append(ast.Starred(ast.parse(template, mode="eval").body, ast.Load()))
            index += length
            continue
        elements.append(
            ast.Tuple(
                [ast.Constant(name), function_node, _selector_node(columns, constants, renderer)],
                ast.Load(),
            )
        )
        index += 1
    return ast.List(elements, ast.Load())


def _per_column_run(rows, start, constants):
    """A run ``base_0 .. base_k`` of one function over each column of one constant."""
    for constant, columns in constants.items():
        length = len(columns)
        if length < 1 or start + length > len(rows):
            continue
        window = rows[start : start + length]
        base = re.sub(r"_\d+$", "", window[0][0])
        if not base.isidentifier() or not base.isascii():
            continue
        expected = [f"{base}_{i}" for i in range(length)]
        functions = {ast.unparse(row[1]) for row in window}
        if (
            [row[0] for row in window] == expected
            and len(functions) == 1
            and all(isinstance(f, ast.Call) for _, f, _ in window)
            and [row[2] for row in window] == [[c] for c in columns]
        ):
            return constant, base, length, ast.unparse(window[0][1].func)
    return None


def _selector_node(columns, constants, renderer) -> ast.expr:
    for constant, values in constants.items():
        if columns == values:
            return ast.Name(constant, ast.Load())
    return renderer.node(columns)


def _transformer_tuple(item):
    if not (isinstance(item, dict) and "__tuple__" in item and len(item["__tuple__"]) == 3):
        raise CodegenError("each ColumnTransformer entry must be (name, transformer, columns)")
    name, transformer, columns = item["__tuple__"]
    if not isinstance(name, str):
        raise CodegenError(f"transformer name {name!r} must be text")
    for column in columns if isinstance(columns, list) else ():
        if isinstance(column, str) and column.endswith("\x00"):
            # numpy drops trailing NULs from str arrays, so ColumnTransformer would look for
            # another column and the script would fail: refuse rather than write it.
            raise CodegenError(
                f"column name {column!r} ends with a NUL character, which scikit-learn's "
                "ColumnTransformer cannot select; rename the column."
            )
    return name, transformer, columns


def _function_name(name: str, index: int) -> str:
    group = re.sub(r"_\d+$", "", name)
    ident = re.sub(r"[^0-9a-zA-Z_]", "_", group).strip("_").lower()
    if not ident or not ident.isascii() or not ident.isidentifier() or ident[0].isdigit():
        ident = f"group_{index}"
    return f"get_{ident}_transformer"


def _docstring_group(group: str) -> str:
    text = re.sub(r"[^0-9a-zA-Z_ ]", "", group.replace("_", " ")).strip()
    return text or "unnamed"


def _generic_explanation(group: str) -> str:
    return f"The transformer AutoML applies to the {_docstring_group(group)} columns."


def _call_node(function: str) -> ast.Call:
    return ast.Call(ast.Name(function, ast.Load()), [], [])


def _preprocessor_stage(middle, renderer) -> Stage:
    if len(middle) == 1:
        expression = ast.unparse(renderer.estimator(middle[0][1]))
    else:
        pipeline = renderer.class_name("sklearn.pipeline.Pipeline")
        steps = ", ".join(
            f"({literal(name)}, {ast.unparse(renderer.estimator(spec))})" for name, spec in middle
        )
        expression = f"{pipeline}([{steps}])"
    return Stage(
        "generate_preprocessor_config",
        "Preprocessor",
        "AutoML scales the features before this algorithm, which is sensitive to their "
        "ranges; the scaler was chosen by the search.",
        "def generate_preprocessor_config():\n"
        '    """The scaler applied to the features before the algorithm."""\n'
        f"    return {expression}",
    )


def _algorithm_stage(context, model_step, renderer) -> Stage:
    _, spec = model_step
    expression = ast.unparse(renderer.estimator(spec))
    return Stage(
        "generate_algorithm_config",
        "Algorithm",
        f"The algorithm the search chose ({context.algorithm or spec['class']}) with every "
        "hyperparameter that differs from the library's default; the seed and the thread "
        "count are fixed so the result repeats exactly.",
        "def generate_algorithm_config():\n"
        '    """The estimator with the hyperparameters the AutoML search chose."""\n'
        f"    return {expression}",
    )


def _pipeline_stage(context, steps, featurizer, middle, renderer) -> Stage:
    pipeline = renderer.class_name("sklearn.pipeline.Pipeline")
    entries = []
    if featurizer is not None:
        entries.append(f"({literal(featurizer[0])}, generate_data_transformation_config())")
    if middle:
        entries.append(f"({literal(middle[0][0])}, generate_preprocessor_config())")
        if len(middle) > 1:
            raise CodegenError("only one preprocessor step between featurization and model")
    entries.append(f"({literal(steps[-1][0])}, generate_algorithm_config())")
    other = {k: v for k, v in context.pipeline_spec["params"].items() if k != "steps"}
    call = renderer.estimator({"class": "sklearn.pipeline.Pipeline", "params": other})
    extra = "".join(f", {ast.unparse(k)}" for k in call.keywords)
    return Stage(
        "build_model_pipeline",
        "Pipeline",
        "The featurization, preprocessing and algorithm in one scikit-learn Pipeline, so "
        "the saved model predicts from raw columns.",
        "def build_model_pipeline():\n"
        '    """Featurization, preprocessing and the algorithm as one Pipeline."""\n'
        f"    return {pipeline}(steps=[{', '.join(entries)}]{extra})",
    )


def _train_stage() -> Stage:
    return Stage(
        "train_model",
        "Training",
        "Fits a fresh pipeline on the given rows.",
        'def train_model(X, y):\n    """Fit a new pipeline on the given rows."""\n'
        "    model = build_model_pipeline()\n    model.fit(X, y)\n    return model",
    )


def _split_stage(context, imports) -> Stage:
    scheme = context.validation
    seed = literal(int(scheme["seed"]))
    if scheme["kind"] == "holdout":
        imports.name("sklearn.model_selection", "train_test_split")
        imports.module("numpy")
        stratify = "y" if scheme.get("stratified") else "None"
        body = (
            "    train, valid = train_test_split(\n"
            f"        np.arange(len(y)), test_size={literal(float(scheme['validation_size']))}, "
            f"random_state={seed}, stratify={stratify}\n    )\n"
            "    return [(train, valid)]"
        )
    else:
        folds_class = "StratifiedKFold" if scheme.get("stratified") else "KFold"
        imports.name("sklearn.model_selection", folds_class)
        body = (
            f"    folds = {folds_class}(n_splits={literal(int(scheme['n_folds']))}, "
            f"shuffle=True, random_state={seed})\n"
            "    return list(folds.split(X, y))"
        )
    description = context.validation_description or scheme["kind"]
    return Stage(
        "split_dataset",
        "Validation split",
        f"The run's exact validation scheme: {description}, with the run's seed, so "
        "every split holds the same rows as in the AutoML trial.",
        'def split_dataset(X, y):\n    """(train, validation) row indices of each split, '
        'as the run made them."""\n' + body,
    )


def _metrics_stage(context, imports) -> Stage:
    n_classes = len(context.classes) if context.classes is not None else None
    code = metrics_function(context.task, n_classes, imports)
    return Stage(
        "calculate_metrics",
        "Metrics",
        "The metrics the AutoML run reports, under the same names and computed with the "
        "same scikit-learn calls.",
        code,
    )


def _validate_stage(imports) -> Stage:
    imports.module("numpy")
    code = '''
def validate_model(X, y):
    """Train on each split, score on its held-out rows and average the metrics."""
    scores = []
    for train, valid in split_dataset(X, y):
        model = train_model(X.iloc[train], y[train])
        scores.append(calculate_metrics(model, X.iloc[valid], y[valid]))
    metrics = {}
    for name in scores[0]:
        mean = float(np.mean([score[name] for score in scores]))
        metrics[name] = mean if np.isfinite(mean) else None
    return metrics
'''
    return Stage(
        "validate_model",
        "Validation",
        "Trains a model per split and averages its metrics over the splits, as AutoML did.",
        code.strip(),
    )


def _main_stage(context, helper_modules, imports) -> Stage:
    for module in ("argparse", "json"):
        imports.module(module)
    imports.module("joblib")
    copy = ""
    if helper_modules:
        imports.module("shutil")
        modules = literal(sorted(helper_modules))
        copy = (
            "    # The model refers to these helper modules: keep them beside model.pkl.\n"
            f"    for module in {modules}:\n"
            '        source = Path(__file__).with_name(f"{module}.py")\n'
            '        target = args.output_dir / f"{module}.py"\n'
            "        if source.resolve() != target.resolve():\n"
            "            shutil.copyfile(source, target)\n"
        )
    code = (
        "def main():\n"
        '    """Validate the model as the run did, train it on every row and save it."""\n'
        "    parser = argparse.ArgumentParser(description=__doc__)\n"
        '    parser.add_argument("--data", help="train on this CSV or Parquet file '
        "instead of the run's data snapshot\")\n"
        '    parser.add_argument("--output-dir", type=Path, default=Path("."), '
        'help="where model.pkl and metrics.json go")\n'
        "    args = parser.parse_args()\n"
        "    X, y = prepare_data(get_training_dataset(args.data))\n"
        "    metrics = validate_model(X, y)\n"
        "    model = train_model(X, y)\n"
        "    args.output_dir.mkdir(parents=True, exist_ok=True)\n"
        '    joblib.dump(model, args.output_dir / "model.pkl")\n'
        '    (args.output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))\n'
        f"{copy}"
        "    for name, value in metrics.items():\n"
        '        print(f"{name}: {value}")\n'
        "    print(f\"Saved {args.output_dir / 'model.pkl'} and metrics.json\")"
    )
    return Stage(
        "main",
        "Command line",
        "Validates, trains on every row and saves the model and its metrics.",
        code,
    )


# --- helpers --------------------------------------------------------------------------------


def _pipeline_steps(spec: dict) -> list[tuple[str, dict]]:
    steps = spec["params"].get("steps")
    if not isinstance(steps, list) or not steps:
        raise CodegenError("the pipeline spec has no steps")
    result = []
    for step in steps:
        if not (isinstance(step, dict) and "__tuple__" in step and len(step["__tuple__"]) == 2):
            raise CodegenError("each pipeline step must be a (name, estimator) pair")
        name, estimator = step["__tuple__"]
        if not isinstance(name, str) or not isinstance(estimator, dict):
            raise CodegenError(f"pipeline step {name!r} must be a named estimator")
        result.append((name, estimator))
    return result


def _is_column_transformer(spec: dict) -> bool:
    return spec.get("class") == "sklearn.compose.ColumnTransformer"

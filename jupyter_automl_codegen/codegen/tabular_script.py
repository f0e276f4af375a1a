"""A tabular run's spec and facts -> the stages of its standalone training script.

Each stage is one top-level function of ``script.py`` (and one cell of the training
notebook): the run's constants, data loading and preparation, the featurization and model
stages (``tabular_featurization``, ``tabular_models``), training, the run's validation split,
its metrics, validation and the command line.
"""

from __future__ import annotations

from .context import CodegenContext
from .imports import Imports
from .metrics_source import metrics_function
from .render import Renderer
from .source import (
    Stage,
    TrainingCode,
    import_block,
    literal,
    script_header,
    third_party_packages,
)
from .tabular_models import ensemble_stages, model_stages
from .weights_source import fitting_stages, split_rows

PURPOSE = (
    "model as the run did, prints the metrics, trains it on every row and writes\n"
    "``model.pkl`` (joblib) and ``metrics.json`` into the output folder."
)


def build_tabular_code(context: CodegenContext, *, generator_version: str) -> TrainingCode:
    """All stages of the training code of a classification or regression run."""
    imports = Imports()
    renderer = Renderer(imports)
    constants = _column_constants(context)

    stages = [_constants_stage(context, constants, imports)]
    stages.append(_dataset_stage(context, imports))
    stages.append(_prepare_stage(context))
    if context.is_ensemble:
        stages += ensemble_stages(context, constants, renderer)
    else:
        stages += model_stages(context, constants, renderer)
    stages += fitting_stages(context, imports)
    stages.append(_split_stage(context, imports))
    stages.append(_metrics_stage(context, imports))
    stages.append(_validate_stage(imports))
    stages.append(_main_stage(imports))
    return TrainingCode(
        header=script_header(context, generator_version, PURPOSE),
        imports=import_block(imports),
        stages=tuple(stages),
        packages=third_party_packages(imports),
    )


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
    if context.weight_column is not None:
        lines.insert(3, f"WEIGHT_COLUMN = {literal(context.weight_column)}")
    lines += [f"{name} = {literal(columns)}" for name, columns in constants.items()]
    return Stage(
        "constants",
        "The run's data and columns",
        "Where the training data snapshot lives, its SHA-256, the label"
        + (", the sample weights' column" if context.weight_column is not None else "")
        + " and the feature columns AutoML used, grouped by the treatment AutoML chose for "
        "them.",
        "\n".join(lines),
    )


def _dataset_stage(context, imports) -> Stage:
    imports.module("hashlib")
    imports.name("pathlib", "Path")
    imports.module("pandas")
    required = "[LABEL, *FEATURE_COLUMNS]"
    if context.weight_column is not None:
        required = "[LABEL, WEIGHT_COLUMN, *FEATURE_COLUMNS]"
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
    missing = [column for column in REQUIRED if column not in df.columns]
    if missing:
        raise SystemExit(f"{path} lacks the training columns {missing}")
    return df
'''.replace("REQUIRED", required)
    return Stage(
        "get_training_dataset",
        "Data loading",
        "Loads the exact data snapshot the AutoML run trained on and checks its SHA-256, so "
        "the code rebuilds the same model; `--data` trains on another file with the same "
        "columns instead.",
        code.strip(),
    )


def _prepare_stage(context) -> Stage:
    weighted = context.weight_column is not None
    lines = [
        "df = df[df[LABEL].notna()].reset_index(drop=True)",
        "X = df.drop(columns=[LABEL, WEIGHT_COLUMN])"
        if weighted
        else "X = df.drop(columns=[LABEL])",
        'sample_weights = df[WEIGHT_COLUMN].to_numpy(dtype="float64")'
        if weighted
        else "sample_weights = None  # the run had no weight column",
    ]
    if context.task == "classification":
        lines += [
            "y = df[LABEL].infer_objects()",
            "if y.dtype == object:",
            "    y = y.astype(str)  # labels of mixed types are compared as text",
            'elif y.dtype.kind == "f" and (y % 1 == 0).all():',
            '    y = y.astype("int64")  # integer labels that missing labels had made float',
            "return X, y.to_numpy(), sample_weights",
        ]
        explanation = (
            "Drops rows without a label and splits off the label, keeping the data's own "
            "labels (the model predicts them). The feature columns stay as they are read: "
            "the model's featurization gives each column its type, so it predicts from raw rows."
        )
    else:
        lines += ['y = df[LABEL].to_numpy(dtype="float64")', "return X, y, sample_weights"]
        explanation = (
            "Drops rows without a label and splits off the label. The feature columns stay "
            "as they are read: the model's featurization gives each column its type, so it "
            "predicts from raw rows."
        )
    if weighted:
        explanation += (
            " The sample weights (the weight column, never a feature) weigh every fit and "
            "every metric."
        )
    body = "\n".join("    " + line for line in lines)
    code = (
        "def prepare_data(df):\n"
        '    """Keep labelled rows; split them into features, label and sample weights."""\n'
        f"{body}"
    )
    return Stage("prepare_data", "Data preparation", explanation, code)


def _split_stage(context, imports) -> Stage:
    scheme = context.validation
    seed = literal(int(scheme["seed"]))
    rows = split_rows(context)
    if scheme["kind"] == "holdout":
        imports.name("sklearn.model_selection", "train_test_split")
        imports.module("numpy")
        stratify = "y" if scheme.get("stratified") else "None"
        body = (
            "    train, valid = train_test_split(\n"
            f"        np.arange(len(y)), test_size={literal(float(scheme['validation_size']))}, "
            f"random_state={seed}, stratify={stratify}\n    )\n"
            f"    return [{rows}]"
        )
    else:
        folds_class = "StratifiedKFold" if scheme.get("stratified") else "KFold"
        imports.name("sklearn.model_selection", folds_class)
        body = (
            f"    folds = {folds_class}(n_splits={literal(int(scheme['n_folds']))}, "
            f"shuffle=True, random_state={seed})\n"
            f"    return [{rows} for train, valid in folds.split(X, y)]"
        )
    description = context.validation_description or scheme["kind"]
    return Stage(
        "split_dataset",
        "Validation split",
        f"The run's exact validation scheme: {description}, with the run's seed, so "
        "every split holds the same rows as in the AutoML trial. Each split gives the "
        "training and validation features, labels and sample weights.",
        "def split_dataset(X, y, sample_weights):\n"
        '    """Each split\'s training and validation rows, labels and sample weights."""\n' + body,
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
def validate_model(X, y, sample_weights):
    """Train on each split, score on its held-out rows and average the metrics."""
    scores = []
    for X_train, X_valid, y_train, y_valid, w_train, w_valid in split_dataset(
        X, y, sample_weights
    ):
        model = train_model(X_train, y_train, w_train)
        scores.append(calculate_metrics(model, X_valid, y_valid, w_valid))
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


def _main_stage(imports) -> Stage:
    for module in ("argparse", "json"):
        imports.module(module)
    imports.module("joblib")
    code = (
        "def main():\n"
        '    """Validate the model as the run did, train it on every row and save it."""\n'
        "    parser = argparse.ArgumentParser(description=__doc__)\n"
        '    parser.add_argument("--data", help="train on this CSV or Parquet file '
        "instead of the run's data snapshot\")\n"
        '    parser.add_argument("--output-dir", type=Path, default=Path("."), '
        'help="where model.pkl and metrics.json go")\n'
        "    args = parser.parse_args()\n"
        "    X, y, sample_weights = prepare_data(get_training_dataset(args.data))\n"
        "    metrics = validate_model(X, y, sample_weights)\n"
        "    model = train_model(X, y, sample_weights)\n"
        "    args.output_dir.mkdir(parents=True, exist_ok=True)\n"
        '    joblib.dump(model, args.output_dir / "model.pkl")\n'
        '    (args.output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))\n'
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

"""A forecasting run's spec and settings -> the stages of its standalone training script.

The same skeleton as tabular runs, over the long frame Nixtla's libraries take (``unique_id``,
``ds``, ``y``): ``prepare_data`` fills gaps and interpolates missing targets,
``generate_featurization_config`` lists the lag, rolling-window and calendar features of an
``mlforecast`` model, ``split_dataset`` makes the rolling-origin folds and ``calculate_metrics``
scores one fold per series. Every line repeats the engine's ``automl/forecasting`` code, so the
metrics and forecasts are exactly the run's. Values from the data or the run enter only
through ``literal`` and the ``Renderer``.
"""

from __future__ import annotations

import ast

from .context import CodegenContext
from .errors import CodegenError
from .imports import Imports
from .render import Renderer
from .source import (
    Stage,
    TrainingCode,
    import_block,
    literal,
    script_header,
    third_party_packages,
)

PREDICTION = "prediction"
ML_CLASS = "mlforecast.MLForecast"
STATS_CLASS = "statsforecast.StatsForecast"
PURPOSE = (
    "forecaster by rolling origin as the run did, prints the metrics, trains it on the\n"
    "whole history and writes ``model.pkl`` (joblib), ``metrics.json`` and\n"
    "``forecast.csv`` (the steps after the history) into the output folder."
)


def build_forecasting_code(context: CodegenContext, *, generator_version: str) -> TrainingCode:
    """All stages of the training code of a forecasting run."""
    settings = context.forecasting or {}
    spec = context.pipeline_spec
    imports = Imports()
    renderer = Renderer(imports)
    for module in ("argparse", "hashlib", "json", "warnings"):
        imports.module(module)
    imports.name("pathlib", "Path")
    imports.module("joblib")
    imports.module("numpy")
    imports.module("pandas")
    for name in (
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "r2_score",
        "root_mean_squared_error",
    ):
        imports.name("sklearn.metrics", name)
    features = bool(context.forecast_features)
    stages = [_constants_stage(context, settings), _dataset_stage(features)]
    stages.append(_prepare_stage(features))
    stages += _model_stages(context, spec, renderer)
    machine_learning = spec["class"] == ML_CLASS
    stages += [_train_stage(features, machine_learning), _forecast_stage(features)]
    stages.append(_split_stage())
    stages += [_metrics_stage(), _validate_stage(features), _main_stage(features)]
    return TrainingCode(
        header=script_header(context, generator_version, PURPOSE),
        imports=import_block(imports),
        stages=tuple(stages),
        packages=third_party_packages(imports),
    )


def _constants_stage(context, settings) -> Stage:
    lines = [
        f"DATA_PATH = {literal(context.data_path)}",
        f"DATA_SHA256 = {literal(context.data_sha256)}",
        f"LABEL = {literal(context.label)}",
        f"TIME_COLUMN = {literal(settings['time_column'])}",
        f"SERIES_ID_COLUMNS = {literal(list(settings['series_id_columns']))}",
        f"FREQUENCY = {literal(settings['freq'])}",
        f"HORIZON = {literal(settings['horizon'])}",
        f"SEASON_LENGTH = {literal(settings['season_length'])}",
        f"N_FOLDS = {literal(settings['n_folds'])}",
    ]
    if context.forecast_features:
        lines.append(f"KNOWN_FEATURES = {literal(context.forecast_features)}")
    return Stage(
        "constants",
        "The run's data and series",
        "Where the training data snapshot lives, its SHA-256, the target, the time and "
        "series-id columns, the frequency of the steps, the forecast horizon, the season "
        "length (steps per year, week or day) and the number of rolling-origin folds.",
        "\n".join(lines),
    )


def _dataset_stage(features: bool) -> Stage:
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
    columns = [LABEL, TIME_COLUMN, *SERIES_ID_COLUMNS@FEATURES@]
    missing = [column for column in columns if column not in df.columns]
    if missing:
        raise SystemExit(f"{path} lacks the training columns {missing}")
    return df
'''
    return Stage(
        "get_training_dataset",
        "Data loading",
        "Loads the exact data snapshot the AutoML run trained on and checks its SHA-256; "
        "`--data` trains on another file with the same columns instead.",
        code.strip().replace("@FEATURES@", ", *KNOWN_FEATURES" if features else ""),
    )


def _prepare_stage(features: bool) -> Stage:
    columns = "LABEL, *KNOWN_FEATURES" if features else "LABEL"
    if features:
        doc = (
            "History per series (unique_id, ds, y, known features), gaps interpolated,\n"
            '    and the known features of the HORIZON steps after each history."""'
        )
        append = """        part = pd.DataFrame({"unique_id": unique_id, "ds": steps, "y": history[LABEL].to_numpy()})
        for feature in KNOWN_FEATURES:
            part[feature] = history[feature].to_numpy()
        parts.append(part)
        ahead = pd.date_range(last, periods=HORIZON + 1, freq=FREQUENCY)[1:]
        future = pd.DataFrame({"unique_id": unique_id, "ds": ahead})
        for feature in KNOWN_FEATURES:
            future[feature] = values[feature].reindex(ahead).to_numpy()
        futures.append(future)
    series = pd.concat(parts, ignore_index=True)
    return series, keys, pd.concat(futures, ignore_index=True)"""
        lists = "parts, futures = [], []"
    else:
        doc = 'One row per series and step (unique_id, ds, y), gaps interpolated."""'
        append = """        parts.append(
            pd.DataFrame({"unique_id": unique_id, "ds": steps, "y": history[LABEL].to_numpy()})
        )
    return pd.concat(parts, ignore_index=True), keys"""
        lists = "parts = []"
    code = f'''
def prepare_data(df):
    """{doc}
    df = df[[*SERIES_ID_COLUMNS, TIME_COLUMN, {columns}]].copy()
    df[TIME_COLUMN] = pd.to_datetime(df[TIME_COLUMN])
    if SERIES_ID_COLUMNS:
        keys = df[SERIES_ID_COLUMNS].drop_duplicates().sort_values(SERIES_ID_COLUMNS)
        keys = keys.reset_index(drop=True)
        keys["unique_id"] = np.arange(len(keys))
        df = df.merge(keys, on=SERIES_ID_COLUMNS)
    else:
        keys = pd.DataFrame({{"unique_id": [0]}})
        df["unique_id"] = 0
    {lists}
    for unique_id, group in df.groupby("unique_id", sort=True):
        values = group.set_index(TIME_COLUMN)[[{columns}]].sort_index().astype("float64")
        grid = pd.date_range(values.index[0], values.index[-1], freq=FREQUENCY)
        if not values.index.isin(grid).all():
            raise SystemExit(f"series {{unique_id}} has timestamps off the {{FREQUENCY}} grid")
        # The history ends at the last labelled step; missing steps are interpolated.
        last = values[LABEL].last_valid_index()
        steps = pd.date_range(values.index[0], last, freq=FREQUENCY)
        history = values.loc[:last].reindex(steps)
        history = history.interpolate(method="linear", limit_direction="both")
{append}
'''
    return Stage(
        "prepare_data",
        "Data preparation",
        "Numbers the series (in the sorted order of their id values), reindexes each one to "
        "every step of the frequency from its first timestamp to its last labelled one, and "
        "fills missing values by linear interpolation along the series (the first or last "
        "known value before or after them). `keys` maps each `unique_id` back to its "
        "series-id values."
        + (
            " `future` holds the known-in-advance features of the steps to forecast, from "
            "the rows after each series' last labelled one."
            if features
            else ""
        ),
        code.strip(),
    )


def _model_stages(context, spec, renderer: Renderer) -> list[Stage]:
    params = spec["params"]
    model_specs = params["models"]
    if spec["class"] == ML_CLASS:
        entries = model_specs.get("__dict__") if isinstance(model_specs, dict) else None
        if not entries or len(entries) != 1 or entries[0][0] != PREDICTION:
            raise CodegenError("an MLForecast spec must hold one model named 'prediction'")
        model = entries[0][1]
        featurization = {k: v for k, v in params.items() if k not in ("models", "freq")}
        feature_dict = ast.Dict(
            [ast.Constant(k) for k in featurization],
            [renderer.node(v) for v in featurization.values()],
        )
        forecaster = renderer.class_name(ML_CLASS)
        stages = [
            Stage(
                "generate_featurization_config",
                "Featurization",
                "The features of the target the model learns from, computed per series by "
                "mlforecast: lags (the value that many steps back), rolling means of the "
                "previous values, calendar features of the forecast step, and target "
                "transforms (differencing, undone on the forecasts).",
                "def generate_featurization_config():\n"
                '    """Lag, rolling-window and calendar features of the target."""\n'
                f"    return {ast.unparse(feature_dict)}",
            )
        ]
        pipeline = (
            f"    return {forecaster}(\n"
            f'        models={{"{PREDICTION}": generate_algorithm_config()}},\n'
            "        freq=FREQUENCY,\n"
            "        **generate_featurization_config(),\n"
            "    )"
        )
        about = "One global model over every series, on the features above."
    elif spec["class"] == STATS_CLASS:
        if not isinstance(model_specs, list) or len(model_specs) != 1:
            raise CodegenError("a StatsForecast spec must hold one model")
        model = model_specs[0]
        forecaster = renderer.class_name(STATS_CLASS)
        stages = []
        pipeline = f"    return {forecaster}(models=[generate_algorithm_config()], freq=FREQUENCY)"
        about = "One model per series, fitted to that series alone."
    else:
        raise CodegenError(f"{spec['class']!r} is not a forecaster AutoML trains")
    stages.append(
        Stage(
            "generate_algorithm_config",
            f"Algorithm: {context.algorithm}",
            "The model with the hyperparameters the AutoML search chose.",
            "def generate_algorithm_config():\n"
            '    """The model with the hyperparameters the AutoML search chose."""\n'
            f"    return {ast.unparse(renderer.estimator(model))}",
        )
    )
    stages.append(
        Stage(
            "build_model_pipeline",
            "The forecaster",
            about,
            f'def build_model_pipeline():\n    """The forecaster. {about}"""\n{pipeline}',
        )
    )
    return stages


def _train_stage(features: bool, machine_learning: bool) -> Stage:
    static = features and machine_learning
    fit = "model.fit(series, static_features=[])" if static else "model.fit(series)"
    if not features:
        note = "."
    elif machine_learning:
        note = " (the known features vary with time: none is static)."
    else:
        note = (
            " (the known features, the columns of `series` after `y`, are the model's "
            "exogenous regressors)."
        )
    return Stage(
        "train_model",
        "Training",
        "Fits a new forecaster on the given history of every series" + note,
        'def train_model(series):\n    """Fit a new forecaster on the history of every series."""\n'
        "    model = build_model_pipeline()\n"
        + (
            "    # The columns after y (KNOWN_FEATURES) are its exogenous regressors.\n"
            if features and not machine_learning
            else ""
        )
        + f"    {fit}\n    return model",
    )


def _forecast_stage(features: bool) -> Stage:
    code = '''
def forecast(model, keys@ARGS@):
    """The HORIZON steps after the history, per series: id columns, time, prediction."""
    predicted = model.predict(h=HORIZON@X@)
    out = predicted.merge(keys, on="unique_id").sort_values(["unique_id", "ds"])
    out = out.rename(columns={"ds": TIME_COLUMN})
    return out[[*SERIES_ID_COLUMNS, TIME_COLUMN, "prediction"]].reset_index(drop=True)
'''
    return Stage(
        "forecast",
        "Forecasting",
        "Forecasts the steps after the fitted history and writes them in the layout of "
        "`automl-codegen predict`: the series-id columns, the time column and `prediction`.",
        code.strip()
        .replace("@ARGS@", ", future" if features else "")
        .replace("@X@", ", X_df=future" if features else ""),
    )


def _split_stage() -> Stage:
    code = '''
def split_dataset(series):
    """(cutoff, validation steps) of each rolling-origin fold, oldest first."""
    steps = pd.date_range(
        end=series["ds"].max(), periods=N_FOLDS * HORIZON + 1, freq=FREQUENCY
    )
    return [
        (steps[start], steps[start + 1 : start + HORIZON + 1])
        for start in range(0, N_FOLDS * HORIZON, HORIZON)
    ]
'''
    return Stage(
        "split_dataset",
        "Rolling-origin folds",
        "Every series is cut at the same timestamps; each fold trains on the steps up to its "
        "cutoff and is scored on the next HORIZON steps.",
        code.strip(),
    )


def _metrics_stage() -> Stage:
    code = '''
def calculate_metrics(history, actual, predicted):
    """The run's metrics of one fold, per series then averaged over the series."""
    scored = actual.merge(predicted, on=["unique_id", "ds"])
    scores = []
    for unique_id, group in scored.groupby("unique_id", sort=True):
        past = history.loc[history["unique_id"] == unique_id, "y"].to_numpy()
        y_true, y_pred = group["y"].to_numpy(), group["prediction"].to_numpy()
        # Normalized errors divide by the range of the series' history (1.0 if constant);
        # MASE by the mean absolute error of its in-sample seasonal-naive forecast.
        y_range = past.max() - past.min()
        if y_range == 0:
            y_range = 1.0
        naive_error = np.mean(np.abs(past[SEASON_LENGTH:] - past[:-SEASON_LENGTH]))
        if naive_error == 0:
            naive_error = 1.0
        rmse = root_mean_squared_error(y_true, y_pred)
        mae = mean_absolute_error(y_true, y_pred)
        mape = mean_absolute_percentage_error(y_true, y_pred)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # r2 of a single step is undefined (nan)
            r2 = r2_score(y_true, y_pred)
        metrics = {
            "normalized_root_mean_squared_error": rmse / y_range,
            "r2_score": r2,
            "normalized_mean_absolute_error": mae / y_range,
            "mean_absolute_percentage_error": mape,
            "mean_absolute_scaled_error": mae / naive_error,
        }
        scores.append({name: float(value) for name, value in metrics.items()})
    return {name: float(np.mean([score[name] for score in scores])) for name in scores[0]}
'''
    return Stage(
        "calculate_metrics",
        "Metrics",
        "The run's metrics of one fold, computed per series and averaged over the series. "
        "A mean_absolute_scaled_error below 1 beats the seasonal-naive forecast.",
        code.strip(),
    )


def _validate_stage(features: bool) -> Stage:
    code = '''
def validate_model(series):
    """Train up to each cutoff, forecast the next steps and average the metrics."""
    scores = []
    for cutoff, future in split_dataset(series):
        history = series[series["ds"] <= cutoff]
        model = train_model(history)
        actual = series[series["ds"].isin(future)]
        predicted = model.predict(h=HORIZON@X@)
        scores.append(calculate_metrics(history, actual, predicted))
    metrics = {}
    for name in scores[0]:
        mean = float(np.mean([score[name] for score in scores]))
        metrics[name] = mean if np.isfinite(mean) else None
    return metrics
'''
    return Stage(
        "validate_model",
        "Validation",
        "Repeats the run's rolling-origin validation; the metrics should equal the run's.",
        code.strip().replace(
            "@X@", ', X_df=actual[["unique_id", "ds", *KNOWN_FEATURES]]' if features else ""
        ),
    )


def _main_stage(features: bool) -> Stage:
    code = '''
def main():
    """Validate the forecaster as the run did, train it on the whole history and save it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data",
        help="train on this CSV or Parquet file instead of the run's data snapshot",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("."),
        help="where model.pkl, metrics.json and forecast.csv go",
    )
    args = parser.parse_args()
    @PREPARE@
    metrics = validate_model(series)
    model = train_model(series)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, args.output_dir / "model.pkl")
    (args.output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    @FORECAST@
    for name, value in metrics.items():
        print(f"{name}: {value}")
    print(f"Saved {args.output_dir / 'model.pkl'}, metrics.json and forecast.csv")
'''
    if features:
        prepare = "series, keys, future = prepare_data(get_training_dataset(args.data))"
        write = (
            "if future[KNOWN_FEATURES].isna().any(axis=None):\n"
            '        print("forecast.csv not written: the data lacks the known features of the "\n'
            '              "steps ahead (rows after the last labelled ones, label empty)")\n'
            "    else:\n"
            "        forecast(model, keys, future).to_csv("
            'args.output_dir / "forecast.csv", index=False)'
        )
    else:
        prepare = "series, keys = prepare_data(get_training_dataset(args.data))"
        write = 'forecast(model, keys).to_csv(args.output_dir / "forecast.csv", index=False)'
    code = code.replace("@PREPARE@", prepare).replace("@FORECAST@", write)
    return Stage("main", "Main", "The command line.", code.strip())

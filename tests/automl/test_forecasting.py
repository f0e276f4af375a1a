"""Forecasting (issue 9): the engine trains on one series and on many series with gaps, the
best model beats seasonal naive on held-out final periods, generated scripts reproduce the
stored forecasters exactly, and the command line trains and forecasts."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import AutoMLConfig, RunStore, load_dataset, submit
from jupyter_automl_codegen.automl.forecasting.evaluation import forecast_frame
from jupyter_automl_codegen.automl.forecasting.series import ForecastSettings
from jupyter_automl_codegen.errors import ConfigError, DataError
from jupyter_automl_codegen.stored_code import stored_code_dir

from ..clitools import run_cli, run_cli_json
from ..forecast_data import weather_with_known_precipitation

AIR_HORIZON = 12
WEATHER_HORIZON = 7


def weather_series() -> pd.DataFrame:
    """Three daily series (Seattle max/min temperature and wind) with gaps and missing values."""
    weather = load_dataset("seattle-weather").frame.tail(120)
    long = weather.melt(
        id_vars="date", value_vars=["temp_max", "temp_min", "wind"], var_name="station"
    ).reset_index(drop=True)
    gaps = long.index.isin([10, 11, 12, 150, 300, 301])
    long = long[~gaps].reset_index(drop=True)
    long.loc[[40, 200], "value"] = np.nan
    return long


def _split(frame, time_column, horizon):
    times = pd.to_datetime(frame[time_column])
    held_out = times >= sorted(times.unique())[-horizon]
    return frame[~held_out].reset_index(drop=True), frame[held_out].reset_index(drop=True)


@pytest.fixture(scope="module")
def forecasting_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("forecast-store")
    store = RunStore(root)
    air = load_dataset("air-passengers").frame
    weather = weather_series()
    air_train, air_test = _split(air, "month", AIR_HORIZON)
    weather_train, weather_test = _split(weather, "date", WEATHER_HORIZON)
    runs = {
        "air": submit(
            AutoMLConfig(
                task="forecasting",
                label_column_name="passengers",
                time_column_name="month",
                forecast_horizon=AIR_HORIZON,
                max_trials=8,
                experiment_timeout_seconds=300,
                max_concurrent_iterations=2,
            ),
            air_train,
            store=store,
            experiment_name="air-passengers",
            show_progress=False,
        ),
        "weather": submit(
            AutoMLConfig(
                task="forecasting",
                label_column_name="value",
                time_column_name="date",
                time_series_id_column_names=["station"],
                forecast_horizon=WEATHER_HORIZON,
                max_trials=7,
                experiment_timeout_seconds=300,
                max_concurrent_iterations=2,
            ),
            weather_train,
            store=store,
            experiment_name="weather",
            show_progress=False,
        ),
    }
    data = {"air": (air_train, air_test), "weather": (weather_train, weather_test)}
    return {"root": root, "store": store, "runs": runs, "data": data}


@pytest.mark.parametrize("name", ["air", "weather"])
def test_experiment_trains_every_candidate(forecasting_store, name):
    run = forecasting_store["runs"][name]
    assert run.status == "completed"
    children = run.get_children()
    assert all(child.status == "completed" for child in children), [c.error for c in children]
    assert {"SeasonalNaive", "AutoETS", "Ridge", "LightGBM", "ExtraTrees"} <= {
        c.algorithm for c in children
    }
    metrics = children[0].get_metrics()
    assert set(metrics) == {
        "normalized_root_mean_squared_error",
        "r2_score",
        "normalized_mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_absolute_scaled_error",
    }
    parent = forecasting_store["store"].get_run(run.id).properties
    assert parent["forecasting"]["freq"] == ("MS" if name == "air" else "D")


def _held_out_mase(child, train, test, settings):
    """MASE of a run's forecast of the held-out final periods, averaged over series."""
    forecast = child.forecast(train)
    ids, time, label = list(settings.series_id_columns), settings.time_column, settings.label
    test = test.assign(**{time: pd.to_datetime(test[time])})
    train = train.assign(**{time: pd.to_datetime(train[time])})
    scored = test.merge(forecast, on=[*ids, time]).dropna(subset=[label])
    values = []
    groups = scored.groupby(ids) if ids else [((), scored)]
    for key, group in groups:
        history = train
        for column, value in zip(ids, key if isinstance(key, tuple) else (key,), strict=False):
            history = history[history[column] == value]
        past = history.sort_values(time)[label].interpolate().to_numpy()
        m = settings.season_length
        scale = np.mean(np.abs(past[m:] - past[:-m]))
        values.append(np.mean(np.abs(group[label] - group["prediction"])) / scale)
    return float(np.mean(values))


@pytest.mark.parametrize("name", ["air", "weather"])
def test_best_model_beats_seasonal_naive_on_held_out_periods(forecasting_store, name):
    run = forecasting_store["runs"][name]
    train, test = forecasting_store["data"][name]
    settings = ForecastSettings.from_dict(
        forecasting_store["store"].get_run(run.id).properties["forecasting"]
    )
    best = run.get_best_child()
    naive = next(c for c in run.get_children() if c.algorithm == "SeasonalNaive")
    best_mase = _held_out_mase(best, train, test, settings)
    naive_mase = _held_out_mase(naive, train, test, settings)
    print(f"{name}: best {best.algorithm} MASE {best_mase:.4f}, seasonal naive {naive_mase:.4f}")
    assert best.algorithm != "SeasonalNaive"
    assert best_mase < naive_mase


def _run_script(folder, output):
    return subprocess.run(
        [sys.executable, str(folder / "script.py"), "--output-dir", str(output)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def script_results(forecasting_store, tmp_path_factory):
    store = forecasting_store["store"]
    jobs = []
    for name, run in forecasting_store["runs"].items():
        chosen = {}
        for child in run.get_children(status="completed"):
            chosen.setdefault(child.algorithm, child)
        wanted = chosen.values() if name == "air" else [run.get_best_child(), chosen["AutoETS"]]
        for child in wanted:
            output = tmp_path_factory.mktemp(f"{name}-{child.algorithm}")
            jobs.append((name, child, stored_code_dir(store, child.id), output))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: _run_script(job[2], job[3]), jobs))
    return [(*job, result) for job, result in zip(jobs, results, strict=True)]


def test_script_reproduces_metrics_and_forecasts_exactly(forecasting_store, script_results):
    store = forecasting_store["store"]
    assert len(script_results) >= 9
    for name, child, _folder, output, result in script_results:
        assert result.returncode == 0, (child.algorithm, result.stderr[-2000:])
        assert json.loads((output / "metrics.json").read_text()) == child.get_metrics()
        settings = ForecastSettings.from_dict(
            store.get_run(forecasting_store["runs"][name].id).properties["forecasting"]
        )
        stored = child.get_model().predict(h=settings.horizon)
        retrained = joblib.load(output / "model.pkl").predict(h=settings.horizon)
        pd.testing.assert_frame_equal(retrained, stored, check_exact=True)
        written = pd.read_csv(output / "forecast.csv", parse_dates=[settings.time_column])
        expected = child.forecast(forecasting_store["data"][name][0])
        assert list(written.columns) == [
            *settings.series_id_columns,
            settings.time_column,
            "prediction",
        ]
        pd.testing.assert_frame_equal(written, expected, check_exact=False, rtol=1e-12)
        assert len(written) == settings.horizon * (3 if name == "weather" else 1)
        # The forecast of the stored model itself, in the same layout.
        keys = pd.DataFrame({"unique_id": np.arange(3 if name == "weather" else 1)})
        if name == "weather":
            keys.insert(0, "station", ["temp_max", "temp_min", "wind"])
        own = forecast_frame(stored, keys, settings)
        np.testing.assert_array_equal(own["prediction"].to_numpy(), expected["prediction"])


def test_generated_code_is_standalone_and_readable(forecasting_store):
    store = forecasting_store["store"]
    for run in forecasting_store["runs"].values():
        for child in run.get_children(status="completed"):
            folder = stored_code_dir(store, child.id)
            script = (folder / "script.py").read_text()
            assert "jupyter_automl_codegen" not in script
            for stage in (
                "get_training_dataset",
                "prepare_data",
                "generate_algorithm_config",
                "build_model_pipeline",
                "train_model",
                "calculate_metrics",
                "main",
            ):
                assert f"def {stage}(" in script
            requirements = (folder / "requirements.txt").read_text()
            library = "mlforecast" if "MLForecast(" in script else "statsforecast"
            assert f"{library}==" in requirements
            if library == "mlforecast":
                assert "def generate_featurization_config(" in script
            notebook = json.loads((folder / "training_code.ipynb").read_text())
            sources = "".join("".join(c["source"]) for c in notebook["cells"])
            assert "validate_model(series)" in sources
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--select",
            "E,F,W,I",
            "--ignore",
            "E501",
            str(
                stored_code_dir(store, forecasting_store["runs"]["weather"].get_best_child().id)
                / "script.py"
            ),
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout


def test_cli_trains_and_predicts_a_forecast(tmp_path):
    data = tmp_path / "weather.csv"
    weather_series().to_csv(data, index=False)
    store = tmp_path / "store"
    summary = run_cli_json(
        "train",
        data,
        "--task",
        "forecasting",
        "--label",
        "value",
        "--time-column",
        "date",
        "--series-id",
        "station",
        "--horizon",
        "5",
        "--max-trials",
        "4",
        "--workers",
        "2",
        "--no-code-generation",
        store=store,
    )
    assert summary["status"] == "completed"
    out = tmp_path / "forecast.csv"
    result = run_cli("predict", summary["best_run_id"], data, "--out", out, store=store)
    assert result.returncode == 0, result.stderr
    forecast = pd.read_csv(out)
    assert list(forecast.columns) == ["station", "date", "prediction"]
    assert len(forecast) == 15
    assert forecast["date"].min() == "2016-01-01"  # the day after the history
    for broken, message in (
        (weather_series().drop(columns=["station"]), "lacks the training columns 'station'"),
        (weather_series().tail(10), "step(s) of history; the model needs at least"),
        (pd.concat([weather_series(), weather_series().head(1)]), "duplicate timestamps"),
    ):
        broken.to_csv(tmp_path / "broken.csv", index=False)
        result = run_cli(
            "predict", summary["best_run_id"], tmp_path / "broken.csv", "--out", out, store=store
        )
        assert result.returncode == 2
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("automl-codegen: error: ") and message in line, line
    assert np.isfinite(forecast["prediction"]).all()


def test_forecasting_trials_keep_the_time_limit_and_train_exits_1_without_a_model(tmp_path):
    store = tmp_path / "store"
    air = ["--task", "forecasting", "--label", "passengers", "--time-column", "month"]
    result = run_cli(
        "train",
        _air(tmp_path),
        *air,
        "--horizon",
        "12",
        "--max-trials",
        "2",
        "--trial-timeout",
        "0.01",
        "--workers",
        "1",
        "--no-code-generation",
        "--json",
        store=store,
    )
    assert result.returncode == 1, result.stderr
    runs = RunStore(store)
    (experiment,) = runs.list_experiments()
    children = runs.list_runs(experiment.id)
    assert len(children) == 2
    message = "ran longer than its limit of 0.01 s"
    assert all(c.status == "failed" and message in c.error for c in children), children


def _air(tmp_path, frame=None):
    path = tmp_path / "air.csv"
    (frame if frame is not None else load_dataset("air-passengers").frame).to_csv(path, index=False)
    return path


BAD = {
    "missing time column": ([], ["--time-column", "when"], "time column 'when' is not in the data"),
    "horizon below one": ([], ["--time-column", "month", "--horizon", "0"], "forecast_horizon=0"),
    "no time column given": ([], [], "forecasting needs time_column_name"),
    "series too short": (["short"], ["--time-column", "month", "--horizon", "12"], "is too short"),
    "duplicate timestamps": (["duplicate"], ["--time-column", "month"], "duplicate timestamps"),
    "irregular timestamps": (
        ["irregular"],
        ["--time-column", "month", "--frequency", "MS"],
        "irregular timestamps",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_forecasting_input_is_one_line_exit_2(tmp_path, case):
    variant, flags, message = BAD[case]
    frame = load_dataset("air-passengers").frame
    if variant == ["short"]:
        frame = frame.head(40)
    elif variant == ["duplicate"]:
        frame = pd.concat([frame, frame.iloc[[5]]])
    elif variant == ["irregular"]:
        frame = frame.copy()
        frame.loc[7, "month"] = "1949-08-15"
    store = tmp_path / "store"
    result = run_cli(
        "train",
        _air(tmp_path, frame),
        "--task",
        "forecasting",
        "--label",
        "passengers",
        *flags,
        store=store,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("automl-codegen: error: "), lines
    assert message in lines[0]
    assert not list((store / "runs").glob("*")) if (store / "runs").exists() else True


def test_config_errors_name_the_parameter(tmp_path):
    with pytest.raises(ConfigError, match="forecast_horizon"):
        AutoMLConfig(
            task="forecasting", label_column_name="y", time_column_name="t", forecast_horizon=-1
        ).validate()
    with pytest.raises(ConfigError, match="freq="):
        AutoMLConfig(
            task="forecasting", label_column_name="y", time_column_name="t", freq="fortnightly"
        ).validate()
    frame = pd.DataFrame({"t": pd.date_range("2020-01-01", periods=10), "y": np.arange(10.0)})
    config = AutoMLConfig(task="forecasting", label_column_name="y", time_column_name="t")
    with pytest.raises(DataError, match="too short"):
        submit(config, frame, store=tmp_path / "store", show_progress=False)
    assert not (tmp_path / "store").exists()  # refused before anything is stored


def test_without_the_forecasting_extra_the_task_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsforecast", None)  # import statsforecast fails
    config = AutoMLConfig(task="forecasting", label_column_name="y", time_column_name="t")
    with pytest.raises(ConfigError, match=r"pip install 'jupyter-automl-codegen\[forecasting\]'"):
        config.validate()


def test_generated_notebooks_run_for_a_forecasting_run(forecasting_store, tmp_path, monkeypatch):
    """The training notebook repeats the run's metrics and forecasts; the script-run
    notebook runs script.py and shows its forecast."""
    import shutil

    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("AUTOML_CODEGEN_STORE", str(tmp_path / "other-store"))
    store = forecasting_store["store"]
    best = forecasting_store["runs"]["weather"].get_best_child()
    folder = tmp_path / "code"
    shutil.copytree(stored_code_dir(store, best.id), folder)
    for name in ("training_code.ipynb", "script_run_notebook.ipynb"):
        notebook = nbformat.read(folder / name, as_version=4)
        NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=300,
            resources={"metadata": {"path": str(folder)}},
        ).execute()
    assert json.loads((folder / "metrics.json").read_text()) == best.get_metrics()
    written = pd.read_csv(folder / "forecast.csv", parse_dates=["date"])
    expected = best.forecast(forecasting_store["data"]["weather"][0])
    pd.testing.assert_frame_equal(written, expected, check_exact=False, rtol=1e-12)
    assert (folder / "outputs" / "forecast.csv").is_file()


@pytest.fixture(scope="module")
def known_features_run(tmp_path_factory):
    store = RunStore(tmp_path_factory.mktemp("known-features-store"))
    frame = weather_with_known_precipitation()
    run = submit(
        AutoMLConfig(
            task="forecasting",
            label_column_name="value",
            time_column_name="date",
            time_series_id_column_names=["kind"],
            known_feature_column_names=["precipitation"],
            forecast_horizon=WEATHER_HORIZON,
            allowed_models=["AutoETS", "Ridge", "LightGBM", "AutoARIMA"],
            max_trials=4,
            max_concurrent_iterations=2,
        ),
        frame,
        store=store,
        experiment_name="weather-known",
        show_progress=False,
    )
    return store, run, frame


def test_known_features_reach_the_ml_models_and_scripts_reproduce_them(
    known_features_run, tmp_path
):
    store, run, frame = known_features_run
    children = {c.algorithm: c for c in run.get_children()}
    assert all(c.status == "completed" for c in children.values()), [
        c.error for c in children.values()
    ]
    ridge_spec = store.get_run(children["Ridge"].id)
    assert ridge_spec.properties["hyperparameters"]
    settings = store.get_run(run.id).properties["forecasting"]
    assert settings["known_features"] == ["precipitation"]
    model = children["Ridge"].get_model()
    assert "precipitation" in model.ts.features_order_
    # AutoARIMA takes them as exogenous regressors; ETS ignores them, and the runs say so.
    assert children["AutoARIMA"].get_model()._exog == ["precipitation"]
    assert store.get_run(run.id).properties["known_features"] == {
        "columns": ["precipitation"],
        "used_by": ["Ridge", "LightGBM", "AutoARIMA"],
        "ignored_by": ["AutoETS"],
    }
    for algorithm, used in (("AutoETS", False), ("AutoARIMA", True), ("Ridge", True)):
        described = store.get_run(children[algorithm].id).properties["featurization"]
        assert described["known_features_used"] == (["precipitation"] if used else [])
        assert described["known_features_ignored"] == ([] if used else ["precipitation"])
    for child in children.values():
        folder = stored_code_dir(store, child.id)
        script = (folder / "script.py").read_text()
        uses = child.algorithm != "AutoETS"
        assert ("KNOWN_FEATURES" in script) is uses
        output = tmp_path / child.algorithm
        result = _run_script(folder, output)
        assert result.returncode == 0, result.stderr[-2000:]
        assert json.loads((output / "metrics.json").read_text()) == child.get_metrics()
        written = pd.read_csv(output / "forecast.csv", parse_dates=["date"])
        expected = child.forecast(frame)
        pd.testing.assert_frame_equal(written, expected, check_exact=False, rtol=1e-12)
        assert str(written["date"].min().date()) == "2015-12-25"  # the first unlabelled day
        assert len(written) == 2 * WEATHER_HORIZON
    # The features change ARIMA's forecast (and only the readers'): rain ahead, other numbers.
    rainy = frame.assign(precipitation=frame["precipitation"].where(frame["value"].notna(), 25.0))
    for algorithm, reads in (("AutoARIMA", True), ("AutoETS", False)):
        dry = children[algorithm].forecast(frame)["prediction"].to_numpy()
        wet = children[algorithm].forecast(rainy)["prediction"].to_numpy()
        assert (not np.allclose(dry, wet)) is reads, algorithm


def test_forecast_without_the_future_features_is_a_clear_error(known_features_run, tmp_path):
    store, run, frame = known_features_run
    ridge = next(c for c in run.get_children() if c.algorithm == "Ridge")
    history = frame[frame["value"].notna()]
    with pytest.raises(DataError, match="lacks the known-in-advance features"):
        ridge.forecast(history)
    path = tmp_path / "history.csv"
    history.to_csv(path, index=False)
    result = run_cli("predict", ridge.id, path, "--out", tmp_path / "out.csv", store=store.root)
    assert result.returncode == 2
    assert "lacks the known-in-advance features" in result.stderr
    # A classical model does not read the features: the history alone is enough.
    ets = next(c for c in run.get_children() if c.algorithm == "AutoETS")
    assert len(ets.forecast(history)) == 2 * WEATHER_HORIZON


def test_script_run_notebook_tracks_a_forecasting_run(known_features_run, tmp_path, monkeypatch):
    """``script_run_notebook.ipynb`` runs script.py as a new tracked run that carries the
    forecasting settings: it forecasts, lists and describes itself like the original."""
    import re
    import shutil
    import sqlite3

    import nbformat
    from nbclient import NotebookClient

    from jupyter_automl_codegen.automl.runs import ChildRun
    from jupyter_automl_codegen.stored_code import generate_run_code

    source_store, run, frame = known_features_run
    copy = tmp_path / "store"
    shutil.copytree(source_store.root, copy, ignore=shutil.ignore_patterns("store.db*"))
    with sqlite3.connect(source_store.db_path) as src, sqlite3.connect(copy / "store.db") as dst:
        src.backup(dst)
    store = RunStore(copy)
    monkeypatch.setenv("AUTOML_CODEGEN_STORE", str(copy))  # the kernel's default store
    arima = next(c for c in run.get_children() if c.algorithm == "AutoARIMA")
    folder = tmp_path / "code"
    generate_run_code(store, arima.id, folder)
    notebook = nbformat.read(folder / "script_run_notebook.ipynb", as_version=4)
    (settings_cell,) = [c for c in notebook.cells if "FORECASTING = {" in c.source]
    assert "forecasting=FORECASTING" in settings_cell.source
    NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(folder)}}
    ).execute()
    printed = "".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
    tracked = re.search(r"Tracked as run (\S+) in the run store", printed)
    assert tracked is not None, printed[-2000:]
    new = store.get_run(tracked.group(1))
    assert new.status == "completed", new.error
    assert new.metrics == arima.get_metrics()
    assert new.primary_metric_value == store.get_run(arima.id).primary_metric_value
    experiment = store.get_experiment(new.experiment_id)
    assert experiment.task == "forecasting"
    original = source_store.get_run(run.id).properties
    parent = store.get_run(new.parent_id).properties
    assert parent["forecasting"] == original["forecasting"]
    assert parent["forecasting"]["known_features"] == ["precipitation"]
    assert parent["validation_description"] == original["validation_description"]
    assert parent["known_features"]["ignored_by"] == ["AutoETS"]
    # a proper forecasting run: it forecasts as the original does, and lists its featurization
    pd.testing.assert_frame_equal(
        ChildRun(store, new.id).forecast(frame), arima.forecast(frame), check_exact=True
    )
    (listed,) = run_cli_json("runs", new.experiment_id, store=copy)
    assert listed["metrics"] == arima.get_metrics()
    assert listed["properties"]["featurization"]["known_features_used"] == ["precipitation"]

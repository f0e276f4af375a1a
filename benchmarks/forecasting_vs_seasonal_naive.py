"""Held-out forecast quality of ``automl-codegen train --task forecasting`` against seasonal
naive and, when given a Python with FLAML installed, FLAML's ``ts_forecast``.

For each data set: hold out the final ``horizon`` steps of every series, train with the real
command line under a time budget on the rest, forecast the held-out steps with
``automl-codegen predict`` (the training data as history), and score MASE per series (the
mean absolute error over the in-sample seasonal-naive error of the training history),
averaged over series. The table reports each forecaster's MASE, its ratio to seasonal
naive's (below 1 beats it) and ours over FLAML's (below 1: ours better). ``--markdown FILE``
also writes the table as markdown (``benchmarks/results/forecasting_vs_peers.md``). Nothing
here is a pass/fail test.

FLAML runs in its own virtual environment (it pins other library versions than ours), one
``AutoML.fit(task="ts_forecast")`` per series with an equal share of the budget:

    python -m venv /tmp/flaml-fc-venv
    /tmp/flaml-fc-venv/bin/pip install "flaml[automl]" statsmodels
    .venv/bin/python benchmarks/forecasting_vs_seasonal_naive.py --timeout 30 \\
        --flaml-python /tmp/flaml-fc-venv/bin/python \\
        --markdown benchmarks/results/forecasting_vs_peers.md
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jupyter_automl_codegen import load_dataset


def air_passengers():
    return load_dataset("air-passengers").frame, "passengers", "month", [], 12, 12


def seattle_weather():
    """Three daily series (max/min temperature and wind) of the last 400 days, with gaps."""
    weather = load_dataset("seattle-weather").frame.tail(400)
    long = weather.melt(
        id_vars="date", value_vars=["temp_max", "temp_min", "wind"], var_name="series"
    )
    long = long.drop(index=long.sample(frac=0.02, random_state=0).index)
    return long.reset_index(drop=True), "value", "date", ["series"], 7, 7


DATASETS = {"air-passengers": air_passengers, "seattle-weather-3": seattle_weather}

FLAML_SCRIPT = r"""
import io, json, sys
import pandas as pd
from flaml import AutoML

job = json.load(open(sys.argv[1]))
train = pd.read_json(io.StringIO(job["train"]), orient="split")  # pandas 3: no literal JSON
out = []
for key, group in train.groupby("key", sort=True):
    frame = pd.DataFrame({"ds": pd.to_datetime(group["ds"]), "y": group["y"]})
    automl = AutoML()
    automl.fit(dataframe=frame, label="y", task="ts_forecast", period=job["horizon"],
               time_budget=job["seconds"], seed=0, verbose=0, eval_method="holdout")
    ahead = pd.date_range(frame["ds"].max(), periods=job["horizon"] + 1, freq=job["freq"])[1:]
    predicted = automl.predict(pd.DataFrame({"ds": ahead}))
    out += [{"key": key, "ds": str(d), "prediction": float(p)} for d, p in zip(ahead, predicted)]
json.dump(out, open(sys.argv[2], "w"))
"""


def split(frame, time_column, horizon):
    times = pd.to_datetime(frame[time_column])
    held_out = times >= sorted(times.unique())[-horizon]
    return frame[~held_out].reset_index(drop=True), frame[held_out].reset_index(drop=True)


def long_frame(frame, label, time_column, ids):
    """key, ds, y per series, reindexed to the frequency and interpolated (as the engine)."""
    out = frame.assign(ds=pd.to_datetime(frame[time_column]), y=frame[label].astype(float))
    out["key"] = out[ids].astype(str).agg("|".join, axis=1) if ids else "all"
    return out[["key", "ds", "y"]].sort_values(["key", "ds"])


def regular(history, freq):
    parts = []
    for key, group in history.groupby("key", sort=True):
        steps = pd.date_range(group["ds"].min(), group["ds"].max(), freq=freq)
        y = group.set_index("ds")["y"].reindex(steps).interpolate(limit_direction="both")
        parts.append(pd.DataFrame({"key": key, "ds": steps, "y": y.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def mase(history, actual, predicted, season):
    """MASE per series, averaged: ``predicted`` has key, ds, prediction."""
    scored = actual.merge(predicted, on=["key", "ds"])
    values = []
    for key, group in scored.groupby("key"):
        past = history.loc[history["key"] == key, "y"].to_numpy()
        scale = np.mean(np.abs(past[season:] - past[:-season]))
        values.append(np.mean(np.abs(group["y"] - group["prediction"])) / scale)
    return float(np.mean(values))


def seasonal_naive(history, horizon, season, freq):
    rows = []
    for key, group in history.groupby("key", sort=True):
        last = group["y"].to_numpy()[-season:]
        ahead = pd.date_range(group["ds"].max(), periods=horizon + 1, freq=freq)[1:]
        rows += [{"key": key, "ds": d, "prediction": last[i % season]} for i, d in enumerate(ahead)]
    return pd.DataFrame(rows)


def cli(*args, store):
    command = [sys.executable, "-m", "jupyter_automl_codegen.cli", "--store", str(store)]
    return subprocess.run(command + [str(a) for a in args], capture_output=True, text=True)


def automl(train, name, label, time_column, ids, horizon, timeout, folder, workers):
    data = folder / f"{name}.csv"
    train.to_csv(data, index=False)
    store = folder / "store"
    flags = [f"--series-id={c}" for c in ids]
    started = time.monotonic()
    result = cli(
        "train", data, "--task", "forecasting", "--label", label, "--time-column",
        time_column, *flags, "--horizon", horizon, "--timeout", timeout, "--workers", workers,
        "--no-code-generation", "--json", store=store,
    )  # fmt: skip
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    summary = json.loads(result.stdout)
    out = folder / f"{name}-forecast.csv"
    predicted = cli("predict", summary["best_run_id"], data, "--out", out, store=store)
    if predicted.returncode != 0:
        raise SystemExit(predicted.stderr)
    best = next(r for r in summary["runs"] if r["run_id"] == summary["best_run_id"])
    forecast = pd.read_csv(out)
    forecast["key"] = forecast[ids].astype(str).agg("|".join, axis=1) if ids else "all"
    forecast["ds"] = pd.to_datetime(forecast[time_column])
    return forecast[["key", "ds", "prediction"]], best["algorithm"], seconds


def flaml(history, horizon, freq, seconds, python, folder):
    job = folder / "flaml-job.json"
    out = folder / "flaml-out.json"
    script = folder / "flaml_peer.py"
    script.write_text(FLAML_SCRIPT)
    per_series = max(5, seconds // history["key"].nunique())
    job.write_text(
        json.dumps(
            {
                "train": history.to_json(orient="split", date_format="iso"),
                "horizon": horizon,
                "freq": freq,
                "seconds": per_series,
            }
        )
    )
    started = time.monotonic()
    result = subprocess.run([python, script, job, out], capture_output=True, text=True)
    if result.returncode != 0:
        return None, time.monotonic() - started, result.stderr.strip().splitlines()[-1]
    predicted = pd.DataFrame(json.loads(out.read_text()))
    predicted["ds"] = pd.to_datetime(predicted["ds"])
    return predicted, time.monotonic() - started, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flaml-python", help="a Python with flaml[automl] installed")
    parser.add_argument("--markdown", type=Path, help="also write the table here, as markdown")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, load in DATASETS.items():
            frame, label, time_column, ids, horizon, season = load()
            train, test = split(frame, time_column, horizon)
            history = long_frame(train, label, time_column, ids)
            freq = pd.infer_freq(history.loc[history["key"] == history["key"].iloc[0], "ds"][:5])
            history = regular(history, freq)
            actual = long_frame(test, label, time_column, ids)
            naive = mase(history, actual, seasonal_naive(history, horizon, season, freq), season)
            folder = Path(tmp) / name
            folder.mkdir()
            predicted, best, seconds = automl(
                train, name, label, time_column, ids, horizon, args.timeout, folder, args.workers
            )
            ours = mase(history, actual, predicted, season)
            row = {
                "data": name,
                "series": history["key"].nunique(),
                "h": horizon,
                "naive": round(naive, 3),
                "automl": round(ours, 3),
                "ratio": round(ours / naive, 3),
                "best": best,
                "seconds": round(seconds, 1),
            }
            if args.flaml_python:
                flaml_predicted, flaml_seconds, error = flaml(
                    history, horizon, freq, args.timeout, args.flaml_python, folder
                )
                if flaml_predicted is None:
                    row.update(flaml="error", flaml_error=error[:60])
                else:
                    value = mase(history, actual, flaml_predicted, season)
                    row.update(
                        flaml=round(value, 3),
                        flaml_ratio=round(value / naive, 3),
                        flaml_seconds=round(flaml_seconds, 1),
                        automl_over_flaml=round(ours / value, 3),
                    )
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    print(pd.DataFrame(rows).to_string(index=False))
    if args.markdown:
        args.markdown.write_text(markdown(rows, args), encoding="utf-8")


def _versions(python: str) -> str:
    code = (
        "import importlib.metadata as m; "
        "print(', '.join(f'{p} {m.version(p)}' for p in "
        "['flaml', 'statsmodels', 'lightgbm', 'pandas']))"
    )
    result = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def markdown(rows: list[dict], args) -> str:
    """The results as a markdown table, with how they were obtained."""
    import importlib.metadata as metadata

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=Path(__file__).parent,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = f"jupyter-automl-codegen at {commit or 'unknown'}, " + ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("statsforecast", "mlforecast", "lightgbm", "pandas")
    )
    lines = [
        "# Forecasting: held-out MASE against seasonal naive and FLAML",
        "",
        f"{datetime.date.today().isoformat()}, `benchmarks/forecasting_vs_seasonal_naive.py "
        f"--timeout {args.timeout} --workers {args.workers}`, {platform.machine()} with "
        f"{len(os.sched_getaffinity(0))} cores. Ours: {ours}."
        + (f" FLAML: {_versions(args.flaml_python)}." if args.flaml_python else ""),
        "",
        "MASE per series (mean absolute error over the in-sample seasonal-naive error of the "
        "training history), averaged over series, on the final `h` steps of every series, "
        "held out. Ratios below 1: the first beats the second.",
        "",
        "| data | series | h | seasonal naive | ours (best run) | ours / naive | FLAML "
        "ts_forecast | FLAML / naive | ours / FLAML | ours s | FLAML s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['data']} | {row['series']} | {row['h']} | {row['naive']:.3f} | "
            f"{row['automl']:.3f} ({row['best']}) | {row['ratio']:.3f} | "
            f"{_cell(row.get('flaml'))} | {_cell(row.get('flaml_ratio'))} | "
            f"{_cell(row.get('automl_over_flaml'))} | {row['seconds']:.1f} | "
            f"{_cell(row.get('flaml_seconds'), '.1f')} |"
        )
    return "\n".join(lines) + "\n"


def _cell(value, spec: str = ".3f") -> str:
    if value is None:
        return "–"
    return value if isinstance(value, str) else format(value, spec)


if __name__ == "__main__":
    main()

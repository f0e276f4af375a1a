"""Forecasting candidates, their specs and the search over them.

Classical models (one per series, from ``statsforecast``): ``SeasonalNaive``, ``AutoETS``,
``AutoTheta`` and ``AutoARIMA``, each fitting its own parameters, so each is a single trial.
Machine-learning models (one global model over every series, from ``mlforecast``): ``Ridge``,
``LightGBM`` and ``ExtraTrees`` on lag, rolling-mean and calendar features of the target;
the features and the regressor's hyperparameters are searched.

The search is a seeded plan fixed before any trial runs: every algorithm once at its cheap
default configuration (classical models first), then random configurations of the ML models
in turn. Because the plan does not depend on results, trials run in parallel worker processes
and the same seed gives the same leaderboard whatever the timing.

A forecaster spec has the form of a pipeline spec (``{"class", "params"}``, values encoded as
in ``jupyter_automl_codegen.spec``); ``build_forecaster`` builds it, importing only from the
spec's allowlist. The model's output column is always ``prediction``.
"""

from __future__ import annotations

import numpy as np

from ...spec import from_spec, import_class, to_spec
from .series import ForecastSettings

PREDICTION = "prediction"
CLASSICAL = {
    "SeasonalNaive": "statsforecast.models.SeasonalNaive",
    "AutoETS": "statsforecast.models.AutoETS",
    "AutoTheta": "statsforecast.models.AutoTheta",
    "AutoARIMA": "statsforecast.models.AutoARIMA",
}
MACHINE_LEARNING = ("Ridge", "LightGBM", "ExtraTrees")
# Classical models that take exogenous regressors (statsforecast's ``uses_exog``): they read
# the known-in-advance features; the other classical models see the target alone.
EXOGENOUS_CLASSICAL = ("AutoARIMA",)
# Trial order of the first round: cheap and robust first.
ALGORITHMS = (
    "SeasonalNaive",
    "AutoETS",
    "AutoTheta",
    "Ridge",
    "LightGBM",
    "ExtraTrees",
    "AutoARIMA",
)
TARGET_TRANSFORMS = ("difference", "none")


def algorithm_names() -> list[str]:
    return list(ALGORITHMS)


def plan_trials(algorithms: list[str], settings: ForecastSettings, seed: int, count: int):
    """``count`` (algorithm, hyperparameters) pairs: defaults first, then random draws."""
    rng = np.random.default_rng(seed)
    plan = [(name, default_params(name, settings)) for name in algorithms]
    tuned = [name for name in algorithms if name in MACHINE_LEARNING]
    while len(plan) < count and tuned:
        name = tuned[(len(plan) - len(algorithms)) % len(tuned)]
        plan.append((name, random_params(name, settings, rng)))
    return plan[:count]


def _season(settings: ForecastSettings) -> int:
    return max(settings.season_length, 3)


def default_params(name: str, settings: ForecastSettings) -> dict:
    if name in CLASSICAL:
        return {}
    season = _season(settings)
    params = {
        "n_lags": min(3, season),
        "seasonal_lag": True,
        "rolling_window": season,
        "target_transform": "difference",
    }
    if name == "Ridge":
        params["alpha"] = 1.0
    elif name == "LightGBM":
        params.update(n_estimators=50, num_leaves=8, learning_rate=0.1, min_child_samples=5)
    else:
        params.update(n_estimators=50, max_features=1.0, min_samples_leaf=1)
    return params


def random_params(name: str, settings: ForecastSettings, rng) -> dict:
    season = _season(settings)
    params = {
        "n_lags": int(rng.integers(1, season + 1)),
        "seasonal_lag": bool(rng.integers(2)),
        "rolling_window": int(rng.choice([0, max(2, season // 2), season])),
        "target_transform": str(rng.choice(TARGET_TRANSFORMS)),
    }
    if name == "Ridge":
        params["alpha"] = float(np.round(10 ** rng.uniform(-3, 3), 6))
    elif name == "LightGBM":
        params.update(
            n_estimators=int(rng.choice([50, 100, 200])),
            num_leaves=int(rng.choice([4, 8, 16, 31])),
            learning_rate=float(np.round(10 ** rng.uniform(-2, -0.5), 6)),
            min_child_samples=int(rng.choice([2, 5, 10, 20])),
        )
    else:
        params.update(
            n_estimators=int(rng.choice([50, 100, 200])),
            max_features=float(rng.choice([0.5, 0.8, 1.0])),
            min_samples_leaf=int(rng.choice([1, 2, 5])),
        )
    return params


def _regressor(name: str, params: dict, seed: int):
    if name == "Ridge":
        from sklearn.linear_model import Ridge

        return Ridge(alpha=params["alpha"])
    if name == "LightGBM":
        from lightgbm import LGBMRegressor

        return LGBMRegressor(
            n_estimators=params["n_estimators"],
            num_leaves=params["num_leaves"],
            learning_rate=params["learning_rate"],
            min_child_samples=params["min_child_samples"],
            random_state=seed,
            n_jobs=1,
            verbose=-1,
        )
    from sklearn.ensemble import ExtraTreesRegressor

    return ExtraTreesRegressor(
        n_estimators=params["n_estimators"],
        max_features=params["max_features"],
        min_samples_leaf=params["min_samples_leaf"],
        random_state=seed,
        n_jobs=1,
    )


def forecaster_spec(name: str, params: dict, settings: ForecastSettings, seed: int) -> dict:
    """The spec of one candidate forecaster."""
    if name in CLASSICAL:
        model_params = {"season_length": settings.season_length, "alias": PREDICTION}
        return {
            "class": "statsforecast.StatsForecast",
            "params": {
                "models": [{"class": CLASSICAL[name], "params": model_params}],
                "freq": settings.freq,
            },
        }
    lags = list(range(1, params["n_lags"] + 1))
    if params["seasonal_lag"] and settings.season_length > params["n_lags"]:
        lags.append(settings.season_length)
    ml_params = {
        "models": {"__dict__": [[PREDICTION, to_spec(_regressor(name, params, seed))]]},
        "freq": settings.freq,
        "lags": lags,
    }
    if params["rolling_window"]:
        rolling = {
            "class": "mlforecast.lag_transforms.RollingMean",
            "params": {"window_size": params["rolling_window"]},
        }
        ml_params["lag_transforms"] = {"__dict__": [[1, [rolling]]]}
    date_features = settings.date_features()
    if date_features:
        ml_params["date_features"] = date_features
    if params["target_transform"] == "difference":
        ml_params["target_transforms"] = [
            {"class": "mlforecast.target_transforms.Differences", "params": {"differences": [1]}}
        ]
    return {"class": "mlforecast.MLForecast", "params": ml_params}


def build_forecaster(spec: dict):
    """An unfitted ``StatsForecast`` or ``MLForecast`` from its spec."""
    return _build(spec)


def _build(value):
    if isinstance(value, list):
        return [_build(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"class", "params"}:
            cls = import_class(value["class"])
            if hasattr(cls, "get_params"):  # a scikit-learn estimator
                return from_spec(value)
            return cls(**{name: _build(item) for name, item in value["params"].items()})
        if set(value) == {"__dict__"}:
            return {key: _build(item) for key, item in value["__dict__"]}
        raise ValueError(f"unexpected value {value!r:.200} in a forecaster spec")
    return value


def is_machine_learning(spec: dict) -> bool:
    return spec["class"] == "mlforecast.MLForecast"


def reads_known_features(spec: dict) -> bool:
    """Whether a forecaster of this spec uses known-in-advance features when there are any:
    every ML model (as features of the step it forecasts) and AutoARIMA (as exogenous
    regressors); seasonal naive, ETS and Theta model the target alone."""
    if is_machine_learning(spec):
        return True
    exogenous = {CLASSICAL[name] for name in EXOGENOUS_CLASSICAL}
    return all(model["class"] in exogenous for model in spec["params"]["models"])


def featurization(spec: dict, algorithm: str, settings: ForecastSettings) -> dict:
    """What a forecaster learns from, as plain data recorded on its run: the series and
    steps (shared by the experiment) and the model's own lags, rolling windows, calendar
    features and target transforms (ML) or season length (classical), and which
    known-in-advance features it reads or ignores."""
    known = list(settings.known_features)
    reads = reads_known_features(spec)
    described = {
        "target": settings.label,
        "time_column": settings.time_column,
        "series_id_columns": list(settings.series_id_columns),
        "frequency": settings.freq,
        "horizon": settings.horizon,
        "season_length": settings.season_length,
        "scope": "global" if is_machine_learning(spec) else "per_series",
        "lags": [],
        "rolling_windows": [],
        "calendar_features": [],
        "target_transforms": [],
        "known_features": known,
        "known_features_used": known if reads else [],
        "known_features_ignored": [] if reads else known,
    }
    params = spec["params"]
    if is_machine_learning(spec):
        described["lags"] = list(params.get("lags") or [])
        for lag, transforms in (params.get("lag_transforms") or {}).get("__dict__", []):
            for transform in transforms:
                described["rolling_windows"].append(
                    {
                        "statistic": transform["class"]
                        .rsplit(".", 1)[-1]
                        .removeprefix("Rolling")
                        .lower(),
                        "window": transform["params"]["window_size"],
                        "lag": lag,
                    }
                )
        described["calendar_features"] = list(params.get("date_features") or [])
        for transform in params.get("target_transforms") or []:
            name = transform["class"].rsplit(".", 1)[-1]
            orders = transform["params"].get("differences")
            described["target_transforms"].append(
                f"differences at lag {', '.join(str(o) for o in orders)}"
                if orders is not None
                else name
            )
    return described


def featurization_descriptions(described: dict) -> dict[str, str]:
    """One sentence per part of a forecaster's featurization, for people to read."""
    ids = described["series_id_columns"]
    series = (f"one series per value of {', '.join(ids)}" if ids else "a single series") + (
        f"; time column {described['time_column']}, frequency {described['frequency']}, "
        f"forecast horizon {described['horizon']} step(s), season length "
        f"{described['season_length']} step(s)"
    )
    texts = {"series": series}
    if described["scope"] == "global":
        lags = described["lags"]
        texts["lags"] = (
            f"the target {', '.join(str(lag) for lag in lags)} step(s) back" if lags else "none"
        )
        texts["rolling windows"] = (
            "; ".join(
                f"rolling {w['statistic']} over {w['window']} steps, ending {w['lag']} step(s) back"
                for w in described["rolling_windows"]
            )
            or "none"
        )
        texts["calendar features"] = ", ".join(described["calendar_features"]) or "none"
        texts["target transforms"] = (
            ", ".join(described["target_transforms"]) or "none (the target as is)"
        )
        texts["model"] = "one global model over every series, on the features above"
    else:
        texts["model"] = (
            f"one model per series, fitted to that series alone (season length "
            f"{described['season_length']})"
        )
    known = described["known_features"]
    if known:
        used, ignored = described["known_features_used"], described["known_features_ignored"]
        if used:
            how = (
                "features of the step being forecast"
                if described["scope"] == "global"
                else "exogenous regressors"
            )
            texts["known features"] = f"{', '.join(used)}, used as {how}"
        else:
            texts["known features"] = (
                f"{', '.join(ignored)} ignored: this model sees the target alone"
            )
    return texts

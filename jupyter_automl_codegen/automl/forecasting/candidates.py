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

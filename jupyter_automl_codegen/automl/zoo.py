"""The model zoo: the algorithms AutoML may try, their search spaces and cheap starting points.

Every algorithm starts from a known cheap configuration (few trees, few leaves, as FLAML
does) and its "size" hyperparameters (trees, leaves, iterations) may reach at most four times
the size of the algorithm's best configuration so far, so costly configurations come only
when smaller ones paid off. Costs are estimated from the hyperparameters and the data
shape, never from wall time, so the same seed gives the same search on any machine.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

import lightgbm
import xgboost
from sklearn import ensemble, linear_model, neighbors, preprocessing
from sklearn.utils.validation import has_fit_parameter

SCALERS = {
    "StandardScaler": preprocessing.StandardScaler,
    "MinMaxScaler": preprocessing.MinMaxScaler,
    "MaxAbsScaler": preprocessing.MaxAbsScaler,
    "RobustScaler": preprocessing.RobustScaler,
}

# How far size hyperparameters may grow beyond the algorithm's best configuration so far.
GROWTH = 4


@dataclass(frozen=True)
class Algorithm:
    """One algorithm of the zoo for one or both tasks."""

    name: str
    family: str
    estimators: dict  # task -> estimator class
    initial: dict  # task -> cheap known-good constructor arguments
    space: Callable  # (optuna trial, task, size caps) -> constructor arguments
    fixed: Callable  # (task, seed) -> arguments that are not tuned (seed, threads, verbosity)
    cost: Callable  # (params, rows, columns) -> relative cost units of one fit
    scaled: bool = False  # benefits from a scaler, chosen as a hyperparameter
    sizes: dict = field(default_factory=dict)  # size hyperparameter -> (initial, hard max)
    # task -> the library's usual defaults, tried right after the cheap start: on large data
    # a cheap start grown four times at a time does not reach a useful size within minutes.
    default: dict = field(default_factory=dict)
    # Primary metrics the algorithm is left out for unless allowed_models names it.
    unsuited_metrics: frozenset = frozenset()

    def size_caps(self, best_params: dict | None, at_least: dict | None = None) -> dict[str, int]:
        """Upper bounds of the size hyperparameters: GROWTH times the best size so far (and
        never below the sizes of ``at_least``, a configuration about to be tried)."""
        caps = {}
        for name, (start, hard_max) in self.sizes.items():
            best = (best_params or {}).get(name, start)
            cap = int(min(hard_max, max(start, best) * GROWTH))
            caps[name] = max(cap, (at_least or {}).get(name, 0))
        return caps


def _log_int(trial, name, low, high):
    return trial.suggest_int(name, low, max(low, high), log=True)


# --- search spaces ---------------------------------------------------------------------------


def _logistic_space(trial, task, caps):
    return {
        "C": trial.suggest_float("C", 1e-4, 1e3, log=True),
        "class_weight": trial.suggest_categorical("class_weight", [None, "balanced"]),
    }


def _ridge_space(trial, task, caps):
    return {"alpha": trial.suggest_float("alpha", 1e-4, 1e3, log=True)}


def _elastic_net_space(trial, task, caps):
    return {
        "alpha": trial.suggest_float("alpha", 1e-5, 10.0, log=True),
        "l1_ratio": trial.suggest_float("l1_ratio", 0.0, 1.0),
    }


def _sgd_space(trial, task, caps):
    # Classification keeps the logistic loss only: modified Huber's probabilities are clipped
    # scores, exactly 0 or 1 on most rows, which ties AUC and makes log-loss unbounded.
    losses = ["log_loss"] if task == "classification" else ["squared_error", "huber"]
    params = {
        "loss": trial.suggest_categorical("loss", losses),
        "penalty": trial.suggest_categorical("penalty", ["l2", "elasticnet"]),
        "alpha": trial.suggest_float("alpha", 1e-6, 1e-1, log=True),
    }
    if params["penalty"] == "elasticnet":
        params["l1_ratio"] = trial.suggest_float("l1_ratio", 0.0, 1.0)
    return params


def _knn_space(trial, task, caps):
    return {
        "n_neighbors": trial.suggest_int("n_neighbors", 1, 50, log=True),
        "weights": trial.suggest_categorical("weights", ["uniform", "distance"]),
    }


def _forest_space(trial, task, caps):
    criteria = ["gini", "entropy"] if task == "classification" else ["squared_error"]
    return {
        "n_estimators": _log_int(trial, "n_estimators", 4, caps["n_estimators"]),
        "max_features": trial.suggest_float("max_features", 0.1, 1.0),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 20, log=True),
        "criterion": trial.suggest_categorical("criterion", criteria),
    }


def _hgb_space(trial, task, caps):
    return {
        "max_iter": _log_int(trial, "max_iter", 10, caps["max_iter"]),
        "max_leaf_nodes": _log_int(trial, "max_leaf_nodes", 4, caps["max_leaf_nodes"]),
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 1.0, log=True),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 2, 100, log=True),
        "l2_regularization": trial.suggest_float("l2_regularization", 1e-6, 10.0, log=True),
    }


def _lightgbm_space(trial, task, caps):
    return {
        "n_estimators": _log_int(trial, "n_estimators", 4, caps["n_estimators"]),
        "num_leaves": _log_int(trial, "num_leaves", 4, caps["num_leaves"]),
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 1.0, log=True),
        "min_child_samples": trial.suggest_int("min_child_samples", 2, 100, log=True),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1.0),
        "reg_alpha": trial.suggest_float("reg_alpha", 1e-3, 10.0, log=True),
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 10.0, log=True),
    }


def _xgboost_space(trial, task, caps):
    return {
        "n_estimators": _log_int(trial, "n_estimators", 4, caps["n_estimators"]),
        "max_leaves": _log_int(trial, "max_leaves", 4, caps["max_leaves"]),
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 1.0, log=True),
        "min_child_weight": trial.suggest_float("min_child_weight", 1e-3, 20.0, log=True),
        "subsample": trial.suggest_float("subsample", 0.6, 1.0),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1.0),
        "reg_alpha": trial.suggest_float("reg_alpha", 1e-3, 10.0, log=True),
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 10.0, log=True),
    }


# --- arguments that are not tuned ------------------------------------------------------------


def _no_fixed(task, seed):
    return {}


def _seeded(task, seed):
    return {"random_state": seed}


def _single_thread(task, seed):
    # One thread per trial: trials run in parallel processes, and one thread gives the same
    # floating-point results in the generated script as in the trial.
    return {"random_state": seed, "n_jobs": 1}


def _logistic_fixed(task, seed):
    return {"max_iter": 1000, "random_state": seed}


def _elastic_net_fixed(task, seed):
    return {"max_iter": 5000, "random_state": seed}


def _hgb_fixed(task, seed):
    return {"early_stopping": False, "random_state": seed}


def _lightgbm_fixed(task, seed):
    return {"random_state": seed, "n_jobs": 1, "verbose": -1}


def _xgboost_fixed(task, seed):
    return {
        "random_state": seed,
        "n_jobs": 1,
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_depth": 0,
    }


# --- relative cost of one fit, from hyperparameters and data shape ---------------------------


# One unit is roughly a microsecond of one core on the default LightGBM model; the factors
# were fitted to single-thread fits of the starting points on five of the benchmark's data
# sets (298 to 40,455 rows; ``benchmarks/cost_model.py`` prints the measured seconds per
# unit). They only need to rank configurations: the search measures the real times as it goes.


def _linear_cost(params, rows, columns):
    return rows * columns * 2.0


def _knn_cost(params, rows, columns):
    return rows * columns * 0.05 + rows * rows * 0.001


def _forest_cost(params, rows, columns):
    return params["n_estimators"] * rows * max(1.0, columns * params["max_features"]) * 0.3


def _boosting_cost(size_name, leaves_name, *, slowdown=1.0, binning=0.1):
    """Binning the data once per fit, then trees x leaves (HistGradientBoosting, one thread,
    is about eight times slower per tree than LightGBM and XGBoost)."""

    def cost(params, rows, columns):
        trees = params[size_name] * params[leaves_name] * (rows * 0.002 + columns * 0.5)
        return rows * columns * binning + slowdown * trees

    return cost


# Forests start with few trees; unlike boosting, a forest of 4 trees is too noisy to judge.
_FOREST_INITIAL = {
    task: {
        "n_estimators": 16,
        "max_features": 0.5,
        "min_samples_leaf": 1,
        "criterion": "gini" if task == "classification" else "squared_error",
    }
    for task in ("classification", "regression")
}


def _algorithm_list() -> list[Algorithm]:
    return [
        Algorithm(
            name="LogisticRegression",
            family="linear",
            estimators={"classification": linear_model.LogisticRegression},
            initial={"classification": {"C": 1.0, "class_weight": None}},
            space=_logistic_space,
            fixed=_logistic_fixed,
            cost=_linear_cost,
            scaled=True,
        ),
        Algorithm(
            name="Ridge",
            family="linear",
            estimators={"regression": linear_model.Ridge},
            initial={"regression": {"alpha": 1.0}},
            space=_ridge_space,
            fixed=_seeded,
            cost=_linear_cost,
            scaled=True,
        ),
        Algorithm(
            name="ElasticNet",
            family="linear",
            estimators={"regression": linear_model.ElasticNet},
            initial={"regression": {"alpha": 1e-3, "l1_ratio": 0.5}},
            space=_elastic_net_space,
            fixed=_elastic_net_fixed,
            cost=_linear_cost,
            scaled=True,
        ),
        Algorithm(
            name="SGD",
            family="sgd",
            estimators={
                "classification": linear_model.SGDClassifier,
                "regression": linear_model.SGDRegressor,
            },
            initial={
                "classification": {"loss": "log_loss", "penalty": "l2", "alpha": 1e-4},
                "regression": {"loss": "squared_error", "penalty": "l2", "alpha": 1e-4},
            },
            space=_sgd_space,
            fixed=_seeded,
            cost=_linear_cost,
            scaled=True,
        ),
        Algorithm(
            name="KNN",
            family="nearest_neighbors",
            estimators={
                "classification": neighbors.KNeighborsClassifier,
                "regression": neighbors.KNeighborsRegressor,
            },
            initial={
                "classification": {"n_neighbors": 5, "weights": "uniform"},
                "regression": {"n_neighbors": 5, "weights": "uniform"},
            },
            space=_knn_space,
            fixed=_no_fixed,
            cost=_knn_cost,
            scaled=True,
            # Its probabilities are neighbour vote shares, often exactly 0: on small, nearly
            # separable data 1-NN cross-validates to a log-loss of 0, then a single wrong
            # held-out row costs -log(1e-16) = 36.
            unsuited_metrics=frozenset({"log_loss"}),
        ),
        Algorithm(
            name="HistGradientBoosting",
            family="hist_gradient_boosting",
            estimators={
                "classification": ensemble.HistGradientBoostingClassifier,
                "regression": ensemble.HistGradientBoostingRegressor,
            },
            initial={
                task: {
                    "max_iter": 10,
                    "max_leaf_nodes": 4,
                    "learning_rate": 0.1,
                    "min_samples_leaf": 20,
                    "l2_regularization": 1e-6,
                }
                for task in ("classification", "regression")
            },
            space=_hgb_space,
            fixed=_hgb_fixed,
            cost=_boosting_cost("max_iter", "max_leaf_nodes", slowdown=8.0, binning=0.5),
            sizes={"max_iter": (10, 1000), "max_leaf_nodes": (4, 256)},
            default={
                task: {
                    "max_iter": 100,
                    "max_leaf_nodes": 31,
                    "learning_rate": 0.1,
                    "min_samples_leaf": 20,
                    "l2_regularization": 1e-6,
                }
                for task in ("classification", "regression")
            },
        ),
        Algorithm(
            name="LightGBM",
            family="lightgbm",
            estimators={
                "classification": lightgbm.LGBMClassifier,
                "regression": lightgbm.LGBMRegressor,
            },
            initial={
                task: {
                    "n_estimators": 4,
                    "num_leaves": 4,
                    "learning_rate": 0.1,
                    "min_child_samples": 20,
                    "colsample_bytree": 1.0,
                    "reg_alpha": 1e-3,
                    "reg_lambda": 1.0,
                }
                for task in ("classification", "regression")
            },
            space=_lightgbm_space,
            fixed=_lightgbm_fixed,
            cost=_boosting_cost("n_estimators", "num_leaves"),
            sizes={"n_estimators": (4, 2048), "num_leaves": (4, 512)},
            default={
                task: {
                    "n_estimators": 100,
                    "num_leaves": 31,
                    "learning_rate": 0.1,
                    "min_child_samples": 20,
                    "colsample_bytree": 1.0,
                    "reg_alpha": 1e-3,
                    "reg_lambda": 1e-3,
                }
                for task in ("classification", "regression")
            },
        ),
        Algorithm(
            name="XGBoost",
            family="xgboost",
            estimators={
                "classification": xgboost.XGBClassifier,
                "regression": xgboost.XGBRegressor,
            },
            initial={
                task: {
                    "n_estimators": 4,
                    "max_leaves": 4,
                    "learning_rate": 0.1,
                    "min_child_weight": 1.0,
                    "subsample": 1.0,
                    "colsample_bytree": 1.0,
                    "reg_alpha": 1e-3,
                    "reg_lambda": 1.0,
                }
                for task in ("classification", "regression")
            },
            space=_xgboost_space,
            fixed=_xgboost_fixed,
            cost=_boosting_cost("n_estimators", "max_leaves"),
            sizes={"n_estimators": (4, 2048), "max_leaves": (4, 512)},
        ),
        Algorithm(
            name="RandomForest",
            family="random_forest",
            estimators={
                "classification": ensemble.RandomForestClassifier,
                "regression": ensemble.RandomForestRegressor,
            },
            initial=_FOREST_INITIAL,
            space=_forest_space,
            fixed=_single_thread,
            cost=_forest_cost,
            sizes={"n_estimators": (16, 1024)},
        ),
        Algorithm(
            name="ExtremeRandomTrees",
            family="extra_trees",
            estimators={
                "classification": ensemble.ExtraTreesClassifier,
                "regression": ensemble.ExtraTreesRegressor,
            },
            initial=_FOREST_INITIAL,
            space=_forest_space,
            fixed=_single_thread,
            cost=_forest_cost,
            sizes={"n_estimators": (16, 1024)},
        ),
    ]


ALGORITHMS: dict[str, Algorithm] = {a.name: a for a in _algorithm_list()}


def algorithm_names(task: str) -> list[str]:
    """Names of the algorithms available for ``task``, cheapest family first."""
    if task == "forecasting":
        from .forecasting.candidates import algorithm_names as forecasting_names

        return forecasting_names()
    return [name for name, a in ALGORITHMS.items() if task in a.estimators]


def suited(name: str, metric: str | None) -> bool:
    """Whether AutoML tries ``name`` by default when optimising ``metric``."""
    algorithm = ALGORITHMS.get(name)
    return algorithm is None or metric not in algorithm.unsuited_metrics


def takes_weights(name: str, task: str) -> bool:
    """Whether the algorithm's estimator fits with ``sample_weight`` (KNN does not), so a
    weighted experiment may try it."""
    algorithm = ALGORITHMS.get(name)
    if algorithm is None or task not in algorithm.estimators:
        return True  # not a tabular algorithm: config checks report it
    return has_fit_parameter(algorithm.estimators[task], "sample_weight")


def check_algorithm_names(task: str, names) -> None:
    """Raise ValueError naming any unknown algorithm and the closest valid name."""
    valid = algorithm_names(task)
    for name in names:
        if name not in valid:
            close = difflib.get_close_matches(str(name), valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(
                f"Unknown algorithm {name!r} for {task}.{hint} Valid names: {', '.join(valid)}."
            )


def make_estimator(name: str, task: str, params: dict, seed: int):
    """The unfitted estimator of one trial: tuned arguments plus the fixed ones.

    Every model learns from the data's own labels and answers in them. XGBoost's classifier
    accepts only the codes 0..K-1, so it runs as the single member of a soft
    ``VotingClassifier``, scikit-learn's own estimator that encodes the labels for its
    members and decodes their answers (its probabilities are the member's, unchanged).
    """
    algorithm = ALGORITHMS[name]
    estimator = algorithm.estimators[task](**params, **algorithm.fixed(task, seed))
    if isinstance(estimator, xgboost.XGBClassifier):
        return ensemble.VotingClassifier([("xgboost", estimator)], voting="soft")
    return estimator


def make_scaler(name: str | None):
    return None if name is None else SCALERS[name]()

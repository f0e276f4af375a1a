"""Peer contenders of the benchmarks: default pipelines and FLAML, one training per process.

Imports only numpy, pandas and scikit-learn (and FLAML for the ``flaml`` contender), never
``jupyter_automl_codegen``, so the same file runs in the project's environment and in the
peers' own virtual environment (``benchmarks/.venv-flaml``).

As a script it is the worker that ``automl_vs_peers.py`` starts for one cell:

    python benchmarks/peer_workers.py CONTENDER JOB_DIR

``JOB_DIR`` holds ``train.parquet`` (features and label), ``test.parquet`` (features only) and
``job.json`` (label, task kind, metric, budget, seed, n_jobs). The worker writes
``result.json`` (classes, the monotonic clock when training ended, details) and
``prediction.npy`` (class probabilities in the order of ``classes``, or predicted values).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler


def split_columns(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Numeric (and boolean) columns, then every other column (categories, text, dates)."""
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    return numeric, [c for c in frame.columns if c not in numeric]


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every present value as a string, missing ones as NaN, so the encoders see one type."""
    return frame.apply(lambda column: column.map(lambda v: np.nan if pd.isna(v) else str(v)))


def hgb_pipeline(frame: pd.DataFrame, task: str) -> Pipeline:
    """Default HistGradientBoosting: median imputation, other columns ordinal-encoded."""
    numeric, other = split_columns(frame)
    featurize = ColumnTransformer(
        [
            ("numeric", SimpleImputer(strategy="median"), numeric),
            (
                "other",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                        (
                            "encode",
                            OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
                        ),
                    ]
                ),
                other,
            ),
        ]
    )
    model = (
        HistGradientBoostingClassifier(random_state=0)
        if task == "classification"
        else HistGradientBoostingRegressor(random_state=0)
    )
    return Pipeline([("featurize", featurize), ("model", model)])


def linear_pipeline(frame: pd.DataFrame, task: str) -> Pipeline:
    """Logistic or ridge regression on imputed, scaled numbers and one-hot categories."""
    numeric, other = split_columns(frame)
    featurize = ColumnTransformer(
        [
            (
                "numeric",
                Pipeline(
                    [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
                ),
                numeric,
            ),
            (
                "other",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                        (
                            "encode",
                            OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=50),
                        ),
                    ]
                ),
                other,
            ),
        ]
    )
    model = LogisticRegression(max_iter=1000) if task == "classification" else Ridge()
    return Pipeline([("featurize", featurize), ("model", model)])


def _fit_pipeline(build, x, y, x_test, job):
    task = "regression" if job["kind"] == "regression" else "classification"
    numeric, other = split_columns(x)
    x, x_test = x.copy(), x_test.copy()
    x[other], x_test[other] = _as_text(x[other]), _as_text(x_test[other])
    model = build(x, task).fit(x, y)
    fit_end = time.monotonic()
    if task == "regression":
        return model.predict(x_test), None, fit_end, {}
    return model.predict_proba(x_test), list(model.classes_), fit_end, {}


def fit_constant(x, y, x_test, job):
    """The class frequencies, or the mean, of the training rows."""
    fit_end = time.monotonic()
    if job["kind"] == "regression":
        return np.full(len(x_test), float(np.mean(y))), None, fit_end, {}
    classes, counts = np.unique(np.asarray(y), return_counts=True)
    proba = np.tile(counts / counts.sum(), (len(x_test), 1))
    return proba, [str(c) for c in classes], fit_end, {}


def fit_hgb(x, y, x_test, job):
    return _fit_pipeline(hgb_pipeline, x, y, x_test, job)


def fit_linear(x, y, x_test, job):
    return _fit_pipeline(linear_pipeline, x, y, x_test, job)


FLAML_METRICS = {"binary": "roc_auc", "multiclass": "log_loss", "regression": "rmse"}


def fit_flaml(x, y, x_test, job):
    """FLAML's AutoML with the budget, metric, seed and cores of the cell."""
    import flaml
    from flaml import AutoML

    automl = AutoML()
    automl.fit(
        X_train=x,
        y_train=y,
        task="regression" if job["kind"] == "regression" else "classification",
        metric=FLAML_METRICS[job["kind"]],
        time_budget=job["budget"],
        n_jobs=job["n_jobs"],
        seed=job["seed"],
        verbose=0,
    )
    fit_end = time.monotonic()
    details = {
        "version": flaml.__version__,
        "best": automl.best_estimator,
        "trials": len(getattr(automl, "config_history", {}) or {}),
    }
    if job["kind"] == "regression":
        return automl.predict(x_test), None, fit_end, details
    return automl.predict_proba(x_test), [str(c) for c in automl.classes_], fit_end, details


WORKERS = {
    "constant": fit_constant,
    "hgb": fit_hgb,
    "linear": fit_linear,
    "flaml": fit_flaml,
}


def main(argv: list[str] | None = None) -> None:
    contender, job_dir = (argv if argv is not None else sys.argv[1:])[:2]
    job_dir = Path(job_dir)
    job = json.loads((job_dir / "job.json").read_text())
    train = pd.read_parquet(job_dir / "train.parquet")
    x_test = pd.read_parquet(job_dir / "test.parquet")
    y = train[job["label"]]
    x = train.drop(columns=[job["label"]])
    prediction, classes, fit_end, details = WORKERS[contender](x, y, x_test, job)
    np.save(job_dir / "prediction.npy", np.asarray(prediction, dtype=float))
    result = {"classes": classes, "fit_end": fit_end, "details": details}
    (job_dir / "result.json").write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main()

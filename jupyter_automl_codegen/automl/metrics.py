"""Evaluation metrics, named as in Azure AutoML and computed with ``sklearn.metrics``.

Every metric is a plain scikit-learn (or SciPy) call, so generated code can repeat the same
lines. Every metric takes the run's sample weights (``sample_weight``, None when the
experiment has no weight column), except Spearman's correlation, which SciPy computes
without weights. All values are plain Python floats; a metric that is undefined for the given data
(e.g. AUC when ``y_true`` holds a single class, Spearman correlation of a constant
prediction) is ``nan``, and :func:`loss` ranks ``nan`` last.
"""

from __future__ import annotations

import difflib
import math
import warnings

import numpy as np
from scipy.stats import ConstantInputWarning, spearmanr
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    explained_variance_score,
    f1_score,
    log_loss,
    matthews_corrcoef,
    mean_absolute_error,
    median_absolute_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.preprocessing import label_binarize

from ..store.ranking import GREATER_IS_BETTER

CLASSIFICATION_METRICS = (
    "accuracy",
    "AUC_weighted",
    "AUC_macro",
    "average_precision_score_weighted",
    "balanced_accuracy",
    "f1_score_weighted",
    "log_loss",
    "norm_macro_recall",
    "precision_score_weighted",
    "recall_score_weighted",
    "matthews_correlation",
)
REGRESSION_METRICS = (
    "r2_score",
    "spearman_correlation",
    "root_mean_squared_error",
    "normalized_root_mean_squared_error",
    "mean_absolute_error",
    "normalized_mean_absolute_error",
    "median_absolute_error",
    "explained_variance",
)
# Averaged over series, then over rolling-origin folds (see forecasting/evaluation.py).
FORECASTING_METRICS = (
    "normalized_root_mean_squared_error",
    "r2_score",
    "normalized_mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_absolute_scaled_error",
)
METRICS = {
    "classification": CLASSIFICATION_METRICS,
    "regression": REGRESSION_METRICS,
    "forecasting": FORECASTING_METRICS,
}
DEFAULT_PRIMARY_METRIC = {
    "classification": "AUC_weighted",
    "regression": "normalized_root_mean_squared_error",
    "forecasting": "normalized_root_mean_squared_error",
}


def classification_metrics(
    y_true, y_pred, y_proba, classes, names=CLASSIFICATION_METRICS, sample_weight=None
) -> dict[str, float]:
    """``CLASSIFICATION_METRICS`` (or only ``names`` of them) for one set of predictions.

    ``classes`` are the class labels in the column order of ``y_proba`` (the model's
    ``classes_``, which scikit-learn keeps sorted, so ``y_proba[:, 1]`` is the probability of
    the greater label in the binary case). ``y_proba`` may be None for a model without
    ``predict_proba``: the probability-based metrics (AUC, average precision, log loss) are
    then ``nan``.

    ``norm_macro_recall`` is ``(macro recall - 1/n_classes) / (1 - 1/n_classes)``: 0 for a
    random or constant prediction, 1 for a perfect one, negative when worse than random.
    ``sample_weight`` weights every metric's rows.
    """
    w = sample_weight
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    classes = np.asarray(classes)
    n_classes = len(classes)
    if n_classes < 2:
        raise ValueError(f"Classification metrics need at least 2 classes, got {classes!r}")

    def norm_macro_recall():
        macro_recall = recall_score(
            y_true, y_pred, average="macro", zero_division=0, sample_weight=w
        )
        return (macro_recall - 1 / n_classes) / (1 - 1 / n_classes)

    functions = {
        "accuracy": lambda: accuracy_score(y_true, y_pred, sample_weight=w),
        "balanced_accuracy": lambda: balanced_accuracy_score(y_true, y_pred, sample_weight=w),
        "f1_score_weighted": lambda: f1_score(
            y_true, y_pred, average="weighted", zero_division=0, sample_weight=w
        ),
        "norm_macro_recall": norm_macro_recall,
        "precision_score_weighted": lambda: precision_score(
            y_true, y_pred, average="weighted", zero_division=0, sample_weight=w
        ),
        "recall_score_weighted": lambda: recall_score(
            y_true, y_pred, average="weighted", zero_division=0, sample_weight=w
        ),
        "matthews_correlation": lambda: matthews_corrcoef(y_true, y_pred, sample_weight=w),
    }
    if y_proba is None:
        for name in ("AUC_weighted", "AUC_macro", "average_precision_score_weighted", "log_loss"):
            functions[name] = lambda: math.nan
    else:
        y_proba = np.asarray(y_proba, dtype=float)
        functions.update(_probability_metrics(y_true, y_proba, classes, w))
    return {name: float(functions[name]()) for name in CLASSIFICATION_METRICS if name in names}


def _probability_metrics(y_true, y_proba, classes, w=None) -> dict:
    """The metrics of class probabilities, as functions (computed only when asked for)."""
    if len(classes) == 2:
        return {
            "AUC_weighted": lambda: roc_auc_score(y_true, y_proba[:, 1], sample_weight=w),
            "AUC_macro": lambda: roc_auc_score(y_true, y_proba[:, 1], sample_weight=w),
            "average_precision_score_weighted": lambda: average_precision_score(
                label_binarize(y_true, classes=classes)[:, 0],
                y_proba[:, 1],
                average="weighted",
                sample_weight=w,
            ),
            "log_loss": lambda: log_loss(y_true, y_proba, labels=classes, sample_weight=w),
        }
    return {
        "AUC_weighted": lambda: roc_auc_score(
            y_true,
            y_proba,
            average="weighted",
            multi_class="ovr",
            labels=classes,
            sample_weight=w,
        ),
        "AUC_macro": lambda: roc_auc_score(
            y_true,
            y_proba,
            average="macro",
            multi_class="ovr",
            labels=classes,
            sample_weight=w,
        ),
        "average_precision_score_weighted": lambda: average_precision_score(
            label_binarize(y_true, classes=classes), y_proba, average="weighted", sample_weight=w
        ),
        "log_loss": lambda: log_loss(y_true, y_proba, labels=classes, sample_weight=w),
    }


def regression_metrics(
    y_true, y_pred, names=REGRESSION_METRICS, sample_weight=None
) -> dict[str, float]:
    """``REGRESSION_METRICS`` (or only ``names`` of them) for one set of predictions.

    The normalized errors divide by the range of ``y_true`` (``y_true.max() - y_true.min()``);
    when that range is 0 (constant target) they divide by 1.0 instead, i.e. equal the
    unnormalized errors, so that they stay finite and keep ranking models correctly.
    ``spearman_correlation`` is ``nan`` when either input is constant (e.g. a model that
    always predicts the mean); SciPy's ConstantInputWarning is silenced in that case.
    ``sample_weight`` weights every metric but Spearman's (SciPy's takes no weights).
    """
    w = sample_weight
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    y_range = y_true.max() - y_true.min()
    if y_range == 0:
        y_range = 1.0

    def spearman():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConstantInputWarning)
            return spearmanr(y_true, y_pred).statistic

    functions = {
        "r2_score": lambda: r2_score(y_true, y_pred, sample_weight=w),
        "spearman_correlation": spearman,
        "root_mean_squared_error": lambda: root_mean_squared_error(y_true, y_pred, sample_weight=w),
        "normalized_root_mean_squared_error": lambda: (
            root_mean_squared_error(y_true, y_pred, sample_weight=w) / y_range
        ),
        "mean_absolute_error": lambda: mean_absolute_error(y_true, y_pred, sample_weight=w),
        "normalized_mean_absolute_error": lambda: (
            mean_absolute_error(y_true, y_pred, sample_weight=w) / y_range
        ),
        "median_absolute_error": lambda: median_absolute_error(y_true, y_pred, sample_weight=w),
        "explained_variance": lambda: explained_variance_score(y_true, y_pred, sample_weight=w),
    }
    return {name: float(functions[name]()) for name in REGRESSION_METRICS if name in names}


def prediction_metrics(
    task: str, y_true, predictions, n_classes, names=None, sample_weight=None
) -> dict[str, float]:
    """Metrics of raw predictions: class probabilities (classes ``0..n_classes-1``, the class
    predicted is the most probable, as soft voting predicts) or regression values."""
    if task == "classification":
        proba = np.asarray(predictions, dtype=float)
        classes = np.arange(n_classes)
        return classification_metrics(
            y_true,
            proba.argmax(axis=1),
            proba,
            classes,
            names or CLASSIFICATION_METRICS,
            sample_weight=sample_weight,
        )
    return regression_metrics(
        y_true, predictions, names or REGRESSION_METRICS, sample_weight=sample_weight
    )


def cautious_log_loss(y_true, y_proba, n_classes: int, sample_weight=None) -> float:
    """Log-loss with one more row, on which the model is wrong at its most confident.

    ``(n * log_loss + -log(smallest probability)) / (n + 1)``, the probability clipped as
    ``log_loss`` clips it. On small, nearly separable data, weakly regularised linear models and
    1-nearest-neighbour validate to a log-loss near 0 with probabilities of 1e-20 or exactly 0,
    and then a single misclassified new row costs up to 36; the extra row prices that risk, so
    models whose confidence is bounded (boosting, blends) rank ahead. It fades as rows grow.
    With sample weights, the log-loss is the weighted one and the extra row weighs as much as
    an average row.
    """
    y_proba = np.asarray(y_proba, dtype=float)
    n = len(y_true)
    smallest = max(float(y_proba.min()), float(np.finfo(y_proba.dtype).eps))
    plain = log_loss(y_true, y_proba, labels=np.arange(n_classes), sample_weight=sample_weight)
    return float((n * plain - math.log(smallest)) / (n + 1))


def ranking_value(
    metric: str,
    metrics: dict,
    y_valid=None,
    predictions=None,
    n_classes=None,
    sample_weight=None,
):
    """The value a run is ranked by (its ``primary_metric_value``): the primary metric, but
    for ``log_loss`` the cautious log-loss of the validation predictions of every split
    pooled, when they are known (see :func:`cautious_log_loss`); ``sample_weight``: the
    pooled validation rows' weights, if any."""
    if metric == "log_loss" and y_valid is not None and predictions is not None:
        pooled = np.concatenate(predictions)
        return cautious_log_loss(y_valid, pooled, n_classes, sample_weight)
    return metrics.get(metric)


def mean_metrics(fold_metrics: list[dict]) -> dict:
    """Average each metric over folds; a metric undefined in any fold is None."""
    averaged = {}
    for name in fold_metrics[0]:
        values = [fold[name] for fold in fold_metrics]
        mean = float(np.mean(values))
        averaged[name] = mean if np.isfinite(mean) else None
    return averaged


def loss(metric_name: str, value: float) -> float:
    """The value to minimise for ``metric_name``: ``-value`` when greater is better.

    An undefined (``nan``) metric value gives ``+inf``, so it ranks after every real value.
    """
    if metric_name not in GREATER_IS_BETTER:
        raise ValueError(
            f"Unknown metric {metric_name!r}; valid metrics: {', '.join(GREATER_IS_BETTER)}"
        )
    value = float(value)
    if math.isnan(value):
        return math.inf
    return -value if GREATER_IS_BETTER[metric_name] else value


def validate_metric(task: str, name: str) -> str:
    """Return ``name`` if it is a valid metric for ``task``, else raise a helpful ValueError."""
    if task not in METRICS:
        raise ValueError(f"Unknown task {task!r}; expected one of {', '.join(METRICS)}")
    valid = METRICS[task]
    if name in valid:
        return name
    message = f"Unknown metric {name!r} for task {task!r}."
    by_lower = {metric.lower(): metric for metric in valid}
    suggestion = by_lower.get(str(name).lower())
    if suggestion is None:
        close = difflib.get_close_matches(str(name), valid, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(str(name).lower(), list(by_lower), n=1)
            close = [by_lower[c] for c in close]
        suggestion = close[0] if close else None
    if suggestion is not None:
        message += f" Did you mean {suggestion!r}?"
    other_task = next((t for t, metrics in METRICS.items() if t != task and name in metrics), None)
    if other_task is not None:
        message += f" ({name!r} is a {other_task} metric.)"
    message += f" Valid {task} metrics: {', '.join(valid)}."
    raise ValueError(message)

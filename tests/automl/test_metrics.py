import math
import warnings

import numpy as np
import pytest
from scipy.stats import spearmanr
from sklearn import metrics as skm
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.preprocessing import label_binarize

from jupyter_automl_codegen.automl.metrics import (
    CLASSIFICATION_METRICS,
    DEFAULT_PRIMARY_METRIC,
    FORECASTING_METRICS,
    GREATER_IS_BETTER,
    REGRESSION_METRICS,
    cautious_log_loss,
    classification_metrics,
    loss,
    ranking_value,
    regression_metrics,
    validate_metric,
)


def random_proba(rng, n, k):
    proba = rng.random((n, k)) + 0.05
    return proba / proba.sum(axis=1, keepdims=True)


def check_common(result, y_true, y_pred, y_proba, classes):
    assert list(result) == list(CLASSIFICATION_METRICS)
    assert all(type(value) is float for value in result.values())
    assert result["accuracy"] == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert result["balanced_accuracy"] == pytest.approx(skm.balanced_accuracy_score(y_true, y_pred))
    for name, func in [
        ("f1_score_weighted", skm.f1_score),
        ("precision_score_weighted", skm.precision_score),
        ("recall_score_weighted", skm.recall_score),
    ]:
        expected = func(y_true, y_pred, average="weighted", zero_division=0)
        assert result[name] == pytest.approx(expected)
    assert result["matthews_correlation"] == pytest.approx(skm.matthews_corrcoef(y_true, y_pred))
    assert result["log_loss"] == pytest.approx(skm.log_loss(y_true, y_proba, labels=classes))
    k = len(classes)
    macro_recall = skm.recall_score(y_true, y_pred, average="macro")
    assert result["norm_macro_recall"] == pytest.approx((macro_recall - 1 / k) / (1 - 1 / k))


def test_binary_classification_matches_sklearn():
    rng = np.random.default_rng(0)
    classes = np.array(["no", "yes"])
    y_true = rng.choice(classes, size=200, p=[0.7, 0.3])
    y_proba = random_proba(rng, 200, 2)
    # make the scores informative
    y_proba[:, 1] = np.clip(y_proba[:, 1] + 0.3 * (y_true == "yes"), 0, 1)
    y_proba[:, 0] = 1 - y_proba[:, 1]
    y_pred = classes[y_proba.argmax(axis=1)]
    result = classification_metrics(y_true, y_pred, y_proba, classes)
    check_common(result, y_true, y_pred, y_proba, classes)
    auc = skm.roc_auc_score(y_true == "yes", y_proba[:, 1])
    assert result["AUC_weighted"] == pytest.approx(auc)
    assert result["AUC_macro"] == pytest.approx(auc)
    assert 0.5 < auc < 1
    assert result["average_precision_score_weighted"] == pytest.approx(
        skm.average_precision_score(y_true == "yes", y_proba[:, 1])
    )


def test_multiclass_classification_matches_sklearn():
    rng = np.random.default_rng(1)
    classes = np.array([0, 1, 2, 3])
    y_true = rng.choice(classes, size=300, p=[0.4, 0.3, 0.2, 0.1])
    y_proba = random_proba(rng, 300, 4)
    y_proba[np.arange(300), y_true] += 0.5
    y_proba /= y_proba.sum(axis=1, keepdims=True)
    y_pred = classes[y_proba.argmax(axis=1)]
    result = classification_metrics(list(y_true), list(y_pred), y_proba, list(classes))
    check_common(result, y_true, y_pred, y_proba, classes)
    for average in ("weighted", "macro"):
        expected = skm.roc_auc_score(y_true, y_proba, average=average, multi_class="ovr")
        assert result[f"AUC_{average}"] == pytest.approx(expected)
    per_class = [skm.average_precision_score(y_true == c, y_proba[:, c]) for c in classes]
    weights = np.bincount(y_true) / len(y_true)
    assert result["average_precision_score_weighted"] == pytest.approx(np.dot(per_class, weights))
    assert result["average_precision_score_weighted"] == pytest.approx(
        skm.average_precision_score(
            label_binarize(y_true, classes=classes), y_proba, average="weighted"
        )
    )


def test_perfect_and_constant_classifiers():
    y_true = np.array([0, 1, 2, 0, 1, 2])
    perfect = classification_metrics(y_true, y_true, np.eye(3)[y_true], [0, 1, 2])
    assert perfect["accuracy"] == perfect["norm_macro_recall"] == perfect["AUC_weighted"] == 1.0
    constant = classification_metrics(y_true, np.zeros(6, int), np.full((6, 3), 1 / 3), [0, 1, 2])
    assert constant["norm_macro_recall"] == pytest.approx(0.0)
    assert constant["AUC_macro"] == pytest.approx(0.5)
    assert constant["precision_score_weighted"] == pytest.approx(1 / 9)  # zero_division=0


@pytest.mark.filterwarnings("ignore:y_pred contains classes not in y_true")
def test_missing_proba_and_undefined_auc():
    y_true = np.array([0, 1, 1, 0])
    result = classification_metrics(y_true, y_true, None, [0, 1])
    for name in ("AUC_weighted", "AUC_macro", "average_precision_score_weighted", "log_loss"):
        assert math.isnan(result[name])
    assert result["accuracy"] == 1.0
    with pytest.warns(UndefinedMetricWarning):
        single = classification_metrics([1, 1], [1, 0], np.array([[0.2, 0.8], [0.6, 0.4]]), [0, 1])
    assert math.isnan(single["AUC_weighted"])


def test_regression_matches_sklearn():
    rng = np.random.default_rng(2)
    y_true = rng.normal(10, 3, size=150)
    y_pred = y_true + rng.normal(0, 1, size=150)
    result = regression_metrics(list(y_true), y_pred)
    assert list(result) == list(REGRESSION_METRICS)
    assert all(type(value) is float for value in result.values())
    y_range = y_true.max() - y_true.min()
    rmse = skm.root_mean_squared_error(y_true, y_pred)
    mae = skm.mean_absolute_error(y_true, y_pred)
    expected = {
        "r2_score": skm.r2_score(y_true, y_pred),
        "spearman_correlation": spearmanr(y_true, y_pred).statistic,
        "root_mean_squared_error": rmse,
        "normalized_root_mean_squared_error": rmse / y_range,
        "mean_absolute_error": mae,
        "normalized_mean_absolute_error": mae / y_range,
        "median_absolute_error": skm.median_absolute_error(y_true, y_pred),
        "explained_variance": skm.explained_variance_score(y_true, y_pred),
    }
    assert result == pytest.approx(expected)


def test_regression_degenerate_cases():
    # constant target: normalized errors divide by 1.0 instead of 0
    result = regression_metrics([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])
    assert result["normalized_root_mean_squared_error"] == result["root_mean_squared_error"]
    assert result["normalized_mean_absolute_error"] == result["mean_absolute_error"]
    assert math.isnan(result["spearman_correlation"])
    # constant prediction: spearman undefined (nan), no warning leaks out
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = regression_metrics([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    assert math.isnan(result["spearman_correlation"])
    assert result["r2_score"] == pytest.approx(0.0)


def test_metric_tables_are_consistent():
    assert set(GREATER_IS_BETTER) == (
        set(CLASSIFICATION_METRICS) | set(REGRESSION_METRICS) | set(FORECASTING_METRICS)
    )
    assert not set(CLASSIFICATION_METRICS) & set(REGRESSION_METRICS)
    assert DEFAULT_PRIMARY_METRIC["forecasting"] in FORECASTING_METRICS
    assert DEFAULT_PRIMARY_METRIC["classification"] in CLASSIFICATION_METRICS
    assert DEFAULT_PRIMARY_METRIC["regression"] in REGRESSION_METRICS
    lower_is_better = {name for name, greater in GREATER_IS_BETTER.items() if not greater}
    assert lower_is_better == {
        "log_loss",
        "root_mean_squared_error",
        "normalized_root_mean_squared_error",
        "mean_absolute_error",
        "normalized_mean_absolute_error",
        "median_absolute_error",
        "mean_absolute_percentage_error",
        "mean_absolute_scaled_error",
    }


def test_loss_ordering():
    for name, greater in GREATER_IS_BETTER.items():
        better, worse = (0.9, 0.1) if greater else (0.1, 0.9)
        assert loss(name, better) < loss(name, worse), name
        assert type(loss(name, np.float64(0.5))) is float
        assert loss(name, float("nan")) == math.inf
        assert loss(name, worse) < loss(name, float("nan"))
    assert loss("AUC_weighted", 0.8) == -0.8
    assert loss("log_loss", 0.3) == 0.3
    with pytest.raises(ValueError, match="Unknown metric 'auc'"):
        loss("auc", 0.5)


def test_loss_ranks_real_models():
    y_true = np.array([0, 0, 1, 1, 1, 0, 1, 0])
    good = np.array([0.1, 0.2, 0.9, 0.8, 0.7, 0.3, 0.6, 0.4])
    bad = np.array([0.6, 0.4, 0.45, 0.3, 0.8, 0.7, 0.2, 0.55])
    scores = [
        classification_metrics(y_true, (p > 0.5).astype(int), np.column_stack([1 - p, p]), [0, 1])
        for p in (good, bad)
    ]
    for name in CLASSIFICATION_METRICS:
        assert loss(name, scores[0][name]) < loss(name, scores[1][name]), name


def test_validate_metric():
    assert validate_metric("classification", "AUC_weighted") == "AUC_weighted"
    assert validate_metric("regression", "r2_score") == "r2_score"
    with pytest.raises(ValueError) as error:
        validate_metric("classification", "auc_weighted")
    message = str(error.value)
    assert "'auc_weighted'" in message and "'classification'" in message
    assert "Did you mean 'AUC_weighted'?" in message
    assert all(name in message for name in CLASSIFICATION_METRICS)
    with pytest.raises(ValueError, match="Did you mean 'normalized_root_mean_squared_error'"):
        validate_metric("regression", "normalised_root_mean_squared_error")
    with pytest.raises(ValueError, match="is a regression metric"):
        validate_metric("classification", "r2_score")
    assert validate_metric("forecasting", "mean_absolute_scaled_error")
    with pytest.raises(ValueError, match="Unknown task 'clustering'"):
        validate_metric("clustering", "accuracy")


def test_cautious_log_loss_prices_the_most_confident_probability():
    y = np.array([0, 1, 2, 0])
    certain = np.eye(3)[y]  # right on every row, probability 0 for every other class
    hedged = np.full((4, 3), 0.05) + 0.85 * certain  # right too, never below 0.05
    # one more row, wrong at the clipped zero: -log(eps) = 36.04
    assert cautious_log_loss(y, certain, 3) == pytest.approx(-math.log(np.finfo(float).eps) / 5)
    expected = (4 * skm.log_loss(y, hedged) - math.log(0.05)) / 5
    assert cautious_log_loss(y, hedged, 3) == pytest.approx(expected)
    assert cautious_log_loss(y, hedged, 3) < cautious_log_loss(y, certain, 3)
    # a run's ranking value pools its splits for log-loss only
    splits = [hedged[:2], hedged[2:]]
    assert ranking_value("log_loss", {"log_loss": 9.0}, y, splits, 3) == pytest.approx(expected)
    assert ranking_value("accuracy", {"accuracy": 0.5}, y, splits, 3) == 0.5
    assert ranking_value("log_loss", {"log_loss": 9.0}) == 9.0  # predictions unknown

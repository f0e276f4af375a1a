"""Source of the generated ``calculate_metrics``: the engine's metrics as plain sklearn calls.

The lines mirror ``automl/metrics.py`` call for call, so a generated script reports the very
values its run reports (the fidelity tests compare them); only the branch for the run's number
of classes is written.
"""

from __future__ import annotations

from .imports import Imports

_CLASSIFICATION_NAMES = (
    "accuracy_score",
    "average_precision_score",
    "balanced_accuracy_score",
    "f1_score",
    "log_loss",
    "matthews_corrcoef",
    "precision_score",
    "recall_score",
    "roc_auc_score",
)
_REGRESSION_NAMES = (
    "explained_variance_score",
    "mean_absolute_error",
    "median_absolute_error",
    "r2_score",
    "root_mean_squared_error",
)

_CLASSIFICATION_HEAD = '''
def calculate_metrics(model, X, y, sample_weights):
    """The run's metrics (Azure AutoML names) of a model on labelled rows, weighted by
    the sample weights when given."""
    # Class codes: each label's position in model.classes_, the order of y_proba's columns.
    y_true = pd.Categorical(y, categories=model.classes_).codes
    y_pred = pd.Categorical(model.predict(X), categories=model.classes_).codes
    y_proba = np.asarray(model.predict_proba(X), dtype=float)
    classes = np.arange(len(model.classes_))
    n_classes = len(classes)
    macro_recall = recall_score(
        y_true, y_pred, average="macro", zero_division=0, sample_weight=sample_weights
    )
    metrics = {
        "accuracy": accuracy_score(y_true, y_pred, sample_weight=sample_weights),
'''

# Binary: both AUCs and the average precision score the probability of class 1 (classes_[1]);
# with one positive class the weighted average is that class's score.
_BINARY_AUC = """        "AUC_weighted": roc_auc_score(y_true, y_proba[:, 1], sample_weight=sample_weights),
        "AUC_macro": roc_auc_score(y_true, y_proba[:, 1], sample_weight=sample_weights),
        "average_precision_score_weighted": average_precision_score(
            y_true, y_proba[:, 1], sample_weight=sample_weights
        ),
"""

_MULTICLASS_AUC = """        "AUC_weighted": roc_auc_score(
            y_true,
            y_proba,
            average="weighted",
            multi_class="ovr",
            labels=classes,
            sample_weight=sample_weights,
        ),
        "AUC_macro": roc_auc_score(
            y_true,
            y_proba,
            average="macro",
            multi_class="ovr",
            labels=classes,
            sample_weight=sample_weights,
        ),
        "average_precision_score_weighted": average_precision_score(
            label_binarize(y_true, classes=classes), y_proba, average="weighted", sample_weight=sample_weights
        ),
"""

_CLASSIFICATION_TAIL = """        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred, sample_weight=sample_weights),
        "f1_score_weighted": f1_score(
            y_true, y_pred, average="weighted", zero_division=0, sample_weight=sample_weights
        ),
        "log_loss": log_loss(y_true, y_proba, labels=classes, sample_weight=sample_weights),
        "norm_macro_recall": (macro_recall - 1 / n_classes) / (1 - 1 / n_classes),
        "precision_score_weighted": precision_score(
            y_true, y_pred, average="weighted", zero_division=0, sample_weight=sample_weights
        ),
        "recall_score_weighted": recall_score(
            y_true, y_pred, average="weighted", zero_division=0, sample_weight=sample_weights
        ),
        "matthews_correlation": matthews_corrcoef(y_true, y_pred, sample_weight=sample_weights),
    }
    return {name: float(value) for name, value in metrics.items()}
"""

_REGRESSION = '''
def calculate_metrics(model, X, y, sample_weights):
    """The run's metrics (Azure AutoML names) of a model on labelled rows, weighted by
    the sample weights when given (Spearman's correlation is unweighted: SciPy's takes
    no weights)."""
    y_true = np.asarray(y, dtype=float)
    y_pred = np.asarray(model.predict(X), dtype=float)
    # Normalized errors divide by the range of the true values (1.0 when it is 0).
    y_range = y_true.max() - y_true.min()
    if y_range == 0:
        y_range = 1.0
    rmse = root_mean_squared_error(y_true, y_pred, sample_weight=sample_weights)
    mae = mean_absolute_error(y_true, y_pred, sample_weight=sample_weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantInputWarning)
        spearman = spearmanr(y_true, y_pred).statistic
    metrics = {
        "r2_score": r2_score(y_true, y_pred, sample_weight=sample_weights),
        "spearman_correlation": spearman,
        "root_mean_squared_error": rmse,
        "normalized_root_mean_squared_error": rmse / y_range,
        "mean_absolute_error": mae,
        "normalized_mean_absolute_error": mae / y_range,
        "median_absolute_error": median_absolute_error(y_true, y_pred, sample_weight=sample_weights),
        "explained_variance": explained_variance_score(y_true, y_pred, sample_weight=sample_weights),
    }
    return {name: float(value) for name, value in metrics.items()}
'''


def metrics_function(task: str, n_classes: int | None, imports: Imports) -> str:
    """Source of ``calculate_metrics(model, X, y, sample_weights)`` for the task, registering its imports."""
    imports.module("numpy")
    if task == "classification":
        imports.module("pandas")
        for name in _CLASSIFICATION_NAMES:
            imports.name("sklearn.metrics", name)
        if n_classes == 2:
            auc = _BINARY_AUC
        else:
            imports.name("sklearn.preprocessing", "label_binarize")
            auc = _MULTICLASS_AUC
        return (_CLASSIFICATION_HEAD + auc + _CLASSIFICATION_TAIL).strip()
    imports.module("warnings")
    for name in _REGRESSION_NAMES:
        imports.name("sklearn.metrics", name)
    imports.name("scipy.stats", "ConstantInputWarning")
    imports.name("scipy.stats", "spearmanr")
    return _REGRESSION.strip()

"""Which way each metric improves: the one table the engine and the server both read.

Kept outside ``automl/`` so that the Jupyter server extension can order runs best-first
without importing the engine (and scikit-learn with it). Plain data, no imports.
"""

from __future__ import annotations

GREATER_IS_BETTER: dict[str, bool] = {
    "accuracy": True,
    "AUC_weighted": True,
    "AUC_macro": True,
    "average_precision_score_weighted": True,
    "balanced_accuracy": True,
    "f1_score_weighted": True,
    "log_loss": False,
    "norm_macro_recall": True,
    "precision_score_weighted": True,
    "recall_score_weighted": True,
    "matthews_correlation": True,
    "r2_score": True,
    "spearman_correlation": True,
    "root_mean_squared_error": False,
    "normalized_root_mean_squared_error": False,
    "mean_absolute_error": False,
    "normalized_mean_absolute_error": False,
    "median_absolute_error": False,
    "explained_variance": True,
    "mean_absolute_percentage_error": False,
    "mean_absolute_scaled_error": False,
}

__all__ = ["GREATER_IS_BETTER"]

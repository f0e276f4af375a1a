"""Sample weights: the column that holds them, its checks, and fitting with them.

A weighted experiment names a numeric column of the training data
(``AutoMLConfig(weight_column_name=...)``, ``train --weight-column``). That column is never a
feature; every model is fitted with it and every metric weighs its rows by it.

How the weights reach a model:

- a pipeline (featurization, scaler, model) passes them to its model step only, as the
  pipeline's fit parameter ``model__sample_weight``: the featurization and the scaler are
  fitted unweighted;
- a voting or stacking ensemble hands ``sample_weight`` to its members unprefixed, which a
  pipeline accepts only through scikit-learn's metadata routing: while fitting, routing is
  enabled and each member's model (and the stack's meta learner) requests the weights, every
  other step that could take them declines (``request_sample_weights``). The requests are not
  constructor parameters, so the spec does not carry them: they are set just before fitting,
  here and in the generated script alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sklearn
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter

from ..errors import DataError

MODEL_STEP = "model"
META_LEARNER = "final_estimator"


def check_weight_column(frame: pd.DataFrame, label: str, column: str | None) -> None:
    """Raise DataError when the weight column cannot weigh the labelled rows."""
    if column is None:
        return
    if column not in frame.columns:
        raise DataError(
            f"weight column {column!r} is not in the data; name a column of sample weights "
            f"(columns: {', '.join(repr(c) for c in list(frame.columns)[:20])})."
        )
    values = frame.loc[frame[label].notna(), column]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        raise DataError(
            f"weight column {column!r} is not numeric ({values.dtype}); sample weights must be "
            "non-negative numbers, one per row."
        )
    numbers = values.to_numpy(dtype=np.float64)
    problems = (
        (np.isnan(numbers), "has missing values", "give every labelled row a weight"),
        (np.isinf(numbers), "holds infinite values", "replace them with finite weights"),
        (numbers < 0, "holds negative values", "weights must be 0 or more"),
    )
    for mask, problem, fix in problems:
        if mask.any():
            rows = values.index[mask][:3].tolist()
            raise DataError(f"weight column {column!r} {problem} (rows {rows}); {fix}.")
    if not (numbers > 0).any():
        raise DataError(
            f"weight column {column!r} is zero on every labelled row; give some rows a "
            "positive weight."
        )


def labelled_weights(frame: pd.DataFrame, label: str, column: str | None) -> np.ndarray | None:
    """The weights of the labelled rows, in their order (None without a weight column)."""
    if column is None:
        return None
    return frame.loc[frame[label].notna(), column].to_numpy(dtype=np.float64)


def validation_weights(scheme, y, weights) -> np.ndarray | None:
    """The weights of every split's validation rows, pooled in the order of their labels
    (``scheme.validation_labels(y)``); None without weights."""
    if weights is None:
        return None
    return np.asarray(weights)[np.concatenate([valid for _, valid in scheme.splits(y)])]


def takes_sample_weight(estimator) -> bool:
    """Whether the estimator's ``fit`` accepts ``sample_weight``."""
    return has_fit_parameter(estimator, "sample_weight")


def fit_weighted(model, X, y, sample_weight=None):
    """Fit a pipeline or an ensemble of pipelines, with its rows weighted when given."""
    if sample_weight is None:
        return model.fit(X, y)
    if isinstance(model, Pipeline):
        return model.fit(X, y, **{f"{model.steps[-1][0]}__sample_weight": sample_weight})
    with sklearn.config_context(enable_metadata_routing=True):
        request_sample_weights(model)
        return model.fit(X, y, sample_weight=sample_weight)


def request_sample_weights(ensemble) -> None:
    """Route an ensemble's sample weights to each member's model and to the meta learner
    only (call it with metadata routing enabled): the trials weighted nothing else."""
    for name, estimator in ensemble.get_params().items():
        if hasattr(estimator, "set_fit_request") and takes_sample_weight(estimator):
            to_model = name == META_LEARNER or name.split("__")[1:2] == [MODEL_STEP]
            estimator.set_fit_request(sample_weight=to_model)

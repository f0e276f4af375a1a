"""Training rows and labels: what every trial learns from.

Generated scripts repeat these few pandas lines in their ``prepare_data`` stage, so keep them
plain: drop rows without a label, split off the label (and the sample weights), give the
label one type. The features stay the raw columns: every model prepares them itself (see
``featurization``), so it predicts from rows as a file gives them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def prepare_training_data(
    frame: pd.DataFrame, label: str, task: str, weight_column: str | None = None
):
    """Return ``(X, y, classes)``: the raw feature columns, the labels and (for classification)
    the sorted distinct labels, the order of every model's ``classes_``; None for regression.
    The weight column, when there is one, is not a feature (see ``weights``)."""
    frame = frame[frame[label].notna()].reset_index(drop=True)
    X = frame.drop(columns=[label] if weight_column is None else [label, weight_column])
    if task != "classification":
        return X, frame[label].to_numpy(dtype=np.float64), None
    y = class_labels(frame[label])
    return X, y, np.unique(y)


def class_labels(target: pd.Series) -> np.ndarray:
    """Labels with one type, as close to the data's own as can be compared: booleans and
    integers stay so (also when missing labels had made the column object or float), and
    labels of mixed types are compared as text."""
    target = target.infer_objects()
    if target.dtype == object:
        return target.astype(str).to_numpy()
    if target.dtype.kind == "f" and (target % 1 == 0).all():
        return target.astype("int64").to_numpy()
    return target.to_numpy()


def class_codes(labels, classes) -> np.ndarray:
    """Positions of ``labels`` in ``classes`` (metrics compare these, whatever the labels)."""
    return np.asarray(pd.Categorical(labels, categories=classes).codes, dtype=np.int64)

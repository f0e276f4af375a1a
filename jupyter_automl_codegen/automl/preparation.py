"""Data preparation shared by every trial: features, the encoded label and its classes.

Generated scripts repeat these few pandas lines in their ``prepare_data`` stage, so keep them
plain: drop rows without a label, split off the label, give feature columns uniform dtypes,
encode classes as 0..K-1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.preprocessing import LabelEncoder

from .profiling import FeaturizationPlan, normalize_frame


def prepare_features(frame: pd.DataFrame, plan: FeaturizationPlan) -> pd.DataFrame:
    """Features with the uniform dtypes scikit-learn's encoders need, for training and predicting."""
    return normalize_frame(frame, plan)


def prepare_training_data(frame: pd.DataFrame, label: str, task: str, plan: FeaturizationPlan):
    """Return ``(X, y, classes)``; ``classes`` is None for regression.

    Class labels are encoded as 0..K-1 in sorted order (what LabelEncoder does) because
    XGBoost accepts nothing else; ``classes[code]`` gives the original label back.
    """
    frame = frame[frame[label].notna()].reset_index(drop=True)
    X = prepare_features(frame.drop(columns=[label]), plan)
    if task != "classification":
        return X, frame[label].to_numpy(dtype=np.float64), None
    target = frame[label]
    if target.dtype == object:
        target = target.astype(str)
    encoder = LabelEncoder()
    y = encoder.fit_transform(target)
    return X, y, encoder.classes_

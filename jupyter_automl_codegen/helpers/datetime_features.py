"""Calendar features from date/time columns, as a scikit-learn transformer.

This file is standalone (it imports only numpy, pandas and scikit-learn) so that it can be
copied verbatim next to generated training scripts.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

ALLOWED_PARTS = (
    "year",
    "month",
    "day",
    "dayofweek",
    "dayofyear",
    "quarter",
    "week",
    "hour",
    "minute",
    "second",
)


def to_naive_datetime(values):
    """Convert a column to naive ``datetime64[ns]`` values (NaT where missing/unparseable).

    datetime64 columns are kept, timezone-aware ones are converted to UTC and made naive, and
    anything else (e.g. ISO-8601 or other date strings) is parsed with ``pd.to_datetime``.
    """
    values = pd.Series(values)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values
    # utc=True accepts strings with different UTC offsets; naive strings keep their wall time.
    parsed = pd.to_datetime(values.astype(object), errors="coerce", format="mixed", utc=True)
    return parsed.dt.tz_localize(None)


def datetime_part(dates, part):
    """One calendar part of naive datetimes as float64 values (NaN where the date is missing)."""
    if part == "week":
        values = dates.dt.isocalendar().week
    else:
        values = getattr(dates.dt, part)
    return values.to_numpy(dtype="float64", na_value=np.nan)


class DatetimeFeatures(BaseEstimator, TransformerMixin):
    """Expand each date/time column into numeric calendar parts.

    Parameters
    ----------
    parts : tuple of str
        Calendar parts to extract from every input column, among "year", "month", "day",
        "dayofweek" (Monday=0), "dayofyear", "quarter", "week" (ISO week), "hour", "minute"
        and "second".

    The input is a DataFrame (or 2D array) of datetime64 columns or of date strings. The output
    is a float64 array with, for each input column, one column per part (named
    ``<column>_<part>``), holding NaN where the date is missing or cannot be parsed.
    """

    def __init__(self, parts=("year", "month", "day", "dayofweek", "dayofyear", "quarter")):
        self.parts = parts

    def _check_parts(self):
        unknown = [part for part in self.parts if part not in ALLOWED_PARTS]
        if isinstance(self.parts, str) or unknown or len(self.parts) == 0:
            raise ValueError(
                f"parts must be a tuple of names among {ALLOWED_PARTS}, got {self.parts!r}"
            )

    def _as_frame(self, X):
        if isinstance(X, pd.DataFrame):
            return X
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2D array or DataFrame, got an array of shape {X.shape}")
        return pd.DataFrame(X)

    def fit(self, X, y=None):
        """Check the parts and record the input columns."""
        self._check_parts()
        frame = self._as_frame(X)
        self.n_features_in_ = frame.shape[1]
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    def transform(self, X):
        """Return the calendar parts of every column as a float64 array."""
        check_is_fitted(self, "n_features_in_")
        self._check_parts()
        frame = self._as_frame(X)
        if frame.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {frame.shape[1]} columns, but DatetimeFeatures was fitted with "
                f"{self.n_features_in_} columns"
            )
        named = hasattr(self, "feature_names_in_") and isinstance(X, pd.DataFrame)
        if named and list(X.columns) != list(self.feature_names_in_):
            raise ValueError(
                f"X has columns {list(X.columns)}, but DatetimeFeatures was fitted with "
                f"columns {list(self.feature_names_in_)}"
            )
        output = np.empty((frame.shape[0], frame.shape[1] * len(self.parts)), dtype="float64")
        for i in range(frame.shape[1]):
            dates = to_naive_datetime(frame.iloc[:, i])
            for j, part in enumerate(self.parts):
                output[:, i * len(self.parts) + j] = datetime_part(dates, part)
        return output

    def get_feature_names_out(self, input_features=None):
        """Output names: ``<column>_<part>`` for every input column and part."""
        check_is_fitted(self, "n_features_in_")
        if input_features is None:
            if hasattr(self, "feature_names_in_"):
                input_features = self.feature_names_in_
            else:
                input_features = [f"x{i}" for i in range(self.n_features_in_)]
        elif len(input_features) != self.n_features_in_:
            raise ValueError(
                f"input_features should have length {self.n_features_in_}, "
                f"got {len(input_features)}"
            )
        names = [f"{column}_{part}" for column in input_features for part in self.parts]
        return np.asarray(names, dtype=object)

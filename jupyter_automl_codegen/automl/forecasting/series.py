"""Series preparation: checks, frequency, season length and the long frame the models take.

The long frame has one row per series and time step: ``unique_id`` (0, 1, ... in the sorted
order of the series-id values), ``ds`` (the time column) and ``y`` (the target as float).

- Gaps: each series is reindexed to every step of the frequency from its first to its last
  timestamp; the target of a missing step is missing.
- Missing target values (from gaps or in the data) are interpolated linearly along the
  series; those before the first or after the last known value take that value.
- Irregular timestamps (a timestamp off the frequency grid of its series) are an error, never
  resampled: aggregate the data to one frequency first, or give the right ``freq``.
- Duplicate timestamps within a series are an error.
- A series shorter than the rolling-origin validation needs is an error that names it.
- A series' history ends at its last labelled timestamp. Rows after it (the label empty) are
  its *future*: they carry the values of the known-in-advance features for the steps to
  forecast. Known-in-advance features must be numeric; their missing values in the history
  are interpolated like the target's. The ML models use them as features of the step being
  forecast and AutoARIMA as exogenous regressors; seasonal naive, ETS and Theta see the
  target alone.

``generated code`` repeats ``prepare_series`` line for line (see codegen/forecasting_script.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from ...errors import DataError

# Column names of the long frame and of mlforecast's own features: a known-in-advance
# feature may not take them.
RESERVED_NAMES = frozenset(
    ["unique_id", "ds", "y", "prediction", "month", "quarter", "dayofweek", "dayofyear", "hour"]
)
# Offset class -> the number of steps in one season (one year, week or day).
_SEASONS = {
    "MonthBegin": 12,
    "MonthEnd": 12,
    "QuarterBegin": 4,
    "QuarterEnd": 4,
    "Week": 52,
    "Day": 7,
    "BusinessDay": 5,
    "Hour": 24,
}
# Offset class -> calendar features (pandas DatetimeIndex attributes) of the ML models.
_DATE_FEATURES = {
    "MonthBegin": ["month"],
    "MonthEnd": ["month"],
    "QuarterBegin": ["quarter"],
    "QuarterEnd": ["quarter"],
    "Week": ["month"],
    "Day": ["dayofweek", "dayofyear"],
    "BusinessDay": ["dayofweek", "dayofyear"],
    "Hour": ["hour", "dayofweek"],
}


@dataclass(frozen=True)
class ForecastSettings:
    """What every trial of a forecasting experiment shares; plain data, stored on the parent run."""

    label: str
    time_column: str
    series_id_columns: tuple[str, ...]
    horizon: int
    freq: str
    season_length: int
    n_folds: int
    known_features: tuple[str, ...] = ()

    @property
    def min_history(self) -> int:
        """Steps a series needs before the first cutoff: two seasons (lags and the rolling
        window reach one season back) plus one for differencing and one to learn from."""
        return 2 * max(self.season_length, 3) + 2

    @property
    def min_length(self) -> int:
        return self.min_history + self.n_folds * self.horizon

    def date_features(self) -> list[str]:
        return list(_DATE_FEATURES.get(type(to_offset(self.freq)).__name__, []))

    def describe(self) -> str:
        return (
            f"rolling origin: {self.n_folds} folds, each the {self.horizon} step(s) after a "
            "cutoff shared by every series"
        )

    def to_dict(self) -> dict:
        data = asdict(self)
        data["series_id_columns"] = list(self.series_id_columns)
        data["known_features"] = list(self.known_features)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ForecastSettings:
        return cls(
            **{
                **data,
                "series_id_columns": tuple(data["series_id_columns"]),
                "known_features": tuple(data.get("known_features") or ()),
            }
        )


def season_length(freq: str) -> int:
    """Steps per season of a frequency (12 for months, 7 for days, ...; 1 when unknown)."""
    offset = to_offset(freq)
    return _SEASONS.get(type(offset).__name__, 1) if offset.n == 1 else 1


def check_forecasting_frame(frame: pd.DataFrame, config) -> ForecastSettings:
    """Raise DataError for data no forecaster can learn from; else the experiment's settings."""
    label, time_column = config.label_column_name, config.time_column_name
    ids = list(config.time_series_id_column_names or [])
    features = list(config.known_feature_column_names or [])
    for role, name in (
        [("time column", time_column), ("label column", label)]
        + [("series-id column", name) for name in ids]
        + [("known-in-advance feature", name) for name in features]
    ):
        if name not in frame.columns:
            raise DataError(
                f"{role} {name!r} is not in the data. Columns: "
                f"{', '.join(repr(c) for c in list(frame.columns)[:20])}."
            )
    reserved = [n for n in features if n in RESERVED_NAMES or n.startswith(("lag", "rolling_"))]
    if reserved:
        raise DataError(
            f"known-in-advance feature {reserved[0]!r} has a name the forecasting features "
            "use (unique_id, ds, y, lag..., rolling_..., calendar names); rename the column."
        )
    if len(frame) == 0:
        raise DataError("the data has a header but no rows; give the history of the series.")
    if not pd.api.types.is_numeric_dtype(frame[label]) or pd.api.types.is_bool_dtype(frame[label]):
        raise DataError(
            f"label column {label!r} is not numeric ({frame[label].dtype}); forecasting "
            "needs a numeric target."
        )
    for name in [label, *features]:
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column):
            raise DataError(
                f"known-in-advance feature {name!r} is not numeric ({column.dtype}); encode it "
                "as numbers first."
            )
        if np.isinf(column.to_numpy(dtype=float)).any():
            raise DataError(f"column {name!r} holds infinite values; replace them.")
    times = _parse_times(frame[time_column], time_column)
    if ids and frame[ids].isna().any().any():
        raise DataError(f"series-id columns {ids} have missing values; fill or drop those rows.")
    groups = _groups(frame.assign(**{time_column: times}), ids)
    for key, group in groups:
        stamps = group[time_column]
        duplicated = stamps[stamps.duplicated()]
        if len(duplicated):
            raise DataError(
                f"series {_series_name(ids, key)} has duplicate timestamps "
                f"({duplicated.iloc[0]}); give one row per series and time step."
            )
        if group[label].notna().sum() == 0:
            raise DataError(f"series {_series_name(ids, key)} has no target values.")
    freq = config.freq or _infer_freq(groups, time_column)
    try:
        offset = to_offset(freq)
    except ValueError:
        raise DataError(f"freq={freq!r} is not a pandas frequency such as 'D' or 'MS'.") from None
    for key, group in groups:
        stamps = group[time_column].sort_values()
        grid = pd.date_range(stamps.iloc[0], stamps.iloc[-1], freq=offset)
        off_grid = stamps[~stamps.isin(grid)]
        if len(off_grid):
            raise DataError(
                f"series {_series_name(ids, key)} has irregular timestamps: {off_grid.iloc[0]} "
                f"is not on the {freq!r} grid that starts at {stamps.iloc[0]}. Aggregate the "
                "data to one frequency first (it is never resampled), or give the right "
                "frequency."
            )
    settings = ForecastSettings(
        label=label,
        time_column=time_column,
        series_id_columns=tuple(ids),
        horizon=config.forecast_horizon,
        freq=freq,
        season_length=season_length(freq),
        n_folds=config.n_cross_validations or 3,
        known_features=tuple(features),
    )
    check_lengths(groups, ids, time_column, settings, times[frame[label].notna()].max())
    return settings


def check_lengths(groups, ids, time_column, settings: ForecastSettings, end) -> None:
    """Every series needs ``min_history`` steps before the first rolling-origin cutoff."""
    grid = pd.date_range(
        end=end, periods=settings.n_folds * settings.horizon + 1, freq=settings.freq
    )
    first_cutoff = grid[0]
    for key, group in groups:
        start = group.loc[group[settings.label].notna(), time_column].min()
        steps = len(pd.date_range(start, first_cutoff, freq=settings.freq))
        if steps < settings.min_history:
            raise DataError(
                f"series {_series_name(ids, key)} is too short: it has {steps} step(s) before "
                f"the first validation cutoff ({first_cutoff}); with horizon "
                f"{settings.horizon}, {settings.n_folds} rolling-origin folds and season length "
                f"{settings.season_length} every series needs at least {settings.min_length} "
                "steps ending at the last timestamp. Give a longer history, a shorter horizon "
                "or fewer folds (n_cross_validations)."
            )


def check_history(frame: pd.DataFrame, settings: ForecastSettings) -> None:
    """Check the history a stored forecaster is asked to continue (``predict``)."""
    missing = [
        c
        for c in [
            settings.time_column,
            settings.label,
            *settings.series_id_columns,
            *settings.known_features,
        ]
        if c not in frame.columns
    ]
    if missing:
        raise DataError(
            f"the history lacks the training columns {', '.join(repr(m) for m in missing)}; "
            "give data with the same columns as the training data."
        )
    if len(frame) == 0:
        raise DataError("the history has a header but no rows.")
    ids, time_column = list(settings.series_id_columns), settings.time_column
    times = _parse_times(frame[time_column], time_column)
    groups = _groups(frame.assign(**{time_column: times}), ids)
    for key, group in groups:
        stamps = group[time_column]
        if stamps.duplicated().any():
            raise DataError(
                f"series {_series_name(ids, key)} has duplicate timestamps "
                f"({stamps[stamps.duplicated()].iloc[0]}); give one row per time step."
            )
        if group[settings.label].notna().sum() == 0:
            raise DataError(f"series {_series_name(ids, key)} has no target values.")
        grid = pd.date_range(stamps.min(), stamps.max(), freq=settings.freq)
        if not stamps.isin(grid).all():
            raise DataError(
                f"series {_series_name(ids, key)} has timestamps off the model's "
                f"{settings.freq!r} frequency."
            )
        labelled = stamps[group[settings.label].notna()]
        grid = pd.date_range(labelled.min(), labelled.max(), freq=settings.freq)
        if len(grid) < settings.min_history:
            raise DataError(
                f"series {_series_name(ids, key)} has {len(grid)} step(s) of history; the model "
                f"needs at least {settings.min_history}."
            )


def check_future(future: pd.DataFrame, keys: pd.DataFrame, settings: ForecastSettings) -> None:
    """The known-in-advance features of every step to forecast must be given."""
    missing = future[future[list(settings.known_features)].isna().any(axis=1)]
    if len(missing):
        row = missing.iloc[0]
        key = keys.loc[keys["unique_id"] == row["unique_id"]].iloc[0]
        ids = list(settings.series_id_columns)
        name = _series_name(ids, tuple(key[c] for c in ids))
        raise DataError(
            f"series {name} lacks the known-in-advance features "
            f"{list(settings.known_features)} of step {row['ds']}; add a row for each of the "
            f"{settings.horizon} step(s) after its last labelled one, with the label empty."
        )


def prepare_series(frame: pd.DataFrame, settings: ForecastSettings):
    """``(series, keys, future)``: the long frame of every series' history (with the known
    features), the series-id values of each ``unique_id``, and the known features of the
    ``horizon`` steps after each history (missing where the data has no such rows). Mirrors
    the generated ``prepare_data``."""
    ids, time_column, label = list(settings.series_id_columns), settings.time_column, settings.label
    features = list(settings.known_features)
    df = frame[[*ids, time_column, label, *features]].copy()
    df[time_column] = pd.to_datetime(df[time_column])
    if ids:
        keys = df[ids].drop_duplicates().sort_values(ids).reset_index(drop=True)
        keys["unique_id"] = np.arange(len(keys))
        df = df.merge(keys, on=ids)
    else:
        keys = pd.DataFrame({"unique_id": [0]})
        df["unique_id"] = 0
    parts, futures = [], []
    for unique_id, group in df.groupby("unique_id", sort=True):
        values = group.set_index(time_column)[[label, *features]].sort_index().astype("float64")
        last = values[label].last_valid_index()
        steps = pd.date_range(values.index[0], last, freq=settings.freq)
        history = values.loc[:last].reindex(steps)
        history = history.interpolate(method="linear", limit_direction="both")
        part = pd.DataFrame({"unique_id": unique_id, "ds": steps, "y": history[label].to_numpy()})
        for feature in features:
            part[feature] = history[feature].to_numpy()
        parts.append(part)
        ahead = pd.date_range(last, periods=settings.horizon + 1, freq=settings.freq)[1:]
        future = pd.DataFrame({"unique_id": unique_id, "ds": ahead})
        for feature in features:
            future[feature] = values[feature].reindex(ahead).to_numpy()
        futures.append(future)
    series = pd.concat(parts, ignore_index=True)
    return series, keys, pd.concat(futures, ignore_index=True)


def _parse_times(column: pd.Series, name: str) -> pd.Series:
    if column.isna().any():
        raise DataError(f"time column {name!r} has missing values; every row needs a timestamp.")
    try:
        return pd.to_datetime(column)
    except (ValueError, TypeError) as error:
        raise DataError(
            f"time column {name!r} holds values that are not dates or times ({error})."
        ) from None


def _groups(frame: pd.DataFrame, ids: list[str]) -> list:
    if not ids:
        return [((), frame)]
    return list(frame.groupby(ids, sort=True))


def _series_name(ids: list[str], key) -> str:
    if not ids:
        return "(the single series)"
    values = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{column}={value!r}" for column, value in zip(ids, values, strict=False))


def _infer_freq(groups, time_column: str) -> str:
    """The frequency most series agree on (pandas' inference on runs of regular steps)."""
    votes: Counter = Counter()
    for _, group in groups:
        times = pd.DatetimeIndex(group[time_column].sort_values())
        freq = pd.infer_freq(times) if len(times) >= 3 else None
        if freq is None:  # gaps: vote with windows of five consecutive timestamps
            for start in range(0, max(0, len(times) - 4)):
                window = pd.infer_freq(times[start : start + 5])
                if window is not None:
                    votes[window] += 1
        else:
            votes[freq] += len(times)
    if not votes:
        raise DataError(
            "the frequency of the timestamps cannot be inferred (too few or irregular "
            "timestamps); give it, e.g. --frequency D or freq='MS'."
        )
    return votes.most_common(1)[0][0]

"""Column profiling: decide how every feature column is featurized, and say why.

``profile_columns`` looks at a training frame and returns a :class:`FeaturizationPlan`: one
:class:`ColumnProfile` per feature column with its *kind* (numeric, categorical,
high-cardinality, text, datetime or drop) and a short human-readable reason. The plan is
recorded on the experiment (``to_dict``/``from_dict`` round-trip through JSON), turned into a
scikit-learn ``ColumnTransformer`` by :mod:`jupyter_automl_codegen.automl.featurization`, and
explained in generated notebooks.

Date/time text is parsed the way the model parses it (skrub's ``ToDatetime``, which guesses one
format per column): a text column is a date column only when that parser accepts it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

KINDS = ("numeric", "categorical", "high_cardinality", "text", "datetime", "drop")

# Object/string/category columns with at most this many distinct values are one-hot encoded
# as is; above it they are "high_cardinality" (one-hot encoding of the most frequent values).
CATEGORICAL_MAX_UNIQUE = 32

# A string column is a date column when at least this share of its (sampled) non-missing
# values look like dates (regex) *and* skrub's ToDatetime finds one format for all of them.
DATETIME_MIN_RATIO = 0.95
# Date detection checks at most this many non-missing values (a deterministic sample).
DATETIME_SAMPLE_SIZE = 1000

# Free text: on average at least this many whitespace-separated tokens per value ...
TEXT_MIN_MEAN_TOKENS = 2.5
# ... or values at least this long on average ...
TEXT_MIN_MEAN_LENGTH = 30
# ... and, in both cases, "many distinct values": more than CATEGORICAL_MAX_UNIQUE distinct
# values or at least this share of distinct values among the non-missing ones. A column of a
# few repeated multi-word labels ("very good", "not good at all") stays categorical.
TEXT_MIN_UNIQUE_RATIO = 0.5
# Token and length averages are computed on at most this many values (a deterministic sample).
TEXT_SAMPLE_SIZE = 10_000
# TF-IDF width per analyzer (words, character 3-grams): one term per 4 rows, within bounds.
TEXT_MAX_FEATURES = 1000
TEXT_MIN_FEATURES = 50
TEXT_ROWS_PER_FEATURE = 4
# ... and at most this many values per analyzer: the featurized matrix is dense (every
# estimator accepts it), so 58,000 rows of 1,000 terms each would be 900 MB per text column.
TEXT_MAX_CELLS = 6_000_000

# Identifier detection (unique value on every row) needs at least this many rows: in a tiny
# frame, every column of distinct values would otherwise look like an identifier.
IDENTIFIER_MIN_ROWS = 10

# Calendar parts considered for datetime columns, in output order. Only the parts that vary
# in the training data are kept (e.g. hour/minute/second are dropped for pure dates); the
# featurizer turns them into skrub ``DatetimeEncoder`` settings.
DATETIME_PARTS_ORDER = (
    "year",
    "month",
    "day",
    "dayofweek",
    "dayofyear",
    "hour",
    "minute",
    "second",
)
# Used when datetime columns exist but no calendar part varies (sub-second differences only).
DATETIME_FALLBACK_PARTS = ("year",)

# Strings that look like dates or date-times: 2020-01-31, 2020/1/31, 2020-01, 31/01/2020,
# 31.01.20, 31 January 2020, Jan 31, 2020; optionally followed by a time (T or space
# separated, with seconds, fractions, AM/PM) and a timezone (Z, UTC, +02:00, -0500).
DATE_PATTERN = re.compile(
    r"""^\s*(
        \d{4}([-/.])\d{1,2}\2\d{1,2}
      | \d{4}[-/]\d{1,2}
      | \d{1,2}([-/.])\d{1,2}\3\d{2,4}
      | \d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4}
      | [A-Za-z]{3,9}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{2,4}
    )
    ([T\s]+\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?
    \s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class ColumnProfile:
    """How one column is featurized, and why."""

    name: str
    dtype: str
    kind: str
    missing_ratio: float
    n_unique: int
    reason: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}; expected one of {KINDS}")


@dataclass(frozen=True)
class FeaturizationPlan:
    """Column profiles of a training frame (label excluded) and the datetime parts to extract."""

    columns: tuple[ColumnProfile, ...]
    datetime_parts: tuple[str, ...] = ()
    text_max_features: int = TEXT_MAX_FEATURES

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "datetime_parts", tuple(self.datetime_parts))

    def groups(self) -> dict[str, list[str]]:
        """Column names by kind, kinds in order of first appearance ("drop" excluded)."""
        groups: dict[str, list[str]] = {}
        for column in self.columns:
            if column.kind != "drop":
                groups.setdefault(column.kind, []).append(column.name)
        return groups

    @property
    def feature_columns(self) -> tuple[str, ...]:
        """Names of the columns the featurizer uses, in frame order."""
        return tuple(column.name for column in self.columns if column.kind != "drop")

    @property
    def dropped_columns(self) -> tuple[str, ...]:
        """Names of the dropped columns, in frame order."""
        return tuple(column.name for column in self.columns if column.kind == "drop")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready representation; ``FeaturizationPlan.from_dict`` inverts it exactly."""
        return {
            "columns": [asdict(column) for column in self.columns],
            "datetime_parts": list(self.datetime_parts),
            "text_max_features": self.text_max_features,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeaturizationPlan:
        """Rebuild a plan from ``to_dict`` output (possibly after a JSON round trip)."""
        return cls(
            columns=tuple(
                ColumnProfile(
                    name=column["name"],
                    dtype=column["dtype"],
                    kind=column["kind"],
                    missing_ratio=float(column["missing_ratio"]),
                    n_unique=int(column["n_unique"]),
                    reason=column["reason"],
                )
                for column in data["columns"]
            ),
            datetime_parts=tuple(data.get("datetime_parts", ())),
            text_max_features=int(data.get("text_max_features", TEXT_MAX_FEATURES)),
        )


def profile_columns(df: pd.DataFrame, label: str) -> FeaturizationPlan:
    """Profile every column of ``df`` except ``label`` and return the featurization plan.

    Rules, in order: all values missing -> drop; a single distinct value -> drop (constant);
    timezone-naive or -aware datetime64 -> datetime; bool -> categorical; integer column unique
    on every row forming a consecutive range -> drop (row identifier); other numeric ->
    numeric; object/string/category columns: mostly date-like strings -> datetime, unique on
    every row without whitespace -> drop (identifier), free text -> text, at most
    ``CATEGORICAL_MAX_UNIQUE`` distinct values -> categorical, else high_cardinality.
    Other dtypes (timedelta, period, interval, ...) are dropped.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"profile_columns expects a pandas DataFrame, got {type(df).__name__}")
    non_str = [column for column in df.columns if not isinstance(column, str)]
    if non_str:
        raise ValueError(
            f"Column names must be strings, got {non_str[:5]!r}; "
            "rename them first, e.g. df.columns = df.columns.astype(str)"
        )
    if df.columns.has_duplicates:
        duplicated = sorted(set(df.columns[df.columns.duplicated()]))
        raise ValueError(f"Column names must be unique; duplicated: {duplicated!r}")
    if label not in df.columns:
        raise ValueError(f"Label column {label!r} not found in columns {list(df.columns)!r}")

    profiles = tuple(_profile_column(df[name]) for name in df.columns if name != label)
    datetime_columns = [p.name for p in profiles if p.kind == "datetime"]
    return FeaturizationPlan(
        columns=profiles,
        datetime_parts=_varying_datetime_parts(df, datetime_columns),
        text_max_features=text_width(len(df)),
    )


def text_width(rows: int) -> int:
    """TF-IDF terms kept per analyzer: wide text on few rows only slows every model down, and
    on many rows it fills memory."""
    wanted = min(TEXT_MAX_FEATURES, rows // TEXT_ROWS_PER_FEATURE, TEXT_MAX_CELLS // max(rows, 1))
    return int(max(TEXT_MIN_FEATURES, wanted))


def _profile_column(column: pd.Series) -> ColumnProfile:
    name = column.name
    dtype = column.dtype
    n_rows = len(column)
    non_missing = column.dropna()
    missing_ratio = float((n_rows - len(non_missing)) / n_rows) if n_rows else 1.0
    n_unique = _n_unique(non_missing)

    def profile(kind: str, reason: str) -> ColumnProfile:
        return ColumnProfile(
            name=name,
            dtype=str(dtype),
            kind=kind,
            missing_ratio=missing_ratio,
            n_unique=n_unique,
            reason=reason,
        )

    missing = _missing_text(missing_ratio)
    if len(non_missing) == 0:
        return profile("drop", "all values missing: dropped")
    if n_unique == 1:
        value = _short_repr(non_missing.iloc[0])
        return profile("drop", f"constant (single value {value}{missing}): dropped")

    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        tz = ", timezone-aware, converted to UTC" if isinstance(dtype, pd.DatetimeTZDtype) else ""
        return profile(
            "datetime",
            f"date/time values ({n_unique} distinct{tz}{missing}): expanded into calendar parts",
        )
    if pd.api.types.is_bool_dtype(dtype) or _all_bool(non_missing):
        return profile("categorical", f"boolean values{missing}: one-hot encoded")
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        if _is_integer_identifier(column, dtype, n_unique):
            return profile(
                "drop",
                "consecutive integers, unique for every row, looks like a row identifier: dropped",
            )
        return profile(
            "numeric", f"numeric with {n_unique} distinct values{missing}: used as a number"
        )
    if not (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    ):
        return profile("drop", f"unsupported dtype {dtype}: dropped")

    # object / string / category columns
    date_ratio = _date_ratio(non_missing)
    if date_ratio >= DATETIME_MIN_RATIO:
        return profile(
            "datetime",
            f"text holding dates ({date_ratio:.0%} of values parse as dates, "
            f"{n_unique} distinct{missing}): expanded into calendar parts",
        )
    strings = non_missing.astype(str)
    if (
        n_rows >= IDENTIFIER_MIN_ROWS
        and n_unique == n_rows
        and not strings.str.contains(r"\s", regex=True).any()
    ):
        return profile(
            "drop", "unique for every row without spaces, looks like an identifier: dropped"
        )
    many_distinct = (
        n_unique > CATEGORICAL_MAX_UNIQUE or n_unique / len(non_missing) >= TEXT_MIN_UNIQUE_RATIO
    )
    sample = _sample(strings, TEXT_SAMPLE_SIZE)
    mean_tokens = float(sample.str.split().str.len().mean())
    mean_length = float(sample.str.len().mean())
    if many_distinct and (
        mean_tokens >= TEXT_MIN_MEAN_TOKENS or mean_length >= TEXT_MIN_MEAN_LENGTH
    ):
        return profile(
            "text",
            f"free text ({n_unique} distinct values, {mean_tokens:.1f} words and "
            f"{mean_length:.0f} characters per value on average{missing}): "
            "TF-IDF of words and character 3-grams",
        )
    if pd.api.types.infer_dtype(non_missing, skipna=True).startswith("mixed"):
        missing += ", mixed value types compared as text"
    if n_unique <= CATEGORICAL_MAX_UNIQUE:
        return profile("categorical", f"{n_unique} distinct values{missing}: one-hot encoded")
    return profile(
        "high_cardinality",
        f"{n_unique} distinct values (more than {CATEGORICAL_MAX_UNIQUE}){missing}: "
        "one-hot encoded, rare values grouped together",
    )


def _n_unique(non_missing: pd.Series) -> int:
    try:
        return int(non_missing.nunique(dropna=True))
    except TypeError:  # unhashable values (lists, dicts): count their string forms
        return int(non_missing.astype(str).nunique(dropna=True))


def _missing_text(missing_ratio: float) -> str:
    if missing_ratio == 0:
        return ""
    if missing_ratio < 0.01:
        return ", <1% missing"
    return f", {missing_ratio:.0%} missing"


def _short_repr(value: Any, limit: int = 40) -> str:
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _all_bool(non_missing: pd.Series) -> bool:
    """Object column holding only bools (e.g. True/False with NaN)."""
    if not pd.api.types.is_object_dtype(non_missing.dtype):
        return False
    return pd.api.types.infer_dtype(non_missing, skipna=True) == "boolean"


def _sample(values: pd.Series, size: int) -> pd.Series:
    """At most ``size`` values, sampled deterministically."""
    return values.sample(n=size, random_state=0) if len(values) > size else values


def _is_integer_identifier(column: pd.Series, dtype: Any, n_unique: int) -> bool:
    """Integer column with a distinct value on every row, forming a consecutive range."""
    n_rows = len(column)
    if not pd.api.types.is_integer_dtype(dtype) or n_rows < IDENTIFIER_MIN_ROWS:
        return False
    if n_unique != n_rows:
        return False
    return int(column.max()) - int(column.min()) + 1 == n_rows


def _date_ratio(non_missing: pd.Series) -> float:
    """Share of (sampled) non-missing values that look like dates, when the model's date
    parser accepts the whole column (else 0)."""
    looks_like_date = _sample(non_missing, DATETIME_SAMPLE_SIZE).astype(str).str.match(DATE_PATTERN)
    if looks_like_date.mean() < DATETIME_MIN_RATIO or parse_dates(non_missing) is None:
        return 0.0
    return float(looks_like_date.mean())


def parse_dates(column: pd.Series) -> pd.Series | None:
    """The column as datetimes the way the model's ``ToDatetime`` step reads it, or None when
    that step would refuse it (no single format fits every value)."""
    from skrub import ToDatetime  # imported on first use: a second to load
    from skrub.core import RejectColumn

    if pd.api.types.is_object_dtype(column.dtype):
        column = column.astype(str).where(column.notna(), None)  # text, as a CSV gives it
    try:
        return ToDatetime().fit_transform(column.reset_index(drop=True))
    except (RejectColumn, ValueError, TypeError):
        return None


def _varying_datetime_parts(df: pd.DataFrame, datetime_columns: list[str]) -> tuple[str, ...]:
    """Calendar parts that take more than one value in at least one datetime column."""
    if not datetime_columns:
        return ()
    varying = set()
    for name in datetime_columns:
        dates = parse_dates(df[name].dropna())
        if dates is None:
            continue
        for part in DATETIME_PARTS_ORDER:
            values = getattr(dates.dt, part).to_numpy(dtype="float64", na_value=np.nan)
            values = values[~np.isnan(values)]
            if values.size and values.min() != values.max():
                varying.add(part)
    parts = tuple(part for part in DATETIME_PARTS_ORDER if part in varying)
    return parts or DATETIME_FALLBACK_PARTS

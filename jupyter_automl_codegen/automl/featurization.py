"""Featurization plan -> scikit-learn ``ColumnTransformer``.

``build_featurizer`` turns a :class:`~jupyter_automl_codegen.automl.profiling.FeaturizationPlan`
into a ``ColumnTransformer`` built only from public scikit-learn, pandas and skrub callables,
so that code generation can render it as plain, readable Python and a saved model loads with
nothing of this package installed. There is one transformer per group of columns sharing a
treatment (plus one per text or date column), and the output is always a dense float array,
accepted by every estimator (including HistGradientBoosting).

The transformer reads raw rows, as ``pd.read_csv`` or ``pd.read_parquet`` give them: columns
in any order, extra columns ignored. Each group's first step gives its columns one type
(categories and text as strings with missing values filled, dates parsed), which is what makes
the model self-contained: no preparation happens outside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

from jupyter_automl_codegen.automl.profiling import FeaturizationPlan

# Fill value for missing categorical / high-cardinality values (a category of its own).
MISSING_CATEGORY = "missing"
# High-cardinality columns: at most this many one-hot columns per input column (the most
# frequent categories, plus one column grouping the infrequent ones).
HIGH_CARDINALITY_MAX_CATEGORIES = 32
# Text columns: TF-IDF of word unigrams/bigrams and of character 3-grams (within word
# boundaries), each limited to the plan's ``text_max_features`` most frequent terms.
TEXT_WORD_NGRAM_RANGE = (1, 2)
TEXT_CHAR_NGRAM_RANGE = (3, 3)

# Transformer order in the ColumnTransformer; date and text transformers follow, one per
# column.
GROUP_ORDER = ("numeric", "categorical", "high_cardinality")
# skrub's DatetimeEncoder extracts every part from the year down to its ``resolution``.
RESOLUTIONS = ("year", "month", "day", "hour", "minute", "second")


def build_featurizer(plan: FeaturizationPlan) -> ColumnTransformer:
    """Build the (unfitted) ``ColumnTransformer`` applying ``plan``.

    Groups: ``"numeric"`` (mean imputation, with missing-value indicators when the training
    data had missing numeric values), ``"categorical"`` (as text, constant imputation,
    one-hot), ``"high_cardinality"`` (the same, one-hot of the most frequent categories),
    ``"datetime_<i>"`` for the i-th date column (parsed, calendar parts, most-frequent
    imputation) and ``"text_<i>"`` for the i-th text column (empty-string imputation, word and
    character TF-IDF).
    """
    groups = plan.groups()
    if not groups:
        reasons = "; ".join(f"{c.name!r}: {c.reason}" for c in plan.columns) or "no columns"
        raise ValueError(f"No usable feature column, every column was dropped ({reasons})")

    transformers = []
    for group in GROUP_ORDER:
        if group in groups:
            transformers.append((group, _group_transformer(group, plan), groups[group]))
    # skrub's date steps read one column (a Series): the selector is the name, not a list.
    for i, name in enumerate(groups.get("datetime", [])):
        transformers.append((f"datetime_{i}", _datetime_transformer(plan), name))
    for i, name in enumerate(groups.get("text", [])):
        transformers.append((f"text_{i}", _text_transformer(plan.text_max_features), [name]))

    return ColumnTransformer(
        transformers=transformers,
        remainder="drop",
        sparse_threshold=0,
        n_jobs=None,
    )


def group_descriptions(plan: FeaturizationPlan) -> dict[str, str]:
    """One sentence per transformer of ``build_featurizer(plan)``, keyed by transformer name."""
    groups = plan.groups()
    descriptions = {}
    if "numeric" in groups:
        if _numeric_has_missing(plan):
            treatment = "missing values replaced by the column mean, with a missing-value indicator"
        else:
            treatment = (
                "used as is (no missing values in the training data; "
                "missing values at prediction time are replaced by the column mean)"
            )
        descriptions["numeric"] = f"{_columns(groups['numeric'], 'numeric')}: {treatment}"
    if "categorical" in groups:
        descriptions["categorical"] = (
            f"{_columns(groups['categorical'], 'categorical')}: missing values replaced by "
            f"{MISSING_CATEGORY!r}, then one-hot encoded (categories not seen in training are "
            "ignored)"
        )
    if "high_cardinality" in groups:
        descriptions["high_cardinality"] = (
            f"{_columns(groups['high_cardinality'], 'high-cardinality')}: missing values "
            f"replaced by {MISSING_CATEGORY!r}, then one-hot encoded keeping the "
            f"{HIGH_CARDINALITY_MAX_CATEGORIES - 1} most frequent categories and grouping the "
            "others (and unseen ones) in a single 'infrequent' column"
        )
    for i, name in enumerate(groups.get("datetime", [])):
        descriptions[f"datetime_{i}"] = (
            f"Date column {name!r}: parsed as dates, expanded into {_join(_date_parts(plan))} "
            "numbers, missing or unreadable dates replaced by the most frequent value"
        )
    for i, name in enumerate(groups.get("text", [])):
        descriptions[f"text_{i}"] = (
            f"Text column {name!r}: missing values replaced by an empty string, then TF-IDF of "
            f"the {plan.text_max_features} most frequent words and word pairs and the "
            f"{plan.text_max_features} most frequent character 3-grams"
        )
    return descriptions


def _group_transformer(group: str, plan: FeaturizationPlan):
    # SimpleImputer reads numbers of any dtype (int, float, nullable) as float64.
    if group == "numeric":
        if _numeric_has_missing(plan):
            return SimpleImputer(strategy="mean", add_indicator=True)
        return SimpleImputer(strategy="mean")
    if group == "categorical":
        onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    elif group == "high_cardinality":
        onehot = OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            max_categories=HIGH_CARDINALITY_MAX_CATEGORIES,
            sparse_output=False,
        )
    else:
        raise ValueError(f"Unknown column group {group!r}")
    return Pipeline([*_as_text_steps(MISSING_CATEGORY), ("onehot", onehot)])


def _as_text_steps(fill_value: str) -> list:
    """Values as strings and every kind of missing value (NaN, None, pd.NA) as ``fill_value``:
    the encoders need one type per column, and a CSV, a Parquet file and a DataFrame each
    give booleans, numbers and missing values differently."""
    return [
        (
            "as_text",
            FunctionTransformer(
                pd.DataFrame.astype, kw_args={"dtype": "string"}, feature_names_out="one-to-one"
            ),
        ),
        (
            "impute",
            FunctionTransformer(
                pd.DataFrame.fillna,
                kw_args={"value": fill_value},
                feature_names_out="one-to-one",
            ),
        ),
    ]


def _datetime_transformer(plan: FeaturizationPlan) -> Pipeline:
    from skrub import DatetimeEncoder, ToDatetime  # imported on first use: a second to load

    parts = set(plan.datetime_parts)
    return Pipeline(
        [
            ("parse", ToDatetime()),
            (
                "parts",
                DatetimeEncoder(
                    resolution=_resolution(plan),
                    add_weekday="dayofweek" in parts,
                    add_day_of_year="dayofyear" in parts,
                ),
            ),
            # keep_empty_features: a part that is missing on every training row (e.g. all
            # dates missing in a CV fold) is kept (filled with 0) so the width is stable.
            ("impute", SimpleImputer(strategy="most_frequent", keep_empty_features=True)),
        ]
    )


def _resolution(plan: FeaturizationPlan) -> str:
    """The finest calendar part that varies in the training dates."""
    varying = [part for part in RESOLUTIONS if part in plan.datetime_parts]
    return varying[-1] if varying else "year"


def _date_parts(plan: FeaturizationPlan) -> list[str]:
    """The numbers ``_datetime_transformer`` makes of a date, in words."""
    parts = set(plan.datetime_parts)
    words = list(RESOLUTIONS[: RESOLUTIONS.index(_resolution(plan)) + 1])
    words.append("seconds since 1970")
    if "dayofweek" in parts:
        words.append("day of week")
    if "dayofyear" in parts:
        words.append("day of year")
    return words


def _text_transformer(max_features: int) -> Pipeline:
    # The column is selected as a one-column frame ([name]) and flattened to the 1-D array
    # of strings TfidfVectorizer expects.
    return Pipeline(
        [
            *_as_text_steps(""),
            ("flatten", FunctionTransformer(np.ravel, feature_names_out="one-to-one")),
            (
                "tfidf",
                FeatureUnion(
                    [
                        (
                            "word",
                            TfidfVectorizer(
                                ngram_range=TEXT_WORD_NGRAM_RANGE,
                                max_features=max_features,
                                sublinear_tf=True,
                            ),
                        ),
                        (
                            "char",
                            TfidfVectorizer(
                                analyzer="char_wb",
                                ngram_range=TEXT_CHAR_NGRAM_RANGE,
                                max_features=max_features,
                                sublinear_tf=True,
                            ),
                        ),
                    ]
                ),
            ),
        ]
    )


def _numeric_has_missing(plan: FeaturizationPlan) -> bool:
    return any(c.kind == "numeric" and c.missing_ratio > 0 for c in plan.columns)


def _columns(names: list[str], adjective: str) -> str:
    shown = ", ".join(repr(name) for name in names[:5])
    if len(names) > 5:
        shown += f" and {len(names) - 5} more"
    noun = "column" if len(names) == 1 else "columns"
    return f"{len(names)} {adjective} {noun} ({shown})"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]

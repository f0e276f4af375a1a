"""Featurization plan -> scikit-learn ``ColumnTransformer``.

``build_featurizer`` turns a :class:`~jupyter_automl_codegen.automl.profiling.FeaturizationPlan`
into a ``ColumnTransformer`` built only from public scikit-learn classes plus
:class:`~jupyter_automl_codegen.helpers.datetime_features.DatetimeFeatures`, so that code
generation can render it as plain, readable Python. There is one transformer per group of
columns sharing a treatment (plus one per text column), and the output is always a dense
float array, accepted by every estimator (including HistGradientBoosting).

The transformer expects frames passed through
:func:`~jupyter_automl_codegen.automl.profiling.normalize_frame`.
"""

from __future__ import annotations

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

from jupyter_automl_codegen.automl.profiling import FeaturizationPlan
from jupyter_automl_codegen.helpers.datetime_features import DatetimeFeatures

# Fill value for missing categorical / high-cardinality values (a category of its own).
MISSING_CATEGORY = "missing"
# High-cardinality columns: at most this many one-hot columns per input column (the most
# frequent categories, plus one column grouping the infrequent ones).
HIGH_CARDINALITY_MAX_CATEGORIES = 32
# Text columns: TF-IDF of word unigrams/bigrams and of character 3-grams (within word
# boundaries), each limited to the plan's ``text_max_features`` most frequent terms.
TEXT_WORD_NGRAM_RANGE = (1, 2)
TEXT_CHAR_NGRAM_RANGE = (3, 3)

# Transformer order in the ColumnTransformer (text transformers come last, one per column).
GROUP_ORDER = ("numeric", "categorical", "high_cardinality", "datetime")

PART_LABELS = {
    "year": "year",
    "month": "month",
    "day": "day of month",
    "dayofweek": "day of week",
    "dayofyear": "day of year",
    "quarter": "quarter",
    "week": "ISO week",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
}


def build_featurizer(plan: FeaturizationPlan) -> ColumnTransformer:
    """Build the (unfitted) ``ColumnTransformer`` applying ``plan``.

    Groups: ``"numeric"`` (mean imputation, with missing-value indicators when the training
    data had missing numeric values), ``"categorical"`` (constant imputation + one-hot),
    ``"high_cardinality"`` (constant imputation + one-hot of the most frequent categories),
    ``"datetime"`` (calendar parts + most-frequent imputation) and ``"text_<i>"`` for the i-th
    text column (empty-string imputation + word and character TF-IDF).
    """
    groups = plan.groups()
    if not groups:
        reasons = "; ".join(f"{c.name!r}: {c.reason}" for c in plan.columns) or "no columns"
        raise ValueError(f"No usable feature column, every column was dropped ({reasons})")

    transformers = []
    for group in GROUP_ORDER:
        if group in groups:
            transformers.append((group, _group_transformer(group, plan), groups[group]))
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
    if "datetime" in groups:
        parts = [PART_LABELS[part] for part in plan.datetime_parts]
        descriptions["datetime"] = (
            f"{_columns(groups['datetime'], 'datetime')}: expanded into {_join(parts)} numbers, "
            "missing dates replaced by the most frequent value"
        )
    for i, name in enumerate(groups.get("text", [])):
        descriptions[f"text_{i}"] = (
            f"Text column {name!r}: missing values replaced by an empty string, then TF-IDF of "
            f"the {plan.text_max_features} most frequent words and word pairs and the "
            f"{plan.text_max_features} most frequent character 3-grams"
        )
    return descriptions


def _group_transformer(group: str, plan: FeaturizationPlan):
    if group == "numeric":
        if _numeric_has_missing(plan):
            return SimpleImputer(strategy="mean", add_indicator=True)
        return SimpleImputer(strategy="mean")
    if group == "categorical":
        return Pipeline(
            [
                ("impute", SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY)),
                ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
            ]
        )
    if group == "high_cardinality":
        return Pipeline(
            [
                ("impute", SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY)),
                (
                    "onehot",
                    OneHotEncoder(
                        handle_unknown="infrequent_if_exist",
                        max_categories=HIGH_CARDINALITY_MAX_CATEGORIES,
                        sparse_output=False,
                    ),
                ),
            ]
        )
    if group == "datetime":
        if not plan.datetime_parts:
            raise ValueError("The plan has datetime columns but no datetime_parts")
        return Pipeline(
            [
                ("parts", DatetimeFeatures(parts=tuple(plan.datetime_parts))),
                # keep_empty_features: a part that is missing on every training row (e.g. all
                # dates missing in a CV fold) is kept (filled with 0) so the width is stable.
                ("impute", SimpleImputer(strategy="most_frequent", keep_empty_features=True)),
            ]
        )
    raise ValueError(f"Unknown column group {group!r}")


def _text_transformer(max_features: int) -> Pipeline:
    # SimpleImputer needs 2-D input, so the column is selected as a one-column frame
    # ([name]) and flattened to the 1-D array of strings TfidfVectorizer expects.
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="")),
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

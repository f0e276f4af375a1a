import importlib
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from palmerpenguins import load_penguins
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from jupyter_automl_codegen.automl.featurization import build_featurizer, group_descriptions
from jupyter_automl_codegen.automl.profiling import (
    ColumnProfile,
    FeaturizationPlan,
    profile_columns,
)

ROOT = Path(__file__).resolve().parents[2]
CARS_CSV = ROOT / "jupyter_automl_codegen" / "datasets" / "cars.csv"


def fit_transform(df, label):
    plan = profile_columns(df, label)
    featurizer = build_featurizer(plan)
    return plan, featurizer, featurizer.fit_transform(df.drop(columns=[label]))


def assert_dense_finite(array, n_rows):
    assert isinstance(array, np.ndarray)
    assert array.dtype.kind == "f"  # float64, or float32 when only dates are featurized
    assert array.ndim == 2 and array.shape[0] == n_rows
    assert np.isfinite(array).all()


def cars_with_missing_values():
    cars = pd.read_csv(CARS_CSV)
    rng = np.random.default_rng(0)
    for name in cars.columns:
        rows = rng.choice(len(cars), size=20, replace=False)
        cars.loc[rows, name] = np.nan
    return cars


def walk_estimators(estimator):
    """Yield every estimator nested in ``estimator`` (itself included)."""
    yield estimator
    if isinstance(estimator, ColumnTransformer):
        children = [t for _, t, _ in estimator.transformers]
    elif hasattr(estimator, "steps"):
        children = [step for _, step in estimator.steps]
    elif hasattr(estimator, "transformer_list"):
        children = [t for _, t in estimator.transformer_list]
    else:
        children = [v for v in estimator.get_params(deep=False).values()]
    for child in children:
        if isinstance(child, BaseEstimator):
            yield from walk_estimators(child)


def test_penguins():
    penguins = load_penguins()
    plan, featurizer, out = fit_transform(penguins, "species")
    assert_dense_finite(out, len(penguins))
    # 5 numeric + 4 missing indicators + 3 islands + 3 sex values (female, male, missing)
    assert out.shape[1] == 15
    assert [name for name, _, _ in featurizer.transformers] == ["numeric", "categorical"]
    assert len(featurizer.get_feature_names_out()) == out.shape[1]


def test_cars_with_missing_values_everywhere():
    cars = cars_with_missing_values()
    plan, featurizer, out = fit_transform(cars, "Miles_per_Gallon")
    assert plan.groups()["text"] == ["Name"]
    assert plan.groups()["datetime"] == ["Year"]
    assert_dense_finite(out, len(cars))
    names = [name for name, _, _ in featurizer.transformers]
    assert names == ["numeric", "categorical", "datetime_0", "text_0"]
    assert featurizer.named_transformers_["numeric"].add_indicator
    assert len(featurizer.get_feature_names_out()) == out.shape[1]
    # the fitted featurizer survives pickling (np.ravel and pandas' DataFrame methods are
    # importable functions) and reads the columns in any order, extra ones ignored
    restored = pickle.loads(pickle.dumps(featurizer))
    X = cars.drop(columns=["Miles_per_Gallon"])
    shuffled = X[list(reversed(X.columns))].assign(extra="ignored")
    np.testing.assert_allclose(restored.transform(shuffled), out, rtol=1e-12, atol=1e-12)


def test_unseen_values_and_all_missing_rows():
    cars = pd.read_csv(CARS_CSV)
    plan, featurizer, out = fit_transform(cars, "Miles_per_Gallon")
    new = pd.DataFrame(
        {
            "Name": ["tesla model 3 long range", np.nan, "", "zzz"],
            "Cylinders": [3, np.nan, 4, 6],
            "Displacement": [100.0, np.nan, 120.0, 200.0],
            "Horsepower": [np.nan, np.nan, 90.0, 150.0],
            "Weight_in_lbs": [2000, np.nan, 2500, 3000],
            "Acceleration": [15.0, np.nan, 14.0, 12.0],
            "Year": ["2024-06-15", np.nan, "not a date", "1999-12-31T23:00:00Z"],
            "Origin": ["Mars", np.nan, "USA", "Korea"],
        }
    )
    transformed = featurizer.transform(new)
    assert_dense_finite(transformed, 4)
    assert transformed.shape[1] == out.shape[1]
    # unseen "Mars" / "Korea" and missing origin encode as all zeros
    origin = featurizer.named_transformers_["categorical"].transform(new[["Origin"]])
    np.testing.assert_array_equal(origin[[0, 1, 3]], 0.0)


def edge_frame(n=40):
    rng = np.random.default_rng(0)
    dates = pd.date_range("2021-01-01", periods=n, freq="7D").strftime("%Y-%m-%d").tolist()
    dates[3] = None
    words = ["red", "green", "blue", "quick", "brown", "fox", "lazy", "dog", "jumps", "over"]
    return pd.DataFrame(
        {
            "all_missing": [np.nan] * n,
            "constant": ["same"] * n,
            "int_id": np.arange(1000, 1000 + n),
            "str_id": [f"ID-{i:05d}" for i in range(n)],
            "iso_dates": dates,
            "tz_dates": pd.date_range("2022-03-01 08:00", periods=n, freq="5h", tz="US/Eastern"),
            "bool_nan": [True, False, np.nan, True] * (n // 4),
            "bool": [True, False] * (n // 2),
            "high_card": [f"cat{i % 35}" for i in range(n)],
            "free_text": [" ".join(rng.choice(words, size=5)) for _ in range(n)],
            "mixed": [1, "a", 2.5, None, "b"] * (n // 5),
            "nullable_int": pd.array([1, None, 2, 5] * (n // 4), dtype="Int64"),
            "strings": pd.array(["u", None, "v", "w"] * (n // 4), dtype="string"),
            "category": pd.Categorical(["x", "y", None, "z"] * (n // 4)),
            "label": rng.integers(0, 2, size=n),
        }
    )


def test_edge_frame_fits_and_transforms():
    df = edge_frame()
    plan, featurizer, out = fit_transform(df, "label")
    assert_dense_finite(out, len(df))
    names = [name for name, _, _ in featurizer.transformers]
    assert names == [
        "numeric",
        "categorical",
        "high_cardinality",
        "datetime_0",
        "datetime_1",
        "text_0",
    ]
    # rows where everything is missing
    blank = df.drop(columns=["label"]).iloc[:3].copy()
    for name in blank.columns:
        blank[name] = np.nan
    transformed = featurizer.transform(blank)
    assert_dense_finite(transformed, 3)
    assert transformed.shape[1] == out.shape[1]


def test_mixed_types_and_every_kind_of_missing_value_are_read_as_text():
    df = pd.DataFrame({"mixed": [1, "a", 2.5, None, True] * 8, "y": range(40)})
    plan = profile_columns(df, "y")
    featurizer = build_featurizer(plan)
    # scikit-learn's OneHotEncoder alone rejects columns mixing numbers/bools and strings ...
    with pytest.raises(TypeError, match="uniformly strings or numbers"):
        OneHotEncoder().fit(df[["mixed"]])
    # ... the featurizer reads them as text, missing values as one category
    out = featurizer.fit_transform(df)
    assert out.shape == (40, 5)  # "1", "2.5", "True", "a", "missing"
    # None (Parquet), NaN (CSV) and pd.NA (nullable dtypes) are the same missing category
    missing = pd.DataFrame({"mixed": pd.array([None, np.nan, pd.NA], dtype=object)})
    assert (featurizer.transform(missing) == featurizer.transform(missing.iloc[:1])[0]).all()
    # a boolean column read without missing values (bool dtype) matches one read with them
    bools = pd.DataFrame({"flag": [True, False] * 20, "y": range(40)})
    fitted = build_featurizer(profile_columns(bools, "y")).fit(bools)
    as_object = pd.DataFrame({"flag": pd.Series([True, None, False], dtype=object)})
    np.testing.assert_array_equal(fitted.transform(as_object), [[0, 1], [0, 0], [1, 0]])


def test_numeric_indicator_only_when_training_data_has_missing_values():
    df = pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0) ** 2, "y": range(20)})
    plan, featurizer, out = fit_transform(df, "y")
    numeric = featurizer.transformers[0][1]
    assert isinstance(numeric, SimpleImputer) and not numeric.add_indicator
    assert out.shape == (20, 2)
    # still robust to missing values at prediction time
    X = pd.DataFrame({"a": [np.nan], "b": [np.nan]})
    np.testing.assert_allclose(featurizer.transform(X), [[9.5, df["b"].mean()]])


def test_dates_all_missing_at_prediction_time_keep_the_width():
    dates = pd.date_range("2020-01-01", periods=30, freq="D").astype(str)
    df = pd.DataFrame({"d": dates, "x": np.arange(30.0), "y": range(30)})
    featurizer = build_featurizer(profile_columns(df, "y"))
    out = featurizer.fit_transform(df)
    # x, then year, month, day, seconds since 1970, weekday, day of year
    assert out.shape == (30, 1 + 6)
    # an empty date column reads as floats (CSV) or None (Parquet): both give the same width
    for empty in ([np.nan, np.nan], [None, None]):
        new = pd.DataFrame({"d": empty, "x": [1.0, 2.0]})
        assert_dense_finite(featurizer.transform(new), 2)
        assert featurizer.transform(new).shape == (2, 7)


def test_text_column_is_selected_as_one_column_frame():
    cars = cars_with_missing_values()
    plan = profile_columns(cars, "Miles_per_Gallon")
    featurizer = build_featurizer(plan)
    name, text, columns = featurizer.transformers[-1]
    assert (name, columns) == ("text_0", ["Name"])
    assert [step for step, _ in text.steps] == ["as_text", "impute", "flatten", "tfidf"]
    X = cars[["Name"]]
    assert X["Name"].isna().sum() == 20
    out = text.fit_transform(X)
    assert out.shape[0] == len(cars) and out.shape[1] <= 2000
    # a 1-D selection (plain str selector) is rejected by SimpleImputer
    with pytest.raises(ValueError, match="2-dimensional"):
        ColumnTransformer([("t", SimpleImputer(strategy="constant", fill_value=""), "Name")]).fit(X)


def many_columns_frame(n_rows=60):
    rng = np.random.default_rng(1)
    data = {}
    for i in range(80):
        data[f"num_{i}"] = rng.normal(size=n_rows)
    for i in range(60):
        data[f"cat_{i}"] = rng.choice(["a", "b", "c", None], size=n_rows)
    for i in range(40):
        data[f"hc_{i}"] = [f"v{j}" for j in rng.integers(0, 40, size=n_rows)]
    for i in range(17):
        data[f"date_{i}"] = pd.date_range("2020-01-01", periods=n_rows, freq="D")
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])
    for i in range(3):
        data[f"text_{i}"] = [" ".join(rng.choice(words, size=4)) for _ in range(n_rows)]
    data["y"] = rng.integers(0, 2, size=n_rows)
    return pd.DataFrame(data)


def test_200_columns_give_one_transformer_per_group():
    df = many_columns_frame()
    assert df.shape[1] == 201
    plan, featurizer, out = fit_transform(df, "y")
    names = [name for name, _, _ in featurizer.transformers]
    dates = [f"datetime_{i}" for i in range(17)]
    assert names == [
        "numeric",
        "categorical",
        "high_cardinality",
        *dates,
        "text_0",
        "text_1",
        "text_2",
    ]
    assert_dense_finite(out, len(df))
    assert set(group_descriptions(plan)) == set(names)


def test_only_public_sklearn_and_skrub_classes():
    for df, label in [
        (cars_with_missing_values(), "Miles_per_Gallon"),
        (many_columns_frame(), "y"),
    ]:
        featurizer = build_featurizer(profile_columns(df, label))
        modules = {type(e).__module__ for e in walk_estimators(featurizer)}
        assert modules
        for module in modules:
            assert module.startswith(("sklearn.", "skrub.")), module
        classes = {type(e).__name__ for e in walk_estimators(featurizer)}
        assert {"ColumnTransformer", "Pipeline", "SimpleImputer", "OneHotEncoder"} <= classes
        assert {"ToDatetime", "DatetimeEncoder", "FeatureUnion", "TfidfVectorizer"} <= classes
        # every sklearn class is public: importable from the module path before any _private part
        for estimator in walk_estimators(featurizer):
            cls = type(estimator)
            if cls.__module__.startswith(("sklearn.", "skrub.")):
                public = []
                for part in cls.__module__.split("."):
                    if part.startswith("_"):
                        break
                    public.append(part)
                module = importlib.import_module(".".join(public))
                assert getattr(module, cls.__name__) is cls, cls


def test_featurizer_settings():
    featurizer = build_featurizer(profile_columns(cars_with_missing_values(), "Miles_per_Gallon"))
    assert featurizer.remainder == "drop"
    assert featurizer.sparse_threshold == 0
    assert featurizer.n_jobs is None
    assert featurizer.verbose_feature_names_out is True
    transformers = dict((name, t) for name, t, _ in featurizer.transformers)
    categorical = transformers["categorical"]
    assert isinstance(categorical, Pipeline)
    onehot = categorical.named_steps["onehot"]
    assert isinstance(onehot, OneHotEncoder) and onehot.handle_unknown == "ignore"
    datetime = transformers["datetime_0"]
    encoder = datetime.named_steps["parts"]
    assert (encoder.resolution, encoder.add_weekday, encoder.add_day_of_year) == (
        "year",
        True,
        False,
    )
    assert datetime.named_steps["impute"].keep_empty_features
    # unfitted and cloneable: params round-trip through get_params
    clone(featurizer)


def test_high_cardinality_width_is_bounded():
    n = 500
    df = pd.DataFrame({"code": [f"c{i % 200}" for i in range(n)], "y": range(n)})
    plan, featurizer, out = fit_transform(df, "y")
    assert plan.groups() == {"high_cardinality": ["code"]}
    assert out.shape == (n, 32)
    unseen = featurizer.transform(pd.DataFrame({"code": ["never seen", np.nan]}))
    assert unseen.shape == (2, 32)


def test_group_descriptions():
    cars = pd.read_csv(CARS_CSV)
    plan = profile_columns(cars, "Miles_per_Gallon")
    descriptions = group_descriptions(plan)
    assert list(descriptions) == [name for name, _, _ in build_featurizer(plan).transformers]
    assert descriptions["numeric"].startswith("5 numeric columns (")
    assert "missing-value indicator" in descriptions["numeric"]
    assert descriptions["categorical"].startswith("1 categorical column ('Origin')")
    assert "year, seconds since 1970 and day of week" in descriptions["datetime_0"]
    assert "'Name'" in descriptions["text_0"] and "TF-IDF" in descriptions["text_0"]


def test_plan_without_features_is_rejected():
    plan = FeaturizationPlan(
        columns=(ColumnProfile("a", "float64", "drop", 1.0, 0, "all values missing: dropped"),)
    )
    with pytest.raises(ValueError, match="all values missing"):
        build_featurizer(plan)


# --- dates ----------------------------------------------------------------------------------


def test_dates_parts_and_missing_or_unreadable_values():
    df = pd.DataFrame(
        {
            "when": pd.date_range("2021-03-14 08:00", periods=12, freq="37h").strftime(
                "%Y-%m-%d %H:%M"
            ),
            "y": range(12),
        }
    )
    plan = profile_columns(df, "y")
    assert plan.groups() == {"datetime": ["when"]}
    featurizer = build_featurizer(plan)
    out = featurizer.fit_transform(df)
    names = list(featurizer.get_feature_names_out())
    assert names[:4] == [
        "datetime_0__when_year",
        "datetime_0__when_month",
        "datetime_0__when_day",
        "datetime_0__when_hour",
    ]
    assert out[0, :4].tolist() == [2021, 3, 14, 8]
    # at prediction time a missing or unreadable date is replaced by the most frequent value
    new = pd.DataFrame({"when": ["2022-01-02 03:00", None, "not a date"]})
    transformed = featurizer.transform(new)
    assert transformed[0, :4].tolist() == [2022, 1, 2, 3]
    np.testing.assert_array_equal(transformed[1], transformed[2])
    assert_dense_finite(transformed, 3)


def test_text_of_several_date_formats_is_not_a_date_column():
    dates = ["2021-03-14", "14/03/2021", "March 3, 2021", "2021-04-01"] * 5
    plan = profile_columns(pd.DataFrame({"d": dates, "y": range(20)}), "y")
    assert plan.columns[0].kind != "datetime"  # the model's parser takes one format per column

import ast
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
    normalize_frame,
    profile_columns,
)
from jupyter_automl_codegen.helpers import DatetimeFeatures
from jupyter_automl_codegen.helpers import datetime_features as datetime_features_module

ROOT = Path(__file__).resolve().parents[2]
CARS_CSV = ROOT / "jupyter_automl_codegen" / "datasets" / "cars.csv"


def fit_transform(df, label):
    plan = profile_columns(df, label)
    featurizer = build_featurizer(plan)
    X = normalize_frame(df.drop(columns=[label]), plan)
    return plan, featurizer, featurizer.fit_transform(X)


def assert_dense_finite(array, n_rows):
    assert isinstance(array, np.ndarray)
    assert array.dtype == np.float64
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
    assert names == ["numeric", "categorical", "datetime", "text_0"]
    assert featurizer.named_transformers_["numeric"].add_indicator
    assert len(featurizer.get_feature_names_out()) == out.shape[1]
    # the fitted featurizer survives pickling (np.ravel is a plain importable function)
    restored = pickle.loads(pickle.dumps(featurizer))
    X = normalize_frame(cars.drop(columns=["Miles_per_Gallon"]), plan)
    np.testing.assert_allclose(restored.transform(X), out, rtol=1e-12, atol=1e-12)


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
    transformed = featurizer.transform(normalize_frame(new, plan))
    assert_dense_finite(transformed, 4)
    assert transformed.shape[1] == out.shape[1]
    # unseen "Mars" / "Korea" and missing origin encode as all zeros
    origin = featurizer.named_transformers_["categorical"].transform(
        normalize_frame(new, plan)[["Origin"]]
    )
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
    assert names == ["numeric", "categorical", "high_cardinality", "datetime", "text_0"]
    # rows where everything is missing
    blank = normalize_frame(df.drop(columns=["label"]).iloc[:3].copy(), plan)
    for name in blank.columns:
        blank[name] = np.nan
    blank = normalize_frame(blank, plan)
    transformed = featurizer.transform(blank)
    assert_dense_finite(transformed, 3)
    assert transformed.shape[1] == out.shape[1]


def test_mixed_types_need_normalize_frame():
    df = pd.DataFrame({"mixed": [1, "a", 2.5, None, True] * 8, "y": range(40)})
    plan = profile_columns(df, "y")
    featurizer = build_featurizer(plan)
    # scikit-learn's OneHotEncoder rejects columns mixing numbers/bools and strings ...
    with pytest.raises(TypeError, match="uniformly strings or numbers"):
        clone(featurizer).fit_transform(df[["mixed"]])
    # ... and SimpleImputer rejects bool columns: normalize_frame casts them to str.
    with pytest.raises(ValueError, match="bool"):
        clone(featurizer).fit_transform(pd.DataFrame({"mixed": [True, False] * 20}))
    out = featurizer.fit_transform(normalize_frame(df, plan))
    assert out.shape == (40, 5)  # "1", "2.5", "True", "a", "missing"


def test_numeric_indicator_only_when_training_data_has_missing_values():
    df = pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0) ** 2, "y": range(20)})
    plan, featurizer, out = fit_transform(df, "y")
    numeric = featurizer.transformers[0][1]
    assert isinstance(numeric, SimpleImputer) and not numeric.add_indicator
    assert out.shape == (20, 2)
    # still robust to missing values at prediction time
    X = normalize_frame(pd.DataFrame({"a": [np.nan], "b": [np.nan]}), plan)
    np.testing.assert_allclose(featurizer.transform(X), [[9.5, df["b"].mean()]])


def test_datetime_width_is_stable_when_dates_are_all_missing_in_training():
    dates = pd.date_range("2020-01-01", periods=30, freq="D").astype(str)
    df = pd.DataFrame({"d": dates, "x": np.arange(30.0), "y": range(30)})
    plan = profile_columns(df, "y")
    featurizer = build_featurizer(plan)
    train = df.drop(columns=["y"]).assign(d=np.nan)
    out = featurizer.fit_transform(normalize_frame(train, plan))
    assert out.shape == (30, 1 + len(plan.datetime_parts))
    assert_dense_finite(featurizer.transform(normalize_frame(df.drop(columns=["y"]), plan)), 30)


def test_text_column_is_selected_as_one_column_frame():
    cars = cars_with_missing_values()
    plan = profile_columns(cars, "Miles_per_Gallon")
    featurizer = build_featurizer(plan)
    name, text, columns = featurizer.transformers[-1]
    assert (name, columns) == ("text_0", ["Name"])
    assert [step for step, _ in text.steps] == ["impute", "flatten", "tfidf"]
    X = normalize_frame(cars[["Name"]], plan)
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
    assert names == [
        "numeric",
        "categorical",
        "high_cardinality",
        "datetime",
        "text_0",
        "text_1",
        "text_2",
    ]
    assert_dense_finite(out, len(df))
    assert set(group_descriptions(plan)) == set(names)


def test_only_public_sklearn_classes_and_helpers():
    for df, label in [
        (cars_with_missing_values(), "Miles_per_Gallon"),
        (many_columns_frame(), "y"),
    ]:
        featurizer = build_featurizer(profile_columns(df, label))
        modules = {type(e).__module__ for e in walk_estimators(featurizer)}
        assert modules
        for module in modules:
            assert module.startswith(("sklearn.", "jupyter_automl_codegen.helpers.")), module
        classes = {type(e).__name__ for e in walk_estimators(featurizer)}
        assert {"ColumnTransformer", "Pipeline", "SimpleImputer", "OneHotEncoder"} <= classes
        assert {"DatetimeFeatures", "FeatureUnion", "TfidfVectorizer"} <= classes
        # every sklearn class is public: importable from the module path before any _private part
        for estimator in walk_estimators(featurizer):
            cls = type(estimator)
            if cls.__module__.startswith("sklearn."):
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
    datetime = transformers["datetime"]
    assert datetime.named_steps["parts"].parts == ("year", "dayofweek", "week")
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
    assert "year, day of week and ISO week" in descriptions["datetime"]
    assert "'Name'" in descriptions["text_0"] and "TF-IDF" in descriptions["text_0"]


def test_plan_without_features_is_rejected():
    plan = FeaturizationPlan(
        columns=(ColumnProfile("a", "float64", "drop", 1.0, 0, "all values missing: dropped"),)
    )
    with pytest.raises(ValueError, match="all values missing"):
        build_featurizer(plan)


# --- DatetimeFeatures ---------------------------------------------------------------------


def test_datetime_features_parts_and_missing_values():
    df = pd.DataFrame(
        {
            "s": ["2021-03-14", None, "garbage", "2020-12-31T23:30:15+02:00"],
            "tz": pd.to_datetime(["2021-01-01 05:00", None, "2021-07-04 00:00", "2021-01-01 00:00"])
            .tz_localize("US/Eastern")
            .astype("datetime64[ns, US/Eastern]"),
        }
    )
    parts = ("year", "month", "day", "dayofweek", "dayofyear", "quarter", "week", "hour")
    transformer = DatetimeFeatures(parts=parts)
    out = transformer.fit_transform(df)
    assert out.dtype == np.float64 and out.shape == (4, 16)
    np.testing.assert_array_equal(out[0, :8], [2021, 3, 14, 6, 73, 1, 10, 0])
    assert np.isnan(out[1, :8]).all() and np.isnan(out[2, :8]).all()
    # offsets are converted to UTC: 23:30+02:00 -> 21:30 UTC
    np.testing.assert_array_equal(out[3, :8], [2020, 12, 31, 3, 366, 4, 53, 21])
    # 05:00 US/Eastern -> 10:00 UTC
    np.testing.assert_array_equal(out[0, 8:], [2021, 1, 1, 4, 1, 1, 53, 10])
    assert np.isnan(out[1, 8:]).all()
    assert list(transformer.get_feature_names_out()) == [
        f"{column}_{part}" for column in ("s", "tz") for part in parts
    ]
    np.testing.assert_array_equal(transformer.fit_transform(df.to_numpy()), out)
    assert list(transformer.get_feature_names_out())[:2] == ["x0_year", "x0_month"]


def test_datetime_features_sklearn_conventions():
    transformer = DatetimeFeatures()
    assert transformer.get_params() == {
        "parts": ("year", "month", "day", "dayofweek", "dayofyear", "quarter")
    }
    assert clone(DatetimeFeatures(parts=("minute", "second"))).parts == ("minute", "second")
    df = pd.DataFrame({"d": pd.date_range("2020-01-01", periods=5, freq="h")})
    transformer.fit(df)
    assert transformer.n_features_in_ == 1
    assert list(transformer.feature_names_in_) == ["d"]
    with pytest.raises(ValueError, match="parts"):
        DatetimeFeatures(parts=("year", "century")).fit(df)
    with pytest.raises(ValueError, match="columns"):
        transformer.transform(df.assign(e=df["d"]))
    pandas_out = DatetimeFeatures(parts=("hour",)).set_output(transform="pandas").fit_transform(df)
    assert list(pandas_out.columns) == ["d_hour"]
    assert pandas_out["d_hour"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_datetime_helper_is_standalone():
    source = Path(datetime_features_module.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])
    assert imported <= {"numpy", "pandas", "sklearn"}

"""Specs: exact JSON round trips of every estimator the engine builds, and safe reading."""

from __future__ import annotations

import functools
import json
import math
import sys
import types

import lightgbm
import numpy as np
import pandas as pd
import pytest
import sklearn
import xgboost
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes, load_iris
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import (
    ElasticNet,
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    RobustScaler,
    StandardScaler,
)
from skrub import DatetimeEncoder, ToDatetime

from jupyter_automl_codegen.spec import SpecError, class_path, from_spec, import_class, to_spec

# A module planted inside an allowed package, as a compromised or odd release could ship.
PLANTED = "skrub._spec_test_fake"


def same(a, b) -> bool:
    """Exact structural equality: same types, NaN equal to NaN, estimators by their params."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float | np.floating):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return same(list(a.items()), list(b.items()))
    if isinstance(a, np.ndarray):
        return (
            a.dtype == b.dtype
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if isinstance(a, type) or (callable(a) and not hasattr(a, "get_params")):
        return a is b
    if hasattr(a, "get_params"):
        return same(a.get_params(deep=False), b.get_params(deep=False))
    return bool(a == b)


def check_round_trip(estimator):
    spec = to_spec(estimator)
    text = json.dumps(spec, allow_nan=False)
    assert json.loads(text) == spec
    rebuilt = from_spec(json.loads(text))
    assert rebuilt is not estimator
    assert to_spec(rebuilt) == spec
    assert same(rebuilt.get_params(deep=False), estimator.get_params(deep=False))
    return spec, rebuilt


# --- every estimator and transformer the engine can produce ------------------------------------


def numeric_pipeline():
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="mean", add_indicator=True)),
            ("scale", StandardScaler()),
        ]
    )


def categorical_pipeline():
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
            (
                "onehot",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    max_categories=32,
                    sparse_output=False,
                    dtype=np.float64,
                ),
            ),
        ]
    )


def text_union():
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2))),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3))),
        ]
    )


def preprocessor(numeric, categorical, text):
    return ColumnTransformer(
        [
            ("num", numeric_pipeline(), numeric),
            ("cat", categorical_pipeline(), categorical),
            ("text", text_union(), text),
        ],
        remainder="drop",
        sparse_threshold=0,
    )


def scaled(model, scaler=None):
    return Pipeline([("scale", scaler or StandardScaler()), ("model", model)])


ESTIMATORS = {
    "logistic": LogisticRegression(C=0.5, class_weight="balanced", max_iter=1000, random_state=0),
    "logistic_elasticnet": LogisticRegression(
        penalty="elasticnet", solver="saga", l1_ratio=0.3, max_iter=1000, random_state=0
    ),
    "sgd_classifier": SGDClassifier(
        loss="modified_huber", penalty="elasticnet", l1_ratio=0.15, random_state=1
    ),
    "sgd_regressor": SGDRegressor(loss="huber", alpha=1e-5, random_state=1),
    "ridge": Ridge(alpha=np.float64(0.25), random_state=3),
    "elastic_net": ElasticNet(alpha=1e-3, l1_ratio=np.float32(0.5), max_iter=5000),
    "linear_regression": LinearRegression(),
    "random_forest_classifier": RandomForestClassifier(
        n_estimators=np.int64(16), max_features=0.5, criterion="entropy", n_jobs=1, random_state=0
    ),
    "random_forest_regressor": RandomForestRegressor(n_estimators=16, max_features=None),
    "extra_trees_classifier": ExtraTreesClassifier(
        n_estimators=8, class_weight={0: 1.0, 1: np.float64(2.5)}, random_state=0
    ),
    "extra_trees_regressor": ExtraTreesRegressor(n_estimators=8, min_samples_leaf=3),
    "hgb_classifier": HistGradientBoostingClassifier(
        max_iter=10, max_leaf_nodes=4, early_stopping=False, random_state=0
    ),
    "hgb_regressor": HistGradientBoostingRegressor(
        categorical_features=np.array([True, False, False]), l2_regularization=1e-6
    ),
    "lgbm_classifier": lightgbm.LGBMClassifier(
        n_estimators=4, num_leaves=4, random_state=0, n_jobs=1, verbose=-1
    ),
    "lgbm_regressor": lightgbm.LGBMRegressor(reg_alpha=1e-3, class_weight=None, verbose=-1),
    "xgb_classifier": xgboost.XGBClassifier(
        n_estimators=4,
        max_leaves=4,
        tree_method="hist",
        grow_policy="lossguide",
        max_depth=0,
        missing=np.nan,
        random_state=0,
    ),
    "xgb_regressor": xgboost.XGBRegressor(n_estimators=4, subsample=np.float64(0.8), n_jobs=1),
    "knn_classifier": KNeighborsClassifier(n_neighbors=7, weights="distance"),
    "knn_regressor": KNeighborsRegressor(n_neighbors=np.int32(3)),
    "standard_scaler": StandardScaler(with_mean=np.bool_(False)),
    "min_max_scaler": MinMaxScaler(feature_range=(-1, 1)),
    "max_abs_scaler": MaxAbsScaler(),
    "robust_scaler": RobustScaler(quantile_range=(10.0, 90.0)),
    "imputer_mean": SimpleImputer(strategy="mean", add_indicator=True),
    "imputer_constant": SimpleImputer(strategy="constant", fill_value="missing"),
    "imputer_empty": SimpleImputer(strategy="constant", fill_value=""),
    "imputer_nan": SimpleImputer(missing_values=np.nan, strategy="median"),
    "imputer_inf": SimpleImputer(missing_values=-np.inf, fill_value=np.inf, strategy="constant"),
    "onehot": OneHotEncoder(
        handle_unknown="infrequent_if_exist",
        max_categories=32,
        sparse_output=False,
        dtype=np.float64,
    ),
    "onehot_dtype_instance": OneHotEncoder(dtype=np.dtype("float32")),
    "onehot_builtin_float": OneHotEncoder(dtype=float),
    "function_ravel": FunctionTransformer(func=np.ravel),
    "function_ufuncs": FunctionTransformer(func=np.log1p, inverse_func=np.expm1),
    "function_kw_args": FunctionTransformer(
        func=np.clip, kw_args={"a_min": np.float64(0.0), "a_max": (1, 2.5), 3: [None, True]}
    ),
    "tfidf_words": TfidfVectorizer(ngram_range=(1, 2)),
    "tfidf_chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3)),
    "feature_union": text_union(),
    "column_transformer": preprocessor(["a", "b"], ["c"], "text"),
    "column_transformer_passthrough": ColumnTransformer(
        [("num", "passthrough", [0, 1]), ("other", "drop", [2])], remainder=StandardScaler()
    ),
    "pipeline": Pipeline(
        [
            ("preprocess", preprocessor(["a", "b"], ["c"], "text")),
            ("model", lightgbm.LGBMClassifier(n_estimators=4, verbose=-1)),
        ]
    ),
    "voting": VotingClassifier(
        [
            ("logistic", scaled(LogisticRegression(max_iter=1000), MinMaxScaler())),
            ("forest", Pipeline([("model", RandomForestClassifier(n_estimators=8))])),
            ("off", "drop"),
        ],
        voting="soft",
        weights=[2.0, 1.0, 0.5],
    ),
    "stacking_classifier": StackingClassifier(
        [
            ("knn", scaled(KNeighborsClassifier(), RobustScaler())),
            ("xgb", xgboost.XGBClassifier(n_estimators=4)),
        ],
        final_estimator=LogisticRegression(C=2.0),
        cv=3,
    ),
    "stacking_regressor": StackingRegressor(
        [("ridge", scaled(Ridge())), ("trees", ExtraTreesRegressor(n_estimators=4)), ("x", "drop")],
        final_estimator=Ridge(alpha=0.1),
        passthrough=True,
    ),
}


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_round_trip(name):
    check_round_trip(ESTIMATORS[name])


def test_spec_format_is_plain_and_readable():
    spec = to_spec(ESTIMATORS["pipeline"])
    assert spec["class"] == "sklearn.pipeline.Pipeline"
    step_name, column_transformer = spec["params"]["steps"][0]["__tuple__"]
    assert step_name == "preprocess"
    assert column_transformer["class"] == "sklearn.compose.ColumnTransformer"
    num, cat, text = column_transformer["params"]["transformers"]
    assert num["__tuple__"][2] == ["a", "b"]
    assert text["__tuple__"][2] == "text"
    onehot = cat["__tuple__"][1]["params"]["steps"][1]["__tuple__"][1]
    assert onehot["params"]["dtype"] == {"__type__": "numpy.float64"}
    assert spec["params"]["steps"][1]["__tuple__"][1]["class"] == "lightgbm.LGBMClassifier"

    assert to_spec(SimpleImputer())["params"]["missing_values"] == {"__float__": "nan"}
    assert to_spec(FunctionTransformer(np.ravel))["params"]["func"] == {
        "__callable__": "numpy.ravel"
    }
    assert to_spec(Ridge(alpha=np.float32(0.5)))["params"]["alpha"] == {
        "__numpy__": "float32",
        "value": 0.5,
    }
    assert to_spec(OneHotEncoder(dtype=np.dtype("int8")))["params"]["dtype"] == {
        "__dtype__": "int8"
    }
    kw_args = to_spec(FunctionTransformer(kw_args={1: (2,)}))["params"]["kw_args"]
    assert kw_args == {"__dict__": [[1, {"__tuple__": [2]}]]}
    hgb = to_spec(HistGradientBoostingRegressor(categorical_features=np.array([[1.5, -np.inf]])))
    assert hgb["params"]["categorical_features"] == {
        "__ndarray__": [[1.5, {"__float__": "-inf"}]],
        "dtype": "float64",
    }


def test_numpy_values_keep_their_types():
    values = [
        np.float64(0.1),
        np.float32(0.1),
        np.float16(-0.0),
        np.int8(-3),
        np.uint64(2**64 - 1),
        np.bool_(True),
        np.float64("nan"),
        np.float32("-inf"),
        np.zeros((2, 3), dtype=np.float32),
        np.array([1, 2], dtype=np.uint8),
        np.array(np.nan),
        np.array([True, False]),
        np.dtype("int64"),
    ]
    for value in values:
        spec, rebuilt = check_round_trip(FunctionTransformer(kw_args={"v": value}))
        assert same(rebuilt.kw_args["v"], value), value


def test_class_paths_are_public():
    assert class_path(LogisticRegression) == "sklearn.linear_model.LogisticRegression"
    assert class_path(HistGradientBoostingClassifier) == (
        "sklearn.ensemble.HistGradientBoostingClassifier"
    )
    assert class_path(TfidfVectorizer) == "sklearn.feature_extraction.text.TfidfVectorizer"
    assert class_path(lightgbm.LGBMClassifier) == "lightgbm.LGBMClassifier"
    assert class_path(xgboost.XGBRegressor) == "xgboost.XGBRegressor"
    assert class_path(np.float64) == "numpy.float64"
    assert class_path(float) == "builtins.float"
    for cls in (LogisticRegression, xgboost.XGBRegressor, np.float64, float):
        assert import_class(class_path(cls)) is cls


# --- fitted behaviour ---------------------------------------------------------------------------


def iris_frame():
    data = load_iris(as_frame=True)
    frame = data.data.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    frame.iloc[::7, 0] = np.nan
    petal = frame["petal_length"]
    frame["size"] = pd.cut(petal, [0, 2, 5, 10], labels=["small", "medium", "large"]).astype(str)
    frame.loc[::11, "size"] = np.nan
    frame["text"] = [
        f"petal {p:.0f} sepal {s:.0f}" for p, s in zip(petal, frame["sepal_width"], strict=True)
    ]
    return frame, data.target


def test_fitted_pipelines_from_one_spec_predict_identically():
    X, y = iris_frame()
    numeric = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    original = Pipeline(
        [
            ("preprocess", preprocessor(numeric, ["size"], "text")),
            (
                "model",
                VotingClassifier(
                    [
                        ("logistic", LogisticRegression(C=np.float64(0.5), max_iter=1000)),
                        ("lgbm", lightgbm.LGBMClassifier(n_estimators=5, n_jobs=1, verbose=-1)),
                        ("xgb", xgboost.XGBClassifier(n_estimators=5, n_jobs=1, random_state=0)),
                        ("hgb", HistGradientBoostingClassifier(max_iter=5, random_state=0)),
                    ],
                    voting="soft",
                    weights=[1.0, 2.0, 1.0, 1.0],
                ),
            ),
        ]
    )
    spec = json.loads(json.dumps(to_spec(original)))
    predictions = [
        model.fit(X, y).predict_proba(X) for model in (original, from_spec(spec), from_spec(spec))
    ]
    assert np.array_equal(predictions[0], predictions[1])
    assert np.array_equal(predictions[1], predictions[2])


def test_fitted_stacking_regressors_from_one_spec_predict_identically():
    X, y = load_diabetes(return_X_y=True)
    spec = to_spec(ESTIMATORS["stacking_regressor"].set_params(trees__random_state=0))
    first, second = from_spec(spec).fit(X, y), from_spec(spec).fit(X, y)
    assert np.array_equal(first.predict(X), second.predict(X))


def test_fitting_leaves_the_spec_alone_except_xgboost_objective():
    X, y = load_iris(return_X_y=True)
    for name in ("pipeline_numeric", "lgbm_classifier", "hgb_classifier", "stacking_classifier"):
        estimator = clone(ESTIMATORS.get(name, scaled(LogisticRegression())))
        before = to_spec(estimator)
        assert to_spec(estimator.fit(X, y)) == before, name
    # XGBClassifier.fit rewrites `objective` ('binary:logistic' -> 'multi:softprob' on three
    # classes): specs must be taken before fitting.
    xgb = xgboost.XGBClassifier(n_estimators=2, n_jobs=1)
    before = to_spec(xgb)["params"]
    after = to_spec(xgb.fit(X, y))["params"]
    assert {k for k in before if before[k] != after[k]} <= {"objective"}


# --- errors -------------------------------------------------------------------------------------


def module_function(x):
    return x


def test_values_without_exact_representation_are_refused():
    def local(x):
        return x

    cases = {
        "func": FunctionTransformer(func=lambda x: x),
        "func ": FunctionTransformer(func=local),
        "func  ": FunctionTransformer(func=functools.partial(np.clip, a_min=0)),
        "func   ": FunctionTransformer(func=[].append),
        "func    ": FunctionTransformer(func=np.random.RandomState(0).normal),
        "func     ": FunctionTransformer(func=module_function),  # not in the allowlist
        "kw_args['a']": FunctionTransformer(kw_args={"a": np.array(["x"], dtype=object)}),
        "kw_args['b']": FunctionTransformer(kw_args={"b": np.zeros((0, 3))}),
        "kw_args['c']": FunctionTransformer(kw_args={"c": np.longdouble(1) / 3}),
        "kw_args['d']": FunctionTransformer(kw_args={"d": 1j}),
        "kw_args['e']": FunctionTransformer(kw_args={"e": {1, 2}}),
        "kw_args['f']": FunctionTransformer(kw_args={"f": np.str_("x")}),
        "random_state": Ridge(random_state=np.random.RandomState(0)),
        "steps[1].model.random_state": scaled(Ridge(random_state=np.random.default_rng(0))),
        "estimators[0].lr.steps[1].model.random_state": VotingClassifier(
            [("lr", scaled(LogisticRegression(random_state=np.random.RandomState(1))))]
        ),
    }
    for path, estimator in cases.items():
        with pytest.raises(SpecError, match=f"parameter '{path.strip()}'".replace("[", r"\[")):
            to_spec(estimator)


def test_configuration_outside_parameters_is_refused():
    scaler = StandardScaler().set_output(transform="pandas")
    with pytest.raises(SpecError, match=r"parameter 'steps\[0\].scale'.*set_output"):
        to_spec(Pipeline([("scale", scaler)]))
    with sklearn.config_context(enable_metadata_routing=True):
        weighted = Ridge().set_fit_request(sample_weight=True)
    with pytest.raises(SpecError, match="set_\\*_request"):
        to_spec(weighted)


def test_self_containing_values_are_refused():
    loop = []
    loop.append(loop)
    with pytest.raises(SpecError, match="contains itself"):
        to_spec(FunctionTransformer(kw_args={"loop": loop}))


def test_class_outside_allowlist_is_refused():
    class Local(Ridge):
        pass

    with pytest.raises(SpecError, match="Local"):
        to_spec(Local())
    with pytest.raises(SpecError, match="not importable"):
        class_path(SpecError)


@pytest.mark.parametrize(
    "path",
    [
        "os.system",
        "subprocess.Popen",
        "builtins.eval",
        "builtins.__import__",
        "jupyter_automl_codegen.spec.SpecError",
        "pandas.eval",
        "pandas.read_pickle",
        "pandas.DataFrame.eval",
        "pandas.DataFrame.to_pickle",
        "skrubX.Thing",
        "numpy.f2py.__main__.main",
        "sklearn..Ridge",
        "sklearn",
        "",
        "sklearn.linear_model.NoSuchModel",
        "sklearn.no_such_module.Ridge",
    ],
)
def test_specs_naming_disallowed_or_missing_objects_are_refused(path):
    with pytest.raises(SpecError, match="at the top level"):
        from_spec({"class": path, "params": {}})
    nested = scaled(Ridge())
    spec = to_spec(nested)
    spec["params"]["steps"][1]["__tuple__"][1]["class"] = path
    with pytest.raises(SpecError, match=r"parameter 'steps\[1\].model'"):
        from_spec(spec)
    for tag in ("__type__", "__callable__"):
        spec = to_spec(FunctionTransformer())
        spec["params"]["kw_args"] = {"__dict__": [["x", {tag: path}]]}
        with pytest.raises(SpecError, match=r"parameter 'kw_args\['x'\]'"):
            from_spec(spec)
    with pytest.raises(SpecError):
        import_class(path)


def test_reading_a_spec_never_imports_modules_outside_the_allowlist(tmp_path, monkeypatch):
    (tmp_path / "spec_test_side_effect.py").write_text("class Model:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(SpecError, match="not allowed"):
        from_spec({"class": "spec_test_side_effect.Model", "params": {}})
    assert "spec_test_side_effect" not in sys.modules


def test_allowed_modules_cannot_smuggle_foreign_objects(monkeypatch):
    fake = types.ModuleType(PLANTED)
    fake.system = __import__("os").system
    monkeypatch.setitem(sys.modules, PLANTED, fake)
    spec = {"class": "sklearn.preprocessing.FunctionTransformer", "params": {}}
    spec["params"]["func"] = {"__callable__": f"{PLANTED}.system"}
    with pytest.raises(SpecError, match="parameter 'func'"):
        from_spec(spec)
    spec["params"]["func"] = {"__callable__": "sklearn.linear_model.Ridge"}
    with pytest.raises(SpecError, match="not a function"):
        from_spec(spec)
    spec["params"]["func"] = {"__type__": "numpy.ravel"}
    with pytest.raises(SpecError, match="not a class"):
        from_spec(spec)
    with pytest.raises(SpecError, match="not a class"):
        import_class("numpy.ravel")
    with pytest.raises(SpecError, match="not an estimator"):
        from_spec({"class": "numpy.float64", "params": {}})


def test_classes_of_allowed_packages_are_round_trip_checked(monkeypatch):
    fake = types.ModuleType(PLANTED)

    class Clip(FunctionTransformer):
        def __init__(self, low=0.0, high=(1.0,)):
            self.low = low
            self.high = high

    class Lossy(Clip):
        def __init__(self, low=0.0, high=(1.0,)):
            self.low = low
            self.high = [high]  # breaks the sklearn convention: not stored as given

    for cls in (Clip, Lossy):
        cls.__module__ = PLANTED
        cls.__qualname__ = cls.__name__
        setattr(fake, cls.__name__, cls)
    monkeypatch.setitem(sys.modules, PLANTED, fake)

    spec, _ = check_round_trip(Clip(low=np.float32(-1), high=(2.0, np.nan)))
    assert spec["class"] == f"{PLANTED}.Clip"
    with pytest.raises(SpecError, match="round trip.*'high'"):
        to_spec(Lossy())
    assert to_spec(Lossy(), check=False)["params"]["high"] == [{"__tuple__": [1.0]}]


def test_the_column_casts_and_skrub_dates_round_trip():
    """What the featurizer writes: ``pandas.DataFrame`` methods as callables (only the
    allowed ones) and skrub's date transformers."""
    cast = FunctionTransformer(
        pd.DataFrame.astype, kw_args={"dtype": "string"}, feature_names_out="one-to-one"
    )
    fill = FunctionTransformer(pd.DataFrame.fillna, kw_args={"value": "missing"})
    for transformer in (cast, fill):
        spec, _ = check_round_trip(transformer)
        assert spec["params"]["func"]["__callable__"].startswith("pandas.DataFrame.")
    dates = Pipeline([("parse", ToDatetime()), ("parts", DatetimeEncoder(resolution="day"))])
    spec, _ = check_round_trip(dates)
    assert spec["params"]["steps"][0]["__tuple__"][1]["class"] == "skrub.ToDatetime"
    with pytest.raises(SpecError, match="pandas.DataFrame methods astype, fillna"):
        to_spec(FunctionTransformer(pd.DataFrame.eval))


def test_unknown_parameters_and_keys_are_refused():
    with pytest.raises(SpecError, match=r"Unknown parameters \['alphaa'\].*the top level"):
        from_spec({"class": "sklearn.linear_model.Ridge", "params": {"alphaa": 1.0}})
    spec = to_spec(scaled(Ridge()))
    spec["params"]["steps"][1]["__tuple__"][1]["params"]["alphaa"] = 1.0
    with pytest.raises(SpecError, match=r"'alphaa'.*parameter 'steps\[1\].model'"):
        from_spec(spec)

    ridge = to_spec(Ridge())
    bad_specs = {
        "'fitted'": {**ridge, "fitted": True},
        "'params'": {"class": "sklearn.linear_model.Ridge"},
        "'extra'": {**ridge, "params": {"alpha": {"__float__": "nan", "extra": 1}}},
        "'alpah'": {**ridge, "params": {"alpha": {"alpah": 1}}},
        "bare float": {**ridge, "params": {"alpha": math.inf}},
        "'float64x'": {**ridge, "params": {"alpha": {"__numpy__": "float64x", "value": 1}}},
        "'object'": {**ridge, "params": {"alpha": {"__ndarray__": [1], "dtype": "object"}}},
        "must be numbers": {
            **ridge,
            "params": {"alpha": {"__ndarray__": [None], "dtype": "float64"}},
        },
        "__float__": {**ridge, "params": {"alpha": {"__float__": "NaN"}}},
        "__dict__": {**ridge, "params": {"alpha": {"__dict__": [[[1], 2]]}}},
        "__numpy__": {**ridge, "params": {"alpha": {"__numpy__": "int8", "value": 300}}},
        "tuple": {**ridge, "params": {"alpha": (1, 2)}},
    }
    for message, spec in bad_specs.items():
        with pytest.raises(SpecError, match=message):
            from_spec(spec)
    with pytest.raises(SpecError, match="dict with the keys"):
        from_spec(["sklearn.linear_model.Ridge"])


def test_open_ended_estimators_accept_their_extra_parameters():
    # LightGBM and XGBoost take **kwargs and report them back from get_params.
    spec, rebuilt = check_round_trip(lightgbm.LGBMRegressor(verbose=-1, min_data_in_bin=5))
    assert rebuilt.get_params()["min_data_in_bin"] == 5
    spec, rebuilt = check_round_trip(xgboost.XGBRegressor(max_cat_threshold=8, eta=0.5))
    assert rebuilt.get_params()["eta"] == 0.5


def test_to_spec_requires_an_estimator_instance():
    for value in (Ridge, {"alpha": 1.0}, None):
        with pytest.raises(SpecError, match="estimator instance"):
            to_spec(value)


# --- property: any JSON-like python value round-trips exactly ---------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
keys = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3).map(tuple), max_leaves=6)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=24,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_json_like_value_round_trips_exactly(value):
    spec, rebuilt = check_round_trip(FunctionTransformer(kw_args=value))
    assert same(rebuilt.kw_args, value)

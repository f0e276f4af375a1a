import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from palmerpenguins import load_penguins

from jupyter_automl_codegen.automl.profiling import (
    ColumnProfile,
    FeaturizationPlan,
    profile_columns,
)

CARS_CSV = Path(__file__).resolve().parents[2] / "jupyter_automl_codegen" / "datasets" / "cars.csv"
N_ROWS = 40


def kinds(plan):
    return {column.name: column.kind for column in plan.columns}


def reasons(plan):
    return {column.name: column.reason for column in plan.columns}


def edge_frame():
    rng = np.random.default_rng(0)
    n = N_ROWS
    iso_dates = pd.date_range("2021-01-01", periods=n, freq="7D").strftime("%Y-%m-%d").tolist()
    iso_dates[3] = None
    iso_dates[10] = None
    words = ["red", "green", "blue", "quick", "brown", "fox", "lazy", "dog", "jumps", "over"]
    return pd.DataFrame(
        {
            "all_missing": [np.nan] * n,
            "constant": ["same"] * n,
            "int_id": np.arange(1000, 1000 + n),
            "str_id": [f"ID-{i:05d}" for i in range(n)],
            "iso_dates": iso_dates,
            "tz_dates": pd.date_range("2022-03-01 08:00", periods=n, freq="5h", tz="US/Eastern"),
            "bool_nan": [True, False, np.nan, True] * (n // 4),
            "bool": [True, False] * (n // 2),
            "high_card": [f"cat{i % 35}" for i in range(n)],
            "free_text": [
                " ".join(rng.choice(words, size=int(rng.integers(3, 8)))) for _ in range(n)
            ],
            "mixed": [1, "a", 2.5, None, "b"] * (n // 5),
            "few_labels": ["very good", "not good at all", "ok"] * (n // 3) + ["ok"] * (n % 3),
            "unique_floats": np.arange(n, dtype=float),
            "int_with_gaps": np.arange(n) * 3,
            "numeric_missing": [np.nan if i % 7 == 0 else float(i) for i in range(n)],
            "category": pd.Categorical(["x", "y", None, "z"] * (n // 4)),
            "label": rng.integers(0, 2, size=n),
        }
    )


def test_penguins_kinds_and_reasons():
    plan = profile_columns(load_penguins(), "species")
    assert kinds(plan) == {
        "island": "categorical",
        "bill_length_mm": "numeric",
        "bill_depth_mm": "numeric",
        "flipper_length_mm": "numeric",
        "body_mass_g": "numeric",
        "sex": "categorical",
        "year": "numeric",
    }
    why = reasons(plan)
    assert why["island"] == "3 distinct values: one-hot encoded"
    assert why["sex"] == "2 distinct values, 3% missing: one-hot encoded"
    assert "numeric" in why["bill_length_mm"] and "<1% missing" in why["bill_length_mm"]
    assert plan.datetime_parts == ()
    sex = next(c for c in plan.columns if c.name == "sex")
    assert sex.n_unique == 2
    assert sex.missing_ratio == pytest.approx(11 / 344)
    assert plan.groups() == {
        "categorical": ["island", "sex"],
        "numeric": ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"],
    }


def test_cars_kinds_and_datetime_parts():
    plan = profile_columns(pd.read_csv(CARS_CSV), "Miles_per_Gallon")
    assert kinds(plan) == {
        "Name": "text",
        "Cylinders": "numeric",
        "Displacement": "numeric",
        "Horsepower": "numeric",
        "Weight_in_lbs": "numeric",
        "Acceleration": "numeric",
        "Year": "datetime",
        "Origin": "categorical",
    }
    why = reasons(plan)
    assert why["Name"].startswith("free text (311 distinct values")
    assert "dates" in why["Year"] and "calendar parts" in why["Year"]
    assert why["Origin"] == "3 distinct values: one-hot encoded"
    # Years stored as "YYYY-01-01": month/day/dayofyear/quarter/time parts never vary.
    assert plan.datetime_parts == ("year", "dayofweek")
    assert "Miles_per_Gallon" not in plan.feature_columns


def test_edge_frame_kinds():
    plan = profile_columns(edge_frame(), "label")
    assert kinds(plan) == {
        "all_missing": "drop",
        "constant": "drop",
        "int_id": "drop",
        "str_id": "drop",
        "iso_dates": "datetime",
        "tz_dates": "datetime",
        "bool_nan": "categorical",
        "bool": "categorical",
        "high_card": "high_cardinality",
        "free_text": "text",
        "mixed": "categorical",
        "few_labels": "categorical",
        "unique_floats": "numeric",
        "int_with_gaps": "numeric",
        "numeric_missing": "numeric",
        "category": "categorical",
    }
    why = reasons(plan)
    assert why["all_missing"] == "all values missing: dropped"
    assert why["constant"] == "constant (single value 'same'): dropped"
    assert "row identifier" in why["int_id"]
    assert "identifier" in why["str_id"]
    assert "5% missing" in why["iso_dates"]
    assert "UTC" in why["tz_dates"]
    assert "boolean" in why["bool_nan"]
    assert why["high_card"].startswith("35 distinct values (more than 32): one-hot encoded")
    assert (
        why["mixed"] == "4 distinct values, 20% missing, mixed value types compared as text: "
        "one-hot encoded"
    )
    assert why["free_text"].startswith("free text")
    assert all(why[name].endswith("dropped") for name in plan.dropped_columns)
    assert plan.dropped_columns == ("all_missing", "constant", "int_id", "str_id")
    assert "label" not in plan.feature_columns
    # Both date columns stay within one year; tz_dates steps by 5 hours, so the hour varies
    # but minute/second never do.
    assert plan.datetime_parts == (
        "month",
        "day",
        "dayofweek",
        "dayofyear",
        "hour",
    )
    groups = plan.groups()
    assert "drop" not in groups
    assert list(groups) == ["datetime", "categorical", "high_cardinality", "text", "numeric"]
    assert groups["datetime"] == ["iso_dates", "tz_dates"]


def test_profile_values_are_plain_python():
    plan = profile_columns(edge_frame(), "label")
    for column in plan.columns:
        assert type(column.missing_ratio) is float
        assert type(column.n_unique) is int
        assert type(column.dtype) is str
        assert 0.0 <= column.missing_ratio <= 1.0
        assert column.reason


def test_small_frames_are_not_identifiers():
    df = pd.DataFrame({"a": ["x", "y", "z"], "b": [1, 2, 3], "y": [0, 1, 0]})
    assert kinds(profile_columns(df, "y")) == {"a": "categorical", "b": "numeric"}


def test_string_ids_with_spaces_are_not_identifiers():
    df = pd.DataFrame({"name": [f"item number {i}" for i in range(50)], "y": range(50)})
    assert kinds(profile_columns(df, "y")) == {"name": "text"}


def test_high_cardinality_tokens_stay_categorical_like():
    df = pd.DataFrame({"city": [f"city_{i % 60}" for i in range(300)], "y": range(300)})
    assert kinds(profile_columns(df, "y")) == {"city": "high_cardinality"}


def test_date_only_parts_and_time_parts():
    # 60 days from 2020-01-01: year and quarter never change.
    dates = pd.DataFrame(
        {"d": pd.date_range("2020-01-01", periods=60, freq="D").astype(str), "y": range(60)}
    )
    assert profile_columns(dates, "y").datetime_parts == (
        "month",
        "day",
        "dayofweek",
        "dayofyear",
    )
    times = pd.DataFrame({"t": pd.date_range("2020-01-01", periods=30, freq="37s"), "y": range(30)})
    assert profile_columns(times, "y").datetime_parts == ("minute", "second")


def test_mostly_non_dates_are_not_datetime():
    values = ["2020-01-01"] * 90 + ["hello"] * 10
    df = pd.DataFrame({"d": values, "y": range(100)})
    assert kinds(profile_columns(df, "y")) == {"d": "categorical"}


def test_decimal_strings_are_not_dates():
    df = pd.DataFrame({"d": [f"{1000 + i}.{i % 10}" for i in range(50)], "y": range(50)})
    assert kinds(profile_columns(df, "y"))["d"] != "datetime"


def test_other_date_formats_one_format_per_column():
    df = pd.DataFrame(
        {
            "slash": ["01/31/2020", "02/15/2021", "12/01/2019"] * 5,
            "words": ["Jan 5, 2020", "Mar 3, 2021", "Dec 24, 2019"] * 5,
            "stamps": ["2020-01-01T10:00:00Z", "2021-06-01T12:30:00Z", "2019-02-03T00:00:00Z"] * 5,
            # the model parses dates with one format per column (skrub's ToDatetime), so
            # formats mixed inside a column are not dates
            "mixed_words": ["Jan 5, 2020", "March 3, 2021", "Dec 24, 2019"] * 5,
            "mixed_stamps": ["2020-01-01T10:00:00Z", "2021-06-01 12:30:00+02:00", "2019-02-03"] * 5,
            "y": range(15),
        }
    )
    assert kinds(profile_columns(df, "y")) == {
        "slash": "datetime",
        "words": "datetime",
        "stamps": "datetime",
        "mixed_words": "categorical",
        "mixed_stamps": "categorical",
    }


def test_unsupported_dtype_is_dropped():
    df = pd.DataFrame({"delta": pd.to_timedelta(np.arange(20), unit="D"), "y": range(20)})
    plan = profile_columns(df, "y")
    assert kinds(plan) == {"delta": "drop"}
    assert "unsupported dtype" in plan.columns[0].reason


def test_plan_round_trip():
    for df, label in [(load_penguins(), "species"), (edge_frame(), "label")]:
        plan = profile_columns(df, label)
        data = plan.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert FeaturizationPlan.from_dict(json.loads(json.dumps(data))) == plan
        assert FeaturizationPlan.from_dict(data).to_dict() == data


def test_plan_validation_errors():
    with pytest.raises(ValueError, match="Unknown column kind"):
        ColumnProfile("a", "int64", "weird", 0.0, 1, "?")
    df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    with pytest.raises(ValueError, match="Label column 'c'"):
        profile_columns(df, "c")
    with pytest.raises(ValueError, match="must be strings"):
        profile_columns(pd.DataFrame({0: [1, 2], "y": [1, 2]}), "y")
    with pytest.raises(ValueError, match="unique"):
        profile_columns(pd.DataFrame([[1, 2, 3]], columns=["a", "a", "y"]), "y")


def test_profile_is_deterministic():
    df = edge_frame()
    assert profile_columns(df, "label") == profile_columns(df.copy(), "label")

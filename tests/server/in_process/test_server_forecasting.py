"""A forecasting experiment through the REST API: it lists and opens like any, and its run
detail carries the forecasting featurization, valid against the OpenAPI document."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from jupyter_automl_codegen.server.openapi import openapi_document

from .conftest import call, server_config

FEATURIZATION_FIELDS = {
    "target",
    "time_column",
    "series_id_columns",
    "frequency",
    "horizon",
    "season_length",
    "scope",
    "lags",
    "rolling_windows",
    "calendar_features",
    "target_transforms",
    "known_features",
    "known_features_used",
    "known_features_ignored",
}


@pytest.fixture
def jp_server_config(forecasting_experiment):
    return server_config(forecasting_experiment["root"])


def _json_schema(document: dict, name: str) -> dict:
    """The OpenAPI 3.0 component ``name`` as JSON Schema: ``nullable`` becomes a null type,
    references point into the document's components."""

    def convert(node):
        if isinstance(node, list):
            return [convert(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: convert(value) for key, value in node.items()}
        if "$ref" in node:
            node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/$defs/")
        if node.pop("nullable", False):
            return {"anyOf": [node, {"type": "null"}]}
        return node

    schemas = convert(copy.deepcopy(document["components"]["schemas"]))
    return {"$defs": schemas, "$ref": f"#/$defs/{name}"}


async def test_a_forecasting_experiment_lists_with_its_best_run_and_code(jp_fetch):
    status, reply = await call(jp_fetch, "GET", "experiments")
    assert status == 200
    (item,) = reply["items"]
    assert item["task"] == "forecasting"
    assert item["primary_metric"] == "normalized_root_mean_squared_error"
    assert item["best_run"]["primary_metric"]["greater_is_better"] is False
    status, runs = await call(jp_fetch, "GET", f"experiments/{item['id']}/runs")
    assert status == 200
    assert {run["algorithm"] for run in runs["items"]} == {
        "SeasonalNaive",
        "AutoETS",
        "Ridge",
        "AutoARIMA",
    }
    status, code = await call(jp_fetch, "GET", f"runs/{item['best_run']['id']}/code")
    assert status == 200


async def test_run_detail_shows_the_forecasting_featurization(jp_fetch, forecasting_experiment):
    store = forecasting_experiment["store"]
    children = {c.algorithm: c for c in forecasting_experiment["run"].get_children()}
    schema = _json_schema(openapi_document("/", page_size=50, max_page_size=500), "RunDetail")
    details = {}
    for algorithm, child in children.items():
        status, reply = await call(jp_fetch, "GET", f"runs/{child.id}")
        assert status == 200
        jsonschema.validate(reply, schema)  # closed schemas: every field documented
        details[algorithm] = reply["featurization"]
    ridge = details["Ridge"]["forecasting"]
    assert set(ridge) == FEATURIZATION_FIELDS
    assert ridge == store.get_run(children["Ridge"].id).properties["featurization"]
    assert ridge["scope"] == "global"
    assert (ridge["frequency"], ridge["horizon"], ridge["season_length"]) == ("D", 7, 7)
    assert ridge["series_id_columns"] == ["kind"] and ridge["time_column"] == "date"
    assert ridge["lags"] == [1, 2, 3, 7]
    assert ridge["rolling_windows"] == [{"statistic": "mean", "window": 7, "lag": 1}]
    assert ridge["calendar_features"] == ["dayofweek", "dayofyear"]
    assert ridge["known_features_used"] == ["precipitation"]
    assert details["Ridge"]["columns"] is None
    assert "lags" in details["Ridge"]["descriptions"]
    assert details["Ridge"]["validation"].startswith("rolling origin: 3 folds")
    arima, ets = details["AutoARIMA"]["forecasting"], details["AutoETS"]["forecasting"]
    assert arima["scope"] == ets["scope"] == "per_series"
    assert arima["lags"] == [] and arima["season_length"] == 7
    assert arima["known_features_used"] == ["precipitation"]
    assert ets["known_features_ignored"] == ["precipitation"] and ets["known_features_used"] == []
    assert "ignored" in details["AutoETS"]["descriptions"]["known features"]
    # a parent run has no forecaster: no featurization of its own, and still valid
    parent_id = forecasting_experiment["run"].id
    status, reply = await call(jp_fetch, "GET", f"runs/{parent_id}")
    assert status == 200
    jsonschema.validate(reply, schema)
    assert reply["featurization"]["forecasting"] is None

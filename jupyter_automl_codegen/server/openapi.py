"""The OpenAPI 3 document of the API, written by hand.

Response schemas are closed (``additionalProperties: false``) and list every status a route
can answer, so the schemathesis run in the test suite checks the replies field by field.
Path patterns are the store's id patterns, anchored.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join

from .._version import __version__
from ..store import EXPERIMENT_ID_PATTERN, RUN_ID_PATTERN, RUN_STATUSES
from ..stored_code import CODE_GENERATION_STATUSES
from .params import MAX_INTEGER, ORDERS, SORT_PATTERN
from .urls import API_PREFIX


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A closed object whose every property is required."""
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
        **extra,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_TIME = {"type": "string", "format": "date-time"}
_STATUS = {"type": "string", "enum": list(RUN_STATUSES)}
_RUN_ID = {"type": "string", "pattern": f"^{RUN_ID_PATTERN}$"}
_EXPERIMENT_ID = {"type": "string", "pattern": f"^{EXPERIMENT_ID_PATTERN}$"}
_FREE_OBJECT = {"type": "object", "additionalProperties": True}
_COUNT = {"type": "integer", "minimum": 0}
_STRINGS = {"type": "array", "items": {"type": "string"}}

_RUN_SUMMARY = {
    "id": _RUN_ID,
    "iteration": _nullable(_COUNT),
    "algorithm": _nullable({"type": "string"}),
    "status": _STATUS,
    "primary_metric": _ref("PrimaryMetric"),
    "metrics": {"type": "object", "additionalProperties": _nullable({"type": "number"})},
    "fit_time": _nullable({"type": "number"}),
    "score_time": _nullable({"type": "number"}),
    "created_at": _TIME,
    "started_at": _nullable(_TIME),
    "ended_at": _nullable(_TIME),
    "has_code": {"type": "boolean", "description": "whether the store holds its script.py"},
    "code_generation": _ref("CodeGeneration"),
    "compute": _nullable(
        {"type": "string", "description": '"local" or the Dask scheduler address it ran on'}
    ),
    "worker": _nullable(
        {"type": "string", "description": "the Dask worker address, or host:pid of a local one"}
    ),
    "error": _nullable({"type": "string"}),
}

SCHEMAS: dict[str, Any] = {
    "Error": _object({"message": {"type": "string"}, "reason": {"type": "string"}}),
    "CodeGeneration": _object(
        {
            "status": {
                "type": "string",
                "enum": list(CODE_GENERATION_STATUSES),
                "description": "stored: the store holds its code folder; failed: generating "
                "it after training failed (see reason); on_demand: trained with code "
                "generation off, rendered when asked; none: not a completed child run",
            },
            "reason": _nullable(
                {"type": "string", "description": "why code generation failed, else null"}
            ),
        }
    ),
    "PrimaryMetric": _object(
        {
            "name": {"type": "string"},
            "value": _nullable({"type": "number"}),
            "greater_is_better": _nullable({"type": "boolean"}),
        }
    ),
    "Experiment": _object(
        {
            "id": _EXPERIMENT_ID,
            "name": {"type": "string"},
            "task": {"type": "string"},
            "label": {"type": "string"},
            "status": _STATUS,
            "started_at": _TIME,
            "ended_at": _nullable(_TIME),
            "num_runs": _COUNT,
            "primary_metric": {"type": "string"},
            "best_run": _nullable(
                _object(
                    {
                        "id": _RUN_ID,
                        "algorithm": _nullable({"type": "string"}),
                        "primary_metric": _ref("PrimaryMetric"),
                    }
                )
            ),
        }
    ),
    "ExperimentList": _object(
        {"total": _COUNT, "items": {"type": "array", "items": _ref("Experiment")}}
    ),
    "RunSummary": _object(_RUN_SUMMARY),
    "RunPage": _object(
        {
            "experiment_id": _EXPERIMENT_ID,
            "total": _COUNT,
            "limit": _COUNT,
            "offset": _COUNT,
            "sort": {"type": "string", "pattern": f"^{SORT_PATTERN}$"},
            "order": {"type": "string", "enum": list(ORDERS)},
            "status": _nullable(_STATUS),
            "items": {"type": "array", "items": _ref("RunSummary")},
        }
    ),
    "RunDetail": _object(
        {
            **_RUN_SUMMARY,
            "kind": {"type": "string", "enum": ["parent", "child"]},
            "experiment_id": _EXPERIMENT_ID,
            "parent_id": _nullable(_RUN_ID),
            "spec": _nullable(_FREE_OBJECT),
            "properties": _FREE_OBJECT,
            "versions": {"type": "object", "additionalProperties": {"type": "string"}},
            "featurization": _object(
                {
                    "columns": _nullable(_FREE_OBJECT),
                    "descriptions": _nullable(
                        {"type": "object", "additionalProperties": {"type": "string"}}
                    ),
                    "validation": _nullable({"type": "string"}),
                    "forecasting": _nullable(_ref("ForecastingFeaturization")),
                }
            ),
        }
    ),
    "ForecastingFeaturization": _object(
        {
            "target": {"type": "string"},
            "time_column": {"type": "string"},
            "series_id_columns": _STRINGS,
            "frequency": {"type": "string", "description": "a pandas frequency, e.g. D or MS"},
            "horizon": {"type": "integer", "minimum": 1},
            "season_length": {"type": "integer", "minimum": 1},
            "scope": {
                "type": "string",
                "enum": ["global", "per_series"],
                "description": "one ML model over every series, or one model per series",
            },
            "lags": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "rolling_windows": {
                "type": "array",
                "items": _object(
                    {
                        "statistic": {"type": "string"},
                        "window": {"type": "integer", "minimum": 1},
                        "lag": {"type": "integer", "minimum": 1},
                    }
                ),
            },
            "calendar_features": _STRINGS,
            "target_transforms": _STRINGS,
            "known_features": _STRINGS,
            "known_features_used": _STRINGS,
            "known_features_ignored": _STRINGS,
        },
        description="a forecasting run's featurization (null for tabular runs)",
    ),
    "Code": _object({"run_id": _RUN_ID, "script": {"type": "string"}}),
    "CodegenRequest": {
        "type": "object",
        "properties": {"overwrite": {"type": "boolean", "default": False}},
        "additionalProperties": False,
    },
    "CodegenResult": _object(
        {
            "run_id": _RUN_ID,
            "folder": {"type": "string", "description": "relative to the server's root"},
            "files": {
                "type": "object",
                "description": "file name -> path relative to the server's root",
                "additionalProperties": {"type": "string"},
            },
            "written": {"type": "boolean", "description": "false: the folder existed, kept"},
        }
    ),
}

_ERRORS = {
    400: "invalid id, query parameter or body",
    403: "not authenticated, not authorized, or a POST without a token or XSRF check",
    404: "unknown experiment or run",
    409: "the run has no code (not a completed child run) or the target is unsafe",
}


def _responses(ok: dict[int, tuple[str, str]], errors: tuple[int, ...]) -> dict[str, Any]:
    replies = {
        str(status): {
            "description": text,
            "content": {"application/json": {"schema": _ref(schema)}},
        }
        for status, (schema, text) in ok.items()
    }
    for status in errors:
        replies[str(status)] = {
            "description": _ERRORS[status],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return replies


def _path_parameter(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_parameter(name: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": text}


def _runs_parameters(page_size: int, max_page_size: int) -> list[dict[str, Any]]:
    return [
        _path_parameter("experiment_id", _EXPERIMENT_ID),
        _query_parameter(
            "sort",
            {"type": "string", "pattern": f"^{SORT_PATTERN}$", "default": "primary_metric"},
            "primary_metric, fit_time, created_at, iteration or metrics.<name>",
        ),
        _query_parameter(
            "order",
            {"type": "string", "enum": list(ORDERS)},
            "default: best first for metrics, ascending for times and iteration",
        ),
        _query_parameter(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": max_page_size, "default": page_size},
            "page size",
        ),
        _query_parameter(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER, "default": 0},
            "runs to skip",
        ),
        _query_parameter("status", _STATUS, "only runs with this status"),
    ]


def openapi_document(base_url: str, page_size: int, max_page_size: int) -> dict[str, Any]:
    """The document for a server at ``base_url`` with the given page sizes."""
    run_id = [_path_parameter("run_id", _RUN_ID)]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "jupyter-automl-codegen",
            "version": __version__,
            "description": "AutoML experiments and runs, and the training code of any run.",
        },
        "servers": [{"url": url_path_join(base_url, API_PREFIX)}],
        "security": [{"token": []}],
        "paths": {
            "/experiments": {
                "get": {
                    "operationId": "listExperiments",
                    "summary": "Experiments, newest first, with their best run so far",
                    "responses": _responses({200: ("ExperimentList", "experiments")}, (403,)),
                }
            },
            "/experiments/{experiment_id}/runs": {
                "get": {
                    "operationId": "listRuns",
                    "summary": "Child runs of an experiment: sorted, paged, filtered",
                    "parameters": _runs_parameters(page_size, max_page_size),
                    "responses": _responses({200: ("RunPage", "a page of runs")}, (400, 403, 404)),
                }
            },
            "/runs/{run_id}": {
                "get": {
                    "operationId": "getRun",
                    "summary": "A run with its spec, hyperparameters and featurization",
                    "parameters": run_id,
                    "responses": _responses({200: ("RunDetail", "the run")}, (400, 403, 404)),
                }
            },
            "/runs/{run_id}/code": {
                "get": {
                    "operationId": "getRunCode",
                    "summary": "The run's generated script.py",
                    "parameters": run_id,
                    "responses": _responses({200: ("Code", "the script")}, (400, 403, 404, 409)),
                }
            },
            "/runs/{run_id}/codegen": {
                "post": {
                    "operationId": "generateRunCode",
                    "summary": "Write the run's code into <shared folder>/<experiment>/<run id>/",
                    "parameters": run_id,
                    "requestBody": {
                        "required": False,
                        "content": {"application/json": {"schema": _ref("CodegenRequest")}},
                    },
                    "responses": _responses(
                        {
                            200: ("CodegenResult", "the folder existed and was kept"),
                            201: ("CodegenResult", "the files were written"),
                        },
                        (400, 403, 404, 409),
                    ),
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenAPI",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3 document",
                            "content": {"application/json": {"schema": _FREE_OBJECT}},
                        },
                        "403": _responses({}, (403,))["403"],
                    },
                }
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "'token <the server's token>'",
                }
            },
        },
    }


__all__ = ["SCHEMAS", "openapi_document"]

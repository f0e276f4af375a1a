"""Request input, validated: path ids, the run listing's query string, the codegen body.

Every check happens before the store is asked anything, and every error names the
parameter and the values it accepts (never echoing a long or hostile value back).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..store import (
    EXPERIMENT_ID_PATTERN,
    METRIC_NAME_PATTERN,
    RUN_ID_PATTERN,
    RUN_STATUSES,
    InvalidIdError,
    validate_experiment_id,
    validate_run_id,
)
from ..store.ranking import RANKING_COLUMN, greater_is_better
from .errors import ApiError

SORT_FIELDS = ("primary_metric", "fit_time", "created_at", "iteration")
SORT_PATTERN = rf"(?:{'|'.join(SORT_FIELDS)}|metrics\.{METRIC_NAME_PATTERN})"
ORDERS = ("asc", "desc")
_SORT_RE = re.compile(SORT_PATTERN)
MAX_INTEGER = 999_999_999
_INTEGER_RE = re.compile(r"0|[1-9][0-9]{0,8}")
# What ``sort`` means to RunStore.list_runs.
_STORE_ORDER = {"primary_metric": RANKING_COLUMN}
CODEGEN_BODY_KEYS = ("overwrite",)


def experiment_id(value: str) -> str:
    """The path's experiment id, checked with the store's full-match pattern."""
    return _checked_id(value, validate_experiment_id, "experiment_id", EXPERIMENT_ID_PATTERN)


def run_id(value: str) -> str:
    """The path's run id, checked with the store's full-match pattern."""
    return _checked_id(value, validate_run_id, "run_id", RUN_ID_PATTERN)


def _checked_id(value: str, check: Callable[[object], str], name: str, pattern: str) -> str:
    try:
        return check(value)
    except InvalidIdError:
        raise ApiError(
            400, f"{name} is not valid: expected the pattern {pattern}", "invalid_id"
        ) from None


@dataclass(frozen=True)
class RunQuery:
    """The run listing's parameters; ``order`` None means "the sort key's natural order"."""

    sort: str
    order: str | None
    limit: int
    offset: int
    status: str | None

    @property
    def store_order_by(self) -> str:
        return _STORE_ORDER.get(self.sort, self.sort)

    def resolved_order(self, primary_metric: str) -> str:
        """``order``, else best-first for metrics and ascending for times and iteration."""
        if self.order is not None:
            return self.order
        metric = primary_metric if self.sort == "primary_metric" else None
        if self.sort.startswith("metrics."):
            metric = self.sort.removeprefix("metrics.")
        if metric is None:
            return "asc"
        return "desc" if greater_is_better(metric) else "asc"


def run_query(get: Callable[[str], str | None], page_size: int, max_page_size: int) -> RunQuery:
    """Parse ``sort``, ``order``, ``limit``, ``offset`` and ``status`` (``get`` reads one)."""
    sort = get("sort")
    if sort is not None and not _SORT_RE.fullmatch(sort):
        raise _bad_parameter("sort", f"one of {', '.join(SORT_FIELDS)} or metrics.<metric name>")
    order = get("order")
    if order is not None and order not in ORDERS:
        raise _bad_parameter("order", "asc or desc")
    status = get("status")
    if status is not None and status not in RUN_STATUSES:
        raise _bad_parameter("status", f"one of {', '.join(RUN_STATUSES)}")
    return RunQuery(
        sort=sort or "primary_metric",
        order=order,
        limit=_integer(get("limit"), "limit", page_size, max_page_size),
        offset=_integer(get("offset"), "offset", 0, None),
        status=status,
    )


def _integer(text: str | None, name: str, default: int, maximum: int | None) -> int:
    if text is None:
        return default
    value = int(text) if _INTEGER_RE.fullmatch(text) else None
    if value is None or (maximum is not None and value > maximum):
        upper = f"0 to {maximum}" if maximum is not None else "0 or more"
        raise _bad_parameter(name, f"a whole number from {upper}")
    return value


def _bad_parameter(name: str, expected: str) -> ApiError:
    return ApiError(
        400, f"invalid query parameter {name!r}: expected {expected}", "invalid_parameter"
    )


def codegen_overwrite(body: bytes) -> bool:
    """The codegen body: empty, or a JSON object whose only key is ``overwrite`` (a bool)."""
    if not body.strip():
        return False
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise _bad_body("the body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise _bad_body("the body must be a JSON object")
    unknown = sorted(set(payload) - set(CODEGEN_BODY_KEYS))
    if unknown:
        raise _bad_body(f"unknown field(s): {', '.join(repr(key[:40]) for key in unknown[:5])}")
    overwrite = payload.get("overwrite", False)
    if not isinstance(overwrite, bool):
        raise _bad_body("'overwrite' must be true or false")
    return overwrite


def _bad_body(problem: str) -> ApiError:
    return ApiError(
        400,
        f'invalid request body: {problem}; expected {{"overwrite": true|false}}',
        "invalid_body",
    )


__all__ = [
    "ORDERS",
    "SORT_FIELDS",
    "SORT_PATTERN",
    "RunQuery",
    "codegen_overwrite",
    "experiment_id",
    "run_id",
    "run_query",
]

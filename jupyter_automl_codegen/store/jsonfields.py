"""JSON encoding for the dict columns (spec, metrics, versions, properties).

SQLite's ``json_extract`` (used to sort by a metric) rejects ``NaN``/``Infinity``
as malformed JSON, so non-finite floats are stored as ``null``. NumPy scalars
and arrays are accepted through their ``item()``/``tolist()`` methods without
importing NumPy here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays, pandas objects
        return _clean(value.tolist())
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    raise TypeError(
        f"cannot store a value of type {type(value).__name__} in the run store: "
        "only JSON-compatible values (dict, list, str, int, float, bool, None) are allowed"
    )


def dumps(value: Any) -> str:
    """Serialize ``value`` to strict JSON (non-finite floats become null).

    Key order is kept (no sorting): properties such as the featurization plan
    list columns in dataset order, and generated code must reproduce it.
    """
    return json.dumps(_clean(value), allow_nan=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    """Parse a JSON column (``None`` stays ``None``)."""
    return None if text is None else json.loads(text)


def clean_float(value: float | None) -> float | None:
    """``float(value)``, with NaN/inf mapped to ``None`` (SQLite stores NaN as NULL anyway)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


__all__ = ["clean_float", "dumps", "loads"]

"""Opaque ids made by the store, and strict validators for them.

Ids end up in file system paths (``runs/<run_id>/``) and in generated code, so
every public entry point validates them with a full match against an
ASCII-only pattern before using them: no ``../``, no trailing newline, no
Unicode digits.
"""

from __future__ import annotations

import re
import uuid

from .errors import InvalidIdError

EXPERIMENT_ID_PATTERN = r"exp_[0-9a-f]{32}"
PARENT_RUN_ID_PATTERN = r"AutoML_[0-9a-f]{32}"
# Child iteration: no leading zeros, at most 9 digits (bounded, fits an int).
CHILD_SUFFIX_PATTERN = r"_(?:0|[1-9][0-9]{0,8})"
RUN_ID_PATTERN = PARENT_RUN_ID_PATTERN + "(?:" + CHILD_SUFFIX_PATTERN + ")?"

_EXPERIMENT_RE = re.compile(EXPERIMENT_ID_PATTERN)
_PARENT_RE = re.compile(PARENT_RUN_ID_PATTERN)
_RUN_RE = re.compile(RUN_ID_PATTERN)

_MAX_SHOWN = 60


def _show(value: object) -> str:
    """repr() of an untrusted value, truncated so messages stay readable."""
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


def _validate(value: object, regex: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or regex.fullmatch(value) is None:
        raise InvalidIdError(f"invalid {what} {_show(value)}: expected the pattern {regex.pattern}")
    return value


def validate_experiment_id(value: object) -> str:
    """Return ``value`` if it is an experiment id (``exp_<32 hex>``), else raise."""
    return _validate(value, _EXPERIMENT_RE, "experiment id")


def validate_run_id(value: object) -> str:
    """Return ``value`` if it is a parent or child run id, else raise."""
    return _validate(value, _RUN_RE, "run id")


def validate_parent_run_id(value: object) -> str:
    """Return ``value`` if it is a parent run id (``AutoML_<32 hex>``), else raise."""
    return _validate(value, _PARENT_RE, "parent run id")


def new_experiment_id() -> str:
    """A fresh random experiment id."""
    return "exp_" + uuid.uuid4().hex


def new_parent_run_id() -> str:
    """A fresh random parent run id."""
    return "AutoML_" + uuid.uuid4().hex


def child_run_id(parent_run_id: str, iteration: int) -> str:
    """The id of child ``iteration`` of ``parent_run_id``."""
    validate_parent_run_id(parent_run_id)
    return validate_run_id(f"{parent_run_id}_{int(iteration)}")


__all__ = [
    "EXPERIMENT_ID_PATTERN",
    "PARENT_RUN_ID_PATTERN",
    "RUN_ID_PATTERN",
    "child_run_id",
    "new_experiment_id",
    "new_parent_run_id",
    "validate_experiment_id",
    "validate_parent_run_id",
    "validate_run_id",
]

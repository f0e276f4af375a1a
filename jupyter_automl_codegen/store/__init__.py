"""Embedded run store: experiments, runs, models and data snapshots on local disk.

Self-contained on purpose (imports only the stdlib, pandas, pyarrow and
joblib) so every other part of the package can depend on it.
"""

from .errors import (
    InvalidIdError,
    NotFoundError,
    StoreError,
    StoreIntegrityError,
    StoreStateError,
    StoreUnavailableError,
)
from .ids import (
    EXPERIMENT_ID_PATTERN,
    PARENT_RUN_ID_PATTERN,
    RUN_ID_PATTERN,
    validate_experiment_id,
    validate_parent_run_id,
    validate_run_id,
)
from .location import DEFAULT_STORE_ENV, resolve_store_root
from .opening import as_run_store
from .records import Experiment, Run
from .run_store import (
    DB_NAME,
    METRIC_NAME_PATTERN,
    MODEL_NAME,
    OUTPUTS_DIR,
    SNAPSHOT_NAME,
    TERMINAL_STATUSES,
    RunStore,
    interrupted_message,
)
from .schema import RUN_STATUSES, SCHEMA_VERSION

__all__ = [
    "DB_NAME",
    "DEFAULT_STORE_ENV",
    "EXPERIMENT_ID_PATTERN",
    "METRIC_NAME_PATTERN",
    "MODEL_NAME",
    "OUTPUTS_DIR",
    "PARENT_RUN_ID_PATTERN",
    "RUN_ID_PATTERN",
    "RUN_STATUSES",
    "SCHEMA_VERSION",
    "SNAPSHOT_NAME",
    "TERMINAL_STATUSES",
    "Experiment",
    "InvalidIdError",
    "NotFoundError",
    "Run",
    "RunStore",
    "StoreError",
    "StoreIntegrityError",
    "StoreStateError",
    "StoreUnavailableError",
    "as_run_store",
    "interrupted_message",
    "resolve_store_root",
    "validate_experiment_id",
    "validate_parent_run_id",
    "validate_run_id",
]

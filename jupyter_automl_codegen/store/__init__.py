"""Embedded run store: experiments, runs, models and data snapshots on local disk.

Self-contained on purpose (imports only the stdlib, pandas, pyarrow and
joblib) so every other part of the package can depend on it. Names are imported on first use,
so a trial worker that only needs ``store.ranking`` never loads the SQLite store.
"""

from .._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "InvalidIdError": ".errors",
        "NotFoundError": ".errors",
        "StoreError": ".errors",
        "StoreIntegrityError": ".errors",
        "StoreStateError": ".errors",
        "StoreUnavailableError": ".errors",
        "EXPERIMENT_ID_PATTERN": ".ids",
        "PARENT_RUN_ID_PATTERN": ".ids",
        "RUN_ID_PATTERN": ".ids",
        "validate_experiment_id": ".ids",
        "validate_parent_run_id": ".ids",
        "validate_run_id": ".ids",
        "DEFAULT_STORE_ENV": ".location",
        "resolve_store_root": ".location",
        "as_run_store": ".opening",
        "Experiment": ".records",
        "Run": ".records",
        "DB_NAME": ".run_store",
        "METRIC_NAME_PATTERN": ".run_store",
        "MODEL_NAME": ".run_store",
        "OUTPUTS_DIR": ".run_store",
        "SNAPSHOT_NAME": ".run_store",
        "TERMINAL_STATUSES": ".run_store",
        "RunStore": ".run_store",
        "interrupted_message": ".run_store",
        "RUN_STATUSES": ".schema",
        "SCHEMA_VERSION": ".schema",
    },
)

"""The runs listing the server serves reads an index, and older stores gain it on open.

Without it a page of the best runs sorts every run of the experiment (about 190 ms at
100,000 runs, see benchmarks/api_runs_listing.py); with it the page is read in order.
"""

from __future__ import annotations

import sqlite3

import pytest

from jupyter_automl_codegen import RunStore
from jupyter_automl_codegen.store.schema import MIGRATIONS, SCHEMA_VERSION

LISTING_INDEXES = {
    (None, True): "runs_by_primary_metric_desc",
    (None, False): "runs_by_primary_metric_asc",
    ("completed", True): "runs_by_status_and_primary_metric_desc",
    ("failed", False): "runs_by_status_and_primary_metric_asc",
}


def _plan_of_list_runs(store: RunStore, experiment_id: str, **query) -> str:
    """The query plan of the SELECT that ``list_runs`` executes, as SQLite reports it."""
    statements: list[str] = []
    connection = store._connections.get()
    connection.set_trace_callback(statements.append)
    try:
        store.list_runs(experiment_id, limit=50, **query)
    finally:
        connection.set_trace_callback(None)
    (select,) = [sql for sql in statements if "ORDER BY" in sql]
    rows = connection.execute("EXPLAIN QUERY PLAN " + select).fetchall()
    return " | ".join(row["detail"] for row in rows)


@pytest.mark.parametrize(("status", "descending"), sorted(LISTING_INDEXES, key=str))
def test_a_page_by_primary_metric_reads_the_index_without_sorting(tmp_path, status, descending):
    store = RunStore(tmp_path)
    experiment, parent = store.create_experiment(
        "e", task="classification", label="y", primary_metric="AUC_weighted"
    )
    for _ in range(3):
        store.create_child_run(parent.id, algorithm="lr", spec=None)
    plan = _plan_of_list_runs(
        store,
        experiment.id,
        status=status,
        order_by="primary_metric_value",
        descending=descending,
    )
    assert f"USING INDEX {LISTING_INDEXES[status, descending]}" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    store.close()


def test_a_version_1_store_gains_the_indexes_when_opened(tmp_path):
    connection = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    connection.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
    for statement in MIGRATIONS[1]:
        connection.execute(statement)
    connection.execute("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00+00:00')")
    connection.close()

    store = RunStore(tmp_path)
    connection = store._connections.get()
    assert connection.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == (
        SCHEMA_VERSION
    )
    indexes = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='index'")
    }
    assert set(LISTING_INDEXES.values()) <= indexes
    store.close()

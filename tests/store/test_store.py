"""Tests of the embedded run store (jupyter_automl_codegen.store)."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_automl_codegen.store import (
    DEFAULT_STORE_ENV,
    RUN_ID_PATTERN,
    InvalidIdError,
    NotFoundError,
    RunStore,
    StoreError,
    StoreIntegrityError,
    StoreStateError,
    StoreUnavailableError,
    interrupted_message,
    resolve_store_root,
    validate_experiment_id,
    validate_parent_run_id,
    validate_run_id,
)
from jupyter_automl_codegen.store.files import temp_path_for

HEX = "0123456789abcdef0123456789abcdef"


def model_bytes(obj: object) -> bytes:
    buf = io.BytesIO()
    joblib.dump(obj, buf)
    return buf.getvalue()


def complete(store: RunStore, run_id: str, value: float | None = 0.5, **metrics: float) -> None:
    store.start_run(run_id)
    store.complete_run(
        run_id,
        metrics=metrics or {"accuracy": value},
        primary_metric_value=value,
        fit_time=0.1,
        score_time=0.01,
        model_bytes=model_bytes({"run": run_id}),
        versions={"scikit-learn": "1.6.0"},
    )


def new_experiment(store: RunStore, name: str = "exp"):
    return store.create_experiment(
        name, task="classification", label="y", primary_metric="accuracy"
    )


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def store(tmp_path: Path):
    with RunStore(tmp_path / "store") as s:
        yield s


# -- lifecycle ----------------------------------------------------------------


def test_lifecycle(store: RunStore) -> None:
    exp, parent = store.create_experiment(
        "penguins",
        task="classification",
        label="species",
        primary_metric="accuracy",
        properties={"config": {"timeout": 60}},
    )
    assert exp.id.startswith("exp_") and parent.id == exp.parent_run_id
    assert (exp.status, exp.num_runs, exp.best_run_id) == ("running", 0, None)
    assert (parent.kind, parent.status, parent.parent_id, parent.iteration) == (
        "parent",
        "running",
        None,
        None,
    )
    assert parent.properties == {"config": {"timeout": 60}}

    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "species": ["a", "b", "a"]}, index=[7, 8, 9])
    path, digest = store.save_data_snapshot(exp.id, df)
    assert path == store.root / "experiments" / exp.id / "data.parquet" and path.is_file()
    assert store.data_snapshot_path(exp.id) == path
    pd.testing.assert_frame_equal(store.load_data_snapshot(exp.id), df.reset_index(drop=True))
    with pytest.raises(StoreStateError, match="already has a data snapshot"):
        store.save_data_snapshot(exp.id, df)

    runs = [store.create_child_run(parent.id, algorithm=a, spec={"alg": a}) for a in "abcd"]
    assert [r.id for r in runs] == [f"{parent.id}_{i}" for i in range(4)]
    assert all(r.status == "queued" and r.kind == "child" for r in runs)
    assert store.start_run(runs[0].id).started_at is not None
    done = store.complete_run(
        runs[0].id,
        metrics={"accuracy": 0.9, "f1": 0.8},
        primary_metric_value=0.9,
        fit_time=1.5,
        score_time=0.2,
        model_bytes=model_bytes({"coef": [1, 2]}),
        versions={"scikit-learn": "1.6.0"},
    )
    assert done.status == "completed" and done.model_sha256 and done.ended_at
    assert store.model_path(done.id) == store.root / "runs" / done.id / "model.pkl"
    assert store.load_model(done.id) == {"coef": [1, 2]}

    store.start_run(runs[1].id)
    failed = store.fail_run(runs[1].id, "ValueError: boom", fit_time=0.3)
    assert (failed.status, failed.error, failed.fit_time) == ("failed", "ValueError: boom", 0.3)
    assert store.cancel_run(runs[2].id, "user asked").error == "user asked"

    store.update_properties(done.id, scaler="standard")
    updated = store.update_properties(done.id, plan={"z": [1, 2], "a": (3,)})
    assert updated.properties == {"scaler": "standard", "plan": {"z": [1, 2], "a": [3]}}
    assert list(updated.properties["plan"]) == ["z", "a"]  # key order is kept

    outputs = store.run_dir(done.id) / "outputs" / "generated_code"
    outputs.mkdir(parents=True)

    finished = store.finish_parent(parent.id, "completed", best_run_id=done.id)
    assert finished.status == "completed" and finished.ended_at is not None
    assert store.get_run(runs[3].id).status == "canceled"  # was still queued
    exp = store.get_experiment(exp.id)
    assert (exp.status, exp.best_run_id, exp.num_runs, exp.data_sha256) == (
        "completed",
        done.id,
        4,
        digest,
    )
    json.dumps(exp.to_dict())
    as_dict = store.get_run(done.id).to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["created_at"].endswith("+00:00") and as_dict["metrics"]["f1"] == 0.8


def test_database_setup(store: RunStore) -> None:
    conn = sqlite3.connect(store.db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] >= 1
    conn.close()
    conn = store._connections.get()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_list_experiments_newest_first(store: RunStore) -> None:
    ids = [new_experiment(store, f"e{i}")[0].id for i in range(3)]
    assert [e.id for e in store.list_experiments()] == ids[::-1]


def test_illegal_transitions(store: RunStore) -> None:
    exp, parent = new_experiment(store)
    run = store.create_child_run(parent.id, algorithm="lr", spec=None)
    with pytest.raises(StoreStateError, match="start_run"):
        store.complete_run(
            run.id,
            metrics={},
            primary_metric_value=None,
            fit_time=0,
            score_time=0,
            model_bytes=b"",
            versions={},
        )
    store.start_run(run.id)
    store.fail_run(run.id, "boom")
    with pytest.raises(StoreStateError, match="it is failed"):
        store.complete_run(
            run.id,
            metrics={},
            primary_metric_value=None,
            fit_time=0,
            score_time=0,
            model_bytes=b"x",
            versions={},
        )
    assert not (store.root / "runs" / run.id / "model.pkl").exists()
    with pytest.raises(StoreStateError):
        store.start_run(run.id)
    with pytest.raises(StoreStateError, match="canceled: it is failed"):
        store.cancel_run(run.id)
    with pytest.raises(StoreStateError, match="has no model"):
        store.load_model(run.id)
    with pytest.raises(StoreStateError, match="finish_parent"):
        store.fail_run(parent.id, "x")
    with pytest.raises(StoreStateError, match="completed child"):
        store.finish_parent(parent.id, "completed", best_run_id=run.id)
    with pytest.raises(ValueError):
        store.finish_parent(parent.id, "running")
    store.finish_parent(parent.id, "failed", error="out of time")
    with pytest.raises(StoreStateError, match="already failed"):
        store.finish_parent(parent.id, "completed")
    with pytest.raises(StoreStateError, match="cannot add a run"):
        store.create_child_run(parent.id, algorithm="lr", spec=None)
    assert store.get_experiment(exp.id).status == "failed"


# -- listing ----------------------------------------------------------------------


@pytest.fixture
def scored(store: RunStore):
    """Five child runs: auc 0.5, missing, 0.9, NaN (stored as null), 0.7; run 1 failed."""
    exp, parent = new_experiment(store)
    values = [0.5, "missing", 0.9, float("nan"), 0.7]
    for i, value in enumerate(values):
        run = store.create_child_run(parent.id, algorithm=f"a{i}", spec=None)
        if value == "missing":
            store.start_run(run.id)
            store.fail_run(run.id, "boom", fit_time=9.0)
        else:
            complete(store, run.id, value=0.1 * i, auc=value, accuracy=0.1 * i)
    return store, exp


def test_order_by_metric_nulls_last(scored) -> None:
    store, exp = scored

    def order(**kw):
        return [r.iteration for r in store.list_runs(exp.id, **kw)]

    assert order() == [0, 1, 2, 3, 4]
    assert order(order_by="metrics.auc") == [0, 4, 2, 1, 3]
    assert order(order_by="metrics.auc", descending=True) == [2, 4, 0, 1, 3]
    assert order(order_by="metrics.nope", descending=True) == [0, 1, 2, 3, 4]
    assert order(order_by="primary_metric_value", descending=True) == [4, 3, 2, 0, 1]
    assert order(order_by="fit_time", descending=True)[0] == 1
    assert order(order_by="created_at", descending=True) == [4, 3, 2, 1, 0]
    assert order(order_by="iteration", descending=True) == [4, 3, 2, 1, 0]
    assert store.get_run(f"{exp.parent_run_id}_3").metrics["auc"] is None


@pytest.mark.parametrize(
    "order_by",
    [
        "metrics.auc'); DROP TABLE runs; --",
        "metrics.",
        "metrics.a.b",
        "metrics.a b",
        "metrics.auc\n",
        "metrics.ａｕｃ",
        "status",
        "id; DROP TABLE runs",
        "",
    ],
)
def test_order_by_rejects_unknown_keys(scored, order_by: str) -> None:
    store, exp = scored
    with pytest.raises(ValueError, match="order_by"):
        store.list_runs(exp.id, order_by=order_by)
    assert store.count_runs(exp.id) == 5


def test_paging_and_status_filter(scored) -> None:
    store, exp = scored

    def page(**kw):
        return [r.iteration for r in store.list_runs(exp.id, **kw)]

    desc = {"order_by": "metrics.auc", "descending": True}
    assert page(limit=2, **desc) == [2, 4]
    assert page(limit=2, offset=2, **desc) == [0, 1]
    assert page(limit=2, offset=4, **desc) == [3]
    assert page(offset=5) == [] and page(limit=0) == []
    assert page(status="failed") == [1]
    assert page(status="completed", **desc) == [2, 4, 0, 3]
    assert page(status="queued") == []
    assert store.count_runs(exp.id) == 5
    assert store.count_runs(exp.id, status="completed") == 4
    assert store.get_experiment(exp.id).num_runs == 5
    with pytest.raises(ValueError):
        store.list_runs(exp.id, status="done")
    with pytest.raises(ValueError):
        store.list_runs(exp.id, offset=-1)


# -- ids and errors ---------------------------------------------------------------

HOSTILE = [
    "../x",
    "exp_../../etc",
    f"AutoML_{HEX}_1\n",
    f"AutoML_{HEX}\n",
    f"exp_{HEX}\n",
    f"AutoML_{HEX}_\u0661",  # ARABIC-INDIC DIGIT ONE
    f"AutoML_{HEX[:-1]}\u0663",
    f"exp_{HEX[:-1]}\uff11",  # FULLWIDTH DIGIT ONE
    f"AutoML_{HEX}0",  # 33 hex
    f"exp_{HEX}0",
    f"AutoML_{HEX.upper()}",
    f"AutoML_{HEX}_01",
    f"AutoML_{HEX}_-1",
    f"AutoML_{HEX}_1/../..",
    f" AutoML_{HEX}",
    "",
    "x" * 5000,
    None,
    42,
    HEX.encode(),
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_ids_rejected(store: RunStore, value: object) -> None:
    for validate in (validate_experiment_id, validate_run_id, validate_parent_run_id):
        with pytest.raises(InvalidIdError) as info:
            validate(value)
        message = str(info.value)
        assert "expected the pattern" in message and len(message) < 200
        if isinstance(value, str) and len(value) < 40:
            assert repr(value) in message
    calls = [
        store.get_experiment,
        store.get_run,
        store.load_model,
        store.model_path,
        store.run_dir,
        store.start_run,
        store.data_snapshot_path,
        store.load_data_snapshot,
        lambda v: store.list_runs(v),
        lambda v: store.count_runs(v),
        lambda v: store.update_properties(v, a=1),
        lambda v: store.fail_run(v, "x"),
        lambda v: store.cancel_run(v),
        lambda v: store.create_child_run(v, algorithm="lr", spec=None),
        lambda v: store.finish_parent(v, "completed"),
        lambda v: store.save_data_snapshot(v, pd.DataFrame()),
    ]
    for call in calls:
        with pytest.raises(InvalidIdError):
            call(value)
    assert sorted(p.name for p in store.root.iterdir()) == [
        "experiments",
        "runs",
        "store.db",
        "store.db-shm",
        "store.db-wal",
    ]
    assert list((store.root / "runs").iterdir()) == []


def test_valid_ids_accepted() -> None:
    assert validate_experiment_id(f"exp_{HEX}") == f"exp_{HEX}"
    assert validate_run_id(f"AutoML_{HEX}") == f"AutoML_{HEX}"
    assert validate_run_id(f"AutoML_{HEX}_0") == f"AutoML_{HEX}_0"
    assert validate_run_id(f"AutoML_{HEX}_123") == f"AutoML_{HEX}_123"
    with pytest.raises(InvalidIdError, match="parent run id"):
        validate_parent_run_id(f"AutoML_{HEX}_1")


# Ids as the store makes them: a parent id, or a child id with its iteration.
_HEX32 = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
_SUFFIX = st.one_of(st.just(""), st.integers(0, 999_999_999).map(lambda n: f"_{n}"))
_MADE_RUN_IDS = st.builds(lambda hex32, suffix: f"AutoML_{hex32}{suffix}", _HEX32, _SUFFIX)
# What a hostile id would smuggle into a path or a line: separators, dots, control
# characters, non-ASCII digits and letters, URL escapes.
_UNSAFE = st.sampled_from(["/", "\\", ".", "..", "\n", "\x00", " ", "\u0663", "\uff21", "-", "%2F"])


@settings(max_examples=200, deadline=None)
@given(_MADE_RUN_IDS)
def test_every_run_id_the_store_makes_is_accepted_and_path_safe(run_id: str) -> None:
    assert validate_run_id(run_id) == run_id
    assert run_id.isascii() and run_id.replace("_", "").isalnum()


@settings(max_examples=200, deadline=None)
@given(_MADE_RUN_IDS, _UNSAFE, st.integers(min_value=0, max_value=1000))
def test_a_run_id_with_an_unsafe_character_anywhere_is_rejected(
    run_id: str, unsafe: str, position: int
) -> None:
    at = position % (len(run_id) + 1)
    with pytest.raises(InvalidIdError):
        validate_run_id(run_id[:at] + unsafe + run_id[at:])


@settings(max_examples=50, deadline=None)
@given(st.from_regex(RUN_ID_PATTERN, fullmatch=True))
def test_pattern_ids_validate(text: str) -> None:
    if text.isascii() and "\n" not in text:
        assert validate_run_id(text) == text


def test_unknown_ids_not_found(store: RunStore) -> None:
    with pytest.raises(NotFoundError) as info:
        store.get_run(f"AutoML_{HEX}_3")
    assert str(info.value).startswith(f"run AutoML_{HEX}_3 not found in the run store at ")
    assert isinstance(info.value, KeyError)
    with pytest.raises(NotFoundError, match="experiment exp_[0-9a-f]+ not found"):
        store.get_experiment(f"exp_{HEX}")
    with pytest.raises(NotFoundError):
        store.list_runs(f"exp_{HEX}")
    with pytest.raises(NotFoundError):
        store.create_child_run(f"AutoML_{HEX}", algorithm="lr", spec=None)
    with pytest.raises(NotFoundError):
        store.run_dir(f"AutoML_{HEX}")
    exp, _ = new_experiment(store)
    with pytest.raises(NotFoundError, match="no data snapshot"):
        store.load_data_snapshot(exp.id)


# -- integrity ------------------------------------------------------------------------


def test_model_tampering_detected(store: RunStore) -> None:
    _, parent = new_experiment(store)
    run = store.create_child_run(parent.id, algorithm="lr", spec=None)
    complete(store, run.id)
    path = store.model_path(run.id)
    original = path.read_bytes()
    path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(StoreIntegrityError, match="SHA-256"):
        store.load_model(run.id)
    path.unlink()
    with pytest.raises(StoreIntegrityError, match="missing"):
        store.load_model(run.id)
    path.write_bytes(original)
    assert store.load_model(run.id) == {"run": run.id}


def test_validation_predictions_round_trip_and_never_unpickle(store: RunStore) -> None:
    _, parent = new_experiment(store)
    run = store.create_child_run(parent.id, algorithm="lr", spec=None)
    assert store.load_validation_predictions(run.id) is None  # nothing kept
    folds = [np.array([[0.25, 0.75], [1.0, 0.0]]), np.array([[0.5, 0.5]])]
    store.save_validation_predictions(run.id, folds)
    loaded = store.load_validation_predictions(run.id)
    assert [a.tolist() for a in loaded] == [a.tolist() for a in folds]  # exact, fold by fold
    path = store.runs_dir / run.id / "validation_predictions.npz"
    np.savez(path, np.array([{"pickled": object()}], dtype=object))
    assert store.load_validation_predictions(run.id) is None  # object arrays are refused
    path.write_bytes(path.read_bytes()[:40])
    assert store.load_validation_predictions(run.id) is None  # a torn file is no candidate
    np.save(path.with_suffix(".npy"), np.zeros(3))
    path.with_suffix(".npy").replace(path)
    assert store.load_validation_predictions(run.id) is None  # nor a lone array


def test_snapshot_tampering_detected(store: RunStore) -> None:
    exp, _ = new_experiment(store)
    path, _ = store.save_data_snapshot(exp.id, pd.DataFrame({"a": range(100)}))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StoreIntegrityError, match="data snapshot"):
        store.load_data_snapshot(exp.id)


def test_unopenable_store_states_the_fact_and_leaves_the_fix_to_the_surface(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailableError) as info:
        RunStore(blocker)
    assert (info.value.root, info.value.problem) == (blocker, "cannot_create")
    assert str(blocker) in str(info.value) and "--store" not in str(info.value)

    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "store.db").write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreUnavailableError) as info:
        RunStore(corrupt)
    assert info.value.problem == "unreadable_database"
    assert info.value.path == corrupt / "store.db"
    assert str(corrupt / "store.db") in str(info.value) and "--store" not in str(info.value)
    # It crosses process boundaries (worker pools pickle exceptions) whole.
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.root, copy.problem, copy.path, str(copy)) == (
        info.value.root,
        info.value.problem,
        info.value.path,
        str(info.value),
    )


def test_closed_store_raises(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_experiments()


# -- location -------------------------------------------------------------------------


def test_resolve_store_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEFAULT_STORE_ENV, str(tmp_path / "env"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_store_root(tmp_path / "explicit") == tmp_path / "explicit"
    assert resolve_store_root(None) == tmp_path / "env"
    monkeypatch.delenv(DEFAULT_STORE_ENV)
    assert resolve_store_root() == tmp_path / "xdg" / "jupyter-automl-codegen" / "store"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "jupyter-automl-codegen" / "store"
    assert resolve_store_root() == expected


# -- crash recovery -------------------------------------------------------------------

CRASHING_TRAINER = textwrap.dedent(
    """
    import io, json, sys, time
    import joblib
    from jupyter_automl_codegen.store import RunStore
    from jupyter_automl_codegen.store.files import write_temp

    store = RunStore(sys.argv[1])
    exp, parent = store.create_experiment(
        "crash", task="classification", label="y", primary_metric="accuracy"
    )
    done = store.create_child_run(parent.id, algorithm="lr", spec={"C": 1.0})
    store.start_run(done.id)
    buf = io.BytesIO()
    joblib.dump({"coef": [1, 2, 3]}, buf)
    store.complete_run(
        done.id, metrics={"accuracy": 0.8}, primary_metric_value=0.8, fit_time=0.1,
        score_time=0.01, model_bytes=buf.getvalue(), versions={},
    )
    running = store.create_child_run(parent.id, algorithm="rf", spec=None)
    store.start_run(running.id)
    queued = store.create_child_run(parent.id, algorithm="gb", spec=None)
    temp = write_temp(store.runs_dir / running.id / "model.pkl", lambda f: f.write(b"half"))
    print(json.dumps({"exp": exp.id, "parent": parent.id, "done": done.id,
                      "running": running.id, "queued": queued.id, "temp": str(temp)}),
          flush=True)
    time.sleep(120)
    """
)


@pytest.fixture
def trainer(tmp_path: Path):
    """A live training process that owns runs in a store; killed at teardown."""
    root = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHING_TRAINER, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        pytest.fail(f"trainer process failed: {proc.stderr.read()}")
    yield proc, root, json.loads(line)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    proc.stdout.close()
    proc.stderr.close()


def test_live_process_runs_not_failed_by_other_opener(trainer) -> None:
    proc, root, ids = trainer
    with RunStore(root) as store:
        assert store.recover() == []
        assert store.get_run(ids["running"]).status == "running"
        assert store.get_run(ids["queued"]).status == "queued"
        assert store.get_experiment(ids["exp"]).status == "running"
        assert Path(ids["temp"]).exists()  # a live writer's temp file is kept
    assert proc.poll() is None


def test_crash_recovery_after_sigkill(trainer) -> None:
    proc, root, ids = trainer
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with RunStore(root) as store:
        conn = store._connections.get()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = store.get_run(ids["done"])
        assert done.status == "completed" and done.error is None
        assert store.load_model(ids["done"]) == {"coef": [1, 2, 3]}
        message = interrupted_message(proc.pid)
        for key in ("running", "queued", "parent"):
            run = store.get_run(ids[key])
            assert (run.status, run.error) == ("failed", message), key
            assert run.ended_at is not None
        assert store.get_experiment(ids["exp"]).status == "failed"
        assert not Path(ids["temp"]).exists()
        assert store.recover() == []  # idempotent


def test_pid_reuse_and_dead_owner_detected(store: RunStore) -> None:
    exp, parent = new_experiment(store)
    mine = store.create_child_run(parent.id, algorithm="lr", spec=None)
    store.start_run(mine.id)
    reused = store.create_child_run(parent.id, algorithm="lr", spec=None)
    store.start_run(reused.id)
    other = store.create_child_run(parent.id, algorithm="lr", spec=None)
    store.start_run(other.id)
    gone = dead_pid()
    conn = sqlite3.connect(store.db_path, isolation_level=None)
    # Same pid as this (alive) process but another start time: the pid was reused.
    conn.execute("UPDATE runs SET owner_start = 'bogus:1' WHERE id = ?", (reused.id,))
    conn.execute("UPDATE runs SET owner_pid = ? WHERE id = ?", (gone, other.id))
    conn.close()
    run_dir = store.run_dir(mine.id)
    stale = temp_path_for(run_dir / "model.pkl").with_name(f".model.pkl.{gone}.{'0' * 16}.tmp")
    stale.write_bytes(b"partial")
    live = temp_path_for(run_dir / "model.pkl")
    live.write_bytes(b"in progress")

    assert sorted(store.recover()) == sorted([reused.id, other.id])
    assert store.get_run(mine.id).status == "running"
    assert store.get_run(parent.id).status == "running"
    assert store.get_run(reused.id).error == interrupted_message(os.getpid())
    assert store.get_run(other.id).error == interrupted_message(gone)
    assert not stale.exists() and live.exists()


# -- concurrency ----------------------------------------------------------------------


def _worker(store, parent_id, count, barrier, results) -> None:
    try:
        barrier.wait(timeout=30)
        made = []
        for i in range(count):
            run = store.create_child_run(parent_id, algorithm=f"pid{os.getpid()}", spec={"i": i})
            store.start_run(run.id)
            store.update_properties(run.id, worker=os.getpid())
            store.complete_run(
                run.id,
                metrics={"accuracy": i / count},
                primary_metric_value=i / count,
                fit_time=0.0,
                score_time=0.0,
                model_bytes=b"model",
                versions={},
            )
            made.append((run.id, run.iteration))
        results.put(("ok", made))
    except BaseException as exc:  # report every failure to the parent test
        results.put(("error", repr(exc)))


def test_concurrent_writers_get_unique_sequential_iterations(store: RunStore) -> None:
    exp, parent = new_experiment(store)  # the store's connection exists before fork
    ctx = multiprocessing.get_context("fork")
    workers, per_worker = 4, 15
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(store, parent.id, per_worker, barrier, results))
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    errors = [detail for kind, detail in outcomes if kind == "error"]
    assert errors == []
    made = [item for _, items in outcomes for item in items]
    assert len({run_id for run_id, _ in made}) == workers * per_worker
    assert sorted(it for _, it in made) == list(range(workers * per_worker))
    assert all(run_id == f"{parent.id}_{it}" for run_id, it in made)
    runs = store.list_runs(exp.id)
    assert [r.iteration for r in runs] == list(range(workers * per_worker))
    assert {r.status for r in runs} == {"completed"}
    assert len({r.properties["worker"] for r in runs}) == workers
    conn = store._connections.get()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_threads_share_a_store(store: RunStore) -> None:
    _, parent = new_experiment(store)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                store.create_child_run(parent.id, algorithm="lr", spec=None)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.count_runs(parent.experiment_id) == 40


def test_store_pickles_to_same_root(store: RunStore) -> None:
    exp, _ = new_experiment(store)
    clone = pickle.loads(pickle.dumps(store))
    try:
        assert clone.root == store.root and clone.get_experiment(exp.id).id == exp.id
    finally:
        clone.close()


def test_json_fields_accept_numpy_and_reject_objects(store: RunStore) -> None:
    import numpy as np

    _, parent = new_experiment(store)
    run = store.create_child_run(parent.id, algorithm="lr", spec={"alpha": np.float32(0.5)})
    updated = store.update_properties(
        run.id, n=np.int64(3), coef=np.array([1.0, np.nan]), flag=np.bool_(True)
    )
    assert updated.spec == {"alpha": 0.5}
    assert updated.properties == {"n": 3, "coef": [1.0, None], "flag": True}
    with pytest.raises(TypeError, match="JSON-compatible"):
        store.update_properties(run.id, bad=object())
    assert "bad" not in store.get_run(run.id).properties

"""Every kind of bad input gets a one-line error naming the fix, exit 2, and an intact store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_automl_codegen import load_dataset

from ..clitools import run_cli, run_cli_json


def _penguins_csv(path, frame=None):
    (frame if frame is not None else load_dataset("penguins").frame).to_csv(path, index=False)
    return path


def _write(path, text: str | bytes):
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _frame(n=30, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "z": rng.integers(0, 5, size=n),
            "label": np.where(np.arange(n) % 2 == 0, "a", "b"),
        }
    )


BAD_INPUTS = {
    "missing file": (lambda d: d / "nope.csv", ["--label", "species"], "no such file"),
    "folder instead of file": (lambda d: d, ["--label", "species"], "unsupported file type"),
    "unsupported suffix": (
        lambda d: _write(d / "data.txt", "a,b\n1,2\n"),
        ["--label", "a"],
        "unsupported file type",
    ),
    "empty file": (lambda d: _write(d / "empty.csv", ""), ["--label", "species"], "is empty"),
    "header only": (
        lambda d: _write(d / "header.csv", "x,z,label\n"),
        ["--label", "label"],
        "no rows",
    ),
    "one row": (
        lambda d: _write(d / "one.csv", "x,z,label\n1.0,2,a\n"),
        ["--label", "label"],
        "at least 10 labelled rows",
    ),
    "label missing": (
        lambda d: _penguins_csv(d / "p.csv"),
        ["--label", "specie"],
        "Did you mean 'species'",
    ),
    "label all missing": (
        lambda d: _penguins_csv(d / "p.csv", load_dataset("penguins").frame.assign(species=None)),
        ["--label", "species"],
        "has no values",
    ),
    "one class only": (
        lambda d: _penguins_csv(d / "p.csv", load_dataset("penguins").frame.assign(species="x")),
        ["--label", "species"],
        "single class",
    ),
    "class with one row": (
        lambda d: _penguins_csv(
            d / "p.csv",
            load_dataset("penguins").frame.assign(
                species=lambda f: f["species"].where(f.index != 0, "rare")
            ),
        ),
        ["--label", "species"],
        "class 'rare' of the label has only 1 row",
    ),
    "duplicate column names": (
        lambda d: _write(d / "dup.csv", "x,x,label\n" + "1,2,a\n3,4,b\n" * 10),
        ["--label", "label"],
        "duplicate column names 'x'",
    ),
    "infinite values": (
        lambda d: _penguins_csv(
            d / "p.csv",
            load_dataset("penguins").frame.assign(
                bill_length_mm=lambda f: f["bill_length_mm"].where(f.index != 3, np.inf)
            ),
        ),
        ["--label", "species"],
        "infinite values",
    ),
    "non-UTF-8 bytes": (
        lambda d: _write(d / "latin.csv", b"name,label\n" + "caf\xe9,a\n".encode("latin-1")),
        ["--label", "label"],
        "not valid UTF-8",
    ),
    "all feature columns dropped": (
        lambda d: _penguins_csv(
            d / "p.csv",
            pd.DataFrame(
                {
                    "id": [f"row{i}" for i in range(40)],
                    "constant": ["same"] * 40,
                    "empty": [None] * 40,
                    "label": ["a", "b"] * 20,
                }
            ),
        ),
        ["--label", "label"],
        "every feature column was dropped",
    ),
    "unknown metric for the task": (
        lambda d: _penguins_csv(d / "p.csv"),
        ["--label", "species", "--metric", "r2_score"],
        "r2_score",
    ),
    "time budget zero": (
        lambda d: _penguins_csv(d / "p.csv"),
        ["--label", "species", "--timeout", "0"],
        "experiment_timeout_seconds=0.0 must be a positive number",
    ),
    "time budget negative": (
        lambda d: _penguins_csv(d / "p.csv"),
        ["--label", "species", "--timeout", "-5"],
        "must be a positive number",
    ),
    "regression on text label": (
        lambda d: _penguins_csv(d / "p.csv"),
        ["--label", "species", "--task", "regression"],
        "not numeric",
    ),
}


@pytest.fixture(scope="module")
def populated_store(tmp_path_factory):
    """A store with one finished experiment that bad input must leave untouched."""
    store = tmp_path_factory.mktemp("bad-input-store")
    data = tmp_path_factory.mktemp("data") / "small.csv"
    _frame(60).to_csv(data, index=False)
    summary = run_cli_json(
        "train",
        data,
        "--label",
        "label",
        "--task",
        "classification",
        "--max-trials",
        "3",
        "--timeout",
        "60",
        "--workers",
        "1",
        store=store,
    )
    assert summary["best_run_id"]
    return store, summary


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_a_clear_error_and_the_store_stays_intact(case, tmp_path, populated_store):
    store, summary = populated_store
    make_path, flags, expected = BAD_INPUTS[case]
    path = make_path(tmp_path)
    if "--task" not in flags:
        flags = [*flags, "--task", "classification"]
    before = run_cli_json("experiments", store=store)

    result = run_cli("train", path, *flags, "--max-trials", "2", store=store)

    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("automl-codegen: error: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    assert run_cli_json("experiments", store=store) == before
    runs = run_cli_json("runs", summary["experiment_id"], store=store)
    completed = {r["id"] for r in runs if r["status"] == "completed"}
    assert {r["run_id"] for r in summary["runs"] if r["status"] == "completed"} == completed


def test_a_class_with_fewer_rows_than_folds_lowers_the_folds(tmp_path):
    frame = _frame(60)
    frame.loc[[0, 2, 4], "label"] = "rare"  # 3 rows: fewer than the 10 folds chosen for 60 rows
    data = tmp_path / "rare.csv"
    frame.to_csv(data, index=False)
    store = tmp_path / "store"
    summary = run_cli_json(
        "train",
        data,
        "--label",
        "label",
        "--task",
        "classification",
        "--max-trials",
        "2",
        "--workers",
        "1",
        store=store,
    )
    assert summary["best_run_id"]
    from jupyter_automl_codegen import RunStore

    parent = RunStore(store).get_run(summary["parent_run_id"])
    assert parent.properties["validation"]["n_folds"] == 3


def test_unknown_run_and_malformed_ids_are_clear_errors(tmp_path):
    data = _penguins_csv(tmp_path / "p.csv")
    for run_id, expected in [
        ("AutoML_" + "0" * 32 + "_1", "not found"),
        ("../../etc/passwd", "invalid"),
        ("AutoML_" + "0" * 32 + "_1\n", "invalid"),
    ]:
        result = run_cli("predict", run_id, data, "--out", tmp_path / "o.csv", store=tmp_path / "s")
        assert result.returncode == 2
        assert expected in result.stderr.lower(), result.stderr
        assert "Traceback" not in result.stderr
    result = run_cli("runs", "exp_nothex", store=tmp_path / "s")
    assert result.returncode == 2 and "Traceback" not in result.stderr

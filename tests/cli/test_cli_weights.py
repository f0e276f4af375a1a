"""``train --weight-column``: a weighted experiment from the command line, and every kind of
bad weights refused with one error line, exit status 2 and the store unchanged."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from ..clitools import run_cli, run_cli_json

WEIGHT = "weight"


def _frame(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "z": rng.integers(0, 5, size=n),
            WEIGHT: rng.uniform(0.1, 3.0, size=n).round(2),
            "label": np.where(np.arange(n) % 2 == 0, "a", "b"),
        }
    )


def _with_weights(values):
    """The frame with its weight column replaced by ``values`` (one per row, or a scalar)."""
    frame = _frame().astype({WEIGHT: object})
    frame[WEIGHT] = values if np.isscalar(values) else list(values)
    return frame


def _some(value, rows=(3, 7)):
    weights = list(_frame()[WEIGHT])
    for row in rows:
        weights[row] = value
    return weights


BAD_WEIGHTS = {
    "column missing": (_frame().drop(columns=[WEIGHT]), "weight column 'weight' is not in"),
    "non-numeric": (_with_weights(_some("heavy")), "is not numeric"),
    "negative": (_with_weights(_some(-1.5)), "holds negative values (rows [3, 7])"),
    "missing values": (_with_weights(_some(None)), "has missing values (rows [3, 7])"),
    "infinite": (_with_weights(_some(np.inf)), "holds infinite values (rows [3, 7])"),
    "all zero": (_with_weights(0.0), "is zero on every labelled row"),
}


def _store_state(store):
    """Every file of the store folder and its bytes' SHA-256."""
    return {
        str(path.relative_to(store)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(store.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def weighted_store(tmp_path_factory):
    """A store holding one weighted experiment, trained with ``--weight-column``."""
    store = tmp_path_factory.mktemp("weights-store")
    data = tmp_path_factory.mktemp("data") / "weighted.csv"
    _frame().to_csv(data, index=False)
    summary = run_cli_json(
        "train",
        data,
        "--label",
        "label",
        "--task",
        "classification",
        "--weight-column",
        WEIGHT,
        "--max-trials",
        "3",
        "--timeout",
        "120",
        "--workers",
        "1",
        "--no-ensembles",
        store=store,
    )
    return store, summary


def test_train_with_a_weight_column(weighted_store):
    store, summary = weighted_store
    assert summary["best_run_id"]
    runs = run_cli_json("runs", summary["experiment_id"], store=store)
    assert runs and all(r["status"] == "completed" for r in runs)


@pytest.mark.parametrize("case", list(BAD_WEIGHTS))
def test_bad_weights_are_one_clear_error_and_the_store_stays_unchanged(
    case, tmp_path, weighted_store
):
    store, _ = weighted_store
    frame, expected = BAD_WEIGHTS[case]
    data = tmp_path / "bad.csv"
    frame.to_csv(data, index=False)
    experiments, files = run_cli_json("experiments", store=store), _store_state(store)

    result = run_cli(
        "train",
        data,
        "--label",
        "label",
        "--task",
        "classification",
        "--weight-column",
        WEIGHT,
        "--max-trials",
        "2",
        store=store,
    )

    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("automl-codegen: error: ")
    assert expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert run_cli_json("experiments", store=store) == experiments
    assert _store_state(store) == files


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--label", "label", "--weight-column", "label"], "is the label column"),
        (
            ["--label", "label", "--task", "forecasting", "--time-column", "x"],
            "forecasting does not take sample weights",
        ),
    ],
)
def test_weight_column_settings_that_cannot_work(flags, expected, tmp_path, weighted_store):
    store, _ = weighted_store
    data = tmp_path / "data.csv"
    _frame().to_csv(data, index=False)
    if "--weight-column" not in flags:
        flags = [*flags, "--weight-column", WEIGHT]
    if "--task" not in flags:
        flags = [*flags, "--task", "classification"]
    files = _store_state(store)

    result = run_cli("train", data, *flags, store=store)

    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("automl-codegen: error: "), result.stderr
    assert expected in lines[0], lines[0]
    assert _store_state(store) == files

"""Promise 2, Exact: running a generated script.py rebuilds the stored model.

For one run of every algorithm of both tasks, and both ensembles of both tasks, the generated
script runs in a subprocess on the run's data snapshot; its model must predict exactly what the
stored model predicts on rows neither saw, and its metrics.json must equal the run's metrics.
For the VotingEnsemble, whose metrics the engine computed from its members' validation
predictions without refitting, this checks that they are what validating it gives.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pytest

from jupyter_automl_codegen.automl.runs import ChildRun
from jupyter_automl_codegen.stored_code import stored_code_dir

pytestmark = pytest.mark.slow


def _one_run_per_algorithm(run):
    chosen = {}
    for child in run.get_children(status="completed"):
        chosen.setdefault(child.algorithm, child)
    return list(chosen.values())


def _run_script(folder, output):
    return subprocess.run(
        [sys.executable, str(folder / "script.py"), "--output-dir", str(output)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def script_results(trained_store, tmp_path_factory):
    """Every chosen run's script, run once (two at a time) for the tests below."""
    store = trained_store["store"]
    jobs = []
    for task in ("classification", "regression"):
        for child in _one_run_per_algorithm(trained_store[task]):
            output = tmp_path_factory.mktemp(f"{task}-{child.algorithm}")
            jobs.append((task, child, stored_code_dir(store, child.id), output))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: _run_script(job[2], job[3]), jobs))
    return [(*job, result) for job, result in zip(jobs, results, strict=True)]


def test_every_algorithm_family_of_both_tasks_is_covered(script_results):
    covered = {(task, child.algorithm) for task, child, *_ in script_results}
    assert {a for t, a in covered if t == "classification"} >= {
        "LogisticRegression",
        "SGD",
        "KNN",
        "HistGradientBoosting",
        "LightGBM",
        "XGBoost",
        "RandomForest",
        "ExtremeRandomTrees",
        "VotingEnsemble",
        "StackEnsemble",
    }
    assert {a for t, a in covered if t == "regression"} >= {
        "Ridge",
        "ElasticNet",
        "SGD",
        "KNN",
        "HistGradientBoosting",
        "LightGBM",
        "XGBoost",
        "RandomForest",
        "ExtremeRandomTrees",
        "VotingEnsemble",
        "StackEnsemble",
    }


def test_generated_scripts_reproduce_metrics_and_predictions(script_results, trained_store):
    store = trained_store["store"]
    for task, child, _folder, output, result in script_results:
        assert result.returncode == 0, (child.algorithm, result.stderr[-2000:])
        # metrics.json holds the very values the run reported
        assert json.loads((output / "metrics.json").read_text()) == child.get_metrics(), (
            child.algorithm
        )
        # the retrained model predicts what the stored model predicts, on unseen raw rows,
        # in the data's own labels
        retrained = joblib.load(output / "model.pkl")
        stored = store.load_model(child.id)
        rows = trained_store["holdout"][task]
        if task == "classification":
            predicted = retrained.predict(rows)
            np.testing.assert_array_equal(predicted, stored.predict(rows))
            np.testing.assert_array_equal(predicted, ChildRun(store, child.id).predict(rows))
            classes = store.get_run(store.get_run(child.id).parent_id).properties["classes"]
            assert list(retrained.classes_) == list(stored.classes_) == classes
            np.testing.assert_allclose(
                retrained.predict_proba(rows), stored.predict_proba(rows), rtol=1e-9, atol=0
            )
        else:
            np.testing.assert_allclose(
                retrained.predict(rows), stored.predict(rows), rtol=1e-9, atol=0
            )


def test_code_for_a_users_own_pipeline_rebuilds_it(tmp_path):
    """generate_training_code takes a user's Pipeline with LightGBM and XGBoost parts."""
    import lightgbm
    import xgboost
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import VotingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    from jupyter_automl_codegen import generate_training_code, load_dataset

    frame = load_dataset("penguins").frame
    numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    pipeline = Pipeline(
        [
            (
                "features",
                ColumnTransformer(
                    [
                        ("numbers", SimpleImputer(), numeric),
                        ("island", OneHotEncoder(handle_unknown="ignore"), ["island"]),
                    ]
                ),
            ),
            (
                "vote",
                VotingClassifier(
                    [
                        ("lgbm", lightgbm.LGBMClassifier(n_estimators=20, verbose=-1, n_jobs=1)),
                        ("xgb", xgboost.XGBClassifier(n_estimators=20, n_jobs=1)),
                    ],
                    voting="soft",
                ),
            ),
        ]
    )
    paths = generate_training_code(
        pipeline, tmp_path / "code", training_data=frame, label="species"
    )
    assert {"script.py", "requirements.txt", "training_code.ipynb"} <= set(paths)
    result = _run_script(tmp_path / "code", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]

    labelled = frame[frame["species"].notna()].reset_index(drop=True)
    X = labelled.drop(columns=["species"])
    y = labelled["species"]
    expected = pipeline.fit(X, y)
    retrained = joblib.load(tmp_path / "out" / "model.pkl")
    np.testing.assert_array_equal(retrained.predict(X), expected.predict(X))
    np.testing.assert_allclose(
        retrained.predict_proba(X), expected.predict_proba(X), rtol=1e-9, atol=0
    )
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["accuracy"] > 0.9

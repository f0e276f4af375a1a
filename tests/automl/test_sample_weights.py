"""Sample weights: a weighted experiment fits every family with the weights, weighs every
metric by them, never uses the weight column as a feature, and its runs' generated scripts
rebuild the same models."""

from __future__ import annotations

import json
import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

from jupyter_automl_codegen import AutoMLConfig, RunStore, load_dataset, submit
from jupyter_automl_codegen.automl import tabular
from jupyter_automl_codegen.automl.preparation import class_codes, prepare_training_data
from jupyter_automl_codegen.automl.validation import ValidationScheme
from jupyter_automl_codegen.automl.weights import fit_weighted, labelled_weights
from jupyter_automl_codegen.automl.zoo import ALGORITHMS, algorithm_names, takes_weights
from jupyter_automl_codegen.errors import ConfigError
from jupyter_automl_codegen.spec import from_spec
from jupyter_automl_codegen.training_code import generate_training_code

from ..budgets import AMPLE_TIME_BUDGET_SECONDS

LABEL = "species"
WEIGHT = "importance"
ENSEMBLES = ("VotingEnsemble", "StackEnsemble")
# Every classification algorithm but KNN, whose fit takes no sample weights.
WEIGHTED_ALGORITHMS = [n for n in algorithm_names("classification") if n != "KNN"]


def weighted_penguins():
    """Penguins with a weight column: varied weights, some rows weighing nothing."""
    frame = load_dataset("penguins").frame.copy()
    rng = np.random.default_rng(17)
    weights = rng.choice([0.0, 0.5, 1.0, 2.0, 5.0], size=len(frame), p=[0.1, 0.2, 0.3, 0.2, 0.2])
    frame.insert(3, WEIGHT, weights)
    return frame


@pytest.fixture(scope="module")
def weighted(tmp_path_factory):
    """One weighted classification experiment: the first round of every family that takes
    weights (one trial each), then both ensembles."""
    root = tmp_path_factory.mktemp("weighted-store")
    frame = weighted_penguins()
    config = AutoMLConfig(
        task="classification",
        label_column_name=LABEL,
        weight_column_name=WEIGHT,
        max_trials=len(WEIGHTED_ALGORITHMS),
        experiment_timeout_seconds=AMPLE_TIME_BUDGET_SECONDS,
        n_cross_validations=3,
        max_concurrent_iterations=2,
    )
    run = submit(config, frame, store=root, show_progress=False, show_panel=False)
    store = RunStore(root)
    (experiment,) = store.list_experiments()
    X, y, classes = prepare_training_data(frame, LABEL, "classification", WEIGHT)
    return {
        "root": root,
        "store": store,
        "run": run,
        "experiment": experiment,
        "parent": store.get_run(experiment.parent_run_id),
        "runs": store.list_runs(experiment.id),
        "frame": frame,
        "X": X,
        "y": y,
        "classes": classes,
        "weights": labelled_weights(frame, LABEL, WEIGHT),
    }


def test_the_weight_column_is_never_a_feature(weighted):
    plan = weighted["parent"].properties["featurization"]
    assert WEIGHT not in [column["name"] for column in plan["columns"]]
    assert weighted["parent"].properties["weight_column"] == WEIGHT
    assert WEIGHT not in weighted["X"].columns
    best = weighted["store"].get_run(weighted["experiment"].best_run_id)
    model = weighted["store"].load_model(best.id)
    assert WEIGHT not in list(model.feature_names_in_)


def test_every_family_that_takes_weights_is_tried_and_knn_is_not(weighted):
    trials = [r for r in weighted["runs"] if r.algorithm not in ENSEMBLES]
    assert all(r.status == "completed" for r in weighted["runs"]), [
        (r.algorithm, r.error) for r in weighted["runs"]
    ]
    families = {ALGORITHMS[name].family for name in WEIGHTED_ALGORITHMS}
    assert {ALGORITHMS[r.algorithm].family for r in trials} == families
    assert "KNN" not in {r.algorithm for r in weighted["runs"]}
    assert {r.algorithm for r in weighted["runs"]} >= set(ENSEMBLES)


def test_every_trial_fits_with_the_weights(weighted):
    """Each stored model is its spec fitted with the weights, and differs from the same spec
    fitted without them."""
    X, y, w = weighted["X"], weighted["y"], weighted["weights"]
    for run in weighted["runs"]:
        stored = weighted["store"].load_model(run.id).predict_proba(X)
        refit = fit_weighted(from_spec(run.spec), X, y, w).predict_proba(X)
        np.testing.assert_allclose(stored, refit, rtol=1e-9, atol=1e-12, err_msg=run.algorithm)
        if run.algorithm not in ENSEMBLES:
            unweighted = from_spec(run.spec).fit(X, y).predict_proba(X)
            assert not np.allclose(stored, unweighted, rtol=1e-9, atol=1e-12), run.algorithm


@pytest.mark.filterwarnings("ignore:The y_prob values do not sum to one")
def test_recorded_metrics_are_sklearns_weighted_metrics_of_the_validation_predictions(weighted):
    store, parent = weighted["store"], weighted["parent"]
    codes = class_codes(weighted["y"], weighted["classes"])
    w = weighted["weights"]
    splits = ValidationScheme.from_dict(parent.properties["validation"]).splits(codes)
    checked = 0
    for run in weighted["runs"]:
        predictions = store.load_validation_predictions(run.id)
        if predictions is None or run.algorithm in ENSEMBLES:
            continue
        folds = {"weighted": [], "unweighted": []}
        for (_, valid), proba in zip(splits, predictions, strict=True):
            proba = np.asarray(proba, dtype=float)  # XGBoost's are float32
            for kind, weights in (("weighted", w[valid]), ("unweighted", None)):
                true = codes[valid]
                folds[kind].append(
                    {
                        "AUC_weighted": roc_auc_score(
                            true,
                            proba,
                            average="weighted",
                            multi_class="ovr",
                            sample_weight=weights,
                        ),
                        "log_loss": log_loss(true, proba, labels=[0, 1, 2], sample_weight=weights),
                        "accuracy": accuracy_score(
                            true, proba.argmax(axis=1), sample_weight=weights
                        ),
                    }
                )
        for name in ("AUC_weighted", "log_loss", "accuracy"):
            expected = np.mean([fold[name] for fold in folds["weighted"]])
            assert run.metrics[name] == pytest.approx(expected, rel=1e-12, abs=1e-12), name
        unweighted_log_loss = np.mean([fold["log_loss"] for fold in folds["unweighted"]])
        assert run.metrics["log_loss"] != pytest.approx(unweighted_log_loss, rel=1e-6)
        checked += 1
    assert checked >= 1


def _run_script(run_id, store, tmp_path):
    folder = tmp_path / run_id
    generate_training_code(run_id, folder, store=store)
    result = subprocess.run(
        [sys.executable, "script.py", "--output-dir", "out"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((folder / "out" / "metrics.json").read_text()), folder / "out" / "model.pkl"


@pytest.mark.parametrize("which", ["best", "StackEnsemble", "VotingEnsemble"])
def test_script_rebuilds_the_weighted_run_exactly(weighted, which, tmp_path):
    store = weighted["store"]
    if which == "best":
        run = store.get_run(weighted["experiment"].best_run_id)
    else:
        (run,) = [r for r in weighted["runs"] if r.algorithm == which]
    metrics, model_path = _run_script(run.id, weighted["root"], tmp_path)
    assert metrics.keys() == run.metrics.keys()
    for name, value in run.metrics.items():
        if value is None:
            assert metrics[name] is None, name
        else:
            assert metrics[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name
    rows = weighted["frame"].drop(columns=[LABEL])  # raw rows, the weight column included
    rebuilt, stored = joblib.load(model_path), store.load_model(run.id)
    np.testing.assert_array_equal(rebuilt.predict(rows), stored.predict(rows))
    np.testing.assert_allclose(
        rebuilt.predict_proba(rows), stored.predict_proba(rows), rtol=1e-9, atol=1e-12
    )
    source = (tmp_path / run.id / "script.py").read_text()
    assert f'WEIGHT_COLUMN = "{WEIGHT}"' in source


def test_a_resumed_experiment_keeps_its_weights(weighted):
    store, experiment, parent = weighted["store"], weighted["experiment"], weighted["parent"]
    config = AutoMLConfig(**parent.properties["config"])
    assert config.weight_column_name == WEIGHT
    assert AutoMLConfig(**config.to_dict()) == config
    data = tabular.reload_data(store, experiment, parent, config.validate())
    np.testing.assert_array_equal(data.weights, weighted["weights"])
    assert data.weight_column == WEIGHT


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"task": "forecasting", "time_column_name": "date"}, "forecasting does not take"),
        ({"weight_column_name": LABEL}, "is the label column"),
        ({"allowed_models": ["KNN", "LightGBM"]}, "'KNN', which cannot fit with sample weights"),
        ({"weight_column_name": ""}, "must name a column"),
    ],
)
def test_weight_settings_that_cannot_work_are_config_errors(settings, expected):
    config = AutoMLConfig(
        **{
            "task": "classification",
            "label_column_name": LABEL,
            "weight_column_name": WEIGHT,
            **settings,
        }
    )
    with pytest.raises(ConfigError, match=expected):
        config.validate()


def test_knn_is_left_out_of_weighted_experiments_only():
    assert not takes_weights("KNN", "classification")
    plain = AutoMLConfig(task="regression", label_column_name="y")
    weighted = AutoMLConfig(task="regression", label_column_name="y", weight_column_name="w")
    assert "KNN" in plain.validate().algorithms()
    assert "KNN" not in weighted.validate().algorithms()

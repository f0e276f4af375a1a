"""The model zoo: every name it tunes or fixes is a real parameter of its estimator, and every
configuration the search samples fits, and survives the pipeline spec unchanged.

LightGBM and XGBoost accept any keyword, so constructing an estimator proves nothing: a typo
in a search space would be stored, shown and generated as code while the library ignores it.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from lightgbm.basic import _ConfigAliases
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.pipeline import Pipeline

from jupyter_automl_codegen.automl.featurization import build_featurizer
from jupyter_automl_codegen.automl.preparation import prepare_training_data
from jupyter_automl_codegen.automl.profiling import profile_columns
from jupyter_automl_codegen.automl.search import STARTUP_TRIALS, Searcher
from jupyter_automl_codegen.automl.zoo import ALGORITHMS, make_estimator, make_scaler
from jupyter_automl_codegen.spec import from_spec, to_spec

SEED = 3
# Starting points, the random start-up draws, then draws from the fitted TPE model.
SAMPLES = 2 + STARTUP_TRIALS + 3
PAIRS = [(name, task) for name, a in ALGORITHMS.items() for task in sorted(a.estimators)]
PAIR_IDS = [f"{name}-{task}" for name, task in PAIRS]


def _lightgbm_core_parameters() -> set[str]:
    """The parameters LightGBM's own library knows (its names and aliases, from its C table):
    the scikit-learn wrapper passes these through ``**kwargs``, so get_params lists them only
    when set."""
    names = set()
    for name, aliases in _ConfigAliases._get_all_param_aliases().items():
        names.add(name)
        names.update(aliases)
    return names


def _real_parameters(estimator_class) -> set[str]:
    """The parameters an estimator documents: those of a default instance (and, for LightGBM,
    the core parameters its wrapper forwards)."""
    names = set(estimator_class().get_params())
    if estimator_class.__module__.startswith("lightgbm"):
        names |= _lightgbm_core_parameters()
    return names


def _sampled_configurations(name: str, task: str, rows: int, columns: int) -> list:
    """What the search proposes for one algorithm: its starting points, then sampled draws;
    each told a loss so that the later draws come from TPE's model, not only at random."""
    searcher = Searcher(task, [name], SEED, rows, columns)
    rng = np.random.default_rng(SEED)
    proposals = []
    for _ in range(SAMPLES):
        proposal = searcher.propose(name)
        searcher.tell(proposal, float(rng.uniform(0.1, 1.0)))
        proposals.append(proposal)
    return proposals


def _tiny_frame(task: str) -> pd.DataFrame:
    """Forty-eight rows of two numeric columns and a categorical one."""
    rng = np.random.default_rng(0)
    rows = 48
    frame = pd.DataFrame(
        {
            "width": rng.normal(size=rows),
            "height": rng.uniform(0, 10, size=rows),
            "colour": rng.choice(["red", "green", "blue"], size=rows),
        }
    )
    signal = frame["width"] + frame["height"] / 5 + (frame["colour"] == "red")
    if task == "classification":
        frame["label"] = np.where(signal > signal.median(), "yes", "no")
    else:
        frame["label"] = signal + rng.normal(scale=0.1, size=rows)
    return frame


@pytest.fixture(scope="module", params=["classification", "regression"])
def tiny_data(request):
    task = request.param
    frame = _tiny_frame(task)
    plan = profile_columns(frame, "label")
    X, y, _ = prepare_training_data(frame, "label", task)
    return {"task": task, "plan": plan, "X": X, "y": y}


@pytest.mark.parametrize(("name", "task"), PAIRS, ids=PAIR_IDS)
def test_every_tuned_and_fixed_name_is_a_real_parameter(name, task):
    algorithm = ALGORITHMS[name]
    real = _real_parameters(algorithm.estimators[task])
    named = {
        "initial": set(algorithm.initial[task]),
        "default": set(algorithm.default.get(task, {})),
        "fixed": set(algorithm.fixed(task, SEED)),
        "sizes": set(algorithm.sizes),
    }
    proposals = _sampled_configurations(name, task, rows=200, columns=5)
    for proposal in proposals:
        named[f"sampled #{proposal.number}"] = set(proposal.params)
    for where, names in named.items():
        assert names <= real, f"{name} ({task}) {where}: not parameters: {sorted(names - real)}"
    # the search tunes what the starting points set, the size caps included
    sampled = set(proposals[-1].params)
    assert set(algorithm.initial[task]) <= sampled
    assert set(algorithm.sizes) <= sampled


def test_the_real_parameter_check_refuses_a_misspelt_keyword():
    """The check above can fail: a keyword LightGBM or XGBoost would silently accept is not
    among their real parameters."""
    for name in ("LightGBM", "XGBoost"):
        for estimator_class in ALGORITHMS[name].estimators.values():
            estimator_class(num_leafs=8)  # accepted without a word
            assert "num_leafs" not in _real_parameters(estimator_class)
    assert "verbose" in _real_parameters(ALGORITHMS["LightGBM"].estimators["regression"])


def test_every_sampled_configuration_fits_and_round_trips_through_the_spec(tiny_data):
    task, plan, X, y = (tiny_data[k] for k in ("task", "plan", "X", "y"))
    featurizer = build_featurizer(plan)
    tried = set()
    for name, algorithm in ALGORITHMS.items():
        if task not in algorithm.estimators:
            continue
        for proposal in _sampled_configurations(name, task, len(y), len(plan.feature_columns)):
            steps = [("featurize", clone(featurizer))]
            if proposal.scaler is not None:
                steps.append(("scale", make_scaler(proposal.scaler)))
            model = make_estimator(name, task, proposal.params, SEED)
            steps.append(("model", model))
            pipeline = Pipeline(steps)
            where = f"{name} ({task}) #{proposal.number} {proposal.params}"

            # through JSON, as the store keeps it, and back: the same pipeline
            spec = json.loads(json.dumps(to_spec(pipeline)))
            rebuilt = from_spec(spec)
            assert to_spec(rebuilt) == spec, where

            # what the search chose is what both estimators hold
            chosen = {**proposal.params, **algorithm.fixed(task, SEED)}
            for estimator in (model, rebuilt.named_steps["model"]):
                if isinstance(estimator, VotingClassifier):  # XGBoost, answering in labels
                    assert [name for name, _ in estimator.estimators] == ["xgboost"], where
                    estimator = estimator.estimators[0][1]
                held = estimator.get_params()
                assert {key: held[key] for key in chosen} == chosen, where

            # both fit on the tiny data and, seeded alike, predict alike
            predictions = pipeline.fit(X, y).predict(X)
            assert len(predictions) == len(y), where
            np.testing.assert_array_equal(rebuilt.fit(X, y).predict(X), predictions, where)
            tried.add(name)
    assert tried == {n for n, a in ALGORITHMS.items() if task in a.estimators}

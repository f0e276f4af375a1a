"""The search's starting points and its trial-time estimates."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen.automl.search import Searcher
from jupyter_automl_codegen.automl.search_loop import FIRST_ROUND_SHARE, propose
from jupyter_automl_codegen.automl.timing import TrialTimes
from jupyter_automl_codegen.automl.zoo import ALGORITHMS, algorithm_names


def _first_round(searcher: Searcher) -> list[tuple[str, dict]]:
    proposals = []
    while True:
        name = searcher.choose_algorithm()
        if not searcher.starting_point(name):
            return proposals
        proposals.append((name, searcher.propose(name).params))


def test_boosting_libraries_try_their_usual_default_right_after_the_cheap_start():
    searcher = Searcher("classification", algorithm_names("classification"), 0, 40_000, 20)
    proposals = _first_round(searcher)
    lightgbm = [params for name, params in proposals if name == "LightGBM"]
    assert lightgbm == [
        ALGORITHMS["LightGBM"].initial["classification"],
        ALGORITHMS["LightGBM"].default["classification"],
    ]
    hgb = [params for name, params in proposals if name == "HistGradientBoosting"]
    assert hgb[1]["max_iter"] == 100 and hgb[1]["max_leaf_nodes"] == 31
    # every algorithm's start is in the first round, cheapest first
    assert {name for name, _ in proposals} == set(algorithm_names("classification"))
    costs = [ALGORITHMS[name].cost(params, 40_000, 20) for name, params in proposals]
    assert costs == sorted(costs)


def test_on_large_data_the_lightgbm_default_comes_before_the_slow_starts():
    searcher = Searcher("classification", algorithm_names("classification"), 0, 40_000, 20)
    order = [(name, params.get("n_estimators")) for name, params in _first_round(searcher)]
    default = order.index(("LightGBM", 100))
    for slow in ("RandomForest", "ExtremeRandomTrees", "LogisticRegression", "SGD"):
        assert default < [name for name, _ in order].index(slow)


def test_a_default_larger_than_the_growth_cap_is_still_tried_as_given():
    searcher = Searcher("regression", ["LightGBM"], 0, 500, 5)
    start = searcher.propose("LightGBM")
    searcher.tell(start, 1.0)
    default = searcher.propose("LightGBM")
    # the cap after a 4-tree best is 16 trees; the default's 100 trees pass through unchanged
    assert default.params == ALGORITHMS["LightGBM"].default["regression"]
    assert not searcher.starting_point("LightGBM")


def test_trial_times_separate_the_fixed_part_from_the_part_that_grows_with_cost():
    times = TrialTimes()
    assert times.estimate("LightGBM", 1_000) == 0.0  # nothing measured yet
    times.add("LightGBM", 1_000, 2.0)  # a cheap start: almost all fixed cost
    times.add("LightGBM", 101_000, 3.0)  # a hundred times the cost, 1 s more
    assert times.estimate("LightGBM", 201_000) == pytest.approx(4.0)
    # one trial only: rated from the fastest trial of any algorithm
    times.add("RandomForest", 50_000, 6.0)
    assert times.estimate("RandomForest", 100_000) == pytest.approx(2.0 + 8.0)


def test_starting_points_and_new_algorithms_use_the_median_rate():
    times = TrialTimes()
    times.add("a", 100, 1.0)  # the fastest trial: fixed part 1 s
    times.add("b", 100, 2.0)  # 0.01 s per unit
    times.add("c", 100, 5.0)  # 0.04 s per unit
    median_rate = 0.01
    assert times.estimate("new", 1_000) == pytest.approx(1.0 + median_rate * 1_000)
    assert times.estimate("c", 1_000, starting_point=True) == pytest.approx(1.0 + 10.0)
    assert times.estimate("c", 1_000) == pytest.approx(1.0 + 40.0)


def test_a_slow_starting_point_waits_for_the_draw_instead_of_filling_the_first_round():
    searcher = Searcher("classification", ["RandomForest", "LightGBM"], 0, 40_000, 20)
    times = TrialTimes()
    for loss in (0.5, 0.3):  # LightGBM's start and default, the cheapest starting points
        proposal = searcher.propose("LightGBM")
        searcher.tell(proposal, loss)
        times.add("LightGBM", proposal.cost, 1.0 + proposal.cost * 1e-5)
    assert searcher.choose_algorithm() == "RandomForest"  # the first round's last entry
    forest = times.estimate(
        "RandomForest", searcher.estimated_cost("RandomForest"), starting_point=True
    )
    plenty = forest / FIRST_ROUND_SHARE * 2
    assert propose(searcher, times, plenty).algorithm == "RandomForest"
    # with less time left the forest's start waits: the draw (seed 0) grows LightGBM
    searcher = Searcher("classification", ["RandomForest", "LightGBM"], 0, 40_000, 20)
    for loss in (0.5, 0.3):
        searcher.tell(searcher.propose("LightGBM"), loss)
    proposal = propose(searcher, times, forest / FIRST_ROUND_SHARE / 2)
    assert proposal.algorithm == "LightGBM"
    assert not searcher.starting_point("LightGBM")

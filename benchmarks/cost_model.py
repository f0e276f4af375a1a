"""How well the zoo's cost model ranks configurations: measured seconds per cost unit.

For each data set, the 75 % training rows of seed 0 are featurized once; then every
algorithm's starting points (the cheap start and, for the boosting libraries, the library
default) and one configuration four times the default's size are fitted on 90 % of the rows
and predict the other 10 %, on one thread, as a trial does. The table prints the seconds per
million cost units. A perfect cost model would print the same number on every line; the
search only needs the order right, since it measures real trial times as it goes.

    .venv/bin/python benchmarks/cost_model.py
    .venv/bin/python benchmarks/cost_model.py --datasets cars nyc-flights
"""

from __future__ import annotations

import argparse
import time

from automl_vs_peers import split
from peer_datasets import DATASETS
from threadpoolctl import threadpool_limits

from jupyter_automl_codegen.automl.featurization import build_featurizer
from jupyter_automl_codegen.automl.preparation import prepare_training_data
from jupyter_automl_codegen.automl.profiling import profile_columns
from jupyter_automl_codegen.automl.zoo import ALGORITHMS, GROWTH, make_estimator

SIZE_NAMES = ("n_estimators", "num_leaves", "max_iter", "max_leaf_nodes", "max_leaves")


def configurations(algorithm, task: str) -> list[dict]:
    """The starting points, then the last of them grown GROWTH times in every size."""
    points = [algorithm.initial[task]]
    if task in algorithm.default:
        points.append(algorithm.default[task])
    if algorithm.sizes:
        grown = dict(points[-1])
        for name, (_, hard_max) in algorithm.sizes.items():
            grown[name] = min(hard_max, grown[name] * GROWTH)
        points.append(grown)
    return points


def measure(name: str) -> list[dict]:
    dataset = DATASETS[name]
    train, _ = split(dataset.frame(), dataset.label, dataset.task, 0)
    plan = profile_columns(train, dataset.label)
    X, y, _ = prepare_training_data(train, dataset.label, dataset.task)
    features = build_featurizer(plan).fit_transform(X, y)
    rows, columns = len(y), max(1, len(plan.feature_columns))
    cut = int(rows * 0.9)
    lines = []
    with threadpool_limits(1):
        for algorithm in ALGORITHMS.values():
            if dataset.task not in algorithm.estimators:
                continue
            for params in configurations(algorithm, dataset.task):
                model = make_estimator(algorithm.name, dataset.task, params, 0)
                started = time.perf_counter()
                model.fit(features[:cut], y[:cut])
                model.predict(features[cut:])
                seconds = time.perf_counter() - started
                cost = algorithm.cost(params, rows, columns)
                sizes = " ".join(f"{k}={v}" for k, v in params.items() if k in SIZE_NAMES)
                lines.append(
                    {
                        "data": name,
                        "shape": f"{rows}x{features.shape[1]}",
                        "algorithm": algorithm.name,
                        "sizes": sizes,
                        "cost": cost,
                        "seconds": seconds,
                    }
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ["cars", "digits", "fair", "diamonds", "nyc-flights"]
    parser.add_argument("--datasets", nargs="+", default=default, choices=list(DATASETS))
    args = parser.parse_args()
    print("| data | rows x features | algorithm | sizes | cost units | seconds | s per M units |")
    print("|---|---|---|---|---|---|---|")
    for name in args.datasets:
        for line in measure(name):
            print(
                f"| {line['data']} | {line['shape']} | {line['algorithm']} | {line['sizes']} | "
                f"{line['cost']:,.0f} | {line['seconds']:.3f} | "
                f"{line['seconds'] / line['cost'] * 1e6:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

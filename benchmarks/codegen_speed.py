"""Code generation speed, and the training time of generated scripts against their trials.

Trains one small experiment per bundled data set (code generation off), then for each
completed run:
- times rendering and writing its generated folder (median of repeats), next to the peer
  ``joblib.dump`` of the same fitted model into the same kind of folder;
- runs the generated script's stages in-process (single-threaded, as the trial ran) and
  compares its training time (validation with scoring, then the final fit) with the same
  work in the trial (its recorded fit plus score time, featurization included) and with the
  trial's whole duration in the driver (plus data transfer, pickling and storing).

    .venv/bin/python benchmarks/codegen_speed.py
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import joblib
from threadpoolctl import threadpool_limits

from jupyter_automl_codegen import AutoMLConfig, RunStore, load_dataset, submit
from jupyter_automl_codegen.stored_code import generate_run_code


def _median_ms(function, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _script_training_seconds(folder: Path) -> float:
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(f"script_{folder.name}", folder / "script.py")
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        X, y = script.prepare_data(script.get_training_dataset())
        with threadpool_limits(1):
            started = time.perf_counter()
            script.validate_model(X, y)
            script.train_model(X, y)
            return time.perf_counter() - started
    finally:
        sys.path.remove(str(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=["penguins", "cars"])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(
        "data | run | algorithm | codegen_ms | joblib_dump_ms | ratio | script_s | "
        "trial_work_s | script/work | trial_total_s | script/total"
    )
    generation, fit_ratios, total_ratios = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp) / "store")
        for name in args.datasets:
            dataset = load_dataset(name)
            config = AutoMLConfig(
                task=dataset.task,
                label_column_name=dataset.label,
                max_trials=args.trials,
                experiment_timeout_seconds=600,
                enable_code_generation=False,
            )
            run = submit(config, dataset.frame, store=store, show_progress=False)
            for child in run.get_children(status="completed"):
                folder = Path(tmp) / "code" / child.id
                generate = partial(generate_run_code, store, child.id, folder)
                codegen_ms = _median_ms(generate, args.repeats)
                dump = partial(joblib.dump, store.load_model(child.id), folder / "peer.pkl")
                dump_ms = _median_ms(dump, args.repeats)
                script_s = _script_training_seconds(folder)
                record = store.get_run(child.id)
                total_s = (record.ended_at - record.started_at).total_seconds()
                work_s = record.fit_time + record.score_time
                generation.append(codegen_ms)
                fit_ratios.append(script_s / work_s)
                total_ratios.append(script_s / total_s)
                print(
                    f"{name} | {child.id[-3:]} | {child.algorithm} | {codegen_ms:.1f} | "
                    f"{dump_ms:.1f} | {codegen_ms / dump_ms:.1f} | {script_s:.3f} | "
                    f"{work_s:.3f} | {script_s / work_s:.2f} | "
                    f"{total_s:.3f} | {script_s / total_s:.2f}",
                    flush=True,
                )
    print(f"median codegen per run folder: {statistics.median(generation):.1f} ms (goal < 50)")
    print(f"median script/trial-work time: {statistics.median(fit_ratios):.2f}x (goal <= 1.1)")
    print(f"median script/trial-total time: {statistics.median(total_ratios):.2f}x")


if __name__ == "__main__":
    main()

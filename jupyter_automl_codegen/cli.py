"""The ``automl-codegen`` command line: train, list experiments and runs, predict, demo.

The machine-learning libraries are imported only by the commands that train or predict, so
listing experiments and runs answers at once.

Bad input ends with a one-line ``automl-codegen: error: ...`` message and exit status 2, never
a traceback, and never a change to the runs already in the store.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .datasets import DATASET_NAMES
from .errors import UserInputError
from .listing import experiments_table, leaderboard_table
from .store import RunStore, StoreError, StoreUnavailableError

PROG = "automl-codegen"
EXIT_USAGE = 2
EXIT_FAILED = 1  # train: the experiment ended without a completed trial


class CommandError(Exception):
    """A user-facing failure of a command: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run AutoML locally and get the training code of every trained model.",
    )
    parser.add_argument(
        "--store",
        metavar="DIR",
        help="run store folder (default: $AUTOML_CODEGEN_STORE, else "
        "~/.local/share/jupyter-automl-codegen/store)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train an AutoML experiment on a CSV/Parquet file")
    train.add_argument("data", metavar="DATA", nargs="?", help="training data, .csv or .parquet")
    train.add_argument("--label", metavar="COL", help="column to predict (required)")
    train.add_argument(
        "--task",
        choices=("classification", "regression", "forecasting"),
        help="the task (required)",
    )
    train.add_argument(
        "--weight-column",
        metavar="COL",
        help="classification/regression: a column of sample weights (never a feature)",
    )
    train.add_argument("--time-column", metavar="COL", help="forecasting: the column of timestamps")
    train.add_argument(
        "--series-id",
        action="append",
        metavar="COL",
        help="forecasting: a column naming the series (repeat for several)",
    )
    train.add_argument(
        "--known-feature",
        action="append",
        metavar="COL",
        help="forecasting: a numeric column known in advance (repeat for several)",
    )
    train.add_argument(
        "--horizon", type=int, default=1, metavar="N", help="forecasting: steps to forecast"
    )
    train.add_argument(
        "--frequency", metavar="F", help="forecasting: pandas frequency (default: inferred)"
    )
    train.add_argument("--metric", metavar="NAME", help="primary metric (Azure AutoML names)")
    train.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="time budget of the search (default: 60)",
    )
    train.add_argument("--max-trials", type=int, metavar="N", help="stop after N trials")
    train.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default: 0)")
    train.add_argument(
        "--workers", type=int, metavar="N", help="trials run in parallel (default: number of cores)"
    )
    train.add_argument("--experiment", metavar="NAME", help="experiment name (default: file name)")
    train.add_argument(
        "--no-code-generation",
        action="store_true",
        help="do not generate training code after each trial",
    )
    train.add_argument(
        "--no-ensembles",
        action="store_true",
        help="do not end with the VotingEnsemble and StackEnsemble runs",
    )
    train.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="run the trials on this running Dask scheduler (tcp://host:8786); "
        "needs the dask extra: pip install 'jupyter-automl-codegen[dask]'",
    )
    train.add_argument(
        "--trial-timeout",
        type=float,
        metavar="SECONDS",
        help="a trial running longer fails and the search goes on",
    )
    train.add_argument(
        "--trial-memory",
        type=int,
        metavar="MB",
        help="a trial allocating more memory than this fails (local workers, POSIX; pair it "
        "with --trial-timeout, since native code may spin instead of failing)",
    )
    train.add_argument(
        "--resume",
        metavar="EXPERIMENT_ID",
        help="continue an interrupted experiment with the budget it had left "
        "(no DATA, --label or --task)",
    )
    train.add_argument("--json", action="store_true", help="print one JSON object on stdout")

    experiments = commands.add_parser("experiments", help="list experiments")
    experiments.add_argument("--json", action="store_true")

    runs = commands.add_parser("runs", help="list the child runs of an experiment")
    runs.add_argument("experiment_id", metavar="EXPERIMENT_ID")
    runs.add_argument("--json", action="store_true")

    predict = commands.add_parser("predict", help="predict with a trained child run")
    predict.add_argument("run_id", metavar="RUN_ID")
    predict.add_argument("data", metavar="DATA")
    predict.add_argument("--out", required=True, metavar="FILE.csv")

    codegen = commands.add_parser(
        "codegen",
        help="write the training code of a child run: its stored folder, else generated",
    )
    codegen.add_argument("run_id", metavar="RUN_ID")
    codegen.add_argument("--out", required=True, metavar="DIR", help="folder to write into")

    demo = commands.add_parser("demo", help="train on the bundled penguins data")
    demo.add_argument("--dataset", choices=DATASET_NAMES, default="penguins")
    demo.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; ``argv`` defaults to the process's own arguments. Run as the command
    (no ``argv``), a training's time budget counts from the start of the process."""
    started = _process_started() if argv is None else time.monotonic()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.started_at = started
    try:
        return COMMANDS[args.command](args)
    except (CommandError, UserInputError, StoreError, LookupError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        if isinstance(error, StoreUnavailableError):
            message = f"{error}; {store_fix(error)}"
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


# What a user of the command line can do about a store that cannot be used.
_STORE_FIXES = {
    "cannot_create": "choose another --store directory",
    "not_writable": "fix its permissions or choose another --store directory",
    "unreadable_database": (
        "if the file is damaged, move it away, or choose another --store directory"
    ),
    "no_wal": "choose another --store directory on a local disk",
    "disk_full": (
        "free some space (the runs finished so far are kept) or choose another --store directory"
    ),
}


def store_fix(error: StoreUnavailableError) -> str:
    """The command line's advice for a store that cannot be used: its ``--store`` flag."""
    return _STORE_FIXES[error.problem]


def _open_store(args) -> RunStore:
    return RunStore(args.store)


def _train(args) -> int:
    from .automl import AutoMLConfig, submit
    from .automl.data import read_table

    if args.resume is not None:
        return _resume(args)
    missing = [
        flag
        for flag, value in (("DATA", args.data), ("--label", args.label), ("--task", args.task))
        if value is None
    ]
    if missing:
        raise CommandError(f"train needs {', '.join(missing)} (or --resume EXPERIMENT_ID).")
    config = AutoMLConfig(
        task=args.task,
        label_column_name=args.label,
        primary_metric=args.metric,
        experiment_timeout_seconds=args.timeout,
        max_trials=args.max_trials,
        seed=args.seed,
        max_concurrent_iterations=args.workers,
        enable_code_generation=not args.no_code_generation,
        enable_voting_ensemble=not args.no_ensembles,
        enable_stack_ensemble=not args.no_ensembles,
        dask_scheduler=args.dask_scheduler,
        trial_timeout_seconds=args.trial_timeout,
        trial_memory_mb=args.trial_memory,
        weight_column_name=args.weight_column,
    )
    if args.task == "forecasting":
        config.time_column_name = args.time_column
        config.time_series_id_column_names = args.series_id
        config.forecast_horizon = args.horizon
        config.freq = args.frequency
        config.known_feature_column_names = args.known_feature
    elif args.time_column or args.series_id or args.frequency or args.known_feature:
        raise CommandError(
            "--time-column, --series-id, --known-feature and --frequency need --task forecasting."
        )
    config.validate()  # before the store is opened: bad flags change nothing
    data = read_table(args.data)
    store = _open_store(args)
    run = submit(
        config,
        data,
        store=store,
        experiment_name=args.experiment or Path(args.data).stem,
        show_progress=not args.json,
        started_at=args.started_at,  # the budget includes reading DATA
    )
    return _print_trained(args, store, run)


def _resume(args) -> int:
    from .automl import resume

    given = [
        flag
        for flag, value in (
            ("DATA", args.data),
            ("--label", args.label),
            ("--task", args.task),
            ("--trial-memory", args.trial_memory),
            ("--trial-timeout", args.trial_timeout),
            ("--max-trials", args.max_trials),
        )
        if value is not None
    ]
    if given:
        raise CommandError(
            f"--resume continues the experiment with its own settings; drop {', '.join(given)}."
        )
    if args.dask_scheduler is not None:
        from .automl.compute import import_distributed

        import_distributed()
    store = _open_store(args)
    run = resume(
        args.resume, store=store, show_progress=not args.json, dask_scheduler=args.dask_scheduler
    )
    return _print_trained(args, store, run)


def _print_trained(args, store, run) -> int:
    """Print the experiment's summary; the exit status is 1 when no trial completed."""
    if args.json:
        _print_json(_train_summary(run))
    else:
        print(f"experiment {run.experiment_id}  parent run {run.id}  status {run.status}")
        print(leaderboard_table(store, run.experiment_id))
    return 0 if run.status == "completed" else EXIT_FAILED


def _demo(args) -> int:
    from .automl import AutoMLConfig, submit
    from .datasets import load_dataset

    dataset = load_dataset(args.dataset)
    config = AutoMLConfig(
        task=dataset.task,
        label_column_name=dataset.label,
        experiment_timeout_seconds=args.timeout,
        time_column_name=dataset.time_column,
        forecast_horizon=dataset.horizon,
    )
    print(
        f"Training on the bundled {dataset.name!r} data ({len(dataset.frame)} rows, "
        f"label {dataset.label!r}, {dataset.task}) for {args.timeout:.0f} s ..."
    )
    store = _open_store(args)
    run = submit(config, dataset.frame, store=store, experiment_name=dataset.name)
    print(f"experiment {run.experiment_id}  parent run {run.id}  status {run.status}")
    print(leaderboard_table(store, run.experiment_id))
    return 0


def _experiments(args) -> int:
    experiments = _open_store(args).list_experiments()
    if args.json:
        _print_json([e.to_dict() for e in experiments])
        return 0
    print(experiments_table(experiments))
    return 0


def _runs(args) -> int:
    store = _open_store(args)
    experiment = store.get_experiment(args.experiment_id)
    if args.json:
        runs = store.list_runs(experiment.id)
        _print_json([r.to_dict() for r in runs])
        return 0
    print(leaderboard_table(store, experiment.id))
    return 0


def _predict(args) -> int:
    from .automl import ChildRun
    from .automl.data import read_table

    store = _open_store(args)
    record = store.get_run(args.run_id)
    if record.kind != "child" or record.status != "completed":
        raise CommandError(
            f"run {record.id} is a {record.status} {record.kind} run; predict needs a "
            "completed child run (see `automl-codegen runs EXPERIMENT_ID`)."
        )
    frame = read_table(args.data)
    experiment = store.get_experiment(record.experiment_id)
    if experiment.task == "forecasting":
        return _write(ChildRun(store, record.id).forecast(frame), args.out, "forecasts")
    features = frame.drop(columns=[experiment.label], errors="ignore")
    expected = store.get_run(record.parent_id).properties["featurization"]["columns"]
    missing = [
        c["name"] for c in expected if c["kind"] != "drop" and c["name"] not in features.columns
    ]
    if missing:
        raise CommandError(
            f"{Path(args.data).name} lacks the training columns "
            f"{', '.join(repr(m) for m in missing[:10])}; give data with the same columns."
        )
    child = ChildRun(store, record.id)
    output = features.iloc[:, :0].copy()
    output["prediction"] = child.predict(features)
    if experiment.task == "classification":
        proba = child.predict_proba(features)
        for column in proba.columns:
            output[f"proba_{column}"] = proba[column]
    try:
        output.to_csv(args.out, index=False)
    except OSError as error:
        raise CommandError(f"cannot write {args.out}: {error.strerror}") from None
    print(f"wrote {len(output)} predictions to {args.out}")
    return 0


def _write(output, out: str, what: str) -> int:
    try:
        output.to_csv(out, index=False)
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    print(f"wrote {len(output)} {what} to {out}")
    return 0


def _codegen(args) -> int:
    """Copy the run's stored code folder, or generate it when the store holds none."""
    from .codegen import CodegenError
    from .stored_code import copy_stored_code, generate_run_code

    store = _open_store(args)
    try:
        paths = copy_stored_code(store, args.run_id, args.out)
        copied = paths is not None
        if not copied:
            paths = generate_run_code(store, args.run_id, args.out)
    except CodegenError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write into {args.out}: {error.strerror}") from None
    for name in sorted(paths):
        print(paths[name])
    if copied:
        print(f"copied the stored generated code of run {args.run_id} to {args.out}")
    else:
        print(f"generated code for run {args.run_id} in {args.out} (the run had none stored)")
    return 0


def _train_summary(run) -> dict:
    best = run.leaderboard()
    return {
        "experiment_id": run.experiment_id,
        "parent_run_id": run.id,
        "best_run_id": best[0].id if best else None,
        "status": run.status,
        "primary_metric_name": run.primary_metric,
        "runs": [
            {
                "run_id": child.id,
                "algorithm": child.algorithm,
                "status": child.status,
                "primary_metric": child.get_metrics().get(run.primary_metric),
                "metrics": child.get_metrics(),
                "error": child.error,
                **({"members": child.members} if child.members else {}),
            }
            for child in run.get_children()
        ],
    }


def _print_json(data) -> None:
    json.dump(data, sys.stdout, indent=2, allow_nan=False, default=str)
    sys.stdout.write("\n")


def _process_started() -> float:
    """The ``time.monotonic()`` reading of this process's start (Linux), else now."""
    try:
        with open("/proc/self/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        since_boot = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22, starttime
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - since_boot
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic()
    return time.monotonic() - max(0.0, age)


COMMANDS = {
    "train": _train,
    "experiments": _experiments,
    "runs": _runs,
    "predict": _predict,
    "codegen": _codegen,
    "demo": _demo,
}


if __name__ == "__main__":
    sys.exit(main())

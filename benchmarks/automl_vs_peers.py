"""Held-out error of this project's AutoML against FLAML and default baselines.

For each data set, time budget and seed: a fixed 75/25 split (stratified for classification);
every contender trains on the 75 % in a fresh subprocess limited to 2 cores (``--workers 2`` /
``n_jobs=2``, ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` = 2), timed
from outside and killed at 1.25 x budget + 30 s (a failure, scored as the constant predictor).
Errors on the 25 %: 1 - ROC AUC (binary), log-loss (multiclass), RMSE (regression).

Contenders: ``ours`` (``automl-codegen train --json`` then ``predict``), ``ours-no-ens``
(the same with ``--no-ensembles``), ``flaml`` (``flaml[automl]`` in its own virtual
environment, ``benchmarks/.venv-flaml``, created on first use), and the baselines
``constant``, ``hgb`` (default HistGradientBoosting) and ``linear`` (logistic / ridge).

Every finished cell is one JSON line in ``benchmarks/results/automl_vs_peers.jsonl``; a new
run skips the cells found there, so a long run can be resumed. The report
(``automl_vs_peers.md`` and ``automl_vs_peers.png``) is rebuilt from all lines at the end.

    .venv/bin/python benchmarks/automl_vs_peers.py                      # 30 and 60 s, 3-5 seeds
    .venv/bin/python benchmarks/automl_vs_peers.py --budgets 30 --seeds 1
    .venv/bin/python benchmarks/automl_vs_peers.py --quick --datasets penguins cars
    .venv/bin/python benchmarks/automl_vs_peers.py --report-only
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from peer_datasets import DATASETS, BenchDataset, describe, task_kind
from scipy.stats import rankdata
from sklearn.metrics import log_loss, roc_auc_score, root_mean_squared_error
from sklearn.model_selection import train_test_split

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
FLAML_VENV = HERE / ".venv-flaml"
# pandas on the project's 2.x line: FLAML 2.7 predates pandas 3, and both sides then read the
# same parquet files with the same pandas.
FLAML_REQUIREMENTS = ["flaml[automl]==2.7.*", "pandas>=2.2,<3", "pyarrow", "scikit-learn"]
CORES = 2
SMALL = 2_000  # below this many rows, 5 seeds instead of 3
TIE = 0.01  # ratios within 1 % of 1 are ties
OURS_METRICS = {
    "binary": "AUC_weighted",
    "multiclass": "log_loss",
    "regression": "root_mean_squared_error",
}
ERROR_NAMES = {"binary": "1 - AUC", "multiclass": "log-loss", "regression": "RMSE"}


# --------------------------------------------------------------------------------------------
# splits and errors


def split(frame: pd.DataFrame, label: str, task: str, seed: int):
    """The fixed 75/25 split of one seed, stratified for classification."""
    stratify = frame[label] if task == "classification" else None
    return train_test_split(frame, test_size=0.25, random_state=seed, stratify=stratify)


def error(kind: str, y_true, prediction: np.ndarray, classes: list[str] | None = None) -> float:
    """1 - ROC AUC (binary), log-loss (multiclass) or RMSE (regression); lower is better.

    For classification ``prediction`` holds the probabilities of ``classes``, in that order
    (sorted; the positive class of a binary task is the second).
    """
    if kind == "regression":
        return float(root_mean_squared_error(np.asarray(y_true, dtype=float), prediction))
    if kind == "binary":
        return float(1.0 - roc_auc_score(np.asarray(y_true) == classes[1], prediction[:, 1]))
    proba = np.clip(prediction, 1e-15, 1.0)
    proba = proba / proba.sum(axis=1, keepdims=True)
    return float(log_loss(y_true, proba, labels=classes))


def align_proba(proba: np.ndarray, given: list[str], classes: list[str]) -> np.ndarray:
    """Reorder a contender's probability columns to ``classes``; absent classes get 0."""
    out = np.zeros((proba.shape[0], len(classes)))
    for j, name in enumerate(given):
        if name in classes:
            out[:, classes.index(name)] = proba[:, j]
    return out


def constant_prediction(kind: str, y_train, n: int, classes: list[str] | None) -> np.ndarray:
    if kind == "regression":
        return np.full(n, float(np.mean(np.asarray(y_train, dtype=float))))
    counts = pd.Series(np.asarray(y_train)).value_counts()
    prior = np.array([counts.get(c, 0) for c in classes], dtype=float) / len(y_train)
    return np.tile(prior, (n, 1))


def geometric_mean(values) -> float:
    return float(np.exp(np.mean(np.log(np.asarray(values, dtype=float)))))


def bootstrap_interval(values, reps: int = 10_000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile bootstrap interval of the geometric mean, resampling the data sets."""
    logs = np.log(np.asarray(values, dtype=float))
    rng = np.random.default_rng(seed)
    means = logs[rng.integers(0, len(logs), size=(reps, len(logs)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(np.exp(low)), float(np.exp(high))


def win_tie_loss(ratios) -> tuple[int, int, int]:
    """Ratios (ours / peer) below 0.99 are wins, above 1.01 losses, the rest ties."""
    ratios = np.asarray(ratios, dtype=float)
    wins = int((ratios < 1 - TIE).sum())
    losses = int((ratios > 1 + TIE).sum())
    return wins, len(ratios) - wins - losses, losses


def mean_ranks(errors: pd.DataFrame) -> pd.Series:
    """Mean rank of each contender (columns) over the problems (rows); 1 is best, ties share."""
    ranks = errors.apply(lambda row: pd.Series(rankdata(row.to_numpy()), index=row.index), axis=1)
    return ranks.mean(axis=0)


# --------------------------------------------------------------------------------------------
# running one contender on one split


def limited_env(extra_pythonpath: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = str(CORES)
    if extra_pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(extra_pythonpath), *filter(None, [env.get("PYTHONPATH")])]
        )
    return env


def _pin_cores() -> None:  # runs in the child before exec
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:CORES])


@dataclass
class Completed:
    status: str  # "ok", "timeout" or "failed"
    seconds: float
    stdout: str = ""
    stderr: str = ""


def run_limited(command: list[str], timeout: float, env: dict[str, str], cwd=None) -> Completed:
    """Run a command in its own process group on 2 cores; kill the whole group at timeout."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_pin_cores,
        )
        try:
            process.wait(timeout=timeout)
            status = "ok" if process.returncode == 0 else "failed"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            status = "timeout"
        seconds = time.monotonic() - started
        if status != "timeout":  # leftover workers of a finished run
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        out.seek(0)
        err.seek(0)
        return Completed(status, seconds, out.read(), err.read())


@dataclass
class Job:
    dataset: str
    label: str
    kind: str
    budget: float
    seed: int
    folder: Path
    classes: list[str] | None

    @property
    def task(self) -> str:
        return "regression" if self.kind == "regression" else "classification"

    @property
    def kill_after(self) -> float:
        return 1.25 * self.budget + 30


@dataclass
class Outcome:
    status: str
    train_s: float
    wall_s: float
    prediction: np.ndarray | None = None
    details: dict = field(default_factory=dict)
    message: str = ""


class WorkerContender:
    """A contender run by ``peer_workers.py`` in some Python environment."""

    def __init__(self, name: str, python=None, budgeted: bool = False):
        self.name, self._python, self.budgeted = name, python, budgeted

    def python(self) -> str:
        return str(self._python() if callable(self._python) else self._python or sys.executable)

    def run(self, job: Job) -> Outcome:
        started = time.monotonic()
        command = [self.python(), str(HERE / "peer_workers.py"), self.name, str(job.folder)]
        done = run_limited(command, job.kill_after, limited_env())
        if done.status != "ok":
            return Outcome(done.status, done.seconds, done.seconds, message=done.stderr[-2000:])
        result = json.loads((job.folder / "result.json").read_text())
        prediction = np.load(job.folder / "prediction.npy")
        if job.classes is not None:
            prediction = align_proba(prediction, result["classes"], job.classes)
        train_s = result["fit_end"] - started  # the clock is system-wide (CLOCK_MONOTONIC)
        return Outcome("ok", train_s, done.seconds, prediction, result["details"])


class OursContender:
    """``automl-codegen train --json`` (timed and killed from outside), then ``predict``."""

    budgeted = True

    def __init__(self, name: str, ensembles: bool):
        self.name, self.ensembles = name, ensembles

    def run(self, job: Job) -> Outcome:
        cli = [
            sys.executable,
            "-m",
            "jupyter_automl_codegen.cli",
            "--store",
            str(job.folder / "store"),
        ]
        train = [
            *cli,
            "train",
            str(job.folder / "train.parquet"),
            "--label",
            job.label,
            "--task",
            job.task,
            "--metric",
            OURS_METRICS[job.kind],
            "--timeout",
            str(job.budget),
            "--workers",
            str(CORES),
            "--seed",
            str(job.seed),
            "--json",
            *([] if self.ensembles else ["--no-ensembles"]),
        ]
        env = limited_env(REPO)
        done = run_limited(train, job.kill_after, env)
        if done.status != "ok":
            return Outcome(done.status, done.seconds, done.seconds, message=done.stderr[-2000:])
        summary = json.loads(done.stdout)
        runs = summary.get("runs", [])
        statuses = pd.Series([r.get("status") for r in runs]).value_counts().to_dict()
        if summary.get("best_run_id") is None:  # trained nothing usable within the budget
            errors = sorted({str(r.get("error"))[:200] for r in runs if r.get("error")})
            message = f"no completed child run; runs by status {statuses}; errors {errors[:3]}"
            details = {"trials": len(runs), "statuses": statuses}
            return Outcome("failed", done.seconds, done.seconds, details=details, message=message)
        out = job.folder / "prediction.csv"
        predict = [*cli, "predict", summary["best_run_id"], str(job.folder / "test.parquet")]
        predicted = run_limited([*predict, "--out", str(out)], 600, env)
        wall = done.seconds + predicted.seconds
        if predicted.status != "ok":
            return Outcome("failed", done.seconds, wall, message=predicted.stderr[-2000:])
        frame = pd.read_csv(out)
        details = {
            "best": next(
                (r.get("algorithm") for r in runs if r.get("run_id") == summary["best_run_id"]),
                None,
            ),
            "trials": len(runs),
            "completed": sum(r.get("status") == "completed" for r in runs),
            "statuses": statuses,
        }
        if job.classes is None:
            return Outcome("ok", done.seconds, wall, frame["prediction"].to_numpy(float), details)
        columns = [c for c in frame.columns if c.startswith("proba_")]
        given = [c.removeprefix("proba_") for c in columns]
        proba = align_proba(frame[columns].to_numpy(float), given, job.classes)
        return Outcome("ok", done.seconds, wall, proba, details)


def flaml_python() -> Path:
    """The FLAML environment's interpreter; creates and installs the environment once."""
    python = FLAML_VENV / "bin" / "python"
    stamp = FLAML_VENV / ".installed"
    wanted = " ".join(FLAML_REQUIREMENTS)
    if stamp.exists() and stamp.read_text() == wanted and python.exists():
        return python
    print(f"creating {FLAML_VENV} with {wanted} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(FLAML_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *FLAML_REQUIREMENTS], check=True)
    stamp.write_text(wanted)
    return python


CONTENDERS = {
    c.name: c
    for c in (
        OursContender("ours", ensembles=True),
        OursContender("ours-no-ens", ensembles=False),
        WorkerContender("flaml", flaml_python, budgeted=True),
        WorkerContender("hgb"),
        WorkerContender("linear"),
        WorkerContender("constant"),
    )
}


def run_cell(contender, dataset: BenchDataset, kind, train, test, budget, seed) -> dict:
    """Train one contender on one split and score it; failures score as the constant."""
    classes = sorted(train[dataset.label].unique()) if kind != "regression" else None
    with tempfile.TemporaryDirectory(prefix="automl-vs-peers-") as tmp:
        folder = Path(tmp)
        train.to_parquet(folder / "train.parquet", index=False)
        test.drop(columns=[dataset.label]).to_parquet(folder / "test.parquet", index=False)
        job = Job(dataset.name, dataset.label, kind, budget, seed, folder, classes)
        (folder / "job.json").write_text(
            json.dumps(
                {"label": job.label, "kind": kind, "budget": budget, "seed": seed, "n_jobs": CORES}
            )  # fmt: skip
        )
        try:
            outcome = contender.run(job)
        except Exception as exc:  # a contender's broken output is its failure, not ours
            outcome = Outcome("failed", float("nan"), float("nan"), message=repr(exc))
    constant = constant_prediction(kind, train[dataset.label], len(test), classes)
    y_test = test[dataset.label].to_numpy()
    prediction = outcome.prediction if outcome.status == "ok" else constant
    return {
        "dataset": dataset.name,
        "budget": budget,
        "seed": seed,
        "contender": contender.name,
        "kind": kind,
        "status": outcome.status,
        "error": error(kind, y_test, prediction, classes),
        "constant_error": error(kind, y_test, constant, classes),
        "train_s": round(outcome.train_s, 3),
        "wall_s": round(outcome.wall_s, 3),
        "budgeted": contender.budgeted,
        "n_train": len(train),
        "n_test": len(test),
        "details": outcome.details,
        "message": outcome.message,
        "finished_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def cell_key(record: dict) -> tuple:
    return (record["dataset"], float(record["budget"]), int(record["seed"]), record["contender"])


def read_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def seeds_for(rows: int, override: int | None) -> list[int]:
    return list(range(override if override is not None else (5 if rows < SMALL else 3)))


def run_all(args) -> None:
    path = args.results / "automl_vs_peers.jsonl"
    args.results.mkdir(parents=True, exist_ok=True)
    done = {cell_key(r) for r in read_records(path)}
    for name in args.datasets:
        dataset = DATASETS[name]
        frame = dataset.frame()
        kind = task_kind(dataset.task, frame[dataset.label])
        for budget in args.budgets:
            for seed in seeds_for(len(frame), args.seeds):
                train, test = split(frame, dataset.label, dataset.task, seed)
                for contender_name in args.contenders:
                    if (name, float(budget), seed, contender_name) in done:
                        continue
                    record = run_cell(
                        CONTENDERS[contender_name], dataset, kind, train, test, budget, seed
                    )
                    with path.open("a") as handle:
                        handle.write(json.dumps(record, default=str) + "\n")
                    print(
                        f"{name:16} {budget:>5g}s seed {seed} {contender_name:12} "
                        f"{record['status']:8} error {record['error']:.4f} "
                        f"train {record['train_s']:.1f}s wall {record['wall_s']:.1f}s",
                        flush=True,
                    )


# --------------------------------------------------------------------------------------------
# the report


def summarize(records: list[dict], budget: float, ours: str, peer: str = "flaml"):
    """Per data set mean errors (over seeds) of each contender, and the ratio ours / peer."""
    frame = pd.DataFrame([r for r in records if float(r["budget"]) == float(budget)])
    errors = frame.pivot_table(index="dataset", columns="contender", values="error", aggfunc="mean")
    errors = errors.dropna(subset=[c for c in (ours, peer) if c in errors.columns])
    ratios = errors[ours] / errors[peer] if {ours, peer} <= set(errors.columns) else None
    return errors, ratios


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {}
    for package in ("jupyter-automl-codegen", "scikit-learn", "lightgbm", "xgboost", "pandas"):
        try:
            found[package] = version(package)
        except Exception:
            found[package] = "?"
    python = FLAML_VENV / "bin" / "python"
    if python.exists():
        probe = "import flaml, xgboost, lightgbm; print(flaml.__version__, xgboost.__version__, lightgbm.__version__)"
        out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
        if out.returncode == 0:
            flaml, xgb, lgbm = out.stdout.split()
            found["flaml"] = f"{flaml} (xgboost {xgb}, lightgbm {lgbm})"
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    found["commit"] = commit.stdout.strip() or "?"
    return found


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}"


def _fmt(value: float) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:.4g}"


def report(records: list[dict], results: Path) -> str:
    """Write ``automl_vs_peers.md`` and ``automl_vs_peers.png``; return the markdown."""
    lines = [
        "# AutoML vs peers: held-out error",
        "",
        f"Generated {datetime.date.today().isoformat()} on {machine()}; "
        + ", ".join(f"{k} {v}" for k, v in versions().items())
        + ".",
        "",
        "Errors: 1 - ROC AUC (binary), log-loss (multiclass), RMSE (regression), on the "
        "held-out 25 %, averaged over seeds; ratio = ours / FLAML (below 1: ours is better). "
        "Failures (killed at 1.25 x budget + 30 s, or crashed) score as the constant predictor.",
        "",
    ]
    sets = {r["dataset"] for r in records}
    lines += ["## Data sets", "", "| data set | rows | columns | task | mixed types | missing values | source |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for name in [n for n in DATASETS if n in sets]:
        dataset = DATASETS[name]
        facts = describe(dataset, dataset.frame())
        lines.append(
            f"| {name} | {facts['rows']:,} | {facts['columns']} | {facts['kind']} | "
            f"{'yes' if facts['mixed'] else 'no'} | {'yes' if facts['missing'] else 'no'} | "
            f"{dataset.source} |"
        )
    plot_data = {}
    for budget in sorted({float(r["budget"]) for r in records}):
        errors, ratios = summarize(records, budget, "ours")
        _, ratios_no_ens = summarize(records, budget, "ours-no-ens")
        in_budget = [r for r in records if float(r["budget"]) == budget]
        seeds = pd.DataFrame(in_budget).groupby("dataset")["seed"].nunique()
        contenders = [c for c in CONTENDERS if c in errors.columns]
        if ratios_no_ens is not None and ratios_no_ens.dropna().empty:
            ratios_no_ens = None  # no --no-ensembles cells at this budget: no column
        ratio_heads = ["ours / FLAML"] + (["no-ens / FLAML"] if ratios_no_ens is not None else [])
        lines += ["", f"## Budget {budget:g} s", "", "| data set | task | seeds | "
                  + " | ".join(contenders + ratio_heads) + " |",
                  "|---|---|---|" + "---|" * (len(contenders) + len(ratio_heads))]  # fmt: skip
        kinds = {r["dataset"]: r["kind"] for r in in_budget}
        for name in errors.index:
            cells = [_fmt(errors.loc[name, c]) for c in contenders]
            ratio = ratios.get(name) if ratios is not None else None
            cells.append(_fmt(ratio))
            if ratios_no_ens is not None:
                cells.append(_fmt(ratios_no_ens.get(name)))
            lines.append(
                f"| {name} | {ERROR_NAMES[kinds[name]]} | {seeds[name]} | "
                + " | ".join(cells)
                + " |"
            )
        lines += ["", "| ours / FLAML | data sets | geometric mean | 95 % bootstrap interval | "
                  "win / tie / loss |", "|---|---|---|---|---|"]  # fmt: skip
        for label, values in (("with ensembles", ratios), ("--no-ensembles", ratios_no_ens)):
            values = None if values is None else values.dropna()
            if values is None or values.empty:
                continue
            low, high = bootstrap_interval(values.to_numpy())
            w, t, losses = win_tie_loss(values.to_numpy())
            lines.append(
                f"| {label} | {len(values)} | {geometric_mean(values):.3f} | "
                f"{low:.3f} – {high:.3f} | "
                f"{w} / {t} / {losses} |"
            )
        ranks = mean_ranks(errors[contenders].dropna())
        frame = pd.DataFrame(in_budget)
        lines += ["", "| contender | mean rank | failures | overrun median | overrun max | "
                  "train s median | wall s median | wall s total |", "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for name in contenders:
            rows = frame[frame["contender"] == name]
            overrun = rows["train_s"] / budget - 1
            budgeted = bool(rows["budgeted"].iloc[0])
            lines.append(
                f"| {name} | {ranks.get(name, float('nan')):.2f} | "
                f"{int((rows['status'] != 'ok').sum())} / {len(rows)} | "
                + (f"{overrun.median():+.1%} | {overrun.max():+.1%} | " if budgeted else "– | – | ")
                + f"{rows['train_s'].median():.1f} | {rows['wall_s'].median():.1f} | "
                f"{rows['wall_s'].sum():.0f} |"
            )
        plot_data[budget] = (ratios, ratios_no_ens)
    lines += [
        "",
        "Overrun = training time / budget - 1; training time is measured from the start of the "
        "contender's process (for ours: the `train` command's whole process; for the others: "
        "until `fit` returned, as the worker reports on the system-wide monotonic clock). "
        "Wall time adds data loading and prediction on the held-out rows.",
        "",
    ]
    markdown = "\n".join(lines)
    (results / "automl_vs_peers.md").write_text(markdown)
    plot(plot_data, results / "automl_vs_peers.png")
    return markdown


def plot(plot_data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    budgets = [b for b, (r, _) in plot_data.items() if r is not None and not r.dropna().empty]
    if not budgets:
        return
    fig, axes = plt.subplots(1, len(budgets), figsize=(6 * len(budgets), 5), squeeze=False)
    for ax, budget in zip(axes[0], budgets, strict=True):
        ratios, no_ens = plot_data[budget]
        names = list(ratios.dropna().index)
        y = np.arange(len(names))
        ax.barh(y - 0.2, ratios[names], height=0.4, label="ours / FLAML")
        if no_ens is not None:
            ax.barh(y + 0.2, no_ens.reindex(names), height=0.4, label="no-ens / FLAML")
        ax.axvline(1.0, color="black", linewidth=1)
        ax.set_xscale("log")
        ax.set_yticks(y, names)
        ax.set_xlabel("held-out error ratio (log scale; < 1: ours better)")
        ax.set_title(f"budget {budget:g} s, geometric mean {geometric_mean(ratios[names]):.3f}")
        ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=float, nargs="+", default=[30.0, 60.0])
    parser.add_argument(
        "--seeds", type=int, help="seeds per data set (default: 3; 5 below 2,000 rows)"
    )
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument(
        "--contenders", nargs="+", default=list(CONTENDERS), choices=list(CONTENDERS)
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 30 s, 1 seed")
    parser.add_argument("--results", type=Path, default=RESULTS, help="output folder")
    parser.add_argument("--report-only", action="store_true", help="rebuild the report only")
    args = parser.parse_args(argv)
    if args.quick:
        args.budgets, args.seeds = [30.0], 1
    if not args.report_only:
        if "flaml" in args.contenders:
            flaml_python()
        run_all(args)
    records = read_records(args.results / "automl_vs_peers.jsonl")
    if records:
        print(report(records, args.results))


if __name__ == "__main__":
    main()

"""Plain-text tables of experiments and leaderboards: what the CLI and ``%codegen list`` print.

Reads the store only (and its ranking rule), so listing never imports the engine.
"""

from __future__ import annotations

from collections.abc import Sequence

from .store import Experiment, Run, RunStore
from .store.ranking import rank_runs, ranked_value


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns left-aligned and separated by two spaces, one line per row, header first."""
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    )


def experiments_table(experiments: Sequence[Experiment]) -> str:
    """One line per experiment: id, name, task, status, runs, best run and primary metric."""
    rows = [
        (e.id, e.name, e.task, e.status, str(e.num_runs), e.best_run_id or "-", e.primary_metric)
        for e in experiments
    ]
    return format_table(
        ("experiment", "name", "task", "status", "runs", "best run", "metric"), rows
    )


def algorithm_label(run: Run) -> str:
    """The algorithm, preceded by the scaler when the pipeline has one."""
    scaler = run.properties.get("scaler")
    return f"{scaler}, {run.algorithm}" if scaler else str(run.algorithm)


def leaderboard_table(store: RunStore, experiment_id: str) -> str:
    """The experiment's child runs in the one ranking order, and the first failure."""
    metric = store.get_experiment(experiment_id).primary_metric
    runs = store.list_runs(experiment_id)
    rows = []
    for rank, run in enumerate(rank_runs(runs), start=1):
        value = ranked_value(run)  # the number ranked on, as the sidebar shows it
        rows.append(
            (
                str(rank),
                run.id,
                algorithm_label(run),
                run.status,
                "-" if value is None else f"{value:.4f}",
                "-" if run.fit_time is None else f"{run.fit_time:.2f}",
            )
        )
    lines = [format_table(("rank", "run", "algorithm", "status", metric, "fit s"), rows)]
    failed = [run for run in runs if run.status == "failed"]
    if failed:
        lines.append(f"{len(failed)} failed trial(s); first error: {failed[0].error}")
    lines += code_generation_notes(runs)
    return "\n".join(lines)


# The property a run keeps when generating its code after training failed (``recording``).
CODE_GENERATION_ERROR = "code_generation_error"
MAX_CODE_GENERATION_NOTES = 5


def code_generation_notes(runs: Sequence[Run]) -> list[str]:
    """One line per completed run whose code generation failed, with the reason (the model
    is usable; its code is rendered on demand, which may fail again the same way)."""
    failing = [
        run
        for run in runs
        if run.status == "completed" and run.properties.get(CODE_GENERATION_ERROR)
    ]
    notes = [
        f"code generation failed for run {run.id} ({algorithm_label(run)}): "
        + " ".join(str(run.properties[CODE_GENERATION_ERROR]).split())
        for run in failing[:MAX_CODE_GENERATION_NOTES]
    ]
    if len(failing) > MAX_CODE_GENERATION_NOTES:
        notes.append(
            f"... and {len(failing) - MAX_CODE_GENERATION_NOTES} more runs without generated "
            "code (see `runs EXPERIMENT_ID --json`, property code_generation_error)"
        )
    return notes


__all__ = [
    "algorithm_label",
    "code_generation_notes",
    "experiments_table",
    "format_table",
    "leaderboard_table",
]

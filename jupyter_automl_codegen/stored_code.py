"""Generated code of stored runs: the bridge between the run store and the code generator.

Imports only ``store``, ``codegen`` and ``listing``, so the engine, the command line, the server
and the kernel all share it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .codegen import CodegenContext, generate_code, render_files
from .codegen.generate import OPTIONAL_FILES, SCRIPT, required_files
from .listing import CODE_GENERATION_ERROR
from .store import OUTPUTS_DIR, RunStore, StoreStateError, files, validate_run_id

GENERATED_CODE_DIR = "generated_code"
# What ``code_generation_status`` answers.
CODE_STORED, CODE_FAILED, CODE_ON_DEMAND, CODE_NONE = "stored", "failed", "on_demand", "none"
CODE_GENERATION_STATUSES = (CODE_STORED, CODE_FAILED, CODE_ON_DEMAND, CODE_NONE)


def run_context(store: RunStore, run_id: str) -> CodegenContext:
    """The code generation context of a completed child run, from its store records."""
    run = store.get_run(run_id)
    if run.kind != "child" or run.status != "completed" or not run.spec:
        raise StoreStateError(
            f"run {run.id} is a {run.status} {run.kind} run; code is generated for "
            "completed child runs (see `automl-codegen runs EXPERIMENT_ID`)."
        )
    experiment = store.get_experiment(run.experiment_id)
    parent = store.get_run(run.parent_id)
    context = CodegenContext.from_records(
        experiment.to_dict(),
        parent.to_dict(),
        run.to_dict(),
        str(store.data_snapshot_path(experiment.id).resolve()),
    )
    return dataclasses.replace(context, store_path=str(Path(store.root).resolve()))


def stored_code_dir(store: RunStore, run_id: str) -> Path:
    """Where a run's generated code lives inside the store (nothing is created or queried)."""
    return store.runs_dir / validate_run_id(run_id) / OUTPUTS_DIR / GENERATED_CODE_DIR


def code_generation_status(store: RunStore, run) -> tuple[str, str | None]:
    """``(status, reason)`` of a run's generated code, for every place that offers it.

    ``stored``: the store holds its folder. ``failed``: generating it after training
    failed, and ``reason`` says why (the run's ``code_generation_error`` property).
    ``on_demand``: a completed child run trained with code generation off; its code is
    rendered when asked. ``none``: not a completed child run, so there is no code.
    """
    if run.kind != "child" or run.status != "completed" or not run.spec:
        return CODE_NONE, None
    if (stored_code_dir(store, run.id) / SCRIPT).is_file():
        return CODE_STORED, None
    reason = run.properties.get(CODE_GENERATION_ERROR)
    if reason:
        return CODE_FAILED, str(reason)
    return CODE_ON_DEMAND, None


def generate_run_code(store: RunStore, run_id: str, out_dir: str | Path | None = None) -> dict:
    """Generate a run's folder into ``out_dir`` (default: inside the store); returns paths."""
    target = Path(out_dir) if out_dir is not None else stored_code_dir(store, run_id)
    return generate_code(run_context(store, run_id), target)


def copy_stored_code(store: RunStore, run_id: str, out_dir: str | Path) -> dict | None:
    """Copy the run's stored folder into ``out_dir``, byte for byte; returns the paths by
    file name, or None (nothing written) when the store holds no complete folder for it."""
    context = run_context(store, run_id)  # refuses runs that have no code, as generating would
    folder = stored_code_dir(store, run_id)
    if _stored_files(store, run_id, required_files(context.task)) is None:
        return None
    target = Path(out_dir)
    paths = {}
    for source in sorted(folder.rglob("*")):
        name = source.relative_to(folder).as_posix()
        hidden = any(part.startswith(".") or part == "__pycache__" for part in name.split("/"))
        if hidden or source.is_symlink() or not source.is_file():
            continue
        data = source.read_bytes()
        temp = files.write_temp(target / name, lambda handle, data=data: handle.write(data))
        try:
            files.publish(temp, target / name)
        finally:
            files.discard(temp)
        paths[name] = target / name
    return paths


def run_script_text(store: RunStore, run_id: str) -> str:
    """The run's ``script.py``: the stored copy when there is one, else freshly rendered."""
    stored = stored_code_dir(store, run_id) / SCRIPT
    if stored.is_file():
        return stored.read_text(encoding="utf-8")
    return render_files(run_context(store, run_id))[SCRIPT]


def generated_files(store: RunStore, run_id: str) -> dict[str, str]:
    """Every file of the run's generated folder, by name (stored copy reused when complete).

    Runs trained with code generation off are rendered on demand (pure, but it runs ruff).
    """
    context = run_context(store, run_id)  # also refuses runs that have no code
    stored = _stored_files(store, run_id, required_files(context.task))
    return stored if stored is not None else render_files(context)


def _stored_files(store: RunStore, run_id: str, required: tuple) -> dict[str, str] | None:
    """The stored folder's files when it has every required one (``score.py`` and
    ``test_rows.csv`` came later: an older folder is rendered afresh)."""
    folder = stored_code_dir(store, run_id)
    if not all((folder / name).is_file() for name in required):
        return None
    names = [*required, *(name for name in OPTIONAL_FILES if (folder / name).is_file())]
    return {name: (folder / name).read_text(encoding="utf-8") for name in names}

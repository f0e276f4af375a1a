"""Submitting an experiment: check the data, snapshot it, and run the search under its budget.

``submit`` and ``resume`` do what every task shares (the store, the snapshot, the end of the
experiment) and hand the rest to the task's driver: ``tabular`` for classification and
regression, ``forecasting.driver`` for forecasting. Each driver checks the data before
anything is stored, records what it found on the parent run, reloads it to resume, and
searches on the experiment's compute backend (``compute``): joblib's loky worker processes,
or the workers of a Dask cluster named by ``dask_scheduler``. The driver alone writes the
run store.

``resume`` continues an interrupted experiment with the time and trials it had left, its
finished trials kept and replayed into the searcher so their configurations are not proposed
again; those that were ensemble candidates kept their validation predictions in the store,
so the ensembles that end the resumed experiment still choose among them.
"""

from __future__ import annotations

import time
from importlib import import_module
from pathlib import Path

import pandas as pd

from .._presenters import present_experiment
from ..errors import ConfigError, UserInputError
from ..store import RunStore, as_run_store
from .config import AutoMLConfig
from .data import read_table
from .ensembles import STACK, VOTING
from .lifecycle import Snapshot, end_on_error, finish, interrupted, save_snapshot
from .runs import AutoMLRun

# The module driving each task (see the module docstring): imported when a task needs it,
# so a tabular experiment never loads the forecasting libraries.
TASK_DRIVERS = {
    "classification": ".tabular",
    "regression": ".tabular",
    "forecasting": ".forecasting.driver",
}


def task_driver(task: str):
    """The driver module of ``task`` (a validated ``AutoMLConfig.task``)."""
    return import_module(TASK_DRIVERS[task], __package__)


def submit(
    config: AutoMLConfig,
    training_data: pd.DataFrame | str | Path | None = None,
    *,
    store: RunStore | str | Path | None = None,
    experiment_name: str | None = None,
    show_progress: bool = True,
    started_at: float | None = None,
    show_panel: bool | None = None,
) -> AutoMLRun:
    """Run an AutoML experiment to completion and return its parent run.

    Parameters
    ----------
    config : AutoMLConfig
        What to learn, how to judge it and how much to spend; validated first.
    training_data : pandas.DataFrame or str or pathlib.Path, optional
        The training rows, or the path of a CSV or Parquet file holding them; required
        unless the config holds them (``AutoMLConfig(training_data=...)``), refused when
        it does.
    store : RunStore or str or pathlib.Path, optional
        The run store to record the experiment in, or its folder (default: the user's
        default store).
    experiment_name : str, optional
        The experiment's name (default: the file's name, or ``"DataFrame"``).
    show_progress : bool, default True
        Show a progress bar (a widget in a notebook).
    started_at : float, optional
        A ``time.monotonic()`` reading the time budget counts from (default: this call).
    show_panel : bool, optional
        Show the model panel of the experiment when it ends (default: only inside a
        Jupyter kernel).

    Returns
    -------
    AutoMLRun
        The experiment's parent run, completed with its best child run, or failed when no
        trial completed.

    Raises
    ------
    DataError
        The data cannot be used; raised before anything is written to the store.
    ConfigError
        A setting is invalid, an extra the settings need is not installed, or the training
        data is given twice or not at all; raised before anything is written to the store.
    StoreError
        The store cannot be written (for instance, its disk is full).

    Notes
    -----
    Reading, checking, storing and profiling the data count against the time budget; the
    command line passes the moment its process started as ``started_at``.

    Examples
    --------
    >>> from jupyter_automl_codegen import AutoMLConfig, load_dataset, submit
    >>> config = AutoMLConfig(task="classification", label_column_name="species",
    ...                       experiment_timeout_seconds=30)
    >>> run = submit(config, load_dataset("penguins").frame)  # doctest: +SKIP
    >>> best, model = run.get_output()  # doctest: +SKIP

    Or, as in Azure AutoML, with the data (a frame or a file's path) in the config:

    >>> config = AutoMLConfig(task="classification", training_data="train.csv",
    ...                       label_column_name="label", compute_target="local")
    >>> run = submit(config)  # doctest: +SKIP
    """
    started = time.monotonic() if started_at is None else started_at
    config.validate()
    training_data = _training_data(config, training_data)
    if isinstance(training_data, (str, Path)):
        source = Path(training_data).name
        frame = read_table(training_data)
    else:
        source, frame = "DataFrame", training_data
    driver = task_driver(config.task)
    data = driver.check_data(config, frame)
    run_store = as_run_store(store)
    experiment, parent = run_store.create_experiment(
        experiment_name or Path(source).stem,
        task=config.task,
        label=config.label_column_name,
        primary_metric=config.primary_metric,
        properties={"config": config.to_dict(), "source": source},
    )
    try:
        snapshot = save_snapshot(run_store, experiment.id, frame)
        driver.record_data(run_store, parent.id, data, frame)
        driver.search(
            run_store,
            parent.id,
            config,
            data,
            snapshot,
            show_progress=show_progress,
            started=started,
        )
    except BaseException as error:
        end_on_error(run_store, parent.id, error)
        raise
    run = finish(run_store, parent.id)
    present_experiment(run, store=run_store, show_panel=show_panel)
    return run


def _training_data(config: AutoMLConfig, given):
    """The one place the training data was given: the config or ``submit``'s argument."""
    if given is not None and config.training_data is not None:
        raise ConfigError(
            "the training data is given twice, to AutoMLConfig(training_data=...) and to "
            "submit(config, data); keep one: submit(config) uses the config's."
        )
    if given is None and config.training_data is None:
        raise ConfigError(
            "no training data: set AutoMLConfig(training_data=<DataFrame or CSV/Parquet "
            "path>) or pass it as submit(config, data)."
        )
    return config.training_data if given is None else given


def resume(
    experiment_id: str,
    *,
    store: RunStore | str | Path | None = None,
    show_progress: bool = True,
    dask_scheduler: str | None = None,
) -> AutoMLRun:
    """Continue an interrupted (failed or canceled) experiment with the budget it had left.

    Parameters
    ----------
    experiment_id : str
        The experiment to continue.
    store : RunStore or str or pathlib.Path, optional
        The run store holding it, or its folder (default: the user's default store).
    show_progress : bool, default True
        Show a progress bar (a widget in a notebook).
    dask_scheduler : str, optional
        Address of a Dask scheduler to run the rest on (default: the original setting).

    Returns
    -------
    AutoMLRun
        The experiment's parent run, completed or failed again.

    Raises
    ------
    UserInputError
        The experiment is not interrupted, stopped before its data was recorded, or has no
        budget left.
    ConfigError
        ``dask_scheduler`` is given but the ``dask`` extra is not installed.

    Notes
    -----
    Its finished trials are kept, and replayed into the searcher in trial order so that the
    search goes on from what they found instead of proposing their configurations again.
    Trials the interruption stopped stay failed and do not count against the trial budget.
    The time left is the budget less the time from the experiment's start to its last
    recorded trial.

    Examples
    --------
    >>> from jupyter_automl_codegen import resume
    >>> run = resume("3f2a9c1e")  # doctest: +SKIP
    """
    run_store = as_run_store(store)
    experiment = run_store.get_experiment(experiment_id)
    parent = run_store.get_run(experiment.parent_run_id)
    if parent.status not in ("failed", "canceled"):
        raise UserInputError(
            f"experiment {experiment_id} is {parent.status}; only an interrupted (failed or "
            "canceled) experiment can be resumed."
        )
    props = parent.properties
    if "validation" not in props or experiment.data_sha256 is None:
        raise UserInputError(
            f"experiment {experiment_id} stopped before its data was recorded; train it again."
        )
    config = AutoMLConfig(**props["config"])
    if dask_scheduler is not None:
        config.dask_scheduler = config.compute_target = dask_scheduler
        config.trial_memory_mb = None
    config.validate()
    children = run_store.list_runs(experiment_id)
    trials = [c for c in children if c.algorithm not in (VOTING, STACK)]
    history = sorted(
        (c for c in trials if not interrupted(c)), key=lambda c: c.properties.get("trial", 0)
    )
    stamps = [t for c in children for t in (c.ended_at, c.started_at) if t is not None]
    used = (max(stamps) - parent.started_at).total_seconds() if stamps else 0.0
    seconds_left = config.experiment_timeout_seconds - max(0.0, used)
    trials_left = None if config.max_trials is None else config.max_trials - len(history)
    if seconds_left <= 0 or (trials_left is not None and trials_left <= 0):
        raise UserInputError(
            f"experiment {experiment_id} has no budget left ({len(history)} trials finished, "
            f"{max(0.0, used):.0f} s of {config.experiment_timeout_seconds:g} s used)."
        )
    snapshot = Snapshot(str(run_store.data_snapshot_path(experiment_id)), experiment.data_sha256)
    resumed = {
        "previous_error": parent.error,
        "seconds_used": round(max(0.0, used), 3),
        "finished_trials": len(history),
    }
    driver = task_driver(config.task)
    data = driver.reload_data(run_store, experiment, parent, config)
    run_store.reopen_parent(parent.id, resumed=resumed)
    try:
        driver.search(
            run_store,
            parent.id,
            config,
            data,
            snapshot,
            show_progress=show_progress,
            budget=seconds_left,
            history=history,
        )
    except BaseException as error:
        end_on_error(run_store, parent.id, error)
        raise
    return finish(run_store, parent.id)

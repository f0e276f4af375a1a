"""Training from a notebook: ``submit`` shows the model panel of its experiment when it ends.

Only inside a Jupyter kernel (a frontend that can show widgets): plain Python, scripts,
terminal IPython and the command line get the run and nothing else. The progress bar is the
engine's ``tqdm.auto`` bar, which becomes a widget bar in a notebook.
"""

from __future__ import annotations

import os

from ..automl.experiment import submit as _submit_experiment
from ..code_folder import DEFAULT_SHARED_FOLDER
from ..store import RunStore, as_run_store
from .environment import in_kernel


def show_panel(
    experiment_id: str | None = None,
    *,
    store: RunStore | str | os.PathLike[str] | None = None,
    shared_folder: str | os.PathLike[str] = DEFAULT_SHARED_FOLDER,
):
    """Display a ``ModelBrowser`` on ``experiment_id`` (default: the latest) and return it."""
    from IPython.display import display

    from .browser import ModelBrowser

    panel = ModelBrowser(experiment_id, store=store, shared_folder=shared_folder)
    display(panel)
    return panel


def submit(
    config,
    training_data,
    *,
    store: RunStore | str | os.PathLike[str] | None = None,
    experiment_name: str | None = None,
    show_progress: bool = True,
    show_panel: bool | None = None,
):
    """Run an AutoML experiment to completion and return its parent run (``AutoMLRun``).

    ``training_data`` is a DataFrame or the path of a CSV or Parquet file. Bad data raises
    ``DataError`` and bad settings ``ConfigError`` before anything is written to the store.
    ``show_progress`` shows a progress bar (a widget in a notebook). ``show_panel`` shows
    the model panel of the experiment when it ends; by default only inside a Jupyter
    kernel, never in plain Python or on the command line.
    """
    run_store = as_run_store(store)
    run = _submit_experiment(
        config,
        training_data,
        store=run_store,
        experiment_name=experiment_name,
        show_progress=show_progress,
    )
    if show_panel or (show_panel is None and in_kernel()):
        _show(run.experiment_id, store=run_store)
    return run


_show = show_panel

__all__ = ["show_panel", "submit"]

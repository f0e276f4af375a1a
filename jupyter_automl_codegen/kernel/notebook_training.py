"""Training from a notebook: ``submit`` shows the model panel of its experiment when it ends.

Only inside a Jupyter kernel (a frontend that can show widgets): plain Python, scripts,
terminal IPython and the command line get the run and nothing else. Importing this module
registers :func:`present_experiment` as the engine's presenter (see ``_presenters``). The
progress bar is the engine's ``tqdm.auto`` bar, which becomes a widget bar in a notebook.
"""

from __future__ import annotations

import os

from .._presenters import register_experiment_presenter
from ..code_folder import DEFAULT_SHARED_FOLDER
from ..store import RunStore
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


def present_experiment(run, *, store: RunStore, show_panel: bool | None = None) -> None:
    """Show the panel of ``run``'s experiment: when asked, or by default inside a kernel."""
    if show_panel or (show_panel is None and in_kernel()):
        _show(run.experiment_id, store=store)


_show = show_panel

register_experiment_presenter(present_experiment)

__all__ = ["present_experiment", "show_panel"]

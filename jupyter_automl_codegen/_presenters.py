"""Showing a finished experiment to its user, in whatever surface the user trains from.

The engine calls :func:`present_experiment` when ``submit`` ends; a surface that can show an
experiment registers a presenter with :func:`register_experiment_presenter`. The notebook
kernel registers one that displays the model panel (``kernel/notebook_training.py``), so the
engine never imports Jupyter. That module is loaded here only when a Jupyter kernel is running
(``ipykernel`` imported) or the panel was asked for, since a notebook user may call ``submit``
without having imported the kernel package.
"""

from __future__ import annotations

import sys
from importlib import import_module

# The module whose import registers the notebook kernel's presenter.
KERNEL_PRESENTER = "jupyter_automl_codegen.kernel.notebook_training"

_experiment_presenter = None


def register_experiment_presenter(presenter) -> None:
    """``presenter(run, *, store, show_panel)`` is called when an experiment ends."""
    global _experiment_presenter
    _experiment_presenter = presenter


def present_experiment(run, *, store, show_panel: bool | None = None) -> None:
    """Show ``run`` (an ``AutoMLRun``) through the registered presenter, if any.

    ``show_panel``: True shows it, False never, None lets the presenter decide (the kernel's
    shows it inside a Jupyter kernel only).
    """
    if show_panel is False:
        return
    if _experiment_presenter is None and (show_panel or "ipykernel" in sys.modules):
        import_module(KERNEL_PRESENTER)  # registers the kernel's presenter
    if _experiment_presenter is not None:
        _experiment_presenter(run, store=store, show_panel=show_panel)

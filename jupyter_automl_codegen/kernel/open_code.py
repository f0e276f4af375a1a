"""Putting a run's code in front of the user: open the training notebook, or insert the script.

Opening is a display bundle: JupyterLab's sidebar extension registers a MIME renderer for
``application/vnd.automl-codegen.open+json`` that opens the notebook in a new tab; other
frontends fall back to the ``text/html`` link (or the ``text/plain`` path).
"""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from urllib.parse import quote

from .environment import handling_comm_message, ipython_shell

OPEN_MIME_TYPE = "application/vnd.automl-codegen.open+json"


def relative_path(path: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None) -> str:
    """``path`` relative to ``cwd`` (default: the kernel's working directory), ``/``-separated."""
    return Path(
        os.path.relpath(Path(path).absolute(), Path(cwd or os.getcwd()).absolute())
    ).as_posix()


def open_bundle(
    notebook: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None
) -> dict:
    """The MIME bundle that asks the frontend to open ``notebook``.

    ``path`` is relative to the kernel's working directory, which JupyterLab sets to the
    notebook's folder; the renderer resolves it as it resolves relative links. ``created``
    (seconds since the epoch) lets the renderer open a tab for a new output only, not each
    time a saved notebook is reopened.
    """
    path = relative_path(notebook, cwd)
    href = html.escape(quote(path), quote=True)
    return {
        OPEN_MIME_TYPE: {"path": path, "created": round(time.time(), 3)},
        "text/html": f'<a href="{href}">{html.escape(path)}</a>',
        "text/plain": f"training code notebook: {path}",
    }


def display_data(bundle: dict) -> dict:
    """``bundle`` as one output of an ``Output`` widget (a ``display_data`` message)."""
    return {"output_type": "display_data", "data": bundle, "metadata": {}}


def show_bundle(bundle: dict) -> None:
    """Display a raw MIME bundle in the current cell's output."""
    from IPython.display import display

    display(bundle, raw=True)


def insert_next_cell(script: str) -> bool:
    """Put ``script`` into a new cell below the running one; False when it cannot.

    ``set_next_input`` is a payload of the reply to a cell's execution. Called from a widget
    callback (a comm message) there is no such reply, so nothing is sent and the caller
    shows the script instead (``%codegen show RUN_ID`` inserts it from a cell).
    """
    shell = ipython_shell()
    if shell is None or handling_comm_message(shell):
        return False
    shell.set_next_input(script, replace=False)
    return True


__all__ = [
    "OPEN_MIME_TYPE",
    "display_data",
    "insert_next_cell",
    "open_bundle",
    "relative_path",
    "show_bundle",
]

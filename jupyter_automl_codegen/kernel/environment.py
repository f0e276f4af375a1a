"""Where this code runs: an IPython kernel with a frontend, a terminal IPython, or plain Python.

Nothing here imports IPython at module import time, so the engine can ask cheaply.
"""

from __future__ import annotations

import sys


def ipython_shell():
    """The running IPython shell, or None (plain Python, the command line, a worker)."""
    if "IPython" not in sys.modules:  # IPython never imported: certainly no shell
        return None
    from IPython import get_ipython

    return get_ipython()


def in_kernel() -> bool:
    """True inside a Jupyter kernel (a frontend can display widgets), False elsewhere."""
    shell = ipython_shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


def handling_comm_message(shell) -> bool:
    """True while the kernel handles a widget message (a button click), not a cell.

    ``set_next_input`` travels as a payload of the reply to a cell's execution: written
    during a comm message, it would only surface with the *next* cell the user runs.
    """
    kernel = getattr(shell, "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return False
    parent = kernel.get_parent("shell") or {}
    msg_type = parent.get("header", {}).get("msg_type")
    return msg_type is not None and msg_type != "execute_request"


__all__ = ["handling_comm_message", "in_kernel", "ipython_shell"]

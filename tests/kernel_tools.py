"""Helpers of the notebook (kernel) tests: an IPython shell with ``%codegen`` loaded."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from jupyter_automl_codegen.kernel import OPEN_MIME_TYPE


@pytest.fixture(name="shell")
def shell_fixture(monkeypatch):
    """The IPython shell, ``%codegen`` loaded, ``set_next_input`` recorded in ``next_inputs``."""
    ip = InteractiveShell.instance()
    if "codegen" not in ip.magics_manager.magics["line"]:
        ip.run_line_magic("load_ext", "jupyter_automl_codegen")
    inputs: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        ip, "set_next_input", lambda text, replace=False: inputs.append((text, replace))
    )
    ip.next_inputs = inputs
    yield ip
    del ip.next_inputs


def run_magic(ip, line: str):
    """Run ``%codegen <line>``; returns the captured stdout, stderr and displays."""
    with capture_output() as captured:
        ip.run_line_magic("codegen", line)
    return captured


def open_paths(captured) -> list[str]:
    """The notebook paths of the open bundles displayed."""
    return [
        out.data[OPEN_MIME_TYPE]["path"] for out in captured.outputs if OPEN_MIME_TYPE in out.data
    ]

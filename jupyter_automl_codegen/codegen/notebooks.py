"""The notebooks of a generated folder (minimal version, replaced by the notebook stage)."""

from __future__ import annotations

import nbformat


def training_notebook(context, code) -> str:
    cells = [nbformat.v4.new_code_cell(code.imports)]
    cells += [
        nbformat.v4.new_code_cell(stage.code) for stage in code.stages if stage.name != "main"
    ]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


def script_run_notebook(context, code) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[]))

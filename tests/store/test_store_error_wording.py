"""The store states why it cannot be used; the command line and the notebook word the fix.

(The REST API's wording is checked against a real server in
``tests/server/in_process/test_server_store_unavailable.py``.)
"""

from __future__ import annotations

import pytest

from jupyter_automl_codegen.kernel.errors import error_line
from jupyter_automl_codegen.store import RunStore, StoreUnavailableError

from ..clitools import run_cli


@pytest.fixture
def blocker(tmp_path):
    path = tmp_path / "a_file"
    path.write_text("not a folder")
    return path


def test_the_command_line_names_its_store_flag(blocker):
    result = run_cli("experiments", store=blocker)
    assert result.returncode == 2
    assert "cannot create the run store directory" in result.stderr
    assert "choose another --store directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_notebook_names_the_store_argument(blocker):
    with pytest.raises(StoreUnavailableError) as info:
        RunStore(blocker)
    line = error_line(info.value)
    assert line.startswith("automl-codegen: error: cannot create the run store directory")
    assert "store=DIR" in line and "choose another --store directory" not in line

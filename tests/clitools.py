"""Running the ``automl-codegen`` command line from tests, in a subprocess as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, store: Path | None = None, timeout: float = 300, env=None):
    """Run ``automl-codegen`` in a subprocess, as a user would."""
    command = [sys.executable, "-m", "jupyter_automl_codegen.cli"]
    if store is not None:
        command += ["--store", str(store)]
    return subprocess.run(
        command + [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def run_cli_json(*args: str, store: Path | None = None):
    result = run_cli(*args, "--json", store=store)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)

"""`pip install .` of a clean clone gives a working JupyterLab extension and server extension.

The clone is built by pip in its own isolated build environment (hatch-jupyter-builder runs
`jlpm install` and `jlpm build:prod`) and installed with its dependencies into a fresh
virtual environment; Jupyter's own listing commands must then report both extensions.
"""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Nothing of the developer's environment leaks in: no PYTHONPATH, no Jupyter folders.
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("PYTHONPATH", "PYTHONHOME") and "JUPYTER" not in k
}


def _run(*command, cwd=None) -> str:
    result = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, env=CLEAN_ENV, cwd=cwd
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return ANSI.sub("", result.stdout + result.stderr)


def test_pip_install_of_a_clean_clone_enables_both_extensions(tmp_path):
    clone = tmp_path / "clone"
    _run("git", "clone", "--quiet", "--no-hardlinks", REPO, clone)
    assert not (clone / "jupyter_automl_codegen" / "labextension").exists()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", clone)

    labextensions = _run(python, "-m", "jupyter", "labextension", "list")
    line = next(line for line in labextensions.splitlines() if "jupyter-automl-codegen" in line)
    assert "enabled" in line and "OK" in line, labextensions
    installed = env_dir / "share" / "jupyter" / "labextensions" / "jupyter-automl-codegen"
    assert (installed / "install.json").is_file()
    assert list((installed / "static").glob("remoteEntry.*.js"))
    assert (installed / "schemas" / "jupyter-automl-codegen" / "plugin.json").is_file()

    server = _run(python, "-m", "jupyter", "server", "extension", "list")
    assert re.search(r"jupyter_automl_codegen\s+enabled", server), server
    assert "jupyter_automl_codegen" in server and "OK" in server, server

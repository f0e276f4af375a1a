"""The TypeScript unit tests (Jest: the sidebar model's polling, standby and sorting) run with
the Python suite, so `make test` runs them too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _jlpm() -> str:
    """JupyterLab's yarn, from the environment running the tests (or the PATH)."""
    beside = Path(sys.executable).parent / "jlpm"
    found = str(beside) if beside.is_file() else shutil.which("jlpm")
    assert found, "jlpm is missing: install the package with `make install`"
    return found


def test_jest_unit_tests_of_the_labextension_pass():
    jlpm = _jlpm()
    env = {**os.environ, "PATH": f"{Path(jlpm).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if not (REPO / "node_modules" / ".bin" / "jest").exists():
        # A checkout installed before Jest joined the devDependencies.
        subprocess.run([jlpm, "install"], cwd=REPO, env=env, check=True, capture_output=True)
    result = subprocess.run(
        [jlpm, "test", "--ci"], cwd=REPO, env=env, capture_output=True, text=True
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # Jest ran the model's suites, and none of them is empty.
    for suite in ("polling", "standby", "sorting"):
        assert f"PASS labextension/src/__tests__/{suite}.spec.ts" in report, report
    assert " failed" not in report, report

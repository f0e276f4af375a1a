"""Where a tracked script run runs: a subprocess here, or a worker of a Dask cluster.

On Dask the script, the Python files beside it (modules a user split it into) and the data
file travel to a worker, which runs the script in a scratch folder and sends its outputs
(``model.pkl``, ``metrics.json``, ...) back; the worker needs this package installed, as for
trials, but no access to the store. Either way the caller gets the same ``ScriptOutcome`` and records it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

LOCAL = "local"
# Seconds to wait for a Dask scheduler before the script run is refused.
CONNECT_TIMEOUT = 30.0


@dataclass(frozen=True)
class ScriptOutcome:
    """How the script ended, and where it ran (``compute``: ``local`` or the scheduler)."""

    returncode: int
    stdout: str
    stderr: str
    compute: str
    worker: str


def run_here(script: Path, output_dir: Path, data: str | Path | None) -> ScriptOutcome:
    """Run the script in a subprocess of this process, in the script's folder."""
    command = [sys.executable, str(script), "--output-dir", str(output_dir)]
    if data is not None:
        command += ["--data", str(data)]
    process = subprocess.Popen(
        command, cwd=script.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = process.communicate()
    worker = f"{socket.gethostname()}:{process.pid}"
    return ScriptOutcome(process.returncode, stdout, stderr, LOCAL, worker)


def connect(address: str, *, timeout: float | None = None):
    """A ``dask.distributed`` client of the scheduler at ``address``, or a ConfigError."""
    from .automl.compute import import_distributed

    distributed = import_distributed()
    try:
        return distributed.Client(address, timeout=timeout or CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ConfigError(
            f"DASK_SCHEDULER={address!r}: cannot connect to the Dask scheduler ({error}); "
            "start it or give the address of a running one, e.g. tcp://host:8786."
        ) from None


def run_on_cluster(client, address: str, script: Path, output_dir: Path, data: Path):
    """Run the script on one of the cluster's workers; its outputs land in ``output_dir``."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in script.parent.glob("*.py")}
    future = client.submit(
        run_on_worker, script.name, sources, data.read_bytes(), "data" + data.suffix, pure=False
    )
    result = future.result()
    output_dir.mkdir(parents=True, exist_ok=True)
    for name, content in result["files"].items():
        (output_dir / name).write_bytes(content)
    return ScriptOutcome(
        result["returncode"], result["stdout"], result["stderr"], address, result["worker"]
    )


def run_on_worker(script_name: str, sources: dict, data: bytes, data_name: str) -> dict:
    """On a Dask worker: run the script in a scratch folder and return its outputs."""
    with tempfile.TemporaryDirectory(prefix="automl-script-run-") as scratch:
        folder = Path(scratch)
        for name, text in sources.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / data_name).write_bytes(data)
        command = [sys.executable, script_name, "--data", data_name, "--output-dir", "outputs"]
        process = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        outputs = folder / "outputs"
        files = {}
        if outputs.is_dir():
            files = {path.name: path.read_bytes() for path in outputs.iterdir() if path.is_file()}
    return {
        "returncode": process.returncode,
        "stdout": process.stdout,
        "stderr": process.stderr,
        "files": files,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }

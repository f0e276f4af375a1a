"""Jupyter server processes started by tests: a free port, the readiness wait, the stop.

Shared by the live-server tests (``jupyter server``) and the browser tests and benchmarks
(``jupyter lab``, through ``tests/browser/jupyterlab_process.py``).
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(
    process: subprocess.Popen, url: str, token: str, log: Path, *, timeout: float
) -> None:
    """Wait until the server at ``url`` (ending in ``/``) answers ``api/status`` with 200.

    Raises RuntimeError with the end of the server's log when the process exits first or
    the server does not answer within ``timeout`` seconds.
    """
    request = urllib.request.Request(
        f"{url}api/status", headers={"Authorization": f"token {token}"}
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset, or an HTTP error while it starts
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout:g} s:\n{_tail(log)}")


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate the server, killing it if it does not exit in ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]

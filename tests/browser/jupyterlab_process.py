"""Start a real ``jupyter lab`` for browser tests and benchmarks, and Debian's Chromium for it.

Each server gets its own free port, token, root, workspaces and settings folders, and the
run store it is told to serve; nothing is read from the user's Jupyter folders.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium floods the closed network with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIDEBAR_ID = "automl-codegen-sidebar"
SETTINGS_PLUGIN = ("jupyter-automl-codegen", "plugin")
START_TIMEOUT = 120.0


@dataclass
class JupyterLab:
    url: str
    token: str
    root: Path
    store: Path
    log: Path
    process: subprocess.Popen

    def lab_url(self, path: str = "lab") -> str:
        return f"{self.url}{path}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET", body: dict | None = None) -> dict:
        """A request to the REST API with the token, answered as JSON."""
        request = urllib.request.Request(
            f"{self.url}automl-codegen/api/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_settings(settings_dir: Path, plugin_settings: dict) -> None:
    """User settings: no news toast, no update check, and this extension's own overrides."""
    notification = settings_dir / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    package, plugin = SETTINGS_PLUGIN
    (settings_dir / package).mkdir()
    (settings_dir / package / f"{plugin}.jupyterlab-settings").write_text(
        json.dumps(plugin_settings)
    )


@contextmanager
def jupyterlab(
    base: Path,
    store: Path,
    *,
    plugin_settings: dict | None = None,
    server_extension: bool = True,
) -> Iterator[JupyterLab]:
    """A running ``jupyter lab`` serving ``store``; stopped and its folders kept for logs."""
    root, workspaces, settings = base / "root", base / "workspaces", base / "settings"
    for folder in (root, workspaces):
        folder.mkdir(parents=True)
    _write_settings(settings, plugin_settings or {})
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={workspaces}",
        f"--LabApp.user_settings_dir={settings}",
        f"--AutoMLCodegenApp.store={store}",
        # The tests read the opened notebook from the application, as users see it.
        "--LabApp.expose_app_in_browser=True",
    ]
    if not server_extension:
        command.append("--ServerApp.jpserver_extensions=jupyter_automl_codegen=False")
    # Kernels inherit the store too, so `%codegen` in a notebook sees what the sidebar sees.
    env = {
        **os.environ,
        "AUTOML_CODEGEN_STORE": str(store),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    log = base / "jupyterlab.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    lab = JupyterLab(f"http://127.0.0.1:{port}/", token, root, store, log, process)
    try:
        _wait_until_ready(lab)
        yield lab
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(lab: JupyterLab) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited:\n{lab.log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{lab.url}api/status?token={lab.token}", timeout=5)
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"jupyter lab did not answer:\n{lab.log.read_text()[-3000:]}")


def launch_chromium(playwright):
    """Debian's Chromium, headless; Playwright's own browser downloads fail here."""
    if not shutil.which(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def open_lab(page, lab: JupyterLab) -> None:
    """Load JupyterLab and wait until its shell has drawn the sidebars."""
    page.goto(lab.lab_url(), wait_until="domcontentloaded")
    page.locator('.lm-TabBar-tab[data-id="filebrowser"]').wait_for(timeout=START_TIMEOUT * 1000)


def open_sidebar(page) -> None:
    """Click the sidebar's tab (once: a second click would collapse it)."""
    tab = page.locator(f'.lm-TabBar-tab[data-id="{SIDEBAR_ID}"]')
    tab.wait_for()
    if "lm-mod-current" not in (tab.get_attribute("class") or ""):
        tab.click()
    page.locator(f"#{SIDEBAR_ID}").wait_for(state="visible")

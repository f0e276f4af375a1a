"""Start a real ``jupyter lab`` for browser tests and benchmarks, and Debian's Chromium for it.

Each server gets its own free port, token, root, workspaces and settings folders, and the
run store it is told to serve; nothing is read from the user's Jupyter folders.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jupyter_automl_codegen

from ..server_process import free_port, stop, wait_until_ready

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
        *_this_checkouts_labextension(base),
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
        wait_until_ready(process, lab.url, token, log, timeout=START_TIMEOUT)
        yield lab
    finally:
        stop(process)


def _this_checkouts_labextension(base: Path) -> list[str]:
    """Serve the JupyterLab extension built in the checkout under test (next to the imported
    package), ahead of the one the environment has installed, which may be another
    checkout's build; nothing outside ``base`` changes."""
    built = Path(jupyter_automl_codegen.__file__).parent / "labextension"
    if not (built / "package.json").is_file():
        return []  # not built here: the installed extension is served
    name = json.loads((built / "package.json").read_text(encoding="utf-8"))["name"]
    folder = base / "labextensions"
    folder.mkdir()
    (folder / name).symlink_to(built, target_is_directory=True)
    return [f"--LabApp.extra_labextensions_path={folder}"]


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

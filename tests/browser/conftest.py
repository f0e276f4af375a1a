"""Browser fixtures: a real ``jupyter lab`` over the session's trained store, and Chromium.

Browser tests run after every other test of the session (see ``tests/conftest.py``):
Playwright's sync API holds an event loop that the server tests' async fixtures must not
meet. Screenshots go to ``test-artifacts/screenshots`` (or ``$AUTOML_CODEGEN_SCREENSHOTS``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .jupyterlab_process import jupyterlab, launch_chromium, open_lab

SCREENSHOTS = Path(
    os.environ.get(
        "AUTOML_CODEGEN_SCREENSHOTS", Path(__file__).parents[2] / "test-artifacts" / "screenshots"
    )
)
VIEWPORT = {"width": 1440, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(trained_store, tmp_path_factory):
    """JupyterLab serving the session's store (penguins and cars experiments)."""
    with jupyterlab(tmp_path_factory.mktemp("lab"), trained_store["root"]) as server:
        yield server


@pytest.fixture
def page(chromium, lab):
    """A fresh browser context on the loaded JupyterLab."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    open_lab(page, lab)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page_or_locator, name)`` saves ``<name>.png`` for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(target, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        target.screenshot(path=str(path))
        return path

    return save

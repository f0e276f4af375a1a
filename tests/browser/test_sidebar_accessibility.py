"""The sidebar for keyboard and screen-reader users, in real JupyterLab and Chromium: axe-core
finds no serious or critical violation, and rows, sort headers and the row menu work from
the keyboard alone (Tab to reach, Enter or Space to act, focus always visible)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .jupyterlab_process import SIDEBAR_ID, open_sidebar
from .notebook_state import wait_for_current_document

SIDEBAR = f"#{SIDEBAR_ID}"
ROWS = f"{SIDEBAR} tr.jp-AutoMLCodegen-run"
BLOCKING = ("serious", "critical")


def _blocking_violations(page, context: str) -> list[str]:
    """axe-core's serious and critical findings inside ``context``, one readable line each."""
    results = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def _focused(page, selector: str) -> bool:
    return page.evaluate(f"() => document.activeElement?.matches({selector!r}) ?? false")


def _show_cars(page, lab) -> dict:
    cars = next(e for e in lab.api("experiments")["items"] if e["name"] == "cars")
    # JupyterLab focuses its launcher once the layout is restored: wait for that first, or
    # it takes the focus from under the keys the test presses.
    page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    expect(page.locator(".jp-Launcher")).to_be_visible()
    open_sidebar(page)
    # The experiment list is buttons: Enter on one shows its models.
    page.locator(f'{SIDEBAR} [data-experiment-id="{cars["id"]}"] button').focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-leaderboard h3")).to_have_text(
        f"Models of {cars['name']}"
    )
    expect(page.locator(ROWS).first).to_be_visible()
    return cars


def test_sidebar_has_no_serious_or_critical_accessibility_violation(page, lab):
    _show_cars(page, lab)
    # The leaderboard with a row opened (metrics, hyperparameters, featurization) ...
    page.locator(ROWS).first.locator(".jp-AutoMLCodegen-algorithm-line").click()
    expect(page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-run-details").first).to_be_visible()
    assert _blocking_violations(page, SIDEBAR) == []

    # ... and the row menu once open.
    page.locator(ROWS).first.locator(".jp-AutoMLCodegen-row-menu").click()
    expect(page.locator(".jp-AutoMLCodegen-menu")).to_be_visible()
    assert _blocking_violations(page, ".jp-AutoMLCodegen-menu") == []


def test_rows_and_sort_headers_work_from_the_keyboard(page, lab):
    cars = _show_cars(page, lab)
    runs_url = f"experiments/{cars['id']}/runs"
    fit_time = page.locator(f"{SIDEBAR} th", has_text="Fit time")
    metric = page.locator(f"{SIDEBAR} th.jp-AutoMLCodegen-col-metric")

    # Tab from the "Sort by" select reaches the sort headers, then the first row.
    page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-sortby select").focus()
    page.keyboard.press("Tab")
    assert _focused(page, "th.jp-AutoMLCodegen-col-metric button")
    page.keyboard.press("Tab")
    assert _focused(page, "th.jp-AutoMLCodegen-col-time button")

    # Enter sorts by fit time, shortest first; Space flips the order.
    page.keyboard.press("Enter")
    expect(fit_time).to_have_attribute("aria-sort", "ascending")
    expect(metric).to_have_attribute("aria-sort", "none")
    ascending = [r["id"] for r in lab.api(f"{runs_url}?sort=fit_time")["items"]]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", ascending[0])
    page.keyboard.press("Space")
    expect(fit_time).to_have_attribute("aria-sort", "descending")
    descending = [r["id"] for r in lab.api(f"{runs_url}?sort=fit_time&order=desc")["items"]]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", descending[0])

    # Back to the primary metric from its header, best first.
    page.keyboard.press("Shift+Tab")
    assert _focused(page, "th.jp-AutoMLCodegen-col-metric button")
    page.keyboard.press("Enter")
    natural = {"asc": "ascending", "desc": "descending"}[lab.api(runs_url)["order"]]
    expect(metric).to_have_attribute("aria-sort", natural)
    best = cars["best_run"]["id"]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", best)

    # Tab on reaches the first row, with a visible focus ring; Enter opens it, Space closes.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    row = page.locator(f'{ROWS}[data-run-id="{best}"]')
    assert _focused(page, f'tr.jp-AutoMLCodegen-run[data-run-id="{best}"]')
    outline = row.evaluate("row => getComputedStyle(row).outlineStyle")
    assert outline != "none"
    expect(row).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(row).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f'{SIDEBAR} [data-details-for="{best}"]')).to_contain_text("run id")
    page.keyboard.press("Space")
    expect(row).to_have_attribute("aria-expanded", "false")
    # As in a tree grid, the arrows move between models and open or close them.
    second = page.locator(ROWS).nth(1).get_attribute("data-run-id")
    page.keyboard.press("ArrowDown")
    assert _focused(page, f'tr.jp-AutoMLCodegen-run[data-run-id="{second}"]')
    page.keyboard.press("ArrowUp")
    assert _focused(page, f'tr.jp-AutoMLCodegen-run[data-run-id="{best}"]')
    page.keyboard.press("ArrowRight")
    expect(row).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowLeft")
    expect(row).to_have_attribute("aria-expanded", "false")

    # Next in the tab order: the row's own buttons, which keep their keys to themselves.
    page.keyboard.press("Tab")
    assert _focused(page, ".jp-AutoMLCodegen-view-code")
    page.keyboard.press("Tab")
    assert _focused(page, ".jp-AutoMLCodegen-row-menu")
    expect(row).to_have_attribute("aria-expanded", "false")


def test_row_menu_works_from_the_keyboard(page, lab):
    cars = _show_cars(page, lab)
    best = cars["best_run"]["id"]
    button = page.locator(f'{ROWS}[data-run-id="{best}"] .jp-AutoMLCodegen-row-menu')
    expect(button).to_have_attribute("aria-haspopup", "menu")
    button.focus()

    # Enter opens the menu on its first item; Escape closes it and gives focus back.
    page.keyboard.press("Enter")
    menu = page.locator(".jp-AutoMLCodegen-menu")
    expect(menu).to_be_visible()
    expect(menu.locator(".lm-Menu-item.lm-mod-active")).to_contain_text("Open training_code.ipynb")
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    page.wait_for_function("() => document.activeElement?.matches('.jp-AutoMLCodegen-row-menu')")

    # Arrow down to the script, Enter opens it.
    page.keyboard.press("Space")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.locator(".lm-Menu-item.lm-mod-active")).to_contain_text("Open script.py")
    page.keyboard.press("Enter")
    path = wait_for_current_document(page, "script.py")
    assert path.endswith(f"{best}/script.py")

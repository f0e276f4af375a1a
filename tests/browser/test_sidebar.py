"""The "AutoML models" sidebar in real JupyterLab and Chromium, over the session's store."""

from __future__ import annotations

import ast
import json
import re
import urllib.request

import nbformat
from playwright.sync_api import expect

from .jupyterlab_process import SIDEBAR_ID, open_sidebar
from .notebook_state import (
    notebook_cells,
    output_text,
    wait_for_current_document,
    wait_for_idle_kernel,
)

SIDEBAR = f"#{SIDEBAR_ID}"
ROWS = f"{SIDEBAR} tr.jp-AutoMLCodegen-run"


def _experiment(lab, name: str) -> dict:
    return next(e for e in lab.api("experiments")["items"] if e["name"] == name)


def _choose(page, experiment: dict) -> None:
    page.locator(f'{SIDEBAR} [data-experiment-id="{experiment["id"]}"] button').click()
    expect(page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-leaderboard h3")).to_have_text(
        f"Models of {experiment['name']}"
    )


def _row_ids(page) -> list[str]:
    return page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.runId)")


def _functions(script: str) -> dict[str, str]:
    """Every top-level function of ``script``: its name and its exact source."""
    tree = ast.parse(script)
    return {
        node.name: ast.get_source_segment(script, node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
    }


def test_sidebar_lists_experiments_and_marks_the_best_model(page, lab, screenshot):
    open_sidebar(page)
    experiments = lab.api("experiments")["items"]
    items = page.locator(f"{SIDEBAR} [data-experiment-id]")
    expect(items).to_have_count(len(experiments))
    for experiment in experiments:
        item = page.locator(f'{SIDEBAR} [data-experiment-id="{experiment["id"]}"]')
        expect(item).to_contain_text(experiment["name"])
        expect(item).to_contain_text(experiment["task"])
        expect(item).to_contain_text(f"{experiment['num_runs']} models")
        expect(item).to_contain_text(experiment["status"])

    penguins = _experiment(lab, "penguins")
    _choose(page, penguins)
    runs = lab.api(f"experiments/{penguins['id']}/runs")
    expect(page.locator(ROWS)).to_have_count(len(runs["items"]))
    # Best first: the server's order, and the best model marked once.
    assert _row_ids(page) == [run["id"] for run in runs["items"]]
    best = page.locator(f"{SIDEBAR} tr.jp-AutoMLCodegen-best")
    expect(best).to_have_count(1)
    expect(best).to_have_attribute("data-run-id", penguins["best_run"]["id"])
    expect(best).to_contain_text("best")

    # A row click shows every metric of the model.
    first = runs["items"][0]
    page.locator(f'{ROWS}[data-run-id="{first["id"]}"] .jp-AutoMLCodegen-algorithm-line').click()
    details = page.locator(f'{SIDEBAR} [data-details-for="{first["id"]}"]')
    for name in first["metrics"]:
        expect(details).to_contain_text(name.replace("_", " "))
    # ... and what rebuilds it: hyperparameters (or an ensemble's members) and featurization.
    detail = lab.api(f"runs/{first['id']}")
    expect(details).to_contain_text("Featurization")
    for group in detail["featurization"]["descriptions"]:
        expect(details).to_contain_text(group)
    for member in detail["properties"].get("members", []):
        expect(details).to_contain_text(member["algorithm"])
    for name in detail["properties"].get("hyperparameters", {}):
        expect(details).to_contain_text(name)
    # An ensemble in the leaderboard lists its members with their weights.
    voting = next(r for r in runs["items"] if r["algorithm"] == "VotingEnsemble")
    voting_row = page.locator(f'{ROWS}[data-run-id="{voting["id"]}"]')
    if voting_row.get_attribute("aria-expanded") != "true":  # it may be the best, open above
        voting_row.locator(".jp-AutoMLCodegen-algorithm-line").click()
    members = page.locator(
        f'{SIDEBAR} [data-details-for="{voting["id"]}"] .jp-AutoMLCodegen-members li'
    )
    voting_members = lab.api(f"runs/{voting['id']}")["properties"]["members"]
    expect(members).to_have_count(len(voting_members))
    expect(members.first).to_have_text(
        f"{voting_members[0]['algorithm']} × {voting_members[0]['weight']}"
    )
    screenshot(page, "sidebar")


def test_view_generated_code_opens_that_models_notebook_which_runs(page, lab, screenshot):
    penguins = _experiment(lab, "penguins")
    open_sidebar(page)
    _choose(page, penguins)
    # Not the best model: the button must open the code of the row it sits on.
    run = lab.api(f"experiments/{penguins['id']}/runs")["items"][1]
    row = page.locator(f'{ROWS}[data-run-id="{run["id"]}"]')
    row.get_by_role("button", name="View generated code").click()

    path = wait_for_current_document(page, "training_code.ipynb")
    assert f"/{run['id']}/" in f"/{path}"
    expect(page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current")).to_contain_text(
        "training_code.ipynb"
    )
    cells = notebook_cells(page)
    on_disk = nbformat.read(lab.root / path, as_version=4)
    assert [c["source"] for c in cells] == [c.source for c in on_disk.cells]
    script = lab.api(f"runs/{run['id']}/code")["script"]
    sources = "\n".join(c["source"] for c in cells)
    functions = _functions(script)
    assert "build_model_pipeline" in functions
    for name, source in functions.items():
        if name != "main":  # the notebook runs the stages cell by cell instead
            assert source in sources, name

    wait_for_idle_kernel(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(
        """() => {
          const cells = window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells;
          const code = cells.filter(c => c.cell_type === 'code');
          return code.some(c => c.getOutputs().some(o => o.output_type === 'error'))
            || code[code.length - 1].getOutputs().length > 0;
        }""",
        timeout=300_000,
    )
    outputs = [output_text(c["outputs"]) for c in notebook_cells(page) if c["type"] == "code"]
    assert not any("Error" in text and "Traceback" in text for text in outputs), outputs
    everything = "\n".join(outputs)
    assert penguins["primary_metric"] in everything
    comparison = outputs[-1]
    assert "difference" in comparison and "retrained" in comparison
    # The rebuilt model scores what the run scored: every difference is zero.
    differences = [line.split()[-1] for line in comparison.splitlines()[1:] if line.strip()]
    assert differences and all(float(value) == 0.0 for value in differences), comparison
    screenshot(page, "generated-notebook")


def test_row_menu_opens_the_script_and_the_script_run_notebook(page, lab):
    cars = _experiment(lab, "cars")
    open_sidebar(page)
    _choose(page, cars)
    run_id = cars["best_run"]["id"]
    for label, name in (
        ("Open script.py", "script.py"),
        ("Open script_run_notebook.ipynb", "script_run_notebook.ipynb"),
    ):
        page.locator(f'{ROWS}[data-run-id="{run_id}"] .jp-AutoMLCodegen-row-menu').click()
        page.locator(".jp-AutoMLCodegen-menu .lm-Menu-itemLabel", has_text=label).click()
        path = wait_for_current_document(page, name)
        assert path.endswith(f"{run_id}/{name}")
    script = (lab.root / path).parent / "script.py"
    assert script.read_text() == lab.api(f"runs/{run_id}/code")["script"]


def test_leaderboard_sorts_by_fit_time_and_by_any_metric(page, lab):
    cars = _experiment(lab, "cars")
    open_sidebar(page)
    _choose(page, cars)
    runs_url = f"experiments/{cars['id']}/runs"
    header = page.locator(f"{SIDEBAR} th", has_text="Fit time")

    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = [r["id"] for r in lab.api(f"{runs_url}?sort=fit_time")["items"]]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", ascending[0])
    assert _row_ids(page) == ascending

    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    descending = [r["id"] for r in lab.api(f"{runs_url}?sort=fit_time&order=desc")["items"]]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", descending[0])
    assert _row_ids(page) == descending

    page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-sortby select").select_option("metrics.r2_score")
    best_r2 = [r["id"] for r in lab.api(f"{runs_url}?sort=metrics.r2_score")["items"]]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", best_r2[0])
    assert _row_ids(page) == best_r2
    expect(page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-sortvalue").first).to_contain_text("R²")


def test_palette_commands_open_the_best_models_code(page, lab):
    open_sidebar(page)
    newest = lab.api("experiments")["items"][0]
    expect(page.locator(f"{SIDEBAR} li.jp-mod-selected")).to_have_attribute(
        "data-experiment-id", newest["id"]
    )
    page.keyboard.press("Control+Shift+C")
    palette = page.locator(".jp-ModalCommandPalette input")
    palette.fill("AutoML: Refresh models")
    expect(
        page.locator(".lm-CommandPalette-item", has_text="AutoML: Refresh models")
    ).to_be_visible()
    palette.fill("AutoML: View generated code of the best model")
    page.locator(
        ".lm-CommandPalette-item", has_text="AutoML: View generated code of the best model"
    ).click()
    path = wait_for_current_document(page, "training_code.ipynb")
    assert f"/{newest['best_run']['id']}/" in f"/{path}"


def test_open_in_setting_puts_the_notebook_beside_the_current_document(page, lab):
    settings_url = f"{lab.url}lab/api/settings/jupyter-automl-codegen:plugin"
    _put_settings(lab, settings_url, {"openIn": "split-right"})
    try:
        page.reload()
        page.locator('.lm-TabBar-tab[data-id="filebrowser"]').wait_for()
        page.evaluate("() => window.jupyterapp.commands.execute('launcher:create')")
        expect(page.locator("#jp-main-dock-panel .lm-DockPanel-tabBar")).to_have_count(1)
        open_sidebar(page)
        page.locator(ROWS).first.get_by_role("button", name="View generated code").click()
        wait_for_current_document(page, "training_code.ipynb")
        # The launcher keeps its tab bar; the notebook gets a second one beside it.
        expect(page.locator("#jp-main-dock-panel .lm-DockPanel-tabBar")).to_have_count(2)
    finally:
        _put_settings(lab, settings_url, {})


def _put_settings(lab, url: str, values: dict) -> None:
    request = urllib.request.Request(
        url,
        method="PUT",
        data=json.dumps({"raw": json.dumps(values)}).encode(),
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=30).close()


def test_sidebar_renders_in_the_dark_theme(page, lab, screenshot):
    open_sidebar(page)
    expect(page.locator(ROWS).first).to_be_visible()
    light = _background(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Settings$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^JupyterLab Dark$")).click()
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false", timeout=60_000)
    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=60_000)
    page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('{SIDEBAR}')).backgroundColor"
        f" !== {json.dumps(light)}"
    )
    dark = _background(page)
    assert _luminance(dark) < 0.2 < _luminance(light), (light, dark)
    # Text stays readable: the sidebar's text colour is light on the dark background.
    text = page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-experiment-name").first.evaluate(
        "node => getComputedStyle(node).color"
    )
    assert _luminance(text) > 0.6, text
    screenshot(page, "sidebar-dark")


def _background(page) -> str:
    return page.locator(SIDEBAR).evaluate("node => getComputedStyle(node).backgroundColor")


def _luminance(css_color: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255

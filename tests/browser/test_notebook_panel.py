"""The notebook panel in real JupyterLab: `%codegen` renders it, its button opens a tab."""

from __future__ import annotations

import nbformat
from playwright.sync_api import expect

from .notebook_state import notebook_cells, wait_for_current_document, wait_for_idle_kernel

PANEL = ".automl-codegen-panel"


def _open(page, path: str) -> None:
    page.evaluate(
        "path => window.jupyterapp.commands.execute('docmanager:open',"
        " {path, factory: 'Notebook'})",
        path,
    )
    wait_for_current_document(page, path)
    wait_for_idle_kernel(page)


def test_codegen_magic_panel_opens_the_generated_notebook(page, lab, screenshot):
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("%load_ext jupyter_automl_codegen\n%codegen"))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, lab.root / "browse.ipynb")
    _open(page, "browse.ipynb")

    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Shift+Enter")
    panel = page.locator(PANEL)
    expect(panel).to_be_visible(timeout=120_000)
    newest = lab.api("experiments")["items"][0]
    best = newest["best_run"]["id"]
    expect(panel.locator(".automl-codegen-details")).to_contain_text(best)
    screenshot(page, "notebook-panel")

    panel.locator(".automl-codegen-view-code").click()
    path = wait_for_current_document(page, "training_code.ipynb")
    assert f"/{best}/" in f"/{path}"
    script = lab.api(f"runs/{best}/code")["script"]
    assert "def build_model_pipeline" in script
    assert any("def build_model_pipeline" in c["source"] for c in notebook_cells(page))

    # Back in the notebook, the panel's output keeps a link to open the notebook again.
    page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="browse.ipynb").click()
    wait_for_current_document(page, "browse.ipynb")
    link = page.locator(f"{PANEL} .automl-codegen-output .jp-AutoMLCodegen-open a")
    expect(link).to_have_text(path)


def test_an_old_open_output_shows_its_link_but_opens_nothing(page, lab):
    """A reopened notebook re-renders its outputs: an old bundle must not reopen a tab.

    The kernel displays a bundle stamped long ago, as a saved output would be; the
    sidebar's renderer draws it, opens nothing, and its link still opens the file.
    """
    target = "automl_generated_code/old/training_code.ipynb"
    (lab.root / target).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), lab.root / target)
    bundle = {
        "application/vnd.automl-codegen.open+json": {"path": target, "created": 1.0},
        "text/plain": target,
    }
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            f"from IPython.display import display\ndisplay({bundle!r}, raw=True)"
        )
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, lab.root / "old_output.ipynb")
    _open(page, "old_output.ipynb")
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Shift+Enter")
    link = page.locator(".jp-OutputArea-output.jp-AutoMLCodegen-open a", has_text=target)
    expect(link).to_be_visible()
    page.wait_for_timeout(2_000)  # time enough for a wrong open to happen
    tabs = page.locator("#jp-main-dock-panel .lm-TabBar-tab")
    expect(tabs.filter(has_text="training_code.ipynb")).to_have_count(0)
    link.click()  # the link still opens it on demand
    assert wait_for_current_document(page, "training_code.ipynb") == target

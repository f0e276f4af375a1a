"""Read what the browser shows, through JupyterLab's own application object.

The test server exposes it (``--LabApp.expose_app_in_browser``); reading the notebook model
is sturdier than scraping cells that the notebook may not have drawn yet.
"""

from __future__ import annotations

CURRENT_PATH = "() => window.jupyterapp.shell.currentWidget?.context?.path ?? null"

CURRENT_CELLS = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  if (!widget?.content?.model) return null;
  return widget.content.model.sharedModel.cells.map(cell => ({
    type: cell.cell_type,
    source: cell.getSource(),
    outputs: cell.cell_type === 'code' ? cell.getOutputs() : [],
  }));
}"""


def current_tab_label(page) -> str:
    """The label of the main area's current tab."""
    return page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").inner_text()


def wait_for_current_document(page, name: str, timeout: float = 60_000) -> str:
    """Wait until the current main-area document is ``name``, loaded; return its path."""
    page.wait_for_function(
        "() => { const context = window.jupyterapp.shell.currentWidget?.context;"
        f" return !!context?.isReady && context.path.endsWith({name!r}); }}",
        timeout=timeout,
    )
    return page.evaluate(CURRENT_PATH)


def wait_for_idle_kernel(page, timeout: float = 120_000) -> None:
    """Wait until the current notebook's kernel has started and is idle."""
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel"
        "?.status === 'idle'",
        timeout=timeout,
    )


def notebook_cells(page) -> list[dict]:
    return page.evaluate(CURRENT_CELLS)


def output_text(outputs: list[dict]) -> str:
    """The plain text of a cell's outputs (streams, results and errors)."""
    parts = []
    for output in outputs:
        if "text" in output:
            text = output["text"]
            parts.append(text if isinstance(text, str) else "".join(text))
        data = output.get("data", {})
        plain = data.get("text/plain")
        if plain is not None:
            parts.append(plain if isinstance(plain, str) else "".join(plain))
        if output.get("output_type") == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "\n".join(parts)

"""Time from a click on **View generated code** to the notebook tab being shown.

Trains a small penguins experiment into a temporary store, starts a real ``jupyter lab``
over it and drives Debian's Chromium. For each completed run it clicks the row's button
and waits until the current tab is that run's ``training_code.ipynb``, loaded:
- cold: the first click on a run, the server generates and writes the folder;
- warm: a second click, the folder is already there.
Peer, side by side: JupyterLab's own ``docmanager:open`` of the same notebook (what a
double click in the file browser does), the floor of any "open a notebook" action.

    .venv/bin/python benchmarks/sidebar_open_code.py [--trials 12]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jupyter_automl_codegen import AutoMLConfig, load_dataset, submit  # noqa: E402
from tests.browser.jupyterlab_process import (  # noqa: E402
    SIDEBAR_ID,
    jupyterlab,
    launch_chromium,
    open_lab,
    open_sidebar,
)
from tests.browser.notebook_state import wait_for_current_document  # noqa: E402

CLOSE_ALL = "() => window.jupyterapp.commands.execute('application:close-all')"


def _train(store: Path, trials: int) -> None:
    dataset = load_dataset("penguins")
    config = AutoMLConfig(
        task=dataset.task,
        label_column_name=dataset.label,
        max_trials=trials,
        experiment_timeout_seconds=300,
        n_cross_validations=3,
    )
    submit(config, dataset.frame, store=store, experiment_name="penguins", show_progress=False)


def _timed(page, action, run_id: str) -> float:
    page.evaluate(CLOSE_ALL)
    started = time.perf_counter()
    action()
    path = wait_for_current_document(page, "training_code.ipynb")
    elapsed = (time.perf_counter() - started) * 1000
    assert f"/{run_id}/" in f"/{path}", path
    return elapsed


def _summary(name: str, timings: list[float], peer: list[float]) -> str:
    p50, peer_p50 = statistics.median(timings), statistics.median(peer)
    p95 = sorted(timings)[max(0, round(0.95 * len(timings)) - 1)]
    return f"| {name} | {len(timings)} | {p50:.0f} | {p95:.0f} | {max(timings):.0f} | {p50 / peer_p50:.2f}x |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=12, help="models to train and open")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _train(base / "store", args.trials)
        with jupyterlab(base / "lab", base / "store") as lab, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(60_000)
            open_lab(page, lab)
            open_sidebar(page)
            experiment = lab.api("experiments")["items"][0]
            runs = lab.api(f"experiments/{experiment['id']}/runs?status=completed")["items"]
            # One unmeasured open first: the notebook factory and its code load once per page.
            page.locator(f"#{SIDEBAR_ID} tr.jp-AutoMLCodegen-run").first.wait_for()
            timings = {"cold": [], "warm": [], "peer": []}
            for index, run in enumerate(runs):
                button = page.locator(
                    f'#{SIDEBAR_ID} tr[data-run-id="{run["id"]}"] .jp-AutoMLCodegen-view-code'
                )
                cold = _timed(page, button.click, run["id"])
                warm = _timed(page, button.click, run["id"])
                path = page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
                peer = _timed(
                    page,
                    lambda path=path: page.evaluate(
                        "path => { window.jupyterapp.commands.execute('docmanager:open',"
                        " {path, factory: 'Notebook'}); }",
                        path,
                    ),
                    run["id"],
                )
                if index == 0:
                    continue  # warm-up: first notebook of the page
                timings["cold"].append(cold)
                timings["warm"].append(warm)
                timings["peer"].append(peer)
            browser.close()
    print(f"Click on View generated code → training_code.ipynb shown, {len(runs) - 1} runs")
    print("| open | n | p50 ms | p95 ms | max ms | p50 / peer |")
    print("|---|---|---|---|---|---|")
    print(_summary("cold (server writes the folder)", timings["cold"], timings["peer"]))
    print(_summary("warm (folder already written)", timings["warm"], timings["peer"]))
    print(_summary("peer: docmanager:open", timings["peer"], timings["peer"]))


if __name__ == "__main__":
    main()

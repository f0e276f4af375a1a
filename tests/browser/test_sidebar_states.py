"""The sidebar's empty, live and error states, each on a JupyterLab of its own."""

from __future__ import annotations

import pickle
import subprocess
import sys

from playwright.sync_api import expect

from jupyter_automl_codegen import RunStore, load_dataset

from .conftest import VIEWPORT
from .jupyterlab_process import SIDEBAR_ID, jupyterlab, open_lab, open_sidebar

SIDEBAR = f"#{SIDEBAR_ID}"


def _page(chromium, lab):
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    open_lab(page, lab)
    open_sidebar(page)
    return page


def test_empty_store_shows_how_to_start_then_a_training_appears_live(
    chromium, tmp_path_factory, screenshot
):
    base = tmp_path_factory.mktemp("live")
    store = base / "store"
    data = base / "penguins.csv"
    load_dataset("penguins").frame.to_csv(data, index=False)
    with jupyterlab(base / "lab", store, plugin_settings={"pollInterval": 0.5}) as lab:
        page = _page(chromium, lab)
        empty = page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-empty")
        expect(empty).to_contain_text("No experiments yet")
        for way in ("automl-codegen train", "submit(", "%codegen"):
            expect(empty).to_contain_text(way)
        screenshot(page, "sidebar-empty")

        # A training started elsewhere shows up and goes live without a click.
        command = [sys.executable, "-m", "jupyter_automl_codegen.cli", "--store", str(store)]
        command += ["train", str(data), "--task", "classification", "--label", "species"]
        command += ["--timeout", "20", "--max-trials", "400", "--workers", "1"]
        command += ["--experiment", "live penguins"]
        training = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            item = page.locator(f"{SIDEBAR} [data-experiment-id]")
            expect(item).to_contain_text("live penguins", timeout=60_000)
            expect(item.locator(".jp-AutoMLCodegen-status")).to_have_text("running")
            rows = page.locator(f"{SIDEBAR} tr.jp-AutoMLCodegen-run")
            expect(rows.first).to_be_visible(timeout=60_000)
            seen_while_running = rows.count()
            expect(item.locator(".jp-AutoMLCodegen-status")).to_have_text(
                "completed", timeout=120_000
            )
        finally:
            _, stderr = training.communicate(timeout=120)
        assert training.returncode == 0, stderr.decode()
        experiment = lab.api("experiments")["items"][0]
        expect(item).to_contain_text(f"{experiment['num_runs']} models")
        expect(rows.first).to_have_attribute("data-run-id", experiment["best_run"]["id"])
        assert rows.count() >= seen_while_running
        assert experiment["num_runs"] > seen_while_running, "the leaderboard never grew live"


def test_failed_trials_show_their_error(chromium, tmp_path_factory):
    base = tmp_path_factory.mktemp("failed")
    store = RunStore(base / "store")
    _, parent = store.create_experiment(
        "broken", task="classification", label="species", primary_metric="AUC_weighted"
    )
    run = store.create_child_run(parent.id, algorithm="LightGBM", spec=None)
    store.start_run(run.id)
    store.fail_run(run.id, "ValueError: Input X contains infinity")
    store.finish_parent(parent.id, "failed", error="every trial failed")
    with jupyterlab(base / "lab", base / "store") as lab:
        page = _page(chromium, lab)
        row = page.locator(f'{SIDEBAR} tr.jp-AutoMLCodegen-failed[data-run-id="{run.id}"]')
        expect(row).to_contain_text("failed")
        expect(row.get_by_role("button", name="View generated code")).to_have_count(0)
        details = page.locator(f'{SIDEBAR} [data-details-for="{run.id}"]')
        expect(details).to_contain_text("ValueError: Input X contains infinity")


def test_long_leaderboards_are_paged(chromium, tmp_path_factory):
    base = tmp_path_factory.mktemp("paged")
    store = RunStore(base / "store")
    _, parent = store.create_experiment(
        "many models", task="regression", label="y", primary_metric="r2_score"
    )
    for index in range(120):
        run = store.create_child_run(parent.id, algorithm="Ridge", spec=None)
        store.start_run(run.id)
        score = index / 120
        store.complete_run(
            run.id,
            metrics={"r2_score": score},
            primary_metric_value=score,
            fit_time=0.01,
            score_time=0.01,
            model_bytes=pickle.dumps(index),
            versions={},
        )
    store.finish_parent(parent.id, "completed", best_run_id=run.id)
    with jupyterlab(base / "lab", base / "store") as lab:
        page = _page(chromium, lab)
        rows = page.locator(f"{SIDEBAR} tr.jp-AutoMLCodegen-run")
        pager = page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-pager")
        runs_url = f"experiments/{lab.api('experiments')['items'][0]['id']}/runs"
        for offset, label in ((0, "1–50 of 120"), (50, "51–100 of 120"), (100, "101–120 of 120")):
            expect(pager).to_contain_text(label)
            expected = [r["id"] for r in lab.api(f"{runs_url}?offset={offset}")["items"]]
            expect(rows).to_have_count(len(expected))
            expect(rows.first).to_have_attribute("data-run-id", expected[0])
            expect(rows.first.locator("td").first).to_have_text(str(offset + 1))
            if offset < 100:
                pager.get_by_role("button", name="Next ›").click()
        expect(pager.get_by_role("button", name="Next ›")).to_be_disabled()
        pager.get_by_role("button", name="‹ Previous").click()
        expect(pager).to_contain_text("51–100 of 120")


def test_missing_server_extension_says_how_to_enable_it(chromium, tmp_path_factory, screenshot):
    base = tmp_path_factory.mktemp("no-extension")
    with jupyterlab(base / "lab", base / "store", server_extension=False) as lab:
        page = _page(chromium, lab)
        error = page.locator(f"{SIDEBAR} .jp-AutoMLCodegen-error")
        expect(error).to_contain_text("Server extension missing")
        expect(error).to_contain_text("jupyter server extension enable jupyter_automl_codegen")
        screenshot(page, "sidebar-no-server-extension")

"""Experiments built for the server tests: hostile names, a running one, one without stored code.

Each is a copy of a real trained run made through the store's public API (see
``conftest.clone_run``), so generating its code exercises the real code path.
"""

from __future__ import annotations

import re

import pytest

from jupyter_automl_codegen import RunStore
from jupyter_automl_codegen.server.shared_folder import SAFE_NAME_PATTERN

from .conftest import add_completed_child, call, clone_run, server_config

SHARED = "automl_generated_code"
HOSTILE_NAMES = {
    "../../escape": "_.._escape",
    "/etc/passwd": "_etc_passwd",
    "..": None,  # None: nothing usable is left, the experiment id is the folder
    ".": None,
    "   ": None,
    "．．／．．／fullwidth": "_.._fullwidth",
    "C:\\x": "C_x",
    "a/b\\c": "a_b_c",
    "nul\x00byte": "nul_byte",
    "line\nbreak\r": "line_break_",
    "file:///etc/passwd": "file_etc_passwd",
    "%2e%2e%2f": "_2e_2e_2f",
    ".hidden": "hidden",
    "trailing dots...": "trailing dots",
    "CON": "_CON",
    "模型": None,
    "x" * 300: "x" * 80,
    "ok name-1.2_3": "ok name-1.2_3",
}


@pytest.fixture(scope="module")
def clones(trained_store, tmp_path_factory):
    source = trained_store["store"]
    penguins = source.get_experiment(trained_store["classification"].experiment_id)
    cars = source.get_experiment(trained_store["regression"].experiment_id)
    store = RunStore(tmp_path_factory.mktemp("clones"))
    made = {"store": store, "source": source, "best": penguins.best_run_id, "hostile": {}}
    for name in HOSTILE_NAMES:
        made["hostile"][name] = clone_run(source, penguins.best_run_id, store, name)
    made["running"] = clone_run(source, penguins.best_run_id, store, "still running", finish=False)
    made["uncoded"] = clone_run(source, cars.best_run_id, store, "cars, no code", copy_code=False)
    made["failing"] = clone_run(source, penguins.best_run_id, store, "failing", finish=False)
    parent_id = store.get_experiment(made["failing"][0]).parent_run_id
    failed = store.create_child_run(parent_id, algorithm="LightGBM", spec=None)
    store.start_run(failed.id)
    store.fail_run(failed.id, f"OSError: cannot read {store.root / 'x.csv'} nor C:\\data\\y.csv")
    yield made
    store.close()


@pytest.fixture
def jp_server_config(clones):
    return server_config(clones["store"].root)


async def test_hostile_experiment_names_become_safe_folders_inside_the_shared_folder(
    jp_fetch, clones, jp_root_dir
):
    shared = (jp_root_dir / SHARED).resolve()
    for name, expected in HOSTILE_NAMES.items():
        experiment_id, run_id = clones["hostile"][name]
        status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen")
        assert status == 201, (name, reply)
        top, folder_name, run_folder = reply["folder"].split("/")
        assert (top, run_folder) == (SHARED, run_id)
        assert folder_name == (expected or experiment_id), name
        assert re.fullmatch(SAFE_NAME_PATTERN, folder_name)
        for path in reply["files"].values():
            assert (jp_root_dir / path).resolve().is_relative_to(shared), (name, path)
            assert (jp_root_dir / path).is_file()
    assert [path.name for path in jp_root_dir.iterdir()] == [SHARED]
    assert {path.name for path in (jp_root_dir / SHARED).iterdir()} == {
        expected or clones["hostile"][name][0] for name, expected in HOSTILE_NAMES.items()
    }


async def test_a_running_experiment_grows_as_trials_finish(jp_fetch, clones):
    store, source = clones["store"], clones["source"]
    experiment_id, first_run = clones["running"]
    path = f"experiments/{experiment_id}/runs"
    status, page = await call(jp_fetch, "GET", path)
    assert (status, page["total"], [item["id"] for item in page["items"]]) == (200, 1, [first_run])

    parent_id = store.get_experiment(experiment_id).parent_run_id
    second_run = add_completed_child(source, source.get_run(clones["best"]), store, parent_id)
    status, page = await call(jp_fetch, "GET", path, params={"sort": "iteration"})
    assert [item["id"] for item in page["items"]] == [first_run, second_run]

    status, experiments = await call(jp_fetch, "GET", "experiments")
    running = next(item for item in experiments["items"] if item["id"] == experiment_id)
    assert (running["status"], running["ended_at"], running["num_runs"]) == ("running", None, 2)
    assert running["best_run"]["id"] in (first_run, second_run), "the leader so far"


async def test_a_run_without_stored_code_is_rendered_on_demand(jp_fetch, clones, jp_root_dir):
    experiment_id, run_id = clones["uncoded"]
    status, page = await call(jp_fetch, "GET", f"experiments/{experiment_id}/runs")
    assert [item["has_code"] for item in page["items"]] == [False]

    status, reply = await call(jp_fetch, "GET", f"runs/{run_id}/code")
    assert status == 200
    script = reply["script"]
    assert f"# Run: {run_id}" in script
    assert "def main(" in script

    status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen")
    assert status == 201
    assert sorted(reply["files"]) == sorted(
        [
            "requirements.txt",
            "score.py",
            "script.py",
            "script_run_notebook.ipynb",
            "test_rows.csv",
            "training_code.ipynb",
        ]
    )
    assert (jp_root_dir / reply["files"]["script.py"]).read_text(encoding="utf-8") == script
    status, page = await call(jp_fetch, "GET", f"experiments/{experiment_id}/runs")
    assert [item["has_code"] for item in page["items"]] == [False], "the store is not written"


async def test_a_failed_runs_error_is_shown_without_server_paths(jp_fetch, clones):
    experiment_id, _ = clones["failing"]
    params = {"status": "failed"}
    status, page = await call(jp_fetch, "GET", f"experiments/{experiment_id}/runs", params=params)
    assert status == 200
    [failed] = page["items"]
    assert failed["error"] == "OSError: cannot read <path> nor <path>"
    assert (failed["has_code"], failed["primary_metric"]["value"]) == (False, None)
    status, detail = await call(jp_fetch, "GET", f"runs/{failed['id']}")
    assert (status, detail["error"], detail["spec"]) == (200, failed["error"], None)
    status, reply = await call(jp_fetch, "GET", f"runs/{failed['id']}/code")
    assert (status, reply["reason"]) == (409, "run_not_ready")

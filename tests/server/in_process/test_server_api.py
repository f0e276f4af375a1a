"""Every route of the REST API on a store holding real trained experiments."""

from __future__ import annotations

import json

import nbformat

from jupyter_automl_codegen.stored_code import stored_code_dir

from .conftest import API, call, files_under

SHARED = "automl_generated_code"


async def test_experiments_lists_both_experiments_with_their_best_run(jp_fetch, trained_store):
    store = trained_store["store"]
    status, reply = await call(jp_fetch, "GET", "experiments")
    assert status == 200
    assert reply["total"] == 2
    by_name = {item["name"]: item for item in reply["items"]}
    assert [item["name"] for item in reply["items"]] == ["cars", "penguins"]  # newest first
    for name, greater in (("penguins", True), ("cars", False)):
        item = by_name[name]
        experiment = store.get_experiment(item["id"])
        best = store.get_run(experiment.best_run_id)
        assert item["task"] == experiment.task
        assert item["status"] == "completed"
        assert item["num_runs"] == store.count_runs(experiment.id)
        assert item["started_at"] < item["ended_at"]
        assert item["primary_metric"] == experiment.primary_metric
        assert item["best_run"] == {
            "id": best.id,
            "algorithm": best.algorithm,
            "primary_metric": {
                "name": experiment.primary_metric,
                "value": best.primary_metric_value,
                "greater_is_better": greater,
            },
        }


def _is_sorted(values, descending: bool) -> bool:
    """Sorted with None last, as the API promises."""
    present = [value for value in values if value is not None]
    assert values[: len(present)] == present, "None values must come last"
    return present == sorted(present, reverse=descending)


async def _all_pages(jp_fetch, experiment_id: str, limit: int, **params) -> list[dict]:
    items, offset = [], 0
    while True:
        query = {"limit": limit, "offset": offset, **params}
        status, page = await call(
            jp_fetch, "GET", f"experiments/{experiment_id}/runs", params=query
        )
        assert status == 200, page
        assert (page["limit"], page["offset"]) == (limit, offset)
        items += page["items"]
        offset += limit
        if offset >= page["total"]:
            return items


async def test_runs_default_to_best_first_and_pages_cover_every_run(jp_fetch, trained_store):
    store = trained_store["store"]
    for task, descending in (("classification", True), ("regression", False)):
        experiment_id = trained_store[task].experiment_id
        status, first = await call(jp_fetch, "GET", f"experiments/{experiment_id}/runs")
        assert status == 200
        assert (first["sort"], first["order"], first["status"]) == (
            "primary_metric",
            "desc" if descending else "asc",
            None,
        )
        assert first["total"] == store.count_runs(experiment_id)
        assert first["items"][0]["id"] == store.get_experiment(experiment_id).best_run_id
        paged = await _all_pages(jp_fetch, experiment_id, limit=5)
        ids = [item["id"] for item in paged]
        assert sorted(ids) == sorted(run.id for run in store.list_runs(experiment_id))
        assert ids == [item["id"] for item in first["items"]][: len(ids)]
        assert _is_sorted([item["primary_metric"]["value"] for item in paged], descending)


async def test_runs_sort_by_any_metric_time_or_iteration(jp_fetch, trained_store):
    experiment_id = trained_store["classification"].experiment_id
    path = f"experiments/{experiment_id}/runs"
    cases = [
        (
            {"sort": "metrics.accuracy", "order": "asc"},
            lambda r: r["metrics"].get("accuracy"),
            False,
        ),
        ({"sort": "metrics.log_loss"}, lambda r: r["metrics"].get("log_loss"), False),
        ({"sort": "metrics.accuracy"}, lambda r: r["metrics"].get("accuracy"), True),
        ({"sort": "fit_time"}, lambda r: r["fit_time"], False),
        ({"sort": "fit_time", "order": "desc"}, lambda r: r["fit_time"], True),
        ({"sort": "created_at"}, lambda r: r["created_at"], False),
        ({"sort": "iteration", "order": "desc"}, lambda r: r["iteration"], True),
    ]
    for params, key, descending in cases:
        status, page = await call(jp_fetch, "GET", path, params=params)
        assert status == 200, page
        assert page["order"] == ("desc" if descending else "asc"), params
        assert _is_sorted([key(item) for item in page["items"]], descending), params


async def test_runs_filter_by_status_and_say_whether_code_exists(jp_fetch, trained_store):
    store = trained_store["store"]
    experiment_id = trained_store["regression"].experiment_id
    for status_filter in ("completed", "failed", "running"):
        params = {"status": status_filter, "limit": 500}
        status, page = await call(
            jp_fetch, "GET", f"experiments/{experiment_id}/runs", params=params
        )
        assert status == 200
        assert page["total"] == store.count_runs(experiment_id, status_filter)
        assert {item["status"] for item in page["items"]} <= {status_filter}
    status, page = await call(
        jp_fetch, "GET", f"experiments/{experiment_id}/runs", params={"limit": 500}
    )
    for item in page["items"]:
        script = stored_code_dir(store, item["id"]) / "script.py"
        assert item["has_code"] is script.is_file()
        assert item["has_code"] is (item["status"] == "completed")
        record = store.get_run(item["id"])
        assert item["metrics"] == record.metrics
        assert item["fit_time"] == record.fit_time
        assert item["algorithm"] == record.algorithm


async def test_run_detail_has_spec_hyperparameters_and_featurization(jp_fetch, trained_store):
    store = trained_store["store"]
    experiment = store.get_experiment(trained_store["classification"].experiment_id)
    trials = [c for c in trained_store["classification"].leaderboard() if not c.members]
    run = store.get_run(trials[0].id)  # the best trial (the best run may be an ensemble)
    parent = store.get_run(experiment.parent_run_id)
    status, reply = await call(jp_fetch, "GET", f"runs/{run.id}")
    assert status == 200
    assert reply["spec"] == run.spec
    assert reply["metrics"] == run.metrics
    assert reply["properties"]["hyperparameters"] == run.properties["hyperparameters"]
    assert reply["featurization"] == {
        "columns": parent.properties["featurization"],
        "descriptions": parent.properties["featurization_descriptions"],
        "validation": parent.properties["validation_description"],
        "forecasting": None,
    }
    assert (reply["kind"], reply["parent_id"], reply["experiment_id"]) == (
        "child",
        parent.id,
        experiment.id,
    )
    # The parent's properties name the training data file: never sent whole.
    assert "source" not in json.dumps(reply["properties"])
    assert str(trained_store["root"]) not in json.dumps(reply)


async def test_code_is_the_stored_script(jp_fetch, trained_store):
    store = trained_store["store"]
    run_id = store.get_experiment(trained_store["regression"].experiment_id).best_run_id
    status, reply = await call(jp_fetch, "GET", f"runs/{run_id}/code")
    assert status == 200
    assert reply == {
        "run_id": run_id,
        "script": (stored_code_dir(store, run_id) / "script.py").read_text(encoding="utf-8"),
    }


async def test_codegen_writes_the_folder_once_unless_asked_to_overwrite(
    jp_fetch, trained_store, jp_root_dir
):
    store = trained_store["store"]
    run_id = store.get_experiment(trained_store["classification"].experiment_id).best_run_id
    folder = f"{SHARED}/penguins/{run_id}"
    status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen")
    assert status == 201
    names = ["training_code.ipynb", "script.py", "script_run_notebook.ipynb", "requirements.txt"]
    names += ["score.py", "test_rows.csv"]
    assert reply == {
        "run_id": run_id,
        "folder": folder,
        "files": {name: f"{folder}/{name}" for name in names},
        "written": True,
    }
    written = jp_root_dir / folder
    stored = stored_code_dir(store, run_id)
    for name in ("script.py", "score.py", "requirements.txt", "test_rows.csv"):
        assert (written / name).read_text(encoding="utf-8") == (stored / name).read_text(
            encoding="utf-8"
        )
    for notebook in ("training_code.ipynb", "script_run_notebook.ipynb"):
        saved = nbformat.read(written / notebook, as_version=4)
        nbformat.validate(saved)
        original = json.loads((stored / notebook).read_text(encoding="utf-8"))
        assert [cell.source for cell in saved.cells] == [
            "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for cell in original["cells"]
        ]

    (written / "script.py").write_text("# my edits\n", encoding="utf-8")
    status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen", body="{}")
    assert (status, reply["written"]) == (200, False)
    assert (written / "script.py").read_text(encoding="utf-8") == "# my edits\n"

    body = json.dumps({"overwrite": True})
    status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen", body=body)
    assert (status, reply["written"]) == (201, True)
    assert (written / "script.py").read_text(encoding="utf-8") == (stored / "script.py").read_text(
        encoding="utf-8"
    )


async def test_runs_without_code_are_409_and_write_nothing(jp_fetch, trained_store, jp_root_dir):
    store = trained_store["store"]
    experiment = store.get_experiment(trained_store["classification"].experiment_id)
    not_ready = [experiment.parent_run_id]
    not_ready += [run.id for run in store.list_runs(experiment.id) if run.status != "completed"]
    for run_id in not_ready:
        for method, route in (("GET", "code"), ("POST", "codegen")):
            status, reply = await call(jp_fetch, method, f"runs/{run_id}/{route}")
            assert (status, reply["reason"]) == (409, "run_not_ready"), (run_id, route)
            assert "completed child runs" in reply["message"]
    assert files_under(jp_root_dir) == []


async def test_unknown_ids_are_404_and_malformed_ids_400(jp_fetch, jp_root_dir):
    unknown_experiment = "exp_" + "0" * 32
    unknown_run = "AutoML_" + "0" * 32 + "_1"
    for method, path in (
        ("GET", f"experiments/{unknown_experiment}/runs"),
        ("GET", f"runs/{unknown_run}"),
        ("GET", f"runs/{unknown_run}/code"),
        ("POST", f"runs/{unknown_run}/codegen"),
    ):
        status, reply = await call(jp_fetch, method, path)
        assert (status, reply["reason"]) == (404, "not_found"), path
        assert "<store>" in reply["message"] or "not found" in reply["message"]
    for method, path, name in (
        ("GET", "experiments/exp_123/runs", "experiment_id"),
        ("GET", f"experiments/{unknown_run}/runs", "experiment_id"),
        ("GET", "runs/AutoML_xyz", "run_id"),
        ("GET", f"runs/{unknown_experiment}/code", "run_id"),
        ("POST", "runs/AutoML_0_01/codegen", "run_id"),
    ):
        status, reply = await call(jp_fetch, method, path)
        assert (status, reply["reason"]) == (400, "invalid_id"), path
        assert reply["message"].startswith(f"{name} is not valid")
    status, reply = await call(jp_fetch, "GET", "no/such/route")
    assert (status, reply["reason"]) == (404, "no_such_route")
    assert files_under(jp_root_dir) == []


async def test_bad_query_parameters_are_400_naming_the_parameter(jp_fetch, trained_store):
    path = f"experiments/{trained_store['classification'].experiment_id}/runs"
    cases = [
        ({"limit": "-1"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": "0x10"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "9" * 40}, "offset"),
        ({"sort": "unknown"}, "sort"),
        ({"sort": "metrics."}, "sort"),
        ({"sort": "metrics.a-b"}, "sort"),
        ({"sort": "iteration\n"}, "sort"),
        ({"sort": "metrics.accuracy; DROP TABLE runs"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"order": "DESC"}, "order"),
        ({"status": "bogus"}, "status"),
        ({"status": ""}, "status"),
    ]
    for params, name in cases:
        status, reply = await call(jp_fetch, "GET", path, params=params)
        assert (status, reply["reason"]) == (400, "invalid_parameter"), params
        assert f"'{name}'" in reply["message"], reply
        assert "expected" in reply["message"]
    status, reply = await call(jp_fetch, "GET", path, params={"limit": "0"})
    assert (status, reply["items"]) == (200, [])
    assert reply["total"] > 0


async def test_bodies_other_than_overwrite_are_400_and_write_nothing(
    jp_fetch, trained_store, jp_root_dir
):
    store = trained_store["store"]
    run_id = store.get_experiment(trained_store["classification"].experiment_id).best_run_id
    bodies = [
        "[]",
        '"overwrite"',
        "{",
        "null",
        "true",
        '{"overwrite": "yes"}',
        '{"overwrite": 1}',
        '{"overwrite": null}',
        '{"overwrite": true, "path": "../../escape"}',
        '{"folder": "/etc"}',
        '{"overwrite": false, "name": "C:\\\\x"}',
        "[" * 100_000,
        b"\xff\xfe",
    ]
    for body in bodies:
        status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen", body=body)
        assert (status, reply["reason"]) == (400, "invalid_body"), body[:40]
        assert '{"overwrite": true|false}' in reply["message"]
    assert files_under(jp_root_dir) == []


async def test_openapi_document_describes_every_route_at_the_base_url(jp_fetch, jp_base_url):
    status, document = await call(jp_fetch, "GET", "openapi.json")
    assert status == 200
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": f"{jp_base_url}{API}"}]
    assert set(document["paths"]) == {
        "/experiments",
        "/experiments/{experiment_id}/runs",
        "/runs/{run_id}",
        "/runs/{run_id}/code",
        "/runs/{run_id}/codegen",
        "/openapi.json",
    }
    limit = next(
        p
        for p in document["paths"]["/experiments/{experiment_id}/runs"]["get"]["parameters"]
        if p["name"] == "limit"
    )
    assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (50, 500)


async def test_codegen_brings_the_whole_stored_folder_byte_for_byte(
    jp_fetch, trained_store, jp_root_dir
):
    """Scoring files included: ``score.py`` and ``test_rows.csv`` sit beside the script."""
    store = trained_store["store"]
    run_id = store.get_experiment(trained_store["regression"].experiment_id).best_run_id
    stored = stored_code_dir(store, run_id)
    assert {"score.py", "test_rows.csv"} <= {path.name for path in stored.iterdir()}
    status, reply = await call(jp_fetch, "POST", f"runs/{run_id}/codegen")
    assert status == 201
    assert sorted(reply["files"]) == sorted(path.name for path in stored.iterdir())
    for name, path in reply["files"].items():
        assert (jp_root_dir / path).read_bytes() == (stored / name).read_bytes(), name


async def test_run_detail_of_an_ensemble_lists_its_members(jp_fetch, trained_store):
    run = trained_store["regression"]
    ensembles = [c for c in run.get_children(status="completed") if c.members]
    assert {c.algorithm for c in ensembles} == {"VotingEnsemble", "StackEnsemble"}
    for ensemble in ensembles:
        status, reply = await call(jp_fetch, "GET", f"runs/{ensemble.id}")
        assert status == 200
        assert reply["algorithm"] == ensemble.algorithm
        assert reply["properties"]["members"] == ensemble.members
        assert reply["properties"]["scoring"] == ensemble.properties["scoring"]
        assert reply["spec"] == ensemble.spec

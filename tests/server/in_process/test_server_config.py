"""The extension's traitlets: shared folder and page sizes change what the API does."""

from __future__ import annotations

import pytest

from .conftest import call, files_under, server_config


@pytest.fixture
def jp_server_config(trained_store):
    return server_config(
        trained_store["root"], shared_folder="team/generated", page_size=3, max_page_size=10
    )


async def test_configured_page_sizes_and_shared_folder_are_used(
    jp_fetch, trained_store, jp_root_dir
):
    store = trained_store["store"]
    experiment = store.get_experiment(trained_store["regression"].experiment_id)
    path = f"experiments/{experiment.id}/runs"
    status, page = await call(jp_fetch, "GET", path)
    assert (status, page["limit"], len(page["items"])) == (200, 3, 3)
    assert (await call(jp_fetch, "GET", path, params={"limit": "10"}))[0] == 200
    status, reply = await call(jp_fetch, "GET", path, params={"limit": "11"})
    assert status == 400 and "from 0 to 10" in reply["message"]

    status, reply = await call(jp_fetch, "POST", f"runs/{experiment.best_run_id}/codegen")
    assert status == 201
    assert reply["folder"] == f"team/generated/cars/{experiment.best_run_id}"
    assert files_under(jp_root_dir)[:3] == ["team", "team/generated", "team/generated/cars"]

    status, document = await call(jp_fetch, "GET", "openapi.json")
    limit = next(
        parameter
        for parameter in document["paths"]["/experiments/{experiment_id}/runs"]["get"]["parameters"]
        if parameter["name"] == "limit"
    )
    assert (limit["schema"]["default"], limit["schema"]["maximum"]) == (3, 10)

"""An ``Authorizer`` that denies this extension's resource shuts every route, and only those."""

from __future__ import annotations

import pytest

from .conftest import ROUTES, DenyAutoMLCodegen, call, files_under, server_config


@pytest.fixture
def jp_server_config(trained_store):
    config = server_config(trained_store["root"])
    config.ServerApp.authorizer_class = DenyAutoMLCodegen
    return config


async def test_a_denying_authorizer_gets_403_on_every_route(jp_fetch, trained_store, jp_root_dir):
    store = trained_store["store"]
    experiment = store.get_experiment(trained_store["classification"].experiment_id)
    ids = {"experiment": experiment.id, "run": experiment.best_run_id}
    for method, template in ROUTES:
        status, reply = await call(jp_fetch, method, template.format(**ids))
        assert (status, reply["reason"]) == (403, "forbidden"), template
        assert "automl_codegen" in reply["message"]
    # The same token still reaches the server's own API: the denial is this resource's.
    assert (await jp_fetch("api", "status")).code == 200
    assert files_under(jp_root_dir) == []

"""``code_generation`` of the run replies: stored, rendered on demand, or failed with the
reason (paths redacted), so the sidebar can say why a run has no code."""

from __future__ import annotations

import pytest

from jupyter_automl_codegen import RunStore

from .conftest import call, clone_run, server_config


@pytest.fixture(scope="module")
def code_states(trained_store, tmp_path_factory):
    source = trained_store["store"]
    best = source.get_experiment(trained_store["classification"].experiment_id).best_run_id
    store = RunStore(tmp_path_factory.mktemp("code-states"))
    made = {
        "stored": clone_run(source, best, store, "stored"),
        "on_demand": clone_run(source, best, store, "on demand", copy_code=False),
        "failed": clone_run(source, best, store, "failed", copy_code=False),
    }
    # what recording.record_result keeps when the code generator refuses a run
    reason = f"a value has no literal (snapshot {store.root / 'data.parquet'})"
    store.update_properties(made["failed"][1], code_generation_error=reason)
    yield store, made
    store.close()


@pytest.fixture
def jp_server_config(code_states):
    return server_config(code_states[0].root)


async def test_run_replies_say_whether_code_is_stored_on_demand_or_failed_and_why(
    jp_fetch, code_states
):
    store, made = code_states
    expected = {
        "stored": {"status": "stored", "reason": None},
        "on_demand": {"status": "on_demand", "reason": None},
        "failed": {
            "status": "failed",
            "reason": "a value has no literal (snapshot <path>)",
        },
    }
    for state, (experiment_id, run_id) in made.items():
        status, detail = await call(jp_fetch, "GET", f"runs/{run_id}")
        assert status == 200
        assert detail["code_generation"] == expected[state], state
        assert detail["has_code"] is (state == "stored")
        status, page = await call(jp_fetch, "GET", f"experiments/{experiment_id}/runs")
        assert [item["code_generation"] for item in page["items"]] == [expected[state]]
        parent_id = store.get_experiment(experiment_id).parent_run_id
        status, parent = await call(jp_fetch, "GET", f"runs/{parent_id}")
        assert parent["code_generation"] == {"status": "none", "reason": None}

"""The panel on a run whose code failed to generate after training: its details say so with
the reason, and the code buttons, which would fail the same way, are off."""

from __future__ import annotations

import shutil

import pytest

from jupyter_automl_codegen import ModelBrowser, RunStore
from jupyter_automl_codegen.stored_code import stored_code_dir

REASON = "value nan of 'C' has no exact Python literal <&>"


@pytest.fixture
def failed_code(trained_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(trained_store["root"], tmp_path / "store")
    store = RunStore(tmp_path / "store")
    experiment = store.get_experiment(trained_store["classification"].experiment_id)
    failed, coded = (run.id for run in store.list_runs(experiment.id, status="completed")[:2])
    shutil.rmtree(stored_code_dir(store, failed))
    # what recording.record_result keeps when the code generator refuses a run
    store.update_properties(failed, code_generation_error=REASON)
    panel = ModelBrowser(experiment.id, store=store)
    yield panel, failed, coded
    panel.close()


def test_the_details_give_the_reason_and_the_code_buttons_are_off(failed_code):
    panel, failed, coded = failed_code
    panel.select_run(failed)
    details = panel.details_html.value
    assert (
        "Code generation failed: value nan of &#x27;C&#x27; has no exact Python literal &lt;&amp;&gt;"
        in details
    )
    assert panel.view_code_button.disabled and panel.insert_code_button.disabled

    panel.select_run(coded)
    assert "Code generation failed" not in panel.details_html.value
    assert not panel.view_code_button.disabled and not panel.insert_code_button.disabled

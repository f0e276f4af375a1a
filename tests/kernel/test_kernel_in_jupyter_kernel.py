"""The magic and the panel inside a real ipykernel, driven over its messaging protocol."""

from __future__ import annotations

import json
import time

import pytest
from jupyter_client.manager import start_new_kernel

from jupyter_automl_codegen.kernel import OPEN_MIME_TYPE

pytestmark = pytest.mark.slow

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CREATED_ROUNDING = 0.001  # the bundle's "created" is rounded to the millisecond


@pytest.fixture
def kernel(tmp_path):
    manager, client = start_new_kernel(startup_timeout=120, cwd=str(tmp_path))
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run(client, code: str):
    """Execute ``code``; return ``(reply content, iopub messages of this request)``."""
    messages = []
    reply = client.execute_interactive(code, output_hook=messages.append, timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply["content"], messages


def stdout(messages) -> str:
    return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")


def displays(messages) -> list[dict]:
    return [m["content"]["data"] for m in messages if m["msg_type"] == "display_data"]


def test_magic_and_panel_in_a_kernel(kernel, trained_store, tmp_path):
    store = trained_store["store"]
    best = store.get_experiment(trained_store["classification"].experiment_id).best_run_id
    where = f"--store '{trained_store['root']}'"
    _, messages = run(kernel, "from jupyter_automl_codegen.kernel import in_kernel\nin_kernel()")
    assert [
        m["content"]["data"]["text/plain"] for m in messages if m["msg_type"] == "execute_result"
    ] == ["True"]

    run(kernel, "%load_ext jupyter_automl_codegen")
    reply, messages = run(kernel, f"%codegen show {best} {where}")
    assert f"script.py of {best}" in stdout(messages), messages
    [payload] = reply["payload"]
    assert payload["source"] == "set_next_input" and payload["replace"] is False
    assert "def build_model_pipeline" in payload["text"]

    asked = time.time()
    _, messages = run(kernel, f"%codegen open {best} {where}")
    answered = time.time()
    [bundle] = displays(messages)
    path = f"automl_generated_code/penguins/{best}/training_code.ipynb"
    assert bundle[OPEN_MIME_TYPE]["path"] == path
    # a fresh request each time: stamped between the ask and the answer (to the millisecond)
    assert (
        asked - CREATED_ROUNDING <= bundle[OPEN_MIME_TYPE]["created"] <= answered + CREATED_ROUNDING
    )
    assert (tmp_path / path).is_file()

    _, messages = run(kernel, f"%codegen {where}")
    assert [d for d in displays(messages) if WIDGET_MIME in d]

    # A click on "Insert code below" arrives as a comm message: no payload may leak into the
    # reply of the next cell; the script is shown in the panel's Output instead.
    code = (
        "import json\n"
        "panel = get_ipython().find_magic('codegen').__self__.panel\n"
        f"panel.select_run({best!r})\n"
        "print(json.dumps(panel.insert_code_button.model_id))"
    )
    _, messages = run(kernel, code)
    button = json.loads(stdout(messages))
    click = kernel.session.msg(
        "comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
    )
    kernel.shell_channel.send(click)
    while True:  # until the kernel is idle again after the click
        message = kernel.get_iopub_msg(timeout=60)
        if (
            message["parent_header"].get("msg_id") == click["header"]["msg_id"]
            and message["msg_type"] == "status"
            and message["content"]["execution_state"] == "idle"
        ):
            break
    reply, messages = run(kernel, "print(panel.output.outputs[0]['text'])")
    assert reply["payload"] == []
    assert f"%codegen show {best}" in stdout(messages)

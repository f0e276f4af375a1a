"""A real ``jupyter server`` process with the package installed, as a user would start it.

No extension configuration is passed: the extension must be enabled by the file the
package installs into ``etc/jupyter/jupyter_server_config.d``, and find the store through
``AUTOML_CODEGEN_STORE`` as the command line does. Schemathesis then fuzzes the OpenAPI
document the server itself serves.
"""

from __future__ import annotations

import collections
import copy
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import missing_required_header

from jupyter_automl_codegen.server.openapi import openapi_document

from ..server_process import free_port, stop, wait_until_ready

pytestmark = pytest.mark.slow

JUPYTER = str(Path(sys.executable).with_name("jupyter"))
API = "automl-codegen/api"
START_TIMEOUT_S = 90


def _isolated_env(tmp: Path, store: Path) -> dict[str, str]:
    """The user's environment with the store set and Jupyter's user folders in ``tmp``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
    env.update(
        AUTOML_CODEGEN_STORE=str(store),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    return env


@pytest.fixture(scope="module")
def live_server(trained_store, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    root = tmp / "root"
    root.mkdir()
    token, port = secrets.token_hex(16), free_port()
    env = _isolated_env(tmp, trained_store["root"])
    command = [
        JUPYTER, "server", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]  # fmt: skip
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"}
    try:
        wait_until_ready(process, f"{url}/", token, log_path, timeout=START_TIMEOUT_S)
        yield {"url": url, "headers": headers, "root": root, "env": env}
    finally:
        stop(process, timeout=15)


def test_an_installed_server_serves_the_api_with_no_extra_configuration(live_server, trained_store):
    listing = subprocess.run(
        [JUPYTER, "server", "extension", "list"],
        env=live_server["env"],
        capture_output=True,
        text=True,
        check=True,
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert re.search(r"jupyter_automl_codegen\s+enabled", plain), plain
    assert re.search(r"jupyter_automl_codegen \S+ OK", plain), plain

    api, headers = f"{live_server['url']}/{API}", live_server["headers"]
    experiments = requests.get(f"{api}/experiments", headers=headers, timeout=30).json()
    assert {item["name"] for item in experiments["items"]} == {"penguins", "cars"}

    store = trained_store["store"]
    run_id = store.get_experiment(trained_store["classification"].experiment_id).best_run_id
    reply = requests.post(f"{api}/runs/{run_id}/codegen", headers=headers, timeout=60)
    assert reply.status_code == 201, reply.text
    folder = live_server["root"] / "automl_generated_code" / "penguins" / run_id
    for name in (
        "training_code.ipynb",
        "script.py",
        "script_run_notebook.ipynb",
        "requirements.txt",
        "score.py",
        "test_rows.csv",
    ):
        assert (folder / name).stat().st_size > 0, name
    assert reply.json()["folder"] == f"automl_generated_code/penguins/{run_id}"
    served = requests.get(f"{api}/openapi.json", headers=headers, timeout=30).json()
    assert served == SCHEMA_DOCUMENT, "schemathesis below fuzzes exactly the served document"


# The document the server serves at its root (the smoke test above checks they are equal).
SCHEMA_DOCUMENT = openapi_document("/", page_size=50, max_page_size=500)
schema = schemathesis.openapi.from_dict(SCHEMA_DOCUMENT)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_reply_matches_the_openapi_document(case, live_server):
    """No 5xx, every status documented, every body valid against its schema.

    Jupyter answers a request without credentials with 403 (the issue asks for it), where
    schemathesis' missing-header check wants 401 for a missing Authorization header; the
    refusal itself is checked by ``ignored_auth`` and by the server tests.
    """
    case.call_and_validate(
        base_url=f"{live_server['url']}/{API}",
        headers=live_server["headers"],
        excluded_checks=[missing_required_header],
    )


def _with_real_ids(document: dict, ids: dict[str, list[str]]) -> dict:
    """``document`` with each path id drawn from ``ids``, so generated requests hit data."""
    document = copy.deepcopy(document)
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["schema"] = {"type": "string", "enum": ids[parameter["name"]]}
    return document


def test_replies_about_real_runs_match_the_openapi_document(live_server, trained_store):
    """Random ids only reach the 4xx replies: here every request names a real resource."""
    store = trained_store["store"]
    experiments = [trained_store[task].experiment_id for task in ("classification", "regression")]
    runs = [run.id for experiment in experiments for run in store.list_runs(experiment)[:4]]
    runs += [store.get_experiment(experiments[0]).parent_run_id]
    document = _with_real_ids(SCHEMA_DOCUMENT, {"experiment_id": experiments, "run_id": runs})
    statuses: collections.Counter = collections.Counter()
    for result in schemathesis.openapi.from_dict(document).get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call_and_validate(
                base_url=f"{live_server['url']}/{API}",
                headers=live_server["headers"],
                excluded_checks=[missing_required_header],
            )
            statuses[case.operation.label, response.status_code] += 1

        check()
    assert {label for (label, status) in statuses if status < 300} == {
        "GET /experiments",
        "GET /experiments/{experiment_id}/runs",
        "GET /runs/{run_id}",
        "GET /runs/{run_id}/code",
        "POST /runs/{run_id}/codegen",
        "GET /openapi.json",
    }, statuses

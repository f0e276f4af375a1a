"""Fixtures of the server tests: pytest-jupyter's, scoped to this folder, and cloned stores.

pytest-jupyter's plugin carries autouse fixtures (a fresh event loop and a ServerApp
cleanup around every test) and collection hooks. Registered with ``pytest_plugins`` they
would wrap every test of the suite; imported into this conftest they apply to the tests
in this folder only, which is all that needs them.
"""

from __future__ import annotations

import json
import shutil
import warnings

import pytest
from jupyter_server.auth import Authorizer
from jupyter_server.utils import JupyterServerAuthWarning
from pytest_jupyter.jupyter_server import *  # noqa: F403  (fixtures and hooks, folder-scoped)
from traitlets.config import Config

from jupyter_automl_codegen import RunStore
from jupyter_automl_codegen.store import MODEL_NAME
from jupyter_automl_codegen.stored_code import stored_code_dir

API = "automl-codegen/api"
# Every route, as (method, path template); {experiment} and {run} are filled in by tests.
ROUTES = (
    ("GET", "experiments"),
    ("GET", "experiments/{experiment}/runs"),
    ("GET", "runs/{run}"),
    ("GET", "runs/{run}/code"),
    ("POST", "runs/{run}/codegen"),
    ("GET", "openapi.json"),
)


@pytest.fixture(autouse=True)
def auth_warnings_are_errors():
    """A handler without authentication makes jupyter_server warn: here the server fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", JupyterServerAuthWarning)
        yield


class DenyAutoMLCodegen(Authorizer):
    """Allows everything except this extension's resource."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return resource != "automl_codegen"


def server_config(store_root, **extension) -> Config:
    """The extension enabled, authentication required, the store at ``store_root``."""
    return Config(
        {
            "ServerApp": {
                # Terminals (which pytest-jupyter adds) has an endpoint without
                # authentication, so it would not load with the auth warning as an error.
                "jpserver_extensions": {
                    "jupyter_automl_codegen": True,
                    "jupyter_server_terminals": False,
                },
                "allow_unauthenticated_access": False,
            },
            "AutoMLCodegenApp": {"store": str(store_root), **extension},
        }
    )


@pytest.fixture
def jp_server_config(trained_store):
    return server_config(trained_store["root"])


def clone_run(
    source: RunStore,
    run_id: str,
    target: RunStore,
    experiment_name: str,
    *,
    finish: bool = True,
    copy_code: bool = True,
) -> tuple[str, str]:
    """Copy a trained run into ``target`` as the only child of a new experiment.

    Uses the store's public API (snapshot, child run, model bytes, properties), so the
    clone is a real completed run whose code can be generated. Returns (experiment, run).
    """
    run = source.get_run(run_id)
    parent = source.get_run(run.parent_id)
    origin = source.get_experiment(run.experiment_id)
    experiment, new_parent = target.create_experiment(
        experiment_name,
        task=origin.task,
        label=origin.label,
        primary_metric=origin.primary_metric,
        properties=parent.properties,
    )
    target.save_data_snapshot(experiment.id, source.load_data_snapshot(origin.id))
    new_run_id = add_completed_child(source, run, target, new_parent.id)
    if copy_code:
        shutil.copytree(
            stored_code_dir(source, run_id), stored_code_dir(target, new_run_id), dirs_exist_ok=True
        )
    if finish:
        target.finish_parent(new_parent.id, "completed", best_run_id=new_run_id)
    return experiment.id, new_run_id


def add_completed_child(source: RunStore, run, target: RunStore, parent_id: str) -> str:
    """A completed child of ``parent_id`` with the metrics, spec and model of ``run``."""
    child = target.create_child_run(
        parent_id, algorithm=run.algorithm, spec=run.spec, properties=run.properties
    )
    target.start_run(child.id)
    target.complete_run(
        child.id,
        metrics=run.metrics,
        primary_metric_value=run.primary_metric_value,
        fit_time=run.fit_time,
        score_time=run.score_time,
        model_bytes=(source.runs_dir / run.id / MODEL_NAME).read_bytes(),
        versions=run.versions,
    )
    return child.id


async def call(jp_fetch, method: str, path: str, *, body=None, params=None, headers=None):
    """``(status, JSON reply)`` of one API request (errors are replies, not exceptions)."""
    if body is None and method == "POST":
        body = b""
    response = await jp_fetch(
        API, path, method=method, body=body, params=params, headers=headers, raise_error=False
    )
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), (
        f"{method} {path}: {response.code} {content_type}, not an API reply: did the "
        "extension fail to load? (its log is printed with the test output)"
    )
    return response.code, json.loads(response.body)


def files_under(folder) -> list[str]:
    """Every file and folder below ``folder``, relative, sorted (empty if it is missing)."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))

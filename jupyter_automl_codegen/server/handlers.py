"""Request handlers: one thin base class, then one small class per route.

Each handler parses its input (``params``), asks the store or the code generator, shapes
the reply (``serialize``) and writes JSON; the base class owns authentication, error
replies and the store handle. Every method is ``@web.authenticated`` and ``@authorized``
against its own resource name, so an ``Authorizer`` can allow or deny this API as a whole.
Rendering code runs ruff, so it goes to a worker thread and the server keeps answering.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from ..store import RunStore
from ..stored_code import generated_files, run_script_text
from . import params
from .errors import ApiError, http_error_message, maps_store_errors, reason_for, redact_paths
from .openapi import openapi_document
from .publish import publish
from .serialize import experiment_summary, run_detail, run_summary
from .shared_folder import api_path, safe_folder_name

AUTH_RESOURCE = "automl_codegen"


class BaseHandler(ExtensionHandlerMixin, APIHandler):
    """Authenticated JSON API plumbing shared by every route."""

    auth_resource = AUTH_RESOURCE

    @property
    def store(self) -> RunStore:
        return self.extensionapp.run_store()

    def reply(self, payload: dict[str, Any], status: int = 200) -> None:
        """Finish with ``payload`` as strict JSON."""
        self.set_status(status)
        self.finish(json.dumps(payload, allow_nan=False))

    async def in_thread(self, function, *args):
        """Run blocking work off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """``{"message", "reason"}`` for every error; never a traceback or a server path."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, ApiError):
            message, reason = error.message, error.reason_code
        elif status_code >= 500:
            message, reason = "internal error; the server log has the details", "internal_error"
        elif isinstance(error, web.HTTPError) and http_error_message(error):
            message, reason = http_error_message(error), reason_for(status_code)
        else:
            message, reason = self._reason, reason_for(status_code)
        if status_code == 405:  # RFC 9110: a 405 lists the methods the route has
            self.set_header("Allow", ", ".join(self.allowed_methods()))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"message": self.redact(message), "reason": reason}))

    @classmethod
    def allowed_methods(cls) -> list[str]:
        """The HTTP methods this handler class implements."""
        return [
            method
            for method in cls.SUPPORTED_METHODS
            if getattr(cls, method.lower()) is not getattr(web.RequestHandler, method.lower())
        ]

    def redact(self, text: str) -> str:
        """``text`` without the store's or the server's paths."""
        root = getattr(self.contents_manager, "root_dir", "") or ""
        known = [(str(self.extensionapp.store), "<store>"), (str(root), "<server root>")]
        return redact_paths(text, known)


class ExperimentsHandler(BaseHandler):
    """``GET experiments``: every experiment, newest first, with its best run so far."""

    @web.authenticated
    @authorized
    @maps_store_errors
    async def get(self) -> None:
        store = self.store
        items = [experiment_summary(store, e) for e in store.list_experiments()]
        self.reply({"total": len(items), "items": items})


class ExperimentRunsHandler(BaseHandler):
    """``GET experiments/{id}/runs``: child runs, filtered, sorted and paged, never cached."""

    @web.authenticated
    @authorized
    @maps_store_errors
    async def get(self, experiment_id: str) -> None:
        experiment_id = params.experiment_id(experiment_id)
        app, store = self.extensionapp, self.store
        query = params.run_query(self._argument, app.page_size, app.max_page_size)
        experiment = store.get_experiment(experiment_id)
        order = query.resolved_order(experiment.primary_metric)
        runs = store.list_runs(
            experiment_id,
            status=query.status,
            order_by=query.store_order_by,
            descending=order == "desc",
            limit=query.limit,
            offset=query.offset,
        )
        self.reply(
            {
                "experiment_id": experiment_id,
                "total": store.count_runs(experiment_id, query.status),
                "limit": query.limit,
                "offset": query.offset,
                "sort": query.sort,
                "order": order,
                "status": query.status,
                "items": [run_summary(store, run) for run in runs],
            }
        )

    def _argument(self, name: str) -> str | None:
        return self.get_query_argument(name, None, strip=False)


class RunHandler(BaseHandler):
    """``GET runs/{id}``: one run with its spec, hyperparameters and featurization."""

    @web.authenticated
    @authorized
    @maps_store_errors
    async def get(self, run_id: str) -> None:
        run = self.store.get_run(params.run_id(run_id))
        self.reply(run_detail(self.store, run))


class RunCodeHandler(BaseHandler):
    """``GET runs/{id}/code``: the run's ``script.py``, for a preview."""

    @web.authenticated
    @authorized
    @maps_store_errors
    async def get(self, run_id: str) -> None:
        run_id = params.run_id(run_id)
        script = await self.in_thread(run_script_text, self.store, run_id)
        self.reply({"run_id": run_id, "script": script})


class RunCodegenHandler(BaseHandler):
    """``POST runs/{id}/codegen``: put the run's folder into the shared folder."""

    @web.authenticated
    @authorized
    @maps_store_errors
    async def post(self, run_id: str) -> None:
        run_id = params.run_id(run_id)
        overwrite = params.codegen_overwrite(self.request.body)
        app, store = self.extensionapp, self.store
        experiment = store.get_experiment(store.get_run(run_id).experiment_id)
        name = safe_folder_name(experiment.name, fallback=experiment.id)
        folder = api_path(app.shared_folder, name, run_id)
        files = await self.in_thread(generated_files, store, run_id)
        async with app.write_lock:
            result = await publish(
                self.contents_manager, app.shared_folder, folder, files, overwrite=overwrite
            )
        self.reply(
            {
                "run_id": run_id,
                "folder": result.folder,
                "files": result.files,
                "written": result.written,
            },
            status=201 if result.written else 200,
        )


class OpenAPIHandler(BaseHandler):
    """``GET openapi.json``: the machine-readable description of this API."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        app = self.extensionapp
        self.reply(openapi_document(self.base_url, app.page_size, app.max_page_size))


class NotFoundHandler(BaseHandler):
    """Anything else under the API prefix: a JSON 404, after authentication like the rest."""

    @web.authenticated
    @authorized
    async def get(self, *args: str) -> None:
        raise ApiError(404, "no such route in this API; see openapi.json", "no_such_route")

    post = put = patch = delete = get

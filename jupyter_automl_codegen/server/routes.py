"""URL patterns of the API, relative to the server's base URL, and their handlers."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from . import handlers as h
from .urls import API_PREFIX, SEGMENT


def handlers() -> list[tuple[str, type]]:
    """``(pattern, handler)`` pairs; ``ExtensionApp`` prepends the base URL."""
    routes = [
        ("experiments", h.ExperimentsHandler),
        (f"experiments/{SEGMENT}/runs", h.ExperimentRunsHandler),
        (f"runs/{SEGMENT}", h.RunHandler),
        (f"runs/{SEGMENT}/code", h.RunCodeHandler),
        (f"runs/{SEGMENT}/codegen", h.RunCodegenHandler),
        ("openapi.json", h.OpenAPIHandler),
        ("(.*)", h.NotFoundHandler),
    ]
    return [(url_path_join("/", API_PREFIX, pattern), handler) for pattern, handler in routes]


__all__ = ["handlers"]

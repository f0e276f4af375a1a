"""URL patterns of the API, relative to the server's base URL, and their handlers."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

API_PREFIX = "automl-codegen/api"
_SEGMENT = r"([^/]+)"  # an id as sent; handlers check it against the store's pattern


def handlers() -> list[tuple[str, type]]:
    """``(pattern, handler)`` pairs; ``ExtensionApp`` prepends the base URL."""
    from . import handlers as h  # here: handlers -> openapi -> API_PREFIX above

    routes = [
        ("experiments", h.ExperimentsHandler),
        (f"experiments/{_SEGMENT}/runs", h.ExperimentRunsHandler),
        (f"runs/{_SEGMENT}", h.RunHandler),
        (f"runs/{_SEGMENT}/code", h.RunCodeHandler),
        (f"runs/{_SEGMENT}/codegen", h.RunCodegenHandler),
        ("openapi.json", h.OpenAPIHandler),
        ("(.*)", h.NotFoundHandler),
    ]
    return [(url_path_join("/", API_PREFIX, pattern), handler) for pattern, handler in routes]


__all__ = ["API_PREFIX", "handlers"]

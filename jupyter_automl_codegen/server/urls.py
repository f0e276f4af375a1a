"""Where the API lives under the server's base URL: shared by the routes and the OpenAPI document."""

from __future__ import annotations

API_PREFIX = "automl-codegen/api"
# A path segment as sent; handlers check it against the store's id pattern.
SEGMENT = r"([^/]+)"

__all__ = ["API_PREFIX", "SEGMENT"]

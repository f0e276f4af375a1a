"""MkDocs hook: the REST API page shows the OpenAPI document that the server itself serves.

The document is built at documentation build time from ``server/openapi.py`` with the server's
default page sizes, published as ``openapi.json`` and put in the page in place of the
``<!-- openapi -->`` marker, so the page can never drift from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mkdocs.structure.files import File

MARKER = "<!-- openapi -->"
REPO = Path(__file__).resolve().parents[2]


def _document() -> dict:
    sys.path.insert(0, str(REPO))  # the checkout's sources, not another installed copy
    try:
        from jupyter_automl_codegen.server.app import AutoMLCodegenApp
        from jupyter_automl_codegen.server.openapi import openapi_document
    finally:
        sys.path.remove(str(REPO))
    return openapi_document(
        "/",
        AutoMLCodegenApp.page_size.default_value,
        AutoMLCodegenApp.max_page_size.default_value,
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    if MARKER not in markdown:
        return markdown
    text = json.dumps(_document(), indent=2, sort_keys=False)
    return markdown.replace(MARKER, f"```json\n{text}\n```")


def on_files(files, config):
    """Publish the document as ``openapi.json`` beside the pages, so pages can link to it."""
    files.append(
        File.generated(config, "openapi.json", content=json.dumps(_document(), indent=2) + "\n")
    )
    return files

"""The ``ExtensionApp``: configuration (traitlets) and the objects every handler shares."""

from __future__ import annotations

import asyncio
import threading

from jupyter_server.extension.application import ExtensionApp
from traitlets import Integer, TraitError, Unicode, default, validate

from ..store import RunStore, resolve_store_root
from .routes import handlers
from .urls import API_PREFIX

DEFAULT_SHARED_FOLDER = "automl_generated_code"


class AutoMLCodegenApp(ExtensionApp):
    """Serves ``<base_url>/automl-codegen/api/`` and owns the run store it reads."""

    name = "jupyter_automl_codegen"

    store = Unicode(
        help=(
            "Run store folder. Default: as the command line, $AUTOML_CODEGEN_STORE, else "
            "$XDG_DATA_HOME/jupyter-automl-codegen/store."
        )
    ).tag(config=True)

    shared_folder = Unicode(
        DEFAULT_SHARED_FOLDER,
        help="Folder, relative to the server's root, that generated code is written into.",
    ).tag(config=True)

    page_size = Integer(50, help="Runs per page when a request gives no limit.").tag(config=True)

    max_page_size = Integer(500, help="The largest limit a request may ask for.").tag(config=True)

    @default("store")
    def _default_store(self) -> str:
        return str(resolve_store_root(None))

    @validate("shared_folder")
    def _check_shared_folder(self, proposal) -> str:
        return normalize_shared_folder(proposal["value"])

    @validate("page_size", "max_page_size")
    def _check_positive(self, proposal) -> int:
        if proposal["value"] < 1:
            raise TraitError(f"{proposal['trait'].name} must be >= 1, got {proposal['value']}")
        return proposal["value"]

    def initialize_settings(self) -> None:
        if self.page_size > self.max_page_size:
            raise TraitError(
                f"page_size ({self.page_size}) must not exceed max_page_size ({self.max_page_size})"
            )
        self._store: RunStore | None = None
        self._store_lock = threading.Lock()
        # One codegen write at a time: "exists? then write" must not interleave.
        self.write_lock = asyncio.Lock()
        self.log.info(
            "automl-codegen: API at %s, store %s, shared folder %r",
            API_PREFIX,
            self.store,
            self.shared_folder,
        )

    def initialize_handlers(self) -> None:
        self.handlers.extend(handlers())

    def run_store(self) -> RunStore:
        """The run store, opened on first use (so a server that never uses it creates none)."""
        with self._store_lock:
            if self._store is None:
                self._store = RunStore(self.store)
            return self._store

    async def stop_extension(self) -> None:
        if getattr(self, "_store", None) is not None:
            self._store.close()
            self._store = None


def normalize_shared_folder(value: str) -> str:
    """A relative, ``/``-separated API path without ``.``/``..`` parts, or a TraitError."""
    text = value.replace("\\", "/")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if (
        not parts
        or text.startswith("/")
        or ".." in parts
        or ":" in text
        or any(ord(char) < 32 for char in text)
    ):
        raise TraitError(
            "shared_folder must be a relative folder below the server's root, such as "
            f"{DEFAULT_SHARED_FOLDER!r}; got {value!r}"
        )
    return "/".join(parts)

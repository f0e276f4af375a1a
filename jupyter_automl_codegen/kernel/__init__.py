"""Inside a notebook kernel: the ``ModelBrowser`` panel and the ``%codegen`` magic.

Imports nothing of jupyter_server; ipywidgets and IPython are imported on first use, so the
engine can ask :func:`in_kernel` without paying for them.
"""

from importlib import import_module

_EXPORTS = {
    "CodegenMagics": ".magic",
    "ModelBrowser": ".browser",
    "OPEN_MIME_TYPE": ".open_code",
    "in_kernel": ".environment",
    "load_ipython_extension": ".magic",
    "open_bundle": ".open_code",
    "show_panel": ".notebook_training",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)


def __dir__():
    return sorted([*globals(), *_EXPORTS])

"""Inside a notebook kernel: the ``ModelBrowser`` panel and the ``%codegen`` magic.

Imports nothing of jupyter_server; ipywidgets and IPython are imported on first use, so the
engine can ask :func:`in_kernel` without paying for them.
"""

from .._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "CodegenMagics": ".magic",
        "ModelBrowser": ".browser",
        "OPEN_MIME_TYPE": ".open_code",
        "in_kernel": ".environment",
        "load_ipython_extension": ".magic",
        "open_bundle": ".open_code",
        "show_panel": ".notebook_training",
    },
)

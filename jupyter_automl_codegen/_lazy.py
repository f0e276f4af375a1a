"""Public names of a package, imported from their submodules on first use (PEP 562).

The shape of scientific Python's ``lazy_loader.attach``, with no dependency: a package's
``__init__`` says which submodule each public name lives in, and importing the package stays
cheap (the engine, ipywidgets and IPython load only when a name that needs them is used).
"""

from __future__ import annotations

import sys
from importlib import import_module


def attach(package: str, exports: dict[str, str]):
    """``(__getattr__, __dir__, __all__)`` for ``package`` (its ``__name__``), whose public
    names are ``exports``: name -> the submodule holding it, relative to the package."""

    def __getattr__(name: str):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(exports[name], package), name)

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return __getattr__, __dir__, sorted(exports)

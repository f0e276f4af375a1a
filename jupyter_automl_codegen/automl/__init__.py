"""AutoML engine: column profiling, the model zoo, the search and its trials.

Names are imported on first use, so that listing runs does not pay for importing the
machine-learning libraries.
"""

from importlib import import_module

_EXPORTS = {
    "AutoMLConfig": ".config",
    "AutoMLRun": ".runs",
    "ChildRun": ".runs",
    "ConfigError": "..errors",
    "DataError": "..errors",
    "resume": ".experiment",
    "submit": ".experiment",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)

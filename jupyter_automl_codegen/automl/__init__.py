"""AutoML engine: column profiling, the model zoo, the search and its trials.

Names are imported on first use, so that listing runs does not pay for importing the
machine-learning libraries.
"""

from .._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "AutoMLConfig": ".config",
        "AutoMLRun": ".runs",
        "ChildRun": ".runs",
        "ConfigError": "..errors",
        "DataError": "..errors",
        "resume": ".experiment",
        "submit": ".experiment",
    },
)

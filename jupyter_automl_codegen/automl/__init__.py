"""AutoML engine: column profiling, the model zoo, the search and its trials."""

from .config import AutoMLConfig, ConfigError
from .data import DataError
from .experiment import submit
from .runs import AutoMLRun, ChildRun

__all__ = ["AutoMLConfig", "AutoMLRun", "ChildRun", "ConfigError", "DataError", "submit"]

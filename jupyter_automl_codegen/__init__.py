"""Local AutoML over scikit-learn pipelines that generates the exact training code of every model.

>>> from jupyter_automl_codegen import AutoMLConfig, submit, load_dataset
>>> penguins = load_dataset("penguins")
>>> config = AutoMLConfig(task="classification", label_column_name="species",
...                       experiment_timeout_seconds=30)
>>> run = submit(config, penguins.frame)            # doctest: +SKIP
>>> best, model = run.get_output()                  # doctest: +SKIP
"""

from .automl import AutoMLConfig, AutoMLRun, ChildRun, ConfigError, DataError, submit
from .datasets import load_dataset
from .store import RunStore

__version__ = "0.1.0"

__all__ = [
    "AutoMLConfig",
    "AutoMLRun",
    "ChildRun",
    "ConfigError",
    "DataError",
    "RunStore",
    "load_dataset",
    "submit",
]

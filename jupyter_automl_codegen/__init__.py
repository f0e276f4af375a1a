"""Local AutoML over scikit-learn pipelines that generates the exact training code of every model.

>>> from jupyter_automl_codegen import AutoMLConfig, submit, load_dataset
>>> penguins = load_dataset("penguins")
>>> config = AutoMLConfig(task="classification", label_column_name="species",
...                       experiment_timeout_seconds=30)
>>> run = submit(config, penguins.frame)            # doctest: +SKIP
>>> best, model = run.get_output()                  # doctest: +SKIP

Names are imported on first use, so that importing the package stays cheap.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "AutoMLConfig": ".automl",
    "AutoMLRun": ".automl",
    "ChildRun": ".automl",
    "ConfigError": ".errors",
    "DataError": ".errors",
    "ModelBrowser": ".kernel",
    "RunStore": ".store",
    "generate_training_code": ".training_code",
    "load_dataset": ".datasets",
    "load_ipython_extension": ".kernel",
    "submit": ".kernel.notebook_training",
}

__all__ = sorted(_EXPORTS)


def _jupyter_server_extension_points() -> list[dict]:
    """Entry point for jupyter_server; imports the server layer only when a server loads it."""
    from .server.app import AutoMLCodegenApp

    return [{"module": "jupyter_automl_codegen", "app": AutoMLCodegenApp}]


def _jupyter_labextension_paths() -> list[dict]:
    """Where JupyterLab finds the prebuilt sidebar (``jupyter labextension develop`` reads it)."""
    return [{"src": "labextension", "dest": "jupyter-automl-codegen"}]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name], __name__), name)


def __dir__():
    return sorted([*globals(), *_EXPORTS])

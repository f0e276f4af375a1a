"""Local AutoML over scikit-learn pipelines that generates the exact training code of every model.

>>> from jupyter_automl_codegen import AutoMLConfig, submit, load_dataset
>>> penguins = load_dataset("penguins")
>>> config = AutoMLConfig(task="classification", label_column_name="species",
...                       experiment_timeout_seconds=30)
>>> run = submit(config, penguins.frame)            # doctest: +SKIP
>>> best, model = run.get_output()                  # doctest: +SKIP

Names are imported on first use, so that importing the package stays cheap.
"""

from ._lazy import attach
from ._version import __version__ as __version__

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
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
        "resume": ".automl",
        "run_script": ".tracking",
        "submit": ".automl",
    },
)


def _jupyter_server_extension_points() -> list[dict]:
    """Entry point for jupyter_server; imports the server layer only when a server loads it."""
    from .server.app import AutoMLCodegenApp

    return [{"module": "jupyter_automl_codegen", "app": AutoMLCodegenApp}]


def _jupyter_labextension_paths() -> list[dict]:
    """Where JupyterLab finds the prebuilt sidebar (``jupyter labextension develop`` reads it)."""
    return [{"src": "labextension", "dest": "jupyter-automl-codegen"}]

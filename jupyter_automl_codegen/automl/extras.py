"""The engine's optional parts, each an extra of the package: forecasting (Nixtla's
statsforecast and mlforecast) and running trials on a Dask cluster (dask.distributed).

Whether an extra is installed is asked without importing it (``find_spec``), so checking a
configuration stays cheap and a tabular experiment never loads them.
"""

from __future__ import annotations

from importlib.util import find_spec

from ..errors import ConfigError

EXTRAS = {
    "forecasting": ("statsforecast", "mlforecast"),
    "dask": ("dask", "distributed"),
}


def install_hint(extra: str) -> str:
    """The command that installs ``extra``, quoted for every shell."""
    return f"pip install 'jupyter-automl-codegen[{extra}]'"


def missing_modules(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here."""
    return [name for name in EXTRAS[extra] if _absent(name)]


def require(extra: str, purpose: str) -> None:
    """Raise a ConfigError naming the extra to install when ``extra`` is missing."""
    absent = missing_modules(extra)
    if absent:
        verb = "is" if len(absent) == 1 else "are"
        raise ConfigError(
            f"{purpose} needs {' and '.join(absent)}, which {verb} not installed; "
            f"install the {extra} extra with `{install_hint(extra)}`."
        )


def _absent(name: str) -> bool:
    try:
        return find_spec(name) is None
    except (ImportError, ValueError):  # a parent package missing, or a broken module entry
        return True

"""Library versions a model was trained with, recorded on every run for reproducible code."""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError, version

# Distribution names of the libraries every pipeline needs.
CORE_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "joblib", "pyarrow")
# Top-level module of a class in a spec -> the distribution that provides it.
MODULE_PACKAGES = {
    "lightgbm": "lightgbm",
    "xgboost": "xgboost",
    "mlforecast": "mlforecast",
    "statsforecast": "statsforecast",
    "skrub": "skrub",
}


def library_versions(spec: dict | None = None) -> dict[str, str]:
    """Python and the versions of the packages a pipeline spec imports."""
    packages = list(CORE_PACKAGES)
    text = json.dumps(spec or {})
    packages += [dist for module, dist in MODULE_PACKAGES.items() if f'"{module}.' in text]
    versions = {"python": platform.python_version()}
    for name in packages:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            continue
    return versions

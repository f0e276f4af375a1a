"""``requirements.txt`` of a generated folder: the exact versions the model was trained with."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

# Top-level module -> the distribution on PyPI that provides it.
DISTRIBUTIONS = {
    "sklearn": "scikit-learn",
    "numpy": "numpy",
    "pandas": "pandas",
    "scipy": "scipy",
    "joblib": "joblib",
    "lightgbm": "lightgbm",
    "xgboost": "xgboost",
    "mlforecast": "mlforecast",
    "statsforecast": "statsforecast",
    "skrub": "skrub",
}
# pandas reads the Parquet data snapshot through pyarrow.
ALWAYS = ("pyarrow",)


def requirements(packages, versions: dict[str, str]) -> str:
    """Pinned requirement lines for the modules the code imports (and pyarrow)."""
    names = sorted({DISTRIBUTIONS[p] for p in packages if p in DISTRIBUTIONS} | set(ALWAYS))
    lines = []
    for name in names:
        pinned = versions.get(name) or _installed(name)
        lines.append(f"{name}=={pinned}" if pinned else name)
    return "\n".join(lines) + "\n"


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None

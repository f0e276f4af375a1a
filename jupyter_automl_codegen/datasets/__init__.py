"""Real data sets that ship with the package or its dependencies, for demos, tests and benchmarks.

- ``penguins``: Palmer penguins (Horst, Hill & Gorman 2020, CC0, the ``penguins.csv`` that the
  ``palmerpenguins`` package ships), species classification; numeric and categorical columns
  with missing values.
- ``cars``: the Vega ``cars`` data (BSD-3-Clause, from ``vega_datasets``), miles-per-gallon
  regression; a free-text name, an ISO date, a categorical origin, numbers with missing values.
- ``seattle-weather``: the Vega Seattle weather data, weather-type classification with a date.
- ``diabetes``: scikit-learn's diabetes data, numeric regression.
- ``air-passengers``: Box & Jenkins' monthly airline passengers 1949-1960 (144 months, the
  series R ships as ``AirPassengers``), forecasting with a 12-month horizon.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import pandas as pd


@dataclass(frozen=True)
class Dataset:
    name: str
    frame: pd.DataFrame
    label: str
    task: str
    time_column: str | None = None  # forecasting data sets
    horizon: int = 1


def _bundled(file_name: str):
    def load() -> pd.DataFrame:
        return pd.read_csv(files(__package__).joinpath(file_name))

    return load


def _diabetes() -> pd.DataFrame:
    from sklearn.datasets import load_diabetes

    return load_diabetes(as_frame=True).frame


_DATASETS = {
    "penguins": (_bundled("penguins.csv"), "species", "classification"),
    "cars": (_bundled("cars.csv"), "Miles_per_Gallon", "regression"),
    "seattle-weather": (_bundled("seattle-weather.csv"), "weather", "classification"),
    "diabetes": (_diabetes, "target", "regression"),
    "air-passengers": (_bundled("air-passengers.csv"), "passengers", "forecasting", "month", 12),
}

DATASET_NAMES = tuple(_DATASETS)


def load_dataset(name: str) -> Dataset:
    """Load a bundled data set by name (see ``DATASET_NAMES``)."""
    if name not in _DATASETS:
        raise KeyError(f"unknown data set {name!r}; choose one of {', '.join(DATASET_NAMES)}.")
    loader, label, task, *forecasting = _DATASETS[name]
    return Dataset(name, loader(), label, task, *forecasting)

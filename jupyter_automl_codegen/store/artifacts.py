"""The files of a store: experiments' data snapshots, runs' models and validation predictions.

Every file is written to a temporary name, made durable, and published under its final
name before the database row that points at it is committed; every read checks the
SHA-256 recorded for it before the bytes are used.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files
from .errors import NotFoundError, StoreIntegrityError, StoreStateError
from .ids import validate_experiment_id, validate_run_id

if TYPE_CHECKING:
    import pandas as pd

SNAPSHOT_NAME = "data.parquet"
MODEL_NAME = "model.pkl"
VALIDATION_PREDICTIONS_NAME = "validation_predictions.npz"


class ArtifactsMixin:
    """Data snapshots, models and validation predictions of a :class:`RunStore`."""

    # -- data snapshot ------------------------------------------------------

    def save_data_snapshot(self, experiment_id: str, df: pd.DataFrame) -> tuple[Path, str]:
        """Write the experiment's training data as parquet, once.

        The snapshot is what generated code and reloaded models refer to, so it
        is immutable.

        Parameters
        ----------
        experiment_id : str
            An experiment without a snapshot.
        df : pandas.DataFrame
            The training data as the experiment read it.

        Returns
        -------
        tuple of (pathlib.Path, str)
            The snapshot's path and SHA-256.

        Raises
        ------
        StoreStateError
            The experiment already has a snapshot.
        """
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        validate_experiment_id(experiment_id)
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
        with self._read() as conn:
            if self._experiment_row(conn, experiment_id)["data_sha256"] is not None:
                raise StoreStateError(f"experiment {experiment_id} already has a data snapshot")
        final = self.experiments_dir / experiment_id / SNAPSHOT_NAME
        table = pa.Table.from_pandas(df, preserve_index=False)
        with self._db_errors():
            temp = files.write_temp(final, lambda handle: pq.write_table(table, handle))
        try:
            digest = files.sha256_file(temp)
            with self._write() as conn:
                if self._experiment_row(conn, experiment_id)["data_sha256"] is not None:
                    raise StoreStateError(f"experiment {experiment_id} already has a data snapshot")
                files.publish(temp, final)
                conn.execute(
                    "UPDATE experiments SET data_sha256 = ? WHERE id = ?", (digest, experiment_id)
                )
        finally:
            files.discard(temp)
        return final, digest

    def data_snapshot_path(self, experiment_id: str) -> Path:
        """Where the experiment's data snapshot is.

        Parameters
        ----------
        experiment_id : str
            An experiment id.

        Returns
        -------
        pathlib.Path

        Raises
        ------
        NotFoundError
            No snapshot was saved.
        """
        validate_experiment_id(experiment_id)
        with self._read() as conn:
            row = self._experiment_row(conn, experiment_id)
        if row["data_sha256"] is None:
            raise NotFoundError(
                f"experiment {experiment_id} has no data snapshot; call save_data_snapshot first"
            )
        return self.experiments_dir / experiment_id / SNAPSHOT_NAME

    def load_data_snapshot(self, experiment_id: str) -> pd.DataFrame:
        """Read the experiment's data snapshot after checking its SHA-256.

        Parameters
        ----------
        experiment_id : str
            An experiment with a snapshot.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        StoreIntegrityError
            The file is missing or does not match its recorded SHA-256.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.data_snapshot_path(experiment_id)
        expected = self.get_experiment(experiment_id).data_sha256
        data = self._read_verified(path, expected, f"data snapshot of experiment {experiment_id}")
        return pq.read_table(pa.BufferReader(data)).to_pandas()

    def _read_verified(self, path: Path, expected: str | None, what: str) -> bytes:
        """Read a file into memory and check its hash, so what is loaded is what was checked."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StoreIntegrityError(f"the {what} is missing: {path}") from None
        actual = files.sha256_bytes(data)
        if actual != expected:
            raise StoreIntegrityError(
                f"the {what} at {path} was modified or corrupted: SHA-256 {actual} does not "
                f"match the recorded {expected}"
            )
        return data

    # -- files of a run -----------------------------------------------------

    def run_dir(self, run_id: str) -> Path:
        """The run's folder, ``runs/<run_id>/``, created if missing.

        ``outputs/`` inside it is free for other components.

        Parameters
        ----------
        run_id : str
            A run id.

        Returns
        -------
        pathlib.Path
        """
        validate_run_id(run_id)
        self.get_run(run_id)
        path = self.runs_dir / run_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def model_path(self, run_id: str) -> Path:
        """Where the run's model is (or will be) stored.

        Parameters
        ----------
        run_id : str
            A run id.

        Returns
        -------
        pathlib.Path
        """
        validate_run_id(run_id)
        self.get_run(run_id)
        return self.runs_dir / run_id / MODEL_NAME

    def load_model(self, run_id: str) -> Any:
        """Unpickle the model of a completed run after verifying its SHA-256.

        Only the store's own file is read, and the bytes are hashed before
        ``joblib.load`` sees them: a tampered pickle is never executed.

        Parameters
        ----------
        run_id : str
            A completed child run.

        Returns
        -------
        object
            The fitted scikit-learn estimator.

        Raises
        ------
        StoreStateError
            The run is not completed.
        StoreIntegrityError
            The model file is missing or does not match its recorded SHA-256.
        """
        import joblib

        run = self.get_run(run_id)
        if run.status != "completed":
            raise StoreStateError(f"run {run_id} has no model: it is {run.status}")
        data = self._read_verified(
            self.runs_dir / run_id / MODEL_NAME, run.model_sha256, f"model of run {run_id}"
        )
        return joblib.load(io.BytesIO(data))

    def save_validation_predictions(self, run_id: str, predictions: list) -> None:
        """Keep a trial's predictions on each split's validation rows.

        The ensembles of a resumed experiment can then still select it.

        Parameters
        ----------
        run_id : str
            A child run.
        predictions : list of numpy.ndarray
            One array per validation split.
        """
        import numpy as np

        validate_run_id(run_id)
        final = self.runs_dir / run_id / VALIDATION_PREDICTIONS_NAME
        with self._db_errors():
            temp = files.write_temp(final, lambda handle: np.savez(handle, *predictions))
            try:
                files.publish(temp, final)
            finally:
                files.discard(temp)

    def load_validation_predictions(self, run_id: str) -> list | None:
        """What :meth:`save_validation_predictions` kept.

        Plain arrays only: the file is read without unpickling.

        Parameters
        ----------
        run_id : str
            A child run.

        Returns
        -------
        list of numpy.ndarray or None
            None when nothing readable was kept.
        """
        import numpy as np

        validate_run_id(run_id)
        try:
            with np.load(self.runs_dir / run_id / VALIDATION_PREDICTIONS_NAME) as data:
                return [data[f"arr_{index}"] for index in range(len(data.files))]
        except Exception:  # missing, torn or foreign: the run is just not a candidate
            return None


__all__ = ["MODEL_NAME", "SNAPSHOT_NAME", "VALIDATION_PREDICTIONS_NAME", "ArtifactsMixin"]

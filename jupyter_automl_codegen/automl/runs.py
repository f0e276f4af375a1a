"""Handles on stored runs for notebooks and scripts, named after Azure AutoML's run objects."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..store import RunStore, files
from ..store.ranking import rank_runs
from ..store.run_files import read_run_file, run_file_names


class ChildRun:
    """One trained pipeline: its algorithm, metrics, spec and model.

    Parameters
    ----------
    store : RunStore
        The run store holding the run.
    run_id : str
        The child run's id.

    Raises
    ------
    NotFoundError
        No run has this id in the store.

    Examples
    --------
    >>> best = run.get_best_child()  # doctest: +SKIP
    >>> best.algorithm, best.primary_metric_value  # doctest: +SKIP
    ('LightGBM', 0.998)
    >>> best.predict(new_rows)  # doctest: +SKIP
    """

    def __init__(self, store: RunStore, run_id: str):
        self._store = store
        self.id = run_id
        self._record = store.get_run(run_id)

    def __repr__(self) -> str:
        return f"ChildRun(id={self.id!r}, algorithm={self.algorithm!r}, status={self.status!r})"

    @property
    def algorithm(self) -> str:
        return self._record.algorithm

    @property
    def status(self) -> str:
        return self._record.status

    @property
    def spec(self) -> dict:
        """The unfitted pipeline as JSON (see ``jupyter_automl_codegen.spec.from_spec``)."""
        return self._record.spec

    @property
    def properties(self) -> dict:
        return self._record.properties

    @property
    def members(self) -> list[dict]:
        """An ensemble's members: ``{"run_id", "algorithm", "name"}`` and, for a voting
        ensemble, the integer ``weight``; empty for a single pipeline."""
        return list(self.properties.get("members") or [])

    @property
    def primary_metric_value(self) -> float | None:
        """What the leaderboard ranks by: the primary metric (for ``log_loss``, the cautious
        log-loss of ``metrics.cautious_log_loss``)."""
        return self._record.primary_metric_value

    @property
    def fit_time(self) -> float | None:
        return self._record.fit_time

    @property
    def error(self) -> str | None:
        """Why the trial failed or was canceled, else None."""
        return self._record.error

    def get_metrics(self) -> dict:
        """Every validation metric of the run, by name."""
        return dict(self._record.metrics)

    def get_model(self):
        """The fitted model, loaded from the store after its SHA-256 is checked.

        A tabular run's model is one self-contained scikit-learn estimator: it reads raw rows
        (as ``pd.read_csv`` gives them; extra columns and any column order are fine) and
        ``predict`` answers in the data's own labels, ``classes_`` being those labels in the
        order of ``predict_proba``'s columns. It needs nothing of this package to load.

        Returns
        -------
        sklearn.pipeline.Pipeline or object
            The fitted scikit-learn pipeline or ensemble (a forecasting run: its fitted
            forecaster).

        Raises
        ------
        StoreError
            The run has no model (it failed), or its file does not match its SHA-256.
        """
        return self._store.load_model(self.id)

    def get_file_names(self) -> list[str]:
        """The run's stored files, named as Azure AutoML names them.

        Returns
        -------
        list of str
            Relative names: ``outputs/model.pkl`` (the fitted model, for a completed run)
            first, then every file the run keeps under ``outputs/``, such as
            ``outputs/generated_code/script.py`` when its code was generated
            (``enable_code_generation``); see ``store.run_files`` for the mapping onto the
            store's folders.
        """
        return run_file_names(self._store, self.id)

    def download_file(self, name: str, output_file_path: str | os.PathLike | None = None) -> Path:
        """Copy one of the run's stored files, byte for byte, to ``output_file_path``.

        Parameters
        ----------
        name : str
            A name from ``get_file_names()``, e.g. ``"outputs/model.pkl"``.
        output_file_path : str or os.PathLike, optional
            The file to write (replaced if it exists), or an existing folder to write into
            under the name's last part (default: that last part, in the working directory).

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        ValueError
            ``name`` is not a plain relative name (it holds ``..``, or is absolute).
        NotFoundError
            The run has no file of that name; the message lists those it has.
        StoreIntegrityError
            The stored model does not match its recorded SHA-256.

        Notes
        -----
        Only ``output_file_path`` is written: the bytes go to a temporary file beside it
        that then replaces it, so a symbolic link there is replaced, not followed.

        Examples
        --------
        >>> best = run.get_best_child()  # doctest: +SKIP
        >>> best.download_file("outputs/model.pkl", "model.pkl")  # doctest: +SKIP
        """
        data = read_run_file(self._store, self.id, name)
        target = Path(name.rsplit("/", 1)[-1] if output_file_path is None else output_file_path)
        if target.is_dir() and not target.is_symlink():
            target = target / name.rsplit("/", 1)[-1]
        temp = files.write_temp(target, lambda handle: handle.write(data))
        try:
            files.publish(temp, target)
        finally:
            files.discard(temp)
        return target

    def _parent_properties(self) -> dict:
        return self._store.get_run(self._record.parent_id).properties

    def forecast(self, history: pd.DataFrame) -> pd.DataFrame:
        """A forecasting run's forecast of the ``horizon`` steps after ``history`` (the same
        columns as the training data), for every series in it: the series-id columns, the
        time column and ``prediction``. A model with known-in-advance features reads their
        values for the steps ahead from rows after each series' last labelled one (the
        label empty). Classical (per-series) models are fitted again on the
        given history with the run's configuration; a global ML model reads its lags from it.

        Parameters
        ----------
        history : pandas.DataFrame
            The series up to the forecast's start, with the training data's columns.

        Returns
        -------
        pandas.DataFrame
            One row per series and step: the series ids, the time and ``prediction``.

        Raises
        ------
        ValueError
            The run is not a forecasting run.
        DataError
            The history (or the known features' future rows) cannot be used.
        """
        from .forecasting.evaluation import (
            forecast_after_history,
            forecast_frame,
            uses_features,
        )
        from .forecasting.series import (
            ForecastSettings,
            check_future,
            check_history,
            prepare_series,
        )

        settings_dict = self._parent_properties().get("forecasting")
        if settings_dict is None:
            raise ValueError(f"run {self.id} is not a forecasting run; use predict.")
        settings = ForecastSettings.from_dict(settings_dict)
        check_history(history, settings)
        series, keys, future = prepare_series(history, settings)
        model = self.get_model()
        if uses_features(model, settings):
            check_future(future, keys, settings)
        predicted = forecast_after_history(model, series, future, settings)
        return forecast_frame(predicted, keys, settings)

    def predict(self, frame: pd.DataFrame) -> pd.Series:
        """The model's predictions, in the data's own labels (``get_model().predict``).

        Parameters
        ----------
        frame : pandas.DataFrame
            Rows with the training data's feature columns (the label and other columns may
            be there too).

        Returns
        -------
        pandas.Series
            One prediction per row, named ``prediction``, on ``frame``'s index.

        Raises
        ------
        ValueError
            The run is a forecasting run (use ``forecast``).
        """
        if "forecasting" in self._parent_properties():
            raise ValueError(
                f"run {self.id} is a forecasting run; use forecast(history) for the steps "
                "after a history."
            )
        predictions = self.get_model().predict(frame)
        return pd.Series(predictions, index=frame.index, name="prediction")

    def predict_proba(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Class probabilities, one column per class, named by the model's ``classes_``.

        Parameters
        ----------
        frame : pandas.DataFrame
            Rows with the training data's feature columns.

        Returns
        -------
        pandas.DataFrame
            One column per class, on ``frame``'s index.

        Raises
        ------
        ValueError
            The run is a regression model.
        """
        model = self.get_model()
        if not hasattr(model, "predict_proba"):
            raise ValueError(f"run {self.id} is a regression model; it has no probabilities.")
        return pd.DataFrame(model.predict_proba(frame), index=frame.index, columns=model.classes_)


class AutoMLRun:
    """The parent run of a submitted experiment and its child runs (what ``submit`` and
    ``resume`` return).

    Parameters
    ----------
    store : RunStore
        The run store holding the experiment.
    run_id : str
        The parent run's id (``Experiment.parent_run_id``).

    Raises
    ------
    NotFoundError
        No run has this id in the store.

    Examples
    --------
    >>> run = submit(config, data)  # doctest: +SKIP
    >>> run.status  # doctest: +SKIP
    'completed'
    >>> best, model = run.get_output()  # doctest: +SKIP
    >>> [child.algorithm for child in run.leaderboard()[:3]]  # doctest: +SKIP
    ['LightGBM', 'VotingEnsemble', 'XGBoost']
    """

    def __init__(self, store: RunStore, run_id: str):
        self._store = store
        self.id = run_id
        self._record = store.get_run(run_id)
        self.experiment_id = self._record.experiment_id

    def __repr__(self) -> str:
        return f"AutoMLRun(id={self.id!r}, status={self.status!r})"

    @property
    def status(self) -> str:
        return self._store.get_run(self.id).status

    @property
    def properties(self) -> dict:
        return self._store.get_run(self.id).properties

    @property
    def primary_metric(self) -> str:
        return self._store.get_experiment(self.experiment_id).primary_metric

    def get_children(self, status: str | None = None) -> list[ChildRun]:
        """Child runs in trial order, optionally only those with ``status``."""
        runs = self._store.list_runs(self.experiment_id, status=status)
        return [ChildRun(self._store, run.id) for run in runs]

    def leaderboard(self) -> list[ChildRun]:
        """Completed child runs ranked by the one rule (``store.ranking``), best first.

        Returns
        -------
        list of ChildRun
            The completed child runs, ties to the earlier trial.
        """
        runs = rank_runs(self._store.list_runs(self.experiment_id, status="completed"))
        return [ChildRun(self._store, run.id) for run in runs]

    def get_best_child(self) -> ChildRun:
        """The leaderboard's first run.

        Returns
        -------
        ChildRun
            The completed child run with the best primary metric.

        Raises
        ------
        LookupError
            No child run completed.
        """
        board = self.leaderboard()
        if not board:
            raise LookupError(f"experiment run {self.id} has no completed child run.")
        return board[0]

    def get_output(self):
        """The best child run and its fitted model, as Azure AutoML's ``get_output``.

        Returns
        -------
        tuple of (ChildRun, object)
            The best child run and its fitted pipeline.

        Raises
        ------
        LookupError
            No child run completed.
        """
        best = self.get_best_child()
        return best, best.get_model()

    def get_metrics(self) -> dict:
        """The best child run's metrics, by name."""
        return self.get_best_child().get_metrics()

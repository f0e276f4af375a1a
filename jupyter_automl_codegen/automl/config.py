"""The experiment configuration: what to learn, how to judge it, and how much to spend."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .extras import require
from .forecasting.config_checks import check_forecasting_config
from .metrics import DEFAULT_PRIMARY_METRIC, validate_metric
from .zoo import algorithm_names, check_algorithm_names, suited, takes_weights

TASKS = ("classification", "regression", "forecasting")
LOCAL_COMPUTE = "local"
# A Dask scheduler address: ``tcp://host:8786`` (any protocol) or ``host:8786``.
_SCHEDULER_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+|[^\s:/]+:[0-9]+")


@dataclass
class AutoMLConfig:
    """Settings of one AutoML experiment, named after Azure AutoML's where they read well.

    Like a scikit-learn estimator, the constructor only stores its arguments; ``validate``
    checks them (``submit`` calls it) so that a config can be built, changed and then run.

    Parameters
    ----------
    task : {"classification", "regression", "forecasting"}
        What to learn; forecasting needs the ``forecasting`` extra.
    label_column_name : str
        The column to predict (for forecasting: the target of every series).
    training_data : pandas.DataFrame or str or pathlib.Path, optional
        The training rows, or the path of a CSV or Parquet file holding them; then
        ``submit(config)`` needs no data argument. Give the data here or to ``submit``,
        not both. The experiment records where the data came from (the file's name, or
        ``"DataFrame"``) and a Parquet snapshot of the rows, never this value itself.
    compute_target : str, optional
        Where the trials run: ``"local"`` (worker processes on this machine) or the
        address of a running ``dask.distributed`` scheduler, e.g.
        ``"tcp://127.0.0.1:8786"`` (the same as ``dask_scheduler``). Default: the
        ``dask_scheduler`` setting, else ``"local"``.
    weight_column_name : str, optional
        Classification and regression only: a numeric column of sample weights (0 or
        more, no missing or infinite values, not all 0). It is never a feature; every
        model is fitted with the weights and every metric weighs the rows by them.
        Algorithms whose ``fit`` takes no ``sample_weight`` (KNN) are not tried, and
        naming one in ``allowed_models`` is an error.
    primary_metric : str, optional
        The metric the search optimises; defaults to ``AUC_weighted`` for classification
        and ``normalized_root_mean_squared_error`` for regression and forecasting.
    experiment_timeout_seconds : float, default 60.0
        The search's time budget (the search stops within 5 % of it).
    max_trials : int, optional
        Stop after this many trials (default: only the time budget stops the search).
    n_cross_validations : int, optional
        Folds of cross-validation; by default chosen by data size (10 folds under 1,000
        rows, 3 folds up to 20,000 rows, a 10 % holdout above). For forecasting, the
        number of rolling-origin folds (default 3).
    validation_size : float, optional
        Fraction of rows held out instead of cross-validation (not for forecasting).
    allowed_models : list of str, optional
        Algorithm names to restrict the search to. Without it, algorithms unsuited to the
        primary metric are skipped (KNN under ``log_loss``: its vote-share probabilities
        are often exactly zero), and so are those that cannot take sample weights when
        ``weight_column_name`` is set.
    blocked_models : list of str, optional
        Algorithm names to skip.
    enable_code_generation : bool, default True
        Generate training code for every completed child run.
    enable_voting_ensemble : bool, default True
        End the experiment with a soft-voting ensemble (weights from greedy ensemble
        selection), a child run of its own, inside the time budget.
    enable_stack_ensemble : bool, default True
        End the experiment with a stacking ensemble of the trained pipelines, a child run
        of its own, inside the time budget.
    seed : int, default 0
        Seeds the folds, the tuners and every estimator, so runs repeat exactly.
    max_concurrent_iterations : int, optional
        Trials run at once in worker processes (default: all cores; on a Dask cluster, its
        number of worker threads).
    dask_scheduler : str, optional
        Address of a running ``dask.distributed`` scheduler (``tcp://host:8786``) to run
        the trials on instead of local worker processes; needs the ``dask`` extra.
        ``compute_target`` says the same in Azure AutoML's words; give either, or the
        same address to both.
    trial_timeout_seconds : float, optional
        A trial running longer fails (with a clear error) and the search goes on.
    trial_memory_mb : int, optional
        A trial allocating more than this many MB (of address space, on top of what its
        worker uses when it starts) fails with ``MemoryError``; POSIX local workers only
        (on Dask, set the workers' own ``memory_limit``).
    time_column_name : str, optional
        Forecasting only, required there: the column of timestamps.
    time_series_id_column_names : list of str, optional
        Forecasting only: columns whose values name a series, for many series in one
        frame (default: the whole frame is one series).
    forecast_horizon : int, default 1
        Forecasting only: steps to forecast after the history.
    freq : str, optional
        Forecasting only: pandas frequency of the steps, e.g. ``"D"`` or ``"MS"``
        (default: inferred).
    known_feature_column_names : list of str, optional
        Forecasting only: numeric columns whose future values are known in advance
        (prices, promotions, holidays); the ML models use them as features of the step
        they forecast.

    Raises
    ------
    ConfigError
        From ``validate``: a value is invalid, or an extra the settings need (forecasting,
        dask) is not installed; the message names the fix.

    Notes
    -----
    With known-in-advance features, forecasting needs their values for the steps ahead:
    rows after each series' last labelled one, with the label empty.

    For forecasting no ensembles are built, and columns other than the time, series-id,
    label and known-in-advance feature columns are not used. (Azure AutoML instead treats
    every other column as known in advance unless listed as unknown; here they are named,
    so that a forecast from the history alone works unless features were asked for.)

    ``validate`` resolves ``compute_target`` and ``dask_scheduler`` into one another:
    afterwards ``compute_target`` is ``"local"`` or the scheduler's address, and
    ``dask_scheduler`` is None or that address.

    Examples
    --------
    >>> from jupyter_automl_codegen import AutoMLConfig
    >>> config = AutoMLConfig(task="classification", label_column_name="species",
    ...                       experiment_timeout_seconds=30, max_trials=20)
    >>> config.validate().primary_metric
    'AUC_weighted'

    The data and the compute can travel with the config, as in Azure AutoML:

    >>> from jupyter_automl_codegen import load_dataset, submit
    >>> config = AutoMLConfig(task="classification",
    ...                       training_data=load_dataset("penguins").frame,
    ...                       label_column_name="species", compute_target="local")
    >>> run = submit(config)  # doctest: +SKIP
    """

    task: str
    label_column_name: str
    primary_metric: str | None = None
    experiment_timeout_seconds: float = 60.0
    max_trials: int | None = None
    n_cross_validations: int | None = None
    validation_size: float | None = None
    allowed_models: list[str] | None = None
    blocked_models: list[str] | None = None
    enable_code_generation: bool = True
    enable_voting_ensemble: bool = True
    enable_stack_ensemble: bool = True
    seed: int = 0
    max_concurrent_iterations: int | None = None
    dask_scheduler: str | None = None
    trial_timeout_seconds: float | None = None
    trial_memory_mb: int | None = None
    time_column_name: str | None = None
    time_series_id_column_names: list[str] | None = None
    forecast_horizon: int = 1
    freq: str | None = None
    known_feature_column_names: list[str] | None = None
    # Last, so that positional arguments keep their meaning; a frame is neither compared
    # nor shown in the repr.
    training_data: Any = field(default=None, compare=False, repr=False)
    compute_target: str | None = None
    weight_column_name: str | None = None

    def validate(self) -> AutoMLConfig:
        """Check every value and fill in the defaults.

        Returns
        -------
        AutoMLConfig
            This config, for chaining.

        Raises
        ------
        ConfigError
            A value is invalid, or an extra the settings need is not installed.
        """
        if self.task not in TASKS:
            raise ConfigError(f"task={self.task!r} is not supported; use one of {TASKS}.")
        if not isinstance(self.label_column_name, str) or not self.label_column_name:
            raise ConfigError("label_column_name must name the column to predict.")
        if self.task == "forecasting":
            require("forecasting", "task='forecasting'")
            check_forecasting_config(self)
        if self.primary_metric is None:
            self.primary_metric = DEFAULT_PRIMARY_METRIC[self.task]
        try:
            validate_metric(self.task, self.primary_metric)
        except ValueError as error:
            raise ConfigError(str(error)) from None
        timeout = self.experiment_timeout_seconds
        if not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
            raise ConfigError(
                f"experiment_timeout_seconds={timeout!r} must be a positive number of seconds."
            )
        _check_positive_int("max_trials", self.max_trials)
        _check_positive_int("max_concurrent_iterations", self.max_concurrent_iterations)
        if self.n_cross_validations is not None:
            _check_positive_int("n_cross_validations", self.n_cross_validations)
            if self.n_cross_validations < 2 and self.task != "forecasting":
                raise ConfigError(
                    f"n_cross_validations={self.n_cross_validations} needs at least 2 folds; "
                    "use validation_size for a single holdout."
                )
        if self.validation_size is not None:
            if not 0 < self.validation_size < 1:
                raise ConfigError(
                    f"validation_size={self.validation_size!r} must be a fraction between 0 "
                    "and 1, e.g. 0.2."
                )
            if self.n_cross_validations is not None:
                raise ConfigError("set n_cross_validations or validation_size, not both.")
        try:
            check_algorithm_names(self.task, self.allowed_models or [])
            check_algorithm_names(self.task, self.blocked_models or [])
        except ValueError as error:
            raise ConfigError(str(error)) from None
        if not self.algorithms():
            raise ConfigError(
                "allowed_models and blocked_models leave no algorithm to try; "
                f"choose from {algorithm_names(self.task)}."
            )
        for name in ("enable_code_generation", "enable_voting_ensemble", "enable_stack_ensemble"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name}={getattr(self, name)!r} must be True or False.")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ConfigError(f"seed={self.seed!r} must be an integer.")
        self._validate_weight_column()
        _check_training_data(self.training_data)
        self._resolve_compute_target()
        self._validate_compute()
        return self

    def _validate_weight_column(self) -> None:
        column = self.weight_column_name
        if column is None:
            return
        if not isinstance(column, str) or not column:
            raise ConfigError(
                f"weight_column_name={column!r} must name a column of sample weights."
            )
        if self.task == "forecasting":
            raise ConfigError(
                "weight_column_name is for classification and regression; forecasting "
                "does not take sample weights. Remove the weight column setting."
            )
        if column == self.label_column_name:
            raise ConfigError(
                f"weight_column_name={column!r} is the label column; name the column "
                "that holds the sample weights."
            )
        unweighted = [n for n in self.allowed_models or [] if not takes_weights(n, self.task)]
        if unweighted:
            raise ConfigError(
                f"allowed_models names {', '.join(map(repr, unweighted))}, which cannot "
                "fit with sample weights; remove it, or train without weight_column_name."
            )

    def _resolve_compute_target(self) -> None:
        """Map ``compute_target`` onto ``dask_scheduler`` (see the class notes)."""
        target = self.compute_target
        if target is None:
            self.compute_target = self.dask_scheduler or LOCAL_COMPUTE
            return
        if not isinstance(target, str) or not (
            target == LOCAL_COMPUTE or _SCHEDULER_ADDRESS.fullmatch(target)
        ):
            raise ConfigError(
                f"compute_target={target!r} must be 'local' (worker processes on this "
                "machine) or the address of a running Dask scheduler such as "
                "'tcp://127.0.0.1:8786'."
            )
        scheduler = None if target == LOCAL_COMPUTE else target
        if self.dask_scheduler is not None and self.dask_scheduler != scheduler:
            raise ConfigError(
                f"compute_target={target!r} and dask_scheduler={self.dask_scheduler!r} "
                "disagree; give only one of them (compute_target='tcp://host:8786' is the "
                "same as dask_scheduler='tcp://host:8786')."
            )
        self.dask_scheduler = scheduler

    def _validate_compute(self) -> None:
        trial_timeout = self.trial_timeout_seconds
        if trial_timeout is not None and (
            isinstance(trial_timeout, bool)
            or not isinstance(trial_timeout, (int, float))
            or not math.isfinite(trial_timeout)
            or trial_timeout <= 0
        ):
            raise ConfigError(
                f"trial_timeout_seconds={trial_timeout!r} must be a positive number of seconds."
            )
        _check_positive_int("trial_memory_mb", self.trial_memory_mb)
        if self.dask_scheduler is None:
            return
        if not isinstance(self.dask_scheduler, str) or not self.dask_scheduler.strip():
            raise ConfigError(
                f"dask_scheduler={self.dask_scheduler!r} must be a scheduler address such as "
                "'tcp://127.0.0.1:8786'."
            )
        if self.trial_memory_mb is not None:
            raise ConfigError(
                "trial_memory_mb applies to local worker processes only; on a Dask cluster "
                "limit memory with the workers' own memory_limit (dask worker --memory-limit)."
            )
        require("dask", "running trials on a Dask cluster")  # names the extra to install

    def algorithms(self) -> list[str]:
        """The algorithm names this experiment may try, in the zoo's order: those named in
        ``allowed_models``, else all that suit the primary metric (and take sample weights,
        in a weighted experiment), less ``blocked_models``."""
        names = algorithm_names(self.task)
        if self.allowed_models:
            names = [n for n in names if n in self.allowed_models]
        else:
            names = [n for n in names if suited(n, self.primary_metric)]
            if self.weight_column_name is not None:
                names = [n for n in names if takes_weights(n, self.task)]
        return [n for n in names if n not in (self.blocked_models or [])]

    def to_dict(self) -> dict:
        """The settings as plain JSON values, what the experiment records.

        ``training_data`` is left out: a frame is never copied into the record (the
        experiment records its source, and a snapshot of the rows, instead).
        """
        return {
            f.name: _plain_copy(getattr(self, f.name))
            for f in fields(self)
            if f.name != "training_data"
        }


def _plain_copy(value):
    return list(value) if isinstance(value, (list, tuple)) else value


def _check_training_data(data) -> None:
    import pandas as pd

    if data is None or isinstance(data, (pd.DataFrame, str, Path)):
        return
    raise ConfigError(
        f"training_data must be a pandas DataFrame or the path of a CSV or Parquet file, "
        f"not {type(data).__name__}."
    )


def _check_positive_int(name: str, value) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{name}={value!r} must be a positive integer.")

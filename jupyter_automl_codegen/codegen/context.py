"""Everything code generation needs to know about one trained model, as plain data.

The context is built from the run store's records as plain dicts (``Run.to_dict()``), so the
generator never imports the store or the engine, and never unpickles a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import CodegenError

# Plan kinds whose columns ``prepare_data`` turns into text (str, missing as NaN).
TEXT_LIKE_KINDS = ("categorical", "high_cardinality", "text")
KIND_ORDER = ("numeric", "categorical", "high_cardinality", "datetime", "text")
# Top-level classes a context may hold: a pipeline, or an ensemble of pipelines.
PIPELINE_CLASS = "sklearn.pipeline.Pipeline"
ENSEMBLE_CLASSES = tuple(
    f"sklearn.ensemble.{name}"
    for name in ("VotingClassifier", "VotingRegressor", "StackingClassifier", "StackingRegressor")
)

FORECASTER_CLASSES = ("mlforecast.MLForecast", "statsforecast.StatsForecast")
# Per-series models that take the known-in-advance features as exogenous regressors.
EXOGENOUS_FORECASTERS = ("statsforecast.models.AutoARIMA",)


@dataclass(frozen=True)
class CodegenContext:
    """A trained pipeline and the facts about its run that its training code repeats."""

    pipeline_spec: dict
    task: str  # "classification" or "regression"
    label: str
    validation: dict  # ValidationScheme.to_dict(): kind, n_folds, validation_size, ...
    data_path: str | None = None  # absolute path of the data snapshot
    data_sha256: str | None = None
    feature_columns: tuple[str, ...] = ()
    column_kinds: dict[str, list[str]] = field(default_factory=dict)  # kind -> columns
    group_descriptions: dict[str, str] = field(default_factory=dict)  # transformer -> text
    classes: tuple | None = None  # original class labels, in code order
    experiment_name: str | None = None
    experiment_id: str | None = None
    run_id: str | None = None
    algorithm: str = ""
    scaler: str | None = None
    primary_metric: str | None = None
    metrics: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    validation_description: str = ""
    # Ensembles: per member, {"run_id", "algorithm", "name"[, "weight"]} in member order.
    members: tuple[dict, ...] = ()
    # Forecasting runs: ForecastSettings.to_dict() (time column, series ids, horizon, ...).
    forecasting: dict | None = None
    # The root of the run store the run is in: the script run notebook records its run there.
    store_path: str | None = None
    # The column of sample weights of a weighted run (never a feature), else None.
    weight_column: str | None = None

    def __post_init__(self):
        if self.task == "forecasting":
            if self.pipeline_spec.get("class") not in FORECASTER_CLASSES or not self.forecasting:
                raise CodegenError(
                    "a forecasting run needs an MLForecast or StatsForecast spec and its "
                    "forecasting settings"
                )
            return
        if self.task not in ("classification", "regression"):
            raise CodegenError(f"task={self.task!r} is not classification or regression")
        if self.pipeline_spec.get("class") not in (PIPELINE_CLASS, *ENSEMBLE_CLASSES):
            raise CodegenError(
                "the pipeline spec must be a sklearn.pipeline.Pipeline or a scikit-learn "
                "voting or stacking ensemble of pipelines"
            )

    @property
    def forecast_features(self) -> list[str]:
        """The known-in-advance features the forecaster reads: ML forecasters use them as
        features of the forecast step, AutoARIMA as exogenous regressors; the other
        per-series models ignore them."""
        if self.task != "forecasting":
            return []
        if self.pipeline_spec["class"] != FORECASTER_CLASSES[0]:
            models = self.pipeline_spec["params"].get("models") or []
            if not models or any(
                not isinstance(m, dict) or m.get("class") not in EXOGENOUS_FORECASTERS
                for m in models
            ):
                return []
        return list((self.forecasting or {}).get("known_features") or [])

    @property
    def is_ensemble(self) -> bool:
        return self.pipeline_spec["class"] in ENSEMBLE_CLASSES

    @property
    def primary_metric_value(self):
        return self.metrics.get(self.primary_metric) if self.primary_metric else None

    @property
    def algorithm_label(self) -> str:
        return f"{self.scaler}, {self.algorithm}" if self.scaler else self.algorithm

    @classmethod
    def from_records(
        cls, experiment: dict, parent: dict, run: dict, data_path: str
    ) -> CodegenContext:
        """Build the context of a child run from store records (``to_dict()`` outputs)."""
        properties = parent.get("properties") or {}
        plan = properties.get("featurization") or {}
        columns = plan.get("columns", [])
        kinds: dict[str, list[str]] = {}
        for column in columns:
            if column["kind"] != "drop":
                kinds.setdefault(column["kind"], []).append(column["name"])
        classes = properties.get("classes")
        return cls(
            pipeline_spec=run["spec"],
            task=experiment["task"],
            label=experiment["label"],
            validation=properties.get("validation") or {},
            validation_description=properties.get("validation_description", ""),
            data_path=data_path,
            data_sha256=experiment.get("data_sha256"),
            feature_columns=tuple(c["name"] for c in columns),
            column_kinds={kind: kinds[kind] for kind in KIND_ORDER if kind in kinds},
            group_descriptions=properties.get("featurization_descriptions") or {},
            classes=None if classes is None else tuple(classes),
            experiment_name=experiment.get("name"),
            experiment_id=experiment.get("id"),
            run_id=run.get("id"),
            algorithm=run.get("algorithm") or "",
            scaler=(run.get("properties") or {}).get("scaler"),
            primary_metric=experiment.get("primary_metric"),
            metrics=run.get("metrics") or {},
            versions=run.get("versions") or {},
            members=tuple((run.get("properties") or {}).get("members") or ()),
            forecasting=properties.get("forecasting"),
            weight_column=properties.get("weight_column"),
        )

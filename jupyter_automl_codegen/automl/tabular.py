"""The task driver of classification and regression: check and profile the data, choose the
validation scheme, and run the search (``search_loop``) on the experiment's compute backend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import AutoMLConfig
from .data import DataError, check_class_counts, check_training_frame
from .featurization import group_descriptions
from .lifecycle import Snapshot, deadline, open_compute
from .preparation import class_codes, prepare_training_data
from .profiling import FeaturizationPlan, profile_columns
from .search_loop import SearchSettings, TabularSearch
from .validation import ValidationScheme, choose_scheme
from .weights import check_weight_column, labelled_weights


@dataclass(frozen=True, eq=False)
class TabularData:
    """What the checks found: the featurization plan, the validation scheme, the encoded
    labels, the classes (None for regression) and the labelled rows' sample weights (None
    without a weight column)."""

    plan: FeaturizationPlan
    scheme: ValidationScheme
    y: np.ndarray
    classes: np.ndarray | None
    weights: np.ndarray | None = None
    weight_column: str | None = None

    @property
    def n_classes(self) -> int | None:
        return None if self.classes is None else len(self.classes)


def check_data(config: AutoMLConfig, frame: pd.DataFrame) -> TabularData:
    """Profile the columns and choose the validation, or a DataError before anything is
    stored."""
    label, task, weight_column = config.label_column_name, config.task, config.weight_column_name
    if label in frame.columns:  # else check_training_frame says it is missing
        check_weight_column(frame, label, weight_column)
    check_training_frame(frame, label, task)
    features = frame if weight_column is None else frame.drop(columns=[weight_column])
    plan = profile_columns(features, label)
    if not plan.groups():
        reasons = "; ".join(f"{c.name!r}: {c.reason}" for c in plan.columns[:5])
        raise DataError(f"every feature column was dropped ({reasons}); add informative columns.")
    y, classes = _targets(frame, label, task)
    scheme = choose_scheme(
        task, len(y), config.seed, config.n_cross_validations, config.validation_size
    )
    if task == "classification":
        folds = check_class_counts(pd.Series(classes[y]), scheme.n_folds or 2)
        if scheme.kind == "cv" and folds < scheme.n_folds:
            scheme = choose_scheme(task, len(y), config.seed, folds)
    weights = labelled_weights(frame, label, weight_column)
    return TabularData(plan, scheme, y, classes, weights, weight_column)


def record_data(run_store, parent_id: str, data: TabularData, frame: pd.DataFrame) -> None:
    """What the experiment's parent run shows of its data before the first trial."""
    run_store.update_properties(
        parent_id,
        featurization=data.plan.to_dict(),
        featurization_descriptions=group_descriptions(data.plan),
        validation=data.scheme.to_dict(),
        validation_description=data.scheme.describe(),
        classes=None if data.classes is None else [_plain(c) for c in data.classes],
        rows=len(data.y),
        dropped_rows_without_label=int(len(frame) - len(data.y)),
        weight_column=data.weight_column,
    )


def reload_data(run_store, experiment, parent, config: AutoMLConfig) -> TabularData:
    """A resumed experiment's data, as its first run recorded it."""
    props = parent.properties
    plan = FeaturizationPlan.from_dict(props["featurization"])
    scheme = ValidationScheme.from_dict(props["validation"])
    frame = run_store.load_data_snapshot(experiment.id)
    y, classes = _targets(frame, config.label_column_name, config.task)
    weight_column = config.weight_column_name
    weights = labelled_weights(frame, config.label_column_name, weight_column)
    return TabularData(plan, scheme, y, classes, weights, weight_column)


def search(
    run_store,
    parent_id: str,
    config: AutoMLConfig,
    data: TabularData,
    snapshot: Snapshot,
    *,
    show_progress: bool,
    started: float | None = None,
    budget: float | None = None,
    history: list | None = None,
) -> None:
    """Run trials until the time budget (less the ensembles' share) or the trial count is
    spent, then the ensembles. ``history``: finished child runs of an interrupted experiment,
    replayed into the searcher first (``budget`` is then the time it had left). The budget
    counts from ``started`` (default: now) and ends ``WRAP_UP_SECONDS`` early."""
    started = time.monotonic() if started is None else started
    budget = config.experiment_timeout_seconds if budget is None else budget
    settings = SearchSettings(
        run_store=run_store,
        parent_id=parent_id,
        config=config,
        plan=data.plan,
        scheme=data.scheme,
        snapshot_path=snapshot.path,
        snapshot_sha=snapshot.sha256,
        y=data.y,
        n_classes=data.n_classes,
        weights=data.weights,
        show_progress=show_progress,
        started=started,
        budget=budget,
        deadline=deadline(started, budget),
        history=tuple(history or ()),
    )
    compute = open_compute(config, snapshot.path)
    try:
        TabularSearch(settings, compute).run()
    finally:
        compute.close()


def _targets(frame: pd.DataFrame, label: str, task: str):
    """``(y, classes)``: for classification ``y`` holds class codes (positions in ``classes``),
    which the driver's ensemble selection scores with."""
    _, y, classes = prepare_training_data(frame, label, task)
    return (y, None) if classes is None else (class_codes(y, classes), classes)


def _plain(value):
    return value.item() if hasattr(value, "item") else value

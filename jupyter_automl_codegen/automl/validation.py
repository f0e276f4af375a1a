"""How trials are validated: k-fold cross-validation or a holdout, chosen by data size."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

# Azure AutoML's defaults: many folds when data is scarce, a single holdout when it is not.
SMALL_DATA_ROWS = 1_000
MEDIUM_DATA_ROWS = 20_000
SMALL_DATA_FOLDS = 10
MEDIUM_DATA_FOLDS = 3
LARGE_DATA_HOLDOUT = 0.1


@dataclass(frozen=True)
class ValidationScheme:
    """A reproducible split of the training rows into (train, validation) index pairs."""

    kind: str  # "cv" or "holdout"
    n_folds: int | None
    validation_size: float | None
    stratified: bool
    seed: int

    def splits(self, y) -> list[tuple[np.ndarray, np.ndarray]]:
        rows = np.arange(len(y))
        if self.kind == "holdout":
            train, valid = train_test_split(
                rows,
                test_size=self.validation_size,
                random_state=self.seed,
                stratify=y if self.stratified else None,
            )
            return [(train, valid)]
        folds_class = StratifiedKFold if self.stratified else KFold
        folds = folds_class(n_splits=self.n_folds, shuffle=True, random_state=self.seed)
        return list(folds.split(rows, y))

    def validation_labels(self, y) -> np.ndarray:
        """The labels of every split's validation rows, in split order: what a trial's
        validation predictions, pooled over splits, are scored against."""
        return np.asarray(y)[np.concatenate([valid for _, valid in self.splits(y)])]

    def describe(self) -> str:
        if self.kind == "holdout":
            return f"a {self.validation_size:.0%} holdout" + (
                " stratified by class" if self.stratified else ""
            )
        strat = "stratified " if self.stratified else ""
        return f"{strat}{self.n_folds}-fold cross-validation"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ValidationScheme:
        return cls(**data)


def choose_scheme(
    task: str,
    rows: int,
    seed: int,
    n_cross_validations: int | None = None,
    validation_size: float | None = None,
) -> ValidationScheme:
    """The user's scheme when given, else Azure AutoML's choice by number of rows."""
    stratified = task == "classification"
    if validation_size is not None:
        return ValidationScheme("holdout", None, validation_size, stratified, seed)
    if n_cross_validations is not None:
        return ValidationScheme("cv", n_cross_validations, None, stratified, seed)
    if rows < SMALL_DATA_ROWS:
        return ValidationScheme("cv", SMALL_DATA_FOLDS, None, stratified, seed)
    if rows <= MEDIUM_DATA_ROWS:
        return ValidationScheme("cv", MEDIUM_DATA_FOLDS, None, stratified, seed)
    return ValidationScheme("holdout", None, LARGE_DATA_HOLDOUT, stratified, seed)

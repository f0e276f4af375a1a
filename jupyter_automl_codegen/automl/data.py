"""Reading training data and refusing, with a clear message, data AutoML cannot learn from."""

from __future__ import annotations

import csv
import difflib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError

# Fewer rows than this cannot be both trained on and validated in any meaningful way.
MIN_LABELLED_ROWS = 10

TABLE_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8) or Parquet file, refusing duplicate or non-text column names."""
    path = Path(path)
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DataError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; "
            "give a .csv or .parquet file."
        )
    if not path.is_file():
        raise DataError(f"{path}: no such file; check the path.")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(
            f"{path}: cannot be read ({error.strerror}); check its permissions."
        ) from None
    if not raw.strip():
        raise DataError(f"{path.name} is empty; give a file with a header row and data rows.")
    frame = _read_csv(path, raw) if kind == "csv" else _read_parquet(path, raw)
    _check_column_names(path, list(frame.columns))
    return frame


def _read_csv(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path.name} is not valid UTF-8 (byte {raw[error.start]:#04x} at offset "
            f"{error.start}); save it as UTF-8 and try again."
        ) from None
    # pandas renames duplicate headers silently ("a", "a.1"); read the header ourselves.
    header = next(csv.reader(io.StringIO(text)), [])
    _check_column_names(path, header)
    try:
        return pd.read_csv(io.StringIO(text), low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataError(f"{path.name} is not a readable CSV file: {error}") from None


def _read_parquet(path: Path, raw: bytes) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(raw))
    except Exception as error:  # pyarrow raises many types for corrupt files
        raise DataError(f"{path.name} is not a readable Parquet file: {error}") from None


def _check_column_names(path: Path, names: list) -> None:
    non_text = [n for n in names if not isinstance(n, str)]
    if non_text:
        raise DataError(
            f"{path.name}: column names must be text, got {non_text[0]!r}; "
            "give every column a text header."
        )
    seen, duplicates = set(), []
    for name in names:
        if name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        listed = ", ".join(repr(n) for n in duplicates[:5])
        raise DataError(
            f"{path.name}: duplicate column names {listed}; rename them so every column "
            "has a unique name."
        )


def check_training_frame(frame: pd.DataFrame, label: str, task: str) -> None:
    """Raise DataError for a frame no model can be trained on."""
    if len(frame.columns) == 0:
        raise DataError("the data has no columns; give a table with a header row.")
    if frame.columns.duplicated().any():
        name = frame.columns[frame.columns.duplicated()][0]
        raise DataError(f"duplicate column name {name!r}; rename the duplicates.")
    with_nul = [name for name in frame.columns if isinstance(name, str) and "\x00" in name]
    if with_nul:
        raise DataError(
            f"column name {with_nul[0]!r} contains a NUL character, which numpy drops from "
            "column selections; rename the column."
        )
    if label not in frame.columns:
        close = difflib.get_close_matches(label, [str(c) for c in frame.columns], n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise DataError(
            f"label column {label!r} is not in the data.{hint} "
            f"Columns: {', '.join(repr(c) for c in list(frame.columns)[:20])}."
        )
    if len(frame) == 0:
        raise DataError("the data has a header but no rows; give at least a few rows of data.")
    labelled = frame[label].notna()
    if not labelled.any():
        raise DataError(f"label column {label!r} has no values; every row is missing its label.")
    if labelled.sum() < MIN_LABELLED_ROWS:
        raise DataError(
            f"only {int(labelled.sum())} row(s) have a label; AutoML needs at least "
            f"{MIN_LABELLED_ROWS} labelled rows to train and validate a model."
        )
    if len(frame.columns) == 1:
        raise DataError(f"the data has only the label column {label!r}; add feature columns.")
    y = frame.loc[labelled, label]
    if task == "classification":
        counts = y.value_counts()
        if len(counts) < 2:
            raise DataError(
                f"label column {label!r} has a single class ({counts.index[0]!r}); "
                "classification needs at least two classes."
            )
    else:
        if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
            raise DataError(
                f"label column {label!r} is not numeric ({y.dtype}); regression needs a numeric "
                "label. Use --task classification for categories."
            )
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column) and np.isinf(column.to_numpy()).any():
            rows = np.flatnonzero(np.isinf(column.to_numpy()))[:3].tolist()
            raise DataError(
                f"column {name!r} holds infinite values (rows {rows}); replace them with "
                "missing values or finite numbers."
            )


def check_class_counts(y: pd.Series, folds: int) -> int:
    """Folds that stratified cross-validation can use; lowers them for rare classes.

    A class with fewer rows than folds cannot appear in every validation fold, so the folds
    drop to the smallest class count (documented fallback); a class with a single row is an
    error since it can never be both trained on and validated.
    """
    counts = y.value_counts()
    rarest, rarest_count = counts.index[-1], int(counts.iloc[-1])
    if rarest_count < 2:
        raise DataError(
            f"class {rarest!r} of the label has only {rarest_count} row; every class needs at "
            "least 2 rows. Remove or merge the rare classes."
        )
    return min(folds, rarest_count)

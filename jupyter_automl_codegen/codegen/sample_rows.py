"""``test_rows.csv``: a few rows of the run's data snapshot, for the notebook's last step.

``script_run_notebook.ipynb`` ends by scoring a file named in one variable, ``TEST_DATA``;
these rows are its default, so the step runs as generated. The file is data, never code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TEST_ROWS = "test_rows.csv"
SAMPLE_SIZE = 5


def test_rows_csv(data_path: str | None) -> str | None:
    """The first rows of the snapshot (label included) as CSV; None without a snapshot."""
    if not data_path or not Path(data_path).is_file():
        return None
    import pyarrow.parquet as pq

    try:
        batch = next(pq.ParquetFile(data_path).iter_batches(batch_size=SAMPLE_SIZE), None)
    except (OSError, ValueError):  # not a readable Parquet file: no sample, no failure
        return None
    if batch is None:
        return None
    rows: pd.DataFrame = batch.to_pandas().head(SAMPLE_SIZE)
    return rows.to_csv(index=False, lineterminator="\n")

"""The public way to get training code: for a stored run, or for your own estimator.

>>> generate_training_code("AutoML_<hex>_3", "code/")                      # doctest: +SKIP
>>> generate_training_code(my_pipeline, "code/", training_data=df, label="y")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from sklearn.base import is_classifier
from sklearn.pipeline import Pipeline

from .automl.preparation import prepare_training_data
from .automl.validation import choose_scheme
from .automl.versions import library_versions
from .codegen import CodegenContext, CodegenError, generate_code
from .errors import DataError
from .spec import SpecError, to_spec
from .store import RunStore, as_run_store
from .stored_code import generate_run_code

USER_DATA_FILE = "training_data.parquet"


def generate_training_code(
    source,
    out_dir: str | Path,
    *,
    store: RunStore | str | Path | None = None,
    training_data: pd.DataFrame | None = None,
    label: str | None = None,
    seed: int = 0,
    experiment_name: str | None = None,
) -> dict[str, Path]:
    """Write the training-code folder of a run id, or of an unfitted scikit-learn estimator.

    The folder holds ``script.py``, ``training_code.ipynb``, ``script_run_notebook.ipynb``,
    ``requirements.txt`` and, for classification and regression, ``score.py`` and
    ``test_rows.csv`` (the first rows of the data). For an estimator, the
    frame is saved beside the code as ``training_data.parquet`` and the script validates
    with the scheme AutoML would choose for that many rows.

    Parameters
    ----------
    source : str or estimator
        The id of a completed child run in the store, or an unfitted scikit-learn
        estimator (a Pipeline or a single estimator, LightGBM and XGBoost parts included).
    out_dir : str or Path
        The folder to write into; created if missing, files of the same names replaced.
    store : RunStore, str, Path or None, optional
        The run store (or its directory) that holds the run; None for the default store.
        Used only with a run id.
    training_data : pandas.DataFrame or None, optional
        The data to train an estimator on, label column included. Required with an
        estimator.
    label : str or None, optional
        The label column of ``training_data``. Required with an estimator.
    seed : int, default 0
        The seed of the validation split the script makes for an estimator.
    experiment_name : str or None, optional
        A name written in the script's header for an estimator.

    Returns
    -------
    dict of str to Path
        The written files' paths, by file name.

    Raises
    ------
    DataError
        An estimator without ``training_data`` and ``label``, or a label that is not a
        column of ``training_data``.
    CodegenError
        An estimator or a run whose pipeline cannot be written as code.
    StoreError
        A run id that is not valid, not in the store, or not a completed child run.
    """
    if isinstance(source, str):
        run_store = as_run_store(store)
        return generate_run_code(run_store, source, out_dir)
    if training_data is None or label is None:
        raise DataError("give training_data and label to generate code for an estimator.")
    if label not in training_data.columns:
        raise DataError(f"label column {label!r} is not in training_data.")
    pipeline = source if isinstance(source, Pipeline) else Pipeline([("model", source)])
    try:
        spec = to_spec(pipeline)
    except SpecError as error:
        raise CodegenError(f"the estimator cannot be written as code: {error}") from None
    task = "classification" if is_classifier(pipeline) else "regression"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data_path = out_dir / USER_DATA_FILE
    training_data.to_parquet(data_path, index=False)
    labelled = training_data[training_data[label].notna()]
    classes = None
    if task == "classification":
        _, _, found = prepare_training_data(labelled, label, task)
        classes = tuple(c.item() if hasattr(c, "item") else c for c in found)
    scheme = choose_scheme(task, len(labelled), seed)
    context = CodegenContext(
        pipeline_spec=spec,
        task=task,
        label=label,
        validation=scheme.to_dict(),
        validation_description=scheme.describe(),
        data_path=str(data_path.resolve()),
        data_sha256=hashlib.sha256(data_path.read_bytes()).hexdigest(),
        feature_columns=tuple(c for c in training_data.columns if c != label),
        classes=classes,
        experiment_name=experiment_name,
        algorithm=type(pipeline.steps[-1][1]).__name__,
        versions=library_versions(spec),
    )
    return generate_code(context, out_dir)

"""Recording a finished trial (or ensemble) into the run store: its metrics, its model's
library versions, its validation predictions when the ensembles may need them, and its
generated code; or why it failed.
"""

from __future__ import annotations

from ..codegen import CodegenError
from ..stored_code import generate_run_code
from .metrics import loss, ranking_value
from .trial import TrialResult, timeout_message
from .versions import library_versions


def trial_result(future, elapsed: float | None = None, limit: float | None = None) -> TrialResult:
    """A finished task's result; a worker process that died gives a failed result (a timed
    out one when it died past the trial's time limit: the worker ended itself)."""
    try:
        return future.result()
    except Exception as error:  # the worker process died (crash, out of memory, time limit)
        if limit is not None and elapsed is not None and elapsed >= limit:
            return TrialResult("", error=timeout_message(limit))
        error_text = f"the worker process ended: {type(error).__name__}: {error}"
        if "SIGSEGV" in error_text or "-11" in error_text:
            error_text += " (segmentation fault)"
        return TrialResult("", error=error_text)


def record_result(
    run_store,
    run_id,
    result: TrialResult,
    config,
    compute: str,
    validation=(None, None),
    keep_predictions=None,
) -> float | None:
    """Store a finished trial; return its loss, or None when it failed. ``validation``: the
    labels of every split's validation rows, pooled, the number of classes and, in a weighted
    experiment, the pooled rows' sample weights.
    ``keep_predictions(loss)``: whether to keep the trial's validation predictions (for the
    ensembles of a resumed experiment); they are kept before the run is completed, so a
    completed candidate always has them."""
    if result.error is not None:
        if result.worker:
            run_store.update_properties(run_id, worker=result.worker, compute=compute)
        run_store.fail_run(run_id, result.error, fit_time=result.fit_time)
        return None
    y_valid, n_classes, w_valid = (*validation, None)[:3]
    predictions = result.validation_predictions
    value = ranking_value(
        config.primary_metric, result.metrics, y_valid, predictions, n_classes, w_valid
    )
    spec = run_store.get_run(run_id).spec
    run_store.update_properties(run_id, worker=result.worker, compute=compute)
    trial_loss = None if value is None else loss(config.primary_metric, value)
    keep = keep_predictions is not None and predictions is not None and trial_loss is not None
    if keep and keep_predictions(trial_loss):
        run_store.save_validation_predictions(run_id, predictions)
    run_store.complete_run(
        run_id,
        metrics=result.metrics,
        primary_metric_value=value,
        fit_time=result.fit_time,
        score_time=result.score_time,
        model_bytes=result.model_bytes,
        versions=library_versions(spec),
    )
    if config.enable_code_generation:
        try:
            generate_run_code(run_store, run_id)
        except CodegenError as error:  # the model stays usable; say why its code is missing
            run_store.update_properties(run_id, code_generation_error=str(error))
    return trial_loss

"""Source of the stages that fit a tabular model, with the run's sample weights when it had
a weight column (see ``automl/weights.py``, which these lines repeat).

A pipeline takes the weights as its model step's fit parameter (``model__sample_weight``);
an ensemble of pipelines takes them through scikit-learn's metadata routing, with each
member's model and the stack's meta learner requesting them (``request_sample_weights``).
"""

from __future__ import annotations

from .context import CodegenContext
from .imports import Imports
from .source import Stage, literal

# The name of every member pipeline's model step (the engine's pipelines end with it).
MODEL_STEP = "model"

_REQUEST = '''
def request_sample_weights(ensemble):
    """Route the sample weights to each member's model and to the meta learner only, as the
    AutoML run weighted them (not the featurization or the scaler)."""
    for name, estimator in ensemble.get_params().items():
        if hasattr(estimator, "set_fit_request") and has_fit_parameter(
            estimator, "sample_weight"
        ):
            to_model = name == "final_estimator" or name.split("__")[1:2] == [{model}]
            estimator.set_fit_request(sample_weight=to_model)
'''


def fitting_stages(context: CodegenContext, imports: Imports) -> list:
    """``request_sample_weights`` (weighted ensembles only) and ``train_model``."""
    if context.weight_column is None:
        return [
            Stage(
                "train_model",
                "Training",
                "Fits a fresh pipeline on the given rows (the run had no sample weights).",
                "def train_model(X, y, sample_weights):\n"
                '    """Fit a new pipeline on the given rows (unweighted, as the run was)."""\n'
                "    model = build_model_pipeline()\n    model.fit(X, y)\n    return model",
            )
        ]
    if not context.is_ensemble:
        step = context.pipeline_spec["params"]["steps"][-1]["__tuple__"][0]
        parameter = f"{step}__sample_weight"
        code = (
            "def train_model(X, y, sample_weights):\n"
            '    """Fit a new pipeline on the given rows, weighting them for the model."""\n'
            "    model = build_model_pipeline()\n"
            f"    model.fit(X, y, {parameter}=sample_weights)\n"
            "    return model"
        )
        explanation = (
            "Fits a fresh pipeline on the given rows; the sample weights go to the model "
            f"step (`{parameter}`), the featurization and the scaler are fitted unweighted, "
            "as in the AutoML run."
        )
        return [Stage("train_model", "Training", explanation, code)]
    imports.name("sklearn", "config_context")
    imports.name("sklearn.utils.validation", "has_fit_parameter")
    request = Stage(
        "request_sample_weights",
        "Sample weight routing",
        "scikit-learn's ensembles pass `sample_weight` to their members unprefixed, which a "
        "Pipeline accepts only through metadata routing: each member's model (and the "
        "stack's meta learner) requests the weights, every other step declines them.",
        _REQUEST.strip().replace("{model}", literal(MODEL_STEP)),
    )
    code = (
        "def train_model(X, y, sample_weights):\n"
        '    """Fit a new ensemble on the given rows, weighting them for every model."""\n'
        "    model = build_model_pipeline()\n"
        "    with config_context(enable_metadata_routing=True):\n"
        "        request_sample_weights(model)\n"
        "        model.fit(X, y, sample_weight=sample_weights)\n"
        "    return model"
    )
    train = Stage(
        "train_model",
        "Training",
        "Fits a fresh ensemble on the given rows with metadata routing enabled, so the sample "
        "weights reach each member's model and the meta learner.",
        code,
    )
    return [request, train]


def split_rows(context: CodegenContext) -> str:
    """One split's rows, as ``split_dataset`` returns them: features, labels and weights of
    the training rows and of the validation rows."""
    weights = (
        "sample_weights[train], sample_weights[valid]"
        if context.weight_column is not None
        else "None, None"
    )
    return f"(X.iloc[train], X.iloc[valid], y[train], y[valid], {weights})"

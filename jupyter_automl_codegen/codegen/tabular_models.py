"""Model stages of a tabular script: the preprocessor, the algorithm and the Pipeline that
joins them to the featurization, or each member of an ensemble and the ensemble itself."""

from __future__ import annotations

import ast

from .errors import CodegenError
from .source import Stage, call_node, literal
from .tabular_featurization import featurization_stages


def model_stages(context, constants, renderer) -> list[Stage]:
    """Featurization, preprocessor, algorithm and pipeline stages of a single pipeline."""
    steps = _pipeline_steps(context.pipeline_spec)
    featurizer, middle = _split_steps(steps)
    stages = _shared_featurization(context, featurizer, constants, renderer)
    if middle:
        stages.append(_preprocessor_stage(middle, renderer))
    stages.append(_algorithm_stage(context, steps[-1], renderer))
    pipeline = _pipeline_source(context.pipeline_spec, steps, featurizer, middle, renderer)
    stages.append(
        Stage(
            "build_model_pipeline",
            "Pipeline",
            "The featurization, preprocessing and algorithm in one scikit-learn Pipeline, so "
            "the saved model predicts from raw columns.",
            "def build_model_pipeline():\n"
            '    """Featurization, preprocessing and the algorithm as one Pipeline."""\n'
            f"    return {pipeline}",
        )
    )
    return stages


def _split_steps(steps):
    """``(featurization step or None, steps between it and the model)``."""
    featurizer = steps[0] if _is_column_transformer(steps[0][1]) else None
    return featurizer, steps[1 if featurizer else 0 : -1]


def _shared_featurization(context, featurizer, constants, renderer) -> list[Stage]:
    if featurizer is None:
        return []
    group_stages, transformation = featurization_stages(context, featurizer, constants, renderer)
    return [*group_stages, transformation]


def ensemble_stages(context, constants, renderer) -> list[Stage]:
    """One featurization shared by the members, then each member's preprocessor and
    algorithm (``_N`` functions), the stacking meta learner, and the ensemble itself."""
    spec = context.pipeline_spec
    members = _ensemble_members(spec)
    member_steps = [_pipeline_steps(member) for _, member in members]
    featurizers = [_split_steps(steps)[0] for steps in member_steps]
    if any(featurizer != featurizers[0] for featurizer in featurizers):
        raise CodegenError(
            "the members of an ensemble must share one featurization step (same name and "
            "spec) to be written as code"
        )
    stages = _shared_featurization(context, featurizers[0], constants, renderer)
    entries = []
    for index, ((name, member), steps) in enumerate(zip(members, member_steps, strict=True)):
        featurizer, middle = _split_steps(steps)
        about = _member_text(context, index)
        if middle:
            stages.append(_preprocessor_stage(middle, renderer, index, about))
        stages.append(_algorithm_stage(context, steps[-1], renderer, index, about))
        pipeline = _pipeline_source(member, steps, featurizer, middle, renderer, index)
        entries.append(f"({literal(name)}, {pipeline})")
    meta = spec["params"].get("final_estimator")
    if meta is not None:
        stages.append(_meta_learner_stage(meta, renderer))
    stages.append(_ensemble_pipeline_stage(context, entries, renderer))
    return stages


def _ensemble_members(spec: dict) -> list[tuple[str, dict]]:
    estimators = spec["params"].get("estimators")
    if not isinstance(estimators, list) or not estimators:
        raise CodegenError("the ensemble spec has no members")
    members = []
    for item in estimators:
        if not (isinstance(item, dict) and "__tuple__" in item and len(item["__tuple__"]) == 2):
            raise CodegenError("each ensemble member must be a (name, pipeline) pair")
        name, member = item["__tuple__"]
        if not (isinstance(name, str) and isinstance(member, dict)):
            raise CodegenError(f"ensemble member {name!r} must be a named pipeline")
        if member.get("class") != "sklearn.pipeline.Pipeline":
            raise CodegenError(f"ensemble member {name!r} must be a sklearn Pipeline")
        members.append((name, member))
    return members


def _member_text(context, index: int) -> str:
    """Which trial member ``index`` comes from, and its weight, as plain text."""
    if index >= len(context.members):
        return f"Member {index} of the ensemble."
    member = context.members[index]
    text = (
        f"Member {index} of the ensemble is run {member.get('run_id')} ({member.get('algorithm')})"
    )
    if member.get("weight") is not None:
        total = sum(m.get("weight") or 0 for m in context.members)
        text += f", with weight {member['weight']} of {total}"
    return text + "."


def _preprocessor_stage(middle, renderer, member=None, about="") -> Stage:
    if len(middle) == 1:
        expression = ast.unparse(renderer.estimator(middle[0][1]))
    else:
        pipeline = renderer.class_name("sklearn.pipeline.Pipeline")
        steps = ", ".join(
            f"({literal(name)}, {ast.unparse(renderer.estimator(spec))})" for name, spec in middle
        )
        expression = f"{pipeline}([{steps}])"
    suffix = "" if member is None else f"_{member}"
    whose = "the algorithm" if member is None else f"the algorithm of member {member}"
    return Stage(
        f"generate_preprocessor_config{suffix}",
        "Preprocessor" if member is None else f"Member {member}: preprocessor",
        f"{about} AutoML scales the features before {whose}, which is sensitive to their "
        "ranges; the scaler was chosen by the search.".lstrip(),
        f"def generate_preprocessor_config{suffix}():\n"
        f'    """The scaler applied to the features before {whose}."""\n'
        f"    return {expression}",
    )


def _algorithm_stage(context, model_step, renderer, member=None, about="") -> Stage:
    _, spec = model_step
    expression = ast.unparse(renderer.estimator(spec))
    suffix = "" if member is None else f"_{member}"
    algorithm = context.algorithm if member is None else ""
    whose = "The estimator" if member is None else f"The estimator of member {member}"
    return Stage(
        f"generate_algorithm_config{suffix}",
        "Algorithm" if member is None else f"Member {member}: algorithm",
        f"{about} The algorithm the search chose ({algorithm or spec['class']}) with every "
        "hyperparameter that differs from the library's default; the seed and the thread "
        "count are fixed so the result repeats exactly.".lstrip(),
        f"def generate_algorithm_config{suffix}():\n"
        f'    """{whose} with the hyperparameters the AutoML search chose."""\n'
        f"    return {expression}",
    )


def _meta_learner_stage(meta, renderer) -> Stage:
    expression = ast.unparse(renderer.estimator(meta))
    return Stage(
        "generate_algorithm_config_meta",
        "Stacking meta learner",
        "The meta learner of the stack: a simple linear model trained on the members' "
        "out-of-fold predictions (scikit-learn's stacking makes them with an inner "
        "cross-validation), so it learns how much to trust each member.",
        "def generate_algorithm_config_meta():\n"
        '    """The meta learner that combines the members\' predictions."""\n'
        f"    return {expression}",
    )


def _pipeline_source(spec, steps, featurizer, middle, renderer, member=None) -> str:
    """``Pipeline(steps=[...])`` calling the stage functions (``_N`` ones for a member)."""
    pipeline = renderer.class_name("sklearn.pipeline.Pipeline")
    suffix = "" if member is None else f"_{member}"
    entries = []
    if featurizer is not None:
        entries.append(f"({literal(featurizer[0])}, generate_data_transformation_config())")
    if middle:
        entries.append(f"({literal(middle[0][0])}, generate_preprocessor_config{suffix}())")
        if len(middle) > 1:
            raise CodegenError("only one preprocessor step between featurization and model")
    entries.append(f"({literal(steps[-1][0])}, generate_algorithm_config{suffix}())")
    other = {k: v for k, v in spec["params"].items() if k != "steps"}
    call = renderer.estimator({"class": "sklearn.pipeline.Pipeline", "params": other})
    extra = "".join(f", {ast.unparse(k)}" for k in call.keywords)
    return f"{pipeline}(steps=[{', '.join(entries)}]{extra})"


def _ensemble_pipeline_stage(context, entries, renderer) -> Stage:
    """``build_model_pipeline``: the member pipelines and the ensemble that combines them."""
    spec = context.pipeline_spec
    stacking = "final_estimator" in spec["params"]
    rest = {k: v for k, v in spec["params"].items() if k not in ("estimators", "final_estimator")}
    call = renderer.estimator({"class": spec["class"], "params": rest})
    call.keywords.insert(0, ast.keyword("estimators", ast.Name("members", ast.Load())))
    if spec["params"].get("final_estimator") is not None:
        meta = call_node("generate_algorithm_config_meta")
        call.keywords.insert(1, ast.keyword("final_estimator", meta))
    if stacking:
        doc = "The members, each a whole pipeline, stacked under the meta learner."
        combined = (
            "scikit-learn's stacking fits the meta learner on their out-of-fold predictions, "
            "then refits every member on all rows."
        )
    else:
        doc = "The members, each a whole pipeline, averaged with integer weights."
        combined = (
            "the ensemble averages their predictions (class probabilities for classification) "
            "with the integer weights greedy ensemble selection gave them."
        )
    code = (
        "def build_model_pipeline():\n"
        f'    """{doc}"""\n'
        f"    members = [{', '.join(entries)}]\n"
        f"    return {ast.unparse(call)}"
    )
    explanation = (
        "Each member is a whole pipeline (the shared featurization, its scaler, its "
        f"algorithm); {combined}"
    )
    return Stage("build_model_pipeline", "Ensemble", explanation, code)


def _pipeline_steps(spec: dict) -> list[tuple[str, dict]]:
    steps = spec["params"].get("steps")
    if not isinstance(steps, list) or not steps:
        raise CodegenError("the pipeline spec has no steps")
    result = []
    for step in steps:
        if not (isinstance(step, dict) and "__tuple__" in step and len(step["__tuple__"]) == 2):
            raise CodegenError("each pipeline step must be a (name, estimator) pair")
        name, estimator = step["__tuple__"]
        if not isinstance(name, str) or not isinstance(estimator, dict):
            raise CodegenError(f"pipeline step {name!r} must be a named estimator")
        result.append((name, estimator))
    return result


def _is_column_transformer(spec: dict) -> bool:
    return spec.get("class") == "sklearn.compose.ColumnTransformer"

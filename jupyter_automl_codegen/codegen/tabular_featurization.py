"""Featurization stages of a tabular script: one function per column group, then the
ColumnTransformer that applies each group's transformer to its columns."""

from __future__ import annotations

import ast
import re

from .errors import CodegenError
from .source import Stage, call_node


def featurization_stages(context, featurizer, constants, renderer):
    """The stage of each column group's transformer, and the ColumnTransformer's stage."""
    _, spec = featurizer
    transformers = spec["params"].get("transformers")
    if not isinstance(transformers, list):
        raise CodegenError("the ColumnTransformer's transformers must be a list")
    stages, functions = [], {}  # function name -> transformer spec
    rows = []  # (transformer name, function name or literal, selector node)
    for index, item in enumerate(transformers):
        name, transformer, columns = _transformer_tuple(item)
        if isinstance(transformer, str):  # "drop" / "passthrough"
            rows.append((name, ast.Constant(transformer), columns))
            continue
        function = _function_name(name, index)
        while function in functions and functions[function] != transformer:
            function = f"{function[: -len('_transformer')]}_{index}_transformer"
        if function not in functions:
            functions[function] = transformer
            group = re.sub(r"_\d+$", "", name)
            explanation = context.group_descriptions.get(name) or _generic_explanation(group)
            stages.append(
                Stage(
                    function,
                    f"Featurization: {group.replace('_', ' ')} columns",
                    explanation,
                    f"def {function}():\n"
                    f'    """The transformer of the {_docstring_group(group)} column group."""\n'
                    f"    return {ast.unparse(renderer.estimator(transformer))}",
                ),
            )
        rows.append((name, call_node(function), columns))

    transformers_node = _transformers_node(rows, constants, renderer)
    rest = {
        "class": spec["class"],
        "params": {k: v for k, v in spec["params"].items() if k != "transformers"},
    }
    call = renderer.estimator(rest)
    call.keywords.insert(0, ast.keyword("transformers", transformers_node))
    code = (
        "def generate_data_transformation_config():\n"
        '    """One transformer per group of columns that AutoML treats alike."""\n'
        f"    return {ast.unparse(call)}"
    )
    transformation = Stage(
        "generate_data_transformation_config",
        "Featurization",
        "A ColumnTransformer applies each group's transformer to its columns and joins "
        "the results; columns not listed (dropped by AutoML) are left out.",
        code,
    )
    return stages, transformation


def _transformers_node(rows, constants, renderer) -> ast.expr:
    """The ``transformers`` list; runs of per-column (date, text) transformers become a
    comprehension, joined to the literal entries around it with ``+``."""
    parts = []  # list displays and comprehensions, in the order of the transformers
    entries = []
    index = 0
    while index < len(rows):
        name, function_node, columns = rows[index]
        run = _per_column_run(rows, index, constants)
        if run is None:
            selector = _selector_node(columns, constants, renderer)
            entries.append(ast.Tuple([ast.Constant(name), function_node, selector], ast.Load()))
            index += 1
            continue
        if entries:
            parts.append(ast.List(entries, ast.Load()))
            entries = []
        constant, base, length, function, selector = run
        template = (
            f'[(f"{base}_{{i}}", {function}(), {selector}) for i, column in enumerate({constant})]'
        )
        parts.append(ast.parse(template, mode="eval").body)
        index += length
    if entries or not parts:
        parts.append(ast.List(entries, ast.Load()))
    node = parts[0]
    for part in parts[1:]:
        node = ast.BinOp(node, ast.Add(), part)
    return node


def _per_column_run(rows, start, constants):
    """A run ``base_0 .. base_k`` of one function over each column of one constant, each
    selected as a one-column frame (``[column]``) or, for one-column steps, by name."""
    for constant, columns in constants.items():
        length = len(columns)
        if length < 1 or start + length > len(rows):
            continue
        window = rows[start : start + length]
        base = re.sub(r"_\d+$", "", window[0][0])
        if not base.isidentifier() or not base.isascii():
            continue
        expected = [f"{base}_{i}" for i in range(length)]
        functions = {ast.unparse(row[1]) for row in window}
        if not (
            [row[0] for row in window] == expected
            and len(functions) == 1
            and all(isinstance(f, ast.Call) for _, f, _ in window)
        ):
            continue
        selectors = [row[2] for row in window]
        for selector, form in (([[c] for c in columns], "[column]"), (columns, "column")):
            if selectors == selector:
                return constant, base, length, ast.unparse(window[0][1].func), form
    return None


def _selector_node(columns, constants, renderer) -> ast.expr:
    for constant, values in constants.items():
        if columns == values:
            return ast.Name(constant, ast.Load())
    return renderer.node(columns)


def _transformer_tuple(item):
    if not (isinstance(item, dict) and "__tuple__" in item and len(item["__tuple__"]) == 3):
        raise CodegenError("each ColumnTransformer entry must be (name, transformer, columns)")
    name, transformer, columns = item["__tuple__"]
    if not isinstance(name, str):
        raise CodegenError(f"transformer name {name!r} must be text")
    for column in columns if isinstance(columns, list) else ():
        if isinstance(column, str) and column.endswith("\x00"):
            # numpy drops trailing NULs from str arrays, so ColumnTransformer would look for
            # another column and the script would fail: refuse rather than write it.
            raise CodegenError(
                f"column name {column!r} ends with a NUL character, which scikit-learn's "
                "ColumnTransformer cannot select; rename the column."
            )
    return name, transformer, columns


def _function_name(name: str, index: int) -> str:
    group = re.sub(r"_\d+$", "", name)
    ident = re.sub(r"[^0-9a-zA-Z_]", "_", group).strip("_").lower()
    if not ident or not ident.isascii() or not ident.isidentifier() or ident[0].isdigit():
        ident = f"group_{index}"
    return f"get_{ident}_transformer"


def _docstring_group(group: str) -> str:
    text = re.sub(r"[^0-9a-zA-Z_ ]", "", group.replace("_", " ")).strip()
    return text or "unnamed"


def _generic_explanation(group: str) -> str:
    return f"The transformer AutoML applies to the {_docstring_group(group)} columns."

"""Spec values -> Python expressions, built as an AST so that no data can become code.

Every value of a spec is turned into an ``ast`` node and written with ``ast.unparse``: strings
become ``repr`` literals (quotes, backslashes, newlines, NUL, U+2028 and bidi controls are all
escaped), numbers become exact literals, and a value that cannot be written exactly is a
``CodegenError``. Constructors show only the arguments that differ from the class defaults.
"""

from __future__ import annotations

import ast
import functools
import inspect
import math

from ..spec import SpecError, encode_value, import_object
from .errors import CodegenError
from .imports import Imports

_NONFINITE = {"nan": "nan", "inf": "inf", "-inf": "-inf"}


class Renderer:
    """Renders spec values, collecting the imports the rendered code needs."""

    def __init__(self, imports: Imports | None = None):
        self.imports = imports or Imports()

    # --- public -----------------------------------------------------------------------------

    def source(self, value) -> str:
        """Python source of an encoded spec value (an estimator spec included)."""
        return ast.unparse(self.node(value))

    def node(self, value) -> ast.expr:
        if value is None or isinstance(value, (bool, int, str)):
            return ast.Constant(value)
        if isinstance(value, float):
            return self._float(value)
        if isinstance(value, list):
            return ast.List([self.node(v) for v in value], ast.Load())
        if isinstance(value, dict):
            if set(value) == {"class", "params"}:
                return self.estimator(value)
            return self._tagged(value)
        raise CodegenError(f"cannot write {value!r} ({type(value).__name__}) as a literal")

    def estimator(self, spec: dict, *, all_params: bool = False) -> ast.Call:
        """``Class(arg=value, ...)`` with the arguments that differ from the defaults."""
        name = self.class_name(spec["class"])
        defaults = _defaults(spec["class"])
        keywords = []
        for param, value in spec["params"].items():
            if not all_params and param in defaults and _equal(value, defaults[param]):
                continue
            keywords.append(ast.keyword(param, self.node(value)))
        return ast.Call(ast.Name(name, ast.Load()), [], keywords)

    def class_name(self, path: str) -> str:
        """Import a class (or function) by its public path and return the name to use."""
        try:
            import_object(path)  # the spec's allowlist: nothing else reaches the code
        except SpecError as error:
            raise CodegenError(str(error)) from None
        module, _, name = path.rpartition(".")
        if module == "builtins":
            return name
        top, _, rest = path.partition(".")
        if top in ("numpy", "pandas") and (module == top or top == "pandas"):
            return f"{self.imports.module(top)}.{rest}"  # np.ravel, pd.DataFrame.astype
        return self.imports.name(module, name)

    # --- values -----------------------------------------------------------------------------

    def _float(self, value: float) -> ast.expr:
        if math.isfinite(value):
            if float(repr(value)) != value:  # pragma: no cover - repr round-trips floats
                raise CodegenError(f"float {value!r} has no exact literal")
            return ast.Constant(value)
        text = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return _call("float", [ast.Constant(text)])

    def _tagged(self, value: dict) -> ast.expr:
        (tag,) = [key for key in value if key.startswith("__")]
        body = value[tag]
        if tag == "__float__":
            if body not in _NONFINITE:
                raise CodegenError(f"unknown non-finite float {body!r}")
            return _call("float", [ast.Constant(body)])
        if tag == "__tuple__":
            return ast.Tuple([self.node(v) for v in body], ast.Load())
        if tag == "__dict__":
            return ast.Dict([self.node(k) for k, _ in body], [self.node(v) for _, v in body])
        if tag == "__numpy__":
            np_name = self.imports.module("numpy")
            return _call(f"{np_name}.{_dtype_name(body)}", [self.node(value["value"])])
        if tag == "__type__":
            return ast.Name(self.class_name(body), ast.Load())
        if tag == "__callable__":
            return ast.Name(self.class_name(body), ast.Load())
        if tag == "__dtype__":
            np_name = self.imports.module("numpy")
            return _call(f"{np_name}.dtype", [ast.Constant(_dtype_name(body))])
        if tag == "__ndarray__":
            np_name = self.imports.module("numpy")
            return ast.Call(
                ast.Name(f"{np_name}.array", ast.Load()),
                [self.node(body)],
                [ast.keyword("dtype", ast.Constant(_dtype_name(value["dtype"])))],
            )
        raise CodegenError(f"unknown spec tag {tag!r}")


def _call(function: str, args: list[ast.expr]) -> ast.Call:
    return ast.Call(ast.Name(function, ast.Load()), args, [])


def _dtype_name(name: str) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise CodegenError(f"{name!r} is not a numpy dtype name")
    return name


@functools.cache
def _defaults(path: str) -> dict:
    """Constructor defaults of a class, encoded the way specs encode values.

    A class that builds without arguments reports its defaults through ``get_params`` (this
    covers XGBoost, whose constructor takes ``**kwargs``); others through their signature.
    """
    cls = import_object(path)
    try:
        return {
            name: encode_value(value, name) for name, value in cls().get_params(deep=False).items()
        }
    except Exception:  # needs arguments (Pipeline, ColumnTransformer, ...) or has odd defaults
        pass
    defaults = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if parameter.default is inspect.Parameter.empty:
            continue
        try:
            defaults[name] = encode_value(parameter.default, name)
        except Exception:  # a default with no spec form is simply always written out
            continue
    return defaults


def _equal(a, b) -> bool:
    return a == b and type(a) is type(b)

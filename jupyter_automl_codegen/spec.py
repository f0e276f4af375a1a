"""Plain-JSON specs of estimator trees, and the way back.

The spec is the single source of truth about a pipeline: the search, the store and the code
generator all read it. So it has to be *exact* (decoding gives back equal parameters, checked
by default), *plain JSON* (it is written to files) and *safe to read* (a spec from a file can
only name classes and functions of an allowlist of packages, so it can never import an
arbitrary module). Values without an exact representation are refused, never guessed.

A spec is ``{"class": "<public import path>", "params": {name: encoded value}}``. Values that
JSON cannot hold as they are become one-key objects: ``{"__float__": "nan"}``,
``{"__numpy__": "int64", "value": 3}``, ``{"__tuple__": [...]}``,
``{"__dict__": [[key, value], ...]}``, ``{"__type__": "numpy.float64"}``,
``{"__dtype__": "float64"}``, ``{"__callable__": "numpy.ravel"}`` (or one of the few pandas
``DataFrame`` methods that cast columns inside a pipeline, ``"pandas.DataFrame.astype"``) and
``{"__ndarray__": [...], "dtype": "float64"}``. Python dicts are always written as
``__dict__``, so every JSON object in a spec is either an estimator or one of these tags.

This module deliberately imports nothing from the rest of the package.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import sys

import numpy as np

__all__ = [
    "SpecError",
    "class_path",
    "encode_value",
    "from_spec",
    "import_class",
    "import_object",
    "to_spec",
]

ALLOWED_PACKAGES = (
    "sklearn",
    "lightgbm",
    "xgboost",
    "numpy",
    "scipy",
    "mlforecast",
    "statsforecast",
    "skrub",
)
# Methods of ``pandas.DataFrame`` a spec may name (column casts in a ``FunctionTransformer``),
# under their public path: their own module is pandas' private ``core.generic``, and the rest
# of pandas (``eval``, ``read_pickle``) must stay out of reach.
DATAFRAME_METHODS = ("astype", "fillna")
_DATAFRAME_PATHS = {f"pandas.DataFrame.{name}": name for name in DATAFRAME_METHODS}

# ``dtype=float`` is common and harmless; the rest of ``builtins`` (eval, exec, open,
# __import__) must never be reachable from a spec, so only these types are allowed.
_BUILTIN_TYPES = {f"builtins.{t.__name__}": t for t in (bool, int, float, str)}
# numpy ufuncs of scipy carry no ``__module__``; their public home is looked up here.
_UFUNC_MODULES = ("numpy", "scipy.special")
# Numeric and bool dtype kinds: the ones whose values JSON numbers represent exactly.
_NUMERIC_KINDS = "biuf"
# tag -> the other keys that object must have.
_TAGS = {
    "__float__": (),
    "__numpy__": ("value",),
    "__tuple__": (),
    "__dict__": (),
    "__type__": (),
    "__dtype__": (),
    "__callable__": (),
    "__ndarray__": ("dtype",),
}
_NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

_ALLOWED_TEXT = (
    f"the packages {', '.join(ALLOWED_PACKAGES)}, the pandas.DataFrame methods "
    f"{', '.join(DATAFRAME_METHODS)} or the builtin types bool, int, float, str"
)
_ACCEPTED = (
    "None, bool, int, str, float (nan and +-inf included), numeric numpy scalars, lists, "
    "tuples, dicts, numeric numpy arrays, numpy dtypes, and estimators, classes and "
    f"module-level functions from {_ALLOWED_TEXT}"
)


class SpecError(ValueError):
    """A value, class or spec that has no exact, allowed spec representation."""


# --- allowlist and import paths ---------------------------------------------------------------


def _is_allowed(path: str) -> bool:
    """Whether a dotted module or object path lies inside the allowlist."""
    if path in _BUILTIN_TYPES or path in _DATAFRAME_PATHS:
        return True
    parts = path.split(".")
    # Dunder segments are refused: importing ``numpy.f2py.__main__`` would run a program.
    if not all(part.isidentifier() and not part.startswith("__") for part in parts):
        return False
    return parts[0] in ALLOWED_PACKAGES


def _where(path: str) -> str:
    return f"parameter '{path}'" if path else "the top level"


def _public_path(obj, path: str = "") -> str:
    """The shortest allowed import path from which ``obj`` itself is importable."""
    for builtin_path, builtin_type in _BUILTIN_TYPES.items():
        if obj is builtin_type:
            return builtin_path
    for method_path, method in _dataframe_methods().items():
        if obj is method:
            return method_path
    name = getattr(obj, "__name__", None)
    module = getattr(obj, "__module__", None)
    if not isinstance(name, str) or getattr(obj, "__qualname__", name) != name or "<" in name:
        kind = "lambdas" if name == "<lambda>" else "local, nested or unnamed objects"
        raise SpecError(
            f"Cannot write {obj!r:.200} at {_where(path)}: {kind} have no import path. "
            f"Expected a class or module-level function from {_ALLOWED_TEXT}."
        )
    if isinstance(module, str):
        parts = module.split(".")
        candidates = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    elif isinstance(obj, np.ufunc):
        candidates = list(_UFUNC_MODULES)
    else:
        candidates = []
    for prefix in candidates:
        if not _is_allowed(prefix):
            continue
        try:
            found = getattr(importlib.import_module(prefix), name, None)
        except (ImportError, AttributeError):
            continue
        if found is obj:
            return f"{prefix}.{name}"
    raise SpecError(
        f"Cannot write {obj!r:.200} (from module {module!r}) at {_where(path)}: it is not "
        f"importable under its own name from {_ALLOWED_TEXT}."
    )


def _dataframe_methods() -> dict:
    """The allowed ``pandas.DataFrame`` methods by path (none while pandas is not loaded: no
    object can then be one of them)."""
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return {}
    return {path: getattr(pandas.DataFrame, name) for path, name in _DATAFRAME_PATHS.items()}


def _import_object(path, where: str = ""):
    """Import an allowlisted object, checking where it really comes from too."""
    if not isinstance(path, str) or not _is_allowed(path) or "." not in path:
        raise SpecError(
            f"Cannot read {path!r:.200} at {_where(where)}: it is not allowed, classes and "
            f"functions must come from {_ALLOWED_TEXT}."
        )
    if path in _BUILTIN_TYPES:
        return _BUILTIN_TYPES[path]
    if path in _DATAFRAME_PATHS:
        importlib.import_module("pandas")
        return _dataframe_methods()[path]
    module_name, _, name = path.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise SpecError(f"Cannot read {path!r} at {_where(where)}: {exc}") from exc
    # The other direction: an allowed module may re-export something from elsewhere
    # (``from subprocess import Popen``), which must stay out.
    _public_path(obj, where)
    return obj


def class_path(cls) -> str:
    """The public import path of an allowed class, e.g. ``sklearn.linear_model.Ridge``."""
    if not isinstance(cls, type):
        raise SpecError(f"class_path expects a class, got {cls!r} of type {type(cls).__name__}.")
    return _public_path(cls)


def import_object(path: str):
    """Import an allowed class or function from its import path (the allowlist is checked)."""
    return _import_object(path)


def import_class(path: str) -> type:
    """Import an allowed class from its import path; the inverse of :func:`class_path`."""
    obj = _import_object(path)
    if not isinstance(obj, type):
        raise SpecError(f"{path!r} is {obj!r}, not a class.")
    return obj


# --- encoding ---------------------------------------------------------------------------------


def _item_paths(items, path: str) -> list[str]:
    """Paths of tuple items; ``(name, estimator, ...)`` tuples read ``steps[2].model``."""
    paths = [f"{path}[{i}]" for i in range(len(items))]
    if len(items) >= 2 and type(items[0]) is str:
        paths[1] = f"{path}.{items[0]}"
    return paths


def _numeric_dtype(name, path: str) -> np.dtype:
    try:
        dtype = np.dtype(name) if isinstance(name, str) else None
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind not in _NUMERIC_KINDS or dtype.name != name:
        raise SpecError(
            f"Cannot read the numpy dtype {name!r:.200} at {_where(path)}: expected the name "
            "of a bool, integer or float dtype such as 'float64'."
        )
    return dtype


def _refuse(value, path: str, why: str = ""):
    raise SpecError(
        f"Cannot write {value!r:.200} of type {type(value).__module__}."
        f"{type(value).__qualname__}{why} at {_where(path)}: it has no exact spec "
        f"representation. Expected {_ACCEPTED}."
    )


def _encode(value, path: str, active: tuple):
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"__float__": "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"}
    if isinstance(value, np.generic):
        item = value.item()
        if value.dtype.kind not in _NUMERIC_KINDS or type(item) not in (bool, int, float):
            _refuse(value, path, " (only bool, integer and float numpy scalars up to 64 bits)")
        encoded = {"__numpy__": value.dtype.name, "value": _encode(item, path, active)}
        back = _decode(encoded, path)
        if type(back) is not kind or not (back == value or (back != back and value != value)):
            _refuse(value, path, " (not exactly representable)")
        return encoded
    if isinstance(value, np.dtype):
        if not isinstance(value.name, str) or np.dtype(value.name) != value:
            _refuse(value, path, " (its name does not give back the same dtype)")
        return {"__dtype__": value.name}
    if isinstance(value, type):
        return {"__type__": _public_path(value, path)}
    if id(value) in active:
        _refuse(value, path, " (it contains itself)")
    active = (*active, id(value))
    if kind is list:
        return [_encode(item, f"{path}[{i}]", active) for i, item in enumerate(value)]
    if kind is tuple:
        paths = _item_paths(value, path)
        return {
            "__tuple__": [_encode(item, p, active) for item, p in zip(value, paths, strict=True)]
        }
    if kind is dict:
        return {
            "__dict__": [
                [
                    _encode(key, f"{path}[{key!r}]", active),
                    _encode(item, f"{path}[{key!r}]", active),
                ]
                for key, item in value.items()
            ]
        }
    if kind is np.ndarray:
        return _encode_array(value, path, active)
    if hasattr(value, "get_params"):
        return _encode_estimator(value, path, active)
    if callable(value):
        if inspect.ismethod(value) or not isinstance(
            getattr(value, "__self__", None), (type(None), type(np))
        ):
            _refuse(value, path, " (a bound method)")
        return {"__callable__": _public_path(value, path)}
    _refuse(value, path)


def encode_value(value, path: str = ""):
    """The spec encoding of one parameter value (SpecError if it has none)."""
    return _encode(value, path, ())


def _encode_array(value: np.ndarray, path: str, active: tuple) -> dict:
    if value.dtype.kind not in _NUMERIC_KINDS:
        _refuse(value, path, f" with dtype {value.dtype} (only bool, integer and float arrays)")

    def leaves(item):
        if type(item) is list:
            return [leaves(x) for x in item]
        return _encode(item, path, active)

    encoded = {"__ndarray__": leaves(value.tolist()), "dtype": value.dtype.name}
    try:
        back = _decode(encoded, path)
    except SpecError:
        back = None
    if not (
        isinstance(back, np.ndarray)
        and back.dtype == value.dtype
        and back.shape == value.shape
        and np.array_equal(back, value, equal_nan=value.dtype.kind == "f")
    ):
        _refuse(value, path, f" with shape {value.shape} (not exactly representable)")
    return encoded


def _encode_estimator(estimator, path: str, active: tuple) -> dict:
    cls_path = _public_path(type(estimator), path)
    try:
        params = estimator.get_params(deep=False)
    except Exception as exc:
        raise SpecError(f"Cannot write the estimator at {_where(path)}: {exc}") from exc
    # set_output() and set_*_request() change behaviour without being parameters; dropping
    # them silently would make the rebuilt estimator differ from this one.
    state = getattr(estimator, "__dict__", {})
    for attribute, setter in (
        ("_sklearn_output_config", "set_output"),
        ("_metadata_request", "set_*_request"),
    ):
        if state.get(attribute):
            raise SpecError(
                f"Cannot write the {type(estimator).__name__} at {_where(path)}: it was "
                f"configured with {setter}(), which is not a parameter and has no place in a "
                "spec. Configure it on the estimator built from the spec instead."
            )
    encoded = {}
    for name, value in params.items():
        if type(name) is not str:
            _refuse(name, path, " (a parameter name that is not a str)")
        encoded[name] = _encode(value, f"{path}.{name}" if path else name, active)
    return {"class": cls_path, "params": encoded}


def _first_difference(a, b, where: str) -> str:
    if type(a) is dict and type(b) is dict and a.keys() == b.keys():
        for key in a:
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], f"{where}[{key!r}]")
    if type(a) is list and type(b) is list and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"at spec{where} {a!r:.200} came back as {b!r:.200}"


def to_spec(estimator, check: bool = True) -> dict:
    """The JSON-ready spec of an estimator tree, from ``get_params(deep=False)``.

    With ``check`` (the default) the spec is rebuilt and encoded again, and must come back
    identical, so an estimator whose ``__init__`` does not store its arguments as they are
    (which would make generated code differ from what was searched) is caught here.
    """
    if isinstance(estimator, type) or not hasattr(estimator, "get_params"):
        raise SpecError(
            f"to_spec expects an estimator instance (with get_params), got {estimator!r:.200}."
        )
    spec = _encode(estimator, "", ())
    if check:
        again = to_spec(from_spec(spec), check=False)
        if again != spec:
            raise SpecError(
                "The spec does not survive a round trip: " + _first_difference(spec, again, "")
            )
        if json.loads(json.dumps(spec, allow_nan=False)) != spec:
            raise SpecError("The spec does not survive a JSON round trip.")  # pragma: no cover
    return spec


# --- decoding ---------------------------------------------------------------------------------


def _check_keys(data: dict, expected: set, path: str) -> None:
    if data.keys() != expected:
        unknown, missing = sorted(data.keys() - expected), sorted(expected - data.keys())
        raise SpecError(
            f"Cannot read the spec object at {_where(path)}: unknown keys {unknown}, missing "
            f"keys {missing}; expected exactly the keys {sorted(expected)}."
        )


def _decode(data, path: str):
    kind = type(data)
    if data is None or kind in (bool, int, str):
        return data
    if kind is float:
        if not math.isfinite(data):
            raise SpecError(
                f"Cannot read the bare float {data!r} at {_where(path)}: non-finite floats "
                "must be written as {'__float__': 'nan' | 'inf' | '-inf'}."
            )
        return data
    if kind is list:
        return [_decode(item, f"{path}[{i}]") for i, item in enumerate(data)]
    if kind is not dict:
        raise SpecError(
            f"Cannot read {data!r:.200} of type {kind.__name__} at {_where(path)}: "
            "expected only JSON values (None, bool, int, float, str, list, dict)."
        )
    if "class" in data:
        return _decode_estimator(data, path)
    tag = next((key for key in data if key in _TAGS), None)
    if tag is None:
        raise SpecError(
            f"Cannot read the spec object at {_where(path)}: unknown keys "
            f"{sorted(map(str, data))}; expected an estimator {{'class', 'params'}} or one of "
            f"the tags {sorted(_TAGS)}."
        )
    _check_keys(data, {tag, *_TAGS[tag]}, path)
    body = data[tag]
    try:
        return _decode_tag(tag, body, data, path)
    except SpecError:
        raise
    except (TypeError, ValueError, OverflowError, KeyError) as exc:
        raise SpecError(f"Cannot read the {tag} object at {_where(path)}: {exc}") from exc


def _decode_tag(tag: str, body, data: dict, path: str):
    if tag == "__float__":
        if not isinstance(body, str) or body not in _NONFINITE:
            raise ValueError(f"expected 'nan', 'inf' or '-inf', got {body!r:.200}")
        return _NONFINITE[body]
    if tag == "__numpy__":
        value = _decode(data["value"], path)
        if type(value) not in (bool, int, float):
            raise TypeError(f"expected a bool, int or float value, got {value!r}")
        return _numeric_dtype(body, path).type(value)
    if tag == "__dtype__":
        if not isinstance(body, str):
            raise TypeError(f"expected a dtype name, got {body!r}")
        return np.dtype(body)
    if tag == "__type__":
        obj = _import_object(body, path)
        if not isinstance(obj, type):
            raise TypeError(f"{body!r} is not a class")
        return obj
    if tag == "__callable__":
        obj = _import_object(body, path)
        if isinstance(obj, type) or not callable(obj):
            raise TypeError(f"{body!r} is not a function")
        return obj
    if tag == "__ndarray__":
        # Only nested lists of numbers: np.array would quietly turn None into nan.
        def leaves(item):
            if type(item) is list:
                return [leaves(x) for x in item]
            value = _decode(item, path)
            if type(value) not in (bool, int, float):
                raise TypeError(f"array elements must be numbers, got {value!r:.200}")
            return value

        return np.array(leaves(body), dtype=_numeric_dtype(data["dtype"], path))
    if type(body) is not list:
        raise TypeError(f"expected a list, got {body!r:.200}")
    if tag == "__tuple__":
        paths = _item_paths(body, path)
        return tuple(_decode(item, p) for item, p in zip(body, paths, strict=True))
    result = {}  # __dict__
    for pair in body:
        if type(pair) is not list or len(pair) != 2:
            raise TypeError(f"expected [key, value] pairs, got {pair!r:.200}")
        key = _decode(pair[0], path)
        result[key] = _decode(pair[1], f"{path}[{key!r}]")
    return result


def _decode_estimator(data: dict, path: str):
    _check_keys(data, {"class", "params"}, path)
    cls = _import_object(data["class"], path)
    if not isinstance(cls, type) or not hasattr(cls, "get_params"):
        raise SpecError(f"Cannot read {data['class']!r} at {_where(path)}: not an estimator.")
    params = data["params"]
    if type(params) is not dict:
        raise SpecError(
            f"Cannot read the params at {_where(path)}: expected a JSON object, got "
            f"{params!r:.200}."
        )
    try:
        signature = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError) as exc:
        raise SpecError(f"Cannot read {data['class']!r} at {_where(path)}: {exc}") from exc
    open_ended = any(p.kind is p.VAR_KEYWORD for p in signature)
    known = {p.name for p in signature if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    unknown = sorted(name for name in params if not open_ended and name not in known)
    if unknown:
        raise SpecError(
            f"Unknown parameters {unknown} for {data['class']} at {_where(path)}; "
            f"valid parameters are {sorted(known)}."
        )
    kwargs = {
        name: _decode(value, f"{path}.{name}" if path else name) for name, value in params.items()
    }
    try:
        estimator = cls(**kwargs)
    except Exception as exc:
        raise SpecError(f"{data['class']}(**params) failed at {_where(path)}: {exc}") from exc
    if open_ended:
        # Classes with **kwargs (LightGBM, XGBoost) accept any name; they must at least
        # report it back from get_params, or the spec could not be written again.
        lost = sorted(set(kwargs) - set(estimator.get_params(deep=False)))
        if lost:
            raise SpecError(
                f"Unknown parameters {lost} for {data['class']} at {_where(path)}: "
                "get_params() does not report them back."
            )
    return estimator


def from_spec(spec: dict):
    """A new unfitted estimator from a spec, importing only allowlisted classes."""
    if type(spec) is not dict or "class" not in spec:
        raise SpecError(
            f"from_spec expects a dict with the keys 'class' and 'params', got {spec!r:.200}."
        )
    return _decode_estimator(spec, "")

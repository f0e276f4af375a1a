"""The house stays easy to change: no import cycle between the package's modules, no
oversized file, and the domain never imports Jupyter."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "jupyter_automl_codegen"
DOMAIN = ("spec", "store", "automl", "codegen")
JUPYTER = ("IPython", "ipykernel", "ipywidgets", "jupyter_server", "jupyterlab", "tornado")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of the package that ``name`` imports, at any level of the file.

    ``from . import files`` imports the submodule, not its (already importing) package."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & modules.keys()
            found |= submodules if len(submodules) == len(node.names) else {target, *submodules}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return (found & modules.keys()) - {name}


def test_no_import_cycle_between_modules():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_the_domain_never_imports_jupyter():
    for name, path in _modules().items():
        layer = name.split(".")[1] if "." in name else ""
        if layer not in DOMAIN:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & set(JUPYTER), f"{name} imports {roots & set(JUPYTER)}"


def test_no_oversized_file():
    limits = [(PACKAGE.rglob("*.py"), 600), ((REPO / "labextension" / "src").rglob("*.ts*"), 450)]
    for files, limit in limits:
        for path in files:
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= limit, f"{path.relative_to(REPO)} has {lines} lines (limit {limit})"

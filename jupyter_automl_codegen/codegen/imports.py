"""The import block of a generated file, grouped and sorted the way isort and ruff expect."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from .errors import CodegenError

# Conventional short names readers expect.
MODULE_ALIASES = {"numpy": "np", "pandas": "pd"}


@dataclass
class Imports:
    """Collects ``import x`` and ``from x import y`` lines, refusing clashing names."""

    modules: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)  # bound name -> module

    def module(self, name: str) -> str:
        """Import a module; returns the name code refers to it by (``np`` for numpy)."""
        self.modules.add(name)
        return MODULE_ALIASES.get(name, name)

    def name(self, module: str, name: str) -> str:
        """``from module import name``; returns ``name``."""
        bound = self.names.setdefault(name, module)
        if bound != module:
            raise CodegenError(
                f"two classes named {name!r} ({bound} and {module}) cannot be imported into "
                "one generated script; rename one with an alias in your pipeline's module."
            )
        return name

    def render(self) -> str:
        """Import lines: standard library, then third party, each sorted."""
        sections: dict[int, list[tuple[str, str]]] = {0: [], 1: []}
        for module in self.modules:
            alias = MODULE_ALIASES.get(module)
            line = f"import {module} as {alias}" if alias else f"import {module}"
            sections[self._section(module)].append((module, line))
        by_module: dict[str, list[str]] = {}
        for name, module in self.names.items():
            by_module.setdefault(module, []).append(name)
        for module, names in by_module.items():
            listed = ", ".join(sorted(names, key=_isort_key))
            sections[self._section(module)].append((module, f"from {module} import {listed}"))
        blocks = []
        for section in (0, 1):
            lines = [line for _, line in sorted(sections[section], key=_line_key)]
            if lines:
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def _section(self, module: str) -> int:
        top = module.split(".")[0]
        return 0 if top in sys.stdlib_module_names else 1


def _isort_key(name: str):
    # isort's default "force_sort_within_sections=False" orders CONSTANTS, Classes, functions.
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, name)


def _line_key(item: tuple[str, str]):
    module, line = item
    # ``import x`` lines come before ``from x import y`` within a section, as isort does.
    return (line.startswith("from "), module)

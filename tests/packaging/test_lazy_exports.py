"""The package's and the kernel package's public names: listed, importable, loaded late."""

from __future__ import annotations

import subprocess
import sys

import pytest

import jupyter_automl_codegen
import jupyter_automl_codegen.kernel


@pytest.mark.parametrize("package", [jupyter_automl_codegen, jupyter_automl_codegen.kernel])
def test_every_public_name_resolves_and_is_listed(package):
    assert package.__all__ == sorted(package.__all__)
    for name in package.__all__:
        assert getattr(package, name) is not None, name
        assert name in dir(package)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        package.no_such_name  # noqa: B018


def test_importing_the_package_loads_neither_the_engine_nor_the_notebook_stack():
    code = (
        "import sys, jupyter_automl_codegen, jupyter_automl_codegen.kernel\n"
        "heavy = ['jupyter_automl_codegen.automl', 'sklearn', 'ipywidgets', 'IPython']\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
        "jupyter_automl_codegen.AutoMLConfig\n"
        "print('jupyter_automl_codegen.automl' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"], out

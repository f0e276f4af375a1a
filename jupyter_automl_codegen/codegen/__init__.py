"""Code generation: a trained pipeline's spec and run facts -> standalone training code.

Pure functions of their inputs; imports nothing of the engine, the store or Jupyter.
"""

from .context import CodegenContext
from .errors import CodegenError
from .generate import (
    GENERATED_FILES,
    build_training_code,
    generate_code,
    render_files,
    write_files,
)
from .source import Stage, TrainingCode

__all__ = [
    "GENERATED_FILES",
    "CodegenContext",
    "CodegenError",
    "Stage",
    "TrainingCode",
    "build_training_code",
    "generate_code",
    "render_files",
    "write_files",
]

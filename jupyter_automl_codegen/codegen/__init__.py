"""Code generation: a trained pipeline's spec and run facts -> standalone training code.

Pure functions of their inputs; imports nothing of the engine, the store or Jupyter.
"""

from .context import CodegenContext
from .errors import CodegenError
from .generate import GENERATED_FILES, generate_code, render_files, write_files
from .script import Stage, TrainingCode, build_training_code

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

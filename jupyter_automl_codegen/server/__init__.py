"""The Jupyter server extension: a REST API over the run store and the code generator.

The only part of the package that imports ``jupyter_server``; the package's own
``_jupyter_server_extension_points`` imports this module lazily.
"""

from .app import AutoMLCodegenApp

__all__ = ["AutoMLCodegenApp"]

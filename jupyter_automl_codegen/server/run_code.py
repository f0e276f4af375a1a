"""A run's generated files as text: the copy kept in the store, else rendered now.

The logic is domain code shared with the notebook kernel (``stored_code.generated_files``);
rendering runs ruff, so handlers call it in a worker thread.
"""

from __future__ import annotations

from ..stored_code import generated_files

__all__ = ["generated_files"]

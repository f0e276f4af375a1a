"""Standalone helpers used inside trained pipelines.

Every module in this package must stay standalone: it may import only numpy, pandas and
scikit-learn (never ``jupyter_automl_codegen`` itself, never a relative import), because
code generation copies the module file verbatim next to the generated training scripts.
"""

from jupyter_automl_codegen.helpers.datetime_features import DatetimeFeatures

__all__ = ["DatetimeFeatures"]

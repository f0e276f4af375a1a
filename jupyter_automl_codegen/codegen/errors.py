"""The code generator's error type."""


class CodegenError(ValueError):
    """A pipeline or value that cannot be written as exact, standalone Python source."""

"""Errors about the user's input, shared by every layer; imports nothing so it is cheap."""


class UserInputError(ValueError):
    """Input that cannot be used; the message names the problem and how to fix it."""


class DataError(UserInputError):
    """The training or prediction data cannot be used."""


class ConfigError(UserInputError):
    """A configuration value is invalid; the message names it and says what is accepted."""

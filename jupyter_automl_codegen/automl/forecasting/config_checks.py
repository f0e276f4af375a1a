"""The forecasting settings of an ``AutoMLConfig``, checked by its ``validate``."""

from __future__ import annotations

from ...errors import ConfigError


def check_forecasting_config(config) -> None:
    """Raise a ConfigError for a forecasting setting that cannot be used."""
    if not isinstance(config.time_column_name, str) or not config.time_column_name:
        raise ConfigError("forecasting needs time_column_name, the column of timestamps.")
    ids = config.time_series_id_column_names
    if ids is not None and (
        not isinstance(ids, (list, tuple)) or not all(isinstance(c, str) and c for c in ids)
    ):
        raise ConfigError(f"time_series_id_column_names={ids!r} must be a list of column names.")
    if ids is not None and len(set(ids)) != len(ids):
        raise ConfigError(f"time_series_id_column_names={ids!r} names a column twice.")
    features = config.known_feature_column_names
    if features is not None and (
        not isinstance(features, (list, tuple))
        or not all(isinstance(c, str) and c for c in features)
    ):
        raise ConfigError(
            f"known_feature_column_names={features!r} must be a list of column names."
        )
    roles = [config.label_column_name, config.time_column_name, *(ids or []), *(features or [])]
    if len(set(roles)) != len(roles):
        raise ConfigError(
            f"the label, time and series-id columns must be different columns, got {roles!r}."
        )
    horizon = config.forecast_horizon
    if not isinstance(horizon, int) or isinstance(horizon, bool) or horizon < 1:
        raise ConfigError(f"forecast_horizon={horizon!r} must be a positive integer.")
    if config.freq is not None:
        from pandas.tseries.frequencies import to_offset

        try:
            to_offset(config.freq)
        except (ValueError, TypeError):
            raise ConfigError(
                f"freq={config.freq!r} is not a pandas frequency such as 'D', 'W' or 'MS'."
            ) from None
    if config.validation_size is not None:
        raise ConfigError(
            "forecasting validates by rolling origin; set n_cross_validations (the number "
            "of folds), not validation_size."
        )

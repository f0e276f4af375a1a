"""Small forecasting data sets the tests share (built from the bundled data, no download)."""

from __future__ import annotations

import pandas as pd

from jupyter_automl_codegen import load_dataset

WEATHER_HORIZON = 7


def weather_with_known_precipitation() -> pd.DataFrame:
    """Two daily temperature series with the day's precipitation as a known-in-advance
    feature; the last WEATHER_HORIZON days carry the feature but no label (the future)."""
    weather = load_dataset("seattle-weather").frame.tail(100)
    long = weather.melt(
        id_vars=["date", "precipitation"], value_vars=["temp_max", "temp_min"], var_name="kind"
    )
    future = pd.to_datetime(long["date"]) > pd.to_datetime(weather["date"]).max() - pd.Timedelta(
        days=WEATHER_HORIZON
    )
    return long.assign(value=long["value"].where(~future)).reset_index(drop=True)

"""Time-series forecasting: the ``forecasting`` task of the engine.

Built on Nixtla's ``statsforecast`` (seasonal naive, ETS, Theta, ARIMA, one model per series)
and ``mlforecast`` (scikit-learn and LightGBM regressors on lag, rolling-window and calendar
features, one global model over every series). Both take the same long frame (``unique_id``,
``ds``, ``y``), so one data preparation, one rolling-origin validation and one forecast layout
serve every candidate, and the generated code calls the libraries' public classes.
"""

"""Scenario forecasts: scenarios (TOML), Monte Carlo over draws, takeoff metrics.

>>> from takeoff.forecast import forecast, format_summary   # doctest: +SKIP
>>> print(format_summary(forecast("metr_trend", draws=10_000).summary))   # doctest: +SKIP
"""

from takeoff.forecast.kinds import format_summary, summary_table
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.monte_carlo import Forecast, forecast
from takeoff.forecast.scenario import Scenario, builtin_names

__all__ = [
    "Forecast",
    "Scenario",
    "builtin_names",
    "forecast",
    "format_summary",
    "load_scenario",
    "parse_scenario",
    "summary_table",
]

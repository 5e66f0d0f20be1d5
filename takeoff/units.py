"""Constants shared across the package: units of time and the quantiles every summary reports."""

from __future__ import annotations

DAYS_PER_YEAR = 365.25  # Julian year: decimal years <-> days
DAY = 1.0 / DAYS_PER_YEAR  # one day in years
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)  # summary quantiles: 90% and 50% central intervals

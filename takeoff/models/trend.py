"""The log-linear trend, written once: log10 y(t) = level + slope (t − t_ref).

``slope`` is in orders of magnitude per year; the same law in natural units is exponential
growth at rate g = slope ln 10 per year, doubling every log10(2) / slope years. Elementwise over
numpy arrays or PyTensor tensors (pure arithmetic).
"""

from __future__ import annotations

import math

LN10 = math.log(10.0)


def log10_value(dt, level, slope):
    """log10 y at ``dt`` = t − t_ref years from the trend's reference date."""
    return level + slope * dt


def growth_rate(slope):
    """The exponential growth rate g = slope ln 10 [1/yr] of a trend of ``slope`` OOM/yr."""
    return slope * LN10


def doubling_time_years(slope):
    """log10(2) / slope [yr]."""
    return math.log10(2.0) / slope

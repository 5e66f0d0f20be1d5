"""``hyperbolic_growth``: long-run output (Kremer 1993; Roodman 2020), dY/dt = s Y^(1+B).

B > 0 gives hyperbolic growth with a singularity at t* = Y(0)^(-B) / (B s); B = 0 is exponential
growth at rate s; B < 0 decelerates. It is ``power_law`` with alpha = 1 + B and k = s.
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models import bernoulli
from takeoff.models.distributions import Distribution
from takeoff.models.family import POSITIVE, REAL, Family, Parameter, State
from takeoff.models.power_law import returns_regime


def log_output(tau, log_y_start, s, B):
    """ln Y(τ) of dY/dt = s Y^(1+B) from Y(0) = e^log_y_start, elementwise (numpy or PyTensor)."""
    return bernoulli.log_path_at(tau, log_y_start, s, 1.0 + B)


def singularity_time(log_y_start, s, B):
    """Years from Y(0) = e^log_y_start to the singularity, Y(0)^(-B) / (B s) (inf if none)."""
    return bernoulli.blowup_time(log_y_start, s, 1.0 + B)


def _growth_rate(tau, log_y, p):
    return (p["s"] * np.exp(p["B"] * log_y[:, 0]))[:, None]


def _log_closed_form(tau, log_y0, p):
    return bernoulli.log_path(tau, log_y0[:, 0], p["s"], 1.0 + p["B"])[:, None, :]


def _blowup_time(log_y0, p):
    return singularity_time(log_y0[:, 0], p["s"], p["B"])


def _regime(log_y0, p):
    return returns_regime(
        1.0 + p["B"],
        "decelerating growth",
        "exponential growth",
        "hyperbolic growth: finite-time singularity",
    )


HYPERBOLIC_GROWTH = Family(
    name="hyperbolic_growth",
    summary="world output whose growth rate rises with its level",
    equation="dY/dt = s Y^(1+B)",
    states=(
        State(
            "Y",
            "output (Y0 = 1 units)",
            "gross world product",
            1.0,
            axis="gross world product Y (relative units: Y0 = 1)",
        ),
    ),
    parameters=(
        Parameter(
            "s",
            "1/yr",
            "growth rate at Y = 1",
            0.03,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.03), sigma=1.0),
        ),
        Parameter(
            "B",
            "",
            "extra returns to scale (0 = exponential)",
            0.5,
            REAL,
            Distribution("normal", mu=0.3, sigma=0.3),
        ),
    ),
    growth_rate=_growth_rate,
    regime=_regime,
    log_closed_form=_log_closed_form,
    blowup_time=_blowup_time,
    map_axes=("B", "s"),
    keyhole={"B": 0.0},
    default_years=100.0,
)

"""``horizon``: task time horizons (METR), dH/dt = (ln 2 / T0) H (H/H0)^eps.

At H = H0 the doubling time is T0; each doubling multiplies the doubling time by 2^(-eps).
eps = 0 is a constant doubling time (exponential trend); eps > 0 is superexponential with a
finite-time blow-up at t* = T0 (H(0)/H0)^(-eps) / (eps ln 2); eps < 0 is subexponential.
It is ``power_law`` with alpha = 1 + eps and k = ln 2 / (T0 H0^eps).
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models import bernoulli
from takeoff.models.arrays import NUMPY, namespace_of
from takeoff.models.distributions import Distribution
from takeoff.models.family import POSITIVE, REAL, Family, Parameter, State
from takeoff.models.power_law import returns_regime

LN2 = math.log(2.0)


def _rate_and_exponent(p, xp=NUMPY):
    """The equivalent power law: k = ln 2 / (T0 H0^eps), alpha = 1 + eps."""
    k = LN2 / (p["T0"] * xp.exp(p["eps"] * xp.log(p["H0"])))
    return k, 1.0 + p["eps"]


def log_horizon(tau, log_h_start, T0, H0, eps):
    """ln H(τ) of the horizon law from H(0) = e^log_h_start, elementwise (numpy or PyTensor).

    T0 [yr] is the doubling time where H = H0 [minutes]; τ [yr] may be negative (back in time).
    """
    xp = namespace_of(tau, log_h_start, T0, H0, eps)
    k, alpha = _rate_and_exponent({"T0": T0, "H0": H0, "eps": eps}, xp)
    return bernoulli.log_path_at(tau, log_h_start, k, alpha)


def doubling_time(log_h, T0, H0, eps):
    """The doubling time T0 (H/H0)^(-eps) [yr] at horizon H = e^log_h, elementwise."""
    xp = namespace_of(log_h, T0, H0, eps)
    return T0 * xp.exp(-eps * (log_h - xp.log(H0)))


def _growth_rate(tau, log_y, p):
    return (LN2 / p["T0"] * np.exp(p["eps"] * (log_y[:, 0] - np.log(p["H0"]))))[:, None]


def _log_closed_form(tau, log_y0, p):
    k, alpha = _rate_and_exponent(p)
    return bernoulli.log_path(tau, log_y0[:, 0], k, alpha)[:, None, :]


def _blowup_time(log_y0, p):
    k, alpha = _rate_and_exponent(p)
    return bernoulli.blowup_time(log_y0[:, 0], k, alpha)


def _regime(log_y0, p):
    return returns_regime(
        1.0 + p["eps"],
        "subexponential: doubling time lengthens",
        "exponential: constant doubling time",
        "superexponential: finite-time blow-up",
    )


def _indicators(log_y0, p):
    """Doubling time at the initial horizon, T0 (H(0)/H0)^(-eps), in years."""
    return {"doubling_time_0": doubling_time(log_y0[:, 0], p["T0"], p["H0"], p["eps"])}


HORIZON = Family(
    name="horizon",
    summary="task time horizons whose doubling time changes by 2^(-eps) per doubling",
    equation="dH/dt = (ln 2 / T0) H (H/H0)^eps",
    states=(
        State(
            "H",
            "minutes",
            "50% task time horizon (human-expert minutes)",
            60.0,
            axis="50% task time horizon (human-expert time)",
        ),
    ),
    parameters=(
        Parameter(
            "T0",
            "yr",
            "doubling time when H = H0",
            0.5,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.5), sigma=0.5),
        ),
        Parameter(
            "H0",
            "minutes",
            "reference horizon at which the doubling time is T0",
            60.0,
            POSITIVE,
            Distribution("lognormal", mu=math.log(60.0), sigma=0.5),
        ),
        Parameter(
            "eps",
            "",
            "change of doubling time per doubling (0 = exponential)",
            0.0,
            REAL,
            Distribution("normal", mu=0.0, sigma=0.2),
        ),
    ),
    growth_rate=_growth_rate,
    regime=_regime,
    log_closed_form=_log_closed_form,
    blowup_time=_blowup_time,
    indicators=_indicators,
    indicator_notes={"doubling_time_0": "doubling time at the initial horizon [yr]"},
    map_axes=("eps", "T0"),
    keyhole={"eps": 0.0},
)

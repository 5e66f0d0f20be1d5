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
from takeoff.models.distributions import Distribution
from takeoff.models.power_law import returns_regime
from takeoff.models.spec import POSITIVE, REAL, Family, Parameter, State

LN2 = math.log(2.0)


def _rate_and_exponent(p):
    """The equivalent power law: k = ln 2 / (T0 H0^eps), alpha = 1 + eps."""
    k = LN2 / (p["T0"] * np.exp(p["eps"] * np.log(p["H0"])))
    return k, 1.0 + p["eps"]


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
    return {"doubling_time_0": p["T0"] * np.exp(-p["eps"] * (log_y0[:, 0] - np.log(p["H0"])))}


HORIZON = Family(
    name="horizon",
    summary="task time horizons whose doubling time changes by 2^(-eps) per doubling",
    equation="dH/dt = (ln 2 / T0) H (H/H0)^eps",
    states=(State("H", "minutes", "50% task time horizon (human-expert minutes)", 60.0),),
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
)

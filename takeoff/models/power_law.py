"""``power_law``: the recursive self-improvement loop itself, dI/dt = k I^alpha.

alpha < 1 (sublinear returns): polynomial growth, I = (I0^(1-alpha) + (1-alpha) k t)^(1/(1-alpha));
alpha = 1: exponential, I0 e^(k t); alpha > 1: a finite-time singularity at
t* = I0^(1-alpha) / ((alpha-1) k). The doubling time scales as I^(1-alpha): alpha = 1 exactly is
the soft-takeoff "keyhole" between flatlining and FOOM.
"""

from __future__ import annotations

import numpy as np

from takeoff.models import bernoulli
from takeoff.models.distributions import Distribution
from takeoff.models.family import POSITIVE, REAL, Family, Parameter, State


def log_capability(tau, log_i0, k, alpha):
    """ln I(τ) of dI/dt = k I^alpha from I(0) = e^log_i0, elementwise (numpy or PyTensor)."""
    return bernoulli.log_path_at(tau, log_i0, k, alpha)


def _growth_rate(tau, log_y, p):
    return (p["k"] * np.exp((p["alpha"] - 1.0) * log_y[:, 0]))[:, None]


def _log_closed_form(tau, log_y0, p):
    return bernoulli.log_path(tau, log_y0[:, 0], p["k"], p["alpha"])[:, None, :]


def _blowup_time(log_y0, p):
    return bernoulli.blowup_time(log_y0[:, 0], p["k"], p["alpha"])


def returns_regime(exponent: np.ndarray, below: str, at: str, above: str) -> np.ndarray:
    """Label each draw by its returns exponent against the keyhole value 1."""
    exponent = np.asarray(exponent, dtype=float)
    return np.where(exponent < 1.0, below, np.where(exponent > 1.0, above, at))


def _regime(log_y0, p):
    return returns_regime(
        p["alpha"],
        "sublinear returns: polynomial growth",
        "keyhole: exponential growth",
        "superlinear returns: finite-time singularity",
    )


POWER_LAW = Family(
    name="power_law",
    summary="the RSI loop: capability grows at a power of itself",
    equation="dI/dt = k I^alpha",
    states=(
        State(
            "I",
            "capability (I0 = 1 units)",
            "capability level",
            1.0,
            axis="capability I (relative units: I0 = 1)",
        ),
    ),
    parameters=(
        Parameter(
            "k",
            "1/yr",
            "rate of improvement at I = 1",
            0.5,
            POSITIVE,
            Distribution("lognormal", mu=float(np.log(0.5)), sigma=1.0),
        ),
        Parameter(
            "alpha",
            "",
            "returns to reinvested capability (1 = exponential)",
            0.8,
            REAL,
            Distribution("normal", mu=1.0, sigma=0.25),
        ),
    ),
    growth_rate=_growth_rate,
    regime=_regime,
    log_closed_form=_log_closed_form,
    blowup_time=_blowup_time,
    map_axes=("alpha", "k"),
    keyhole={"alpha": 1.0},
)

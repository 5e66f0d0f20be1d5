"""``compute_feedback``: capability bought with compute, compute bought with output.

    I = a C^gamma,     dC/dt = s y0 I^eta p0 e^(g t) − delta C

Capability I has sublinear returns to compute (gamma < 1, from scaling laws); a share s of the
output y0 I^eta is reinvested in compute at hardware price-performance p0 e^(g t); compute
depreciates at rate delta. Substituting I gives the Bernoulli equation
dC/dt = K e^(g t) C^m − delta C with K = s y0 a^eta p0 and effective returns m = gamma eta,
solved exactly in ``takeoff.models.bernoulli``. m < 1: no singularity, yet exogenous hardware
growth makes C grow at rate g/(1 − m), faster than hardware alone (seed 002, notes 17, 18, 22);
m = 1: the knife-edge (double-exponential when g > 0); m > 1: a finite-time singularity unless
depreciation wins.
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models import bernoulli
from takeoff.models.distributions import Distribution
from takeoff.models.family import (
    NON_NEGATIVE,
    POSITIVE,
    REAL,
    Derived,
    Family,
    Interval,
    Parameter,
    State,
)


def _bernoulli_args(p):
    """K (reinvestment scale) and m (effective returns exponent) of the Bernoulli form."""
    K = p["s"] * p["y0"] * p["p0"] * np.exp(p["eta"] * np.log(p["a"]))
    return K, p["gamma"] * p["eta"]


def _growth_rate(tau, log_y, p):
    K, m = _bernoulli_args(p)
    return (K * np.exp(p["g"] * tau + (m - 1.0) * log_y[:, 0]) - p["delta"])[:, None]


def _log_closed_form(tau, log_y0, p):
    K, m = _bernoulli_args(p)
    return bernoulli.log_path(tau, log_y0[:, 0], K, m, p["delta"], p["g"])[:, None, :]


def _blowup_time(log_y0, p):
    K, m = _bernoulli_args(p)
    return bernoulli.blowup_time(log_y0[:, 0], K, m, p["delta"], p["g"])


def _regime(log_y0, p):
    _, m = _bernoulli_args(p)
    finite = np.isfinite(_blowup_time(log_y0, p))
    return np.where(
        m < 1.0,
        "sublinear returns: growth paced by hardware, no singularity",
        np.where(
            m == 1.0,
            "knife-edge returns: superexponential, no singularity",
            np.where(
                finite,
                "superlinear returns: finite-time singularity",
                "superlinear returns held back by depreciation: decline",
            ),
        ),
    )


def _indicators(log_y0, p):
    return {"m": p["gamma"] * p["eta"]}


def _log_capability(log_states, p, tau=0.0):
    return np.log(p["a"])[:, None] + p["gamma"][:, None] * log_states[0]


def _rebase(p, dt, log_y=None):
    """Hardware price-performance p0 e^(g t) seen from ``dt`` years later."""
    return {**p, "p0": p["p0"] * np.exp(p["g"] * dt)}


COMPUTE_FEEDBACK = Family(
    name="compute_feedback",
    summary="capability from compute (scaling law), compute from reinvested output",
    equation="I = a C^gamma;  dC/dt = s y0 I^eta p0 e^(g t) - delta C",
    states=(
        State(
            "C",
            "compute (C0 = 1 units)",
            "stock of compute",
            1.0,
            axis="compute C (relative units: C0 = 1)",
        ),
    ),
    parameters=(
        Parameter(
            "a",
            "I per C^gamma",
            "capability at C = 1",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.5),
        ),
        Parameter(
            "gamma",
            "",
            "returns of capability to compute (scaling-law exponent)",
            0.5,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.5), sigma=0.4),
        ),
        Parameter(
            "eta",
            "",
            "returns of output to capability",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.3),
        ),
        Parameter(
            "s",
            "",
            "share of output reinvested in compute",
            0.2,
            Interval(0.0, 1.0, low_closed=True, high_closed=True),
            Distribution("beta", a=2.0, b=8.0),
        ),
        Parameter(
            "y0",
            "output/yr per I^eta",
            "output per unit capability^eta",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.5),
        ),
        Parameter(
            "p0",
            "C per output",
            "compute bought per unit output at t = 0",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.5),
        ),
        Parameter(
            "g",
            "1/yr",
            "growth rate of hardware price-performance",
            0.35,
            REAL,
            Distribution("normal", mu=0.35, sigma=0.1),
        ),
        Parameter(
            "delta",
            "1/yr",
            "depreciation rate of compute",
            0.1,
            NON_NEGATIVE,
            Distribution("lognormal", mu=math.log(0.1), sigma=0.5),
        ),
    ),
    growth_rate=_growth_rate,
    regime=_regime,
    log_closed_form=_log_closed_form,
    blowup_time=_blowup_time,
    indicators=_indicators,
    indicator_notes={"m": "effective returns exponent gamma * eta (1 = knife-edge)"},
    derived=(
        Derived(
            "I",
            "capability units",
            "capability I = a C^gamma",
            _log_capability,
            axis="capability I = a C^γ (relative units)",
        ),
    ),
    rebase=_rebase,
    map_axes=("gamma", "eta"),
)

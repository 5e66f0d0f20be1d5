"""``jones_software``: semi-endogenous software progress with AI researchers.

    dS/dt = theta S^(1-beta) R^lambda · max(0, 1 - S/S_max),
    R = L(t) + kappa (S H)^rho,   L(t) = L0 e^(g_L t),   H(t) = H0 e^(g_H t)

Software S and hardware H make effective compute E = S H; research input R adds human labour L
and AI labour kappa E^rho; ideas get harder to find (beta) and parallel effort has diminishing
returns (lambda). Jones (1995); Davidson & Houlden (2025). With AI labour dominant and hardware
fixed, dS/dt ~ S^(1 - beta + lambda rho): a software intelligence explosion (finite-time
blow-up) iff r = lambda rho / beta > 1. The optional ceiling S_max ("effective limits", e.g.
brain-level efficiency) makes returns fall to zero as S approaches it. No closed form exists:
the solver integrates it numerically.
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models.distributions import Distribution
from takeoff.models.family import NON_NEGATIVE, POSITIVE, REAL, Family, Interval, Parameter, State
from takeoff.models.power_law import returns_regime


def _prepare(p):
    """Logs of the constant factors, computed once per solve (log 0 = -inf is intended)."""
    with np.errstate(divide="ignore"):
        return {
            "log_L0": np.log(p["L0"]),
            "log_kappa_H0": np.log(p["kappa"]) + p["rho"] * np.log(p["H0"]),
            "log_S_max": np.log(p["S_max"]),
        }


def _growth_rate(tau, log_y, p):
    if "log_L0" not in p:
        p = {**p, **_prepare(p)}
    u = log_y[:, 0]
    log_human = p["log_L0"] + p["g_L"] * tau
    log_ai = p["log_kappa_H0"] + p["rho"] * (u + p["g_H"] * tau)
    rate = np.logaddexp(log_human, log_ai)
    rate *= p["lambda"]
    rate -= p["beta"] * u
    np.exp(rate, out=rate)
    rate *= p["theta"]
    ceiling = np.expm1(u - p["log_S_max"])  # -(1 - S/S_max)
    np.maximum(-ceiling, 0.0, out=ceiling)
    rate *= ceiling
    return rate[:, None]


def returns_exponent(p) -> np.ndarray:
    """r = lambda rho / beta: returns to software R&D once AI labour dominates."""
    return p["lambda"] * p["rho"] / p["beta"]


def explosion_regime(p) -> np.ndarray:
    """The software regime by r = lambda rho / beta, capped where there is a ceiling S_max."""
    r = returns_exponent(p)
    label = returns_regime(
        r,
        "no software explosion (r < 1)",
        "knife-edge (r = 1): exponential once AI labour dominates",
        "software intelligence explosion (r > 1)",
    )
    capped = np.isfinite(p["S_max"]) & (r > 1.0)
    return np.where(
        capped, "software intelligence explosion (r > 1) up to the ceiling S_max", label
    )


def _regime(log_y0, p):
    return explosion_regime(p)


def _indicators(log_y0, p):
    return {"r": returns_exponent(p)}


def _rebase(p, dt, log_y=None):
    """Human labour and hardware, growing exogenously, seen from ``dt`` years later."""
    return {**p, "L0": p["L0"] * np.exp(p["g_L"] * dt), "H0": p["H0"] * np.exp(p["g_H"] * dt)}


JONES_SOFTWARE = Family(
    name="jones_software",
    summary="software progress driven by human and AI researchers (semi-endogenous growth)",
    equation=(
        "dS/dt = theta S^(1-beta) R^lambda (1 - S/S_max)+;  "
        "R = L0 e^(g_L t) + kappa (S H0 e^(g_H t))^rho"
    ),
    states=(
        State(
            "S",
            "software level (S0 = 1 units)",
            "software efficiency",
            1.0,
            axis="software efficiency S (relative units: S0 = 1)",
        ),
    ),
    parameters=(
        Parameter(
            "theta",
            "1/yr per R^lambda",
            "research productivity",
            0.5,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.5), sigma=0.5),
        ),
        Parameter(
            "beta",
            "",
            "ideas get harder to find: returns fall as S^-beta",
            0.5,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.5), sigma=0.4),
        ),
        Parameter(
            "lambda",
            "",
            "parallelisation: returns to research input",
            0.6,
            Interval(0.0, 1.0, high_closed=True),
            Distribution("beta", a=6.0, b=4.0),
        ),
        Parameter(
            "rho",
            "",
            "elasticity of AI research labour to effective compute",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.3),
        ),
        Parameter(
            "kappa",
            "researchers per E^rho",
            "AI research labour per unit effective compute",
            0.1,
            NON_NEGATIVE,
            Distribution("lognormal", mu=math.log(0.1), sigma=1.0),
        ),
        Parameter(
            "L0",
            "researchers",
            "human research labour at t = 0",
            1.0,
            NON_NEGATIVE,
            Distribution("lognormal", mu=0.0, sigma=0.3),
        ),
        Parameter(
            "g_L",
            "1/yr",
            "growth rate of human research labour",
            0.03,
            REAL,
            Distribution("normal", mu=0.03, sigma=0.02),
        ),
        Parameter(
            "H0",
            "hardware (H0 = 1 units)",
            "hardware at t = 0",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.3),
        ),
        Parameter(
            "g_H",
            "1/yr",
            "growth rate of hardware",
            0.35,
            REAL,
            Distribution("normal", mu=0.35, sigma=0.1),
        ),
        Parameter(
            "S_max",
            "S units",
            "ceiling on software ('effective limits'); inf = none",
            math.inf,
            Interval(0.0, math.inf, high_closed=True),
            Distribution("loguniform", low=1e6, high=1e12),
        ),
    ),
    growth_rate=_growth_rate,
    regime=_regime,
    indicators=_indicators,
    prepare=_prepare,
    log_ceiling=lambda p: np.log(p["S_max"])[:, None],
    rebase=_rebase,
    indicator_notes={"r": "returns to software R&D, lambda rho / beta (explosion iff r > 1)"},
    map_axes=("beta", "rho"),
)

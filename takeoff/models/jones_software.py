"""``jones_software``: semi-endogenous software progress with AI researchers.

    dS/dt = theta S^(1-beta) R^lambda · max(0, 1 - S/S_max),
    R = L(t) + kappa (S H)^rho,   L(t) = L0 e^(g_L t),   H(t) = H0 e^(g_H t)

Software S and hardware H make effective compute E = S H; research input R adds human labour L
and AI labour kappa E^rho; ideas get harder to find (beta) and parallel effort has diminishing
returns (lambda). Jones (1995); Davidson & Houlden (2025). With AI labour dominant and hardware
fixed, dS/dt ~ S^(1 - beta + lambda rho): a software intelligence explosion (finite-time
blow-up) iff r = lambda rho / beta > 1. The optional ceiling S_max ("effective limits", e.g.
brain-level efficiency) makes returns fall to zero as S approaches it. No closed form exists
in general: the solver integrates it numerically.

With research input exogenous (human labour only, kappa = 0: hardware plays no role) and no
ceiling, the law is separable: d(S^beta)/dt = beta theta R(t)^lambda, so

    S(t)^beta = S0^beta + beta theta I(t),    I(t) = ∫_{t0}^{t} R(s)^lambda ds,

exact for any research-input series. ``research_integral`` gives I(t) exactly for R piecewise
log-linear in time (steps when the growth rates are 0) and ``log_software`` ln S(t) from it;
both are written once over the array namespace (:mod:`takeoff.models.arrays`), so the fits of
this law (:mod:`takeoff.models.fits.software_returns`) call them on PyTensor tensors and the
figures and leave-one-out densities on numpy arrays. ``theta_from_end`` is the theta that takes
S from S0 at t0 to S_end at the end of the data (the fits sample the level reached, which the
data pin down, and derive theta).
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models.arrays import namespace_of
from takeoff.models.bernoulli import expm1_ratio, log1p_ratio
from takeoff.models.distributions import Distribution
from takeoff.models.family import NON_NEGATIVE, POSITIVE, REAL, Family, Interval, Parameter, State
from takeoff.models.power_law import returns_regime


def research_integral(t, start, end, log_r, growth, lam):
    """I(t) = ∫ R(s)^lambda ds from ``start[0]`` to ``t``, exactly, for a research input that is
    log-linear on each segment k = [start_k, end_k): ln R(s) = log_r_k + growth_k (s - start_k)
    (a step series has growth 0). The segments are contiguous and cover the times asked for.

    ``t`` has shape (..., n); the segment arrays (K,); ``lam`` is a number or broadcasts
    against (..., n, K), e.g. shape (draws, 1, 1). Returns (..., n). The part of segment k
    before t lasts d = clip(min(t, end_k) - start_k, 0) and contributes
    R_k^lambda d (e^(lambda g_k d) - 1) / (lambda g_k d).
    """
    xp = namespace_of(t, start, end, log_r, growth, lam)
    d = xp.maximum(xp.minimum(t[..., None], end) - start, 0.0)
    return xp.sum(xp.exp(lam * log_r) * d * expm1_ratio(lam * growth * d, xp), axis=-1)


def log_software(integral, log_s0, beta, theta):
    """ln S of dS/dt = theta S^(1-beta) R^lambda given I = ∫ R^lambda dt since S = S0:
    S^beta = S0^beta + beta theta I, written as ln S0 + theta I S0^-beta phi(beta theta I
    S0^-beta) with phi(x) = ln(1 + x)/x, exact and stable as beta -> 0 (where the law becomes
    exponential growth, ln S = ln S0 + theta I). Elementwise, numpy or PyTensor."""
    xp = namespace_of(integral, log_s0, beta, theta)
    scaled = theta * integral * xp.exp(-beta * log_s0)
    return log_s0 + scaled * log1p_ratio(beta * scaled, xp)


def theta_from_end(log_s0, log_s_end, beta, integral_end):
    """The theta with which S goes from S0 to S_end while I(t) goes from 0 to ``integral_end``:
    (S_end^beta - S0^beta) / (beta I_end), stable as beta -> 0. Elementwise."""
    xp = namespace_of(log_s0, log_s_end, beta, integral_end)
    gain = log_s_end - log_s0
    return xp.exp(beta * log_s0) * gain * expm1_ratio(beta * gain, xp) / integral_end


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

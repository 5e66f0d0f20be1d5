"""The continuous-time counterpart of the recursion: d log2 S/dt = 1/Δ(S), its exact time to
x doublings by quadrature (:func:`continuous_time_to`) and the model as a Family
(:data:`SIE_CONTINUOUS`, time in years like every family)."""

from __future__ import annotations

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution
from takeoff.models.family import Family, Interval, Parameter, State
from takeoff.models.sie.parameters import LN2, SC, SIE_DOUBLINGS
from takeoff.models.sie.recursion import ceiling_doublings


def _integral_inverse_r(x, r0, N, decay):
    """∫_0^x du / r(u) for r(u) = r0 (1 - decay u/N): x/r0 at decay 0, else
    -(N / (decay r0)) ln(1 - decay x/N); +inf at and past the ceiling when decay = 1."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = decay * x / N
        decayed = -np.log1p(-np.minimum(z, 1.0)) * N / np.where(decay > 0, decay, 1.0) / r0
        return np.where(decay > 0, decayed, x / r0)


def log2_doubling_time(x, f, r0, L, p, *, constant_r: bool = False, sc: float = SC):
    """log2 of the doubling time Δ(x) in months after x doublings, in continuous time:

        d log2 Δ / dx = p (1/r(x) - 1),  r(x) = r0 (1 - x/N)  (r0 for constant r),
        log2 Δ(x) = log2(3/f) + p (∫_0^x du/r(u) - x).

    It is +inf at the ceiling x = N with the decrement (the last doublings take forever)."""
    N = ceiling_doublings(L, sc)
    decay = 0.0 if constant_r else 1.0
    return np.log2(3.0 / np.asarray(f, dtype=float)) + p * (
        _integral_inverse_r(x, r0, N, decay) - x
    )


def continuous_time_to(x, f, r0, L, p, *, constant_r: bool = False, sc: float = SC):
    """Months to reach x doublings in continuous time: t(x) = ∫_0^x Δ(u) du, d log2 S/dt = 1/Δ.

    Scalar parameters; ``x`` a number or an array (each below the ceiling N). Constant r has a
    closed form, Δ0 (2^(c x) - 1) / (c ln 2) with c = p (1/r0 - 1) (Δ0 x at c = 0); the decaying
    variant is integrated by adaptive quadrature (scipy)."""
    from scipy.integrate import quad

    x = np.atleast_1d(np.asarray(x, dtype=float))
    N = float(ceiling_doublings(L, sc))
    if (x < 0).any() or (not constant_r and (x >= N).any()):
        raise TakeoffError(f"x must lie in [0, N) with N = {N:g} doublings; got {x.max():g}")
    dt0 = 3.0 / f
    if constant_r:
        c = p * (1.0 / r0 - 1.0)
        if c == 0:
            return dt0 * x
        return dt0 * np.expm1(c * LN2 * x) / (c * LN2)

    def delta(u):
        return 2.0 ** float(log2_doubling_time(u, f, r0, L, p, sc=sc))

    out = np.empty_like(x)
    for i, xi in enumerate(x):  # scalar quadrature: this is the reference, not the simulator
        out[i] = quad(delta, 0.0, xi, epsabs=0.0, epsrel=1e-12, limit=200)[0]
    return out


def _continuous_growth_rate(tau, log_y, params):
    """d ln S / dt in 1/yr: ln 2 / Δ(log2 S), zero at and above the ceiling."""
    x = log_y[:, 0] / LN2
    N = ceiling_doublings(params["L"])
    with np.errstate(over="ignore", invalid="ignore"):
        inside = x < N
        log2_delta_years = np.log2(0.25 / params["f"]) + params["p"] * (
            _integral_inverse_r(np.where(inside, x, 0.0), params["r0"], N, params["decay"]) - x
        )
        rate = LN2 * np.exp2(-np.where(inside, log2_delta_years, np.inf))
    return rate[:, None]


def _continuous_regime(log_y0, params):
    label = np.where(params["r0"] > 1.0, "accelerating (r > 1)", "decelerating or steady (r <= 1)")
    return np.where(params["decay"] > 0, np.char.add(label, " while r decays"), label)


SIE_CONTINUOUS = Family(
    name="sie_continuous",
    summary="continuous-time counterpart of sie_doublings: d log2 S/dt = 1/Δ(S)",
    equation="d log2 S/dt = 1/Δ;  d log2 Δ / d log2 S = p (1/r(S) - 1);  "
    "r(S) = r0 (1 - decay log2 S / N);  Δ(0) = 0.25/f yr;  N = (4/sc) L",
    states=(
        State("S", "software level (S0 = 1)", "software, in units of its level at automation"),
    ),
    parameters=(
        *SIE_DOUBLINGS.parameters,
        Parameter(
            "decay",
            "",
            "1: r falls linearly to 0 at the ceiling (published); 0: constant r",
            1.0,
            Interval(0.0, 1.0, low_closed=True, high_closed=True),
            Distribution("uniform", low=0.0, high=1.0),
        ),
    ),
    growth_rate=_continuous_growth_rate,
    regime=_continuous_regime,
    log_ceiling=lambda params: (ceiling_doublings(params["L"]) * LN2)[:, None],
)

"""Exact solution of the Bernoulli growth law behind most families here.

    dy/dτ = K e^{g τ} y^m − δ y,     y(0) = y0 > 0.

With z = y^(1−m) the equation is linear, dz/dτ + (1−m)δ z = (1−m) K e^{gτ}, so

    ln y(τ) = ln y0 − δ τ + K y0^(m−1) E(τ) φ(x),   x = (1−m) K y0^(m−1) E(τ),

where E(τ) = (e^{Gτ} − 1)/G with G = g + (1−m)δ (E = τ when G = 0) and φ(x) = ln(1+x)/x
(φ(0) = 1). This form is exact and free of the cancellation that the textbook form
(y0^(1−m) + (1−m)kτ)^(1/(1−m)) suffers as m → 1.

For m > 1 the solution blows up when x reaches −1, i.e. when E(τ*) = E* = 1/((m−1) K y0^(m−1)),
giving τ* = E* φ(G E*) where G E* > −1, and no blow-up otherwise.

Special cases: ``power_law`` (K = k, m = α, δ = g = 0), ``horizon`` and ``hyperbolic_growth``
(reparametrised power laws) and ``compute_feedback`` (m = γη, exogenous hardware growth g).

Written once over an array namespace (:mod:`takeoff.models.arrays`): the elementwise functions
``log_path_at`` and ``blowup_time`` run on numpy arrays in forecasts and on PyTensor tensors
inside PyMC fits. ``log_path`` is the numpy convenience over draws (n,) and times (T,).
"""

from __future__ import annotations

import numpy as np

from takeoff.models.arrays import namespace_of


def log1p_ratio(x, xp=None):
    """φ(x) = ln(1+x)/x with φ(0) = 1; past a blow-up (x ≤ −1) +inf in numpy and clipped to
    a large finite value in PyTensor (see :mod:`takeoff.models.arrays`)."""
    xp = xp or namespace_of(x)
    x = xp.clip_blowup(xp.asarray(x))
    small = xp.abs(x) < xp.series_below
    past = x <= -1.0
    with xp.errstate(divide="ignore", invalid="ignore"):
        safe = xp.where(small | past, 0.5, x)
        value = xp.log1p(safe) / safe
    xs = xp.where(small, x, 0.0)  # the series only where it is used (x*x overflows elsewhere)
    value = xp.where(small, 1.0 - 0.5 * xs + xs * xs / 3.0, value)
    return xp.where(past, xp.inf, value)


def expm1_ratio(x, xp=None):
    """(e^x − 1)/x with value 1 at x = 0."""
    xp = xp or namespace_of(x)
    x = xp.asarray(x)
    small = xp.abs(x) < xp.series_below
    with xp.errstate(over="ignore", invalid="ignore"):
        safe = xp.where(small, 1.0, x)
        value = xp.expm1(safe) / safe
    return xp.where(small, 1.0 + 0.5 * x, value)


def log_path_at(tau, log_y0, K, m, delta=0.0, g=0.0):
    """ln y(τ), elementwise over broadcasting arguments, in numpy or PyTensor.

    numpy: +inf at and after a blow-up. PyTensor: large but finite there (for likelihoods).
    τ may be negative (back in time from the reference point).
    """
    xp = namespace_of(tau, log_y0, K, m, delta, g)
    G = g + (1.0 - m) * delta
    with xp.errstate(over="ignore", invalid="ignore"):  # overflow only far past any cap
        E = tau * expm1_ratio(G * tau, xp)
        scale = K * xp.exp((m - 1.0) * log_y0)
        x = (1.0 - m) * scale * E
    phi = log1p_ratio(x, xp)
    with xp.errstate(invalid="ignore", over="ignore"):
        out = log_y0 - delta * tau + scale * E * phi
    return xp.past_blowup(out, phi)


def log_path(
    tau: np.ndarray,
    log_y0: np.ndarray,
    K: np.ndarray,
    m: np.ndarray,
    delta: np.ndarray | float = 0.0,
    g: np.ndarray | float = 0.0,
) -> np.ndarray:
    """ln y(τ) over draws: per-draw arguments of shape (n,), ``tau`` of shape (T,) or (n, 1)
    -> (n, T). Returns +inf at and after a blow-up."""
    tau = np.asarray(tau, dtype=float)
    tau = tau[None, :] if tau.ndim == 1 else tau
    args = np.broadcast_arrays(log_y0, K, m, delta, g)
    log_y0, K, m, delta, g = (np.asarray(a, dtype=float)[..., None] for a in args)
    return log_path_at(tau, log_y0, K, m, delta, g)


def blowup_time(log_y0, K, m, delta=0.0, g=0.0):
    """Exact time τ* of the finite-time singularity, inf where the solution never blows up
    (elementwise, numpy or PyTensor)."""
    xp = namespace_of(log_y0, K, m, delta, g)
    if not xp.symbolic:
        args = np.broadcast_arrays(log_y0, K, m, delta, g)
        log_y0, K, m, delta, g = (np.asarray(a, dtype=float) for a in args)
    superlinear = (m > 1.0) & (K > 0.0)
    # where there is no blow-up the branch below is discarded; give it safe inputs so that
    # neither its value nor (in PyTensor) its gradient is NaN
    m_safe = xp.where(superlinear, m, 2.0)
    K_safe = xp.where(superlinear, K, 1.0)
    with xp.errstate(divide="ignore", over="ignore", invalid="ignore"):
        e_star = 1.0 / ((m_safe - 1.0) * K_safe * xp.exp((m_safe - 1.0) * log_y0))
        G = g + (1.0 - m_safe) * delta
        t_star = e_star * log1p_ratio(G * e_star, xp)
    return xp.where(superlinear & xp.isfinite(e_star), t_star, xp.inf)

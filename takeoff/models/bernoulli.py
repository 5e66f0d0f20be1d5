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
"""

from __future__ import annotations

import numpy as np


def log1p_ratio(x: np.ndarray) -> np.ndarray:
    """φ(x) = ln(1+x)/x with φ(0) = 1; +inf for x ≤ −1 (past a blow-up)."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-8
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(small | (x <= -1.0), 0.5, x)
        value = np.log1p(safe) / safe
    xs = np.where(small, x, 0.0)  # the series only where it is used (x*x overflows elsewhere)
    value = np.where(small, 1.0 - 0.5 * xs + xs * xs / 3.0, value)
    return np.where(x <= -1.0, np.inf, value)


def expm1_ratio(x: np.ndarray) -> np.ndarray:
    """(e^x − 1)/x with value 1 at x = 0."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-8
    with np.errstate(over="ignore", invalid="ignore"):
        safe = np.where(small, 1.0, x)
        value = np.expm1(safe) / safe
    return np.where(small, 1.0 + 0.5 * x, value)


def log_path(
    tau: np.ndarray,
    log_y0: np.ndarray,
    K: np.ndarray,
    m: np.ndarray,
    delta: np.ndarray | float = 0.0,
    g: np.ndarray | float = 0.0,
) -> np.ndarray:
    """ln y(τ); per-draw arguments of shape (n,), ``tau`` of shape (T,) or (n, 1) -> (n, T).

    Returns +inf at and after a blow-up.
    """
    tau = np.asarray(tau, dtype=float)
    tau = tau[None, :] if tau.ndim == 1 else tau
    args = np.broadcast_arrays(log_y0, K, m, delta, g)
    log_y0, K, m, delta, g = (np.asarray(a, dtype=float)[..., None] for a in args)
    G = g + (1.0 - m) * delta
    with np.errstate(over="ignore", invalid="ignore"):  # overflow only far past any cap
        E = tau * expm1_ratio(G * tau)
        scale = K * np.exp((m - 1.0) * log_y0)
        x = (1.0 - m) * scale * E
    phi = log1p_ratio(x)
    with np.errstate(invalid="ignore", over="ignore"):
        out = log_y0 - delta * tau + scale * E * phi
    # +inf past a blow-up; NaN only where e^{Gτ} overflowed, i.e. astronomically far past any cap
    return np.where(np.isinf(phi) | np.isnan(out), np.inf, out)


def blowup_time(
    log_y0: np.ndarray,
    K: np.ndarray,
    m: np.ndarray,
    delta: np.ndarray | float = 0.0,
    g: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Exact time τ* of the finite-time singularity, inf where the solution never blows up."""
    args = np.broadcast_arrays(log_y0, K, m, delta, g)
    log_y0, K, m, delta, g = (np.asarray(a, dtype=float) for a in args)
    superlinear = (m > 1.0) & (K > 0.0)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        e_star = 1.0 / ((m - 1.0) * K * np.exp((m - 1.0) * log_y0))
        G = g + (1.0 - m) * delta
        t_star = e_star * log1p_ratio(G * e_star)
    return np.where(superlinear & np.isfinite(e_star), t_star, np.inf)

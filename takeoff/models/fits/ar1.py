"""A Gaussian AR(1) (Ornstein-Uhlenbeck) residual at irregular dates, as a PyMC likelihood and
its exact leave-one-out densities.

The residual e_i = y_i - mu_i at observation times T_i follows e_i | e_{i-1} ~ N(phi_i e_{i-1},
sigma^2 (1 - phi_i^2)) with phi_i = exp(-(T_i - T_{i-1}) / ell): exact and O(n). Its
observations are not independent given the parameters, so a fit with this likelihood stores
as log-likelihood the exact Gaussian leave-one-out densities log p(y_i | y_-i) (``ar1_loo``):
PSIS-LOO on them is the LOO of the non-factorised model (Bürkner, Gabry & Vehtari 2021). PyMC
is imported only inside the likelihood's functions.
"""

from __future__ import annotations

import numpy as np

FIRST_GAP_YEARS = 1e3  # the first residual has no predecessor: phi = exp(-1e3 / ell) = 0


def _ar1_logp(value, mu, sigma, ell, gap):
    """log p of each residual given the one before (an OU process at the record dates)."""
    import pymc as pm
    import pytensor.tensor as pt

    e = value - mu
    previous = pt.concatenate([pt.zeros((1,)), e[:-1]])
    phi = pt.exp(-gap / ell)
    sd = sigma * pt.sqrt(-pt.expm1(-2.0 * gap / ell))
    return pm.logp(pm.Normal.dist(phi * previous, sd), e)


def _ar1_draw(mu, sigma, ell, gap, size):
    """Draws of the OU residual path: e = L (sd z), L_ij = exp(-(T_i - T_j)/ell) for j <= i."""
    import pymc as pm
    import pytensor.tensor as pt

    T = pt.concatenate([pt.zeros((1,)), pt.cumsum(gap[1:])])
    lag = T[:, None] - T[None, :]
    L = pt.exp(-pt.abs(lag) / ell) * (lag >= 0)
    sd = sigma * pt.sqrt(-pt.expm1(-2.0 * gap / ell))
    z = pm.Normal.dist(0.0, 1.0, shape=mu.shape)
    return mu + pt.dot(L, sd * z)


def ar1_observed(name: str, mu, sigma, ell, gap, observed) -> None:
    import pymc as pm

    pm.CustomDist(
        name, mu, sigma, ell, gap, logp=_ar1_logp, dist=_ar1_draw, observed=observed, dims="obs"
    )


def ar1_loo(residual: np.ndarray, gap: np.ndarray, sigma: np.ndarray, ell: np.ndarray):
    """Exact leave-one-out log densities of Gaussian AR(1)/OU residuals, per draw.

    ``residual`` (S, n), ``gap`` (n,) years to the previous observation (the first: none),
    ``sigma``, ``ell`` (S,) in the residual's and the gap's units. The precision matrix Q of
    e_i | e_{i-1} ~ N(phi_i e_{i-1}, s_i^2) is tridiagonal: Q_ii = 1/s_i^2 + phi_{i+1}^2 /
    s_{i+1}^2, Q_{i,i-1} = -phi_i / s_i^2; with g = Q e, y_i | y_-i ~ N(y_i - g_i / Q_ii,
    1 / Q_ii) (Bürkner, Gabry & Vehtari 2021), so log p = ½ ln(Q_ii / 2π) − ½ g_i² / Q_ii.
    """
    e = np.asarray(residual, float)
    ratio = np.asarray(gap, float)[None, :] / np.asarray(ell, float)[:, None]
    phi = np.exp(-ratio)
    s2 = np.asarray(sigma, float)[:, None] ** 2 * -np.expm1(-2.0 * ratio)
    inv = 1.0 / s2
    diag = inv.copy()
    diag[:, :-1] += phi[:, 1:] ** 2 * inv[:, 1:]
    off = -phi[:, 1:] * inv[:, 1:]  # Q_{i, i-1} for i = 1..n-1
    g = diag * e
    g[:, 1:] += off * e[:, :-1]
    g[:, :-1] += off * e[:, 1:]
    return 0.5 * np.log(diag / (2.0 * np.pi)) - 0.5 * g**2 / diag

"""The AI Futures Model's production functions: the CES aggregate, research taste (human and
AI, and their aggregate) and the optimal-CES coding labour of a linear automation schedule
(its constants packed for the compiled kernels of :mod:`takeoff.models.aifm.kernels`)."""

from __future__ import annotations

import numpy as np
from scipy import special

from takeoff.models.aifm import kernels as K
from takeoff.models.aifm.constants import (
    LN2,
    LN10,
    LOG_TASTE_MAX,
    MAX_SD,
    TASK_INDEX_MAX,
    TOP_PERCENTILE,
)


def log_ces(log_x1, log_x2, alpha, rho):
    """ln (alpha x1^rho + (1 - alpha) x2^rho)^(1/rho) (Cobb-Douglas for |rho| < 1e-9), and
    the share of x1 in d ln CES (its elasticity)."""
    alpha = np.clip(alpha, 0.0, 1.0)
    cd = np.abs(rho) < 1e-9
    r = np.where(cd, 1.0, rho)
    with np.errstate(divide="ignore"):
        a1 = np.log(alpha) + r * log_x1
        a2 = np.log1p(-alpha) + r * log_x2
    tot = np.logaddexp(a1, a2)
    with np.errstate(invalid="ignore"):
        share = np.where(cd, alpha, np.exp(a1 - tot))
        value = np.where(cd, alpha * log_x1 + (1 - alpha) * log_x2, tot / r)
    return value, share


def taste_sigma(median_to_top):
    """sigma of the lognormal human taste (mean 1): ln(m) / Phi^-1(0.999); mu = -sigma^2/2."""
    return np.log(median_to_top) / special.ndtri(TOP_PERCENTILE)


def log_ai_taste(P, cal):
    """ln of the AI's research taste at progress P (the sd schedule, clamped as the peer)."""
    sd = np.minimum(cal["taste_slope"] * (P - cal["P_ac"]) + cal["taste_sd_ac"], MAX_SD)
    return np.minimum(cal["taste_mu"] + cal["taste_sigma"] * sd, LOG_TASTE_MAX)


def log_aggregate_taste(log_floor, cal):
    """ln E[max(T, F)], T lognormal(mu, sigma) with mean 1: F Phi(a) + Phi(sigma - a)."""
    sigma = cal["taste_sigma"]
    a = (log_floor - cal["taste_mu"]) / sigma
    return np.logaddexp(log_floor + special.log_ndtr(a), special.log_ndtr(sigma - a))


# --- optimal-CES coding labour ------------------------------------------------------------------


class Automation:
    """The optimal-CES coding labour of one linear automation schedule per draw: its constants
    packed for :func:`takeoff.models.aifm.kernels.labor_ratio_rows` (see the module doc)."""

    def __init__(self, rho, theta, eta0, P_z, D, grid):
        n = np.shape(rho)[0]
        self.P_z, self.D = np.asarray(P_z, float), np.asarray(D, float)
        beta = rho * theta / (1.0 - rho)
        di = np.where(grid > 0, TASK_INDEX_MAX / np.maximum(grid - 1, 1), 0.0)
        # w(i) = exp(w0 + c i) = E_aut(i)^-beta with ln E_aut(i) = ln10 (P_z + i D)
        c = -beta * LN10 * D
        w0 = -beta * LN10 * P_z
        q1 = c * di  # ln q, q = w_{m+1} / w_m on the grid
        q_small = np.abs(q1) < 1e-14
        with np.errstate(divide="ignore"):
            # B_j = di e^w0 ((1 + q)/2) (q^j - 1)/(q - 1): all but ln|q^j - 1| is constant
            b_const = (
                np.log(np.where(di > 0, di, 1.0))
                + w0
                + np.logaddexp(0.0, q1)
                - LN2
                - np.where(q_small, 0.0, _log_abs_expm1(np.where(q_small, 1.0, q1)))
            )
        A = np.empty((n, K.A_COLS))
        A[:, K.A_RHO] = rho
        A[:, K.A_THETA] = theta
        A[:, K.A_LOG_ETA0] = np.log(eta0)
        A[:, K.A_PZ] = P_z
        A[:, K.A_D] = D
        A[:, K.A_M] = grid
        A[:, K.A_DI] = di
        A[:, K.A_C] = c
        A[:, K.A_W0] = w0
        A[:, K.A_Q1] = q1
        A[:, K.A_QSMALL] = q_small
        A[:, K.A_BCONST] = b_const
        A[:, K.A_GAMMA] = theta / (1.0 - rho)
        self.A = A

    def automation(self, P, rows=None):
        P_z, D = (self.P_z, self.D) if rows is None else (self.P_z[rows], self.D[rows])
        return np.clip((P - P_z) / D, 0.0, 1.0)

    def log_labor_ratio(self, log_kappa, P, rows=None):
        """ln(L / H) at capability P with C/H = e^log_kappa (the optimal CES), per draw."""
        P = np.ascontiguousarray(P, dtype=float)
        rows = np.arange(P.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
        out = np.empty(P.shape[0])
        lk = np.ascontiguousarray(np.broadcast_to(log_kappa, P.shape), dtype=float)
        K.labor_ratio_rows(self.A, rows, lk, P, out)
        return out


def _log_abs_expm1(x):
    """ln |e^x - 1| (x != 0), without overflow: |expm1(-y)| = e^-y expm1(y)."""
    y = np.abs(x)
    with np.errstate(divide="ignore"):
        return (
            np.log(np.expm1(np.minimum(y, 700.0))) + np.maximum(y - 700.0, 0.0) + np.minimum(x, 0.0)
        )


def automation_schedule(cal, a_pd, P_pd, P_ac, a_ac):
    """The linear schedule through (P_pd, a_pd) and (P_ac, a_ac) as (P_z, D)."""
    slope = (a_ac - a_pd) / (P_ac - P_pd)
    flat = np.abs(slope) < 1e-12  # the peer's guard: thresholds spread between the anchors
    with np.errstate(divide="ignore", invalid="ignore"):
        D = np.where(flat, P_ac - P_pd, 1.0 / np.where(flat, 1.0, slope))
        P_z = np.where(flat, P_pd, P_pd - a_pd * D)
    return Automation(cal["rho_c"], cal["theta"], cal["eta0"], P_z, D, cal["grid"])

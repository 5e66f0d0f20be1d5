"""The research loop's software path ln S(t) as a differentiable PyTensor graph (for PyMC).

The same vector field as :mod:`takeoff.models.research_loop` (its numpy solver is the
reference: tests hold this one to it), written on PyTensor tensors of scalar parameters and
integrated by the classical fixed-step Runge-Kutta method (RK4) in a ``pytensor.scan``, so NUTS
gets exact gradients of the discrete path and nutpie compiles it with numba. The path starts at
the loop's start (tau = 0, ln S = 0) and runs both ways on a grid of ``step`` years: backwards
over the data period before the start and forwards over the data after it. Over a data period
of years at steps of a quarter the RK4 error is ~1e-7 in ln S (tests), far below the data's.

Parameters (a dict of scalar tensors or floats, the loop's own units, L0 = 1, S_ai = S_ref = 1,
g_U = 0): g_S, beta, lambda, log_S_max, g_C, g_L, g_I, nu, rho, log_A_ai, log_H0, kappa, gamma,
log_H_half, w. theta is calibrated as the family does: S grows at g_S at the start.

The horizon read-out is one function, :func:`log_horizon`; a fit passes another with the same
signature (``readout=``) to swap it (e.g. a read-out with curvature): the ODE's automation and
the data's horizons then both use it.
"""

from __future__ import annotations

import math

import numpy as np


def log_horizon(u, tau, p):
    """ln H [minutes] for ln S = u at tau years from the start: the straight read-out
    H = H0 (E/E0)^(kappa gamma) of research_loop (E = S C, C = C0 e^(g_C tau))."""
    return p["log_H0"] + p["kappa"] * p["gamma"] * (u + p["g_C"] * tau)


def log_horizon_changed(u, tau, p):
    """ln H [minutes] with one change of exponent (:func:`takeoff.models.readout.
    log_horizon_changed`): H = H0 (E/E0)^(kappa gamma) below E_change and exponent
    (kappa + dkappa) gamma above it; needs p["dkappa"] and p["log_E_change"] (ln E_change/E0,
    E0 = C0 at the start, S = 1 there). dkappa = 0 is :func:`log_horizon`."""
    from takeoff.models.readout import log_horizon_changed as changed

    h, dh = p["kappa"] * p["gamma"], p["dkappa"] * p["gamma"]
    return changed(u + p["g_C"] * tau, 0.0, p["log_H0"], h, dh, p["log_E_change"])


def _softplus(x):
    import pytensor.tensor as pt

    return pt.softplus(x)


def log_research(u, tau, p, readout=log_horizon):
    """(ln R, ln R_human): human labour e^(g_L tau) plus AI labour a(H) A_ai
    e^((g_I − nu g_C) tau) S^rho, as research_loop's ``_log_research``."""
    import pytensor.tensor as pt

    log_human = p["g_L"] * tau
    log_auto = -_softplus((p["log_H_half"] - readout(u, tau, p)) / p["w"])
    log_ai = p["log_A_ai"] + (p["g_I"] - p["nu"] * p["g_C"]) * tau + p["rho"] * u + log_auto
    return pt.logaddexp(log_human, log_ai), log_human


def log_uplift(u, tau, p, readout=log_horizon):
    """ln of the loop's uplift of AI research, lambda (ln R − ln R_human): the speed of
    software progress d ln S/dt with AI labour over the speed without it, at the same state
    (:mod:`takeoff.models.uplift`)."""
    from takeoff.models.uplift import log_loop_uplift

    log_r, log_human = log_research(u, tau, p, readout)
    return log_loop_uplift(log_r, log_human, p["lambda"])


def log_theta(p, readout=log_horizon):
    """ln theta set so that d ln S/dt = g_S at the start (ln S = 0, tau = 0)."""
    import pytensor.tensor as pt

    log_r0, _ = log_research(0.0, 0.0, p, readout)
    ceiling = pt.log(-pt.expm1(-p["log_S_max"]))
    return pt.log(p["g_S"]) - p["lambda"] * log_r0 - ceiling


def software_rate(u, tau, p, log_th, readout=log_horizon):
    """d ln S/dt = theta S^-beta R^lambda (1 − S/S_max)."""
    import pytensor.tensor as pt

    log_r, _ = log_research(u, tau, p, readout)
    ceiling = -pt.expm1(u - p["log_S_max"])
    return pt.exp(log_th - p["beta"] * u + p["lambda"] * log_r) * ceiling


def rk4_path(p, taus, u0=0.0, log_th=None, readout=log_horizon):
    """ln S at the nodes ``taus`` (a numpy grid with equal signed steps, starting where ln S =
    ``u0``), by RK4 on the grid's steps: a tensor of len(taus) (the first node's u0 included)."""
    import pytensor
    import pytensor.tensor as pt

    taus = np.asarray(taus, float)
    h = float(taus[1] - taus[0])
    if not np.allclose(np.diff(taus), h):
        raise ValueError("rk4_path takes a grid of equal steps")
    log_th = log_theta(p, readout) if log_th is None else log_th

    # the parameters go in as non-sequences (not closed over), so PyMC can replace its
    # random variables in the scan's inner graph
    keys = sorted(p)
    values = [pt.as_tensor_variable(p[k]) for k in keys]

    def step(tau, u, th, *vals):
        q = dict(zip(keys, vals, strict=True))
        k1 = software_rate(u, tau, q, th, readout)
        k2 = software_rate(u + 0.5 * h * k1, tau + 0.5 * h, q, th, readout)
        k3 = software_rate(u + 0.5 * h * k2, tau + 0.5 * h, q, th, readout)
        k4 = software_rate(u + h * k3, tau + h, q, th, readout)
        return u + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)

    u0 = pt.as_tensor_variable(np.asarray(u0, float)) if not hasattr(u0, "type") else u0
    rest = pytensor.scan(
        step,
        sequences=[pt.as_tensor_variable(taus[:-1])],
        outputs_info=[u0],
        non_sequences=[pt.as_tensor_variable(log_th), *values],
        return_updates=False,
    )
    return pt.concatenate([pt.shape_padleft(u0), rest])


def two_way_grid(tau_min: float, tau_max: float, step: float) -> tuple[np.ndarray, np.ndarray]:
    """The nodes back from 0 to at or below ``tau_min`` (0 first) and forward to at or above
    ``tau_max`` (0 first), ``step`` years apart."""
    back = int(np.ceil(max(-tau_min, 0.0) / step - 1e-9)) + 1
    fwd = int(np.ceil(max(tau_max, 0.0) / step - 1e-9)) + 1
    return -step * np.arange(max(back, 2)), step * np.arange(max(fwd, 2))


def node_grid(tau_min: float, tau_max: float, step: float, forward_substeps: int = 1):
    """(back, forward) nodes of a path from the start, both starting at 0: back to at or below
    ``tau_min`` at ``step`` years, forward to at or above ``tau_max`` at ``step /
    forward_substeps`` years (the loop speeds up after the start: its rate there can reach tens
    per year inside a posterior)."""
    back, _ = two_way_grid(tau_min, tau_max, step)
    _, fwd = two_way_grid(tau_min, tau_max, step / forward_substeps)
    return back, fwd


def path_nodes(
    p, tau_min: float, tau_max: float, step: float, readout=log_horizon, forward_substeps=1
):
    """(nodes, ln S at the nodes): the path from the start both ways on ``node_grid``'s nodes,
    increasing."""
    import pytensor.tensor as pt

    back, fwd = node_grid(tau_min, tau_max, step, forward_substeps)
    log_th = log_theta(p, readout)
    u_back = rk4_path(p, back, 0.0, log_th, readout)
    u_fwd = rk4_path(p, fwd, 0.0, log_th, readout)
    nodes = np.r_[back[::-1], fwd[1:]]
    return nodes, pt.concatenate([u_back[::-1], u_fwd[1:]])


def interpolation(nodes: np.ndarray, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the node at or below each tau and the weight of the next node (linear
    interpolation between increasing nodes, numpy: made once from the data)."""
    tau = np.asarray(tau, float)
    nodes = np.asarray(nodes, float)
    i = np.clip(np.searchsorted(nodes, tau + 1e-12, side="right") - 1, 0, len(nodes) - 2)
    return i, (tau - nodes[i]) / (nodes[i + 1] - nodes[i])


def at(values, index, weight):
    """Linear interpolation of node values at the data (index, weight from ``interpolation``)."""
    return values[index] * (1.0 - weight) + values[index + 1] * weight


def log_human_growth_factor(q, lam, g_L, span, xp=np):
    """ln F with F = D / g_S: D = −ln S(−span), the growth of ln S over the ``span`` years
    before the start on the Jones law with human labour only (no AI labour, no ceiling), for
    S growing at g_S at the start. In closed form (S^beta = 1 − q (1 − e^(−lambda g_L span)),
    q = beta g_S / (lambda g_L)):

        F = −ln(1 − q (1 − e^(−x))) / (q lambda g_L),  x = lambda g_L span

    ``xp`` is numpy or ``pytensor.tensor`` (both have log, log1p, expm1)."""
    x = lam * g_L * span
    return xp.log(-xp.log1p(q * xp.expm1(-x))) - xp.log(q * x) + math.log(span)

"""Vectorised explicit Runge–Kutta integration of log-states over many draws at once.

``integrate_adaptive`` is the workhorse: Dormand–Prince 5(4) with a step size of its own for
every draw (so one draw racing towards a singularity does not slow the others), the method's
4th-order continuous extension to write the output grid, and blow-up detection: a draw whose
state reaches the cap stops there, its crossing time found on the continuous extension.
``integrate_fixed`` takes equal steps with a classical tableau (RK4, or the 5th-order
Dormand–Prince weights) and exists to measure convergence order and for comparisons.

Both integrate u = ln y with du/dτ = growth_rate(τ, u, params), so states stay positive and
growth over hundreds of orders of magnitude is well conditioned. They return the states in
natural units, never inf or NaN: after a draw stops, its states hold their stopping values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numba
import numpy as np

GrowthRate = Callable[[np.ndarray, np.ndarray, Mapping[str, np.ndarray]], np.ndarray]

# Per-draw status codes, shared with takeoff.models.solve. CAPPED: a state reached the cap.
# SINGULAR: the adaptive step collapsed below the resolution of time while the state kept
# accelerating, i.e. the solution leaves every finite bound at that time (it is then held at
# the cap, as a capped draw is). EXHAUSTED: the step budget ran out (states held as they were).
OK, CAPPED, SINGULAR, EXHAUSTED = 0, 1, 2, 3
STATUS_NAMES = {OK: "ok", CAPPED: "capped", SINGULAR: "singular", EXHAUSTED: "exhausted"}


@dataclass(frozen=True)
class Tableau:
    """An explicit Runge–Kutta scheme: nodes c, matrix a, weights b, optional error weights."""

    name: str
    order: int
    c: tuple[float, ...]
    a: tuple[tuple[float, ...], ...]
    b: tuple[float, ...]
    e: tuple[float, ...] | None = None  # b - b_embedded; for adaptive methods


RK4 = Tableau(
    "rk4",
    4,
    c=(0.0, 0.5, 0.5, 1.0),
    a=((), (0.5,), (0.0, 0.5), (0.0, 0.0, 1.0)),
    b=(1 / 6, 1 / 3, 1 / 3, 1 / 6),
)

DOPRI5 = Tableau(
    "dopri5",
    5,
    c=(0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0),
    a=(
        (),
        (1 / 5,),
        (3 / 40, 9 / 40),
        (44 / 45, -56 / 15, 32 / 9),
        (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
        (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
        (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
    ),
    b=(35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0),
    e=(
        71 / 57600,
        0.0,
        -71 / 16695,
        71 / 1920,
        -17253 / 339200,
        22 / 525,
        -1 / 40,
    ),
)
# Coefficients of the Dormand–Prince continuous extension (Hairer, Nørsett & Wanner, dopri5).
_DENSE = (
    -12715105075 / 11282082432,
    0.0,
    87487479700 / 32700410799,
    -10690763975 / 1880347072,
    701980252875 / 199316789632,
    -1453857185 / 822651844,
    69997945 / 29380423,
)
TABLEAUS = {"rk4": RK4, "dopri5": DOPRI5}


@dataclass
class Integration:
    """Result of an integration: ``states`` (s, n, T) in natural units, per-draw ``status``
    (codes OK / CAPPED / SINGULAR / EXHAUSTED), ``t_stop`` (time since start at which a draw
    stopped, inf
    if it ran to the end) and the number of steps taken (attempted, for adaptive runs)."""

    states: np.ndarray
    status: np.ndarray
    t_stop: np.ndarray
    steps: int


def _stages(
    tableau: Tableau,
    growth: GrowthRate,
    t: np.ndarray,
    u: np.ndarray,
    h: np.ndarray,
    params: Mapping[str, np.ndarray],
    k1: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Stage derivatives k_i (each (n, s)) for one step of size h (n,) from (t, u)."""
    hc = h[:, None]
    ks = [growth(t, u, params) if k1 is None else k1]
    for ci, row in zip(tableau.c[1:], tableau.a[1:], strict=True):
        du = sum(aij * kj for aij, kj in zip(row, ks, strict=False) if aij != 0.0)
        ks.append(growth(t + ci * h, u + hc * du, params))
    return ks


def _combine(weights: tuple[float, ...], ks: list[np.ndarray]) -> np.ndarray:
    return sum(w * k for w, k in zip(weights, ks, strict=True) if w != 0.0)


def integrate_fixed(
    growth: GrowthRate,
    tau: np.ndarray,
    log_y0: np.ndarray,
    params: Mapping[str, np.ndarray],
    *,
    method: str = "rk4",
    substeps: int = 1,
    log_cap: float = math.log(1e300),
) -> Integration:
    """Equal steps, ``substeps`` per output interval, with one scheme from TABLEAUS."""
    tableau = TABLEAUS[method]
    n, s = log_y0.shape
    T = tau.shape[0]
    out = np.empty((s, n, T))
    u = log_y0.copy()
    status = np.zeros(n, dtype=np.int8)
    t_stop = np.full(n, np.inf)
    out[:, :, 0] = np.exp(u).T
    steps = 0
    for j in range(T - 1):
        h = (tau[j + 1] - tau[j]) / substeps
        for m in range(substeps):
            t = tau[j] + m * h
            hv = np.full(n, h)
            with np.errstate(over="ignore", invalid="ignore"):
                ks = _stages(tableau, growth, np.full(n, t), u, hv, params)
                u_new = u + h * _combine(tableau.b, ks)
            steps += 1
            running = status == OK
            over = running & ~np.all(np.isfinite(u_new) & (u_new < log_cap), axis=1)
            if over.any():
                # linear interpolation of the largest log-state to the cap within this step
                i = np.argmax(np.where(np.isfinite(u_new), u_new, np.inf), axis=1)
                rows = np.arange(n)
                u0i, u1i = u[rows, i], u_new[rows, i]
                with np.errstate(invalid="ignore"):
                    frac = np.where(np.isfinite(u1i), (log_cap - u0i) / (u1i - u0i), 0.0)
                t_stop[over] = t + np.clip(frac[over], 0.0, 1.0) * h
                status[over] = CAPPED
                held = np.where(np.isfinite(u_new[over]), u_new[over], log_cap)
                u_new[over] = np.minimum(held, log_cap)
            u = np.where((status == OK)[:, None] | over[:, None], u_new, u)
        out[:, :, j + 1] = np.exp(np.minimum(u, log_cap)).T
    return Integration(out, status, t_stop, steps)


def _initial_step(growth, t, u, f0, span, params, rtol, atol) -> np.ndarray:
    """Hairer–Nørsett–Wanner starting step, vectorised over draws."""
    scale = atol + rtol * np.abs(u)
    d0 = np.sqrt(np.mean((u / scale) ** 2, axis=1))
    d1 = np.sqrt(np.mean((f0 / scale) ** 2, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        h0 = np.where((d0 < 1e-5) | (d1 < 1e-5), 1e-6, 0.01 * d0 / d1)
    h0 = np.minimum(h0, span)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # big = 0: constant rate
        f1 = growth(t + h0, u + h0[:, None] * f0, params)
        d2 = np.sqrt(np.mean(((f1 - f0) / scale) ** 2, axis=1)) / h0
        big = np.maximum(d1, d2)
        h1 = np.where(big <= 1e-15, np.maximum(1e-6, h0 * 1e-3), (0.01 / big) ** 0.2)
    h = np.minimum(100 * h0, h1)
    return np.where(np.isfinite(h) & (h > 0), np.minimum(h, span), 1e-6 * span)


def _fill_dense_py(out, grid, rows, next_j, t0, h, t_until, r1, r2, r3, r4, r5, log_bound):
    """Write grid points grid[j] <= t_until of each active draw from the continuous extension,
    never above the draw's bound (its ceiling or the cap)."""
    T = grid.shape[0]
    s = out.shape[0]
    for a in numba.prange(rows.shape[0]):
        j = next_j[a]
        row = rows[a]
        while j < T and grid[j] <= t_until[a]:
            th = (grid[j] - t0[a]) / h[a]
            for i in range(s):
                v = r1[a, i] + th * (
                    r2[a, i] + (1.0 - th) * (r3[a, i] + th * (r4[a, i] + (1.0 - th) * r5[a, i]))
                )
                out[i, row, j] = math.exp(min(v, log_bound[a, i]))
            j += 1
        next_j[a] = j


def _fill_rest_py(out, rows, next_j, log_values):
    """Hold each stopped draw's states at ``log_values`` from its next grid point to the end."""
    T = out.shape[2]
    s = out.shape[0]
    for a in numba.prange(rows.shape[0]):
        for i in range(s):
            v = math.exp(log_values[a, i])
            for j in range(next_j[a], T):
                out[i, rows[a], j] = v


# Each kernel compiled twice: threads pay off for large blocks of draws only (waking the thread
# pool costs ~ms, more than a small block's whole fill).
PARALLEL_MIN_ROWS = 20_000
_fill_dense_serial = numba.njit(cache=True, nogil=True)(_fill_dense_py)
_fill_dense_parallel = numba.njit(cache=True, parallel=True)(_fill_dense_py)
_fill_rest_serial = numba.njit(cache=True, nogil=True)(_fill_rest_py)
_fill_rest_parallel = numba.njit(cache=True, parallel=True)(_fill_rest_py)


def _fill_dense(out, grid, rows, *args):
    kernel = _fill_dense_parallel if rows.size >= PARALLEL_MIN_ROWS else _fill_dense_serial
    kernel(out, grid, rows, *args)


def _fill_rest(out, rows, next_j, log_values):
    kernel = _fill_rest_parallel if rows.size >= PARALLEL_MIN_ROWS else _fill_rest_serial
    kernel(out, rows, next_j, log_values)


def _dense_coefficients(u0, u1, h, ks):
    """Coefficients r1..r5 of the Dormand–Prince continuous extension on each step."""
    hc = h[:, None]
    r2 = u1 - u0
    r3 = hc * ks[0] - r2
    r4 = r2 - hc * ks[6] - r3
    r5 = hc * _combine(_DENSE, ks)
    return u0, r2, r3, r4, r5


def _dense_eval(r, th):
    r1, r2, r3, r4, r5 = r
    th = th[:, None]
    return r1 + th * (r2 + (1 - th) * (r3 + th * (r4 + (1 - th) * r5)))


def integrate_adaptive(
    growth: GrowthRate,
    tau: np.ndarray,
    log_y0: np.ndarray,
    params: Mapping[str, np.ndarray],
    *,
    rtol: float = 1e-8,
    atol: float = 1e-10,
    log_cap: float = math.log(1e300),
    log_ceiling: np.ndarray | None = None,
    max_steps: int = 1_000_000,
) -> Integration:
    """Dormand–Prince 5(4) with per-draw step sizes; output on the grid ``tau`` (T,).

    Tolerances apply to the log-states: ``atol`` is a relative error in the state itself.
    ``log_ceiling`` (n, s), if given, is an upper bound the dynamics can never pass (a family's
    ceiling, inf where there is none): a draw whose step collapses while it races towards a
    finite ceiling has reached it (status OK, held there), not a singularity.
    """
    n, s = log_y0.shape
    T = tau.shape[0]
    span = float(tau[-1] - tau[0])
    out = np.empty((s, n, T))
    out[:, :, 0] = np.exp(np.minimum(log_y0, log_cap)).T
    status = np.zeros(n, dtype=np.int8)
    t_stop = np.full(n, np.inf)
    over0 = np.any(log_y0 >= log_cap, axis=1)
    status[over0] = CAPPED
    t_stop[over0] = 0.0
    first = np.ones(int(over0.sum()), np.int64)
    _fill_rest(out, np.flatnonzero(over0), first, np.minimum(log_y0[over0], log_cap))
    if T == 1 or span == 0.0:
        return Integration(out, status, t_stop, 0)

    rows = np.flatnonzero(~over0)
    p = {k: v[rows] for k, v in params.items()}
    ceiling = np.full((rows.size, s), np.inf) if log_ceiling is None else log_ceiling[rows]
    u = log_y0[rows].copy()
    t = np.full(rows.size, float(tau[0]))
    t_end = float(tau[-1])
    next_j = np.ones(rows.size, dtype=np.int64)
    with np.errstate(over="ignore", invalid="ignore"):
        f = growth(t, u, p)
    h = _initial_step(growth, t, u, f, span, p, rtol, atol)
    steps = 0
    e = DOPRI5.e
    while rows.size:
        if steps >= max_steps:
            status[rows] = EXHAUSTED
            t_stop[rows] = t
            _fill_rest(out, rows, next_j, np.minimum(u, log_cap))
            break
        steps += 1
        last = t + h >= t_end - 1e-12 * span
        h = np.where(last, t_end - t, h)
        with np.errstate(over="ignore", invalid="ignore"):
            ks = _stages(DOPRI5, growth, t, u, h, p, k1=f)  # 7 stages, the last at u_new (FSAL)
            u_new = u + h[:, None] * _combine(DOPRI5.b, ks)
            err = h[:, None] * _combine(e, ks)
            scale = atol + rtol * np.maximum(np.abs(u), np.abs(u_new))
            norm = np.sqrt(np.mean((err / scale) ** 2, axis=1))
        finite = np.all(np.isfinite(u_new), axis=1) & np.all(np.isfinite(ks[6]), axis=1)
        norm = np.where(finite & np.isfinite(norm), norm, np.inf)
        accept = norm <= 1.0
        with np.errstate(divide="ignore"):
            factor = np.clip(0.9 * norm**-0.2, 0.2, 10.0)
        t_new = np.where(last, t_end, t + h)

        done = np.zeros(rows.size, dtype=bool)
        if accept.any():
            a = np.flatnonzero(accept)
            r = _dense_coefficients(u[a], u_new[a], h[a], [k[a] for k in ks])
            crossed = np.any(u_new[a] >= log_cap, axis=1)
            t_until = t_new[a].copy()
            if crossed.any():
                c = np.flatnonzero(crossed)
                th = _crossing(tuple(x[c] for x in r), log_cap)
                t_until[c] = t[a][c] + th * h[a][c]
            nj = next_j[a]
            bound = np.minimum(ceiling[a], log_cap)
            _fill_dense(out, tau, rows[a], nj, t[a], h[a], t_until, *r, bound)
            next_j[a] = nj
            if crossed.any():
                ac = a[c]
                held = np.minimum(_dense_eval(tuple(x[c] for x in r), th), log_cap)
                _fill_rest(out, rows[ac], next_j[ac], held)
                status[rows[ac]] = CAPPED
                t_stop[rows[ac]] = t_until[c]
                done[ac] = True
            t[a] = t_new[a]
            u[a] = np.minimum(u_new[a], ceiling[a])  # the exact solution never passes a ceiling
            f[a] = ks[6][a]
            done |= accept & last
        h = h * np.where(accept, factor, np.minimum(factor, 1.0))
        stalled = ~done & (h <= 1e-13 * np.maximum(1.0, np.abs(t)))
        if stalled.any():
            st = np.flatnonzero(stalled)
            # the fastest-growing state is the one that diverges: it reaches its ceiling at
            # once, or, with none, leaves every bound (held at the cap)
            fastest = np.argmax(f[st], axis=1)
            bound = np.minimum(ceiling[st, fastest], log_cap)
            at_ceiling = bound < log_cap
            held = np.minimum(u[st], log_cap)
            held[np.arange(st.size), fastest] = bound
            status[rows[st]] = np.where(at_ceiling, OK, SINGULAR)
            t_stop[rows[st]] = np.where(at_ceiling, np.inf, t[st])
            _fill_rest(out, rows[st], next_j[st], held)
            done |= stalled
        if done.any():
            keep = ~done
            rows, t, u, f, h = rows[keep], t[keep], u[keep], f[keep], h[keep]
            next_j, ceiling = next_j[keep], ceiling[keep]
            p = {k: v[keep] for k, v in p.items()}
    t_stop = np.where(np.isfinite(t_stop), t_stop - tau[0], np.inf)
    return Integration(out, status, t_stop, steps)


def _crossing(r, log_cap: float) -> np.ndarray:
    """Fraction θ of the step at which the largest log-state reaches the cap (bisection on the
    continuous extension; the state is below the cap at θ = 0 and at or above it at θ = 1)."""
    lo = np.zeros(r[0].shape[0])
    hi = np.ones_like(lo)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        above = np.any(_dense_eval(r, mid) >= log_cap, axis=1)
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return hi


# --- in arc length: through blow-ups in a few steps --------------------------------------------


def _fill_dense_arc_py(out, grid, rows, next_j, t_until, r1, r2, r3, r4, r5, log_bound):
    """As ``_fill_dense_py`` for a step in arc length: component 0 of the continuous extension
    is the time t(θ), the others the log-states; each grid time is found on t(θ) by Newton's
    method from the linear guess (t is close to linear in θ within a step), kept in [0, 1]."""
    T = grid.shape[0]
    s = out.shape[0]
    for a in numba.prange(rows.shape[0]):
        j = next_j[a]
        row = rows[a]
        t0 = r1[a, 0]
        t1 = r1[a, 0] + r2[a, 0]
        while j < T and grid[j] <= t_until[a]:
            target = grid[j]
            th = (target - t0) / (t1 - t0) if t1 > t0 else 1.0
            th = min(max(th, 0.0), 1.0)
            for _ in range(8):
                q = r3[a, 0] + th * (r4[a, 0] + (1.0 - th) * r5[a, 0])
                dq = r4[a, 0] + (1.0 - 2.0 * th) * r5[a, 0]
                v = t0 + th * (r2[a, 0] + (1.0 - th) * q)
                dv = r2[a, 0] + (1.0 - 2.0 * th) * q + th * (1.0 - th) * dq
                if dv <= 0.0:
                    break
                step = (v - target) / dv
                th = min(max(th - step, 0.0), 1.0)
                if abs(step) < 1e-13:
                    break
            for i in range(s):
                v = r1[a, i + 1] + th * (
                    r2[a, i + 1]
                    + (1.0 - th) * (r3[a, i + 1] + th * (r4[a, i + 1] + (1.0 - th) * r5[a, i + 1]))
                )
                out[i, row, j] = math.exp(min(v, log_bound[a, i]))
            j += 1
        next_j[a] = j


_fill_dense_arc_serial = numba.njit(cache=True, nogil=True)(_fill_dense_arc_py)
_fill_dense_arc_parallel = numba.njit(cache=True, parallel=True)(_fill_dense_arc_py)


def _fill_dense_arc(out, grid, rows, *args):
    kernel = _fill_dense_arc_parallel if rows.size >= PARALLEL_MIN_ROWS else _fill_dense_arc_serial
    kernel(out, grid, rows, *args)


def _arc_field(growth: GrowthRate):
    """d(t, u)/ds along the arc length s of the path (t, u = ln y): (1, g) / sqrt(1 + |g|^2),
    with g = growth(t, u). Where g is huge (a blow-up) the path turns vertical: t stops, u runs."""

    def field(s, z, params):
        with np.errstate(over="ignore", invalid="ignore"):
            g = growth(z[:, 0], z[:, 1:], params)
            out = np.empty((g.shape[0], g.shape[1] + 1))
            if g.shape[1] == 1:  # one state: hypot neither overflows nor underflows
                norm = np.hypot(1.0, g[:, 0])
            else:
                g = np.clip(g, -1e150, 1e150)
                a = np.maximum(1.0, np.max(np.abs(g), axis=1))  # scaled: no overflow
                norm = a * np.sqrt((1.0 / a) ** 2 + np.sum((g / a[:, None]) ** 2, axis=1))
            np.divide(1.0, norm, out=out[:, 0])
            np.divide(g, norm[:, None], out=out[:, 1:])
            return out

    return field


def _crossing_arc_py(r1, r2, r3, r4, r5, log_cap, theta):
    """θ in [0, 1] at which the largest log-state (components 1..) of each row's continuous
    extension reaches ``log_cap`` (bisection; below at θ = 0, at or above at θ = 1)."""
    for a in range(r1.shape[0]):
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            above = False
            for i in range(1, r1.shape[1]):
                v = r1[a, i] + mid * (
                    r2[a, i] + (1.0 - mid) * (r3[a, i] + mid * (r4[a, i] + (1.0 - mid) * r5[a, i]))
                )
                if v >= log_cap:
                    above = True
                    break
            if above:
                hi = mid
            else:
                lo = mid
        theta[a] = hi


_crossing_arc = numba.njit(cache=True, nogil=True)(_crossing_arc_py)


def integrate_arclength(
    growth: GrowthRate,
    tau: np.ndarray,
    log_y0: np.ndarray,
    params: Mapping[str, np.ndarray],
    *,
    rtol: float = 1e-8,
    atol: float = 1e-10,
    log_cap: float = math.log(1e300),
    log_ceiling: np.ndarray | None = None,
    max_steps: int = 100_000,
    resolution: float = 1e-13,
) -> Integration:
    """Dormand–Prince 5(4) in the arc length s of the path (t, ln y) instead of in t; output
    on the grid ``tau`` (T,) all the same.

    Near a finite-time blow-up d ln y/dt grows without bound, and a step in t must shrink with
    the time left (~160 steps from a tenth of a year to 1e-13 of the singularity at rtol 1e-6);
    in arc length the path just turns vertical and the steps stay of order one, so a draw
    reaches the cap in ~20 steps. A blow-up is therefore followed to the cap: such draws end
    CAPPED at the time they cross it (within the tolerance of the singularity date for a
    blow-up, whose last decades of growth take no time), never SINGULAR (which remains for a
    step that collapses for another reason). Elsewhere it is as ``integrate_adaptive`` (same
    tolerances on the log-states and the time, ceilings, states held after stopping).
    """
    n, s_count = log_y0.shape
    T = tau.shape[0]
    span = float(tau[-1] - tau[0])
    out = np.empty((s_count, n, T))
    out[:, :, 0] = np.exp(np.minimum(log_y0, log_cap)).T
    status = np.zeros(n, dtype=np.int8)
    t_stop = np.full(n, np.inf)
    over0 = np.any(log_y0 >= log_cap, axis=1)
    status[over0] = CAPPED
    t_stop[over0] = 0.0
    first = np.ones(int(over0.sum()), np.int64)
    _fill_rest(out, np.flatnonzero(over0), first, np.minimum(log_y0[over0], log_cap))
    if T == 1 or span == 0.0:
        return Integration(out, status, t_stop, 0)

    field = _arc_field(growth)
    rows = np.flatnonzero(~over0)
    p = {k: v[rows] for k, v in params.items()}
    ceiling = np.full((rows.size, s_count), np.inf) if log_ceiling is None else log_ceiling[rows]
    t_end = float(tau[-1])
    z = np.concatenate([np.full((rows.size, 1), float(tau[0])), log_y0[rows]], axis=1)
    arc = np.zeros(rows.size)
    next_j = np.ones(rows.size, dtype=np.int64)
    f = field(arc, z, p)
    h = _initial_step(field, arc, z, f, span, p, rtol, atol)
    steps = 0
    e = DOPRI5.e
    while rows.size:
        if steps >= max_steps:
            status[rows] = EXHAUSTED
            t_stop[rows] = z[:, 0]
            _fill_rest(out, rows, next_j, np.minimum(z[:, 1:], log_cap))
            break
        steps += 1
        with np.errstate(over="ignore", invalid="ignore"):
            ks = _stages(DOPRI5, field, arc, z, h, p, k1=f)
            z_new = z + h[:, None] * _combine(DOPRI5.b, ks)
            err = h[:, None] * _combine(e, ks)
            scale = atol + rtol * np.maximum(np.abs(z), np.abs(z_new))
            norm = np.sqrt(np.mean((err / scale) ** 2, axis=1))
        finite = np.all(np.isfinite(z_new), axis=1) & np.all(np.isfinite(ks[6]), axis=1)
        norm = np.where(finite & np.isfinite(norm), norm, np.inf)
        accept = norm <= 1.0
        with np.errstate(divide="ignore"):
            factor = np.clip(0.9 * norm**-0.2, 0.2, 10.0)

        done = np.zeros(rows.size, dtype=bool)
        if accept.any():
            # every draw accepted (the usual case): views instead of copies
            a = slice(None) if accept.all() else np.flatnonzero(accept)
            r = _dense_coefficients(z[a], z_new[a], h[a], [k[a] for k in ks])
            t_until = np.minimum(z_new[a, 0], t_end)
            crossed = np.any(z_new[a, 1:] >= log_cap, axis=1)
            if crossed.any():
                c = np.flatnonzero(crossed)
                rc = tuple(np.ascontiguousarray(x[c]) for x in r)
                th = np.empty(c.size)
                _crossing_arc(*rc, log_cap, th)
                t_cross = _dense_eval(tuple(x[:, :1] for x in rc), th)[:, 0]
                inside = t_cross <= t_end  # a crossing after the end is not reached
                c, th, t_cross = c[inside], th[inside], t_cross[inside]
                rc = tuple(x[inside] for x in rc)
                crossed[:] = False
                crossed[c] = True
                t_until[c] = t_cross
            bound = np.minimum(ceiling[a], log_cap)
            nj = next_j[a]
            _fill_dense_arc(out, tau, rows[a], nj, t_until, *r, bound)
            next_j[a] = nj
            if crossed.any():
                ac = c if isinstance(a, slice) else a[c]
                held = np.minimum(_dense_eval(tuple(x[:, 1:] for x in rc), th), log_cap)
                _fill_rest(out, rows[ac], next_j[ac], held)
                status[rows[ac]] = CAPPED
                t_stop[rows[ac]] = t_cross
                done[ac] = True
            arc[a] = arc[a] + h[a]
            z[a] = z_new[a]
            z[a, 1:] = np.minimum(z_new[a, 1:], ceiling[a])
            f[a] = ks[6][a]
            done[a] |= z_new[a, 0] >= t_end
        h = h * np.where(accept, factor, np.minimum(factor, 1.0))
        stalled = ~done & (h <= resolution * np.maximum(1.0, np.abs(arc)))
        if stalled.any():
            st = np.flatnonzero(stalled)
            fastest = np.argmax(f[st, 1:], axis=1)
            bound = np.minimum(ceiling[st, fastest], log_cap)
            at_ceiling = bound < log_cap
            held = np.minimum(z[st, 1:], log_cap)
            held[np.arange(st.size), fastest] = bound
            status[rows[st]] = np.where(at_ceiling, OK, SINGULAR)
            t_stop[rows[st]] = np.where(at_ceiling, np.inf, z[st, 0])
            _fill_rest(out, rows[st], next_j[st], held)
            done |= stalled
        if done.any():
            keep = ~done
            rows, z, f, h, arc = rows[keep], z[keep], f[keep], h[keep], arc[keep]
            next_j, ceiling = next_j[keep], ceiling[keep]
            p = {k: v[keep] for k, v in p.items()}
    t_stop = np.where(np.isfinite(t_stop), t_stop - tau[0], np.inf)
    return Integration(out, status, t_stop, steps)

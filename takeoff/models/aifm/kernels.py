"""Compiled row kernels of :mod:`takeoff.models.aifm`: the optimal-CES coding labour and the
research effort, one loop over draws in numba (the integrator around them stays vectorised).

These are the model's only definitions of those two formulas; the module docstring of
:mod:`takeoff.models.aifm` states them. Per-draw constants arrive packed in float arrays whose
columns are named by the ``A_*`` (automation) and ``R_*`` (research effort) indices below.
"""

from __future__ import annotations

import math

import numba
import numpy as np

LN10 = math.log(10.0)
LN2 = math.log(2.0)
TASK_INDEX_MAX = 1.0 - 1e-6
EPS = 1e-18
LOG_TINY = math.log(1e-300)
LOG_CAP = math.log(1e30)
MAX_SD = 100.0

# automation constants (one row per draw)
(A_RHO, A_THETA, A_LOG_ETA0, A_PZ, A_D, A_M, A_DI, A_C, A_W0, A_Q1, A_QSMALL, A_BCONST,
 A_GAMMA) = range(13)  # fmt: skip
A_COLS = 13
# research-effort constants
(R_PP, R_LOG_NORM, R_ZETA, R_ALPHA, R_RHO_X, R_SLOPE, R_PAC, R_SDAC, R_MU, R_SIGMA, R_HUMAN,
 R_LH_PD, R_LC_PD, R_LX_PD) = range(14)  # fmt: skip
R_COLS = 14


@numba.njit(cache=True)
def log_abs_expm1(x):
    """ln |e^x - 1| for x != 0, without overflow."""
    y = abs(x)
    return math.log(math.expm1(min(y, 700.0))) + max(y - 700.0, 0.0) + min(x, 0.0)


@numba.njit(cache=True)
def logaddexp(a, b):
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    m = max(a, b)
    return m + math.log1p(math.exp(-abs(a - b)))


@numba.njit(cache=True)
def log_ndtr(x):
    """ln Phi(x): erfc above -37, the asymptotic series (to 1/x^6) below."""
    if x > -37.0:
        v = 0.5 * math.erfc(-x / math.sqrt(2.0))
        return math.log(v) if v > 0.0 else -math.inf
    x2 = x * x
    series = 1.0 - 1.0 / x2 + 3.0 / (x2 * x2) - 15.0 / (x2 * x2 * x2)
    return -0.5 * x2 - math.log(-x) - 0.5 * math.log(2.0 * math.pi) + math.log(series)


@numba.njit(cache=True)
def _log_eaut(a, x):
    return LN10 * (a[A_PZ] + x * a[A_D])


@numba.njit(cache=True)
def _log_q(a, x):
    return (1.0 - a[A_RHO]) * math.log(1.0 - x + EPS)


@numba.njit(cache=True)
def _log_b_node(a, j):
    """ln B at grid node j (trapezoid sum of a geometric sequence); -inf at j = 0."""
    if j <= 0.0:
        return -math.inf
    if a[A_QSMALL] > 0.5:
        return a[A_BCONST] + math.log(j)
    return a[A_BCONST] + log_abs_expm1(j * a[A_Q1])


@numba.njit(cache=True)
def _node_value(a, kind, j):
    """Tabulated ln B (0), ln Q (1), ln R (2) or ln F (3) at node j."""
    x = j * a[A_DI]
    if kind == 0:
        return _log_b_node(a, j)
    if kind == 1:
        return _log_q(a, x)
    if kind == 2:
        return _log_q(a, x) - a[A_THETA] * _log_eaut(a, x)
    return _log_b_node(a, j) + a[A_GAMMA] * _log_eaut(a, x) - math.log(1.0 - x + EPS)


@numba.njit(cache=True)
def _exact_value(a, kind, x):
    """The continuum's ln B, ln Q, ln R, ln F at x."""
    if kind == 1:
        return _log_q(a, x)
    if kind == 2:
        return _log_q(a, x) - a[A_THETA] * _log_eaut(a, x)
    c = a[A_C]
    if x <= 0.0:
        lb = -math.inf
    elif abs(c) < 1e-12:
        lb = a[A_W0] + math.log(x)
    else:
        lb = a[A_W0] + log_abs_expm1(c * x) - math.log(abs(c))
    if kind == 0:
        return lb
    return lb + a[A_GAMMA] * _log_eaut(a, x) - math.log(1.0 - x + EPS)


@numba.njit(cache=True)
def _value(a, kind, x):
    """A task function at x: the peer's linear interpolation of its table, or the continuum."""
    if a[A_M] <= 0.0:
        return _exact_value(a, kind, x)
    di = a[A_DI]
    j = min(max(math.floor(x / di), 0.0), a[A_M] - 2.0)
    t = x / di - j
    y0 = _node_value(a, kind, j)
    y1 = _node_value(a, kind, j + 1.0)
    if y0 == -math.inf:
        return y1 if t >= 1.0 else -math.inf
    return (1.0 - t) * y0 + t * y1


@numba.njit(cache=True)
def _f_and_slope(a, z, grid):
    """ln F and d ln F / dz as a smooth function of z: the node index j = z for the grid (whose
    node values it interpolates exactly at integers), the task index x = z for the continuum."""
    if grid:
        x = z * a[A_DI]
        e = z * a[A_Q1]
        if a[A_QSMALL] > 0.5:
            lb, dlb = a[A_BCONST] + math.log(z), 1.0 / z
        else:
            lb, dlb = a[A_BCONST] + log_abs_expm1(e), a[A_Q1] / -math.expm1(-e)
        dx = a[A_DI]
    else:
        x = z
        c = a[A_C]
        if abs(c) < 1e-12:
            lb, dlb = a[A_W0] + math.log(x), 1.0 / x
        else:
            lb = a[A_W0] + log_abs_expm1(c * x) - math.log(abs(c))
            dlb = c / -math.expm1(-c * x)
        dx = 1.0
    one = 1.0 - x + EPS
    f = lb + a[A_GAMMA] * _log_eaut(a, x) - math.log(one)
    return f, dlb + dx * (a[A_GAMMA] * LN10 * a[A_D] + 1.0 / one)


@numba.njit(cache=True)
def _root(a, y, lo, hi, grid, width):
    """z in (lo, hi) with ln F(z) = y (ln F(lo) < y <= ln F(hi)). Newton steps in
    w = -ln(1 - x), in which the -ln(1 - x) term of ln F (which dominates near x = 1, where the
    cut sits after AC) is linear, kept inside the bracket (bisection otherwise)."""
    scale = a[A_DI] if grid else 1.0  # x = z * scale
    z = hi
    for _ in range(100):
        f, dz = _f_and_slope(a, z, grid)
        if f < y:
            lo = z
        else:
            hi = z
        if hi - lo <= width:
            break
        x = z * scale
        one = 1.0 - x + EPS
        dw = dz / scale * one  # d ln F / dw
        w_new = -math.log(one) - (f - y) / dw
        zn = (1.0 + EPS - math.exp(-w_new)) / scale
        if not (lo < zn < hi) or not math.isfinite(zn):
            zn = 0.5 * (lo + hi)
        z = zn
    return lo, hi


@numba.njit(cache=True)
def _invert_f(a, y, hi_x):
    """x with ln F(x) = y (y <= ln F(hi_x)). Grid: the peer's answer (the nodes lo < hi = lo + 1
    with F_lo < y <= F_hi, then a linear step), found by a Newton search on the node function
    instead of its bisection over 4096 nodes; continuum: to 1e-14 in x."""
    if a[A_M] <= 0.0:
        _, hi = _root(a, y, 0.0, hi_x, False, 1e-14)
        return hi
    last = a[A_M] - 1.0
    if y >= _node_value(a, 3, last):
        return last * a[A_DI]
    if y <= _node_value(a, 3, 1.0):
        return a[A_DI]  # between node 0 (ln F = -inf) and node 1: the peer's step lands on 1
    zl, _ = _root(a, y, 1.0, last, True, 0.5)
    j = min(max(math.floor(zl), 1.0), last - 1.0)
    while j > 1.0 and _node_value(a, 3, j) >= y:
        j -= 1.0
    while j < last - 1.0 and _node_value(a, 3, j + 1.0) < y:
        j += 1.0
    y0 = _node_value(a, 3, j)
    y1 = _node_value(a, 3, j + 1.0)
    t = min(max((y - y0) / (y1 - y0), 0.0), 1.0)
    return (j + t) * a[A_DI]


@numba.njit(cache=True)
def _lerp(t, y0, y1):
    if y0 == -math.inf:
        return y1 if t >= 1.0 else -math.inf
    return (1.0 - t) * y0 + t * y1


@numba.njit(cache=True)
def _tables_at(a, x):
    """The peer's interpolated ln B, ln Q, ln R, ln F at x, sharing the transcendental work of
    the two nodes around x (the continuum: the exact functions)."""
    if a[A_M] <= 0.0:
        return (_exact_value(a, 0, x), _exact_value(a, 1, x), _exact_value(a, 2, x),
                _exact_value(a, 3, x))  # fmt: skip
    di = a[A_DI]
    j = min(max(math.floor(x / di), 0.0), a[A_M] - 2.0)
    t = x / di - j
    x0, x1 = j * di, (j + 1.0) * di
    b0, b1 = _log_b_node(a, j), _log_b_node(a, j + 1.0)
    m0, m1 = math.log(1.0 - x0 + EPS), math.log(1.0 - x1 + EPS)
    e0, e1 = _log_eaut(a, x0), _log_eaut(a, x1)
    q0, q1 = (1.0 - a[A_RHO]) * m0, (1.0 - a[A_RHO]) * m1
    lb = _lerp(t, b0, b1)
    lq = (1.0 - t) * q0 + t * q1
    lr = (1.0 - t) * (q0 - a[A_THETA] * e0) + t * (q1 - a[A_THETA] * e1)
    f0 = b0 + a[A_GAMMA] * e0 - m0 if b0 != -math.inf else -math.inf
    lf = _lerp(t, f0, b1 + a[A_GAMMA] * e1 - m1)
    return lb, lq, lr, lf


@numba.njit(cache=True)
def log_labor_ratio(a, log_kappa, P):
    """ln(L / H): the optimal-CES coding labour at progress P with C/H = e^log_kappa."""
    if P < a[A_PZ]:
        return 0.0  # nothing automatable: L = H
    rho = a[A_RHO]
    x_e = min(max((P - a[A_PZ]) / a[A_D], 0.0), TASK_INDEX_MAX)
    log_s = max(log_kappa + a[A_LOG_ETA0], LOG_TINY) + a[A_THETA] * LN10 * P
    lb, lq, _, lf = _tables_at(a, x_e)
    if log_s <= lf:  # interior: the cut solves F(i_c) = S
        xc = _invert_f(a, log_s, x_e)
        _, lqc, lrc, _ = _tables_at(a, xc)
        return logaddexp(lqc, log_s + lrc) / rho
    return logaddexp(lq, rho * log_s + (1.0 - rho) * lb) / rho


@numba.njit(cache=True)
def labor_ratio_rows(A, rows, log_kappa, P, out):
    for k in range(rows.shape[0]):
        out[k] = log_labor_ratio(A[rows[k]], log_kappa[k], P[k])


@numba.njit(cache=True)
def log_research_effort(a, r, lH, lC, lX, P):
    """ln RE: taste x CES(X^zeta, (L^pp) norm), both caps at 1e30 (the peer's)."""
    if r[R_HUMAN] > 0.5:
        log_l = lH
    else:
        log_l = lH + log_labor_ratio(a, lC - lH, P)
    x1 = r[R_ZETA] * lX
    x2 = r[R_PP] * log_l + r[R_LOG_NORM]
    alpha = min(max(r[R_ALPHA], 0.0), 1.0)
    rho = r[R_RHO_X]
    if abs(rho) < 1e-9:
        ces = alpha * x1 + (1.0 - alpha) * x2
    else:
        t1 = (math.log(alpha) if alpha > 0.0 else -math.inf) + rho * x1
        t2 = (math.log1p(-alpha) if alpha < 1.0 else -math.inf) + rho * x2
        ces = logaddexp(t1, t2) / rho
    ces = min(ces, LOG_CAP)
    if r[R_HUMAN] > 0.5:
        return min(ces, LOG_CAP)
    sd = min(r[R_SLOPE] * (P - r[R_PAC]) + r[R_SDAC], MAX_SD)
    mu, sigma = r[R_MU], r[R_SIGMA]
    lf = min(mu + sigma * sd, LOG_CAP)
    z = (lf - mu) / sigma
    taste = logaddexp(lf + log_ndtr(z), log_ndtr(sigma - z))
    return min(ces + taste, LOG_CAP)


@numba.njit(cache=True)
def _segment(tk, t):
    K = tk.shape[0]
    lo, hi = 0, K - 1
    if t <= tk[0]:
        return 0, 0.0
    if t >= tk[K - 1]:
        return K - 2, 1.0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if tk[mid] <= t:
            lo = mid
        else:
            hi = mid
    return lo, (t - tk[lo]) / (tk[lo + 1] - tk[lo])


@numba.njit(cache=True)
def research_effort_rows(A, R, rows, t, P, tk, logs, present, out):
    """ln RE for draws ``rows`` at (t, P); ``present``: with the present-day inputs."""
    for k in range(rows.shape[0]):
        i = rows[k]
        r = R[i]
        if present:
            lH, lC, lX = r[R_LH_PD], r[R_LC_PD], r[R_LX_PD]
        else:
            j, f = _segment(tk, t[k])
            lH = logs[0, j] + (logs[0, j + 1] - logs[0, j]) * f
            lC = logs[1, j] + (logs[1, j + 1] - logs[1, j]) * f
            lX = logs[2, j] + (logs[2, j + 1] - logs[2, j]) * f
        out[k] = log_research_effort(A[i], r, lH, lC, lX, P[k])


@numba.njit(cache=True)
def _positive_linear_integral(a, b, L, x):
    m = (b - a) / L
    if m == 0.0:
        return max(a, 0.0) * x
    s0 = -a / m
    if m > 0.0:
        lo, hi = min(max(s0, 0.0), x), x
    else:
        lo, hi = 0.0, min(max(s0, 0.0), x)
    hi = max(hi, lo)
    return a * (hi - lo) + 0.5 * m * (hi * hi - lo * lo)


@numba.njit(cache=True)
def growth_integral(tk, g, gcum, i, t):
    """int_{tk[0]}^t max(g_i, 0) for draw i (g linear between input years)."""
    K = tk.shape[0]
    if t <= tk[0]:
        return (t - tk[0]) * max(g[i, 0], 0.0)
    if t >= tk[K - 1]:
        return gcum[i, K - 1] + (t - tk[K - 1]) * max(g[i, K - 1], 0.0)
    j, _ = _segment(tk, t)
    L = tk[j + 1] - tk[j]
    return gcum[i, j] + _positive_linear_integral(g[i, j], g[i, j + 1], L, t - tk[j])


@numba.njit(cache=True)
def rhs_rows(A, R, S, rows, t, u, tk, logs, g, gcum, log_clamp, out, P_out):
    """du/dt = RE / min(RS, 1e30) with P = P0 + (r / ln 10)(u - u0) + int g (S: P0, r, u0, G0)."""
    for k in range(rows.shape[0]):
        i = rows[k]
        P = S[i, 0] + S[i, 1] / LN10 * (u[k] - S[i, 2]) + growth_integral(tk, g, gcum, i, t[k])
        P -= S[i, 3]
        P_out[k] = P
        j, f = _segment(tk, t[k])
        lH = logs[0, j] + (logs[0, j + 1] - logs[0, j]) * f
        lC = logs[1, j] + (logs[1, j + 1] - logs[1, j]) * f
        lX = logs[2, j] + (logs[2, j + 1] - logs[2, j]) * f
        x = log_research_effort(A[i], R[i], lH, lC, lX, P) - min(u[k], log_clamp)
        out[k] = math.exp(min(x, 700.0))


@numba.njit(cache=True)
def progress_rows(S, rows, t, u, tk, g, gcum, out):
    for k in range(rows.shape[0]):
        i = rows[k]
        out[k] = (
            S[i, 0]
            + S[i, 1] / LN10 * (u[k] - S[i, 2])
            + growth_integral(tk, g, gcum, i, t[k])
            - S[i, 3]
        )


def empty(n):
    return np.empty(n, dtype=np.float64)


@numba.njit(cache=True)
def _rhs_one(A, R, S, i, t, u, tk, logs, g, gcum, log_clamp):
    """(du/dt, P) of draw i at (t, u)."""
    P = S[i, 0] + S[i, 1] / LN10 * (u - S[i, 2]) + growth_integral(tk, g, gcum, i, t) - S[i, 3]
    j, f = _segment(tk, t)
    lH = logs[0, j] + (logs[0, j + 1] - logs[0, j]) * f
    lC = logs[1, j] + (logs[1, j + 1] - logs[1, j]) * f
    lX = logs[2, j] + (logs[2, j + 1] - logs[2, j]) * f
    x = log_research_effort(A[i], R[i], lH, lC, lX, P) - min(u, log_clamp)
    return math.exp(min(x, 700.0)), P


OK, EXHAUSTED = 0, 4
KNOT_SLACK = 1e-9  # years: a step ending this close to an input year (or t_end) ends there


@numba.njit(cache=True)
def _dense(th, r1, r2, r3, r4, r5):
    """Dormand-Prince's continuous extension (4th order) at the step fraction th."""
    return r1 + th * (r2 + (1.0 - th) * (r3 + th * (r4 + (1.0 - th) * r5)))


@numba.njit(cache=True)
def _arc_rhs(A, R, S, i, t, u, tk, logs, g, gcum, log_clamp):
    """d(t, u)/ds along s = t + u: (1, f) / (1 + f), f = du/dt; and P."""
    f, P = _rhs_one(A, R, S, i, t, u, tk, logs, g, gcum, log_clamp)
    w = 1.0 / (1.0 + f)
    return w, 1.0 - w, P


@numba.njit(cache=True)
def _progress_one(S, i, t, u, tk, g, gcum):
    return S[i, 0] + S[i, 1] / LN10 * (u - S[i, 2]) + growth_integral(tk, g, gcum, i, t) - S[i, 3]


@numba.njit(cache=True)
def _at_time(target, rt, ru):
    """Step fraction where the continuous extension of t reaches ``target`` (t0 < target <=
    t1), and u there."""
    lo, hi = 0.0, 1.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if _dense(mid, rt[0], rt[1], rt[2], rt[3], rt[4]) < target:
            lo = mid
        else:
            hi = mid
    return hi, _dense(hi, ru[0], ru[1], ru[2], ru[3], ru[4])


@numba.njit(cache=True, parallel=True)
def integrate_rows(
    A, R, S, rows, t0, u0, t_end, tk, logs, g, gcum, log_clamp, thresholds, grid, probe_t,
    ca, cb, ce, cd, rtol, atol, max_steps,
    out_grid, out_cross, out_probe, out_status, out_clamped, out_steps,
):  # fmt: skip
    """Dormand-Prince 5(4) for each draw with its own step size (threads over draws), in the
    arc length s = t + u of the curve (t, u = ln RS): dt/ds = 1/(1 + f), du/ds = f/(1 + f),
    f = du/dt. Both stay in [0, 1], so a near-singular burst (RS growing by many e-folds in a
    split second before the caps bind) is a few ordinary steps instead of a collapse of the
    time step. Output on ``grid``, at the probe times and where P(t) crosses each threshold,
    from the method's continuous extension on each step."""
    T = grid.shape[0]
    m = thresholds.shape[1]
    for q in numba.prange(rows.shape[0]):
        i = rows[q]
        t = t0[i]
        u = u0[i]
        dt, du, P = _arc_rhs(A, R, S, i, t, u, tk, logs, g, gcum, log_clamp)
        for k in range(m):
            out_cross[i, k] = t if thresholds[i, k] <= P else math.inf
        jg = 0
        while jg < T and grid[jg] < t:
            jg += 1
        if jg < T and grid[jg] == t:
            out_grid[i, jg] = u
            jg += 1
        for k in range(2):
            if probe_t[i, k] == t:
                out_probe[i, k] = u
        # the input years after t0, then t_end: every step ends (within 1e-9 yr) at the next
        kn = 0
        while kn < tk.shape[0] and tk[kn] <= t + KNOT_SLACK:
            kn += 1
        h_nat = 0.01
        steps = 0
        kt = np.empty(7)
        ku = np.empty(7)
        rt = np.empty(5)
        ru = np.empty(5)
        while True:
            knot = tk[kn] if kn < tk.shape[0] and tk[kn] < t_end - KNOT_SLACK else t_end
            h = h_nat
            if dt > 0.0 and (knot - t) / dt * 1.001 < h:
                # aim just past the input year with dt/ds as it is now; the secant below then
                # lands on it (saves a retry per input year)
                h = (knot - t) / dt * 1.001
            shortened = False
            for attempt in range(4):
                steps += 1
                kt[0], ku[0] = dt, du
                for st in range(1, 7):
                    at = 0.0
                    au = 0.0
                    for r in range(st):
                        at += ca[st, r] * kt[r]
                        au += ca[st, r] * ku[r]
                    kt[st], ku[st], _ = _arc_rhs(A, R, S, i, t + h * at, u + h * au, tk, logs,
                                                 g, gcum, log_clamp)  # fmt: skip
                tn = t
                un = u
                et = 0.0
                eu = 0.0
                for st in range(7):
                    tn += h * cb[st] * kt[st]
                    un += h * cb[st] * ku[st]
                    et += h * ce[st] * kt[st]
                    eu += h * ce[st] * ku[st]
                # absolute tolerances: years for t, e-folds of RS for u (an error in u is
                # (r / ln 10) times the error in progress)
                sc_t = atol + rtol
                sc_u = atol + rtol
                norm = math.sqrt(0.5 * ((et / sc_t) ** 2 + (eu / sc_u) ** 2))
                if not (math.isfinite(norm) and math.isfinite(un) and math.isfinite(tn)):
                    norm = math.inf
                if norm <= 1.0 and tn > knot + KNOT_SLACK and attempt < 3:
                    # past the next input year: a secant step onto it, redone
                    h *= (knot - t) / (tn - t)
                    shortened = True
                    continue
                break
            if steps > max_steps:
                out_status[i] = EXHAUSTED
                break
            if norm <= 1.0:
                dtn, dun = kt[6], ku[6]  # FSAL: the last stage is at the step's end
                rt[0], ru[0] = t, u
                rt[1], ru[1] = tn - t, un - u
                rt[2], ru[2] = h * kt[0] - rt[1], h * ku[0] - ru[1]
                rt[3], ru[3] = rt[1] - h * kt[6] - rt[2], ru[1] - h * ku[6] - ru[2]
                rt[4] = 0.0
                ru[4] = 0.0
                for st in range(7):
                    rt[4] += h * cd[st] * kt[st]
                    ru[4] += h * cd[st] * ku[st]
                reached = shortened or tn >= knot - KNOT_SLACK
                last = reached and knot >= t_end - KNOT_SLACK
                top = t_end + KNOT_SLACK if last else min(tn, t_end)
                while jg < T and grid[jg] <= top:
                    if grid[jg] >= tn:
                        out_grid[i, jg] = un
                    else:
                        _, out_grid[i, jg] = _at_time(grid[jg], rt, ru)
                    jg += 1
                for k in range(2):
                    pt = probe_t[i, k]
                    if pt > t and pt <= tn:
                        _, out_probe[i, k] = _at_time(pt, rt, ru)
                Pn = _progress_one(S, i, tn, un, tk, g, gcum)
                for k in range(m):
                    thr = thresholds[i, k]
                    if P < thr and thr <= Pn:
                        lo, hi = 0.0, 1.0
                        for _ in range(50):
                            mid = 0.5 * (lo + hi)
                            tm = _dense(mid, rt[0], rt[1], rt[2], rt[3], rt[4])
                            um = _dense(mid, ru[0], ru[1], ru[2], ru[3], ru[4])
                            if _progress_one(S, i, tm, um, tk, g, gcum) < thr:
                                lo = mid
                            else:
                                hi = mid
                        tc = _dense(hi, rt[0], rt[1], rt[2], rt[3], rt[4])
                        if tc <= t_end + KNOT_SLACK:
                            out_cross[i, k] = min(tc, t_end)
                if un >= log_clamp:
                    out_clamped[i] = True
                t, u, dt, du, P = tn, un, dtn, dun, Pn
                if reached:
                    kn += 1
                if last:
                    break
                if not shortened:
                    h_nat = h * min(max(0.9 * norm**-0.2 if norm > 0 else 5.0, 0.2), 5.0)
            else:
                shrink = min(max(0.9 * norm**-0.2, 0.2), 1.0) if math.isfinite(norm) else 0.2
                h_nat = min(h_nat, h) * shrink
            if h_nat <= 1e-12:
                out_status[i] = EXHAUSTED
                break
        out_steps[i] = steps


@numba.njit(cache=True)
def _threshold_fun(a, r, kind, log_re_pd, P):
    if kind == 0:  # coding labour with present-day resources / H_pd
        return log_labor_ratio(a, r[R_LC_PD] - r[R_LH_PD], P)
    # the AI R&D speed-up: research effort with present-day resources / human-only at present
    return log_research_effort(a, r, r[R_LH_PD], r[R_LC_PD], r[R_LX_PD], P) - log_re_pd


@numba.njit(cache=True, parallel=True)
def threshold_rows(A, R, rows, kind, lo, hi, log_re_pd, targets, out):
    """Smallest P in [lo, hi] where a nondecreasing quantity reaches each target (Illinois
    false position, to 1e-11 relative; -> lo if reached there, inf if not by hi)."""
    m = targets.shape[1]
    for q in numba.prange(rows.shape[0]):
        i = rows[q]
        a0, b0 = lo[q], hi[q]
        f_lo = _threshold_fun(A[i], R[i], kind, log_re_pd[i], a0)
        f_hi = _threshold_fun(A[i], R[i], kind, log_re_pd[i], b0)
        for k in range(m):
            target = targets[q, k]
            if f_lo >= target:
                out[q, k] = a0
                continue
            if f_hi < target:
                out[q, k] = math.inf
                continue
            a, b = a0, b0
            fa, fb = f_lo - target, f_hi - target
            side = 0
            for _ in range(300):
                if b - a <= 1e-11 * max(1.0, abs(b)):
                    break
                c = (a * fb - b * fa) / (fb - fa)
                if not (a < c < b):
                    c = 0.5 * (a + b)
                fc = _threshold_fun(A[i], R[i], kind, log_re_pd[i], c) - target
                if fc < 0.0:
                    a, fa = c, fc
                    if side == -1:
                        fb *= 0.5
                    side = -1
                else:
                    b, fb = c, fc
                    if side == 1:
                        fa *= 0.5
                    side = 1
            out[q, k] = b

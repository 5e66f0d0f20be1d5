"""The AI Futures Model's calibration, in the peer's order (steps 1-5 of
:mod:`takeoff.models.aifm`): experiment capacity, the human-only path and r, the present-day
anchor, the Automated Coder's progress, converted slopes, the automation anchor; and the
horizon law in progress."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from takeoff.models.aifm.constants import (
    AUTOMATION_CLIP,
    BAD_ANCHORS,
    HORIZON_FALLBACK_MINUTES,
    LN2,
    LN10,
    LOG_MAX_RESEARCH_EFFORT,
    OK,
    REFERENCE_COMPUTE_CHANGE,
    REFERENCE_YEAR,
    RHO_BRACKET,
    RHO_NO_BRACKET,
    SOFTWARE_REFERENCE_YEAR,
    T_START,
    ZETA_CLIP,
    ZETA_UNDEFINED,
)
from takeoff.models.aifm.inputs import AifmInputs, InputSeries, load_inputs, training_growth_table
from takeoff.models.aifm.parameters import PARAMETER_NAMES, resolve
from takeoff.models.aifm.production import (
    Automation,
    automation_schedule,
    log_ces,
    taste_sigma,
)

_GL_X, _GL_W = np.polynomial.legendre.leggauss(10)  # ~1e-13 relative on an input year


def _bisect(fun, lo, hi, iterations):
    """Vectorised bisection for an increasing fun with fun(lo) < 0 <= fun(hi)."""
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        neg = fun(mid) < 0
        lo = np.where(neg, mid, lo)
        hi = np.where(neg, hi, mid)
    return lo, hi


def _experiment_capacity(p, inp: InputSeries, status):
    a, b = p["inf_labor_asymptote"], p["inf_compute_asymptote"]
    la, lb = np.log(a), np.log(b)

    def f(rho):
        return np.exp(rho * la) + np.exp(rho * lb) - 1.0

    lo = np.full(a.shape, RHO_BRACKET[0])
    hi = np.full(a.shape, RHO_BRACKET[1])
    f_lo, f_hi = f(lo), f(hi)
    bracket = f_lo * f_hi <= 0
    status[~bracket & (status == OK)] = RHO_NO_BRACKET
    # f decreases in rho? f is increasing in rho for a, b > 1: f(-50) < 0 < f(1)
    rlo, rhi = _bisect(lambda r: f(r) * np.sign(f_hi), lo, hi, 64)
    rho = np.where(np.abs(f_lo) < 1e-12, lo, np.where(np.abs(f_hi) < 1e-12, hi, 0.5 * (rlo + rhi)))
    rho = np.where(bracket, rho, 0.0)
    k = np.exp(rho * (lb - la))
    M = 1.0 / p["inv_compute_anchor_exp_cap"]
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = (1 + k) * np.exp(rho * np.log(M)) - k
        zeta = np.log(arg) / (rho * math.log(REFERENCE_COMPUTE_CHANGE))
    bad = ~np.isfinite(zeta)
    status[bad & (status == OK)] = ZETA_UNDEFINED
    zeta = np.where(bad, 1.0, zeta)
    (lH, _, lX), _ = inp.log_inputs(np.array(REFERENCE_YEAR))
    log_L_ref = p["parallel_penalty"] * lH
    expo = rho * (zeta * lX - log_L_ref + lb - la)
    alpha = special.expit(-expo)
    return rho, alpha, zeta, np.clip(zeta, *ZETA_CLIP)


def _log_re_human(t, cal, inp):
    """ln RE of the human-only path at times t ((n, q), or (q,) shared by every draw) and its
    d/dt."""
    vals, slopes = inp.log_inputs(t)
    lH, _, lX = vals
    gH, _, gX = slopes
    if np.ndim(t) == 1:  # shared times
        lH, lX, gH, gX = lH[None, :], lX[None, :], gH[None, :], gX[None, :]
    pp = cal["pp"][:, None]
    x1 = cal["zeta_c"][:, None] * lX
    x2 = pp * lH + cal["log_norm"][:, None]
    v, share = log_ces(x1, x2, cal["alpha"][:, None], cal["rho_x"][:, None])
    capped = v > LOG_MAX_RESEARCH_EFFORT
    d = np.where(capped, 0.0, share * cal["zeta_c"][:, None] * gX + (1 - share) * pp * gH)
    return np.minimum(v, LOG_MAX_RESEARCH_EFFORT), d


def initial_stock(log_re0, dlog_re0):
    """The peer's RS(0) = RE(0)^2 / RE'(0), with its fallbacks (RE' tiny or RS not positive)."""
    re0 = np.exp(log_re0)
    dre = re0 * dlog_re0
    with np.errstate(divide="ignore", invalid="ignore"):
        rs = re0 / dlog_re0
    fallback = (np.abs(dre) < 1e-6) | ~np.isfinite(rs) | (rs <= 0)
    rs = np.where(fallback, np.maximum(1e-6, re0), np.maximum(1e-6, rs))
    return np.log(rs)


def _human_stock(times, cal, inp, log_rs0):
    """ln RS_h at per-draw times (n,): RS0 + int_{t0}^t RE_h, Gauss-Legendre on each input
    interval (the integrand is smooth there)."""
    n = times.shape[0]
    t0 = cal["t0"]
    tk = inp.tk
    # full intervals between input years up to the latest time needed (shared nodes), then
    # the partial pieces per draw
    last = int(inp.segment(np.array(max(times.max(), t0.max())))[0]) + 1
    a, b = tk[:last], tk[1 : last + 1]
    nodes = 0.5 * (b - a)[:, None] * _GL_X[None, :] + 0.5 * (a + b)[:, None]
    lre, _ = _log_re_human(nodes.ravel(), cal, inp)
    seg = (np.exp(lre).reshape(n, *nodes.shape) * _GL_W).sum(axis=2) * 0.5 * (b - a)
    cum = np.concatenate([np.zeros((n, 1)), np.cumsum(seg, axis=1)], axis=1)

    def integral_to(t):  # int_{tk[0]}^t RE_h
        k, _ = inp.segment(t)
        lo = tk[k]
        pts = 0.5 * (t - lo)[:, None] * (_GL_X[None, :] + 1.0) + lo[:, None]
        lr, _ = _log_re_human(pts, cal, inp)
        return cum[np.arange(n), k] + (np.exp(lr) * _GL_W).sum(axis=1) * 0.5 * (t - lo)

    return np.log(np.exp(log_rs0) + integral_to(times) - integral_to(t0))


@dataclass
class Calibration:
    """Per-draw constants of a block of draws (all (n,) arrays) and their statuses."""

    values: dict = field(default_factory=dict)
    status: np.ndarray | None = None

    def __getitem__(self, k):
        return self.values[k]


def calibrate(
    params: Mapping,
    inputs: AifmInputs | None = None,
    *,
    ts: Mapping | None = None,
    t_start: float = T_START,
) -> tuple[Calibration, InputSeries, Automation]:
    """Steps 1-5 of the module doc for every draw: experiment capacity, r, the present-day
    anchor, P_AC, converted slopes, the automation anchor."""
    p = resolve(params) if not all(k in params for k in PARAMETER_NAMES) else dict(params)
    inputs = load_inputs() if inputs is None else inputs
    n = p["rho_coding_labor"].shape[0]
    g = training_growth_table(inputs, n, ts)
    t0 = np.full(n, float(t_start))
    inp = InputSeries(inputs, g, t0)
    status = np.zeros(n, dtype=np.int8)
    rows = np.arange(n)
    c = {"t0": t0, "pp": p["parallel_penalty"], "log_norm": np.log(p["coding_labor_normalization"])}
    c["rho_x"], c["alpha"], c["zeta"], c["zeta_c"] = _experiment_capacity(p, inp, status)

    # human-only path and r
    lre0, dlre0 = _log_re_human(t0[:, None], c, inp)
    lrs0_h = initial_stock(lre0[:, 0], dlre0[:, 0])
    c["log_rs0_human"] = lrs0_h
    tref = np.full(n, SOFTWARE_REFERENCE_YEAR)
    lre_ref, _ = _log_re_human(tref[:, None], c, inp)
    lrs_ref = _human_stock(tref, c, inp, lrs0_h)
    r = p["software_progress_rate_at_reference_year"] * LN10 * np.exp(lrs_ref - lre_ref[:, 0])
    c["r"] = r
    pd = p["present_day"]
    c["pd_time"] = pd
    lre_pd, _ = _log_re_human(pd[:, None], c, inp)
    lrs_pd = _human_stock(pd, c, inp, lrs0_h)
    P0 = p["initial_progress"]
    c["P0"] = P0
    c["P_pd"] = P0 + r / LN10 * (lrs_pd - lrs0_h) + inp.G(pd, rows)
    c["sw_pd"] = r / LN10 * np.exp(lre_pd[:, 0] - lrs_pd)
    c["rate_pd"] = c["sw_pd"] + inp.growth(pd, rows)
    c["log_re_pd"] = lre_pd[:, 0]
    (lH_pd, lC_pd, lX_pd), _ = inp.log_inputs(pd)
    c["log_H_pd"], c["log_C_pd"], c["log_X_pd"] = lH_pd, lC_pd, lX_pd

    # horizon law and the Automated Coder's progress
    c["h0"] = p["present_horizon"]
    c["A0"] = 1.0 - p["doubling_difficulty_growth_factor"]
    c["T0"] = p["present_doubling_time"] * c["rate_pd"]
    gap = p["include_gap"] > 0.5
    target = np.where(gap, p["pre_gap_aa_time_horizon"], p["aa_time_horizon_minutes"])
    c["P_ac"] = c["P_pd"] + horizon_progress(target, c["h0"], c["A0"], c["T0"])
    c["P_ac"] = c["P_ac"] + np.where(gap, p["gap_years"] * c["rate_pd"], 0.0)

    # taste and the converted slopes
    c["taste_sigma"] = taste_sigma(p["median_to_top_taste_multiplier"])
    c["taste_mu"] = -0.5 * c["taste_sigma"] ** 2
    c["taste_slope"] = p["ai_research_taste_slope"] / c["rate_pd"]
    c["taste_sd_ac"] = p["ai_research_taste_at_coding_automation_anchor_sd"]
    c["theta"] = p["coding_automation_efficiency_slope"] / c["rate_pd"]
    c["rho_c"] = p["rho_coding_labor"]
    c["eta0"] = p["optimal_ces_eta_init"]
    c["grid"] = p["optimal_ces_grid_size"]
    a_ac = p["automation_fraction_at_coding_automation_anchor"]
    c["a_ac"] = a_ac
    status[~(c["P_ac"] > c["P_pd"]) & (status == OK)] = BAD_ANCHORS

    # A_pd: L(H_pd, C_pd, P_pd) = swe H_pd
    log_target = np.log(p["swe_multiplier_at_present_day"])
    safe_ac = np.where(c["P_ac"] > c["P_pd"], c["P_ac"], c["P_pd"] + 1.0)
    lk = lC_pd - lH_pd

    def excess(a):
        am = automation_schedule(
            c, a, c["P_pd"], safe_ac, np.clip(a_ac, AUTOMATION_CLIP, 1 - AUTOMATION_CLIP)
        )
        return am.log_labor_ratio(lk, c["P_pd"]) - log_target

    # The objective rises with A_pd up to the upper anchor's fraction (clipped to 1 - 1e-9, as
    # the peer does while solving); exactly there the schedule is flat and degenerate (L = H),
    # which is why the peer's bracket test fails and it minimises |objective| instead, finding
    # the same root. The top of the bracket is therefore taken just below it.
    lo = np.full(n, AUTOMATION_CLIP)
    hi = np.minimum(
        np.full(n, 1.0 - 10 * AUTOMATION_CLIP), np.clip(a_ac, 0.0, 1.0) - 10 * AUTOMATION_CLIP
    )
    f_lo, f_hi = excess(lo), excess(hi)
    blo, bhi = _bisect(excess, lo, hi, 50)
    a_pd = np.where(f_lo >= 0, lo, np.where(f_hi < 0, hi, 0.5 * (blo + bhi)))
    c["a_pd"] = a_pd
    c["anchor_clamped"] = (f_lo > 0) | (f_hi < 0)
    status[~(a_pd < a_ac) & (status == OK)] = BAD_ANCHORS
    am = automation_schedule(c, a_pd, c["P_pd"], safe_ac, a_ac)
    return Calibration(c, status), inp, am


def horizon_progress(target, h0, A0, T0):
    """Progress from the anchor to where the horizon law reaches ``target`` minutes:
    T0 (1 - (target/h0)^(ln(1 - A0)/ln 2)) / A0, and T0 log2(target/h0) at A0 = 0."""
    expo = np.log(target / h0)
    with np.errstate(divide="ignore", invalid="ignore"):
        dec = T0 * -np.expm1(expo * np.log1p(-A0) / LN2) / A0
    return np.where(A0 == 0.0, T0 * expo / LN2, dec)


def log_horizon(P, P_anchor, h0, A0, T0):
    """ln of the 80% horizon (minutes) at progress P, with the peer's floor of the base at 1e-12
    and its fallback of 1e12 minutes where the value is not finite."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        base = np.maximum(1.0 - A0 * (P - P_anchor) / T0, 1e-12)
        expo = LN2 / np.log1p(-A0)
        val = np.log(h0) + expo * np.log(base)
        exp_law = np.log(h0) + LN2 * (P - P_anchor) / T0
    val = np.where(A0 == 0.0, exp_law, val)
    return np.where(
        val < math.log(np.finfo(float).max) - 1.0, val, math.log(HORIZON_FALLBACK_MINUTES)
    )

"""The AI Futures Model's trajectory (step 6 of :mod:`takeoff.models.aifm`): the main run's
initial research stock, the milestones' progress thresholds, one ODE per draw integrated by
the compiled Dormand-Prince kernel in arc length, milestone dates and the output paths."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.aifm import kernels as K
from takeoff.models.aifm.calibration import calibrate, initial_stock, log_horizon
from takeoff.models.aifm.constants import (
    AI2027_SC_BASE,
    AI2027_SC_SERIAL_MULTIPLIER,
    AIR_TARGETS,
    AUTOMATION_CLIP,
    LN10,
    LOG_MAX_RESEARCH_EFFORT,
    LOG_RESEARCH_STOCK_CLAMP,
    LOG_TASTE_MAX,
    MAX_SD,
    MILESTONES,
    OK,
    SAR_TASTE,
    SIAR_TASTE,
    STATUS_NAMES,
    T_END,
    T_START,
    TRAINING_COMPUTE_REFERENCE_OOMS,
    TRAINING_COMPUTE_REFERENCE_YEAR,
)
from takeoff.models.aifm.inputs import AifmInputs, check_inputs, load_inputs
from takeoff.models.aifm.parameters import TIME_SERIES_PARAMETERS, resolve
from takeoff.models.aifm.production import log_aggregate_taste, log_ai_taste, log_ces
from takeoff.models.integrate import _DENSE, DOPRI5  # its continuous-extension weights


def main_initial_stock(c, am, inp):
    """ln RS(t0) of the main run, as the peer: RE / (d ln RE/dt) with the *simple* CES coding
    labour at automation(P0) (clipped to [1e-9, 1 - 1e-9]) and the taste at P0, automation held
    fixed in the derivative."""
    A = np.clip(am.automation(c["P0"]), AUTOMATION_CLIP, 1 - AUTOMATION_CLIP)
    (lH, lC, lX), (gH, gC, gX) = inp.log_inputs(c["t0"])
    rho = c["rho_c"]
    tC = (1 - rho) * np.log(A) + rho * lC
    tH = (1 - rho) * np.log1p(-A) + rho * lH
    tot = np.logaddexp(tC, tH)
    log_l = tot / rho
    dlog_l = np.exp(tC - tot) * gC + np.exp(tH - tot) * gH
    x2 = c["pp"] * log_l + c["log_norm"]
    v, share = log_ces(c["zeta_c"] * lX, x2, c["alpha"], c["rho_x"])
    cc = {k: c[k] for k in ("taste_slope", "P_ac", "taste_sd_ac", "taste_mu", "taste_sigma")}
    lre0 = np.minimum(
        np.minimum(v, LOG_MAX_RESEARCH_EFFORT) + log_aggregate_taste(log_ai_taste(c["P0"], cc), cc),
        LOG_MAX_RESEARCH_EFFORT,
    )
    dlre0 = np.where(
        v > LOG_MAX_RESEARCH_EFFORT, 0.0, share * c["zeta_c"] * gX + (1 - share) * c["pp"] * dlog_l
    )
    return initial_stock(lre0, dlre0)


def _pack(c, am, inp):
    """Per-draw constants of the research effort and of P(t, u), packed for the kernels."""
    n = c["r"].shape[0]
    R = np.empty((n, K.R_COLS))
    R[:, K.R_PP] = c["pp"]
    R[:, K.R_LOG_NORM] = c["log_norm"]
    R[:, K.R_ZETA] = c["zeta_c"]
    R[:, K.R_ALPHA] = c["alpha"]
    R[:, K.R_RHO_X] = c["rho_x"]
    R[:, K.R_SLOPE] = c["taste_slope"]
    R[:, K.R_PAC] = c["P_ac"]
    R[:, K.R_SDAC] = c["taste_sd_ac"]
    R[:, K.R_MU] = c["taste_mu"]
    R[:, K.R_SIGMA] = c["taste_sigma"]
    R[:, K.R_HUMAN] = 1.0 if c.get("human_only", False) else 0.0
    R[:, K.R_LH_PD] = c["log_H_pd"]
    R[:, K.R_LC_PD] = c["log_C_pd"]
    R[:, K.R_LX_PD] = c["log_X_pd"]
    c["_R"] = R
    c["_S"] = np.stack([c["P0"], c["r"], c["u0"], inp.G0], axis=1)
    c["_tk"], c["_logs"] = inp.tk, np.ascontiguousarray(inp.logs)
    c["_g"], c["_gcum"] = np.ascontiguousarray(inp.g), np.ascontiguousarray(inp.gcum)


def _log_re(t, P, c, am, inp, rows, present=False):
    """ln RE at (t, P) for the draws ``rows`` (1-D arrays of equal length); ``present``: with
    the present-day inputs (t unused)."""
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    P = np.ascontiguousarray(P, dtype=float)
    t = (
        np.zeros(P.shape[0])
        if present
        else np.ascontiguousarray(np.broadcast_to(t, P.shape), float)
    )
    out = np.empty(P.shape[0])
    K.research_effort_rows(am.A, c["_R"], rows, t, P, c["_tk"], c["_logs"], present, out)
    return out


def _progress(t, u, c, inp, rows):
    """P = P0 + (r / ln 10)(u - u0) + int_{t0}^t g for the draws ``rows``."""
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    u = np.ascontiguousarray(u, dtype=float)
    t = np.ascontiguousarray(np.broadcast_to(t, u.shape), dtype=float)
    out = np.empty(u.shape[0])
    K.progress_rows(c["_S"], rows, t, u, c["_tk"], c["_g"], c["_gcum"], out)
    return out


def _thresholds(c, am, rows=None):
    """(n, m) progress thresholds of MILESTONES (inf where a target is never reached)."""
    n = c["r"].shape[0]
    rows = np.arange(n) if rows is None else rows
    out = np.full((rows.size, len(MILESTONES)), np.inf)
    out[:, 0] = c["P_ac"][rows]
    for j, target in ((7, SAR_TASTE), (8, SIAR_TASTE)):
        sd = (math.log(target) - c["taste_mu"][rows]) / c["taste_sigma"][rows]
        reach = (sd <= MAX_SD) & (
            c["taste_mu"][rows] + c["taste_sigma"][rows] * sd <= LOG_TASTE_MAX
        )
        out[:, j] = np.where(
            reach, c["P_ac"][rows] + (sd - c["taste_sd_ac"][rows]) / c["taste_slope"][rows], np.inf
        )
    lo = np.ascontiguousarray(np.minimum(c["P0"][rows], am.P_z[rows]) - 1.0)
    hi = np.ascontiguousarray(np.maximum(c["P_ac"][rows], lo) + 1000.0)
    rows64 = np.ascontiguousarray(rows, dtype=np.int64)
    log_sc = np.log(AI2027_SC_SERIAL_MULTIPLIER) / c["pp"][rows] + np.log(AI2027_SC_BASE)
    sc = np.empty((rows.size, 1))
    K.threshold_rows(am.A, c["_R"], rows64, 0, lo, hi, c["log_re_pd"], log_sc[:, None], sc)
    out[:, 1] = sc[:, 0]
    targets = np.ascontiguousarray(np.broadcast_to(np.log(AIR_TARGETS), (rows.size, 5)))
    air = np.empty((rows.size, 5))
    K.threshold_rows(am.A, c["_R"], rows64, 1, lo, hi, c["log_re_pd"], targets, air)
    out[:, 2:7] = air
    return out


@dataclass(frozen=True)
class AifmRun:
    """A block of draws: milestone dates (n, m) in years (inf: not reached by the end, NaN: the
    draw failed, see ``status``), paths (n, T) on ``times``, per-draw calibration constants."""

    times: np.ndarray
    milestones: np.ndarray
    milestone_names: tuple[str, ...]
    paths: dict
    status: np.ndarray
    calibration: dict
    steps: int

    def status_counts(self) -> dict[str, int]:
        return {
            STATUS_NAMES[k]: int((self.status == k).sum())
            for k in STATUS_NAMES
            if (self.status == k).any()
        }


def simulate(
    params: Mapping | None = None,
    *,
    inputs: AifmInputs | None = None,
    time_series: Mapping | None = None,
    times: np.ndarray | None = None,
    t_start: float = T_START,
    t_end: float = T_END,
    rtol: float = 1e-7,
    atol: float = 1e-7,
    max_steps: int = 20_000,
    paths: bool = True,
    human_only: bool = False,
) -> AifmRun:
    """Run the model for a block of draws: calibration, one ODE per draw, milestones, paths.

    ``params`` maps parameter names to numbers or (n,) arrays (defaults: the published values);
    ``time_series`` optionally the peer's Monte Carlo input parameters
    (TIME_SERIES_PARAMETERS). ``times`` is the output grid (default: yearly from t_start).
    ``human_only`` integrates the no-automation counterfactual (coding labour = human labour,
    taste 1) from the human-only start, with the same calibration (no milestones)."""
    params = dict(params or {})
    ts = {k: params.pop(k) for k in TIME_SERIES_PARAMETERS if k in params}
    ts = ts or (dict(time_series) if time_series else None)
    p = resolve(params)
    inputs = load_inputs() if inputs is None else check_inputs(inputs)
    if not (inputs.time[0] <= t_start < t_end):
        raise TakeoffError(f"need first input year <= t_start < t_end; got {t_start:g}, {t_end:g}")
    times = np.arange(t_start, t_end + 1e-9, 1.0) if times is None else np.asarray(times, float)
    if times.ndim != 1 or np.any(np.diff(times) < 0) or times[0] < t_start or times[-1] > t_end:
        raise TakeoffError("times must be increasing and within [t_start, t_end]")
    cal, inp, am = calibrate(p, inputs, ts=ts, t_start=t_start)
    c = cal.values
    c["human_only"] = bool(human_only)
    status = cal.status
    n = status.shape[0]
    rows = np.arange(n)
    c["u0"] = main_initial_stock(c, am, inp)
    if human_only:  # the counterfactual the calibration integrates by quadrature
        c["u0"] = c["log_rs0_human"]

    _pack(c, am, inp)
    thresholds = _thresholds(c, am)
    if human_only:
        thresholds[:] = np.inf
    c["thresholds"] = thresholds
    res = _integrate(c, am, inp, status, times, thresholds, t_end, rtol, atol, max_steps)
    u_grid, crossings, p_pd, p_ref, steps = res
    failed = status != OK
    dates = np.where(failed[:, None], np.nan, crossings)
    c["P_pd_main"] = _progress(c["pd_time"], p_pd, c, inp, rows)
    c["P_ref_main"] = _progress(np.full(n, TRAINING_COMPUTE_REFERENCE_YEAR), p_ref, c, inp, rows)
    out_paths = {}
    if paths:
        out_paths = _paths(times, u_grid, c, am, inp, failed)
    return AifmRun(times, dates, MILESTONES, out_paths, status, c, steps)


_DP_A = np.zeros((7, 7))
for _i, _row in enumerate(DOPRI5.a):
    _DP_A[_i, : len(_row)] = _row
_DP_B, _DP_E, _DP_D = (np.array(x, dtype=float) for x in (DOPRI5.b, DOPRI5.e, _DENSE))


def _integrate(c, am, inp, status, grid, thresholds, t_end, rtol, atol, max_steps):
    """Dormand-Prince 5(4) on du/dt = RE / min(RS, 1e30), a step size per draw, never across an
    input year (:func:`takeoff.models.aifm.kernels.integrate_rows`, threads over draws)."""
    n = status.shape[0]
    rows = np.flatnonzero(status == OK).astype(np.int64)
    u_grid = np.full((n, grid.size), np.nan)
    crossings = np.full(thresholds.shape, np.inf)
    probe_t = np.ascontiguousarray(
        np.stack([c["pd_time"], np.full(n, TRAINING_COMPUTE_REFERENCE_YEAR)], axis=1)
    )
    probe_u = np.full((n, 2), np.nan)
    clamped = np.zeros(n, dtype=np.bool_)
    steps = np.zeros(n, dtype=np.int64)
    K.integrate_rows(
        am.A, c["_R"], c["_S"], rows, np.ascontiguousarray(c["t0"]), np.ascontiguousarray(c["u0"]),
        float(t_end), c["_tk"], c["_logs"], c["_g"], c["_gcum"], LOG_RESEARCH_STOCK_CLAMP,
        np.ascontiguousarray(thresholds), np.ascontiguousarray(grid, dtype=float), probe_t,
        _DP_A, _DP_B, _DP_E, _DP_D, float(rtol), float(atol), int(max_steps),
        u_grid, crossings, probe_u, status, clamped, steps,
    )  # fmt: skip
    c["rs_clamped"] = clamped
    c["steps"] = steps
    return u_grid, crossings, probe_u[:, 0], probe_u[:, 1], int(steps.max(initial=0))


def _paths(times, u_grid, c, am, inp, failed):
    """Derived paths on the output grid, (n, T) each."""
    n, T = u_grid.shape
    rows = np.repeat(np.arange(n), T)
    tt = np.tile(times, n)
    uu = u_grid.ravel()
    ok = np.isfinite(uu)
    P = np.full(n * T, np.nan)
    P[ok] = _progress(tt[ok], uu[ok], c, inp, rows[ok])
    lre = np.full(n * T, np.nan)
    lre[ok] = _log_re(tt[ok], P[ok], c, am, inp, rows[ok])
    sw = c["r"][rows] / LN10 * np.exp(lre - uu)
    speed = np.full(n * T, np.nan)
    speed[ok] = np.exp(
        _log_re(None, P[ok], c, am, None, rows[ok], present=True) - c["log_re_pd"][rows[ok]]
    )
    P_pd_main, P_ref = c["P_pd_main"], c["P_ref_main"]
    anchor = np.where(c["A0"] == 0.0, c["P_pd"], P_pd_main)
    lh = log_horizon(P, anchor[rows], c["h0"][rows], c["A0"][rows], c["T0"][rows])
    cc = {k: c[k][rows] for k in ("taste_slope", "P_ac", "taste_sd_ac", "taste_mu", "taste_sigma")}
    taste = np.exp(log_ai_taste(P, cc))
    automation = am.automation(P, rows)
    g = inp.growth(tt, rows)

    def shape(x):
        x = x.reshape(n, T)
        return np.where(failed[:, None], np.nan, x)

    return {
        "progress": shape(P),
        "effective_compute_ooms": shape(P - P_ref[rows] + TRAINING_COMPUTE_REFERENCE_OOMS),
        "research_stock": shape(np.exp(uu)),
        "software_progress_rate": shape(sw),
        "progress_rate": shape(sw + g),
        "ai_rd_speedup": shape(speed),
        "horizon_minutes": shape(np.exp(lh)),
        "automation_fraction": shape(automation),
        "ai_research_taste": shape(taste),
    }


def milestone_dates(params: Mapping, times: np.ndarray | None = None, **kw):
    """For the lead's forecast kind: dict of parameter arrays -> (dates (n, m), names, paths
    {name: (n, T)}, status (n,)). See :func:`simulate`."""
    run = simulate(params, times=times, **kw)
    return run.milestones, run.milestone_names, run.paths, run.status

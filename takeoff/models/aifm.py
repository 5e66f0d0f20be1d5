"""``aifm``: the core of the AI Futures Model (AI Futures Project, 2025), reproduced from its
development repository ``brendanhalstead/ai-progress-rates`` at commit 786c6655 (2025-10-15),
vectorised over draws.

The peer's code was read to learn its equations, calibration steps and defaults; everything
here is written anew (no peer code is copied). Time in decimal years; "progress" P is
effective compute in OOMs (log10), 0 at the start of the input series (2012).

The model
---------
Inputs (``input_data.csv``, bundled): human AI-research labour H(t), inference compute for AI
labour C(t), experiment compute X(t) (interpolated log-linearly between input years) and the
training-compute growth rate g(t) in OOMs/yr (interpolated linearly, floored at 0).

State: P (progress) and the research stock RS, with

    dRS/dt = RE,   dP/dt = s + g(t),   s = (r / ln 10) RE / RS      (software rate, OOMs/yr)
    RE = T(P) * CES(X^zeta, Ls; alpha, rho_x)                        (research effort)
    Ls = L(H, C, P)^pp                                               (serial coding labour)

- L(H, C, P): "optimal CES" coding labour. Tasks i in [0, i_max] (i_max = 1 - 1e-6), task i
  automatable once P passes P_z + i D (a linear automation schedule through the anchors
  (P_pd, A_pd) and (P_AC, A_AC)); an automated task's compute efficiency grows as
  eta0 10^(theta (P - P_z - i D)); humans and compute are allocated optimally across tasks
  under a CES of substitution rho_c. With S = (C/H) eta0 10^(theta P), w(i) = E_aut(i)^-beta,
  B(x) = int_0^x w, F(x) = B(x) E_aut(x)^gamma / (1 - x), Q = (1-x)^(1-rho_c), R = Q E_aut^-theta
  (beta = rho_c theta / (1 - rho_c), gamma = theta / (1 - rho_c)), i_E = min((P - P_z)/D, i_max):
  if S <= F(i_E) the cut i_c solves F(i_c) = S and (L/H)^rho_c = Q(i_c) + S R(i_c); otherwise
  (L/H)^rho_c = Q(i_E) + S^rho_c B(i_E)^(1 - rho_c); L = H where nothing is automatable.
- T(P): aggregate research taste E[max(T_h, T_AI(P))] with human taste lognormal (mean 1, its
  99.9th percentile ``median_to_top_taste_multiplier`` times its median) and the AI's taste
  T_AI = exp(mu + sigma sd(P)), sd(P) = min(sd_AC + slope (P - P_AC), 100) standard deviations.
- Experiment capacity: rho_x, zeta, alpha from the asymptotes (inf_labor_asymptote a,
  inf_compute_asymptote b: a^rho_x + b^rho_x = 1), the compute anchor (a 10x cut in experiment
  compute (0.1) multiplies capacity by 1/inv_compute_anchor_exp_cap) and the 2024.8 inputs.

Calibration, in the peer's order (all per draw, all vectorised):
1. rho_x, zeta, alpha from the anchors (bisection for rho_x, then closed forms).
2. The human-only path (no automation, taste 1, Ls = H^pp): RS_h(t) = RS0 + int RE_h, an exact
   quadrature (Gauss-Legendre on each input interval) because RE_h is exogenous; then
   r = s_target ln 10 RS_h(2023) / RE_h(2023) so the human-only software rate at 2023.0 is
   ``software_progress_rate_at_reference_year``; P_h(t) = (r/ln 10) ln(RS_h/RS0) + int g.
3. At ``present_day``: P_pd = P_h(present_day) and the human-only progress rate v_pd. The
   horizon law in progress: h(P) = h0 (1 - A0 (P - P_a)/T0)^(ln 2/ln(1 - A0)), A0 = 1 -
   doubling_difficulty_growth_factor, T0 = present_doubling_time v_pd, P_a = P_pd; the
   Automated Coder (AC) is reached at the progress P_AC where h = aa_time_horizon_minutes (or, in
   gap mode, where h = pre_gap_aa_time_horizon, plus gap_years v_pd).
4. Slopes given per present-day progress-year become per OOM: taste slope / v_pd,
   theta = coding_automation_efficiency_slope / v_pd.
5. A_pd solves L(H_pd, C_pd, P_pd) = swe_multiplier_at_present_day H_pd (bisection, monotone).
6. The main trajectory from 2012 with RS(2012) = RE / (d ln RE/dt) (the peer's RS = RE^2/RE').

Milestones (the peer's ``compute_milestones``), each the first time a quantity that depends on
progress only reaches its target, so each is a progress threshold P* found once per draw (in
closed form or by bisection on a monotone function) and its date is when P(t) crosses it:
AC (P_AC), AI2027-SC (coding labour with present-day resources L(H_pd, C_pd, P) / H_pd >=
300^(1/pp) 30), AIR-5x ... AIR-10000x (the AI R&D speed-up: research effort with present-day
resources and the AI's labour and taste, over the human-only research effort at present_day),
SAR and SIAR (AI taste T_AI >= 3.25 and 3.25^3).

Numerics. With u = ln RS, dP/dt = (r/ln 10) du/dt + g exactly, so P = P0 + (r/ln 10)(u - u0)
+ int g and the model is ONE ordinary differential equation per draw, du/dt = RE(t, P)/RS
(RS held at 1e30 in the rates once past it, as the peer does). It is integrated with
Dormand-Prince 5(4) in the arc length s = t + u of the curve (t, u): dt/ds = 1/(1 + f),
du/ds = f/(1 + f) with f = du/dt, both in [0, 1], so the near-singular bursts of explosive
draws (RS growing by many e-folds within ~1e-4 years before the caps bind) are a handful of
ordinary steps where a time-stepper's step collapses (scipy's RK45 fails on such draws). Each
draw has its own step size; steps end at input years (kinks of the inputs); absolute tolerance
1e-7 in years and in e-folds by default (dates to ~1e-4 years, paths to ~1e-4 OOMs). Dates and
output paths come from the method's continuous extension. The optimal-CES coding labour, the
research effort and the integrator are compiled row kernels (:mod:`takeoff.models.aifm_kernels`,
numba, threads over draws); the calibration is array code over all draws. Each draw carries a
status (:data:`STATUS_NAMES`); a draw that fails says why, its dates are NaN.

Published priors (:func:`load_priors`, from ``aifm_priors.toml``): the marginals of
``config/sampling_config.yaml`` read as the peer's sampler reads them (80% intervals; shifted
lognormals whose interval is of x - shift; choices; the peer's clip to its parameter bounds,
which is not the min/max written in the YAML), the time-series parameters (training-compute
growth before/after a slowdown year) and the Spearman correlations through a Gaussian copula
(latent 2 sin(pi rho_s / 6)). Normal, lognormal, beta and uniform marginals are
:class:`~takeoff.models.distributions.Distribution` objects; the shifted lognormals (shift + a
lognormal) and the discrete choices are not kinds of Distribution and are written in
:class:`Marginal`. The draws follow the same distribution as the peer's, not its random stream.

Reproduced from the peer (choices one might have made otherwise):
- The published default ``optimal_ces_grid_size = 4096``: the peer tabulates ln B, ln F, ln Q,
  ln R on 4096 task indices in [0, 1 - 1e-6] (B by the trapezoid rule) and interpolates them
  linearly. That grid is part of the published model (a parameter with a default and bounds),
  so it is reproduced exactly, in closed form (the trapezoid sum of a geometric sequence, the
  table never stored); ``optimal_ces_grid_size = 0`` gives the continuum it approximates.
  The task ceiling i_max = 1 - 1e-6 is kept in both (it bounds L/H by i_max's human share).
- RS(2012) of the main run uses the *simple* CES coding labour (A^(1-rho) C^rho + (1-A)^(1-rho)
  H^rho)^(1/rho) at A = automation(P0) (clipped to [1e-9, 1 - 1e-9]), as the peer does, although
  the dynamics use the optimal CES.
- The aggregate taste uses the 99.9th percentile, the AI taste ``top_percentile`` (both 0.999);
  SAR/SIAR targets are the constants 3.25 and 3.25^3 whatever median_to_top_taste_multiplier.
- The horizon path is re-anchored at the main run's P(present_day) (the peer's fix for its
  "Case 2"), while P_AC keeps the human-only anchor; h is evaluated with its base floored at
  1e-12, and where that overflows the peer's fallback 1e12 minutes.
- doubling_difficulty_growth_factor = 1 switches to the exponential horizon law.
- Caps: research effort <= 1e30 before and after taste, taste <= 1e30, sd <= 100.
- The rule L/H = swe_multiplier for A_pd: the peer matches (L/H)^pp = swe^pp, the same for pp > 0.

Departures (each measured against the peer; see tests/models/fixtures/README.md):
- Exact evaluation where the peer interpolates on its 250-point output grid: the 2023.0
  reference rate, the present-day anchor statistics, milestone crossings, and the
  research-stock start (an exact right derivative instead of a 1e-6 forward difference). On the
  default run the peer's own answers move by up to 0.004 years when only its output grid is
  made 16x finer; ours agree with that finer run to 2e-4 years.
- Radau (rtol 1e-3) replaced by Dormand-Prince on one equation in arc length (tolerance 1e-7).
- Everything in logarithms: where the peer's exp(-beta ln E_aut) overflows for extreme draws the
  value its formulas define is computed instead of an overflow.
- A draw the peer would silently run with rho_x = 0 (no bracket in [-50, 1]) or with an
  undefined zeta (a NaN) fails here with that status.
- Where progress jumps by ~1e30 OOMs between two of the peer's output points (explosive draws)
  its inverse interpolation loses the AC date; here AC is dated inside the burst.
- Not reproduced: the simple-CES coding-labour mode, the exponential automation schedule (the
  peer asserts it is not implemented), the "SDs per effective OOM" taste mode, horizon fitting
  to METR data when present_horizon/doubling time are unset, and the Plan A / black-site modes.

Arrays: parameters are (n,) arrays, one value per draw.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from scipy import special

from takeoff.errors import TakeoffError
from takeoff.models import aifm_kernels as K
from takeoff.models.distributions import Distribution
from takeoff.models.family import Interval
from takeoff.models.integrate import _DENSE, DOPRI5  # its continuous-extension weights

PEER = "brendanhalstead/ai-progress-rates"
PEER_COMMIT = "786c6655cff1f0221318da47624059371aac319e"

LN10 = math.log(10.0)
LN2 = math.log(2.0)
TASK_INDEX_MAX = 1.0 - 1e-6  # the peer's task grid ends here
EPS_ONE_MINUS_I = 1e-18  # the peer's log(1 - i + 1e-18)
AUTOMATION_CLIP = 1e-9
REFERENCE_YEAR = 2024.8  # experiment-capacity anchors
REFERENCE_COMPUTE_CHANGE = 0.1
SOFTWARE_REFERENCE_YEAR = 2023.0
TRAINING_COMPUTE_REFERENCE_YEAR = 2025.13
TRAINING_COMPUTE_REFERENCE_OOMS = 26.54
TOP_PERCENTILE = 0.999
SAR_TASTE = 3.25
SIAR_TASTE = 3.25**3
AI2027_SC_SERIAL_MULTIPLIER = 10.0 * 30.0
AI2027_SC_BASE = 30.0
AIR_TARGETS = (5.0, 25.0, 250.0, 2000.0, 10000.0)
MAX_SD = 100.0
LOG_TASTE_MAX = math.log(1e30)
LOG_MAX_RESEARCH_EFFORT = math.log(1e30)
LOG_RESEARCH_STOCK_CLAMP = math.log(1e30)
RHO_BRACKET = (-50.0, 1.0)
ZETA_CLIP = (0.001, 10.0)
HORIZON_FALLBACK_MINUTES = 1e12
T_START, T_END = 2012.0, 2050.0

MILESTONES = (
    "AC",
    "AI2027-SC",
    "AIR-5x",
    "AIR-25x",
    "AIR-250x",
    "AIR-2000x",
    "AIR-10000x",
    "SAR",
    "SIAR",
)
PEER_MILESTONE_NAMES = {
    "AC": "ACD-AI",
    "SAR": "SAR-level-experiment-selection-skill",
    "SIAR": "SIAR-level-experiment-selection-skill",
}

# Per-draw status codes.
OK = 0
RHO_NO_BRACKET = 1
ZETA_UNDEFINED = 2
RS_CLAMP = 3
EXHAUSTED = 4
BAD_ANCHORS = 5
STATUS_NAMES = {
    OK: "ok",
    RHO_NO_BRACKET: "experiment-capacity asymptotes give no rho in [-50, 1]",
    ZETA_UNDEFINED: "experiment compute exponent undefined ((1+k) M^rho - k <= 0)",
    RS_CLAMP: "research stock reached the 1e30 clamp",
    EXHAUSTED: "step budget exhausted",
    BAD_ANCHORS: "automation anchors not increasing in progress",
}


# --- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AifmParameter:
    """A parameter of the model: name (the peer's), unit, meaning, published default, range."""

    name: str
    unit: str
    description: str
    default: float
    valid: Interval

    def describe(self) -> str:
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{self.name}{unit}: {self.description} (default {self.default:g}, in {self.valid})"


def _closed(lo, hi):
    return Interval(lo, hi, low_closed=True, high_closed=True)


_P = AifmParameter
PARAMETERS: tuple[AifmParameter, ...] = (
    _P(
        "rho_coding_labor",
        "",
        "CES substitution across coding tasks",
        -2.0,
        Interval(-50.0, 0.0, low_closed=True),
    ),
    _P(
        "parallel_penalty",
        "",
        "serial coding labour = parallel labour^pp",
        0.5,
        Interval(0.0, 1.0, high_closed=True),
    ),
    _P(
        "coding_labor_normalization",
        "",
        "multiplier on serial coding labour",
        1.0,
        _closed(1e-5, 10),
    ),
    _P(
        "inf_labor_asymptote",
        "x",
        "experiment capacity with infinite coding labour, relative to 2024.8",
        15.0,
        Interval(1.0, math.inf),
    ),
    _P(
        "inf_compute_asymptote",
        "x",
        "experiment capacity with infinite experiment compute, relative to 2024.8",
        5000.0,
        Interval(1.0, math.inf),
    ),
    _P(
        "inv_compute_anchor_exp_cap",
        "x",
        "1 / (experiment capacity after a 10x cut in experiment compute)",
        3.33,
        Interval(0.0, math.inf),
    ),
    _P(
        "software_progress_rate_at_reference_year",
        "OOMs/yr",
        "human-only software progress rate at 2023.0 (sets r)",
        0.79,
        Interval(0.0, math.inf),
    ),
    _P(
        "automation_fraction_at_coding_automation_anchor",
        "",
        "automation fraction at the Automated Coder",
        1.0,
        Interval(0.0, 1.0, high_closed=True),
    ),
    _P(
        "swe_multiplier_at_present_day",
        "x",
        "coding labour / human labour at present_day",
        1.6,
        Interval(1.0, math.inf, low_closed=True),
    ),
    _P(
        "coding_automation_efficiency_slope",
        "OOMs per present-day progress-year",
        "growth of automated tasks' compute efficiency with progress",
        3.0,
        Interval(0.0, math.inf),
    ),
    _P(
        "optimal_ces_eta_init",
        "",
        "compute efficiency of a task when it becomes automatable",
        0.05,
        Interval(0.0, math.inf),
    ),
    _P(
        "optimal_ces_grid_size",
        "task indices",
        "the peer's task grid (4096); 0 = the exact continuum",
        4096.0,
        _closed(0.0, 16384.0),
    ),
    _P(
        "ai_research_taste_at_coding_automation_anchor_sd",
        "SD",
        "AI research taste at AC, in human standard deviations",
        0.5,
        Interval(-math.inf, math.inf),
    ),
    _P(
        "ai_research_taste_slope",
        "SD per present-day progress-year",
        "growth of AI research taste with progress",
        2.5,
        Interval(0.0, math.inf),
    ),
    _P(
        "median_to_top_taste_multiplier",
        "x",
        "human taste at the 99.9th percentile / median",
        3.25,
        Interval(1.0, math.inf),
    ),
    _P(
        "aa_time_horizon_minutes",
        "minutes",
        "80% time horizon of the Automated Coder",
        6224000.0,
        Interval(0.0, math.inf),
    ),
    _P(
        "pre_gap_aa_time_horizon",
        "minutes",
        "gap mode: horizon at which the gap starts",
        124600.0,
        Interval(0.0, math.inf),
    ),
    _P("include_gap", "", "1: gap mode, 0: no gap", 0.0, _closed(0.0, 1.0)),
    _P(
        "gap_years",
        "present-day progress-years",
        "gap length",
        1.5,
        Interval(0.0, math.inf, low_closed=True),
    ),
    _P("present_day", "yr", "anchor date of the horizon law", 2025.6, _closed(2020.0, 2030.0)),
    _P("present_horizon", "minutes", "80% horizon at present_day", 26.0, Interval(0.0, math.inf)),
    _P(
        "present_doubling_time",
        "yr",
        "horizon doubling time at present_day",
        0.408,
        Interval(0.0, math.inf),
    ),
    _P(
        "doubling_difficulty_growth_factor",
        "",
        "each doubling's doubling time / the previous (1: exponential)",
        0.92,
        Interval(0.0, math.inf),
    ),
    _P(
        "initial_progress",
        "OOMs",
        "progress at the start (2012)",
        0.0,
        Interval(-1e3, 1e3, low_closed=True, high_closed=True),
    ),
)
PARAMETER_NAMES = tuple(p.name for p in PARAMETERS)
DEFAULTS = {p.name: p.default for p in PARAMETERS}
TIME_SERIES_PARAMETERS = (
    "constant_training_compute_growth_rate",
    "slowdown_year",
    "post_slowdown_training_compute_growth_rate",
)


def parameter(name: str) -> AifmParameter:
    for p in PARAMETERS:
        if p.name == name:
            return p
    raise TakeoffError(
        f"unknown parameter '{name}' for aifm; valid parameters: {', '.join(PARAMETER_NAMES)}"
    )


def describe() -> str:
    lines = ["aifm: the core of the AI Futures Model (ai-progress-rates @ 786c6655)"]
    lines += [f"  {p.describe()}" for p in PARAMETERS]
    return "\n".join(lines)


def resolve(values: Mapping[str, float | np.ndarray] | None = None, n: int | None = None):
    """Defaults filled in, names and ranges checked, every parameter broadcast to (n,)."""
    values = dict(values or {})
    for name in values:
        if name not in TIME_SERIES_PARAMETERS:
            parameter(name)
    arrays = {}
    for p in PARAMETERS:
        try:
            a = np.asarray(values.get(p.name, p.default), dtype=float)
        except (TypeError, ValueError):
            raise TakeoffError(f"parameter {p.name} must be a number or an array") from None
        if a.ndim > 1:
            raise TakeoffError(f"parameter {p.name} must be a number or a 1-D array")
        arrays[p.name] = a
    lengths = {a.shape[0] for a in arrays.values() if a.ndim == 1 and a.shape[0] != 1}
    if len(lengths) > 1 or (n is not None and lengths and lengths != {n}):
        raise TakeoffError(
            "aifm parameters have different numbers of draws "
            f"({', '.join(str(x) for x in sorted(lengths))}); give one value or n for each"
        )
    n = n if n is not None else (lengths.pop() if lengths else 1)
    out = {}
    for p in PARAMETERS:
        a = np.broadcast_to(arrays[p.name], (n,)).astype(float)
        bad = ~np.isfinite(a) | ~p.valid.contains(a)
        if bad.any():
            i = int(np.argmax(bad))
            raise TakeoffError(
                f"parameter {p.name} of aifm must be in {p.valid}; got {a[i]:g}"
                + (f" (draw {i})" if n > 1 else "")
            )
        out[p.name] = a
    grid = out["optimal_ces_grid_size"]
    if np.any((grid != 0) & ((grid < 256) | (grid != np.round(grid)))):
        raise TakeoffError("optimal_ces_grid_size must be 0 (continuum) or an integer >= 256")
    return out


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AifmInputs:
    """The exogenous series on their input years (K,): human labour, inference compute,
    experiment compute (all > 0) and the training-compute growth rate in OOMs/yr."""

    time: np.ndarray
    L_HUMAN: np.ndarray
    inference_compute: np.ndarray
    experiment_compute: np.ndarray
    training_compute_growth_rate: np.ndarray


def load_inputs() -> AifmInputs:
    """The peer's default ``input_data.csv`` (bundled, unmodified; see its PROVENANCE.md)."""
    path = resources.files("takeoff.data") / "aifutures_progress" / "input_data.csv"
    with resources.as_file(path) as p:
        table = np.genfromtxt(p, delimiter=",", names=True)
    return check_inputs(
        AifmInputs(
            time=table["time"],
            L_HUMAN=table["L_HUMAN"],
            inference_compute=table["inference_compute"],
            experiment_compute=table["experiment_compute"],
            training_compute_growth_rate=table["training_compute_growth_rate"],
        )
    )


def check_inputs(inputs: AifmInputs) -> AifmInputs:
    t = np.asarray(inputs.time, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise TakeoffError("input times must be at least two finite, strictly increasing years")
    for name in ("L_HUMAN", "inference_compute", "experiment_compute"):
        a = np.asarray(getattr(inputs, name), dtype=float)
        if a.shape != t.shape or np.any(~np.isfinite(a) | (a <= 0)):
            raise TakeoffError(f"input {name} must be finite and positive at every input year")
    g = np.asarray(inputs.training_compute_growth_rate, dtype=float)
    if g.shape != t.shape or not np.all(np.isfinite(g)):
        raise TakeoffError("input training_compute_growth_rate must be finite at every input year")
    return inputs


def training_growth_table(inputs: AifmInputs, n: int, ts: Mapping | None = None) -> np.ndarray:
    """(n, K) growth rates at the input years: the input series, or (the peer's Monte Carlo)
    ``constant_training_compute_growth_rate`` before ``slowdown_year`` and
    ``post_slowdown_training_compute_growth_rate`` from it on."""
    if not ts:
        return np.broadcast_to(inputs.training_compute_growth_rate, (n, inputs.time.size))
    c1, y, c2 = (
        np.broadcast_to(np.asarray(ts[k], dtype=float), (n,)) for k in TIME_SERIES_PARAMETERS
    )
    return np.where(inputs.time[None, :] < y[:, None], c1[:, None], c2[:, None])


class _Inputs:
    """Interpolation of the inputs at per-draw or shared times, and int_{t0}^t g exactly."""

    def __init__(self, inputs: AifmInputs, g: np.ndarray, t0: np.ndarray):
        self.tk = np.asarray(inputs.time, dtype=float)
        self.logs = np.stack(
            [
                np.log(inputs.L_HUMAN),
                np.log(inputs.inference_compute),
                np.log(inputs.experiment_compute),
            ]
        )  # (3, K)
        self.g = np.asarray(g, dtype=float)  # (n, K)
        n = self.g.shape[0]
        dt = np.diff(self.tk)
        seg = _positive_linear_integral(self.g[:, :-1], self.g[:, 1:], dt[None, :], dt[None, :])
        self.gcum = np.concatenate([np.zeros((n, 1)), np.cumsum(seg, axis=1)], axis=1)
        self.G0 = self._gint(t0, np.arange(n))

    def segment(self, t):
        k = np.clip(np.searchsorted(self.tk, t, side="right") - 1, 0, self.tk.size - 2)
        frac = np.clip((t - self.tk[k]) / (self.tk[k + 1] - self.tk[k]), 0.0, 1.0)
        return k, frac

    def log_inputs(self, t):
        """ln H, ln C, ln X at t (any shape) and their d/dt on the segment (right-derivatives)."""
        k, frac = self.segment(t)
        lo, hi = self.logs[:, k], self.logs[:, k + 1]
        vals = lo + (hi - lo) * frac
        inside = (t >= self.tk[0]) & (t < self.tk[-1])
        slopes = np.where(inside, (hi - lo) / (self.tk[k + 1] - self.tk[k]), 0.0)
        return vals, slopes

    def growth(self, t, rows):
        k, frac = self.segment(t)
        a, b = self.g[rows, k], self.g[rows, k + 1]
        return np.maximum(a + (b - a) * frac, 0.0)

    def _gint(self, t, rows):
        k, _ = self.segment(t)
        a, b = self.g[rows, k], self.g[rows, k + 1]
        L = self.tk[k + 1] - self.tk[k]
        x = np.clip(t - self.tk[k], 0.0, L)
        extra = np.where(t > self.tk[-1], (t - self.tk[-1]) * np.maximum(self.g[rows, -1], 0), 0.0)
        extra = extra + np.where(
            t < self.tk[0], (t - self.tk[0]) * np.maximum(self.g[rows, 0], 0), 0.0
        )
        return self.gcum[rows, k] + _positive_linear_integral(a, b, L, x) + extra

    def G(self, t, rows):
        """int_{t0}^t max(g, 0) ds (OOMs of training compute since the start)."""
        return self._gint(t, rows) - self.G0[rows]


def _positive_linear_integral(a, b, L, x):
    """int_0^x max(0, a + (b - a) s / L) ds for 0 <= x <= L (exact)."""
    m = (b - a) / L
    with np.errstate(divide="ignore", invalid="ignore"):
        s0 = np.where(m != 0, -a / np.where(m != 0, m, 1.0), np.inf)
    lo = np.where(m > 0, np.clip(s0, 0.0, x), 0.0)
    hi = np.where(m < 0, np.clip(s0, 0.0, x), x)
    hi = np.where((m == 0) & (a <= 0), 0.0, hi)
    hi = np.maximum(hi, lo)
    return a * (hi - lo) + 0.5 * m * (hi * hi - lo * lo)


# --- building blocks ----------------------------------------------------------------------------


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


class _Automation:
    """The optimal-CES coding labour of one linear automation schedule per draw: its constants
    packed for :func:`takeoff.models.aifm_kernels.log_labor_ratio` (see the module doc)."""

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


def _automation(cal, a_pd, P_pd, P_ac, a_ac):
    """The linear schedule through (P_pd, a_pd) and (P_ac, a_ac) as (P_z, D)."""
    slope = (a_ac - a_pd) / (P_ac - P_pd)
    flat = np.abs(slope) < 1e-12  # the peer's guard: thresholds spread between the anchors
    with np.errstate(divide="ignore", invalid="ignore"):
        D = np.where(flat, P_ac - P_pd, 1.0 / np.where(flat, 1.0, slope))
        P_z = np.where(flat, P_pd, P_pd - a_pd * D)
    return _Automation(cal["rho_c"], cal["theta"], cal["eta0"], P_z, D, cal["grid"])


# --- calibration --------------------------------------------------------------------------------

_GL_X, _GL_W = np.polynomial.legendre.leggauss(10)  # ~1e-13 relative on an input year


def _bisect(fun, lo, hi, iterations):
    """Vectorised bisection for an increasing fun with fun(lo) < 0 <= fun(hi)."""
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        neg = fun(mid) < 0
        lo = np.where(neg, mid, lo)
        hi = np.where(neg, hi, mid)
    return lo, hi


def _experiment_capacity(p, inp: _Inputs, status):
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


def _initial_stock(log_re0, dlog_re0):
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
) -> tuple[Calibration, _Inputs, _Automation]:
    """Steps 1-5 of the module doc for every draw: experiment capacity, r, the present-day
    anchor, P_AC, converted slopes, the automation anchor."""
    p = resolve(params) if not all(k in params for k in PARAMETER_NAMES) else dict(params)
    inputs = load_inputs() if inputs is None else inputs
    n = p["rho_coding_labor"].shape[0]
    g = training_growth_table(inputs, n, ts)
    t0 = np.full(n, float(t_start))
    inp = _Inputs(inputs, g, t0)
    status = np.zeros(n, dtype=np.int8)
    rows = np.arange(n)
    c = {"t0": t0, "pp": p["parallel_penalty"], "log_norm": np.log(p["coding_labor_normalization"])}
    c["rho_x"], c["alpha"], c["zeta"], c["zeta_c"] = _experiment_capacity(p, inp, status)

    # human-only path and r
    lre0, dlre0 = _log_re_human(t0[:, None], c, inp)
    lrs0_h = _initial_stock(lre0[:, 0], dlre0[:, 0])
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
        am = _automation(
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
    am = _automation(c, a_pd, c["P_pd"], safe_ac, a_ac)
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


# --- the trajectory -------------------------------------------------------------------------------


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
    return _initial_stock(lre0, dlre0)


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
    input year (:func:`takeoff.models.aifm_kernels.integrate_rows`, threads over draws)."""
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


# --- published priors ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Marginal:
    """One published prior: a Distribution for the continuous part (``shift`` + it), or a choice
    among ``values``; then the peer's clip. (Shifted lognormals and choices are not kinds of
    :class:`~takeoff.models.distributions.Distribution`, so they are written here.)"""

    name: str
    kind: str
    distribution: Distribution | None = None
    shift: float = 0.0
    clip: tuple[float, float] | None = None
    values: tuple[float, ...] = ()
    probs: tuple[float, ...] = ()

    def ppf(self, q):
        q = np.asarray(q, dtype=float)
        if self.kind == "choice":
            idx = np.minimum(np.searchsorted(np.cumsum(self.probs), q), len(self.values) - 1)
            x = np.asarray(self.values)[idx]
        else:
            x = self.shift + self.distribution.ppf(q)
        if self.clip is not None:
            x = np.clip(x, *self.clip)
        return x


@dataclass(frozen=True)
class Priors:
    marginals: tuple[Marginal, ...]
    fixed: dict
    correlated: tuple[str, ...]
    spearman: np.ndarray
    source: dict

    @property
    def latent_correlation(self) -> np.ndarray:
        """The Gaussian-copula correlation, 2 sin(pi rho_s / 6) (diagonal 1)."""
        m = np.clip(2.0 * np.sin(np.pi * self.spearman / 6.0), -0.9999, 0.9999)
        np.fill_diagonal(m, 1.0)
        return m

    def sample(self, n: int, seed: int) -> dict[str, np.ndarray]:
        """n draws of every published prior (correlated ones through the Gaussian copula); the
        other parameters keep their defaults (not returned). Seeded, no global state."""
        if not (isinstance(n, int) and n >= 1):
            raise TakeoffError(f"the number of draws must be a positive integer; got {n!r}")
        rng = np.random.default_rng(seed)
        chol = np.linalg.cholesky(self.latent_correlation)
        z = rng.standard_normal((n, len(self.correlated))) @ chol.T
        u_corr = special.ndtr(z)
        out = {}
        for m in self.marginals:
            if m.name in self.correlated:
                q = u_corr[:, self.correlated.index(m.name)]
            else:
                q = rng.uniform(0.0, 1.0, n)
            out[m.name] = m.ppf(q)
        for k, v in self.fixed.items():
            out[k] = np.full(n, float(v))
        return out


_Z90 = 1.2815515655446004


def load_priors() -> Priors:
    """The published Monte Carlo priors (``aifm_priors.toml``)."""
    text = (resources.files("takeoff.models") / "aifm_priors.toml").read_text()
    data = tomllib.loads(text)
    marginals = []
    for name, spec in data["parameters"].items():
        kind = spec["kind"]
        clip = tuple(spec["clip"]) if "clip" in spec else None
        if kind == "choice":
            marginals.append(
                Marginal(
                    name, kind, values=tuple(spec["values"]), probs=tuple(spec["p"]), clip=clip
                )
            )
            continue
        if kind == "beta":
            dist = Distribution("beta", a=spec["a"], b=spec["b"])
        elif kind == "uniform":
            dist = Distribution("uniform", low=spec["low"], high=spec["high"])
        else:
            lo, hi = sorted(spec["ci80"])
            if kind == "normal":
                dist = Distribution("normal", mu=0.5 * (lo + hi), sigma=(hi - lo) / (2 * _Z90))
            else:
                ll, lh = math.log(lo), math.log(hi)
                dist = Distribution("lognormal", mu=0.5 * (ll + lh), sigma=(lh - ll) / (2 * _Z90))
        marginals.append(Marginal(name, kind, dist, float(spec.get("shift", 0.0)), clip))
    corr = data["correlation"]
    return Priors(
        tuple(marginals),
        dict(data.get("fixed", {})),
        tuple(corr["parameters"]),
        np.asarray(corr["matrix"], dtype=float),
        dict(data["source"]),
    )

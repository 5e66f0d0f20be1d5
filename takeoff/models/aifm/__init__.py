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
research effort and the integrator are compiled row kernels (:mod:`takeoff.models.aifm.kernels`,
numba, threads over draws); the calibration is array code over all draws. Each draw carries a
status (:data:`STATUS_NAMES`); a draw that fails says why, its dates are NaN.

Published priors (:func:`load_priors`, from ``aifm_priors.toml``): the marginals of
``config/sampling_config.yaml`` read as the peer's sampler reads them (80% intervals; shifted
lognormals whose interval is of x - shift; choices; the peer's clip to its parameter bounds,
which is not the min/max written in the YAML), the time-series parameters (training-compute
growth before/after a slowdown year) and the Spearman correlations through a Gaussian copula
(latent 2 sin(pi rho_s / 6)). Every marginal is a
:class:`~takeoff.models.distributions.Distribution` (a shifted lognormal carries its ``shift``,
a choice is the kind ``choice``, the peer's bound its ``clip``). The draws follow the same
distribution as the peer's, not its random stream.

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

The package, by role: :mod:`~takeoff.models.aifm.constants` (the peer, constants, milestones,
statuses), :mod:`~takeoff.models.aifm.parameters` (the parameters as ``family.Parameter``),
:mod:`~takeoff.models.aifm.inputs` (the input series through ``takeoff.data``),
:mod:`~takeoff.models.aifm.production` (CES, taste, the optimal-CES coding labour),
:mod:`~takeoff.models.aifm.calibration`, :mod:`~takeoff.models.aifm.simulation` (the
trajectory), :mod:`~takeoff.models.aifm.kernels` (numba) and
:mod:`~takeoff.models.aifm.priors` (the published priors, ``aifm_priors.toml``). This module
exports the public names of those.
"""

from __future__ import annotations

from takeoff.models.aifm.calibration import (
    Calibration,
    calibrate,
    horizon_progress,
    log_horizon,
)
from takeoff.models.aifm.constants import (
    AIR_TARGETS,
    EXHAUSTED,
    LOG_RESEARCH_STOCK_CLAMP,
    MILESTONES,
    OK,
    PEER,
    PEER_COMMIT,
    RHO_NO_BRACKET,
    SAR_TASTE,
    SIAR_TASTE,
    SOFTWARE_REFERENCE_YEAR,
    STATUS_NAMES,
    T_END,
    T_START,
)
from takeoff.models.aifm.inputs import (
    AifmInputs,
    check_inputs,
    load_inputs,
)
from takeoff.models.aifm.parameters import (
    AIFM_MODEL,
    DEFAULTS,
    PARAMETER_NAMES,
    PARAMETERS,
    TIME_SERIES,
    TIME_SERIES_PARAMETERS,
    resolve,
)
from takeoff.models.aifm.priors import (
    Priors,
    load_priors,
)
from takeoff.models.aifm.production import (
    log_ai_taste,
)
from takeoff.models.aifm.simulation import (
    AifmRun,
    milestone_dates,
    simulate,
)

__all__ = [
    "AIFM_MODEL",
    "AIR_TARGETS",
    "DEFAULTS",
    "EXHAUSTED",
    "LOG_RESEARCH_STOCK_CLAMP",
    "MILESTONES",
    "OK",
    "PARAMETERS",
    "PARAMETER_NAMES",
    "PEER",
    "PEER_COMMIT",
    "RHO_NO_BRACKET",
    "SAR_TASTE",
    "SIAR_TASTE",
    "SOFTWARE_REFERENCE_YEAR",
    "STATUS_NAMES",
    "TIME_SERIES",
    "TIME_SERIES_PARAMETERS",
    "T_END",
    "T_START",
    "AifmInputs",
    "AifmRun",
    "Calibration",
    "Priors",
    "calibrate",
    "check_inputs",
    "horizon_progress",
    "load_inputs",
    "load_priors",
    "log_ai_taste",
    "log_horizon",
    "milestone_dates",
    "resolve",
    "simulate",
]

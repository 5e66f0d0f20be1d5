"""``research_loop``: the closed loop fitted as ONE posterior to its series at once.

    frontier training compute  log10 C(t) = log10 C0 + g_C tau / ln 10        (Epoch frontier list)
    METR 50% horizons          ln H(t) = readout(ln S(t), tau)               (frontier, TH 1.1)
    AI uplift measurements     ln y = ln U(t) + b_kind + e   (takeoff.models.uplift)
    software                   ln S(t) from the loop's ODE (takeoff.models.loop_path, RK4)

with tau = t − 2026.0 (the loop's start, S = 1 there) and the loop's AI-labour link inside the
ODE: the path S(t) over the data period (2019-2026) is integrated inside the model (a
differentiable fixed-step RK4 in a ``pytensor.scan``, a quarter-year step, both ways from the
start), so the horizons, the uplift and the compute trend constrain the loop's parameters
jointly. One Student-t likelihood over the stacked observations (a ``kind`` code per row: 0
horizon [ln minutes], 1 compute [log10 FLOP], 2 uplift [ln factor]), each kind with its own
scatter (and the measurement sd from each row's reported interval where it has one).

The horizon read-out is ``READOUT`` below (:func:`takeoff.models.loop_path.log_horizon_changed`:
``effective_readout``'s read-out with one change of exponent, kappa gamma below E_change and
(kappa + dkappa) gamma above it); the ODE's automation a(H) and the horizon likelihood both use
it. Its two parameters have effective_readout's priors: log_kappa_ratio ~ N(0, 1) (dkappa =
kappa (e^log_kappa_ratio - 1)) and change_date ~ N(2024.5, 1); ln(E_change/E0) = (g_C + g_S)
(change_date - START), the start's effective growth (as effective_readout dates it; the path's
own E there would make E_change depend on the path it shapes).

CONVERGENCE. nutpie, load average 2-6 on 2 shared cores, divergences / max R-hat / min bulk ESS
over the free parameters. Before (g_S and log10_C0 sampled as such, the path to 2026.75):

    read-out  tune+draws x chains  target  mass matrix   divergences  R-hat  min ESS
    straight  300+200 x 2          0.95    diagonal      118          -      83     (before)
    changed   300+200 x 2          0.95    diagonal      20           1.05   55
    changed   300+200 x 2          0.99    diagonal      8            1.03   87
    changed   300+200 x 2 (seed 5) 0.99    diagonal      21           1.02   85
    changed   500+300 x 2          0.99    diagonal      23           1.02   137
    changed   500+300 x 2          0.99    low-rank      22           1.04   60
    changed   500+300 x 2          0.95    low-rank      19           1.05   65
    changed   1000+300 x 2         0.99    diagonal      27           1.05   91
    changed, RK4 step 1/8 yr
              500+300 x 2          0.99    diagonal      44           1.04   104
    changed, change width 1.5 e-folds (not 0.5)
              500+300 x 2          0.99    diagonal      26           1.01   110
    changed, g_S FIXED at 0.82 (a diagnostic only, not a model: g_S is an upstream prior)
              300+200 x 2 (seed 5) 0.99    diagonal      1            1.04   51
              500+300 x 2          0.99    diagonal      3            1.02   103
              1000+1000 x 4        0.99    diagonal      14           1.01   499
    (this session, seed 1, 300+200 x 2, 0.99, diagonal)
    as before                                            5            1.03   57
    g_S via log_D, log10_C0 via log10_C_mid              18           1.05   86
    + path ends at 2026.375, 1/16 yr after the start     0            1.06   80   (19.7 s)

What the diagnosis found. The curved ridge D = g_S F(q, lambda, g_L) was NOT what blocked the
fit: the data barely pin D (posterior sd of ln D 0.6, more than the prior's 0.41 of ln g_S) and
corr(ln g_S, logit q) is ~0 in the posterior; the divergent transitions sat at high g_S, low
log_kappa_ratio, high lambda and rho, not along a ridge. The slowest pair was log10_C0 with g_C
(r = 0.94: the level at the END of the compute data); sampling it at 2023 removes that. The
divergences themselves: nutpie's stored divergence ends (store_divergences=True) were ALL NaN,
and at every divergence start (typical posterior density, ln p within the posterior's 1-99%
range) the loop EXPLODED in the path's forward leg after the last data (2026.29): ln S 10 to
1,400 by 2026.75, rates of hundreds to thousands per year, where a quarter-year RK4 step
overflows. No data lie there, so the path now ends just past the last data (LAST) and runs at
1/16 yr after the start (rates there reach ~10/yr in the posterior); by 2026.375 every former
divergence start has rates below 11/yr and ln S below 2. (Guards instead, S clamped at S_max and
the rate capped at 1e4/yr, made the exploding region finite but flat: the step size collapsed
to 2e-4, every transition at the maximum tree depth, R-hat 2.8; dropped.)

At the shipped settings (tune 600, 1000 draws x 4 chains, target 0.99; R-hat and bulk ESS
over ``summary_vars``):

    seed 0 (takeoff ship --only research_loop)   6 of 4000   -      -    (refused by ship)
    seed 1 (takeoff fit research_loop --seed 1)  0 of 4000   1.007  645  (213 s, load 2.4-4.3)
    straight (--fix log_kappa_ratio=0), seed 1   16 of 4000  1.007  785  (285 s)

LOO of the horizon link's forms (seed 1, all 76 observations): changed -40.9 (p_loo 12.8, 3
Pareto k > 0.7), straight -44.3 (1); the change is ahead by 3.4 +- 2.9, NOT clearly (and the
straight fit kept 16 divergences).

So NOT yet converged by the criterion (zero divergences at seeds 0 and 1): seed 1 is clean, seed
0 keeps 6 of 4000 (0.15%, down from 2-7% before) and is not shipped. Where they sit (nutpie
directly, seed 0, the shipped size, store_divergences=True: again 6, all in ONE chain, ends all
NaN): NOT the forward leg (rates ~1/yr there) but one corner away from the bulk: an early change
(change_date ~2023.6) with a large one (log_kappa_ratio ~1.6, the posterior's 0.73 +- 0.19 +4.5
sd), heavy horizon tails (nu_h ~2.5-5) with small scatter_h (~0.12), rho ~0.005. Next: the
Student-t nu_h with scatter_h and the change's date and size (e.g. nu_h's prior away from 2, or
the change sampled as the late exponent), each with its reason.

What is NOT joint here (upstream priors, the normal/log-normal approximations of shipped
posteriors, as ``effective_readout`` takes them): the algorithmic-progress rate g_S at the
start (``algorithmic_progress``), the returns beta, lambda and the growth of the research input
without AI labour g_L (``software_returns_lm``, whose R is the CES of human labour and experiment
compute of issue 23), gamma and the model-size share nu (``chinchilla``). The language-model
progress data therefore enter through those posteriors, not through this likelihood. beta is
not sampled itself but through the balance q = beta g_S / (lambda g_L) in (0, 1): the loop's
path run back over the data period exists only for q below ~1.02 (see the prior's reason).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models import loop_path, uplift
from takeoff.models.distributions import Distribution
from takeoff.models.fits import metr
from takeoff.models.fits.effective_readout import CHANGE_PRIORS, straight_loo
from takeoff.models.fits.fitspec import (
    Export,
    FamilyLink,
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Shipped,
)
from takeoff.models.fits.horizon_readout import READOUT_PRIORS
from takeoff.models.fits.priors import DataScaled, Prior
from takeoff.models.narrowing import width_ratio

START = 2026.0  # the loop's start: S = 1, tau = 0 (takeoff_from_data's start)
FIRST = 2019.0  # the data period's first date (GPT-2, the first METR model)
# the last date the path covers: just past the last data (2026.29). The path after the data
# is not needed, and there a loop the data allow could explode (it reached its ceiling by
# 2026.75 at typical posterior density, overflowing the fixed-step solver: NUTS divergences)
LAST = 2026.375
STEP = 0.25  # RK4 step [years] between the path's nodes
FORWARD_SUBSTEPS = 4  # the path after the start at STEP / 4 = 1/16 yr (rates of tens per year)
C_MID = 2023.0  # the compute trend's level is sampled here, amid its data (see _compute_level)
SPAN = START - FIRST  # the data period before the start over which log_D measures S's growth
Q_MAX = 0.8  # the largest balance beta g_S / (lambda g_L) (the prior of q_balance says why)
READOUT = loop_path.log_horizon_changed  # the horizon read-out: swap here (one line)
LN10 = math.log(10.0)
HORIZON, COMPUTE, UPLIFT = 0, 1, 2
UPSTREAM = ("chinchilla", "algorithmic_progress", "software_returns_lm")
AI_LABOUR = ("A_ai", "H_half", "w", "rho", "S_max", "g_I")  # former labelled priors


def _within(t: np.ndarray, what: str) -> None:
    if t.size and (t.min() < FIRST or t.max() > LAST):
        raise TakeoffError(
            f"research_loop: {what} dated {t.min():.2f}-{t.max():.2f}, but the loop's path "
            f"covers {FIRST:g}-{LAST}; keep rows in that span (--since {FIRST:g})"
        )


def compute_rows(since: float = FIRST, until: float | None = None) -> tuple[np.ndarray, ...]:
    """Dates and log10 training compute of Epoch's frontier models dated since ``since``."""
    from takeoff.data import load

    frame = load("epoch_models")
    frame = frame[frame["frontier"].astype(bool)]
    t = frame["publication_date_year"].to_numpy(float)
    keep = (t >= since) & (t < (until if until is not None else LAST))
    return t[keep], np.log10(frame["training_compute_flop"].to_numpy(float)[keep])


def uplift_rows(until: float | None = None) -> pd.DataFrame:
    """The uplift measurements (role measurement) dated before ``until``."""
    from takeoff.data.ai_uplift import load_uplift, measurements

    rows = measurements(load_uplift())
    return rows if until is None else rows[rows["date"] < until]


def stack(horizons: Prepared, compute, uplift_table: pd.DataFrame) -> Prepared:
    """The three series as one observation vector with a kind code per row, tau from START,
    and each row's node index and weight on the path's grid."""
    t_h = horizons.arrays["tau"] + horizons.constants["t_ref"]
    t_c, y_c = compute
    t_u = uplift_table["date"].to_numpy(float)
    for t, what in ((t_h, "horizons"), (t_c, "compute"), (t_u, "uplift")):
        _within(np.asarray(t, float), what)
    y_u = np.log(uplift_table["uplift"].to_numpy(float))
    s_u = uplift.log_sd_from_interval(uplift_table["uplift_low"], uplift_table["uplift_high"])
    t = np.r_[t_h, t_c, t_u]
    tau = t - START
    back, fwd = loop_path.node_grid(FIRST - START, LAST - START, STEP, FORWARD_SUBSTEPS)
    nodes = np.r_[back[::-1], fwd[1:]]
    index, weight = loop_path.interpolation(nodes, tau)
    kind = np.r_[np.full(t_h.size, HORIZON), np.full(t_c.size, COMPUTE), np.full(t_u.size, UPLIFT)]
    bias = np.r_[np.zeros(t_h.size + t_c.size), uplift.kind_codes(uplift_table["kind"])]
    return Prepared(
        arrays={
            "tau": tau,
            "y": np.r_[horizons.arrays["log_h"], y_c, y_u],
            "sigma_obs": np.r_[horizons.arrays["sigma_obs"], np.zeros(t_c.size), s_u],
            "kind": kind.astype(float),
            "bias": bias,
            "node": index.astype(float),
            "node_w": weight,
        },
        observed="y",
        n=t.size,
        constants={"t_ref": START},
    )


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    horizons = metr.prepare_horizons(frame, options, "research_loop", free_parameters=1)
    since = max(FIRST, options.since or FIRST)
    return stack(horizons, compute_rows(since, options.until), uplift_rows(options.until))


def loop_parameters(params) -> dict:
    """The loop's parameters (loop_path's names) from the model's variables."""
    return {
        "g_S": params["g_S"],
        "beta": params["beta"],
        "lambda": params["lambda"],
        "log_S_max": params["log10_S_max"] * LN10,
        "g_C": params["g_C"],
        "g_L": params["g_L"],
        "g_I": params["g_I"],
        "nu": params["nu_size"],
        "rho": params["rho"],
        "log_A_ai": params["log_A_ai"],
        "log_H0": params["log_H0"],
        "kappa": params["kappa"],
        "gamma": params["gamma"],
        "log_H_half": params["log_H_half"],
        "w": params["w"],
        "dkappa": params["dkappa"],
        "log_E_change": params["log_E_change"],
    }


def likelihood_with(path_nodes):
    """The fit's likelihood with the software path from ``path_nodes`` (loop_path.path_nodes's
    signature): the benchmark swaps in pm.ode's solver here."""
    return lambda prepared, data, params: _likelihood(prepared, data, params, path_nodes)


def _software_growth(data, params, q):
    """g_S through log_D (a Deterministic): the data see the growth of ln S over the data
    period (D, human labour only, ``loop_path.log_human_growth_factor``: D = g_S F(q, lambda,
    g_L)), not the rate at the start, so sampling g_S and q made a curved ridge D = const in
    (ln g_S, logit q) where NUTS diverged. log_D is sampled instead, with the conditional prior
    that keeps the joint prior exactly: ln g_S ~ N(m, s) independent of q, lambda, g_L is
    ln D | q, lambda, g_L ~ N(m + ln F, s) (a shift of ln g_S at fixed q, lambda, g_L: Jacobian
    1), and g_S = D / F."""
    import pymc as pm
    import pytensor.tensor as pt

    log_f = loop_path.log_human_growth_factor(q, params["lambda"], params["g_L"], SPAN, pt)
    log_d = pm.Normal("log_D", mu=data["log_rate_mean"] + log_f, sigma=data["log_rate_sd"])
    return pm.Deterministic("g_S", pt.exp(log_d - log_f))


def _compute_level(params):
    """log10_C0 through log10_C_mid (a Deterministic): the level at 2026.0, the end of the
    compute data, is correlated with the growth g_C (r = 0.94 in the posterior, the slowest
    mixing pair); the level amid the data at C_MID is not. Same joint prior: log10_C0 ~
    N(26.5, 1) independent of g_C is log10_C_mid | g_C ~ N(26.5 - g_C (START - C_MID) / ln 10,
    1), a shift at fixed g_C."""
    import pymc as pm

    prior = C0_PRIOR.distribution.params
    back = params["g_C"] * (START - C_MID) / LN10
    mid = pm.Normal("log10_C_mid", mu=prior["mu"] - back, sigma=prior["sigma"])
    return pm.Deterministic("log10_C0", mid + back)


def _likelihood(prepared: Prepared, data, params, path_nodes=loop_path.path_nodes) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    q = Q_MAX * params["q_balance"]
    params = {**params, "g_S": _software_growth(data, params, q)}
    params["log10_C0"] = _compute_level(params)
    params["beta"] = pm.Deterministic("beta", q * params["lambda"] * params["g_L"] / params["g_S"])
    # the read-out's change of exponent, parametrised as effective_readout's: the exponent
    # ratio e^log_kappa_ratio at change_date, where ln E/E0 is taken on the start's effective
    # growth (g_C + g_S) (the path's own E there would make E_change depend on the path)
    params["dkappa"] = pm.Deterministic("dkappa", params["kappa"] * pt.expm1(
        params["log_kappa_ratio"]))  # fmt: skip
    params["log_E_change"] = pm.Deterministic(
        "log_E_change", (params["g_C"] + params["g_S"]) * (params["change_date"] - START)
    )
    p = loop_parameters(params)
    _, u_nodes = path_nodes(p, FIRST - START, LAST - START, STEP, READOUT, FORWARD_SUBSTEPS)
    node = pt.cast(data["node"], "int64")
    u = loop_path.at(u_nodes, node, data["node_w"])
    tau = data["tau"]
    kind = pt.cast(data["kind"], "int64")
    bias = pt.stack([params[f"b_{k}"] for k in uplift.KINDS])[pt.cast(data["bias"], "int64")]
    mu_h = READOUT(u, tau, p)
    mu_c = params["log10_C0"] + params["g_C"] * tau / LN10
    mu_u = loop_path.log_uplift(u, tau, p, READOUT) + bias
    mu = pt.switch(pt.eq(kind, HORIZON), mu_h, pt.switch(pt.eq(kind, COMPUTE), mu_c, mu_u))
    scatter = pt.stack([params["scatter_h"], params["scatter_c"], params["scatter_u"]])[kind]
    nu = pt.stack([params["nu_h"], params["nu_c"], pt.constant(uplift.NU_UPLIFT)])[kind]
    pm.StudentT(
        "y",
        nu=nu,
        mu=mu,
        sigma=pt.sqrt(data["sigma_obs"] ** 2 + scatter**2),
        observed=data["y"],
        dims="obs",
    )
    pm.Deterministic("A_ai", pt.exp(params["log_A_ai"]))
    pm.Deterministic("H_half", pt.exp(params["log_H_half"]))
    pm.Deterministic("S_max", 10.0 ** params["log10_S_max"])
    pm.Deterministic("H0", pt.exp(params["log_H0"]))
    pm.Deterministic("uplift_start", pt.exp(loop_path.log_uplift(0.0, 0.0, p, READOUT)))
    pm.Deterministic("r", params["lambda"] * params["rho"] / params["beta"])


def _upstream_constants(prepared: Prepared, upstream: Mapping) -> dict[str, float]:
    from takeoff.models import scaling
    from takeoff.models.fits.algorithmic_progress import ALGORITHMIC_PROGRESS
    from takeoff.models.fits.reading import resolve_with

    def flat(fit, name):
        return upstream[fit][name].values.reshape(-1).astype(float)

    chin = {k: flat("chinchilla", k) for k in ("A", "B", "alpha", "beta", "G")}
    k_const = scaling.reducible_constant(*(chin[k] for k in ("A", "B", "alpha", "beta", "G")))
    post = upstream["algorithmic_progress"]
    spec = ALGORITHMIC_PROGRESS if post.attrs.get("fit_name") == "algorithmic_progress" else None
    rate = resolve_with(post, spec, ["algorithmic_rate"], "algorithmic_progress")
    rate = rate["algorithmic_rate"]
    lam = flat("software_returns_lm", "lambda")
    m, v = float(np.mean(lam)), float(np.var(lam))
    common = m * (1.0 - m) / v - 1.0  # beta distribution with lambda's mean and variance
    growth = flat("software_returns_lm", "research_growth")
    gamma = flat("chinchilla", "compute_exponent")
    size = flat("chinchilla", "a")
    return {
        "gamma_mean": float(np.mean(gamma)),
        "gamma_sd": float(np.std(gamma)),
        "size_mean": float(np.mean(size)),
        "size_sd": float(np.std(size)),
        "log_rate_mean": float(np.mean(np.log(rate))),
        "log_rate_sd": float(np.std(np.log(rate))),
        "lambda_a": m * common,
        "lambda_b": (1.0 - m) * common,
        "log_growth_mean": float(np.mean(np.log(growth[growth > 0]))),
        "log_growth_sd": float(np.std(np.log(growth[growth > 0]))),
        "log_K": float(np.mean(np.log(k_const))),
    }


def _prior(name, dist, reason, text=""):
    return Prior(name, dist, reason, text=text)


# g_S's prior: NOT sampled as g_S but through log_D (``_software_growth``, same joint prior)
G_S_PRIOR = _prior("g_S", DataScaled("lognormal", mu="log_rate_mean", sigma="log_rate_sd"),
                   "algorithmic progress rate at the start [1/yr] (sets theta)",
                   "the log-normal of algorithmic_progress's algorithmic_rate (upstream, not "
                   "joint); sampled through log_D, the human-only growth of ln S over the data "
                   "period, given q, lambda and g_L (the same joint prior)")  # fmt: skip
# log10_C0's prior: NOT sampled as log10_C0 but through log10_C_mid (``_compute_level``)
C0_PRIOR = _prior(
    "log10_C0",
    Distribution("normal", mu=26.5, sigma=1.0),
    "log10 FLOP of a frontier training run at 2026.0, wide; sampled through "
    f"log10_C_mid, the level at {C_MID:g} given g_C (the same joint prior)",
)
_KAPPA = next(p for p in READOUT_PRIORS if p.name == "kappa")
_GAMMA = next(p for p in READOUT_PRIORS if p.name == "gamma")
PRIORS = (
    _prior("log_H0", Distribution("normal", mu=math.log(300.0), sigma=1.5),
           "ln of the METR horizon at 2026.0 [ln minutes]: ~5 h, x0.05-x20 (95%)"),
    _KAPPA,
    _GAMMA,
    *CHANGE_PRIORS,
    _prior("g_C", Distribution("normal", mu=1.5, sigma=0.5),
           "growth rate of frontier training compute [1/yr, natural log]: wide around 4.5x/yr"),
    _prior("q_balance", Distribution("beta", a=2.0, b=2.0),
           "beta g_S / (lambda g_L), the Jones law's balance (1: S grows at a constant rate "
           "without AI labour; below 1 it speeds up as research input grows). Sampled instead "
           "of beta because the loop's path must EXIST over the data period: run back 7 years "
           "with human labour only, S^beta = 1 - q (1 - e^(-lambda g_L T)) reaches 0 (no "
           "path) once q exceeds ~1.02; with software_returns_lm's beta as the prior the "
           "sampler hit that wall (R-hat 1.5, 753 divergences), and close to it the path is "
           "stiff (567 divergences with q up to 1). So q = Q_MAX q_balance with q_balance "
           "~ Beta(2, 2): q in (0, 0.8), centred on 0.4, i.e. S grew at most 1/(1 - q) = 5x "
           "faster in 2019 than at the start without AI labour (the LM path shows no such "
           "slow-down; software_returns_lm's draws give a median ratio near 0.6); beta = q "
           "lambda g_L / g_S is derived"),
    _prior("lambda", DataScaled("beta", a="lambda_a", b="lambda_b"),
           "returns to research input (parallelisation)",
           "a beta with software_returns_lm's lambda mean and variance (upstream, not joint)"),
    _prior("g_L", DataScaled("lognormal", mu="log_growth_mean", sigma="log_growth_sd"),
           "growth of the research input without AI labour [1/yr] (positive: both inputs grew)",
           "the log-normal of software_returns_lm's research_growth (the CES of labour and "
           "experiment compute; upstream, not joint)"),
    _prior("nu_size", DataScaled("normal", mu="size_mean", sigma="size_sd"),
           "compute per AI researcher grows as C^nu (model size; research_loop's nu)",
           "chinchilla's compute-optimal parameter share a"),
    _prior("log_A_ai", Distribution("uniform", low=math.log(0.1), high=math.log(10.0)),
           "ln of the AI research labour under full automation at the start, in units of the "
           "research input without AI: a tenth to ten times, log-uniform (takeoff_from_data's "
           "labelled prior, now updated by the uplift data)"),
    _prior("log_H_half", Distribution("normal", mu=9.21, sigma=1.5),
           "ln of the horizon [minutes] at which half of AI-research tasks are automatable: a "
           "work month (the length of a research project), 90% a work day to two work years"),
    _prior("w", Distribution("lognormal", mu=0.0, sigma=0.5),
           "automation rises from 12% to 88% over +-2 w e-folds of horizon"),
    _prior("rho", Distribution("uniform", low=0.0, high=1.0),
           "elasticity of AI researchers to software efficiency: 0 (gains only cheapen "
           "training) to 1 (every gain applies to running models)"),
    _prior("g_I", Distribution("lognormal", mu=-0.105, sigma=0.35),
           "growth of the inference compute put to AI research: the AI Futures inputs grew "
           "~1.26/yr over 2012-2026, projected ~0.68/yr; 90% in ~0.5-1.6"),
    _prior("log10_S_max", Distribution("uniform", low=3.0, high=9.0),
           "log10 of the software ceiling: the ~1e5-1e6 data-efficiency gap between a human "
           "learner and a frontier model, +-3 orders of magnitude"),
    *(_prior(f"b_{k}", d, why) for k, (d, why) in uplift.BIASES.items()),
    _prior("scatter_h", Distribution("gamma", alpha=2.0, beta=6.0),
           "spread of frontier models around the loop's horizon [ln minutes]: models of one "
           "date differ, so zero is implausible; a boundary-avoiding gamma (mean 0.33, 95% "
           "0.04-0.93) rather than a half-normal, whose funnel at zero gave divergences with "
           "17 points whose reported intervals already cover most of the spread"),
    _prior("nu_h", Distribution("gamma", alpha=2.0, beta=0.1),
           "Student-t degrees of freedom of the horizons (Juárez & Steel 2010)"),
    _prior("scatter_c", Distribution("halfnormal", sigma=1.0),
           "spread of frontier training runs around the compute trend [log10 FLOP]"),
    _prior("nu_c", Distribution("gamma", alpha=2.0, beta=0.1),
           "Student-t degrees of freedom of the compute points"),
    _prior("scatter_u", *uplift.SCATTER),
)  # fmt: skip


def _link(unit, what, fn, variables):
    return Export(unit, what, fn, variables)


def _same(name, unit, what):
    return _link(unit, what, lambda d: d[name], (name,))


FAMILY = FamilyLink(
    family="research_loop",
    parameters={
        "g_S": _same("g_S", "1/yr", "algorithmic progress rate at the start"),
        "beta": _same("beta", "", "ideas get harder to find"),
        "lambda": _same("lambda", "", "returns to research input"),
        "g_L": _same("g_L", "1/yr", "growth of the research input without AI labour"),
        "g_C": _same("g_C", "1/yr", "growth of frontier training compute"),
        "C0": _link(
            "FLOP", "frontier compute at the start", lambda d: 10.0 ** d["log10_C0"], ("log10_C0",)
        ),
        "H0": _same("H0", "minutes", "METR horizon at the start"),
        "gamma": _same("gamma", "", "compute exponent"),
        "kappa": _same("kappa", "", "read-out exponent"),
        "dkappa": _same("dkappa", "", "change of the read-out exponent above E_change"),
        "E_change": _link(
            "FLOP",
            "effective compute at the change (S = 1 at the start, E = C there)",
            lambda d: 10.0 ** d["log10_C0"] * np.exp(d["log_E_change"]),
            ("log10_C0", "log_E_change"),
        ),
        "K": _link(
            "nats",
            "reducible-loss constant (chinchilla, posterior mean)",
            lambda d: np.exp(d["const_log_K"]),
            ("const_log_K",),
        ),
        "nu": _same("nu_size", "", "model-size share of compute growth"),
        **{n: _same(n, "", "AI-labour link (updated by the uplift data)") for n in AI_LABOUR},
    },
    start="t_ref",
)

RESEARCH_LOOP_FIT = FitSpec(
    name="research_loop",
    title="The closed research loop fitted as one posterior: METR frontier horizons, frontier "
    "training compute and measured AI uplift through the loop's ODE (RK4 in the sampler)",
    dataset="metr_horizons",
    roles=metr.ROLES,
    priors=PRIORS,
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=(
        "A_ai",
        "H_half",
        "w",
        "rho",
        "S_max",
        "g_I",
        "uplift_start",
        "g_S",
        "beta",
        "lambda",
        "g_L",
        "kappa",
        "dkappa",
        "change_date",
        "gamma",
        "g_C",
        "H0",
        "b_rct",
        "b_self_report",
        "b_telemetry",
        "scatter_h",
        "scatter_c",
        "scatter_u",
    ),
    options=("since", "until"),
    select_bundled=lambda f: metr.time_horizon_1_1(f).loc[lambda g: g["is_sota"].astype(bool)],
    target_accept=0.99,  # the docstring's table: every run there at 0.99
    tune=600,
    notes="one posterior over the loop; the returns (beta, lambda, g_L), g_S, gamma and nu "
    "enter as upstream priors (not joint); forecaster anchors are never fitted. g_S ~ "
    "lognormal(log_rate_mean, log_rate_sd) (algorithmic_progress) is sampled through log_D | "
    "q, lambda, g_L, and log10_C0 ~ normal(26.5, 1) through log10_C_mid | g_C (the same joint "
    "prior; the module says why)",
    family=FAMILY,
    upstream=UPSTREAM,
    upstream_constants=_upstream_constants,
    predictor=metr.RELEASE_DATE,  # tau + t_ref: the date of every row
    # the response in data units: the horizon rows (the data-period check and the fan charts
    # read them; compute and uplift rows are the other series of the stacked vector)
    response=Predictor("y", "50% task time horizon", "minutes", exp=True),
    observed_rows=lambda arrays: np.asarray(arrays["kind"]) == HORIZON,
    shipped=(
        Shipped("research_loop"),
        Shipped("research_loop_straight", fixed={"log_kappa_ratio": 0.0}),
    ),
)


# --- what the fit prints -----------------------------------------------------------------------

# former labelled priors: (fit variable, shown as, log scale for the width ratio)
PRIOR_VS_POSTERIOR = (
    ("log_A_ai", "A_ai", True),
    ("log_H_half", "H_half [min]", True),
    ("w", "w", False),
    ("rho", "rho", False),
    ("log10_S_max", "S_max", True),
    ("g_I", "g_I [1/yr]", False),
    ("b_rct", "bias of trials (ln)", False),
    ("b_self_report", "bias of self-reports (ln)", False),
    ("b_telemetry", "bias of telemetry (ln)", False),
)


def prior_vs_posterior(idata, n: int = 20000, seed: int = 1) -> pd.DataFrame:
    """Per former labelled prior: its prior and posterior 90% intervals (in the parameter's own
    units) and the ratio of widths (posterior/prior, on the scale sampled)."""
    post = idata.posterior
    constants = {k.removeprefix("const_"): float(v) for k, v in post.attrs.items()
                 if k.startswith("const_")}  # fmt: skip
    rng = np.random.default_rng(seed)
    priors = {p.name: p for p in PRIORS}
    rows = []
    for name, label, log in PRIOR_VS_POSTERIOR:
        prior = priors[name].resolve(constants).sample(rng, n)
        x = post[name].values.reshape(-1)
        shown = (lambda v: 10.0**v) if name == "log10_S_max" else np.exp if log else (lambda v: v)
        q = [0.05, 0.5, 0.95]
        rows.append(
            {
                "parameter": label,
                "prior": _interval(shown(np.quantile(prior, q))),
                "posterior": _interval(shown(np.quantile(x, q))),
                "width_ratio": width_ratio(prior, x),
            }
        )
    # the combination the uplift data speak to: the uplift at the start, under the AI-labour
    # priors (with the posterior's lambda and H0) against its posterior
    pick = rng.integers(0, post["H0"].size, n)
    lam, h0 = (post[v].values.reshape(-1)[pick] for v in ("lambda", "H0"))
    a_ai, h_half = (np.exp(priors[v].resolve(constants).sample(rng, n))
                    for v in ("log_A_ai", "log_H_half"))  # fmt: skip
    w = priors["w"].resolve(constants).sample(rng, n)
    prior = lam * np.log1p(a_ai / (1.0 + (h_half / h0) ** (1.0 / w)))
    x = np.log(post["uplift_start"].values.reshape(-1))
    q = [0.05, 0.5, 0.95]
    rows.append(
        {
            "parameter": f"uplift at {START:g}",
            "prior": _interval(np.exp(np.quantile(prior, q))),
            "posterior": _interval(np.exp(np.quantile(x, q))),
            "width_ratio": width_ratio(prior, x),
        }
    )
    return pd.DataFrame(rows).set_index("parameter")


def _interval(q) -> str:
    return f"{q[1]:.3g} [{q[0]:.3g}, {q[2]:.3g}]"


def key_results(idata) -> list[str]:
    from takeoff.data.ai_uplift import comparisons, load_uplift
    from takeoff.models.fits.intervals import draws, interval

    table = prior_vs_posterior(idata)
    lines = ["prior vs posterior of the AI-labour link (90% intervals; width = posterior/prior):"]
    for label, row in table.iterrows():
        ratio = row["width_ratio"]
        verdict = "NOT narrowed by the data" if ratio > 0.85 else (
            "narrowed a little" if ratio > 0.5 else "narrowed")  # fmt: skip
        lines.append(
            f"  {label:>26}: prior {row['prior']}; posterior {row['posterior']}; "
            f"width {ratio:.2f} ({verdict})"
        )
    lines.append(
        f"uplift of AI research the loop implies at {START:g} ((R/R_human)^lambda): "
        f"{interval(draws(idata, 'uplift_start'), 'x')}"
    )
    shown = comparisons(load_uplift())
    shown = shown[shown["kind"].isin(["forecaster_anchor", "model_output"])]
    lines.append(
        "for comparison only (not fitted): "
        + "; ".join(f"{r.id} {r.uplift:g}x ({r.kind})" for r in shown.itertuples())
    )
    lines.append(
        "NOT joint: g_S, beta, lambda, g_L, gamma, nu are upstream priors (algorithmic_progress, "
        "software_returns_lm, chinchilla); the LM progress data enter only through them"
    )
    return lines + _straight_loo(idata)


def _straight_loo(idata) -> list[str]:
    """LOO of the horizon link's two forms on the same observations: the changed read-out (the
    fit) against the straight one (the same model with log_kappa_ratio = 0, shipped as
    research_loop_straight)."""
    title = "LOO of the horizon link, changed against straight read-out (all observations):"
    return straight_loo(idata, "research_loop", title)

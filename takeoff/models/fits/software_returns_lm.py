"""``software_returns_lm``: the Jones law of motion of
:mod:`takeoff.models.fits.software_returns` on the language-model effective-compute path,
with research made of labour and experiment compute:

    dS/dt = theta S^(1-beta) R(t)^lambda,   R = (a L^p + (1 - a) C^p)^(1/p),  p = 1 - 1/sigma

S(t) is the effective-compute multiplier from algorithms (S = 1 at 2012.0) in the scaling law
of :mod:`takeoff.models.fits.algorithmic_progress` (Ho form, progress shared equally by N and
D': N_e = N S^(1/2), D_e = D' S^(1/2)). R(t) is a CES research production
(:mod:`takeoff.models.research_production`) of human AI-software-R&D labour L = L_HUMAN and
experiment compute C = experiment_compute of the bundled ``aifutures_progress`` series (both
ESTIMATES by the AI Futures Project, model inputs, not measurements; each in units of its 2012
level, so R(2012) = 1 and ``a`` is labour's share there). sigma is the elasticity of
substitution (Cobb-Douglas at sigma = 1, exact). R is built inside the model: ln R at the
series' points (annual, each year cut into ``SUBSTEPS`` pieces on which L and C are log-linear)
is a PyTensor expression of a and sigma, log-linear between the points, so the Jones integral
stays exact on that path (within a relative 6e-3 of the exact CES path's integral in the
first year and 1e-4 at the data's end; tests). Student-t on ln perplexity.

Variants, compared by LOO (``--compare``): ``labour`` (R = L alone, the model before issue 23),
``cobb_douglas`` (sigma = 1), a constant rate (``const``: the shared-rate algorithmic progress
model) and lambda = 0. What is identified is essentially r ~ (growth of S) / (growth of R) on a
balanced path: R's growth depends on a and sigma, which the single path cannot tell apart (L
and C grow at steady, different rates), so a and sigma stay labelled priors (shown against
their posteriors) and r for the composite input inherits their width. Labour-only R leaves out
the compute that grew about 4.5 times as fast, which biases r up.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models import scaling
from takeoff.models.distributions import Distribution
from takeoff.models.fits.algorithmic_progress import ALGORITHMIC_PROGRESS, lm_observations
from takeoff.models.fits.fitspec import (
    Export,
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Regime,
    Shipped,
)
from takeoff.models.fits.intervals import draws
from takeoff.models.fits.priors import Prior
from takeoff.models.fits.software_returns import (
    JONES_PRIORS,
    _width_ratio,
    family_link,
    finite_interval,
    flat,
    jones_log_s,
    returns_lines,
)
from takeoff.models.fits.software_returns import regime_summary as returns_regime_summary
from takeoff.models.jones_software import log_software, research_integral
from takeoff.models.research_production import log_ces, log_cobb_douglas

LM_T0 = 2012.0  # S = 1 here in software_returns_lm; both research inputs are 1 here too
SUBSTEPS = 4  # pieces per year of the annual input series on which ln R is log-linear
WITH_R = ("ces", "cobb_douglas", "labour")  # the variants with a research input
WITH_COMPUTE = ("ces", "cobb_douglas")
INPUTS = {
    "ces": "a CES of human labour L_HUMAN and experiment compute (share a, elasticity sigma_ces)",
    "cobb_douglas": "L_HUMAN^a experiment_compute^(1-a) (Cobb-Douglas: sigma_ces = 1)",
    "labour": "L_HUMAN alone (human labour only)",
}


def input_series() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, human AI-software-R&D labour L_HUMAN and experiment compute of the bundled AI
    Futures inputs (estimates), each in units of its 2012 level, at the series' points."""
    from takeoff.data import load

    s = load("aifutures_progress")
    t = s["time"].to_numpy(float)
    out = [t]
    for column in ("L_HUMAN", "experiment_compute"):
        values = s[column].to_numpy(float)
        out.append(values / float(np.interp(LM_T0, t, values)))
    return out[0], out[1], out[2]


def labour_series() -> tuple[np.ndarray, np.ndarray]:
    """L_HUMAN in units of its 2012 level, at its points (the labour-only research input)."""
    t, labour, _ = input_series()
    return t, labour


def input_grid(times, labour, compute, t0: float, t_end: float, substeps: int = SUBSTEPS):
    """The two inputs (log-linear between ``times``) on [t0, t_end] as segments in years since
    t0: each interval between the series' points cut into ``substeps`` equal pieces; ln L and
    ln C at each piece's ends, and the least-squares weights of a trend slope over the points
    (piece starts here, the last point's weight returned apart). Returns (grid, weight_end)."""
    if times[0] > t0 + 1e-9 or times[-1] < t_end - 1e-9:
        raise TakeoffError(
            f"the research input covers {times[0]:.2f}-{times[-1]:.2f} but the records run "
            f"{t0:.2f}-{t_end:.2f}; give research input over the whole span"
        )
    knots = np.unique(np.r_[t0, times[(times > t0) & (times < t_end)], t_end])
    points = np.unique(
        np.concatenate([np.linspace(a, b, substeps + 1) for a, b in itertools.pairwise(knots)])
    )
    log_l = np.interp(points, times, np.log(labour))
    log_c = np.interp(points, times, np.log(compute))
    centred = points - points.mean()
    weights = centred / np.sum(centred**2)
    grid = {
        "seg_start": points[:-1] - t0,
        "seg_end": points[1:] - t0,
        "seg_log_l0": log_l[:-1],
        "seg_log_l1": log_l[1:],
        "seg_log_c0": log_c[:-1],
        "seg_log_c1": log_c[1:],
        "seg_trend_w": weights[:-1],
    }
    return grid, float(weights[-1])


def log_research(variant: str, log_l, log_c, a=None, sigma=None):
    """ln R of the variant's research production (numpy or PyTensor)."""
    if variant == "labour":
        return log_l + 0.0 * log_c
    if variant == "cobb_douglas":
        return log_cobb_douglas(log_l, log_c, a)
    return log_ces(log_l, log_c, a, sigma)


def research_segments(variant: str, grid, a=None, sigma=None):
    """ln R at the segments' starts and its growth rate on each (the form of
    :func:`~takeoff.models.jones_software.research_integral`), from the inputs at the segment
    ends; ``a``, ``sigma`` tensors or draws shaped to broadcast against the segments."""
    start = log_research(variant, grid["seg_log_l0"], grid["seg_log_c0"], a, sigma)
    end = log_research(variant, grid["seg_log_l1"], grid["seg_log_c1"], a, sigma)
    return start, (end - start) / (grid["seg_end"] - grid["seg_start"])


def log_s_draws(posterior, prepared: Prepared, tau, chunk: int = 200) -> np.ndarray:
    """ln S at ``tau`` (years since 2012) for every draw of a software_returns_lm posterior of
    the Jones law, by the same law as the fit (numpy; R per draw through a and sigma_ces):
    shape (draws, len(tau))."""
    variant = posterior.attrs.get("variant") or "ces"
    variant = "labour" if variant == "jones" else variant
    tau = np.asarray(tau, float)
    beta, lam, theta = (flat(posterior, k) for k in ("beta", "lambda", "theta"))
    n = beta.size
    a = flat(posterior, "a") if "a" in posterior else np.full(n, np.nan)
    sigma = flat(posterior, "sigma_ces") if "sigma_ces" in posterior else np.ones(n)
    grid = {k: np.asarray(v, float) for k, v in prepared.grid.items()}
    out = np.empty((n, tau.size))
    for lo in range(0, n, chunk):
        b = slice(lo, lo + chunk)
        log_r, growth = research_segments(variant, grid, a[b, None, None], sigma[b, None, None])
        seg = (grid["seg_start"], grid["seg_end"], log_r, growth)
        integral = research_integral(tau[None, :], *seg, lam[b, None, None])
        out[b] = log_software(integral, 0.0, beta[b, None], theta[b, None])
    return out


def research_input_draws(posterior, n: int = 400) -> dict[str, np.ndarray]:
    """The fit's research inputs over the fitted window, for figures: the series' times, L and
    C (each 1 at 2012) and ln R of ``n`` evenly thinned posterior draws (through a and
    sigma_ces; R = L for the labour-only variant), shape (n, times)."""
    t_end = LM_T0 + float(posterior.attrs.get("const_tau_end", 0.0))
    times, labour, compute = input_series()
    keep = (times >= LM_T0 - 1e-9) & (times <= t_end + 1e-9)
    times, labour, compute = times[keep], labour[keep], compute[keep]
    variant = posterior.attrs.get("variant") or "ces"
    variant = "labour" if variant == "jones" else variant
    total = posterior.sizes["chain"] * posterior.sizes["draw"]
    pick = np.linspace(0, total - 1, min(n, total)).astype(int)
    a = flat(posterior, "a")[pick, None] if "a" in posterior else None
    sigma = flat(posterior, "sigma_ces")[pick, None] if "sigma_ces" in posterior else None
    if variant == "cobb_douglas":
        sigma = np.ones_like(a)
    log_r = log_research(variant, np.log(labour)[None, :], np.log(compute)[None, :], a, sigma)
    log_r = np.broadcast_to(log_r, (pick.size, times.size))
    return {"time": times, "labour": labour, "compute": compute, "log_r": np.array(log_r)}


def _prepare_lm(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    from takeoff.models.fits.algorithmic_progress import _form
    from takeoff.models.fits.algorithmic_progress import _prepare as prepare_ap

    if _form(frame) != "lm":
        raise TakeoffError(
            "software_returns_lm fits the N, D form: give parameters, data and perplexity"
        )
    base = prepare_ap(frame, FitOptions(since=options.since, until=options.until))
    t = base.arrays["tau"] + base.constants["t_ref"]
    times, labour, compute = input_series()
    if t.min() < LM_T0:
        raise TakeoffError(
            f"software_returns_lm measures S from {LM_T0:g} (the labour series' start); keep "
            f"rows dated {LM_T0:g} or later (--since {LM_T0:g})"
        )
    t_end = float(t.max())
    grid, w_end = input_grid(times, labour, compute, LM_T0, t_end)
    window = (times >= LM_T0) & (times <= t_end)  # the input paths the returns are fitted on

    def slope(values):
        return float(np.polyfit(times[window], np.log(values[window]), 1)[0])

    if options.variant not in ("", "ces", "jones", *WITH_R, "const"):
        raise TakeoffError(f"software_returns_lm has no variant '{options.variant}'")
    variant = "ces" if options.variant in ("", "jones") else options.variant
    arrays = dict(base.arrays)
    arrays["tau"] = t - LM_T0
    return Prepared(
        arrays=arrays,
        observed="loss",
        n=base.n,
        constants={
            **{k: v for k, v in base.constants.items() if k != "t_ref"},
            "t_ref": LM_T0,
            "tau_end": t_end - LM_T0,
            "log_l_end": float(np.interp(t_end, times, np.log(labour))),
            "log_c_end": float(np.interp(t_end, times, np.log(compute))),
            "trend_w_end": w_end,
            "labour_growth": slope(labour),
            "compute_growth": slope(compute),
        },
        variant=variant,
        grid=grid,
        levels=base.levels,
    )


def _likelihood_lm(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    variant = prepared.variant
    if variant == "const":
        g = params["g"]
        log_s = g * data["tau"]
        pm.Deterministic("compute_halving_months", 12.0 * math.log(2.0) / g)
    else:
        a, sigma = params.get("a"), params.get("sigma_ces")
        seg_log_r, seg_growth = research_segments(variant, data, a, sigma)
        log_r_end = log_research(variant, data["log_l_end"], data["log_c_end"], a, sigma)
        pm.Deterministic(
            "research_growth",
            pt.sum(data["seg_trend_w"] * seg_log_r) + data["trend_w_end"] * log_r_end,
        )
        composite = {**data, "seg_log_r": seg_log_r, "seg_growth": seg_growth}
        log_s, theta = jones_log_s(composite, params, 0.0)
        beta, lam = params["beta"], params["lambda"]
        # d ln S / dt at the last date: theta S_end^-beta R_end^lambda
        rate = theta * pm.math.exp(-beta * params["log_S_end"] + lam * log_r_end)
        pm.Deterministic("growth_rate_at_end", rate)
        pm.Deterministic("compute_halving_months_at_end", 12.0 * math.log(2.0) / rate)
    half = 0.5 * log_s
    alpha_n, alpha_d = params["alpha_n"], params["alpha_d"]
    bench = pt.cast(data["benchmark"], "int64")
    mu = scaling.loss_centred(
        data["log_n_c"],
        data["log_d_c"],
        0.0,
        params["log_term_n"][bench] - alpha_n * half,
        params["log_term_d"][bench] - alpha_d * half,
        alpha_n,
        alpha_d,
    )
    pm.StudentT(
        "loss", nu=params["nu"], mu=mu, sigma=params["sigma"], observed=data["loss"], dims="obs"
    )


def share_prior_draws(constants, n: int = 20000, seed: int = 1) -> dict[str, np.ndarray]:
    """Draws of the research production's a and sigma_ces from the fit's declared priors."""
    rng = np.random.default_rng(seed)
    return {
        p.name: p.resolve(constants).sample(rng, n)
        for p in SOFTWARE_RETURNS_LM.priors
        if p.name in ("a", "sigma_ces")
    }


def _verdict(ratio: float) -> str:
    if ratio < 0.5:
        return "identified"
    return "weakly identified" if ratio < 0.85 else "NOT identified: a labelled prior"


def production_lines(idata) -> list[str]:
    """a and sigma_ces beside their priors (intervals and the ratio of widths), the composite
    research input's trend growth beside its two inputs'."""
    post = idata.posterior
    constants = {k.removeprefix("const_"): float(v) for k, v in post.attrs.items()
                 if k.startswith("const_")}  # fmt: skip
    prior = share_prior_draws(constants)
    lines = []
    for name, meaning, log in (
        ("a", "labour's share of R at 2012", False),
        ("sigma_ces", "elasticity of substitution of labour and compute", True),
    ):
        if name not in post:
            continue
        x = draws(idata, name)
        ratio = _width_ratio(prior[name], x, log=log)
        lines.append(
            f"{name} ({meaning}): {finite_interval(x)}; prior {finite_interval(prior[name])}; "
            f"posterior/prior width {ratio:.2f}"
            + (" on a log scale" if log else "")
            + f" ({_verdict(ratio)})"
        )
    if "research_growth" in post:
        lines.append(
            f"trend growth of R over the fitted window: "
            f"{finite_interval(draws(idata, 'research_growth'))} /yr (labour "
            f"{constants.get('labour_growth', float('nan')):.3f}, experiment compute "
            f"{constants.get('compute_growth', float('nan')):.3f} /yr)"
        )
    return lines


def key_results(idata) -> list[str]:
    post = idata.posterior
    variant = post.attrs.get("variant") or "ces"
    what = INPUTS.get(variant, INPUTS["labour"])  # "jones": a fit from before issue 23
    lines = [
        f"ESTIMATE: research input R = {what}, from the AI Futures Project's model inputs "
        "(estimates), each 1 at 2012.0; S = 1 at 2012.0"
    ]
    if variant == "const":
        g = draws(idata, "g")
        return [
            "S = 1 at 2012.0; constant rate (no research input): g "
            f"{finite_interval(g)} /yr, compute halving "
            f"{finite_interval(draws(idata, 'compute_halving_months'))} months",
        ]
    lines += returns_lines(idata, SOFTWARE_RETURNS_LM)
    lines.append("r is the returns to the composite input R above (S doublings per R doubling)")
    lines += production_lines(idata)
    t_end = float(post.attrs.get("const_tau_end", float("nan"))) + LM_T0
    lines.append(
        f"growth rate of S at the last date ({t_end:.2f}): "
        f"{finite_interval(draws(idata, 'growth_rate_at_end'))} /yr (compute halving "
        f"{finite_interval(draws(idata, 'compute_halving_months_at_end'))} months)"
    )
    return lines


def regime_summary(idata) -> dict[str, str]:
    """The compared regimes' row: which R, then beta, lambda, r, P(r > 1), a and sigma_ces."""
    variant = idata.posterior.attrs.get("variant") or "ces"
    out = {"R": {"ces": "CES(L, C)", "cobb_douglas": "L^a C^(1-a)", "labour": "L"}.get(
        variant, "none")}  # fmt: skip
    out.update(returns_regime_summary(idata))
    for name in ("a", "sigma_ces"):
        if name in idata.posterior:
            x = draws(idata, name)
            lo, mid, hi = np.quantile(x, [0.03, 0.5, 0.97])
            out[name] = f"{mid:.3g} [{lo:.3g}, {hi:.3g}]" if np.ptp(x) > 0 else f"{x[0]:g}"
    return out


SOFTWARE_RETURNS_LM = FitSpec(
    name="software_returns_lm",
    title="Returns to software R&D (ESTIMATE): the LM effective-compute path under dS/dt = "
    "theta S^(1-beta) R(t)^lambda, R a CES of human labour and experiment compute",
    dataset="lm_algorithmic_progress",
    roles=tuple(r for r in ALGORITHMIC_PROGRESS.roles if r.name not in ("compute", "metric")),
    priors=(
        *(dataclasses.replace(p, variant=WITH_R) for p in JONES_PRIORS),  # no active span here
        Prior(
            "a",
            Distribution("beta", a=2.0, b=2.0),
            "labour's share of the research input at 2012 (normalised CES: both inputs 1 then): "
            "AI labs spend on researchers and on compute in amounts of the same order and no "
            "series measures the split of R&D itself, so centred on 1/2 and wide (90% in "
            "[0.14, 0.86])",
            variant=WITH_COMPUTE,
        ),
        Prior(
            "sigma_ces",
            Distribution("lognormal", mu=0.0, sigma=1.0),
            "elasticity of substitution of research labour and experiment compute: WIDE, "
            "centred on Cobb-Douglas (1), 90% in [0.19, 5.2] from strong complements to strong "
            "substitutes, because a 2025 study of AI labs finds substitution anywhere in that "
            "range depending on the experiment scale; a LABELLED PRIOR (one path cannot "
            "identify it)",
            variant="ces",
        ),
        Prior(
            "log_S_end",
            Distribution("normal", mu=5.0, sigma=5.0),
            "ln of the effective-compute multiplier from algorithms at the last date (S = 1 at "
            "2012.0), wide",
            variant=WITH_R,
        ),
        Prior(
            "g",
            Distribution("halfnormal", sigma=1.0),
            "constant-rate variant: growth rate of ln S [1/yr], as algorithmic_progress's g_total",
            variant="const",
        ),
        Prior(
            "log_term_n",
            Distribution("normal", mu=math.log(1.5), sigma=1.5),
            "ln of the parameter term at the data's centre, per benchmark",
            dims="benchmark",
        ),
        Prior(
            "log_term_d",
            Distribution("normal", mu=math.log(1.5), sigma=1.5),
            "ln of the data term at the data's centre, per benchmark",
            dims="benchmark",
        ),
        Prior(
            "alpha_n",
            Distribution("lognormal", mu=math.log(0.15), sigma=0.75),
            "scaling exponent of N (as algorithmic_progress's alpha)",
        ),
        Prior(
            "alpha_d",
            Distribution("lognormal", mu=math.log(0.15), sigma=0.75),
            "scaling exponent of D' (as algorithmic_progress's beta; renamed: beta is the "
            "Jones law's here)",
        ),
        Prior("sigma", Distribution("halfnormal", sigma=0.3), "scatter of ln perplexity"),
        Prior("nu", Distribution("gamma", alpha=2.0, beta=0.1), "Student-t degrees of freedom"),
    ),
    prepare=_prepare_lm,
    likelihood=_likelihood_lm,
    summary_vars=(
        "beta",
        "lambda",
        "r",
        "a",
        "sigma_ces",
        "research_growth",
        "theta",
        "log_S_end",
        "growth_rate_at_end",
        "g",
        "alpha_n",
        "alpha_d",
        "sigma",
        "nu",
    ),
    regimes=(
        Regime("labour", variant="labour", description="R = L_HUMAN alone (labour only)"),
        Regime(
            "cobb_douglas",
            variant="cobb_douglas",
            description="R = L^a C^(1-a): Cobb-Douglas, sigma_ces = 1",
        ),
        Regime("const", variant="const", description="constant rate ln S = g (t - 2012)"),
        Regime("no_research", {"lambda": 0.0}, description="lambda = 0: R plays no role"),
    ),
    options=("since", "until"),
    select_bundled=lm_observations,
    target_accept=0.95,
    tune=1500,
    notes=(
        "An ESTIMATE: R is a CES of the AI Futures Project's estimated human AI-R&D labour and "
        "experiment compute (share a, elasticity sigma_ces; both labelled priors the one path "
        "cannot identify), so r here is doublings of LM software per doubling of that composite "
        "input; the data identify r roughly as the growth of S over the growth of R, which a "
        "and sigma_ces set. Compared by LOO with labour-only R, Cobb-Douglas R, a constant rate "
        "and lambda = 0. Shown beside the speedrun's r, not pooled."
    ),
    family=family_link(
        "R / R(2012), R = CES(L_HUMAN, experiment compute)",
        Export(
            "effective-compute multiplier",
            "S = 1 at 2012.0",
            lambda d: np.ones_like(d["beta"]),
            ("beta",),
        ),
    ),
    exports={
        "growth_rate_at_end": Export(
            "1/yr",
            "growth rate of S (algorithmic progress) at the last data date (const tau_end + "
            "2012), from the Jones path",
            lambda d: d["growth_rate_at_end"],
            ("growth_rate_at_end",),
        ),
        "r": Export("", "returns to software R&D, lambda / beta", lambda d: d["r"], ("r",)),
        "research_growth": Export(
            "1/yr",
            "trend growth rate of the research input R the fit used (the CES of L_HUMAN and "
            "experiment compute, estimates; per draw, through a and sigma_ces): the "
            "least-squares log-linear slope over its points in the fitted window",
            lambda d: d["research_growth"],
            ("research_growth",),
        ),
        "labour_growth": Export(
            "1/yr",
            "trend growth rate of the human labour series L_HUMAN (an estimate): the "
            "log-linear slope over its points in the fitted window",
            lambda d: d["const_labour_growth"],
            ("const_labour_growth",),
        ),
        "compute_growth": Export(
            "1/yr",
            "trend growth rate of the experiment compute series (an estimate): the "
            "log-linear slope over its points in the fitted window",
            lambda d: d["const_compute_growth"],
            ("const_compute_growth",),
        ),
    },
    predictor=Predictor("tau", "publication date", "year", offset="t_ref"),
    published_prior=("sie_published", "r0", "r", 1.0),
    shipped=(Shipped("software_returns_lm"),),
)

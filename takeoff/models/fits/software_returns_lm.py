"""``software_returns_lm``: the Jones law of motion of
:mod:`takeoff.models.fits.software_returns` on the language-model effective-compute path: S(t) is
the effective-compute multiplier from algorithms (S = 1 at 2012.0) in the scaling law of
:mod:`takeoff.models.fits.algorithmic_progress` (Ho form, progress shared equally by N and D':
N_e = N S^(1/2), D_e = D' S^(1/2)), and R(t) is human AI-software-R&D labour L_HUMAN from the
bundled ``aifutures_progress`` series (an ESTIMATE by the AI Futures Project, a model input,
not a measurement; log-linear between its annual points, in units of its 2012 level). Student-t
on ln perplexity. Compared by LOO with a constant rate (``const``: the shared-rate algorithmic
progress model) and lambda = 0. What is identified is essentially r ~ (growth of S) / (growth
of R) on a balanced path; labour-only R leaves out the experiment compute that grew much
faster, which biases r up. Read it as an estimate beside the speedrun's, not pooled with it.
"""

from __future__ import annotations

import dataclasses
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
    family_link,
    finite_interval,
    jones_log_s,
    ramp_segments,
    returns_lines,
)

LM_T0 = 2012.0  # S = 1 here in software_returns_lm


def labour_series() -> tuple[np.ndarray, np.ndarray]:
    """Human AI-software-R&D labour L_HUMAN of the bundled AI Futures inputs (an estimate), in
    units of its 2012 level, at its annual points."""
    from takeoff.data import load

    s = load("aifutures_progress")
    t, labour = s["time"].to_numpy(float), s["L_HUMAN"].to_numpy(float)
    return t, labour / float(np.interp(LM_T0, t, labour))


def _prepare_lm(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    from takeoff.models.fits.algorithmic_progress import _form
    from takeoff.models.fits.algorithmic_progress import _prepare as prepare_ap

    if _form(frame) != "lm":
        raise TakeoffError(
            "software_returns_lm fits the N, D form: give parameters, data and perplexity"
        )
    base = prepare_ap(frame, FitOptions(since=options.since, until=options.until))
    t = base.arrays["tau"] + base.constants["t_ref"]
    times, labour = labour_series()
    if t.min() < LM_T0:
        raise TakeoffError(
            f"software_returns_lm measures S from {LM_T0:g} (the labour series' start); keep "
            f"rows dated {LM_T0:g} or later (--since {LM_T0:g})"
        )
    t_end = float(t.max())
    seg = ramp_segments(times, labour, LM_T0, t_end)
    log_r_end = float(np.interp(t_end, times, np.log(labour)))
    window = (times >= LM_T0) & (times <= t_end)  # the labour path the returns are fitted on
    labour_growth = float(np.polyfit(times[window], np.log(labour[window]), 1)[0])
    if options.variant not in ("", "jones", "const"):
        raise TakeoffError(f"software_returns_lm has no variant '{options.variant}'")
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
            "log_r_end": log_r_end,
            "labour_growth": labour_growth,
        },
        variant=options.variant or "jones",
        grid=seg,
        levels=base.levels,
    )


def _likelihood_lm(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    if prepared.variant == "const":
        g = params["g"]
        log_s = g * data["tau"]
        pm.Deterministic("compute_halving_months", 12.0 * math.log(2.0) / g)
    else:
        log_s, theta = jones_log_s(data, params, 0.0)
        beta, lam = params["beta"], params["lambda"]
        # d ln S / dt at the last date: theta S_end^-beta R_end^lambda
        rate = theta * pm.math.exp(-beta * params["log_S_end"] + lam * data["log_r_end"])
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


def key_results(idata) -> list[str]:

    post = idata.posterior
    lines = [
        "ESTIMATE: research input R = L_HUMAN of the AI Futures Project's model inputs (human "
        "labour on AI software R&D, an estimate, labour only), S = 1 at 2012.0"
    ]
    if post.attrs.get("variant") == "const":
        g = draws(idata, "g")
        return [
            *lines,
            f"constant rate: g {finite_interval(g)} /yr, compute halving "
            f"{finite_interval(draws(idata, 'compute_halving_months'))} months",
        ]
    lines += returns_lines(idata, SOFTWARE_RETURNS_LM)
    t_end = float(post.attrs.get("const_tau_end", float("nan"))) + LM_T0
    lines.append(
        f"growth rate of S at the last date ({t_end:.2f}): "
        f"{finite_interval(draws(idata, 'growth_rate_at_end'))} /yr (compute halving "
        f"{finite_interval(draws(idata, 'compute_halving_months_at_end'))} months)"
    )
    return lines


SOFTWARE_RETURNS_LM = FitSpec(
    name="software_returns_lm",
    title="Returns to software R&D (ESTIMATE): the LM effective-compute path under dS/dt = "
    "theta S^(1-beta) L_HUMAN(t)^lambda",
    dataset="lm_algorithmic_progress",
    roles=tuple(r for r in ALGORITHMIC_PROGRESS.roles if r.name not in ("compute", "metric")),
    priors=(
        *(dataclasses.replace(p, variant="jones") for p in JONES_PRIORS),  # no active span here
        Prior(
            "log_S_end",
            Distribution("normal", mu=5.0, sigma=5.0),
            "ln of the effective-compute multiplier from algorithms at the last date (S = 1 at "
            "2012.0), wide",
            variant="jones",
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
        Regime("const", variant="const", description="constant rate ln S = g (t - 2012)"),
        Regime("no_research", {"lambda": 0.0}, description="lambda = 0: R plays no role"),
    ),
    options=("since", "until"),
    select_bundled=lm_observations,
    target_accept=0.95,
    tune=1500,
    notes=(
        "An ESTIMATE: R is the AI Futures Project's estimated human AI-R&D labour (labour only, "
        "not experiment compute), so r here is doublings of LM software per doubling of that "
        "labour; the data identify r roughly as the ratio of growth rates and cannot tell the "
        "Jones path from a constant rate by LOO. Shown beside the speedrun's r, not pooled."
    ),
    family=family_link(
        "L_HUMAN / L_HUMAN(2012)",
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
        "labour_growth": Export(
            "1/yr",
            "trend growth rate of the human labour series R the fit used (L_HUMAN, an "
            "estimate): the log-linear slope over its points in the fitted window",
            lambda d: d["const_labour_growth"],
            ("const_labour_growth",),
        ),
    },
    predictor=Predictor("tau", "publication date", "year", offset="t_ref"),
    published_prior=("sie_published", "r0", "r", 1.0),
    shipped=(Shipped("software_returns_lm"),),
)

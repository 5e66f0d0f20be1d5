"""``horizon_readout``: METR 50% horizons through the loss-to-horizon read-out (models.readout).

    log10 C(t) = level + slope (t − t_ref_C)                   (compute_trend)
    L − E = K (C/6)^−gamma                                      (chinchilla, compute-optimal)
    eps_step(t) = c (L − E)^kappa,  H(t) = step_minutes · ln 0.5 / ln(1 − eps_step(t))

A chained fit: the upstream posteriors (passed in; by default the shipped ones) enter as
priors, each the normal approximation of a marginal posterior (mean and sd), independent of one
another: gamma (chinchilla's ``compute_exponent``), the compute slope (compute_trend's
``slope``) and ln(L − E) at t_ref (from paired draws of both). Around t_ref,
ln eps_step = ln eps_ref − kappa gamma slope ln 10 τ,
so the horizons inform only the product kappa · gamma · slope (and the bend of n50 where
eps_step is not small); gamma and slope stay at their priors and kappa carries the horizons'
information. ln(L − E) at t_ref enters only the derived c = eps_ref / (L − E)_ref^kappa.

The fit uses the hazard form of the read-out, eps_step = 1 − exp(−c (L − E)^kappa), equal to
c (L − E)^kappa to first order and never above 1, in which n50 = ln 2 / (c (L − E)^kappa)
exactly: ln H is a straight line in the date (the chain predicts a constant doubling time) and
step_minutes and c are exactly degenerate (only step_minutes / c is identified), so the step
length keeps its prior and c follows it. (The clipped form c (L − E)^kappa with the exact
ln 0.5 / ln(1 − eps) bends where eps is not small; fitted to these data it did not converge:
R-hat 1.07, divergences, a ridge between the step length and the bend of the early models.)
Parametrisation: the horizon at t_ref (well identified, as in horizon_dynamics) and the step
length give the hazard at t_ref, lambda_ref = ln 2 · step_minutes / H_ref. Same data selection (Time
Horizon 1.1) and likelihood as horizon_dynamics (Student-t on ln H, measurement error from the
reported intervals plus scatter), so the two compare by LOO on the same observations.

Derived: ``readout_doubling_days`` = log10(2) / (kappa gamma slope) (the small-eps doubling
time, constant: the chain predicts an exponential horizon trend) and ``null_doubling_days``,
the same with kappa = 1 (per-step error proportional to reducible loss). The mean of ln H is the
``horizon`` family's own law with eps = 0 and T0 = the read-out doubling time, which is also how
the posterior maps onto that family for scenarios (``family`` below).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from takeoff.models import readout, scaling, trend
from takeoff.models.distributions import Distribution
from takeoff.models.fits import metr
from takeoff.models.fits.fitspec import Draws, Export, FamilyLink, FitSpec, Prepared, Shipped
from takeoff.models.fits.priors import DataScaled, Prior
from takeoff.models.horizon import log_horizon
from takeoff.units import DAYS_PER_YEAR

UPSTREAM = ("chinchilla", "compute_trend")
UPSTREAM_VARIABLES = {
    "chinchilla": ("A", "B", "alpha", "beta", "G", "compute_exponent"),
    "compute_trend": ("level", "slope"),
}


def upstream_priors(t_ref: float, upstream: Mapping[str, Draws], trend_t_ref: float) -> dict:
    """Means and sds of gamma, the compute slope and ln(L − E) at ``t_ref`` from the chinchilla
    and compute_trend posterior draws (paired by index: the fits are independent).
    ``trend_t_ref`` is the compute trend's own reference date."""
    chin, compute = upstream["chinchilla"], upstream["compute_trend"]
    level, slope = compute["level"], compute["slope"]
    n = min(len(level), len(chin["A"]))
    log10_c = trend.log10_value(t_ref - trend_t_ref, level[:n], slope[:n])
    reducible = scaling.reducible_loss(
        10.0**log10_c, *(chin[k][:n] for k in ("A", "B", "alpha", "beta", "G"))
    )
    gamma = chin["compute_exponent"]
    return {
        "gamma_mean": float(np.mean(gamma)),
        "gamma_sd": float(np.std(gamma)),
        "slope_mean": float(np.mean(slope)),
        "slope_sd": float(np.std(slope)),
        "log_reducible_mean": float(np.mean(np.log(reducible))),
        "log_reducible_sd": float(np.std(np.log(reducible))),
    }


def _upstream_constants(prepared: Prepared, upstream: Mapping) -> dict[str, float]:
    """The priors' constants from the upstream posteriors (xarray Datasets, as saved)."""
    draws = {
        name: {v: upstream[name][v].values.reshape(-1) for v in variables}
        for name, variables in UPSTREAM_VARIABLES.items()
    }
    t_ref_trend = float(upstream["compute_trend"].attrs["const_t_ref"])
    return upstream_priors(prepared.constants["t_ref"], draws, t_ref_trend)


def _prepare(frame, options):
    return metr.prepare_horizons(frame, options, "horizon_readout")


def _likelihood(prepared: Prepared, data, params) -> None:
    readout_likelihood(data, params, params["compute_slope"])


def readout_likelihood(data, params, slope, bend=0.0) -> None:
    """The read-out's deterministics and likelihood for compute growing at ``slope`` orders of
    magnitude a year (physical compute here; effective compute in ``effective_readout``);
    ``bend`` is added to the straight line's mean of ln H (a change of exponent there)."""
    import pymc as pm
    import pytensor.tensor as pt

    log_h_ref, kappa, log_s = params["log_h_ref"], params["kappa"], params["log_step_minutes"]
    gamma = params["gamma"]
    # per-step hazard at t_ref from n50_ref = H_ref / step: lambda_ref = ln 2 / n50_ref
    log_hazard_ref = math.log(math.log(2.0)) + log_s - log_h_ref
    H_ref = pm.Deterministic("H_ref_minutes", pt.exp(log_h_ref))
    pm.Deterministic("step_minutes", pt.exp(log_s))
    pm.Deterministic("eps_step_ref", -pt.expm1(-pt.exp(log_hazard_ref)))
    pm.Deterministic("log_c", log_hazard_ref - kappa * params["log_reducible_ref"])
    T0 = readout.doubling_time_years(kappa, gamma, slope)
    pm.Deterministic("readout_doubling_days", DAYS_PER_YEAR * T0)
    pm.Deterministic(
        "null_doubling_days", DAYS_PER_YEAR * readout.doubling_time_years(1.0, gamma, slope)
    )
    # in the hazard form ln H is exactly a straight line in the date: the horizon law, eps = 0
    mu = log_horizon(data["tau"], log_h_ref, T0, H_ref, 0.0) + bend
    metr.student_t_on_log_horizon(data, params, mu)


def key_results(idata) -> list[str]:
    """The chain's doubling times (kappa = 1 and fitted kappa) beside the directly fitted one."""
    from takeoff.data.posteriors import load_posterior, shipped_names
    from takeoff.models.fits.intervals import draws, interval

    t_ref = float(idata.posterior.attrs["const_t_ref"])
    lines = [
        f"kappa (per-step failure ∝ (L − E)^kappa): {interval(draws(idata, 'kappa'))}",
        "horizon doubling time implied by the Chinchilla law + compute trend:",
        f"  kappa = 1 (p^n compounding null): "
        f"{interval(draws(idata, 'null_doubling_days'), 'days')}",
        f"  fitted kappa:                      "
        f"{interval(draws(idata, 'readout_doubling_days'), 'days')}",
    ]
    for stem, what in (("horizon_dynamics", "free eps"), ("horizon_dynamics_eps0", "eps = 0")):
        if stem in shipped_names():
            post = load_posterior(stem, ["doubling_time_days"])
            t = post["doubling_time_days"].values.reshape(-1)
            lines.append(
                f"  fitted directly ({stem}, {what}, at {t_ref:.2f}): {interval(t, 'days')}"
            )
    return lines + _readout_loo(idata)


def _readout_loo(idata) -> list[str]:
    """LOO of the read-out against the shipped horizon trends, when fitted to the same data."""
    from takeoff.data.posteriors import posteriors_dir, shipped_names
    from takeoff.errors import TakeoffError
    from takeoff.models.fits.compare import compare, format_comparison
    from takeoff.models.fits.io import load_fit

    if "log_likelihood" not in idata.groups():
        return []
    fits = {"horizon_readout": idata}
    for stem in ("horizon_dynamics", "horizon_dynamics_eps0"):
        if stem in shipped_names():
            fits[stem] = load_fit(posteriors_dir() / f"{stem}.nc")
    try:
        table = compare(fits)
    except TakeoffError:  # other data (a user's CSV, --since): nothing to compare with
        return []
    return ["LOO against the shipped horizon trends (same observations):", format_comparison(table)]


def _h_ref(d):
    return d["H_ref_minutes"]


READOUT_PRIORS = (
    Prior(
        "log_h_ref",
        Distribution("normal", mu=math.log(30.0), sigma=3.0),
        "ln of the horizon at the reference date (ln 30 min): minutes to days within 2 sd",
    ),
    Prior(
        "kappa",
        Distribution("lognormal", mu=0.0, sigma=1.5),
        "centred on the compounding null kappa = 1 (per-step error proportional to "
        "reducible loss), ~0.05-17 (94%)",
    ),
    Prior(
        "log_step_minutes",
        Distribution("normal", mu=0.0, sigma=1.0),
        "one step ~ one agent action, what a human does in ~10 s to ~7 min (94%); nearly "
        "degenerate with c, so it needs a prior",
    ),
    Prior(
        "gamma",
        DataScaled("normal", mu="gamma_mean", sigma="gamma_sd"),
        "reducible loss ∝ C^-gamma under compute-optimal allocation",
        text="the mean and sd of the chinchilla posterior's compute_exponent",
    ),
    Prior(
        "compute_slope",
        DataScaled("normal", mu="slope_mean", sigma="slope_sd"),
        "orders of magnitude of frontier training compute per year",
        text="the mean and sd of the compute_trend posterior's slope",
    ),
    Prior(
        "log_reducible_ref",
        DataScaled("normal", mu="log_reducible_mean", sigma="log_reducible_sd"),
        "reducible loss of a compute-optimal frontier model at t_ref (enters c only)",
        text="the mean and sd of ln(L − E) at t_ref from chinchilla x compute_trend draws",
    ),
    Prior(
        "scatter",
        Distribution("halfnormal", sigma=0.5),
        "spread of models around the chain, in ln minutes",
    ),
    Prior(
        "nu",
        Distribution("gamma", alpha=2.0, beta=0.1),
        "Student-t degrees of freedom (Juárez & Steel 2010)",
    ),
)

HORIZON_READOUT = FitSpec(
    name="horizon_readout",
    title="METR 50% horizons from the Chinchilla law and the compute trend through a per-step "
    "hazard c (L − E)^kappa: H = step_minutes · ln 2 / (c (L − E)^kappa)",
    dataset="metr_horizons",
    roles=metr.ROLES,
    priors=READOUT_PRIORS,
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=(
        "kappa",
        "readout_doubling_days",
        "null_doubling_days",
        "H_ref_minutes",
        "step_minutes",
        "eps_step_ref",
        "log_c",
        "scatter",
        "nu",
    ),
    nested={"kappa": 1.0},
    options=("since", "until", "frontier"),
    select_bundled=metr.time_horizon_1_1,
    target_accept=0.95,
    notes="a chained forecast: the chinchilla and compute_trend posteriors (the shipped ones "
    "unless others are passed in) enter as independent normal priors; the horizons inform "
    "only kappa · gamma · slope",
    family=FamilyLink(
        family="horizon",
        parameters={
            "T0": Export(
                "yr",
                "read-out doubling time",
                lambda d: d["readout_doubling_days"] / DAYS_PER_YEAR,
                ("readout_doubling_days",),
            ),
            "H0": Export("minutes", "horizon at t_ref", _h_ref, ("H_ref_minutes",)),
            "eps": Export(
                "",
                "0: the read-out predicts a constant doubling time",
                lambda d: np.zeros_like(d["H_ref_minutes"]),
                ("H_ref_minutes",),
            ),
        },
        initial={"H": Export("minutes", "horizon at t_ref", _h_ref, ("H_ref_minutes",))},
        start="t_ref",
    ),
    upstream=UPSTREAM,
    upstream_constants=_upstream_constants,
    predictor=metr.RELEASE_DATE,
    response=metr.HORIZON_MINUTES,
    shipped=(Shipped("horizon_readout"),),
    likelihood_scale=lambda d, a: np.sqrt(a["sigma_obs"] ** 2 + d["scatter"] ** 2),
)

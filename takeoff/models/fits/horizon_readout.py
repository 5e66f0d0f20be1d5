"""``horizon_readout``: METR 50% horizons through the loss-to-horizon read-out (models.readout).

    log10 C(t) = level + slope (t − t_ref_C)                   (compute_trend)
    L − E = K (C/6)^−gamma                                      (chinchilla, compute-optimal)
    eps_step(t) = c (L − E)^kappa,  H(t) = step_minutes · ln 0.5 / ln(1 − eps_step(t))

A chained fit: the upstream posteriors enter as priors, each the normal approximation of a
shipped marginal posterior (mean and sd), independent of one another: gamma (chinchilla's
``compute_exponent``), the compute slope (compute_trend's ``slope``) and ln(L − E) at t_ref
(from paired draws of both). Around t_ref, ln eps_step = ln eps_ref − kappa gamma slope ln 10 τ,
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
the same with kappa = 1 (per-step error proportional to reducible loss).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.models.fits.horizon_dynamics import DAYS_PER_YEAR, METR_ROLES, _select_bundled
from takeoff.models.fits.horizon_dynamics import _prepare as _prepare_horizons
from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior

UPSTREAM = ("chinchilla", "compute_trend")


def upstream_priors(t_ref: float) -> dict[str, float]:
    """Means and sds of gamma, the compute slope and ln(L − E) at ``t_ref`` from the shipped
    chinchilla and compute_trend posteriors (draws paired by index: the fits are independent)."""
    from takeoff.data.posteriors import load_posterior
    from takeoff.models import readout

    chin = load_posterior("chinchilla", ["A", "B", "alpha", "beta", "G", "compute_exponent"])
    trend = load_posterior("compute_trend", ["level", "slope"])
    flat = {k: chin[k].values.reshape(-1) for k in ("A", "B", "alpha", "beta", "G")}
    level, slope = trend["level"].values.reshape(-1), trend["slope"].values.reshape(-1)
    n = min(len(level), len(flat["A"]))
    log10_c = readout.log10_compute(t_ref, level[:n], slope[:n], float(trend.attrs["const_t_ref"]))
    reducible = readout.reducible_loss(10.0**log10_c, *(flat[k][:n] for k in flat))
    gamma = chin["compute_exponent"].values.reshape(-1)
    return {
        "gamma_mean": float(np.mean(gamma)),
        "gamma_sd": float(np.std(gamma)),
        "slope_mean": float(np.mean(slope)),
        "slope_sd": float(np.std(slope)),
        "log_reducible_mean": float(np.mean(np.log(reducible))),
        "log_reducible_sd": float(np.std(np.log(reducible))),
    }


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    prepared = _prepare_horizons(frame, options)
    constants = dict(prepared.constants)
    constants.update(upstream_priors(constants["t_ref"]))
    return Prepared(prepared.arrays, prepared.observed, prepared.n, constants)


def _build(prepared: Prepared, fixed):
    import pymc as pm
    import pytensor.tensor as pt

    from takeoff.models.fits.spec import free_or_fixed, observed_data

    a, k = prepared.arrays, prepared.constants
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        tau = pm.Data("tau", a["tau"], dims="obs")
        sigma_obs = pm.Data("sigma_obs", a["sigma_obs"], dims="obs")
        log_h_ref = free_or_fixed("log_h_ref", fixed, lambda n: pm.Normal(n, math.log(30.0), 3.0))
        kappa = free_or_fixed("kappa", fixed, lambda n: pm.LogNormal(n, 0.0, 1.5))
        log_s = free_or_fixed("log_step_minutes", fixed, lambda n: pm.Normal(n, 0.0, 1.0))
        gamma = free_or_fixed(
            "gamma", fixed, lambda n: pm.Normal(n, k["gamma_mean"], k["gamma_sd"])
        )
        slope = free_or_fixed(
            "compute_slope", fixed, lambda n: pm.Normal(n, k["slope_mean"], k["slope_sd"])
        )
        log_red = free_or_fixed(
            "log_reducible_ref",
            fixed,
            lambda n: pm.Normal(n, k["log_reducible_mean"], k["log_reducible_sd"]),
        )
        scatter = free_or_fixed("scatter", fixed, lambda n: pm.HalfNormal(n, 0.5))
        nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
        # per-step hazard at t_ref from n50_ref = H_ref / step: lambda_ref = ln 2 / n50_ref
        log_hazard_ref = math.log(math.log(2.0)) + log_s - log_h_ref
        pm.Deterministic("H_ref_minutes", pt.exp(log_h_ref))
        pm.Deterministic("step_minutes", pt.exp(log_s))
        pm.Deterministic("eps_step_ref", -pt.expm1(-pt.exp(log_hazard_ref)))
        pm.Deterministic("log_c", log_hazard_ref - kappa * log_red)
        years = math.log10(2.0) / (gamma * slope)
        pm.Deterministic("readout_doubling_days", DAYS_PER_YEAR * years / kappa)
        pm.Deterministic("null_doubling_days", DAYS_PER_YEAR * years)
        # ln H = ln step + ln ln 2 − ln lambda(t), ln lambda(t) = ln lambda_ref − kappa gamma
        # slope ln 10 τ: exact in the hazard form, a straight line in ln H against the date
        log_n50 = (
            math.log(math.log(2.0)) - log_hazard_ref + kappa * gamma * slope * math.log(10.0) * tau
        )
        pm.StudentT(
            "log_h",
            nu=nu,
            mu=log_s + log_n50,
            sigma=pt.sqrt(sigma_obs**2 + scatter**2),
            observed=observed_data(prepared),
            dims="obs",
        )
    return model


HORIZON_READOUT = FitSpec(
    name="horizon_readout",
    title="METR 50% horizons from the Chinchilla law and the compute trend through a per-step "
    "hazard c (L − E)^kappa: H = step_minutes · ln 2 / (c (L − E)^kappa)",
    dataset="metr_horizons",
    roles=METR_ROLES,
    priors=(
        Prior(
            "log_h_ref",
            "Normal(ln 30 min, 3)",
            "horizon at the reference date: minutes to days within 2 sd",
        ),
        Prior(
            "kappa",
            "LogNormal(0, 1.5)",
            "centred on the compounding null kappa = 1 (per-step error proportional to "
            "reducible loss), ~0.05-17 (94%)",
        ),
        Prior(
            "log_step_minutes",
            "Normal(0, 1)",
            "one step ~ one agent action, what a human does in ~10 s to ~7 min (94%); nearly "
            "degenerate with c, so it needs a prior",
        ),
        Prior(
            "gamma",
            "Normal(shipped chinchilla compute_exponent mean, sd)",
            "reducible loss ∝ C^-gamma under compute-optimal allocation",
        ),
        Prior(
            "compute_slope",
            "Normal(shipped compute_trend slope mean, sd)",
            "orders of magnitude of frontier training compute per year",
        ),
        Prior(
            "log_reducible_ref",
            "Normal(mean, sd of ln(L − E) at t_ref from the shipped chinchilla x compute_trend)",
            "reducible loss of a compute-optimal frontier model at t_ref (enters c only)",
        ),
        Prior("scatter", "HalfNormal(0.5)", "spread of models around the chain, in ln minutes"),
        Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom (Juárez & Steel 2010)"),
    ),
    prepare=_prepare,
    build=_build,
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
    options=("since", "frontier"),
    select_bundled=_select_bundled,
    target_accept=0.95,
    notes="a chained forecast: the shipped chinchilla and compute_trend posteriors enter as "
    "independent normal priors; the horizons inform only kappa · gamma · slope",
)

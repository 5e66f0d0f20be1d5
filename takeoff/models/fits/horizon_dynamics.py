"""``horizon_dynamics``: METR 50% task horizons against release date under the ``horizon`` family.

    dH/dt = (ln 2 / T) H (H / H_ref)^eps,   H(t_ref) = H_ref

solved exactly (a power law with alpha = 1 + eps around the reference date t_ref), so
    ln H(t) = ln H_ref + k τ φ(−eps k τ),  k = ln 2 / T,  τ = t − t_ref,  φ(x) = ln(1+x)/x.
T is the doubling time at t_ref (reported in days as ``doubling_time_days``); eps = 0 is a
constant doubling time, eps > 0 a superexponential trend with a finite-time blow-up at
t_ref + T / (eps ln 2).

Likelihood on ln H: Student-t whose scale combines each model's measurement error (from its
reported 95% interval, σ_i = (ln hi − ln lo) / 3.92) and an intrinsic scatter of models around
the trend. Nested regime comparison: eps = 0 against free eps (LOO).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior, Role, require_rows

DAYS_PER_YEAR = 365.25


def _select_bundled(frame: pd.DataFrame) -> pd.DataFrame:
    """METR Time Horizon 1.1 (the current methodology); 1.0 rows are the same models remeasured."""
    return frame[frame["version"].astype(str) == "1.1"]


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    if options.since is not None:
        frame = frame[frame["date"] >= options.since]
    if options.frontier:
        frame = frame[frame["frontier"].astype(bool)]
    require_rows(frame, 5, "horizon_dynamics")
    t = frame["date"].to_numpy(float)
    h = frame["h50"].to_numpy(float)
    lo = frame["ci_low"].to_numpy(float)
    hi = frame["ci_high"].to_numpy(float)
    # 95% interval -> sd on the log scale; a zero lower bound falls back to the upper half
    with np.errstate(divide="ignore"):
        sigma = np.where(lo > 0, (np.log(hi) - np.log(lo)) / 3.92, np.log(hi / h) / 1.96)
    sigma = np.where(np.isfinite(sigma) & (sigma > 0), sigma, np.nanmedian(sigma))
    t_ref = round(float(np.mean(t)), 2)
    return Prepared(
        arrays={"tau": t - t_ref, "log_h": np.log(h), "sigma_obs": sigma},
        observed="log_h",
        n=len(t),
        constants={"t_ref": t_ref},
    )


def _build(prepared: Prepared, fixed):
    import pymc as pm

    from takeoff.models.fits.ptmath import power_law_log_path
    from takeoff.models.fits.spec import free_or_fixed, observed_data

    a = prepared.arrays
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        tau = pm.Data("tau", a["tau"], dims="obs")
        sigma_obs = pm.Data("sigma_obs", a["sigma_obs"], dims="obs")
        log_h_ref = free_or_fixed("log_h_ref", fixed, lambda n: pm.Normal(n, math.log(30.0), 3.0))
        log_T = free_or_fixed(
            "log_doubling_days", fixed, lambda n: pm.Normal(n, math.log(200.0), 0.75)
        )
        eps = free_or_fixed("eps", fixed, lambda n: pm.Normal(n, 0.0, 0.3))
        scatter = free_or_fixed("scatter", fixed, lambda n: pm.HalfNormal(n, 0.5))
        nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
        T_days = pm.Deterministic("doubling_time_days", pm.math.exp(log_T))
        pm.Deterministic("H_ref_minutes", pm.math.exp(log_h_ref))
        rate = math.log(2.0) * DAYS_PER_YEAR / T_days
        mu = power_law_log_path(tau, log_h_ref, rate, eps)
        pm.StudentT(
            "log_h",
            nu=nu,
            mu=mu,
            sigma=pm.math.sqrt(sigma_obs**2 + scatter**2),
            observed=observed_data(prepared),
            dims="obs",
        )
    return model


# The METR columns every horizon fit reads (shared with horizon_readout).
METR_ROLES = (
    Role("date", "release_date_year", "date", "release date (decimal year)"),
    Role("h50", "p50_minutes", "positive", "50% time horizon [minutes]"),
    Role("ci_low", "p50_ci_low", "number", "lower end of its 95% interval [minutes]"),
    Role("ci_high", "p50_ci_high", "positive", "upper end of its 95% interval [minutes]"),
    Role("frontier", "is_sota", "bool", "state of the art at release", required=False),
)


HORIZON_DYNAMICS = FitSpec(
    name="horizon_dynamics",
    title="METR 50% time horizons vs release date under dH/dt = (ln 2/T) H (H/H_ref)^eps",
    dataset="metr_horizons",
    roles=METR_ROLES,
    priors=(
        Prior(
            "log_h_ref",
            "Normal(ln 30 min, 3)",
            "horizon at the reference date: minutes to days within 2 sd",
        ),
        Prior(
            "log_doubling_days",
            "Normal(ln 200 d, 0.75)",
            "doubling time at t_ref between ~45 and ~870 days (94%)",
        ),
        Prior(
            "eps",
            "Normal(0, 0.3)",
            "agnostic about sub/superexponential; |eps| = 0.3 changes "
            "the doubling time ~20x over the data's ~15 doublings",
        ),
        Prior("scatter", "HalfNormal(0.5)", "spread of models around the trend, in ln minutes"),
        Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom (Juárez & Steel 2010)"),
    ),
    prepare=_prepare,
    build=_build,
    summary_vars=("eps", "doubling_time_days", "H_ref_minutes", "scatter", "nu"),
    nested={"eps": 0.0},
    options=("since", "frontier"),
    select_bundled=_select_bundled,
    target_accept=0.9,  # few points and heavy tails: backtests on early subsets diverged at 0.8
)

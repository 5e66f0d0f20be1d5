"""``horizon_dynamics``: METR 50% task horizons against release date under the ``horizon`` family.

    dH/dt = (ln 2 / T) H (H / H_ref)^eps,   H(t_ref) = H_ref

solved exactly by the family's own law (:func:`takeoff.models.horizon.log_horizon`: a power law
with alpha = 1 + eps around the reference date t_ref, τ = t − t_ref). T is the doubling time at
t_ref (reported in days as ``doubling_time_days``); eps = 0 is a constant doubling time, eps > 0
a superexponential trend with a finite-time blow-up at t_ref + T / (eps ln 2).

In the family's parameters: T0 = T / 365.25 years, H0 = H_ref, eps, starting at t_ref from
H = H_ref (``family`` below): scenarios draw them from the posterior with no constants copied.

Likelihood on ln H: Student-t whose scale combines each model's measurement error (from its
reported 95% interval, σ_i = (ln hi − ln lo) / 3.92) and an intrinsic scatter of models around
the trend. Nested regime comparison: eps = 0 against free eps (LOO).
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models.distributions import Distribution
from takeoff.models.fits import metr
from takeoff.models.fits.fitspec import Export, FamilyLink, FitSpec, Shipped, Target
from takeoff.models.fits.priors import Prior
from takeoff.models.horizon import HORIZON, log_horizon
from takeoff.units import DAYS_PER_YEAR


def _prepare(frame, options):
    return metr.prepare_horizons(frame, options, "horizon_dynamics")


def _likelihood(prepared, data, params) -> None:
    import pymc as pm

    log_h_ref, eps = params["log_h_ref"], params["eps"]
    T_days = pm.Deterministic("doubling_time_days", pm.math.exp(params["log_doubling_days"]))
    H_ref = pm.Deterministic("H_ref_minutes", pm.math.exp(log_h_ref))
    mu = log_horizon(data["tau"], log_h_ref, T_days / DAYS_PER_YEAR, H_ref, eps)
    metr.student_t_on_log_horizon(data, params, mu)


def _shift(params, initial, dt):
    """The fitted law's horizon ``dt`` years from t_ref (the law itself is unchanged)."""
    log_h = log_horizon(dt, np.log(initial["H"]), params["T0"], params["H0"], params["eps"])
    return params, {"H": np.exp(log_h)}


FAMILY = FamilyLink(
    family="horizon",
    parameters={
        "T0": Export(
            "yr",
            "doubling time at t_ref",
            lambda d: d["doubling_time_days"] / DAYS_PER_YEAR,
            ("doubling_time_days",),
        ),
        "H0": Export(
            "minutes", "horizon at t_ref", lambda d: d["H_ref_minutes"], ("H_ref_minutes",)
        ),
        "eps": Export("", "change of doubling time per doubling", lambda d: d["eps"], ("eps",)),
    },
    initial={
        "H": Export("minutes", "horizon at t_ref", lambda d: d["H_ref_minutes"], ("H_ref_minutes",))
    },
    start="t_ref",
    shift=_shift,
)


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval
    from takeoff.models.fits.reading import family_draws

    t_ref = float(idata.posterior.attrs["const_t_ref"])
    eps = draws(idata, "eps")
    lines = [
        f"doubling time at {t_ref:.2f}: {interval(draws(idata, 'doubling_time_days'), 'days')}",
        f"eps (change of doubling time per doubling, 2^-eps): {interval(eps)}",
    ]
    if np.ptp(eps) > 0:
        lines.append(
            f"P(eps > 0) = {np.mean(eps > 0):.3f}  (superexponential: finite-time blow-up)"
        )
        up = eps > 0
        if up.any():
            params, initial, start = family_draws(idata.posterior, HORIZON_DYNAMICS)
            log_y0 = np.log(initial["H"][up])[:, None]
            blowup = start + HORIZON.blowup_time(log_y0, {k: v[up] for k, v in params.items()})
            lines.append(f"implied blow-up date given eps > 0: {interval(blowup, '', 6)}")
    return lines


HORIZON_DYNAMICS = FitSpec(
    name="horizon_dynamics",
    title="METR 50% time horizons vs release date under dH/dt = (ln 2/T) H (H/H_ref)^eps",
    dataset="metr_horizons",
    roles=metr.ROLES,
    priors=(
        Prior(
            "log_h_ref",
            Distribution("normal", mu=math.log(30.0), sigma=3.0),
            "ln of the horizon at the reference date (ln 30 min): minutes to days within 2 sd",
        ),
        Prior(
            "log_doubling_days",
            Distribution("normal", mu=math.log(200.0), sigma=0.75),
            "ln of the doubling time at t_ref (ln 200 d): between ~45 and ~870 days (94%)",
        ),
        Prior(
            "eps",
            Distribution("normal", mu=0.0, sigma=0.3),
            "agnostic about sub/superexponential; |eps| = 0.3 changes "
            "the doubling time ~20x over the data's ~15 doublings",
        ),
        Prior(
            "scatter",
            Distribution("halfnormal", sigma=0.5),
            "spread of models around the trend, in ln minutes",
        ),
        Prior(
            "nu",
            Distribution("gamma", alpha=2.0, beta=0.1),
            "Student-t degrees of freedom (Juárez & Steel 2010)",
        ),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("eps", "doubling_time_days", "H_ref_minutes", "scatter", "nu"),
    nested={"eps": 0.0},
    options=("since", "until", "frontier"),
    select_bundled=metr.time_horizon_1_1,
    sampler="nutpie-c",  # compiled once per machine: seconds per fit (bench_fit_startup)
    target_accept=0.9,  # few points and heavy tails: backtests on early subsets diverged at 0.8
    family=FAMILY,
    predictor=metr.RELEASE_DATE,
    response=metr.HORIZON_MINUTES,
    shipped=(Shipped("horizon_dynamics"), Shipped("horizon_dynamics_eps0", {"eps": 0.0})),
    backtest_target=Target("tau", "ln", "ln minutes of 50% horizon (1 = a factor of e)"),
    likelihood_scale=lambda d, a: np.sqrt(a["sigma_obs"] ** 2 + d["scatter"] ** 2),
)

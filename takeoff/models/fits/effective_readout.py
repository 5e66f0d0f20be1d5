"""``effective_readout``: the loss-to-horizon read-out fitted against EFFECTIVE compute.

``horizon_readout`` explains METR horizons by physical training compute alone, so its kappa
absorbs algorithmic progress. In the closed loop (``research_loop``) capability follows effective
compute E = S C, physical times algorithmic, so the read-out it uses must be fitted against E,
or progress would be counted twice. Here the log of effective compute grows at

    d log10 E / dt = compute_slope + algorithmic_rate / ln 10,

with compute_slope from ``compute_trend`` and the algorithmic-progress rate (the growth rate of
the effective-compute multiplier, 1/yr) from ``algorithmic_progress`` entering as priors (normal
approximations of the upstream posteriors, passed in or shipped), and otherwise the read-out of
``horizon_readout``: reducible loss ∝ E^-gamma (chinchilla), per-step hazard
∝ (L − E_irr)^kappa, so H ∝ E^(kappa gamma), with one change: above the effective compute
reached at ``change_date`` the exponent is kappa e^(log_kappa_ratio) gamma
(:func:`takeoff.models.readout.log_horizon_changed`, smooth over half an e-fold of E). ln H is
then two straight lines in the date joined at the change. Priors: log_kappa_ratio ~ N(0, 1),
no direction assumed (the doubling time up to ~7x shorter or longer, 95%); change_date ~
N(2024.5, 1), the reasoning-model era (o1-preview 2024-09; agents trained by RL from 2024),
2022.5-2026.5 within 2 sd. The straight law is the nested regime log_kappa_ratio = 0, shipped
as ``effective_readout_straight`` and compared by LOO (``key_results``, ``--compare``). Only
frontier models (state of the art at release) are fitted: the loop's horizon is the frontier's.
The horizons identify kappa · gamma · (effective growth) before and after the change; gamma
and the two rates stay near their priors and kappa takes the rest.

Its posterior is the loop's starting point (``family``): the horizon and the frontier's compute
at the reference date, the growth rates of physical and algorithmic efficiency, gamma, kappa and
the reducible-loss constant K, jointly; ``shift`` moves them along the fitted law to another
start date (e.g. the first METR model, to run the loop over the data period).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models import readout, trend
from takeoff.models.distributions import Distribution
from takeoff.models.fits import metr
from takeoff.models.fits.algorithmic_progress import ALGORITHMIC_PROGRESS
from takeoff.models.fits.fitspec import Export, FamilyLink, FitSpec, Prepared, Shipped
from takeoff.models.fits.horizon_readout import (
    READOUT_PRIORS,
    UPSTREAM_VARIABLES,
    readout_likelihood,
    upstream_priors,
)
from takeoff.models.fits.priors import DataScaled, Prior
from takeoff.models.fits.reading import resolve_with
from takeoff.units import DAYS_PER_YEAR

ALGORITHMIC = "algorithmic_progress"
ALGORITHMIC_RATE = "algorithmic_rate"  # the export of algorithmic_progress read here [1/yr]
LN10 = math.log(10.0)
LN6 = math.log(6.0)


def _upstream_constants(prepared: Prepared, upstream: Mapping) -> dict[str, float]:
    draws = {
        name: {v: upstream[name][v].values.reshape(-1) for v in variables}
        for name, variables in UPSTREAM_VARIABLES.items()
    }
    compute = upstream["compute_trend"]
    t_ref, t_ref_trend = prepared.constants["t_ref"], float(compute.attrs["const_t_ref"])
    out = upstream_priors(t_ref, draws, t_ref_trend)
    posterior = upstream[ALGORITHMIC]
    # the upstream fit's spec when the posterior is its (as exports.spec_of would find it)
    spec = ALGORITHMIC_PROGRESS if posterior.attrs.get("fit_name") == ALGORITHMIC else None
    rate = resolve_with(posterior, spec, [ALGORITHMIC_RATE], ALGORITHMIC)[ALGORITHMIC_RATE]
    log10_c = trend.log10_value(
        t_ref - t_ref_trend, draws["compute_trend"]["level"], draws["compute_trend"]["slope"]
    )
    if np.any(rate <= 0):
        raise TakeoffError(
            f"{ALGORITHMIC}'s {ALGORITHMIC_RATE} has non-positive draws; the read-out takes a "
            "growing effective-compute multiplier: fit it with progress "
            "(not the g_total = 0 regime)"
        )
    out.update(
        log_rate_mean=float(np.mean(np.log(rate))),
        log_rate_sd=float(np.std(np.log(rate))),
        log10_compute_mean=float(np.mean(log10_c)),
        log10_compute_sd=float(np.std(log10_c)),
    )
    return out


def _prepare(frame, options):
    # Only the horizon's level and kappa are free of upstream posteriors (gamma and the two
    # growth rates come in as priors from the chinchilla, compute_trend and algorithmic_progress
    # posteriors; scatter and nu have proper priors), so two dated rows identify the line: the
    # loop's backtest from 2022 has exactly two METR models before it (GPT-2, GPT-3).
    return metr.prepare_horizons(frame, options, "effective_readout", free_parameters=1)


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    rate = params["algorithmic_rate"]
    effective = pm.Deterministic(
        "effective_slope", params["compute_slope"] + rate / LN10
    )  # orders of magnitude of effective compute a year
    # K in L − E_irr = K (E/6)^-gamma, from the reducible loss at t_ref and the frontier compute
    log_c = params["log10_compute_ref"] * LN10
    pm.Deterministic(
        "K", pm.math.exp(params["log_reducible_ref"] + params["gamma"] * (log_c - LN6))
    )
    # the change of exponent at change_date: ln E − ln E_ref = effective ln 10 tau
    kappa, ratio = params["kappa"], pt.exp(params["log_kappa_ratio"])
    h = kappa * params["gamma"]
    x_change = effective * LN10 * (params["change_date"] - prepared.constants["t_ref"])
    pm.Deterministic("kappa_late", kappa * ratio)
    pm.Deterministic(
        "late_doubling_days",
        DAYS_PER_YEAR * readout.doubling_time_years(kappa * ratio, params["gamma"], effective),
    )
    bend = readout.log_horizon_changed(
        effective * LN10 * data["tau"], 0.0, 0.0, 0.0, h * (ratio - 1.0), x_change
    )
    readout_likelihood(data, params, effective, bend)


def _link(unit, description, fn, variables):
    return Export(unit, description, fn, variables)


def _shift(params, initial, dt):
    """Along the fitted law: compute grows at g_C, effective compute at g_C + g_S and the
    horizon by the read-out (exponent kappa gamma, (kappa + dkappa) gamma above E_change); the
    software unit moves to the new start (S = 1 there), so E_change in it falls by e^(g_S dt)."""
    h, dh = params["kappa"] * params["gamma"], params["dkappa"] * params["gamma"]
    log_h = readout.log_horizon_changed(
        (params["g_C"] + params["g_S"]) * dt,
        0.0,
        np.log(params["H0"]),
        h,
        dh,
        np.log(params["E_change"] / params["C0"]),
    )
    moved = dict(params)
    moved["C0"] = params["C0"] * np.exp(params["g_C"] * dt)
    moved["H0"] = np.exp(log_h)
    moved["E_change"] = params["E_change"] * np.exp(-params["g_S"] * dt)
    return moved, initial


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    lines = [
        f"kappa (against effective compute): {interval(draws(idata, 'kappa'))}",
        f"effective compute growth: {interval(draws(idata, 'effective_slope'), 'OOM/yr')} "
        f"(physical {interval(draws(idata, 'compute_slope'), 'OOM/yr')}, algorithmic "
        f"{interval(draws(idata, 'algorithmic_rate'), '/yr')})",
        f"horizon doubling time: {interval(draws(idata, 'readout_doubling_days'), 'days')}",
    ]
    ratio = draws(idata, "log_kappa_ratio")
    if np.ptp(ratio) > 0:
        lines += [
            f"  after the change ({interval(draws(idata, 'change_date'), digits=6)}): "
            f"{interval(draws(idata, 'late_doubling_days'), 'days')}, kappa "
            f"{interval(draws(idata, 'kappa_late'))}, P(faster after) = {np.mean(ratio > 0):.2f}",
        ]
    lines.append(f"horizon at {START_REPORTED:g}: {interval(horizon_at(idata, START_REPORTED))}")
    return lines + _straight_loo(idata)


START_REPORTED = 2026.0  # the headline loop's start: where the read-out puts the horizon then


def horizon_at(idata, date: float) -> np.ndarray:
    """Draws of the fitted read-out's 50% horizon [minutes] at ``date`` (the family's H0 there)."""
    from takeoff.models.fits.reading import family_draws

    params, _, _ = family_draws(idata.posterior, EFFECTIVE_READOUT, date)
    return params["H0"]


def _straight_loo(idata) -> list[str]:
    """LOO of the fit against the shipped straight read-out (log_kappa_ratio = 0), when fitted to
    the same observations (the comparison ``--compare`` also prints, from the shipped pair)."""
    return straight_loo(
        idata, "effective_readout", "LOO, changed against straight read-out (same observations):"
    )


def straight_loo(idata, name: str, title: str) -> list[str]:
    """``title`` and the LOO table of fit ``name`` (changed read-out) against ``name``_straight
    (the same model with log_kappa_ratio = 0), whichever of the pair ``idata`` is, the other read
    from the shipped posteriors; nothing when either is not shipped, ``idata`` has no
    log-likelihood or the two were fitted to other observations."""
    from takeoff.data.posteriors import posteriors_dir, shipped_names
    from takeoff.models.fits.compare import compare, format_comparison
    from takeoff.models.fits.io import load_fit

    names = (name, f"{name}_straight")
    if "log_likelihood" not in idata.groups() or not set(names) <= set(shipped_names()):
        return []
    changed = np.ptp(idata.posterior["log_kappa_ratio"].values) > 0
    mine, other = names if changed else names[::-1]
    fits = {mine: idata, other: load_fit(posteriors_dir() / f"{other}.nc")}
    try:
        table = compare(fits)
    except TakeoffError:  # other data (a user's CSV, --since, --until): nothing to compare with
        return []
    return [title, format_comparison(table)]


_RATE_PRIOR = Prior(
    "algorithmic_rate",
    DataScaled("lognormal", mu="log_rate_mean", sigma="log_rate_sd"),
    "growth rate of the effective-compute multiplier from algorithmic progress [1/yr]",
    text="log-normal with the mean and sd of the log of the algorithmic_progress posterior's "
    "algorithmic_rate (positive and right-skewed, like that posterior)",
)
_COMPUTE_PRIOR = Prior(
    "log10_compute_ref",
    DataScaled("normal", mu="log10_compute_mean", sigma="log10_compute_sd"),
    "log10 FLOP of a frontier training run at t_ref (enters K and the loop's scale only)",
    text="the mean and sd of the compute_trend posterior at t_ref",
)

CHANGE_PRIORS = (
    Prior(
        "log_kappa_ratio",
        Distribution("normal", mu=0.0, sigma=1.0),
        "ln of the read-out exponent after the change over before it: the horizon's doubling "
        "time shortens or lengthens up to ~7x (95%), no direction assumed; 0 = the straight law",
    ),
    Prior(
        "change_date",
        Distribution("normal", mu=2024.5, sigma=1.0),
        "date of the change of exponent: the reasoning-model era (o1-preview 2024-09, agents "
        "trained by RL from 2024), 2022.5-2026.5 within 2 sd",
    ),
)


def frontier_1_1(frame):
    """METR Time Horizon 1.1, frontier (state-of-the-art at release) models only: the loop's
    horizon is the frontier's, and models released below it would pull the law down."""
    frame = metr.time_horizon_1_1(frame)
    return frame[frame["is_sota"].astype(bool)]


def _late_kappa(d):
    return d["kappa"] * (np.exp(d["log_kappa_ratio"]) - 1.0)


def _change_compute(d):
    """Effective compute at the change in the fit's unit (S = 1 at t_ref, E = C there)."""
    years = d["change_date"] - d["const_t_ref"]
    return 10.0 ** (d["log10_compute_ref"] + d["effective_slope"] * years)


EFFECTIVE_READOUT = FitSpec(
    name="effective_readout",
    title="METR 50% horizons through the loss-to-horizon read-out against effective compute "
    "(physical x algorithmic)",
    dataset="metr_horizons",
    roles=metr.ROLES,
    priors=(
        *READOUT_PRIORS[:-2],
        _RATE_PRIOR,
        _COMPUTE_PRIOR,
        *CHANGE_PRIORS,
        *READOUT_PRIORS[-2:],
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=(
        "kappa",
        "kappa_late",
        "change_date",
        "readout_doubling_days",
        "late_doubling_days",
        "effective_slope",
        "algorithmic_rate",
        "compute_slope",
        "H_ref_minutes",
        "K",
        "scatter",
        "nu",
    ),
    nested={"log_kappa_ratio": 0.0},
    options=("since", "until", "frontier"),
    select_bundled=frontier_1_1,
    target_accept=0.95,
    notes="the read-out the closed loop uses: algorithmic progress enters the compute the "
    "horizons are read from, so kappa is not inflated by it; frontier models only; the "
    "exponent may change once (log_kappa_ratio at change_date), compared by LOO with the "
    "straight law (log_kappa_ratio = 0)",
    family=FamilyLink(
        family="research_loop",
        parameters={
            "g_S": _link(
                "1/yr",
                "algorithmic progress rate",
                lambda d: d["algorithmic_rate"],
                ("algorithmic_rate",),
            ),
            "g_C": _link(
                "1/yr",
                "physical compute growth, slope ln 10",
                lambda d: d["compute_slope"] * LN10,
                ("compute_slope",),
            ),
            "gamma": _link("", "compute exponent", lambda d: d["gamma"], ("gamma",)),
            "kappa": _link("", "read-out exponent", lambda d: d["kappa"], ("kappa",)),
            "dkappa": _link(
                "",
                "change of the read-out exponent at the change",
                _late_kappa,
                ("kappa", "log_kappa_ratio"),
            ),
            "E_change": _link(
                "FLOP",
                "effective compute at the change (S = 1 at t_ref)",
                _change_compute,
                ("change_date", "log10_compute_ref", "effective_slope", "const_t_ref"),
            ),
            "K": _link("nats", "reducible-loss constant", lambda d: d["K"], ("K",)),
            "C0": _link(
                "FLOP",
                "frontier training compute at t_ref",
                lambda d: 10.0 ** d["log10_compute_ref"],
                ("log10_compute_ref",),
            ),
            "H0": _link(
                "minutes",
                "horizon at t_ref",
                lambda d: d["H_ref_minutes"],
                ("H_ref_minutes",),
            ),
        },
        start="t_ref",
        shift=_shift,
    ),
    upstream=("chinchilla", "compute_trend", ALGORITHMIC),
    upstream_constants=_upstream_constants,
    predictor=metr.RELEASE_DATE,
    response=metr.HORIZON_MINUTES,
    shipped=(
        Shipped("effective_readout"),
        Shipped("effective_readout_straight", fixed={"log_kappa_ratio": 0.0}),
    ),
)

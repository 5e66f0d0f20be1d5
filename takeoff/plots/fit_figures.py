"""The fits' own figures (matplotlib), keyed by fit name: what ``takeoff fit --figures DIR``
writes as PNG, the report and the dashboard's Fits page show beside a fit's posterior.

Each entry takes ``{regime label: InferenceData}`` ("" the fit as asked, the compared regimes
under their labels) and returns ``{name: Figure}``. A fit without an entry has no figures of its
own. The figures read the fits (:mod:`takeoff.models.fits`) and draw with
:mod:`takeoff.plots.static`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from takeoff.data import speedrun
from takeoff.models.fits import algorithmic_progress as progress
from takeoff.models.fits import software_returns as returns
from takeoff.models.fits import software_returns_lm as returns_lm
from takeoff.models.fits.calibration import bundled_prepared
from takeoff.models.fits.fitspec import FitOptions
from takeoff.plots import static


def algorithmic_progress(fits) -> dict:
    """The compute needed for a fixed loss over time, and the exponents against the rates."""
    main = fits[""]
    out = {}
    g = np.asarray(main.posterior["g_total"].values).reshape(-1)
    if np.ptp(g) > 0:
        since = 2014.0
        years = np.linspace(since, 2023.5, 60)
        out["compute_needed"] = static.compute_needed(
            years,
            progress.compute_needed(main.posterior, years, since),
            title=f"Compute needed for a fixed loss, relative to {since:.0f} "
            f"({main.posterior.attrs.get('data_source')})",
        )
    pairs = fits.get("free", main)
    if "beta" in pairs.posterior and main.posterior.attrs.get("variant") != "compute":
        samples = {
            name: np.asarray(pairs.posterior[name].values).reshape(-1)
            for name in ("alpha", "beta", "g_N", "g_D", "g_total")
        }
        out["pairs"] = static.pair_plot(
            samples,
            [("beta", "g_D"), ("alpha", "g_N"), ("beta", "g_total"), ("g_N", "g_D")],
            title="Exponents against rates"
            + (" (free rates: the ridge)" if "free" in fits else ""),
        )
    return out


def software_returns(fits) -> dict:
    """The speedrun records with the fitted law and the research input, and prior against
    posterior of beta, lambda and r (bundled data only)."""
    main = fits[""]
    post = main.posterior
    if main.posterior.attrs.get("data_source") != returns.SOFTWARE_RETURNS.dataset:
        return {}  # a user's table: the bundled research series below would not be its own
    prepared = bundled_prepared(
        returns.SOFTWARE_RETURNS, FitOptions(variant=post.attrs.get("variant"))
    )
    t_ref = prepared.constants["t_ref"]
    frame = speedrun.speedrun_rows(returns.bundled_frame())
    t_end = t_ref + prepared.constants["tau_end"]
    edges, people = speedrun.people_series(frame, t_ref, t_end, "trailing")
    _, span = speedrun.people_series(frame, t_ref, t_end, "active_span")
    grid = np.linspace(0.0, prepared.constants["tau_end"], 200)
    keep = np.linspace(0, post.sizes["chain"] * post.sizes["draw"] - 1, 400).astype(int)
    thin = post.stack(s=("chain", "draw")).isel(s=keep)
    paths = np.exp(returns.log_s_draws(thin, prepared.grid, grid))
    predictive = None
    if "posterior_predictive" in main.groups():
        pp = main.posterior_predictive["log_speedup"].stack(s=("chain", "draw"))
        predictive = np.exp(pp.transpose("s", ...).values)
    out = {
        "records": static.records_band(
            t_ref + prepared.arrays["tau"],
            np.exp(prepared.arrays["log_speedup"]),
            t_ref + grid,
            paths,
            predictive,
            edges[:-1],
            people,
            ylabel="speed-up over the first record (S)",
            research_label=f"people credited, trailing {speedrun.WINDOW_DAYS:.0f} days (fitted)",
            alternative=("active span (alternative)", span),
            title="NanoGPT speedrun records and the Jones law "
            f"(r = {np.median(returns.flat(post, 'r')):.2f})"
            if "r" in post
            else "NanoGPT speedrun records",
        )
    }
    if "r" in post:
        prior = returns.prior_draws(returns.SOFTWARE_RETURNS, prepared.constants)
        out["prior_posterior"] = static.prior_posterior(
            prior,
            {k: returns.flat(post, k) for k in ("beta", "lambda", "r")},
            title="software_returns (NanoGPT speedrun): prior against posterior",
            log=("beta", "r"),
            marks={"r": 1.0},
        )
    return out


def software_returns_lm(fits) -> dict:
    """The compute needed for a fixed loss under the fitted law, and prior against posterior."""
    main = fits[""]
    post = main.posterior
    if "beta" not in post:
        return {}
    prepared = bundled_prepared(returns_lm.SOFTWARE_RETURNS_LM)
    years = np.linspace(2014.0, returns_lm.LM_T0 + prepared.constants["tau_end"], 60)
    keep = np.linspace(0, post.sizes["chain"] * post.sizes["draw"] - 1, 400).astype(int)
    flat = post.stack(s=("chain", "draw")).reset_index("s", drop=True)  # a plain draw axis
    thin = flat.isel(s=keep).assign(log_S0=lambda p: 0.0 * p["beta"])
    log_s = returns_lm.log_s_draws(thin, prepared, years - returns_lm.LM_T0)
    spec = returns_lm.SOFTWARE_RETURNS_LM
    variant = post.attrs.get("variant") or prepared.variant
    prior = returns.prior_draws(spec, prepared.constants, variant=variant)
    shares = returns_lm.share_prior_draws(prepared.constants)
    prior.update({k: v for k, v in shares.items() if k in post})
    return {
        "compute_needed": static.compute_needed(
            years,
            np.exp(-(log_s - log_s[:, :1])),
            title="Compute needed for a fixed loss (Jones law, R = CES of labour and compute, "
            "estimates)",
        ),
        "prior_posterior": static.prior_posterior(
            prior,
            {k: returns.flat(post, k) for k in prior},
            title="software_returns_lm (LM path, labour and compute estimates): prior against "
            "posterior",
            log=("beta", "r", "sigma_ces"),
            marks={"r": 1.0},
        ),
    }


def returns_domains(fits) -> dict:
    """A forest plot of r per domain (50% and 90% intervals) with the predictive r of a new
    domain as a band and a row, and r = 1 marked."""
    post = fits[""].posterior
    if "r" not in post or "domain" not in post["r"].dims:
        return {}
    r = post["r"].transpose("domain", ...)
    draws = {str(d): np.asarray(r.sel(domain=d).values, float).ravel() for d in r["domain"].values}
    return {
        "forest": static.forest(
            draws,
            returns.flat(post, "r_population"),
            xlabel="r = lambda / beta (returns to research)",
            title="Returns to research across software domains (partially pooled)",
            mark=1.0,
            mark_label="r = 1: explosion threshold",
        )
    }


FIGURES: dict[str, Callable[[dict], dict]] = {
    progress.ALGORITHMIC_PROGRESS.name: algorithmic_progress,
    returns.SOFTWARE_RETURNS.name: software_returns,
    returns_lm.SOFTWARE_RETURNS_LM.name: software_returns_lm,
    "returns_domains": returns_domains,
}


def fit_figures(name: str) -> Callable[[dict], dict] | None:
    """The figures of the fit called ``name`` (None: it has none of its own)."""
    return FIGURES.get(name)

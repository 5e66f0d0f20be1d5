"""Log-linear trends against date: ``compute_trend`` (frontier training compute) and
``hardware_trend`` (FLOP/s per dollar of new chips).

    log10 y = level + slope (t − t_ref) + Student-t noise          (takeoff.models.trend)

``slope`` is in orders of magnitude per year; derived ``growth_per_year`` = 10^slope and
``doubling_time_months`` = 12 log10(2) / slope. t_ref is the mean date of the data (saved).
Exported to scenarios: ``growth_rate`` = slope ln 10 [1/yr], the rate of the same exponential
growth in natural units (e.g. hardware growth g_H of jones_software).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from takeoff.models import trend
from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import (
    Export,
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Role,
    Shipped,
    Target,
    require_rows,
    select_dates,
)
from takeoff.models.fits.priors import Prior


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    frame = select_dates(frame, options)
    if options.frontier:
        frame = frame[frame["frontier"].astype(bool)]
    require_rows(frame, 4, "trend")
    t = frame["date"].to_numpy(float)
    t_ref = round(float(np.mean(t)), 2)
    log10_y = np.log10(frame["y"].to_numpy(float))
    return Prepared(
        arrays={"dt": t - t_ref, "log10_y": log10_y},
        observed="log10_y",
        n=len(t),
        constants={"t_ref": t_ref},
    )


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm

    slope = params["slope"]
    pm.Deterministic("growth_per_year", 10.0**slope)
    pm.Deterministic("doubling_time_months", 12.0 * trend.doubling_time_years(slope))
    pm.StudentT(
        "log10_y",
        nu=params["nu"],
        mu=trend.log10_value(data["dt"], params["level"], slope),
        sigma=params["sigma"],
        observed=data["log10_y"],
        dims="obs",
    )


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    return [
        f"growth per year: {interval(draws(idata, 'growth_per_year'), 'x')}",
        f"doubling time: {interval(draws(idata, 'doubling_time_months'), 'months')}",
    ]


_TREND_PRIORS = (
    Prior(
        "sigma",
        Distribution("halfnormal", sigma=1.0),
        "scatter around the trend [orders of magnitude]",
    ),
    Prior(
        "nu",
        Distribution("gamma", alpha=2.0, beta=0.1),
        "Student-t degrees of freedom: robust to outlying models",
    ),
)
_EXPORTS = {
    "growth_rate": Export(
        "1/yr",
        "exponential growth rate of the trend in natural units, slope ln 10",
        lambda d: trend.growth_rate(d["slope"]),
        ("slope",),
    )
}
_DATE = Predictor("dt", "date", "decimal year", offset="t_ref")


def _frontier_models(frame: pd.DataFrame) -> pd.DataFrame:
    """Epoch's frontier list: the trend of the largest training runs, not of every model."""
    return frame[frame["frontier"].astype(bool)]


COMPUTE_TREND = FitSpec(
    name="compute_trend",
    title="Training compute of frontier AI models vs publication date (log-linear)",
    dataset="epoch_models",
    roles=(
        Role("date", "publication_date_year", "date", "publication date (decimal year)", varies=2),
        Role("y", "training_compute_flop", "positive", "training compute [FLOP]", varies=2),
        Role("frontier", "frontier", "bool", "frontier model", required=False),
    ),
    priors=(
        Prior(
            "level",
            Distribution("normal", mu=22.0, sigma=5.0),
            "log10 FLOP at the mean date: 1e12-1e32 within 2 sd",
        ),
        Prior(
            "slope",
            Distribution("normal", mu=0.5, sigma=0.5),
            "orders of magnitude per year; 0 to ~1.5 (94%)",
        ),
        *_TREND_PRIORS,
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("slope", "growth_per_year", "doubling_time_months", "level", "sigma", "nu"),
    options=("since", "until", "frontier"),
    select_bundled=_frontier_models,
    # Sevilla et al. (2022) find a break in the trend around 2010 (the deep-learning era); a
    # single log-linear trend over 1950-2025 is misspecified, so the default fits 2010 onwards.
    default_since=2010.0,
    sampler="nutpie-c",  # compiled once per machine: seconds per fit (bench_fit_startup)
    target_accept=0.95,
    exports=_EXPORTS,
    predictor=_DATE,
    response=Predictor("log10_y", "training compute", "FLOP", exp=True, base=10.0),
    shipped=(Shipped("compute_trend"),),
    backtest_target=Target("dt", "log10", "orders of magnitude of training compute"),
)

HARDWARE_TREND = FitSpec(
    name="hardware_trend",
    title="FLOP/s per dollar of new chips vs release date (log-linear)",
    dataset="epoch_chips",
    roles=(
        Role("date", "release_date_year", "date", "release date (decimal year)", varies=2),
        Role("y", "flop_per_dollar", "positive", "FLOP/s per USD of release price", varies=2),
    ),
    priors=(
        Prior(
            "level",
            Distribution("normal", mu=9.0, sigma=5.0),
            "log10 FLOP/s per $ at the mean date",
        ),
        Prior(
            "slope",
            Distribution("normal", mu=0.15, sigma=0.3),
            "orders of magnitude per year; −0.4 to 0.7 (94%)",
        ),
        *_TREND_PRIORS,
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("slope", "growth_per_year", "doubling_time_months", "level", "sigma", "nu"),
    options=("since", "until"),
    sampler="nutpie-c",  # compiled once per machine: seconds per fit (bench_fit_startup)
    target_accept=0.95,
    notes="the chip data bend: FP32 FLOP/s per $ grew ~0.34 orders of magnitude a year before "
    "2012 and ~0.05 after (tensor cores moved ML performance off FP32); one log-linear trend "
    "over all years over-predicts the recent past (takeoff backtest hardware_trend); use "
    "--since to fit one era",
    exports=_EXPORTS,
    predictor=_DATE,
    response=Predictor("log10_y", "price-performance", "FLOP/s per dollar", exp=True, base=10.0),
    shipped=(Shipped("hardware_trend"),),
    backtest_target=Target("dt", "log10", "orders of magnitude of FLOP/s per dollar"),
)

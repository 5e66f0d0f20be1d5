"""Log-linear trends against date: ``compute_trend`` (frontier training compute) and
``hardware_trend`` (FLOP/s per dollar of new chips).

    log10 y = level + slope (t − t_ref) + Student-t noise

``slope`` is in orders of magnitude per year; derived ``growth_per_year`` = 10^slope and
``doubling_time_months`` = 12 log10(2) / slope. t_ref is the mean date of the data (saved).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior, Role, require_rows


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    if options.since is not None:
        frame = frame[frame["date"] >= options.since]
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


def _builder(level_prior: tuple[float, float], slope_prior: tuple[float, float]):
    def build(prepared: Prepared, fixed):
        import pymc as pm

        from takeoff.models.fits.spec import free_or_fixed, observed_data

        a = prepared.arrays
        with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
            dt = pm.Data("dt", a["dt"], dims="obs")
            level = free_or_fixed("level", fixed, lambda n: pm.Normal(n, *level_prior))
            slope = free_or_fixed("slope", fixed, lambda n: pm.Normal(n, *slope_prior))
            sigma = free_or_fixed("sigma", fixed, lambda n: pm.HalfNormal(n, 1.0))
            nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
            pm.Deterministic("growth_per_year", 10.0**slope)
            pm.Deterministic("doubling_time_months", 12.0 * math.log10(2.0) / slope)
            pm.StudentT(
                "log10_y",
                nu=nu,
                mu=level + slope * dt,
                sigma=sigma,
                observed=observed_data(prepared),
                dims="obs",
            )
        return model

    return build


_TREND_PRIORS = (
    Prior("sigma", "HalfNormal(1)", "scatter around the trend [orders of magnitude]"),
    Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom: robust to outlying models"),
)


def _frontier_models(frame: pd.DataFrame) -> pd.DataFrame:
    """Epoch's frontier list: the trend of the largest training runs, not of every model."""
    return frame[frame["frontier"].astype(bool)]


COMPUTE_TREND = FitSpec(
    name="compute_trend",
    title="Training compute of frontier AI models vs publication date (log-linear)",
    dataset="epoch_models",
    roles=(
        Role("date", "publication_date_year", "date", "publication date (decimal year)"),
        Role("y", "training_compute_flop", "positive", "training compute [FLOP]"),
        Role("frontier", "frontier", "bool", "frontier model", required=False),
    ),
    priors=(
        Prior("level", "Normal(22, 5)", "log10 FLOP at the mean date: 1e12-1e32 within 2 sd"),
        Prior("slope", "Normal(0.5, 0.5)", "orders of magnitude per year; 0 to ~1.5 (94%)"),
        *_TREND_PRIORS,
    ),
    prepare=_prepare,
    build=_builder((22.0, 5.0), (0.5, 0.5)),
    summary_vars=("slope", "growth_per_year", "doubling_time_months", "level", "sigma", "nu"),
    options=("since", "frontier"),
    select_bundled=_frontier_models,
    # Sevilla et al. (2022) find a break in the trend around 2010 (the deep-learning era); a
    # single log-linear trend over 1950-2025 is misspecified, so the default fits 2010 onwards.
    default_since=2010.0,
    target_accept=0.95,
)

HARDWARE_TREND = FitSpec(
    name="hardware_trend",
    title="FLOP/s per dollar of new chips vs release date (log-linear)",
    dataset="epoch_chips",
    roles=(
        Role("date", "release_date_year", "date", "release date (decimal year)"),
        Role("y", "flop_per_dollar", "positive", "FLOP/s per USD of release price"),
    ),
    priors=(
        Prior("level", "Normal(9, 5)", "log10 FLOP/s per $ at the mean date"),
        Prior("slope", "Normal(0.15, 0.3)", "orders of magnitude per year; −0.4 to 0.7 (94%)"),
        *_TREND_PRIORS,
    ),
    prepare=_prepare,
    build=_builder((9.0, 5.0), (0.15, 0.3)),
    summary_vars=("slope", "growth_per_year", "doubling_time_months", "level", "sigma", "nu"),
    options=("since",),
    target_accept=0.95,
    notes="the chip data bend: FP32 FLOP/s per $ grew ~0.34 orders of magnitude a year before "
    "2012 and ~0.05 after (tensor cores moved ML performance off FP32); one log-linear trend "
    "over all years over-predicts the recent past (takeoff backtest hardware_trend); use "
    "--since to fit one era",
)

"""``capability_vs_compute``: Epoch Capabilities Index (ECI) against log10 training compute.

    eci = level + slope x + bend · w softplus((x − knee) / w),   x = log10 C − mean log10 C

(a hinge smoothed over w = 0.25 orders of magnitude: the sharp max(0, x − knee) makes the
likelihood kinked, which NUTS samples badly, and a bend sharper than a quarter decade of compute
is not something these data could tell apart.)

``slope`` is ECI points per order of magnitude of compute (the returns to compute on this
scale); ``bend`` is how much the slope changes past ``knee`` (where returns bend). The nested
model fixes bend = 0 (a straight line), compared by LOO. Student-t likelihood.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import (
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Role,
    Shipped,
    require_rows,
    select_dates,
)
from takeoff.models.fits.priors import DataScaled, Prior

HINGE_WIDTH = 0.25  # orders of magnitude of compute over which the slope changes


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    frame = frame.dropna(subset=["compute", "eci"])
    if "date" in frame:
        frame = select_dates(frame, options)
    require_rows(frame, 6, "capability_vs_compute")
    x = np.log10(frame["compute"].to_numpy(float))
    mean_x = float(np.mean(x))
    return Prepared(
        arrays={"x": x - mean_x, "eci": frame["eci"].to_numpy(float)},
        observed="eci",
        n=len(x),
        constants={
            "mean_log10_compute": mean_x,
            "x_min": float(x.min() - mean_x),
            "x_max": float(x.max() - mean_x),
        },
    )


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    x, slope, bend, knee = data["x"], params["slope"], params["bend"], params["knee"]
    pm.Deterministic("knee_log10_compute", knee + data["mean_log10_compute"])
    pm.Deterministic("slope_after_knee", slope + bend)
    mu = params["level"] + slope * x + bend * HINGE_WIDTH * pt.softplus((x - knee) / HINGE_WIDTH)
    pm.StudentT(
        "eci", nu=params["nu"], mu=mu, sigma=params["sigma"], observed=data["eci"], dims="obs"
    )


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    return [
        f"ECI points per 10x compute: {interval(draws(idata, 'slope'))}",
        f"after the knee: {interval(draws(idata, 'slope_after_knee'))}",
        f"knee at log10 FLOP: {interval(draws(idata, 'knee_log10_compute'))}",
    ]


def _one_row_per_model(frame: pd.DataFrame) -> pd.DataFrame:
    """Epoch gives every version of a model the same ECI and compute: keep one row per model
    so that models with many versions do not count several times."""
    return frame.drop_duplicates(subset=["model"])


CAPABILITY_VS_COMPUTE = FitSpec(
    name="capability_vs_compute",
    title="Epoch Capabilities Index vs log10 training compute, with a bend",
    dataset="eci",
    roles=(
        Role("compute", "training_compute_flop", "positive", "training compute [FLOP]", varies=2),
        Role("eci", "eci", "number", "Epoch Capabilities Index", varies=2),
        Role("date", "release_date_year", "date", "release date", required=False),
    ),
    priors=(
        Prior(
            "level",
            Distribution("normal", mu=120.0, sigma=40.0),
            "ECI at the mean compute (the index runs ~50-160)",
        ),
        Prior(
            "slope",
            Distribution("normal", mu=0.0, sigma=20.0),
            "ECI points per order of magnitude of compute",
        ),
        Prior("bend", Distribution("normal", mu=0.0, sigma=10.0), "change of slope past the knee"),
        Prior(
            "knee",
            DataScaled("uniform", low="x_min", high="x_max"),
            "the bend must lie where there are data",
            text="x_min, x_max: the data's range",
        ),
        Prior("sigma", Distribution("halfnormal", sigma=20.0), "scatter of ECI around the curve"),
        Prior("nu", Distribution("gamma", alpha=2.0, beta=0.1), "Student-t degrees of freedom"),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("slope", "slope_after_knee", "knee_log10_compute", "level", "sigma", "nu"),
    nested={"bend": 0.0},
    options=("since",),
    select_bundled=_one_row_per_model,
    target_accept=0.95,
    tune=2000,  # the knee's posterior is wide and skewed: a longer adaptation
    predictor=Predictor(
        "x", "training compute", "FLOP", offset="mean_log10_compute", exp=True, base=10.0
    ),
    response=Predictor("eci", "Epoch Capabilities Index", "ECI points"),
    shipped=(Shipped("capability_vs_compute"),),
)

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

from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior, Role, require_rows

HINGE_WIDTH = 0.25  # orders of magnitude of compute over which the slope changes


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    frame = frame.dropna(subset=["compute", "eci"])
    if options.since is not None and "date" in frame:
        frame = frame[frame["date"] >= options.since]
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


def _build(prepared: Prepared, fixed):
    import pymc as pm
    import pytensor.tensor as pt

    from takeoff.models.fits.spec import free_or_fixed, observed_data

    a, c = prepared.arrays, prepared.constants
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        x = pm.Data("x", a["x"], dims="obs")
        level = free_or_fixed("level", fixed, lambda n: pm.Normal(n, 120.0, 40.0))
        slope = free_or_fixed("slope", fixed, lambda n: pm.Normal(n, 0.0, 20.0))
        bend = free_or_fixed("bend", fixed, lambda n: pm.Normal(n, 0.0, 10.0))
        knee = free_or_fixed("knee", fixed, lambda n: pm.Uniform(n, c["x_min"], c["x_max"]))
        sigma = free_or_fixed("sigma", fixed, lambda n: pm.HalfNormal(n, 20.0))
        nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
        pm.Deterministic("knee_log10_compute", knee + c["mean_log10_compute"])
        pm.Deterministic("slope_after_knee", slope + bend)
        mu = level + slope * x + bend * HINGE_WIDTH * pt.softplus((x - knee) / HINGE_WIDTH)
        pm.StudentT("eci", nu=nu, mu=mu, sigma=sigma, observed=observed_data(prepared), dims="obs")
    return model


def _one_row_per_model(frame: pd.DataFrame) -> pd.DataFrame:
    """Epoch gives every version of a model the same ECI and compute: keep one row per model
    so that models with many versions do not count several times."""
    return frame.drop_duplicates(subset=["model"])


CAPABILITY_VS_COMPUTE = FitSpec(
    name="capability_vs_compute",
    title="Epoch Capabilities Index vs log10 training compute, with a bend",
    dataset="eci",
    roles=(
        Role("compute", "training_compute_flop", "positive", "training compute [FLOP]"),
        Role("eci", "eci", "number", "Epoch Capabilities Index"),
        Role("date", "release_date_year", "date", "release date", required=False),
    ),
    priors=(
        Prior("level", "Normal(120, 40)", "ECI at the mean compute (the index runs ~50-160)"),
        Prior("slope", "Normal(0, 20)", "ECI points per order of magnitude of compute"),
        Prior("bend", "Normal(0, 10)", "change of slope past the knee"),
        Prior("knee", "Uniform(data range)", "the bend must lie where there are data"),
        Prior("sigma", "HalfNormal(20)", "scatter of ECI around the curve"),
        Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom"),
    ),
    prepare=_prepare,
    build=_build,
    summary_vars=("slope", "slope_after_knee", "knee_log10_compute", "level", "sigma", "nu"),
    nested={"bend": 0.0},
    options=("since",),
    select_bundled=_one_row_per_model,
    target_accept=0.95,
    tune=2000,  # the knee's posterior is wide and skewed: a longer adaptation
)

"""``returns_curve``: a generic returns-to-compute curve for any CSV.

Power law (default), for a loss or error falling with compute x:
    y = E + A x^-alpha,  Student-t on ln y, x centred: A x^-alpha = exp(a0 − alpha (ln x − m))
Bounded (``--bounded``), for a score in [0, 1] rising with compute:
    y = floor + (1 − floor) / (1 + exp(−slope (log10 x − mid))),  Student-t on y

The bundled default (no --data) is the Chinchilla points' loss against training compute C:
those mix model sizes, so it is a demonstration; pass your own CSV with --data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior, Role, require_rows


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    require_rows(frame, 5, "returns_curve")
    x = frame["x"].to_numpy(float)
    y = frame["y"].to_numpy(float)
    if options.bounded:
        if (y < 0).any() or (y > 1).any():
            raise TakeoffError("--bounded needs scores y in [0, 1]; rescale the y column")
        lx = np.log10(x)
        return Prepared(
            arrays={"log10_x": lx, "y": y},
            observed="y",
            n=len(x),
            constants={"bounded": 1.0, "x_min": float(lx.min()), "x_max": float(lx.max())},
        )
    log_x = np.log(x)
    mean = float(np.mean(log_x))
    return Prepared(
        arrays={"log_x_c": log_x - mean, "log_y": np.log(y)},
        observed="log_y",
        n=len(x),
        constants={
            "bounded": 0.0,
            "mean_log_x": mean,
            "y_min": float(y.min()),
            "median_y": float(np.median(y)),
        },
    )


def _build(prepared: Prepared, fixed):
    import pymc as pm

    from takeoff.models.fits.spec import free_or_fixed, observed_data

    a, c = prepared.arrays, prepared.constants
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
        if c["bounded"]:
            lx = pm.Data("log10_x", a["log10_x"], dims="obs")
            floor = free_or_fixed("floor", fixed, lambda n: pm.Beta(n, 1.0, 3.0))
            slope = free_or_fixed("slope", fixed, lambda n: pm.LogNormal(n, 0.0, 1.0))
            mid = free_or_fixed(
                "mid",
                fixed,
                lambda n: pm.Normal(
                    n, 0.5 * (c["x_min"] + c["x_max"]), c["x_max"] - c["x_min"] + 1.0
                ),
            )
            sigma = free_or_fixed("sigma", fixed, lambda n: pm.HalfNormal(n, 0.2))
            mu = floor + (1 - floor) * pm.math.sigmoid(slope * (lx - mid))
            pm.StudentT(
                "y", nu=nu, mu=mu, sigma=sigma, observed=observed_data(prepared), dims="obs"
            )
            return model
        log_x_c = pm.Data("log_x_c", a["log_x_c"], dims="obs")
        E = free_or_fixed("E", fixed, lambda n: pm.HalfNormal(n, c["y_min"]))
        a0 = free_or_fixed("log_term", fixed, lambda n: pm.Normal(n, math.log(c["median_y"]), 2.0))
        alpha = free_or_fixed("alpha", fixed, lambda n: pm.LogNormal(n, math.log(0.3), 1.0))
        sigma = free_or_fixed("sigma", fixed, lambda n: pm.HalfNormal(n, 0.5))
        pm.Deterministic("A", pm.math.exp(a0 + alpha * c["mean_log_x"]))
        y = E + pm.math.exp(a0 - alpha * log_x_c)
        pm.StudentT(
            "log_y",
            nu=nu,
            mu=pm.math.log(y),
            sigma=sigma,
            observed=observed_data(prepared),
            dims="obs",
        )
    return model


RETURNS_CURVE = FitSpec(
    name="returns_curve",
    title="Returns-to-compute curve y = E + A x^-alpha (or a bounded logistic in log x)",
    dataset="chinchilla",
    roles=(
        Role("x", "C", "positive", "compute (or any positive input)"),
        Role("y", "loss", "positive", "loss or error (or a score in [0, 1] with --bounded)"),
    ),
    priors=(
        Prior("E", "HalfNormal(min y)", "floor of y: between 0 and about the smallest y seen"),
        Prior("log_term", "Normal(ln median y, 2)", "ln of A x^-alpha at the mean ln x"),
        Prior("alpha", "LogNormal(ln 0.3, 1)", "returns exponent: ~0.04-2 (94%)"),
        Prior("sigma", "HalfNormal(0.5)", "scatter of ln y"),
        Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom"),
    ),
    prepare=_prepare,
    build=_build,
    summary_vars=("E", "A", "alpha", "floor", "slope", "mid", "sigma", "nu"),
    options=("bounded",),
    notes="bounded variant parameters: floor ~ Beta(1, 3), slope ~ LogNormal(0, 1) per "
    "decade of x, mid ~ Normal(centre of data, range + 1), sigma ~ HalfNormal(0.2)",
)

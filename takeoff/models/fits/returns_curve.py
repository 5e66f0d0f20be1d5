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
from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import FitOptions, FitSpec, Prepared, Role, require_rows
from takeoff.models.fits.priors import DataScaled, Prior


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
            constants={
                "x_min": float(lx.min()),
                "x_max": float(lx.max()),
                "mid_centre": 0.5 * float(lx.min() + lx.max()),
                "mid_spread": float(lx.max() - lx.min()) + 1.0,
            },
            variant="bounded",
        )
    log_x = np.log(x)
    mean = float(np.mean(log_x))
    return Prepared(
        arrays={"log_x_c": log_x - mean, "log_y": np.log(y)},
        observed="log_y",
        n=len(x),
        constants={
            "mean_log_x": mean,
            "y_min": float(y.min()),
            "log_median_y": math.log(float(np.median(y))),
        },
        variant="power",
    )


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm

    if prepared.variant == "bounded":
        floor = params["floor"]
        mu = floor + (1 - floor) * pm.math.sigmoid(
            params["slope"] * (data["log10_x"] - params["mid"])
        )
        pm.StudentT(
            "y", nu=params["nu"], mu=mu, sigma=params["sigma"], observed=data["y"], dims="obs"
        )
        return
    a0, alpha = params["log_term"], params["alpha"]
    pm.Deterministic("A", pm.math.exp(a0 + alpha * data["mean_log_x"]))
    y = params["E"] + pm.math.exp(a0 - alpha * data["log_x_c"])
    pm.StudentT(
        "log_y",
        nu=params["nu"],
        mu=pm.math.log(y),
        sigma=params["sigma"],
        observed=data["log_y"],
        dims="obs",
    )


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    names = ("E", "A", "alpha") if "alpha" in idata.posterior else ("floor", "slope", "mid")
    return [f"{v}: {interval(draws(idata, v))}" for v in names]


RETURNS_CURVE = FitSpec(
    name="returns_curve",
    title="Returns-to-compute curve y = E + A x^-alpha (or a bounded logistic in log x)",
    dataset="chinchilla",
    roles=(
        Role("x", "C", "positive", "compute (or any positive input)", varies=3),
        Role(
            "y", "loss", "positive", "loss or error (or a score in [0, 1] with --bounded)", varies=2
        ),
    ),
    priors=(
        Prior("nu", Distribution("gamma", alpha=2.0, beta=0.1), "Student-t degrees of freedom"),
        Prior(
            "E",
            DataScaled("halfnormal", sigma="y_min"),
            "floor of y: between 0 and about the smallest y seen",
            text="y_min: the smallest y",
            variant="power",
        ),
        Prior(
            "log_term",
            DataScaled("normal", mu="log_median_y", sigma=2.0),
            "ln of A x^-alpha at the mean ln x",
            text="log_median_y: ln of the median y",
            variant="power",
        ),
        Prior(
            "alpha",
            Distribution("lognormal", mu=math.log(0.3), sigma=1.0),
            "returns exponent (median 0.3): ~0.04-2 (94%)",
            variant="power",
        ),
        Prior(
            "sigma",
            Distribution("halfnormal", sigma=0.5),
            "scatter of ln y",
            variant="power",
        ),
        Prior(
            "floor",
            Distribution("beta", a=1.0, b=3.0),
            "the score at no compute, most mass near 0",
            variant="bounded",
        ),
        Prior(
            "slope",
            Distribution("lognormal", mu=0.0, sigma=1.0),
            "steepness per decade of x",
            variant="bounded",
        ),
        Prior(
            "mid",
            DataScaled("normal", mu="mid_centre", sigma="mid_spread"),
            "log10 x at the midpoint, somewhere near the data",
            text="mid_centre: the centre of log10 x, mid_spread: its range + 1",
            variant="bounded",
        ),
        Prior(
            "sigma",
            Distribution("halfnormal", sigma=0.2),
            "scatter of the score",
            variant="bounded",
        ),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("E", "A", "alpha", "floor", "slope", "mid", "sigma", "nu"),
    options=("bounded",),
)

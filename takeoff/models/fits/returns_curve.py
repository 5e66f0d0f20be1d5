"""``returns_curve``: a generic returns-to-compute curve for any CSV.

Power law (default), for a loss or error falling with compute x:
    y = E + A x^-alpha,  Student-t on ln y
sampled in parameters defined where the data are (u = ln x − m, m the mean ln x of the table):
    level    = the fitted ln y averaged over the table's x
    decline  = −d ln y / d ln x at u = 0 (> 0: y falls)
    excess   = alpha − decline (≥ 0, which is the floor E ≥ 0; 0 is a pure power law)
so that  ln y = c + ln(excess + decline e^(−alpha u)) − ln alpha  with c = ln y at u = 0 set by
the level, and E, A and alpha, the familiar parameters, are derived (Deterministics). Level and
decline are what any table pins down; excess is the curvature of ln y at the centre (decline ×
excess) over decline, and the level as a mean over the table (not ln y at its centre) is
uncorrelated with it. In E, A, alpha (or ln y at the centre, the exponent and E) a near-
noiseless curve over four decades puts the sampler on a ridge, the floor trading off with the
exponent: R-hat 1.01 and bulk ESS ~400 of 4,000 draws; in these ESS > 1,300 (issue 26).
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
            "mean_log_y": float(np.mean(np.log(y))),
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
    level, decline, excess = params["level"], params["decline"], params["excess"]
    alpha = pm.Deterministic("alpha", decline + excess)
    log_alpha = pm.math.log(alpha)
    # ln y - ln y(centre) = ln(excess + decline e^(-alpha u)) - ln alpha, computed stably
    shape = (
        pm.math.logaddexp(pm.math.log(excess), pm.math.log(decline) - alpha * data["log_x_c"])
        - log_alpha
    )
    log_y_centre = level - pm.math.mean(shape)  # level: the mean of the fitted ln y
    pm.Deterministic("E", pm.math.exp(log_y_centre + pm.math.log(excess) - log_alpha))
    log_a = log_y_centre + pm.math.log(decline) - log_alpha + alpha * data["mean_log_x"]
    pm.Deterministic("A", pm.math.exp(log_a))
    mu = log_y_centre + shape
    pm.StudentT(
        "log_y",
        nu=params["nu"],
        mu=mu,
        sigma=params["sigma"],
        observed=data["log_y"],
        dims="obs",
    )


def centred_parameters(E: float, A: float, alpha: float, log_x) -> dict[str, float]:
    """The sampled parameters (level, decline, excess) of the curve E + A x^-alpha on a table
    whose compute has natural logarithms ``log_x`` (e.g. to simulate from known E, A, alpha)."""
    log_x = np.asarray(log_x, dtype=float)
    term = A * math.exp(-alpha * float(np.mean(log_x)))  # A x^-alpha at the centre
    return {
        "level": float(np.mean(np.log(E + A * np.exp(-alpha * log_x)))),
        "decline": alpha * term / (E + term),
        "excess": alpha * E / (E + term),
    }


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
            "level",
            DataScaled("normal", mu="mean_log_y", sigma=1.0),
            "the fitted ln y averaged over the table's x: near the mean ln y seen (a factor ~e)",
            text="mean_log_y: the mean of ln y",
            variant="power",
        ),
        Prior(
            "decline",
            Distribution("halfnormal", sigma=0.5),
            "-d ln y / d ln x at the central ln x (y falls): up to ~1 (94%), a flat curve allowed",
            variant="power",
        ),
        Prior(
            "excess",
            Distribution("halfnormal", sigma=0.5),
            "alpha - decline, >= 0 so the floor E >= 0 (0: a pure power law, E = 0): up to ~1 "
            "(94%)",
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
    summary_vars=(
        "E",
        "A",
        "alpha",
        "level",
        "decline",
        "excess",
        "floor",
        "slope",
        "mid",
        "sigma",
        "nu",
    ),
    options=("bounded",),
    # the weakest curves of the recovery test (a steep curve near its floor, a shallow noisy
    # one: curvature barely seen) gained ~40% bulk ESS at 0.9 for ~20% more sampling time (a
    # fraction of a second); the nine-point curve of issue 26 needs no more than 0.8
    sampler="nutpie-c",  # compiled once per machine: seconds per fit (bench_fit_startup)
    target_accept=0.9,
)

"""``gwp_hyperbolic``: Roodman's (2020) long-run gross world product under hyperbolic growth.

    dY/dt = s Y^(1+B)  written around the reference year t_ref, solved by the family's own law
    (takeoff.models.hyperbolic_growth.log_output) from Y(t_ref) = Y_ref with s = g Y_ref^-B,
    where g is the growth rate at t_ref (sampled on the log scale: it is what the data identify).

B > 0 gives a singularity at t_singularity = t_ref + 1 / (B g); B = 0 is exponential growth
(the nested model for the LOO comparison). Deterministic trend with a Student-t likelihood on
ln Y: a simplification of Roodman's stochastic diffusion, which also models the year-to-year
noise; his series is a reconstruction, so the robust likelihood is deliberate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import (
    Export,
    FamilyLink,
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Role,
    Shipped,
    require_rows,
)
from takeoff.models.fits.priors import Prior
from takeoff.models.hyperbolic_growth import log_output, singularity_time

T_REF = 1950.0


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    if options.since is not None:
        frame = frame[frame["year"] >= options.since]
    if options.until is not None:
        frame = frame[frame["year"] < options.until]
    require_rows(frame, 5, "gwp_hyperbolic")
    year = frame["year"].to_numpy(float)
    return Prepared(
        arrays={"tau": year - T_REF, "log_y": np.log(frame["gwp"].to_numpy(float))},
        observed="log_y",
        n=len(year),
        constants={"t_ref": T_REF},
    )


def _rate_at_one(log_growth_ref, B, log_y_ref, xp=np):
    """The family's s (growth rate at Y = 1) from the growth rate g at Y_ref: s = g Y_ref^-B."""
    return xp.exp(log_growth_ref - B * log_y_ref)


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm

    log_y_ref, log_g, B = params["log_y_ref"], params["log_growth_ref"], params["B"]
    pm.Deterministic("growth_ref", pm.math.exp(log_g))
    s = _rate_at_one(log_g, B, log_y_ref, pm.math)
    pm.Deterministic("t_singularity", T_REF + singularity_time(log_y_ref, s, B))
    pm.StudentT(
        "log_y",
        nu=params["nu"],
        mu=log_output(data["tau"], log_y_ref, s, B),
        sigma=params["sigma"],
        observed=data["log_y"],
        dims="obs",
    )


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    B = draws(idata, "B")
    lines = [f"B: {interval(B)}"]
    if np.ptp(B) > 0:
        lines.append(f"P(B > 0) = {np.mean(B > 0):.3f}")
        t = draws(idata, "t_singularity")
        if np.isfinite(t).any():
            lines.append(f"singularity year (where B > 0): {interval(t[np.isfinite(t)], '', 6)}")
    return lines


GWP_HYPERBOLIC = FitSpec(
    name="gwp_hyperbolic",
    title="Gross world product (Roodman 2020) under dY/dt = s Y^(1+B)",
    dataset="roodman_gwp",
    roles=(
        Role("year", "year", "number", "year (negative: BCE)", varies=3),
        Role("gwp", "gwp", "positive", "gross world product [billion 1990 int. $]", varies=2),
    ),
    priors=(
        Prior(
            "log_y_ref",
            Distribution("normal", mu=math.log(5000), sigma=2.0),
            "ln GWP in 1950, billion 1990 $ (ln 5000; ~100-250,000)",
        ),
        Prior(
            "log_growth_ref",
            Distribution("normal", mu=math.log(0.02), sigma=1.0),
            "ln of the growth rate in 1950 (ln 0.02): ~0.3%-13%/yr (94%)",
        ),
        Prior(
            "B",
            Distribution("normal", mu=0.0, sigma=1.0),
            "agnostic: exponential (0), hyperbolic (> 0) or slowing",
        ),
        Prior("sigma", Distribution("halfnormal", sigma=0.5), "scatter of ln GWP around the trend"),
        Prior("nu", Distribution("gamma", alpha=2.0, beta=0.1), "Student-t degrees of freedom"),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("B", "t_singularity", "growth_ref", "log_y_ref", "sigma", "nu"),
    nested={"B": 0.0},
    options=("since", "until"),
    target_accept=0.95,  # heavy tails (small nu) with few early points: smaller steps,
    tune=2000,  # and a longer adaptation
    family=FamilyLink(
        family="hyperbolic_growth",
        parameters={
            "s": Export(
                "1/yr at Y = 1 billion 1990 $",
                "growth rate at Y = 1: s = g Y_ref^-B",
                lambda d: _rate_at_one(np.log(d["growth_ref"]), d["B"], d["log_y_ref"]),
                ("growth_ref", "B", "log_y_ref"),
            ),
            "B": Export("", "extra returns to scale", lambda d: d["B"], ("B",)),
        },
        initial={
            "Y": Export(
                "billion 1990 int. $",
                "GWP in 1950",
                lambda d: np.exp(d["log_y_ref"]),
                ("log_y_ref",),
            )
        },
        start="t_ref",
    ),
    predictor=Predictor("tau", "year", "year", offset="t_ref"),
    response=Predictor("log_y", "gross world product", "billion 1990 int. $", exp=True),
    shipped=(Shipped("gwp_hyperbolic"), Shipped("gwp_hyperbolic_B0", {"B": 0.0})),
    likelihood_scale=lambda d, a: np.full(a["tau"].shape, d["sigma"]),
)

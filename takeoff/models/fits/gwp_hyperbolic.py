"""``gwp_hyperbolic``: Roodman's (2020) long-run gross world product under hyperbolic growth.

    dY/dt = s Y^(1+B)  written around the reference year t_ref:
    ln Y(t) = ln Y_ref + g τ φ(−B g τ),  g = s Y_ref^B (growth rate at t_ref),  τ = t − t_ref

B > 0 gives a singularity at t_singularity = t_ref + 1 / (B g); B = 0 is exponential growth
(the nested model for the LOO comparison). Deterministic trend with a Student-t likelihood on
ln Y: a simplification of Roodman's stochastic diffusion, which also models the year-to-year
noise; his series is a reconstruction, so the robust likelihood is deliberate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior, Role, require_rows

T_REF = 1950.0


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    if options.since is not None:
        frame = frame[frame["year"] >= options.since]
    require_rows(frame, 5, "gwp_hyperbolic")
    year = frame["year"].to_numpy(float)
    return Prepared(
        arrays={"tau": year - T_REF, "log_y": np.log(frame["gwp"].to_numpy(float))},
        observed="log_y",
        n=len(year),
        constants={"t_ref": T_REF},
    )


def _build(prepared: Prepared, fixed):
    import pymc as pm

    from takeoff.models.fits.ptmath import power_law_log_path
    from takeoff.models.fits.spec import free_or_fixed, observed_data

    a = prepared.arrays
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        tau = pm.Data("tau", a["tau"], dims="obs")
        log_y_ref = free_or_fixed("log_y_ref", fixed, lambda n: pm.Normal(n, math.log(5000), 2))
        log_g = free_or_fixed("log_growth_ref", fixed, lambda n: pm.Normal(n, math.log(0.02), 1))
        B = free_or_fixed("B", fixed, lambda n: pm.Normal(n, 0.0, 1.0))
        sigma = free_or_fixed("sigma", fixed, lambda n: pm.HalfNormal(n, 0.5))
        nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
        g = pm.Deterministic("growth_ref", pm.math.exp(log_g))
        pm.Deterministic(
            "t_singularity",
            pm.math.switch(B > 0, T_REF + 1.0 / (pm.math.maximum(B, 1e-12) * g), np.inf),
        )
        mu = power_law_log_path(tau, log_y_ref, g, B)
        pm.StudentT(
            "log_y", nu=nu, mu=mu, sigma=sigma, observed=observed_data(prepared), dims="obs"
        )
    return model


GWP_HYPERBOLIC = FitSpec(
    name="gwp_hyperbolic",
    title="Gross world product (Roodman 2020) under dY/dt = s Y^(1+B)",
    dataset="roodman_gwp",
    roles=(
        Role("year", "year", "number", "year (negative: BCE)"),
        Role("gwp", "gwp", "positive", "gross world product [billion 1990 int. $]"),
    ),
    priors=(
        Prior("log_y_ref", "Normal(ln 5000, 2)", "GWP in 1950, billion 1990 $ (~100-250,000)"),
        Prior("log_growth_ref", "Normal(ln 0.02, 1)", "growth rate in 1950: ~0.3%-13%/yr (94%)"),
        Prior("B", "Normal(0, 1)", "agnostic: exponential (0), hyperbolic (> 0) or slowing"),
        Prior("sigma", "HalfNormal(0.5)", "scatter of ln GWP around the trend"),
        Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom"),
    ),
    prepare=_prepare,
    build=_build,
    summary_vars=("B", "t_singularity", "growth_ref", "log_y_ref", "sigma", "nu"),
    nested={"B": 0.0},
    options=("since",),
    target_accept=0.95,  # heavy tails (small nu) with few early points: smaller steps,
    tune=2000,  # and a longer adaptation
)

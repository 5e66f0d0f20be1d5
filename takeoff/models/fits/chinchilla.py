"""``chinchilla``: the Chinchilla scaling law L(N, D) = E + A N^-alpha + B D^-beta.

Data: the 245 (N, C, loss) points Epoch AI reconstructed from Hoffmann et al. (2022), Fig. 4,
with D = C / (6N). The points are digitised, so the likelihood is robust: Student-t on ln L.
Covariates are centred (ln N, ln D around their means): each term is parametrised by its value
at the mean, ln(A N^-alpha) = a0 − alpha (ln N − mean ln N), which decorrelates A from alpha.

Derived: compute_exponent = alpha beta / (alpha + beta), the exponent with which reducible loss
falls with compute under compute-optimal allocation (L − E ∝ C^-compute_exponent), and
a = beta / (alpha + beta) and b = alpha / (alpha + beta), the exponents of the compute-optimal
allocation N_opt(C) = G (C/6)^a, D_opt(C) = G^-1 (C/6)^b with
G = (alpha A / (beta B))^(1 / (alpha + beta)) (Hoffmann et al. 2022, eq. 4).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared, Prior, Role, require_rows


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    require_rows(frame, 7, "chinchilla")
    log_n = np.log(frame["N"].to_numpy(float))
    log_d = np.log(frame["D"].to_numpy(float))
    mean_n, mean_d = float(np.mean(log_n)), float(np.mean(log_d))
    return Prepared(
        arrays={
            "log_n_c": log_n - mean_n,
            "log_d_c": log_d - mean_d,
            "log_loss": np.log(frame["loss"].to_numpy(float)),
        },
        observed="log_loss",
        n=len(frame),
        constants={"mean_log_n": mean_n, "mean_log_d": mean_d},
    )


def _build(prepared: Prepared, fixed):
    import pymc as pm

    from takeoff.models.fits.spec import free_or_fixed, observed_data

    a, c = prepared.arrays, prepared.constants
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        log_n_c = pm.Data("log_n_c", a["log_n_c"], dims="obs")
        log_d_c = pm.Data("log_d_c", a["log_d_c"], dims="obs")
        E = free_or_fixed("E", fixed, lambda n: pm.LogNormal(n, math.log(1.5), 0.5))
        alpha = free_or_fixed("alpha", fixed, lambda n: pm.LogNormal(n, math.log(0.3), 0.5))
        beta = free_or_fixed("beta", fixed, lambda n: pm.LogNormal(n, math.log(0.3), 0.5))
        a0 = free_or_fixed("log_term_n", fixed, lambda n: pm.Normal(n, math.log(0.3), 1.5))
        b0 = free_or_fixed("log_term_d", fixed, lambda n: pm.Normal(n, math.log(0.3), 1.5))
        sigma = free_or_fixed("sigma", fixed, lambda n: pm.HalfNormal(n, 0.05))
        nu = free_or_fixed("nu", fixed, lambda n: pm.Gamma(n, 2.0, 0.1))
        A = pm.Deterministic("A", pm.math.exp(a0 + alpha * c["mean_log_n"]))
        B = pm.Deterministic("B", pm.math.exp(b0 + beta * c["mean_log_d"]))
        pm.Deterministic("a", beta / (alpha + beta))
        pm.Deterministic("b", alpha / (alpha + beta))
        pm.Deterministic("G", (alpha * A / (beta * B)) ** (1.0 / (alpha + beta)))
        # with compute-optimal allocation both terms fall as C^-(alpha beta / (alpha + beta)):
        # the returns exponent of reducible loss to compute
        pm.Deterministic("compute_exponent", alpha * beta / (alpha + beta))
        loss = E + pm.math.exp(a0 - alpha * log_n_c) + pm.math.exp(b0 - beta * log_d_c)
        pm.StudentT(
            "log_loss",
            nu=nu,
            mu=pm.math.log(loss),
            sigma=sigma,
            observed=observed_data(prepared),
            dims="obs",
        )
    return model


def compute_optimal(posterior, compute: np.ndarray) -> dict[str, np.ndarray]:
    """Posterior draws of N_opt(C) and D_opt(C) for training compute ``compute`` [FLOP]:
    arrays of shape (draws, len(compute))."""
    G = posterior["G"].values.reshape(-1, 1)
    a = posterior["a"].values.reshape(-1, 1)
    b = posterior["b"].values.reshape(-1, 1)
    c6 = np.asarray(compute, dtype=float).reshape(1, -1) / 6.0
    return {"N_opt": G * c6**a, "D_opt": c6**b / G}


CHINCHILLA = FitSpec(
    name="chinchilla",
    title="Chinchilla scaling law L(N, D) = E + A N^-alpha + B D^-beta",
    dataset="chinchilla",
    roles=(
        Role("N", "N", "positive", "model parameters"),
        Role("D", "D", "positive", "training tokens"),
        Role("loss", "loss", "positive", "final training loss [nats/token]"),
    ),
    priors=(
        Prior("E", "LogNormal(ln 1.5, 0.5)", "irreducible loss of text, ~0.6-4 nats (94%)"),
        Prior("alpha", "LogNormal(ln 0.3, 0.5)", "parameter exponent, ~0.1-0.8 (94%)"),
        Prior("beta", "LogNormal(ln 0.3, 0.5)", "data exponent, ~0.1-0.8 (94%)"),
        Prior("log_term_n", "Normal(ln 0.3, 1.5)", "ln of A N^-alpha at the mean ln N"),
        Prior("log_term_d", "Normal(ln 0.3, 1.5)", "ln of B D^-beta at the mean ln D"),
        Prior("sigma", "HalfNormal(0.05)", "scatter of ln loss (digitisation ~1%)"),
        Prior("nu", "Gamma(2, 0.1)", "Student-t degrees of freedom: robust to outliers"),
    ),
    prepare=_prepare,
    build=_build,
    summary_vars=("E", "A", "B", "alpha", "beta", "a", "compute_exponent", "sigma", "nu"),
)

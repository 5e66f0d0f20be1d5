"""``chinchilla``: the Chinchilla scaling law L(N, D) = E + A N^-alpha + B D^-beta.

Data: the 245 (N, C, loss) points Epoch AI reconstructed from Hoffmann et al. (2022), Fig. 4,
with D = C / (6N). The points are digitised, so the likelihood is robust: Student-t on ln L.
Covariates are centred (ln N, ln D around their means): each term is parametrised by its value
at the mean, ln(A N^-alpha) = a0 − alpha (ln N − mean ln N), which decorrelates A from alpha.

The law and its compute-optimal allocation are written once in :mod:`takeoff.models.scaling`.
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

from takeoff.models import scaling
from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import (
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Role,
    Shipped,
    require_rows,
)
from takeoff.models.fits.priors import Prior


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


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm

    E, alpha, beta = params["E"], params["alpha"], params["beta"]
    a0, b0 = params["log_term_n"], params["log_term_d"]
    A = pm.Deterministic("A", scaling.coefficient(a0, alpha, data["mean_log_n"]))
    B = pm.Deterministic("B", scaling.coefficient(b0, beta, data["mean_log_d"]))
    a, b = scaling.allocation_exponents(alpha, beta)
    pm.Deterministic("a", a)
    pm.Deterministic("b", b)
    pm.Deterministic("G", scaling.allocation_constant(A, B, alpha, beta))
    # with compute-optimal allocation both terms fall as C^-(alpha beta / (alpha + beta)):
    # the returns exponent of reducible loss to compute
    pm.Deterministic("compute_exponent", scaling.compute_exponent(alpha, beta))
    loss = scaling.loss_centred(data["log_n_c"], data["log_d_c"], E, a0, b0, alpha, beta)
    pm.StudentT(
        "log_loss",
        nu=params["nu"],
        mu=pm.math.log(loss),
        sigma=params["sigma"],
        observed=data["log_loss"],
        dims="obs",
    )


def compute_optimal(posterior, compute: np.ndarray) -> dict[str, np.ndarray]:
    """Posterior draws of N_opt(C) and D_opt(C) for training compute ``compute`` [FLOP]:
    arrays of shape (draws, len(compute))."""
    G, a, b = (posterior[k].values.reshape(-1, 1) for k in ("G", "a", "b"))
    n_opt, d_opt = scaling.compute_optimal(np.asarray(compute, float).reshape(1, -1), G, a, b)
    return {"N_opt": n_opt, "D_opt": d_opt}


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    lines = [f"{v}: {interval(draws(idata, v))}" for v in ("E", "alpha", "beta", "a")]
    for c in (5.76e23, 1e25):
        opt = compute_optimal(idata.posterior, np.array([c]))
        n, d = opt["N_opt"][:, 0], opt["D_opt"][:, 0]
        lines.append(
            f"compute-optimal at C = {c:.3g} FLOP: N = {interval(n, '', 3)}, "
            f"D = {interval(d, '', 3)}, D/N = {interval(d / n, '', 3)}"
        )
    return lines


CHINCHILLA = FitSpec(
    name="chinchilla",
    title="Chinchilla scaling law L(N, D) = E + A N^-alpha + B D^-beta",
    dataset="chinchilla",
    roles=(
        Role("N", "N", "positive", "model parameters", varies=3),
        Role("D", "D", "positive", "training tokens", varies=3),
        Role("loss", "loss", "positive", "final training loss [nats/token]", varies=2),
    ),
    priors=(
        Prior(
            "E",
            Distribution("lognormal", mu=math.log(1.5), sigma=0.5),
            "irreducible loss of text (median 1.5), ~0.6-4 nats (94%)",
        ),
        Prior(
            "alpha",
            Distribution("lognormal", mu=math.log(0.3), sigma=0.5),
            "parameter exponent (median 0.3), ~0.1-0.8 (94%)",
        ),
        Prior(
            "beta",
            Distribution("lognormal", mu=math.log(0.3), sigma=0.5),
            "data exponent (median 0.3), ~0.1-0.8 (94%)",
        ),
        Prior(
            "log_term_n",
            Distribution("normal", mu=math.log(0.3), sigma=1.5),
            "ln of A N^-alpha at the mean ln N",
        ),
        Prior(
            "log_term_d",
            Distribution("normal", mu=math.log(0.3), sigma=1.5),
            "ln of B D^-beta at the mean ln D",
        ),
        Prior(
            "sigma",
            Distribution("halfnormal", sigma=0.05),
            "scatter of ln loss (digitisation ~1%)",
        ),
        Prior(
            "nu",
            Distribution("gamma", alpha=2.0, beta=0.1),
            "Student-t degrees of freedom: robust to outliers",
        ),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("E", "A", "B", "alpha", "beta", "a", "compute_exponent", "sigma", "nu"),
    predictor=Predictor("log_n_c", "model parameters", "parameters", offset="mean_log_n", exp=True),
    response=Predictor("log_loss", "final training loss", "nats per token", exp=True),
    shipped=(Shipped("chinchilla"),),
)

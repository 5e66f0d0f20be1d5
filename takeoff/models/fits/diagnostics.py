"""Convergence diagnostics and posterior predictive checks for every fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

RHAT_MAX = 1.01
ESS_MIN_PER_CHAIN = 100  # Vehtari et al. (2021): bulk and tail ESS >= 100 per chain


@dataclass(frozen=True)
class Diagnostics:
    table: pd.DataFrame  # per variable: mean, sd, hdi, r_hat, ess_bulk, ess_tail
    divergences: int
    draws: int
    chains: int
    ppc_coverage: float | None  # share of observations inside the 94% predictive interval
    problems: tuple[str, ...]

    @property
    def converged(self) -> bool:
        return not self.problems


def diagnose(idata, var_names) -> Diagnostics:
    """R-hat, bulk/tail ESS and divergences on ``var_names``; coverage of the observations by
    the central 94% posterior predictive interval when the fit has a posterior predictive."""
    import arviz as az

    post = idata.posterior
    names = [
        v
        for v in var_names
        if v in post and np.isfinite(post[v].values).all() and np.ptp(post[v].values) > 0
    ]
    numba, az.Numba.numba_flag = az.Numba.numba_flag, False  # numpy's variance: the same
    try:  # numbers without ArviZ jit-compiling a numba kernel in every process (~0.3-0.6 s)
        table = az.summary(idata, var_names=names, hdi_prob=0.94, round_to="none")
    finally:
        az.Numba.numba_flag = numba
    chains, draws = post.sizes["chain"], post.sizes["draw"]
    divergences = int(idata.sample_stats["diverging"].sum()) if "sample_stats" in idata else 0
    problems = []
    worst_rhat = float(table["r_hat"].max())
    if chains > 1 and worst_rhat > RHAT_MAX:
        problems.append(f"R-hat {worst_rhat:.3f} > {RHAT_MAX} ({table['r_hat'].idxmax()})")
    ess_min = ESS_MIN_PER_CHAIN * chains
    for col in ("ess_bulk", "ess_tail"):
        low = float(table[col].min())
        if low < ess_min:
            problems.append(f"{col} {low:.0f} < {ess_min} ({table[col].idxmin()})")
    if divergences:
        problems.append(f"{divergences} divergent transitions")
    return Diagnostics(table, divergences, draws, chains, _ppc_coverage(idata), tuple(problems))


def _ppc_coverage(idata) -> float | None:
    if "posterior_predictive" not in idata.groups():
        return None
    name = next(iter(idata.observed_data.data_vars))
    pred = idata.posterior_predictive[name].stack(sample=("chain", "draw")).values
    observed = idata.observed_data[name].values
    lo, hi = np.quantile(pred, [0.03, 0.97], axis=-1)
    return float(np.mean((observed >= lo) & (observed <= hi)))


def format_diagnostics(d: Diagnostics) -> str:
    cols = ["mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"]
    lines = [d.table[cols].to_string(float_format=lambda x: f"{x:.4g}")]
    lines.append(f"divergences: {d.divergences} of {d.draws * d.chains} draws")
    if d.ppc_coverage is not None:
        lines.append(
            f"posterior predictive check: {d.ppc_coverage:.0%} of observations inside "
            "the 94% predictive interval (about 94% expected)"
        )
    if d.converged:
        lines.append(
            f"converged: R-hat <= {RHAT_MAX}, ESS >= {ESS_MIN_PER_CHAIN * d.chains}, no divergences"
        )
    else:
        lines.append(
            "NOT CONVERGED: "
            + "; ".join(d.problems)
            + " -- do not trust this posterior; run more --tune/--draws"
        )
    return "\n".join(lines)

"""Calibration of the fitters by simulation.

- ``recover``: simulate one data set from known parameter values (on the real covariates),
  fit it, and report whether each truth lies in the posterior's central interval.
- ``sbc``: simulation-based calibration (Talts et al. 2018): draw truths from the prior,
  simulate data, fit, and rank each truth among posterior draws; ranks of a calibrated fitter
  are uniform, checked with a chi-square test per parameter. The model is compiled once with
  nutpie and re-run on each simulated data set.

Run on demand:  takeoff calibrate FIT [--sims 100] [--draws 400]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from takeoff.models.fits.fitspec import FitOptions, FitSpec, Prepared
from takeoff.models.fits.registry import get_fit


def with_observed(prepared: Prepared, values: np.ndarray) -> Prepared:
    arrays = dict(prepared.arrays)
    arrays[prepared.observed] = np.asarray(values, dtype=float)
    return dataclasses.replace(prepared, arrays=arrays)


def simulate(spec: FitSpec, prepared: Prepared, truth: Mapping[str, float], seed: int):
    """Observations drawn from the model with its free parameters set to ``truth``."""
    import pymc as pm

    model = spec.build(prepared, {})
    missing = set(free_names(model)) - set(truth)
    if missing:
        raise ValueError(f"truth lacks {sorted(missing)}")
    intervened = pm.do(model, {name: np.asarray(v, float) for name, v in truth.items()})
    return pm.draw(intervened[prepared.observed], random_seed=seed)


@dataclass(frozen=True)
class Recovery:
    table: pd.DataFrame  # per parameter: truth, posterior median, interval, inside

    @property
    def all_inside(self) -> bool:
        return bool(self.table["inside"].all())


def recover(
    spec: FitSpec | str,
    prepared: Prepared,
    truth: Mapping[str, float],
    *,
    seed: int = 1,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    prob: float = 0.99,
) -> Recovery:
    """Simulate from ``truth``, fit, and check each truth against the central ``prob`` interval."""
    from takeoff.models.fits.fitting import sample

    spec = get_fit(spec)
    data = with_observed(prepared, simulate(spec, prepared, truth, seed))
    idata = sample(
        spec,
        data,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        progress=False,
        posterior_predictive=False,
    )
    rows = []
    for name, value in truth.items():
        for label, post, true in _elements(idata.posterior[name], name, value):
            lo, med, hi = np.quantile(post, [(1 - prob) / 2, 0.5, (1 + prob) / 2])
            rows.append(
                {
                    "parameter": label,
                    "truth": true,
                    "median": med,
                    "low": lo,
                    "high": hi,
                    "inside": bool(lo <= true <= hi),
                }
            )
    return Recovery(pd.DataFrame(rows).set_index("parameter"))


def _elements(variable, name: str, truth):
    """(label, flattened posterior draws, truth) per element of a parameter: one for a
    scalar, one per level for a vector parameter (labelled name[level])."""
    truth = np.asarray(truth, float)
    dims = [d for d in variable.dims if d not in ("chain", "draw")]
    if not dims:
        return [(name, variable.values.reshape(-1), float(truth))]
    (dim,) = dims
    levels = [str(v) for v in variable[dim].values]
    truth = np.broadcast_to(truth, (len(levels),))
    return [
        (f"{name}[{lv}]", variable.isel({dim: i}).values.reshape(-1), float(truth[i]))
        for i, lv in enumerate(levels)
    ]


@dataclass(frozen=True)
class SBCResult:
    ranks: pd.DataFrame  # one row per simulation, one column per parameter; ranks in 0..L
    n_ranks: int  # L + 1 possible ranks
    p_values: pd.Series  # chi-square uniformity test per parameter

    def format(self) -> str:
        lines = [f"{len(self.ranks)} simulations, ranks 0..{self.n_ranks - 1}"]
        for name, p in self.p_values.items():
            flag = "" if p > 0.01 else "  <- not uniform (p < 0.01): miscalibrated"
            lines.append(f"  {name:>20}: chi-square uniformity p = {p:.3f}{flag}")
        return "\n".join(lines)


def sbc(
    spec: FitSpec | str,
    prepared: Prepared,
    *,
    sims: int = 100,
    draws: int = 400,
    tune: int = 400,
    thin_to: int = 99,
    bins: int = 10,
    seed: int = 0,
    progress: bool = True,
) -> SBCResult:
    """Simulation-based calibration on the covariates of ``prepared``."""
    import nutpie
    import pymc as pm
    from scipy import stats

    from takeoff.models.fits.building import observed_name

    spec = get_fit(spec)
    model = spec.build(prepared, {})
    with model:
        prior = pm.sample_prior_predictive(draws=sims, random_seed=seed)
    compiled = nutpie.compile_pymc_model(model)
    data_name = observed_name(prepared)
    ranks = []
    for i in range(sims):
        obs = prior.prior_predictive[prepared.observed].values[0, i]
        run = nutpie.sample(
            compiled.with_data(**{data_name: obs}),
            draws=draws,
            tune=tune,
            chains=2,
            seed=seed + 1 + i,
            progress_bar=False,
        )
        row = {}
        for name in free_names(model):
            truth = prior.prior[name].values[0, i]
            for label, post, true in _elements(run.posterior[name], name, truth):
                post = post[np.linspace(0, post.size - 1, thin_to).astype(int)]
                row[label] = int(np.sum(post < true))
        ranks.append(row)
        if progress:
            print(f"  simulation {i + 1}/{sims}", end="\r", flush=True)
    table = pd.DataFrame(ranks)
    edges = np.linspace(0, thin_to + 1, bins + 1)
    p_values = pd.Series(
        {
            name: stats.chisquare(np.histogram(table[name], bins=edges)[0]).pvalue
            for name in table.columns
        }
    )
    return SBCResult(table, thin_to + 1, p_values)


def free_names(model) -> list[str]:
    """The model's sampled variables: its priors, and any a fit's likelihood samples in their
    place (research_loop's log_D for g_S)."""
    return [v.name for v in model.free_RVs]


def bundled_prepared(spec: FitSpec | str, options: FitOptions | None = None) -> Prepared:
    from takeoff.models.fits.tables import bundled_table, prepare

    spec = get_fit(spec)
    frame, _ = bundled_table(spec)
    return prepare(spec, frame, options or FitOptions())

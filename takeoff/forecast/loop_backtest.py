"""The loop (``takeoff_from_data``) as it would have run at a backtest origin, and the
language-model link's predictive at held-out rows; used by the track record
(``takeoff.forecast.track_record``, ``takeoff backtest takeoff_from_data --origin ...``).

- ``at_origin``: the scenario started at the origin with its posterior sources pointed at the
  links refitted on the data before it (``REFITTED``: ``compute_trend``,
  ``algorithmic_progress``, ``software_returns_lm``, ``effective_readout``; ``chinchilla`` is
  undated, a cross-section of training runs, and stays as shipped), its labelled priors
  unchanged.
- ``lm_predictive_parts`` / ``lm_holdout_predictive``: an ``algorithmic_progress`` fit's
  predictive of ln perplexity at held-out language-model rows (the loop's algorithmic link is
  that fit).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import FromPosterior

REFITTED = ("compute_trend", "algorithmic_progress", "software_returns_lm", "effective_readout")
KEPT = ("chinchilla",)  # undated: kept as shipped


def _pointed(src, files: dict[str, Path], origin: float):
    """A posterior source pointed at the refitted file, its date (``name@date``) at the origin."""
    from takeoff.models.fits.exports import AT, at_date

    if not isinstance(src, FromPosterior) or src.source not in files:
        return src
    variable = src.variable
    if AT in variable:
        variable = at_date(variable.split(AT)[0], origin)
    return dataclasses.replace(src, source=str(files[src.source]), variable=variable)


def at_origin(scenario: Scenario, files: dict[str, Path], origin: float) -> Scenario:
    """The scenario started at ``origin`` with its posterior sources read from ``files``."""

    def point(sources):
        return {k: _pointed(v, files, origin) for k, v in sources.items()}

    years = scenario.years + (scenario.start - origin)
    cf = scenario.counterfactual
    return dataclasses.replace(
        scenario,
        start=origin,
        years=years,
        points=round(years * 24) + 1,
        parameters=point(scenario.parameters),
        initial=point(scenario.initial),
        switch_parameters=point(scenario.switch_parameters),
        counterfactual=None
        if cf is None
        else dataclasses.replace(cf, parameters=point(cf.parameters)),
        fit=None,
        check_data=False,
        prior_range=False,
    )


def lm_holdout_predictive(idata, origin: float, seed: int = 0):
    """(dates, observed ln perplexity, posterior predictive samples x rows) of the bundled LM
    rows dated at or after ``origin`` under an ``algorithmic_progress`` fit (N, D form) on the
    rows before it (see ``lm_predictive_parts``). ``idata``: the fit (InferenceData or its
    posterior). None when no row is held out."""
    from takeoff.models.fits import get_fit
    from takeoff.models.fits.tables import load_table

    post = idata.posterior if hasattr(idata, "posterior") else idata
    frame = load_table(get_fit("algorithmic_progress"), None).frame
    levels = [str(b) for b in post["benchmark"].values]
    test = frame[(frame["date"] >= origin) & frame["benchmark"].isin(levels)]
    if test.empty:
        return None
    mu, sigma, nu = lm_predictive_parts(post, test)
    rng = np.random.default_rng(seed)
    noise = rng.standard_t(nu, size=mu.shape) * sigma
    observed = np.log(test["perplexity"].to_numpy(float))
    return test["date"].to_numpy(float), observed, mu + noise


def lm_predictive_parts(idata, rows: pd.DataFrame):
    """The predictive of an ``algorithmic_progress`` fit (N, D form) at LM ``rows`` (columns
    date, parameters, data, epochs, benchmark) as (location (draws, rows), scale (draws, 1),
    df (draws, 1)) on ln perplexity: the covariates centred and dated with the fit's OWN
    means and t_ref, the benchmarks coded by its levels, its law (``scaling.loss_centred``
    with each term declining at c = exponent x rate a year) and its Student-t noise."""
    from takeoff.models import scaling

    post = idata.posterior if hasattr(idata, "posterior") else idata
    # the fit's own centring, reference date and benchmark levels, as saved with it
    c = {k: float(post.attrs[f"const_{k}"]) for k in ("mean_log_n", "mean_log_d", "t_ref")}
    levels = [str(b) for b in post["benchmark"].values]
    unknown = sorted(set(rows["benchmark"]) - set(levels))
    if unknown:
        raise RuntimeError(f"the algorithmic_progress fit has no level for {unknown[0]}")

    def draws(name):
        v = post[name].values
        return v.reshape(-1, *v.shape[2:])

    code = np.array([levels.index(b) for b in rows["benchmark"]])
    n = np.log(rows["parameters"].to_numpy(float)) - c["mean_log_n"]
    d = np.log(rows["data"].to_numpy(float) * rows["epochs"].to_numpy(float)) - c["mean_log_d"]
    tau = rows["date"].to_numpy(float) - c["t_ref"]
    alpha, beta = draws("alpha")[:, None], draws("beta")[:, None]
    mu = scaling.loss_centred(
        n[None, :],
        d[None, :],
        0.0,
        draws("log_term_n")[:, code] - draws("c_N")[:, None] * tau,
        draws("log_term_d")[:, code] - draws("c_D")[:, None] * tau,
        alpha,
        beta,
    )
    return mu, draws("sigma")[:, None], draws("nu")[:, None]

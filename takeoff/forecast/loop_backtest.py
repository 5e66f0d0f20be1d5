"""Backtest of the closed loop (``takeoff_from_data``): refit every dated link on the data up to
an origin, run the loop forward from there, and score it on what happened after.

For each origin Y:

1. the dated upstream links are refitted with ``until = Y`` (only rows dated before Y):
   ``compute_trend``, ``algorithmic_progress``, ``software_returns_lm`` and, on those,
   ``effective_readout`` (METR horizons read out from effective compute). ``chinchilla`` is
   undated (a cross-section of training runs, not a series) and stays as shipped.
2. the scenario runs from Y with its posterior sources pointed at the refitted posteriors (its
   labelled priors unchanged): the milestone forecast the model would have made at Y.
3. it is scored on the observations dated at or after Y, each against the loop's predictive
   distribution at its date (the draw's trajectory plus the fit's own observation noise): the
   METR horizons (ln minutes), the frontier training compute (log10 FLOP, physical compute
   C0 e^(g_C t) of the loop) and the language-model perplexities (the refitted
   ``algorithmic_progress``'s posterior predictive at the held-out rows, ln perplexity; the
   loop's algorithmic link is that fit). Coverage of the central 50% and 90% intervals and the
   median error (prediction − observation) per series.

Run on demand (it fits 4 models per origin):
    takeoff backtest takeoff_from_data --origin 2022 --origin 2023.5
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff import formatting
from takeoff.errors import TakeoffError
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import FromPosterior

REFITTED = ("compute_trend", "algorithmic_progress", "software_returns_lm", "effective_readout")
KEPT = ("chinchilla",)  # undated: kept as shipped
SERIES = ("METR horizon", "training compute", "LM perplexity")
POINT_COLUMNS = ("origin", "series", "date", "observed", "median", "lo50", "hi50", "lo90",
                 "hi90", "in50", "in90", "error")  # fmt: skip


@dataclass(frozen=True)
class LoopBacktest:
    """Scores per held-out observation (``points``, on each series' log scale: ln minutes,
    log10 FLOP, ln perplexity), per origin and series (``summary``), the milestone forecasts
    made at each origin (``milestones``: origin, milestone, p_reached, median, lo90, hi90) and
    the fits' convergence problems."""

    scenario: str
    points: pd.DataFrame
    summary: pd.DataFrame
    milestones: pd.DataFrame
    problems: tuple[tuple[float, str], ...] = ()

    def format(self) -> str:
        lines = [
            f"Backtest of {self.scenario}: links refitted on data before each origin "
            f"({', '.join(REFITTED)}; {', '.join(KEPT)} undated, kept), the loop run forward "
            "and scored on what happened after",
            "",
            "Held-out observations (coverage of the central predictive intervals; error = "
            "median prediction - observation on the series' log scale):",
        ]
        table = self.summary.copy()
        for c in ("coverage50", "coverage90"):
            table[c] = table[c].map(lambda v: "" if pd.isna(v) else f"{v:.0%}")
        table["median_error"] = table["median_error"].map(
            lambda v: "" if pd.isna(v) else f"{v:+.2f}"
        )
        lines.append(table.to_string(index=False))
        lines += ["", "The milestone forecast made at each origin:"]
        m = self.milestones.copy()
        for c in ("median", "lo90", "hi90"):
            m[c] = m[c].map(lambda v: formatting.date(float(v)))
        m["p_reached"] = m["p_reached"].map(lambda v: f"{v:.2f}")
        lines.append(m.to_string(index=False))
        if self.problems:
            lines.append("")
            lines += [f"origin {o:g}: {p}" for o, p in self.problems]
        return "\n".join(lines)


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


def _score(origin, series, dates, observed_log, predicted) -> pd.DataFrame:
    q = np.quantile(predicted, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return pd.DataFrame(
        {
            "origin": origin,
            "series": series,
            "date": dates,
            "observed": observed_log,
            "median": q[2],
            "lo50": q[1],
            "hi50": q[3],
            "lo90": q[0],
            "hi90": q[4],
            "in50": (q[1] <= observed_log) & (observed_log <= q[3]),
            "in90": (q[0] <= observed_log) & (observed_log <= q[4]),
            "error": q[2] - observed_log,
        }
    )


def _noise(idata, rng, n):
    post = idata.posterior
    scatter = post["scatter" if "scatter" in post else "sigma"].values.reshape(-1)
    nu = post["nu"].values.reshape(-1)
    pick = rng.integers(0, scatter.size, n)
    return scatter[pick, None], nu[pick, None]


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


def loop_backtest(
    scenario: str | Scenario,
    origins: Sequence[float],
    *,
    draws: int = 500,
    tune: int | None = None,
    chains: int = 2,
    forecast_draws: int = 2000,
    seed: int = 0,
    say: Callable[[str], None] = lambda s: None,
) -> LoopBacktest:
    """Refit, run and score the loop at each origin (see the module docstring). ``tune``:
    tuning steps per chain of every refit (default: each fit's own)."""
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.forecast.monte_carlo import forecast
    from takeoff.models.fits import FitOptions, diagnose, fit, get_fit, save_fit
    from takeoff.models.fits.predictive import fit_data_file

    scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if scenario.family != "research_loop":
        raise TakeoffError(
            f"{scenario.name} is a {scenario.family} scenario; the loop backtest runs "
            "research_loop scenarios (e.g. takeoff_from_data)"
        )
    origins = sorted(float(o) for o in origins)
    if not origins:
        raise TakeoffError("give at least one --origin")
    metr = fit_data_file(posteriors_dir() / "effective_readout.nc")
    if origins[0] <= float(metr.x.min()) or origins[-1] >= float(metr.x.max()):
        raise TakeoffError(
            f"origins must lie inside the METR data ({metr.x.min():.2f} to {metr.x.max():.2f}) "
            "so that there is data to fit before and to score after"
        )
    rng = np.random.default_rng(seed)
    points, milestones, problems = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i, origin in enumerate(origins):
            fitted = {}
            for name in REFITTED:
                say(f"origin {origin:g}: fitting {name} on data before {origin:g} ...")
                spec = get_fit(name)
                idata = fit(
                    spec,
                    options=FitOptions(until=origin),
                    upstream={u: fitted[u] for u in spec.upstream if u in fitted},
                    draws=draws,
                    tune=tune,
                    chains=chains,
                    seed=seed + i,
                    progress=False,
                    posterior_predictive=False,  # scored on its own predictions below
                    log_likelihood=False,
                )
                problems += [
                    (origin, f"{name}: {p}") for p in diagnose(idata, spec.summary_vars).problems
                ]
                fitted[name] = idata
            files = {n: save_fit(fitted[n], Path(tmp) / f"{n}_{i}.nc") for n in REFITTED}
            moved = at_origin(scenario, files, origin)
            say(f"origin {origin:g}: running {scenario.name} from {origin:g} ...")
            run = forecast(moved, draws=forecast_draws, seed=seed, keep_draws=True)
            summary, per_draw = run.summary, run.draws
            for m in summary["milestone"].values:
                q = summary["milestone_date"].sel(milestone=m)
                milestones.append(
                    {
                        "origin": origin,
                        "milestone": str(m),
                        "p_reached": float(summary["p_reached"].sel(milestone=m)),
                        "median": float(q.sel(quantile=0.5)),
                        "lo90": float(q.sel(quantile=0.05)),
                        "hi90": float(q.sel(quantile=0.95)),
                    }
                )
            t = per_draw["time"].values
            n = per_draw.sizes["draw"]
            # METR horizons after the origin (the data the read-out is fitted to)
            later = metr.x >= origin
            log_h = np.log(per_draw[scenario.watch].values)
            at = np.stack([np.interp(metr.x[later], t, row) for row in log_h])
            scatter, nu = _noise(fitted["effective_readout"], rng, n)
            pred = at + scatter * rng.standard_t(nu, size=at.shape)
            points.append(
                _score(origin, SERIES[0], metr.x[later], np.log(metr.observed[later]), pred)
            )
            # frontier training compute: the loop's physical compute C0 e^(g_C (t - origin))
            compute = fit_data_file(posteriors_dir() / "compute_trend.nc")
            later = compute.x >= origin
            if later.any():
                tau = compute.x[later] - origin
                log10_c = np.log10(per_draw["C0"].values)[:, None] + per_draw["g_C"].values[
                    :, None
                ] * tau[None, :] / math.log(10.0)
                scatter, nu = _noise(fitted["compute_trend"], rng, n)
                pred = log10_c + scatter * rng.standard_t(nu, size=log10_c.shape)
                obs = np.log10(compute.observed[later])
                points.append(_score(origin, SERIES[1], compute.x[later], obs, pred))
            # language-model perplexities after the origin (the algorithmic link's fit)
            held = lm_holdout_predictive(fitted["algorithmic_progress"], origin, seed=seed + i)
            if held is not None:
                dates, observed, predictive = held
                points.append(_score(origin, SERIES[2], dates, observed, predictive))
    table = pd.concat(points, ignore_index=True)
    rows = []
    for (origin, series), g in table.groupby(["origin", "series"], sort=False):
        rows.append(
            {
                "origin": origin,
                "series": series,
                "n_held_out": len(g),
                "coverage50": g["in50"].mean(),
                "coverage90": g["in90"].mean(),
                "median_error": g["error"].median(),
            }
        )
    return LoopBacktest(
        scenario.name, table, pd.DataFrame(rows), pd.DataFrame(milestones), tuple(problems)
    )

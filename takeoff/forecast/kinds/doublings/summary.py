"""The doublings kind's reduction: blocks of runs to exact integer counts (``SieAccumulator``:
chunks and Dask workers add up identically), and the summary Dataset read off them (the (T, m)
probabilities with their Monte Carlo standard errors, P(some run of j doublings took < T
months) for every j, the doublings done, why the simulations stopped)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.forecast.kinds.doublings.simulation import SieBlock, metric_label, windows
from takeoff.forecast.reduction import (
    Counts,
    histogram_quantiles,
    integer_counts,
    standard_error,
)
from takeoff.forecast.scenario import Scenario
from takeoff.models.sie import (
    DOUBLINGS_PER_YEAR,
    SC,
    SIE_DOUBLINGS,
    STOP_REASONS,
    doublings_for,
)
from takeoff.units import QUANTILES

RUN_BINS = 4096  # histogram bins of doublings (0 .. RUN_BINS - 1; the last bin holds more)


@dataclass
class SieAccumulator(Counts):
    """Exact counts of a doublings forecast's blocks (``merge``: field by field)."""

    n: int
    hits: np.ndarray  # (pairs,) draws with m years of progress within T months
    runs: np.ndarray  # (windows, RUN_BINS) counts of the most doublings within T months
    doublings: np.ndarray  # (RUN_BINS,) counts of doublings done
    stop: np.ndarray  # (len(STOP_REASONS),) counts

    @classmethod
    def empty(cls, scenario: Scenario) -> SieAccumulator:
        return cls(
            n=0,
            hits=np.zeros(len(scenario.metrics), np.int64),
            runs=np.zeros((len(windows(scenario)), RUN_BINS), np.int64),
            doublings=np.zeros(RUN_BINS, np.int64),
            stop=np.zeros(len(STOP_REASONS), np.int64),
        )

    def add(self, scenario: Scenario, block: SieBlock) -> None:
        self.n += block.steps.shape[0]
        self.hits += block.hits.sum(axis=0)
        for j in range(block.runs.shape[1]):
            self.runs[j] += integer_counts(block.runs[:, j], RUN_BINS)
        self.doublings += integer_counts(block.steps, RUN_BINS)
        self.stop += np.bincount(block.stop, minlength=len(STOP_REASONS))


def summarize_sie(scenario: Scenario, acc: SieAccumulator, seed: int, engine: str) -> xr.Dataset:
    """The forecast summary of an sie_doublings scenario (see the variables' long_name attrs)."""
    n = acc.n
    p = acc.hits / n
    months = [m for m, _ in scenario.metrics]
    years = [y for _, y in scenario.metrics]
    labels = [metric_label(m, y) for m, y in scenario.metrics]
    seen = max(int(np.flatnonzero(acc.runs.sum(axis=0))[-1]) if acc.runs.any() else 0, 1)
    exceed = acc.runs[:, ::-1].cumsum(axis=1)[:, ::-1][:, : seen + 1] / n  # P(run >= j)
    sources = "; ".join(
        f"{name} = {scenario.parameters[name].describe()}"
        if name in scenario.parameters
        else f"{name} = {SIE_DOUBLINGS.parameter(name).default:g} (default)"
        for name in SIE_DOUBLINGS.parameter_names
    )
    ds = xr.Dataset(
        {
            "p_years_within": (
                "metric",
                p,
                {
                    "long_name": "probability that some run of k consecutive software doublings "
                    "took less than T months (m years of progress within T months)"
                },
            ),
            "p_years_within_se": (
                "metric",
                standard_error(p, n),
                {"long_name": "Monte Carlo standard error sqrt(p (1 - p) / n)"},
            ),
            "hits": (
                "metric",
                acc.hits,
                {"long_name": "draws with m years of progress within T months (of n)"},
            ),
            "p_run_within": (
                ("window", "run"),
                exceed,
                {
                    "long_name": "P(some run of `run` consecutive doublings took less than "
                    "`window` months)"
                },
            ),
            "doublings_done": (
                "quantile",
                histogram_quantiles(acc.doublings, int(acc.doublings.sum())),
                {"long_name": "quantiles of the doublings done before the simulation stopped"},
            ),
            "stop_probability": (
                "stop_reason",
                acc.stop / n,
                {
                    "long_name": "why simulations stopped: the time limit, or the ceiling "
                    "(N = (4/sc) L doublings done, or r <= 0)"
                },
            ),
        },
        coords={
            "metric": labels,
            "months": ("metric", np.array(months), {"units": "months", "long_name": "T"}),
            "years": ("metric", np.array(years), {"units": "years of progress", "long_name": "m"}),
            "doublings": (
                "metric",
                np.array([doublings_for(m, y) for m, y in scenario.metrics]),
                {"long_name": "k = floor((T/12) 8 m) consecutive doublings"},
            ),
            "window": ("window", np.array(windows(scenario)), {"units": "months"}),
            "run": ("run", np.arange(seen + 1), {"long_name": "consecutive doublings"}),
            "run_years": (
                "run",
                np.arange(seen + 1) / DOUBLINGS_PER_YEAR,
                {"units": "years of progress", "long_name": "run / 8"},
            ),
            "quantile": list(QUANTILES),
            "stop_reason": list(STOP_REASONS),
        },
    )
    ds.attrs.update(
        scenario=scenario.name,
        title=scenario.title,
        kind="doublings",
        family=scenario.family,
        variant=scenario.variant,
        t_max_months=12.0 * scenario.years,
        sc=SC,
        doublings_per_year=DOUBLINGS_PER_YEAR,
        parameters=sources,
        draws=int(n),
        seed=int(seed),
        engine=engine,
        rationale=scenario.rationale,
        not_applicable="milestones, takeoff duration and classes, singularity: the recursion "
        "measures compressed progress and stops at its ceiling",
    )
    return ds

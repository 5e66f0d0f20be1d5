"""The trajectory kind's reduction: simulated blocks to a forecast summary without holding the
trajectories.

An ``Accumulator`` holds only fixed-size histograms and counts (``takeoff.forecast.
reduction``); accumulators of different chunks add exactly (integer counts), so the local and
the Dask engine produce identical summaries for the same seed, and memory does not grow with the
number of draws. Quantiles are read off the histograms: log10 bins of 0.01 (2.3%) for levels and
durations, daily bins for dates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.forecast.kinds.trajectory.measures import (
    CLASSES,
    Block,
    classify,
    measured,
    takeoff_duration,
)
from takeoff.forecast.provenance import source_lines
from takeoff.forecast.reduction import Counts, bin_rows, interpolated_quantiles
from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import BLOCK
from takeoff.models.registry import get_family
from takeoff.units import DAY, QUANTILES

LEVEL_STEP = 0.01  # log10 bins of the watched variable
DOUBLING_RANGE = (-5.0, 3.0)  # log10 years: ~5 minutes to 1000 years
DURATION_RANGE = (-6.0, 3.0)  # log10 years
LOG_STEP = 0.01
PULL_RANGE = (-100.0, 100.0)  # years a milestone comes earlier than in the counterfactual
PULL_STEP = 0.01


def level_edges(scenario: Scenario) -> np.ndarray:
    levels = np.log10([lvl for _, lvl in scenario.milestones])
    return np.arange(
        np.floor(levels.min()) - 8, np.ceil(levels.max()) + 8 + LEVEL_STEP / 2, LEVEL_STEP
    )


def date_edges(scenario: Scenario) -> np.ndarray:
    return scenario.start + np.arange(0.0, scenario.years + DAY, DAY)


def memory_bytes(scenario: Scenario) -> int:
    """About the bytes a forecast of ``scenario`` holds at once, computed without allocating:
    a block of draws on the time grid (each state and measured quantity, a few working arrays;
    twice with a counterfactual) and the accumulator's histograms (levels and doubling times
    per grid point, daily dates per milestone)."""
    family = get_family(scenario.family)
    runs = 2 if scenario.counterfactual is not None else 1
    quantities = len(family.state_names) + len(measured(scenario, family)) + 4
    block = BLOCK * scenario.points * quantities * runs
    levels = [math.log10(level) for _, level in scenario.milestones] or [0.0]
    level_bins = (math.ceil(max(levels)) - math.floor(min(levels)) + 16) / LEVEL_STEP
    log_bins = (DOUBLING_RANGE[1] - DOUBLING_RANGE[0]) / LOG_STEP
    dates = scenario.years / DAY + 3
    histograms = (
        scenario.points * (level_bins + log_bins) + (runs * len(scenario.milestones) + 1) * dates
    )
    return int(8 * (block + histograms))


def pull_edges() -> np.ndarray:
    return np.arange(PULL_RANGE[0], PULL_RANGE[1] + PULL_STEP / 2, PULL_STEP)


def pulled_forward(dates: np.ndarray, counterfactual: np.ndarray) -> np.ndarray:
    """Years each milestone comes earlier than in the counterfactual: +inf where only the
    scenario reaches it, -inf where only the counterfactual does, NaN where neither does."""
    with np.errstate(invalid="ignore"):
        out = counterfactual - dates
    both_missing = np.isinf(dates) & np.isinf(counterfactual)
    return np.where(both_missing, np.nan, out)


def log_edges(lo_hi: tuple[float, float]) -> np.ndarray:
    return np.arange(lo_hi[0], lo_hi[1] + LOG_STEP / 2, LOG_STEP)


@dataclass
class Accumulator(Counts):
    """Exact counts of a trajectory forecast's blocks (``merge``: field by field)."""

    n: int
    watch: np.ndarray  # (T, L+1) counts of log10 watch
    doubling: np.ndarray  # (T, D+1) counts of log10 doubling time (years); inf -> over
    milestones: np.ndarray  # (m, dates+1) counts of milestone dates; inf -> over
    duration: np.ndarray  # (K+1,) counts of log10 duration; inf -> over
    classes: np.ndarray  # (len(CLASSES),)
    singularity: np.ndarray  # (dates+1,)
    counterfactual: np.ndarray | None = None  # (m, dates+1) its milestone dates
    pulled: np.ndarray | None = None  # (m, pull bins+1) years pulled forward; inf/NaN -> over
    neither: np.ndarray | None = None  # (m,) draws where neither reaches the milestone
    counterfactual_classes: np.ndarray | None = None  # (len(CLASSES),) its takeoff classes

    @classmethod
    def empty(cls, scenario: Scenario) -> Accumulator:
        T = scenario.points
        m = len(scenario.milestones)
        dates = len(date_edges(scenario)) + 1
        cf = scenario.counterfactual is not None
        return cls(
            counterfactual=np.zeros((m, dates), np.int64) if cf else None,
            pulled=np.zeros((m, len(pull_edges()) + 1), np.int64) if cf else None,
            neither=np.zeros(m, np.int64) if cf else None,
            counterfactual_classes=np.zeros(len(CLASSES), np.int64) if cf else None,
            n=0,
            watch=np.zeros((T, len(level_edges(scenario)) + 1), np.int64),
            doubling=np.zeros((T, len(log_edges(DOUBLING_RANGE)) + 1), np.int64),
            milestones=np.zeros((m, dates), np.int64),
            duration=np.zeros(len(log_edges(DURATION_RANGE)) + 1, np.int64),
            classes=np.zeros(len(CLASSES), np.int64),
            singularity=np.zeros(dates, np.int64),
        )

    def add(self, scenario: Scenario, block: Block) -> None:
        self.n += block.watch.shape[0]
        with np.errstate(divide="ignore"):
            self.watch += bin_rows(np.log10(block.watch), level_edges(scenario))
            self.doubling += bin_rows(np.log10(block.doubling_time), log_edges(DOUBLING_RANGE))
            self.duration += bin_rows(np.log10(block.duration)[:, None], log_edges(DURATION_RANGE))[
                0
            ]
        dates = date_edges(scenario)
        self.milestones += bin_rows(block.milestone_dates, dates)
        self.singularity += bin_rows(block.singularity_date[:, None], dates)[0]
        self.classes += np.bincount(block.takeoff_class, minlength=len(CLASSES))
        if self.counterfactual is not None:
            cf = block.counterfactual_dates
            self.counterfactual += bin_rows(cf, dates)
            pull = pulled_forward(block.milestone_dates, cf)
            neither = np.isnan(pull).sum(axis=0)
            self.neither += neither
            counts = bin_rows(pull, pull_edges())  # NaN lands in the overflow: take it out
            counts[:, -1] -= neither
            self.pulled += counts
            self.counterfactual_classes += np.bincount(
                classify(takeoff_duration(scenario, cf)), minlength=len(CLASSES)
            )


def _add_counterfactual(ds: xr.Dataset, scenario: Scenario, acc: Accumulator, dates) -> None:
    """The counterfactual's milestone dates and how many years the scenario pulls each forward
    (quantiles over the draws where at least one of the two reaches it within the horizon)."""
    n = acc.n
    cf = scenario.counterfactual
    ds["counterfactual_milestone_date"] = (
        ("milestone", "quantile"),
        interpolated_quantiles(acc.counterfactual, dates),
        {"units": "decimal year", "long_name": f"quantiles of the date under {cf.name}"},
    )
    ds["counterfactual_p_reached"] = (
        "milestone",
        acc.counterfactual[:, :-1].sum(axis=1) / n,
        {"long_name": f"probability the milestone is reached by the horizon under {cf.name}"},
    )
    either = acc.pulled.sum(axis=1)
    ds["pulled_forward"] = (
        ("milestone", "quantile"),
        np.where(either[:, None] > 0, interpolated_quantiles(acc.pulled, pull_edges()), np.nan),
        {
            "units": "yr",
            "long_name": f"quantiles of the years the milestone comes earlier than under "
            f"{cf.name}, over the draws where either reaches it (inf: only this scenario "
            "reaches it by the horizon; -inf: only the counterfactual)",
        },
    )
    centre = np.searchsorted(pull_edges(), 0.0, side="right")  # bins of strictly later dates
    with np.errstate(invalid="ignore"):
        ds["p_pulled_forward"] = (
            "milestone",
            np.where(either > 0, acc.pulled[:, centre + 1 :].sum(axis=1) / either, np.nan),
            {
                "long_name": "P(the milestone comes at least 0.01 yr earlier than under the "
                "counterfactual), over the draws where either reaches it"
            },
        )
    ds["counterfactual_class_probability"] = (
        "takeoff_class",
        acc.counterfactual_classes / n,
        {"long_name": f"takeoff classes under {cf.name} (the same draws)"},
    )
    ds.attrs.update(counterfactual=cf.name, counterfactual_title=cf.title)


def summarize(scenario: Scenario, acc: Accumulator, seed: int, engine: str) -> xr.Dataset:
    """The forecast summary as an xarray Dataset (see the variables' long_name attrs)."""
    t = scenario.time_grid()
    names = [m[0] for m in scenario.milestones]
    dates = date_edges(scenario)
    n = acc.n
    watch_q = 10.0 ** interpolated_quantiles(acc.watch, level_edges(scenario))  # (T, Q)
    doubling_q = 10.0 ** interpolated_quantiles(acc.doubling, log_edges(DOUBLING_RANGE))
    milestone_q = interpolated_quantiles(acc.milestones, dates)
    duration_q = 10.0 ** interpolated_quantiles(acc.duration[None, :], log_edges(DURATION_RANGE))[0]
    finite_only = acc.singularity.copy()
    finite_only[-1] = 0  # quantiles of the date given that a singularity happens
    singular_q = (
        interpolated_quantiles(finite_only[None, :], dates)[0]
        if finite_only.sum()
        else np.full(len(QUANTILES), np.inf)
    )
    cdf = np.cumsum(acc.milestones[:, :-1], axis=1) / n  # P(reached before date[k])
    q = list(QUANTILES)
    ds = xr.Dataset(
        {
            "watch": (
                ("time", "quantile"),
                watch_q,
                {"long_name": f"quantiles of {scenario.watch} across draws"},
            ),
            "doubling_time": (
                ("time", "quantile"),
                doubling_q,
                {
                    "units": "yr",
                    "long_name": f"quantiles of the doubling time of "
                    f"{scenario.watch} (inf: not growing)",
                },
            ),
            "milestone_date": (
                ("milestone", "quantile"),
                milestone_q,
                {
                    "units": "decimal year",
                    "long_name": "quantiles of the date each milestone is reached "
                    "(inf: not reached within the horizon at that quantile)",
                },
            ),
            "p_reached": (
                "milestone",
                acc.milestones[:, :-1].sum(axis=1) / n,
                {"long_name": "probability the milestone is reached by the horizon"},
            ),
            "milestone_cdf": (
                ("milestone", "date"),
                cdf,
                {"long_name": "P(milestone reached by date)"},
            ),
            "duration": (
                "quantile",
                duration_q,
                {
                    "units": "yr",
                    "long_name": f"quantiles of the takeoff duration {scenario.takeoff[0]} -> "
                    f"{scenario.takeoff[1]} (inf: not reached)",
                },
            ),
            "class_probability": (
                "takeoff_class",
                acc.classes / n,
                {
                    "long_name": "hard < 30 days <= fast < 1 yr <= moderate "
                    "< 10 yr <= slow; not reached within the horizon"
                },
            ),
            "p_singularity": (
                (),
                acc.singularity[:-1].sum() / n,
                {"long_name": "probability of a finite-time singularity within the horizon"},
            ),
            "singularity_date": (
                "quantile",
                singular_q,
                {
                    "units": "decimal year",
                    "long_name": "quantiles of the singularity date (inf: none)",
                },
            ),
        },
        coords={
            "time": ("time", t, {"units": "decimal year"}),
            "quantile": q,
            "milestone": names,
            "milestone_level": ("milestone", [lvl for _, lvl in scenario.milestones]),
            "milestone_quantity": ("milestone", [scenario.watched(m) for m in names]),
            "date": ("date", dates, {"units": "decimal year"}),
            "takeoff_class": list(CLASSES),
        },
    )
    if acc.counterfactual is not None:
        _add_counterfactual(ds, scenario, acc, dates)
    sources = source_lines(scenario.all_sources(), scenario.reasons)
    if sources:
        keys, where, why = (list(c) for c in zip(*sources, strict=True))
        ds = ds.assign_coords(input=keys)
        ds["input_source"] = ("input", where, {"long_name": "where each input is drawn from"})
        ds["input_reason"] = ("input", why, {"long_name": "why (the scenario file's comment)"})
    ds.attrs.update(
        scenario=scenario.name,
        title=scenario.title,
        kind="trajectory",
        family=scenario.family,
        watch=scenario.watch,
        takeoff_from=scenario.takeoff[0],
        takeoff_to=scenario.takeoff[1],
        draws=int(n),
        seed=int(seed),
        engine=engine,
        rationale=scenario.rationale,
        illustration=int(scenario.illustration),  # netCDF attributes hold no booleans
        note=scenario.note,
    )
    return ds

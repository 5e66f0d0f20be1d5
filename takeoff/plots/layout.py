"""What a chart shows, decided once for the static and the interactive figures: axis titles in
words, the window of a fan chart (the x range ends where the bands leave the chart, the ranges
take in the observed data), where milestone CDFs stop changing, and decimation of long series.
No model maths: inputs are forecast summaries and observations."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.units import DAY

MARGIN = 0.04  # share of the x span added after the last informative point


def watch_axis(summary: xr.Dataset) -> tuple[str, str]:
    """(axis title in words with the unit, unit) of the quantity a trajectory summary watches."""
    return quantity_axis(str(summary.attrs.get("family", "")), str(summary.attrs.get("watch", "")))


def quantity_axis(family_name: str, quantity: str) -> tuple[str, str]:
    """(axis title in words with the unit, unit) of a state or derived quantity of a family."""
    from takeoff.models.registry import FAMILIES

    family = FAMILIES.get(family_name)
    if family is not None:
        for q in (*family.states, *family.derived):
            if q.name == quantity:
                return q.axis_title, q.unit
    return quantity, ""


def fan_milestones(summary: xr.Dataset) -> list[tuple[str, float]]:
    """(name, level) of the milestones measured on the quantity the fan shows (a scenario may
    set milestones on other quantities too: those are not lines on this chart)."""
    watch = str(summary.attrs.get("watch", ""))
    names = [str(m) for m in summary["milestone"].values]
    levels = [float(v) for v in summary["milestone_level"].values]
    if "milestone_quantity" in summary.coords:
        quantities = [str(q) for q in summary["milestone_quantity"].values]
    else:
        quantities = [watch] * len(names)
    return [(n, lvl) for n, lvl, q in zip(names, levels, quantities, strict=True) if q == watch]


@dataclass(frozen=True)
class FanWindow:
    x0: float
    x1: float
    y0: float  # bottom of the chart (natural units, log axis)
    y1: float  # top
    clip_low: float  # band values are clipped into (clip_low, clip_high) before drawing
    clip_high: float


def fan_window(summary: xr.Dataset, observations=()) -> FanWindow:
    """The view of a fan chart: from two decades below the lowest milestone to three above the
    highest (wider where observed data lie outside), and in time from the earliest observation
    (or the start) to shortly after every band has left the chart (or the horizon)."""
    t = summary["time"].values
    levels = np.array([lvl for _, lvl in fan_milestones(summary)])
    if levels.size == 0:  # no milestone on this quantity: the median's range
        median = summary["watch"].sel(quantile=0.5).values
        levels = median[np.isfinite(median) & (median > 0)]
    bottom, top = float(levels.min()) / 100, float(levels.max()) * 1000
    x0 = float(t[0])
    for obs in observations:
        y = obs.observed[np.isfinite(obs.observed) & (obs.observed > 0)]
        if y.size:
            bottom = min(bottom, float(y.min()) / 2)
            top = max(top, float(y.max()) * 2)
        x0 = min(x0, float(np.min(obs.x)))
    w = summary["watch"]
    lowest = w.sel(quantile=float(w["quantile"].min())).values
    highest = w.sel(quantile=float(w["quantile"].max())).values
    gone = (lowest >= top) | (highest <= bottom)  # every band above (or below) the chart
    x1 = float(t[-1])
    if gone.any():
        first = int(np.argmax(gone))
        x1 = min(float(t[-1]), float(t[first]) + MARGIN * (float(t[first]) - x0))
    if x1 <= x0:
        x1 = float(t[-1])
    if x0 < float(t[0]):  # room for the earliest observation's marker
        x0 -= 0.015 * (x1 - x0)
    return FanWindow(x0, x1, bottom, top, bottom / 10, top * 10)


def cdf_end(summary: xr.Dataset, tolerance: float = 1e-3) -> float:
    """The date after which no milestone's CDF changes by more than ``tolerance`` (plus a
    margin), or the horizon."""
    date = summary["date"].values
    cdf = summary["milestone_cdf"].values  # (milestone, date)
    final = cdf[:, -1:]
    moving = (final - cdf) > tolerance
    if not moving.any():
        return float(date[-1])
    last = int(np.max(np.where(moving.any(axis=0))[0]))
    end = float(date[min(last + 1, date.size - 1)])
    return min(float(date[-1]), end + MARGIN * (end - float(date[0])) + 1e-9)


def decimate(n: int, at_most: int = 600) -> np.ndarray:
    """Indices of at most ``at_most`` evenly spaced points of a series of ``n`` (ends kept)."""
    if n <= at_most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, at_most).round().astype(int))


def log10_range(low: float, high: float) -> list[float]:
    return [math.log10(low), math.log10(high)]


def span_ticks(low_years: float, high_years: float) -> tuple[list[float], list[str]]:
    """Ticks for a log axis of durations in years, labelled in days, months and years."""
    named = (
        (DAY, "1 day"),
        (7 * DAY, "1 week"),
        (30 * DAY, "30 days"),
        (0.25, "3 months"),
        (1.0, "1 year"),
        (3.0, "3 years"),
        (10.0, "10 years"),
        (30.0, "30 years"),
        (100.0, "100 years"),
    )
    ticks = [(v, label) for v, label in named if low_years <= v <= high_years]
    return [v for v, _ in ticks], [label for _, label in ticks]

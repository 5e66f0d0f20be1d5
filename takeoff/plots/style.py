"""Colours and axis conventions shared by the static and interactive figures, the report and
the dashboard, so that a scenario has the same colour everywhere and a time horizon reads in
hours and work days, not in powers of ten of minutes."""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

CLASS_COLOURS = {
    "hard": "#b2182b",
    "fast": "#ef8a62",
    "moderate": "#fddbc7",
    "slow": "#d1e5f0",
    "not reached": "#bababa",
}
CLASS_LABELS = {
    "hard": "hard (< 30 days)",
    "fast": "fast (< 1 year)",
    "moderate": "moderate (1-10 years)",
    "slow": "slow (> 10 years)",
    "not reached": "not reached within the horizon",
}

# Qualitative colours, the most distinct first (Tableau 10, then darker companions); none is
# the grey of "not reached" or the black of observed data.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#6b6ecf",
    "#b5cf6b",
    "#e7ba52",
    "#ce6dbd",
)
DATA_COLOUR = "#111111"  # observed data on every chart


def scenario_colour(name: str, names: Sequence[str] = ()) -> str:
    """The colour of a scenario in every figure: a scenario in ``names`` (the caller's ordered
    list, e.g. the built-in scenarios) by its place there (distinct for up to ``len(PALETTE)``
    of them), any other name by a stable hash of it."""
    names = list(names)
    if name in names:
        return PALETTE[names.index(name) % len(PALETTE)]
    return PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]


def rgba(colour: str, alpha: float) -> str:
    """A '#rrggbb' colour as 'rgba(r, g, b, alpha)' (plotly fills)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha:g})"


# Task time horizons are in minutes of human-expert time; a room reads them as durations. The
# milestones (work day 8 h, work month 167 h, work year 2000 h) are labelled on the charts.
MINUTE_TICKS = (
    (1 / 60, "1 s"),
    (1.0, "1 min"),
    (10.0, "10 min"),
    (60.0, "1 h"),
    (480.0, "8 h"),
    (2400.0, "40 h"),
    (10_000.0, "167 h"),
    (120_000.0, "2,000 h"),
)


def is_minutes(unit: str) -> bool:
    return unit.strip().lower() in ("minutes", "minute", "min")


MAX_NAMED_DECADES = 12.0  # wider axes keep plain powers of ten (of minutes)


def minute_ticks(low: float, high: float) -> tuple[list[float], list[str]] | None:
    """Tick values and labels (seconds, minutes, hours) for a log axis of minutes from ``low``
    to ``high``; above 2,000 hours (a work year), powers of ten of hours. None for an axis over
    more than ``MAX_NAMED_DECADES`` decades (e.g. a path racing to a blow-up), where named
    ticks would crowd: keep the powers of ten and say "minutes" in the title."""
    if not (0 < low < high) or math.log10(high / low) > MAX_NAMED_DECADES:
        return None
    ticks = [(v, label) for v, label in MINUTE_TICKS if low <= v <= high]
    hours = 20_000.0
    while hours * 60 <= high:
        ticks.append((hours * 60, f"{hours:,.0f} h"))
        hours *= 10
    if len(ticks) < 2:  # a narrow range: plain numbers of minutes
        lo, hi = math.floor(math.log10(low)), math.ceil(math.log10(high))
        ticks = [(10.0**k, f"{10.0**k:g} min") for k in range(lo, hi + 1)]
    return [t for t, _ in ticks], [label for _, label in ticks]

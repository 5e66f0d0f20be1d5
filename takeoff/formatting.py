"""How numbers read on screen and in tables: dates, durations, probabilities. One place, so the
terminal, the report and the dashboard say the same thing the same way."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePath

from takeoff.units import DAYS_PER_YEAR


def number(x: float, digits: int = 3) -> str:
    """A number with ``digits`` significant digits; inf as 'inf'."""
    if not math.isfinite(x):
        return "inf" if x > 0 else ("-inf" if x < 0 else "nan")
    return f"{x:.{digits}g}"


def date(x: float, decimals: int = 2) -> str:
    """A decimal year; +inf (not reached) as 'not reached', -inf as '-'."""
    if not math.isfinite(x):
        return "not reached" if x > 0 else "-"
    return f"{x:.{decimals}f}"


def span(years: float) -> str:
    """A duration in years as days, months or years; inf as 'never'."""
    if not math.isfinite(years):
        return "never"
    if years < 1 / 12:
        return f"{years * DAYS_PER_YEAR:.3g} days"
    if years < 2:
        return f"{years * 12:.3g} months"
    return f"{years:.3g} years"


def source_name(source: str) -> str:
    """How a data or posterior source is shown: a user's file (.csv, .nc) by its file name, not
    the path on the machine that made it (its hash identifies the content); a shipped data
    set or posterior by its name, as it is."""
    if source.lower().endswith((".csv", ".nc")):
        return PurePath(source).name
    return source


def probability(p: float) -> str:
    """A probability as a percentage, with '<0.1%' and '>99.9%' near the ends."""
    if p == 0:
        return "0%"
    if p < 0.001:
        return "<0.1%"
    if p > 0.999 and p < 1:
        return ">99.9%"
    return f"{p:.1%}" if p < 0.1 else f"{p:.0%}"


@dataclass(frozen=True)
class Table:
    """A table of text cells, rendered by the terminal (rich), the report (HTML) and the
    dashboard alike: a title, column names, rows of cells and a note under it."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

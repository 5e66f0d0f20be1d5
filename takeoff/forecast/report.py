"""Printable tables and CSV rows of forecast summaries."""

from __future__ import annotations

import math

import pandas as pd
import xarray as xr

from takeoff.forecast.engine import CLASSES
from takeoff.forecast.sie import format_sie_summary, is_sie_summary, sie_summary_row


def _date(x: float) -> str:
    if not math.isfinite(x):
        return "not reached" if x > 0 else "-"
    return f"{x:.2f}"


def _span(x: float) -> str:
    if not math.isfinite(x):
        return "never"
    if x < 1 / 12:
        return f"{x * 365.25:.3g} days"
    if x < 2:
        return f"{x * 12:.3g} months"
    return f"{x:.3g} years"


def format_summary(summary: xr.Dataset) -> str:
    """The table printed per scenario: milestones, takeoff, classes, singularity (for an
    sie_doublings scenario: years of progress within T months, with standard errors)."""
    if is_sie_summary(summary):
        return format_sie_summary(summary)
    a = summary.attrs
    lines = [
        f"== {a['scenario']}: {a['title']}",
        f"   {a['family']}, {a['draws']:,} draws, seed {a['seed']}, engine {a['engine']}",
    ]
    rows = [["milestone", "level", "P(reached)", "median", "90% interval"]]
    for name in summary["milestone"].values:
        q = summary["milestone_date"].sel(milestone=name)
        rows.append(
            [
                str(name),
                f"{float(summary['milestone_level'].sel(milestone=name)):g}",
                f"{float(summary['p_reached'].sel(milestone=name)):.3f}",
                _date(float(q.sel(quantile=0.5))),
                f"{_date(float(q.sel(quantile=0.05)))} to {_date(float(q.sel(quantile=0.95)))}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines += ["   " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    d = summary["duration"]
    lines.append(
        f"   takeoff {a['takeoff_from']} -> {a['takeoff_to']}: median "
        f"{_span(float(d.sel(quantile=0.5)))} (90% interval "
        f"{_span(float(d.sel(quantile=0.05)))} to {_span(float(d.sel(quantile=0.95)))})"
    )
    probs = "  ".join(
        f"{c} {float(summary['class_probability'].sel(takeoff_class=c)):.3f}" for c in CLASSES
    )
    lines.append(f"   class: {probs}")
    ps = float(summary["p_singularity"])
    sing = f"   P(finite-time singularity within the horizon) = {ps:.3f}"
    if ps > 0:
        s = summary["singularity_date"]
        sing += (
            f"; median date {_date(float(s.sel(quantile=0.5)))} (if any: 5% quantile "
            f"{_date(float(s.sel(quantile=0.05)))})"
        )
    lines.append(sing)
    return "\n".join(lines)


def summary_row(summary: xr.Dataset) -> dict:
    """One CSV row per scenario (inf written as 'inf': not reached)."""
    if is_sie_summary(summary):
        return sie_summary_row(summary)
    a = summary.attrs
    row = {
        "scenario": a["scenario"],
        "family": a["family"],
        "draws": a["draws"],
        "seed": a["seed"],
        "engine": a["engine"],
    }
    for name in summary["milestone"].values:
        q = summary["milestone_date"].sel(milestone=name)
        row[f"{name}_p_reached"] = float(summary["p_reached"].sel(milestone=name))
        for qq, label in ((0.05, "q05"), (0.5, "median"), (0.95, "q95")):
            row[f"{name}_date_{label}"] = float(q.sel(quantile=qq))
    for qq, label in ((0.05, "q05"), (0.5, "median"), (0.95, "q95")):
        row[f"duration_years_{label}"] = float(summary["duration"].sel(quantile=qq))
    for c in CLASSES:
        row[f"p_{c.replace(' ', '_')}"] = float(summary["class_probability"].sel(takeoff_class=c))
    row["p_singularity"] = float(summary["p_singularity"])
    row["singularity_date_median"] = float(summary["singularity_date"].sel(quantile=0.5))
    return row


def summary_table(summaries) -> pd.DataFrame:
    return pd.DataFrame([summary_row(s) for s in summaries])

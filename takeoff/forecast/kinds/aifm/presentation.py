"""What the aifm kind (the AI Futures Model's core) shows beside its own tables: its headline
table, its rows of summary.csv (long form), the observed data behind its horizon fan (METR's
80% time horizons: the model's horizon is an 80% horizon, and its present horizon is
calibrated to them), its figures given those data, scenarios side by side and its sections of
the report. No simulation here: inputs are summaries."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from takeoff import formatting
from takeoff.forecast.kind import long_row
from takeoff.forecast.scenario import builtin_names

NOT_BY_END = "not reached by the end of the run"
HEADLINE_MILESTONES = ("AC", "SAR", "SIAR")


def _date(summary: xr.Dataset, m: str, q: float) -> float:
    return float(summary["milestone_date"].sel(milestone=m, quantile=q))


def _cell(summary: xr.Dataset, m: str) -> str:
    end = f"after {summary.attrs['end']:g}"

    def d(x: float) -> str:
        return "-" if math.isnan(x) else (end if math.isinf(x) else f"{x:.1f}")

    median = d(_date(summary, m, 0.5))
    if summary.attrs.get("deterministic"):
        return median
    return f"{median} ({d(_date(summary, m, 0.1))} to {d(_date(summary, m, 0.9))})"


def headline_table(summaries: list[xr.Dataset]) -> formatting.Table:
    """A row per scenario: the Automated Coder, SAR and SIAR dates (median and 80% interval),
    P(AC by the first year asked), P(SIAR by the last) and how many links came from data."""
    first = min(float(s["year"].values[0]) for s in summaries)
    last = max(float(s["year"].values[-1]) for s in summaries)
    rows = []
    for s in summaries:
        p_ac = (
            float(s["p_by"].sel(milestone="AC", year=first)) if first in s["year"].values else None
        )
        p_siar = (
            float(s["p_by"].sel(milestone="SIAR", year=last)) if last in s["year"].values else None
        )
        links = s.attrs["from_data"].count("<-")
        rows.append(
            (
                str(s.attrs["scenario"]),
                *(_cell(s, m) for m in HEADLINE_MILESTONES),
                "-" if p_ac is None else formatting.probability(p_ac),
                "-" if p_siar is None else formatting.probability(p_siar),
                "none" if not links else str(links),
            )
        )
    return formatting.Table(
        "AI Futures Model (AI Futures Project, 2025): milestone dates",
        (
            "scenario",
            "Automated Coder",
            "superhuman AI researcher",
            "superintelligent AI researcher",
            f"P(AC by {first:g})",
            f"P(SIAR by {last:g})",
            "links from data",
        ),
        tuple(rows),
        note="Median date (10% to 90%); 'after Y': not reached by the end of the run. A "
        "published run with every input fixed is one trajectory: its dates, no interval.",
    )


def long_rows(summary: xr.Dataset) -> list[dict]:
    """summary.csv rows of an aifm forecast (one number per row; see the README)."""
    a = summary.attrs
    rows = [
        long_row(summary, "draws", a["draws"], "draws"),
        long_row(summary, "seed", a["seed"]),
        long_row(summary, "draws_failed", a["failed"], "draws"),
    ]
    for m in summary["milestone"].values:
        m = str(m)
        for q in summary["quantile"].values:
            rows.append(
                long_row(
                    summary,
                    "milestone_date",
                    _date(summary, m, float(q)),
                    "decimal year",
                    milestone=m,
                    quantile=float(q),
                    never=NOT_BY_END,
                )
            )
        for y in summary["year"].values:
            for quantity, var in ((f"p_by_{y:g}", "p_by"), (f"p_by_{y:g}_se", "p_by_se")):
                rows.append(
                    long_row(
                        summary,
                        quantity,
                        float(summary[var].sel(milestone=m, year=y)),
                        "probability",
                        milestone=m,
                    )
                )
        for quantity in ("p_reached", "p_reached_se"):
            rows.append(
                long_row(
                    summary,
                    quantity,
                    float(summary[quantity].sel(milestone=m)),
                    "probability",
                    milestone=m,
                )
            )
    return rows


def observations(scenario) -> tuple:
    """METR's 80% time horizons (Time Horizon 1.1, the rows the horizon fits use) against
    release date, in minutes: the observed data behind the model's horizon path."""
    from takeoff.data import load
    from takeoff.models.fits.metr import time_horizon_1_1
    from takeoff.models.fits.predictive import FitData

    frame = time_horizon_1_1(load("metr_horizons"))
    frame = frame[np.isfinite(frame["p80_minutes"]) & (frame["p80_minutes"] > 0)]
    return (
        FitData(
            fit="horizon_dynamics",
            dataset="metr_horizons (80% horizons)",
            x=frame["release_date_year"].to_numpy(float),
            xlabel="release date [decimal year]",
            x_unit="decimal year",
            log_x=False,
            observed=frame["p80_minutes"].to_numpy(float),
            ylabel="80% task time horizon [minutes]",
            y_unit="minutes",
            log_y=True,
            data_hash=str(load("metr_horizons").attrs.get("hash", "")),
        ),
    )


def comparison_figures(summaries: list[xr.Dataset], observations=None) -> list:
    from takeoff.plots import aifm_charts

    return [
        (
            "aifm_milestones",
            aifm_charts.interactive_milestones_compared(summaries, names=builtin_names()),
        )
    ]


def report_sections(results, observations: dict | None = None) -> list:
    """A section per scenario: what it assumes, its headline numbers, milestone CDFs, the fans
    (the horizon with METR's 80% horizons), the table as text and the TOML."""
    from takeoff.forecast.kinds.aifm.kind import caption, format_aifm_summary, interactive_figures
    from takeoff.plots.blocks import Details, Figure, Section, Text

    observations = observations or {}
    sections = []
    for r in results:
        s = r.summary
        name = str(s.attrs["scenario"])
        figs = interactive_figures(s, observations.get(name, ()))
        sections.append(
            Section(
                f"{name}: {s.attrs['title']}",
                [
                    Text(s.attrs.get("rationale", ""), kind="rationale"),
                    Text(f"Links from data: {s.attrs['from_data']}.", kind="numbers"),
                    *(Figure(fig, name=f"{name}_{key}") for key, fig in figs),
                    Text(caption(s), kind="caption"),
                    Details("The forecast as a table", format_aifm_summary(s)),
                    Details(f"The scenario file ({name}.toml)", r.scenario.text),
                ],
                anchor=f"scenario-{name}",
            )
        )
    return sections

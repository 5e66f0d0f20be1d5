"""What the aifm kind (the AI Futures Model's core) shows beside its own tables: its headline
table, its rows of summary.csv (long form), the observed data behind its horizon fan (METR's
80% time horizons: the model's horizon is an 80% horizon, and its present horizon is
calibrated to them), its figures given those data, scenarios side by side and its sections of
the report. Also the table printed for a
scenario and for scenarios side by side, its CSV row, headline, caption and figures. No
simulation here: inputs are summaries."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from takeoff import formatting
from takeoff.forecast.kind import long_row, summary_row_head
from takeoff.forecast.kinds.aifm.links import (
    LINKS,
    NOT_AN_INPUT,
)
from takeoff.forecast.kinds.aifm.quantities import (
    LOG10_BIN,
    LOG10_HIGH,
    LOG10_LOW,
    PATHS,
)
from takeoff.forecast.scenario import (
    builtin_names,
)

NOT_BY_END = "not reached by the end of the run"
HEADLINE_MILESTONES = ("AC", "SAR", "SIAR")


def _quantile_date(summary: xr.Dataset, m: str, q: float) -> float:
    return float(summary["milestone_date"].sel(milestone=m, quantile=q))


def _cell(summary: xr.Dataset, m: str) -> str:
    end = f"after {summary.attrs['end']:g}"

    def d(x: float) -> str:
        return "-" if math.isnan(x) else (end if math.isinf(x) else f"{x:.1f}")

    median = d(_quantile_date(summary, m, 0.5))
    if summary.attrs.get("deterministic"):
        return median
    return (
        f"{median} ({d(_quantile_date(summary, m, 0.1))} to {d(_quantile_date(summary, m, 0.9))})"
    )


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
                    _quantile_date(summary, m, float(q)),
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


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        ("   " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def _date(summary, x: float, decimals: int = 2) -> str:
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return f"after {summary.attrs['end']:g}"
    return f"{x:.{decimals}f}"


def _value(x: float) -> str:
    """A path quantile; at the edges of the histograms' range, the bound it is."""
    if x >= 10.0 ** (LOG10_HIGH - LOG10_BIN):
        return f">={10.0**LOG10_HIGH:.0e}"
    if 0 < x <= 10.0 ** (LOG10_LOW + LOG10_BIN):
        return f"<={10.0**LOG10_LOW:.0e}"
    return formatting.number(x)


def _p(p: float, se: float) -> str:
    return "-" if math.isnan(p) else f"{p:.3f} ± {se:.3f}"


def _status_line(summary) -> str:
    counts = [
        (str(s), int(c))
        for s, c in zip(summary["status"].values, summary["status_count"].values, strict=True)
    ]
    text = ", ".join(f"{s} {c:,}" for s, c in counts if c)
    failed = summary.attrs["failed"]
    if summary.attrs["deterministic"]:
        text = ", ".join(s for s, c in counts if c)
    line = f"   status{'' if summary.attrs['deterministic'] else 'es'}: {text}"
    if failed:
        line += f" ({failed:,} failed: their dates are left out of every number above)"
    if summary.attrs.get("rs_clamped"):
        line += (
            f"; research stock held at the 1e30 clamp before {summary.attrs['end']:g} (as the "
            f"peer does): {summary.attrs['rs_clamped']:,}"
        )
    return line


def returns_line(attrs) -> str:
    """Which returns to research the model uses: always its own r, calibrated from the
    software progress rate (fitted by algorithmic_progress when that link is used)."""
    rate = (
        "algorithmic_progress's fitted rate"
        if "software progress rate" in str(attrs.get("from_data", ""))
        else "the published prior of that rate"
    )
    return (
        f"returns to research: the AI Futures Model's own r, not a posterior of takeoff's fits: "
        f"{NOT_AN_INPUT['returns']}, here {rate}; a fitted r (software_returns_lm) would "
        "over-determine it"
    )


def _header(summary) -> list[str]:
    a = summary.attrs
    draws = (
        "one trajectory (every input is a fixed number)"
        if a["deterministic"]
        else f"{a['draws']:,} draws"
    )
    lines = [
        f"== {a['scenario']}: {a['title']}",
        f"   aifm (the AI Futures Model's core, {a['peer']}), {draws}, seed {a['seed']}, "
        f"engine {a['engine']}; {a['start']:g} to {a['end']:g}",
        f"   sources: {a['sources']}",
        f"   links from data: {a['from_data']}",
    ]
    if a["from_data"] != "none" and a["still_peer"]:
        lines.append(f"   links still the peer's: {a['still_peer']}")
    lines.append(f"   {returns_line(a)}")
    if a.get("dropped_correlations"):
        lines.append(
            f"   published correlations dropped (a parameter no longer the published prior): "
            f"{a['dropped_correlations']}"
        )
    return lines


def format_aifm_summary(summary: xr.Dataset) -> str:
    """The table printed for an aifm scenario: milestone dates (quantiles, or the date of the
    one trajectory), P(by year) ± s.e., statuses, and the paths on a yearly grid."""
    a = summary.attrs
    lines = _header(summary)
    names = list(summary["milestone"].values)
    if a["deterministic"]:
        rows = [["milestone", "", "date"]]
        for m in names:
            d = float(summary["milestone_date"].sel(milestone=m, quantile=0.5))
            rows.append([m, str(summary["milestone_label"].sel(milestone=m).values), _date(
                summary, d, 3)])  # fmt: skip
        lines += _table(rows)
        lines.append(_status_line(summary))
        lines.append("   paths on a yearly grid:")
        rows = [["year", *(f"{label} [{unit}]" for _, label, unit in PATHS)]]
        for t in summary["time"].values:
            rows.append(
                [f"{t:g}"]
                + [
                    formatting.number(
                        float(summary["path_quantile"].sel(path=p, time=t, quantile=0.5)), 4
                    )
                    for p, _, _ in PATHS
                ]
            )
        lines += _table(rows)
        return "\n".join(lines)
    years = [float(y) for y in summary["year"].values]
    rows = [["milestone", "10%", "median", "90%", *(f"P(by {y:g})" for y in years)]]
    rows[0].append(f"P(by {a['end']:g})")
    for m in names:
        q = summary["milestone_date"].sel(milestone=m)
        row = [m] + [_date(summary, float(q.sel(quantile=x))) for x in (0.1, 0.5, 0.9)]
        for y in years:
            row.append(
                _p(
                    float(summary["p_by"].sel(milestone=m, year=y)),
                    float(summary["p_by_se"].sel(milestone=m, year=y)),
                )
            )
        row.append(
            _p(
                float(summary["p_reached"].sel(milestone=m)),
                float(summary["p_reached_se"].sel(milestone=m)),
            )
        )
        rows.append(row)
    lines += _table(rows)
    lines.append(_status_line(summary))
    shown = [t for t in summary["time"].values if t in (2025, 2027, 2030, 2035, 2040, 2045, 2050)]
    if shown:
        lines.append("   paths, median [10%, 90%] of the draws:")
        rows = [["year", *(f"{label} [{unit}]" for _, label, unit in PATHS)]]
        for t in shown:
            cells = [f"{t:g}"]
            for p, _, _ in PATHS:
                v = summary["path_quantile"].sel(path=p, time=t)
                cells.append(
                    f"{_value(float(v.sel(quantile=0.5)))} "
                    f"[{_value(float(v.sel(quantile=0.1)))}, {_value(float(v.sel(quantile=0.9)))}]"
                )
            rows.append(cells)
        lines += _table(rows)
    return "\n".join(lines)


def _interval(summary, m: str) -> str:
    q = summary["milestone_date"].sel(milestone=m)
    if summary.attrs["deterministic"]:
        return _date(summary, float(q.sel(quantile=0.5)))
    return (
        f"{_date(summary, float(q.sel(quantile=0.5)))} "
        f"[{_date(summary, float(q.sel(quantile=0.1)))}, "
        f"{_date(summary, float(q.sel(quantile=0.9)))}]"
    )


def _moved(base, other, m: str) -> str:
    out = []
    for x in (0.1, 0.5, 0.9):
        a = float(base["milestone_date"].sel(milestone=m, quantile=x))
        b = float(other["milestone_date"].sel(milestone=m, quantile=x))
        if math.isfinite(a) and math.isfinite(b):
            out.append(f"{b - a:+.2f}")
        elif a == b:
            out.append("=")
        elif math.isinf(b) and b > 0:
            out.append("later")
        elif math.isinf(a) and a > 0:
            out.append("earlier")
        else:
            out.append("-")
    return "/".join(out)


def format_comparison(summaries: list[xr.Dataset]) -> str:
    """Side by side: milestone medians and 10-90% intervals per scenario, how the 10%, median
    and 90% dates moved against the first scenario, and P(by year) ± s.e."""
    base = summaries[0]
    names = [str(s.attrs["scenario"]) for s in summaries]
    draws = ", ".join(
        f"{s.attrs['scenario']} "
        + ("one trajectory" if s.attrs["deterministic"] else f"{s.attrs['draws']:,}")
        for s in summaries
    )
    out = [f"== comparison of aifm scenarios (draws: {draws}; ± one Monte Carlo standard error)"]
    for s in summaries:
        out.append(f"   {s.attrs['scenario']}: links from data: {s.attrs['from_data']}")
        if s.attrs["from_data"] != "none" and s.attrs["still_peer"]:
            indent = " " * len(str(s.attrs["scenario"]))
            out.append(f"   {indent}  still the peer's: {s.attrs['still_peer']}")
    rows = [["milestone", *(f"{n}: median [10%, 90%]" for n in names)]]
    rows[0] += [f"{n} - {names[0]} (10%/50%/90%, yr)" for n in names[1:]]
    milestones = list(base["milestone"].values)
    for m in milestones:
        rows.append(
            [m, *(_interval(s, m) for s in summaries), *(_moved(base, s, m) for s in summaries[1:])]
        )
    out += _table(rows)
    years = sorted({float(y) for s in summaries for y in s["year"].values})
    rows = [["P(milestone by year)", *names]]
    for m in milestones:
        for y in years:
            row = [f"{m} by {y:g}"]
            for s in summaries:
                if y in s["year"].values:
                    row.append(
                        _p(
                            float(s["p_by"].sel(milestone=m, year=y)),
                            float(s["p_by_se"].sel(milestone=m, year=y)),
                        )
                    )
                else:
                    row.append("-")
            rows.append(row)
    out += _table(rows)
    return "\n".join(out)


def aifm_summary_row(summary: xr.Dataset) -> dict:
    """One CSV row: per milestone its 10%/median/90% dates (inf: not reached by the end),
    P(by each year) and its standard error, P(reached by the end); the statuses."""
    a = summary.attrs
    row = {**summary_row_head(summary), "draws_failed": a["failed"]}
    for m in summary["milestone"].values:
        q = summary["milestone_date"].sel(milestone=m)
        for x, label in ((0.1, "q10"), (0.5, "median"), (0.9, "q90")):
            row[f"{m}_date_{label}"] = float(q.sel(quantile=x))
        for y in summary["year"].values:
            row[f"{m}_p_by_{y:g}"] = float(summary["p_by"].sel(milestone=m, year=y))
            row[f"{m}_se_by_{y:g}"] = float(summary["p_by_se"].sel(milestone=m, year=y))
        row[f"{m}_p_reached"] = float(summary["p_reached"].sel(milestone=m))
    row["links_from_data"] = a["from_data"]
    return row


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    """(column, label, value): the Automated Coder, SAR and SIAR dates, P(AC by the first
    year), P(SIAR by the last year), and which links came from data."""
    years = [float(y) for y in summary["year"].values]
    what = "date" if summary.attrs["deterministic"] else "median date"
    out = [("milestone", "milestone", "AC, SAR, SIAR")]
    for m in ("AC", "SAR", "SIAR"):
        d = float(summary["milestone_date"].sel(milestone=m, quantile=0.5))
        out.append((f"{m} median", f"{m}: {what}", _date(summary, d, 1)))
        if m == "AC":
            out.append(
                (
                    "P(AC by first year)",
                    f"P(AC by {years[0]:g})",
                    formatting.probability(float(summary["p_by"].sel(milestone=m, year=years[0]))),
                )
            )
    out.append(
        (
            "P(SIAR by last year)",
            f"P(SIAR by {years[-1]:g})",
            formatting.probability(float(summary["p_by"].sel(milestone="SIAR", year=years[-1]))),
        )
    )
    n_links = summary.attrs["from_data"].count("<-")
    out.append(("links from data", "links from data", f"{n_links} of {len(LINKS)}"))
    return out


def caption(summary: xr.Dataset) -> str:
    a = summary.attrs
    text = (
        "AC: Automated Coder; SAR / SIAR: superhuman / superintelligent AI researcher; AIR-Nx: "
        "AI R&D N times faster than with humans alone. "
    )
    if a["failed"]:
        text += f"{a['failed']:,} draws failed (see the summary table) and are left out. "
    return text + f"Links from data: {a['from_data']}."


def figures(summaries: list[xr.Dataset], observations=None) -> dict:
    """Milestone CDFs and the horizon fan per scenario (and the milestones side by side when
    there are two or more), each as a function that draws it."""
    from takeoff.plots import aifm_charts

    out = {}
    observations = observations or {}
    for s in summaries:
        name = s.attrs["scenario"]
        shown = tuple(observations.get(name, ()))
        out[f"milestones_{name}.png"] = lambda s=s: aifm_charts.milestone_cdfs(s)
        out[f"fan_{name}.png"] = lambda s=s, o=shown: aifm_charts.path_fan(
            s, "horizon_minutes", observations=o, names=builtin_names()
        )
    if len(summaries) >= 2:
        out["aifm_milestones_compared.png"] = lambda: aifm_charts.milestones_compared(
            summaries, names=builtin_names()
        )
    return out


def interactive_figures(summary: xr.Dataset, observations=()) -> list:
    """(key, plotly figure): milestone CDFs, then fans of the horizon, the AI R&D speed-up and
    the software progress rate."""
    from takeoff.plots import aifm_charts

    return [
        ("aifm_cdfs", aifm_charts.interactive_milestone_cdfs(summary)),
        (
            "aifm_horizon",
            aifm_charts.interactive_path_fan(
                summary, "horizon_minutes", observations=tuple(observations), names=builtin_names()
            ),
        ),
        (
            "aifm_speedup",
            aifm_charts.interactive_path_fan(summary, "ai_rd_speedup", names=builtin_names()),
        ),
        (
            "aifm_rate",
            aifm_charts.interactive_path_fan(
                summary, "software_progress_rate", names=builtin_names()
            ),
        ),
    ]


def interactive_comparison(summaries: list[xr.Dataset]):
    """Milestone medians and 10-90% intervals of the scenarios side by side."""
    from takeoff.plots import aifm_charts

    return aifm_charts.interactive_milestones_compared(summaries, names=builtin_names())

"""What the doublings kind (the published software-intelligence-explosion recursion) shows: its
headline table, its rows of summary.csv (long form), the run-length figure (P(m years of
progress within T months) over m, with the metrics and their standard errors), scenarios side
by side, and its sections of the report. No simulation here: inputs are summaries."""

from __future__ import annotations

import xarray as xr

from takeoff import formatting
from takeoff.forecast.kind import long_row, summary_row_head
from takeoff.forecast.scenario import builtin_names
from takeoff.units import QUANTILES


def _row(cells: list[str], widths: list[int]) -> str:
    return ("   " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()


def format_sie_summary(summary: xr.Dataset) -> str:
    """The table printed for an sie_doublings scenario: the (T, m) probabilities with s.e."""
    a = summary.attrs
    variant = "constant r" if a["variant"] == "constant_r" else "r decays to 0 at the ceiling"
    lines = [
        f"== {a['scenario']}: {a['title']}",
        f"   {a['family']} ({variant}), {a['draws']:,} draws, seed {a['seed']}, engine "
        f"{a['engine']}; simulations stop at {a['t_max_months']:g} months",
        f"   parameters: {a['parameters']}",
    ]
    if a.get("returns"):
        lines.append(f"   {a['returns']}")
    rows = [["years of progress within T months", "doublings", "P", "s.e."]]
    for i in range(summary.sizes["metric"]):
        rows.append(
            [
                f"{float(summary['years'][i]):g} years within {float(summary['months'][i]):g} "
                "months",
                f"{int(summary['doublings'][i])}",
                f"{float(summary['p_years_within'][i]):.3f}",
                f"{float(summary['p_years_within_se'][i]):.3f}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines += [_row(r, widths) for r in rows]
    q = summary["doublings_done"]
    per_year = float(a["doublings_per_year"])
    lines.append(
        f"   doublings done: median {float(q.sel(quantile=0.5)):g} "
        f"({float(q.sel(quantile=0.5)) / per_year:g} years of progress), 90% interval "
        f"{float(q.sel(quantile=0.05)):g} to {float(q.sel(quantile=0.95)):g}; stopped at the "
        f"ceiling {float(summary['stop_probability'].sel(stop_reason='ceiling')):.3f}, at "
        f"{a['t_max_months']:g} months "
        f"{float(summary['stop_probability'].sel(stop_reason='time limit')):.3f}"
    )
    lines.append(f"   not applicable: {a['not_applicable']}")
    return "\n".join(lines)


def format_comparison(summaries: list[xr.Dataset]) -> str:
    """Side by side: P(m years of progress within T months) ± s.e. for each scenario."""
    labels: list[str] = []
    for s in summaries:
        labels += [str(x) for x in s["metric"].values if str(x) not in labels]
    names = [str(s.attrs["scenario"]) for s in summaries]
    rows = [["P(m years of progress within T months)", *names]]
    for label in labels:
        row = [label]
        for s in summaries:
            if label in s["metric"].values:
                p = float(s["p_years_within"].sel(metric=label))
                se = float(s["p_years_within_se"].sel(metric=label))
                row.append(f"{p:.3f} ± {se:.3f}")
            else:
                row.append("-")
        rows.append(row)
    draws = ", ".join(f"{s.attrs['scenario']} {s.attrs['draws']:,}" for s in summaries)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = [f"== comparison (draws: {draws}; ± one Monte Carlo standard error)"]
    out += [_row(r, widths) for r in rows]
    return "\n".join(out)


def sie_summary_row(summary: xr.Dataset) -> dict:
    """One CSV row: the probabilities and standard errors of the (T, m) metrics."""
    a = summary.attrs
    row = {**summary_row_head(summary), "variant": a["variant"]}
    for i in range(summary.sizes["metric"]):
        key = f"{float(summary['years'][i]):g}y_in_{float(summary['months'][i]):g}m"
        row[f"p_{key}"] = float(summary["p_years_within"][i])
        row[f"se_{key}"] = float(summary["p_years_within_se"][i])
    q = summary["doublings_done"]
    row["doublings_done_median"] = float(q.sel(quantile=0.5))
    row["p_ceiling"] = float(summary["stop_probability"].sel(stop_reason="ceiling"))
    return row


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    """(column, label, value): P(m years of progress within T months) for each metric."""
    return [
        (
            f"P({summary['metric'].values[i]})",
            f"P({float(summary['years'][i]):g} years of progress within "
            f"{float(summary['months'][i]):g} months)",
            formatting.probability(float(summary["p_years_within"][i])),
        )
        for i in range(summary.sizes["metric"])
    ]


def _cell(summary: xr.Dataset, label: str) -> str:
    if label not in summary["metric"].values:
        return "-"
    p = float(summary["p_years_within"].sel(metric=label))
    se = float(summary["p_years_within_se"].sel(metric=label))
    return f"{p:.1%} ± {se:.1%}"


def headline_table(summaries: list[xr.Dataset]) -> formatting.Table:
    """A row per scenario: P(m years of progress within T months) ± one Monte Carlo standard
    error for each metric (the union of the scenarios' metrics)."""
    labels: list[str] = []
    for s in summaries:
        labels += [str(m) for m in s["metric"].values if str(m) not in labels]
    rows = tuple(
        (str(s.attrs["scenario"]), *(_cell(s, label) for label in labels)) for s in summaries
    )
    return formatting.Table(
        "Software intelligence explosion (Davidson & Houlden 2025): P(m years of progress "
        "within T months)",
        ("scenario", *(f"P({label})" for label in labels)),
        rows,
        note="'3 yr in 12 mo': some run of consecutive software doublings compressed 3 years of "
        "progress at the recent pace into 12 months; ± one Monte Carlo standard error.",
    )


def long_rows(summary: xr.Dataset) -> list[dict]:
    """summary.csv rows of a doublings forecast (one number per row; see the README)."""
    a = summary.attrs
    rows = [
        long_row(summary, "draws", a["draws"], "draws"),
        long_row(summary, "seed", a["seed"]),
    ]
    for i, label in enumerate(summary["metric"].values):
        rows.append(
            long_row(
                summary,
                "p_years_within",
                float(summary["p_years_within"][i]),
                "probability",
                milestone=str(label),
            )
        )
        rows.append(
            long_row(
                summary,
                "p_years_within_se",
                float(summary["p_years_within_se"][i]),
                "probability",
                milestone=str(label),
            )
        )
    for q in QUANTILES:
        rows.append(
            long_row(
                summary,
                "doublings_done",
                float(summary["doublings_done"].sel(quantile=q)),
                "doublings",
                quantile=q,
            )
        )
    for reason in summary["stop_reason"].values:
        rows.append(
            long_row(
                summary,
                f"p_stop_{str(reason).replace(' ', '_')}",
                float(summary["stop_probability"].sel(stop_reason=reason)),
                "probability",
            )
        )
    return rows


def figures(summaries: list[xr.Dataset], observed: dict | None = None) -> dict:
    """runs_<scenario>.png: the run-length figure of each scenario."""
    from takeoff.plots import static

    return {
        f"runs_{s.attrs['scenario']}.png": lambda s=s: static.sie_runs(s, names=builtin_names())
        for s in summaries
    }


def interactive_figures(summary: xr.Dataset, observations=()) -> list:
    from takeoff.plots import interactive

    return [("sie", interactive.sie_runs(summary, names=builtin_names()))]


def comparison_figures(summaries: list[xr.Dataset], observations: dict | None = None) -> list:
    from takeoff.plots import interactive

    return [("sie_metrics", interactive.sie_comparison(summaries, names=builtin_names()))]


def report_sections(results, observations: dict | None = None) -> list:
    """A section per scenario: what it assumes, the run-length figure, the table as text."""
    from takeoff.plots.blocks import Details, Figure, Section, Text

    sections = []
    for r in results:
        s = r.summary
        name = str(s.attrs["scenario"])
        stop = s["stop_probability"]
        q = s["doublings_done"]
        sections.append(
            Section(
                f"{name}: {s.attrs['title']}",
                [
                    Text(s.attrs.get("rationale", ""), kind="rationale"),
                    Text(f"Parameters: {s.attrs['parameters']}.", kind="numbers"),
                    Figure(interactive_figures(s)[0][1], name=f"{name}_runs"),
                    Text(
                        f"Doublings done before the simulation stopped: median "
                        f"{float(q.sel(quantile=0.5)):g} (90% interval "
                        f"{float(q.sel(quantile=0.05)):g} to {float(q.sel(quantile=0.95)):g}); "
                        f"stopped at the ceiling in "
                        f"{formatting.probability(float(stop.sel(stop_reason='ceiling')))} of "
                        f"the runs. Not applicable to this model: {s.attrs['not_applicable']}.",
                        kind="caption",
                    ),
                    Details("The forecast as a table", format_sie_summary(s)),
                    Details(f"The scenario file ({name}.toml)", r.scenario.text),
                ],
                anchor=f"scenario-{name}",
            )
        )
    return sections

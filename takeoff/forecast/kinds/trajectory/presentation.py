"""What the trajectory kind shows, beside its headline (``headline``): the table printed per
scenario, its rows of summary.csv (long form), its figures (fans with the observed data behind
them, milestone CDFs, takeoff classes, scenarios side by side) and its sections of the report.
No simulation here: inputs are summaries."""

from __future__ import annotations

import math

import xarray as xr

from takeoff import formatting
from takeoff.forecast.kind import long_row, summary_row_head
from takeoff.forecast.kinds.trajectory.headline import headline, p_hard_or_fast, prior_range
from takeoff.forecast.kinds.trajectory.measures import CLASSES
from takeoff.forecast.scenario import builtin_names
from takeoff.units import QUANTILES

TAKEOFF_NOT_DONE = "takeoff not completed within the horizon"
NO_SINGULARITY = "no singularity within the horizon"


def _end(summary: xr.Dataset) -> str:
    return f"{summary['time'].values[-1]:.0f}"


def _nice(name: str) -> str:
    return str(name).replace("_", " ")


# --- text: the table printed, a wide row, the headline numbers ------------------------------


def format_summary(summary: xr.Dataset) -> str:
    """The table printed per scenario: milestones, takeoff, classes, singularity."""
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
                formatting.date(float(q.sel(quantile=0.5))),
                f"{formatting.date(float(q.sel(quantile=0.05)))} to "
                f"{formatting.date(float(q.sel(quantile=0.95)))}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines += ["   " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    d = summary["duration"]
    lines.append(
        f"   takeoff {a['takeoff_from']} -> {a['takeoff_to']}: median "
        f"{formatting.span(float(d.sel(quantile=0.5)))} (90% interval "
        f"{formatting.span(float(d.sel(quantile=0.05)))} to "
        f"{formatting.span(float(d.sel(quantile=0.95)))})"
    )
    probs = "  ".join(
        f"{c} {float(summary['class_probability'].sel(takeoff_class=c)):.3f}" for c in CLASSES
    )
    lines.append(f"   class: {probs}")
    lines += _prior_range_lines(summary)
    ps = float(summary["p_singularity"])
    sing = f"   P(finite-time singularity within the horizon) = {ps:.3f}"
    if ps > 0:
        s = summary["singularity_date"]
        sing += (
            f"; median date {formatting.date(float(s.sel(quantile=0.5)))} (if any: 5% quantile "
            f"{formatting.date(float(s.sel(quantile=0.05)))})"
        )
    lines.append(sing)
    if "data_check" in summary.attrs:
        lines.append(str(summary.attrs["data_check"]))
    lines += _details_lines(summary)
    lines += _counterfactual_lines(summary)
    if a.get("returns"):  # which returns to research, beside where every input comes from
        lines.append(f"   {a['returns']}")
    lines += source_table(summary)
    return "\n".join(lines)


def _counterfactual_lines(summary: xr.Dataset) -> list[str]:
    """Each milestone under the counterfactual (e.g. AI labour off) and how many years the
    scenario pulls it forward."""
    if "pulled_forward" not in summary:
        return []
    a = summary.attrs
    out = [f"   counterfactual {a['counterfactual']} ({a['counterfactual_title']}):"]
    if "counterfactual_class_probability" in summary:
        p = summary["counterfactual_class_probability"]
        probs = "  ".join(f"{c} {float(p.sel(takeoff_class=c)):.3f}" for c in CLASSES)
        out.append(f"   class: {probs}")
    rows = [["milestone", "P(reached)", "median", "pulled forward (median, 90%)", "P(earlier)"]]
    for name in summary["milestone"].values:
        q = summary["counterfactual_milestone_date"].sel(milestone=name)
        pf = summary["pulled_forward"].sel(milestone=name)
        rows.append(
            [
                str(name),
                f"{float(summary['counterfactual_p_reached'].sel(milestone=name)):.3f}",
                formatting.date(float(q.sel(quantile=0.5))),
                _pull(pf),
                f"{float(summary['p_pulled_forward'].sel(milestone=name)):.3f}",
            ]
        )
    return out + _aligned(rows)


def _prior_range_lines(summary: xr.Dataset) -> list[str]:
    """P(hard or fast) with each labelled prior fixed at its 10th and 90th percentile."""
    spread = prior_range(summary)
    if spread is None:
        return []
    a = summary.attrs
    low, high = (f"{q:.0%}" for q in summary["prior_quantile"].values)
    out = [
        f"   P(hard or fast) {p_hard_or_fast(summary):.3f}; with each labelled prior fixed at "
        f"its {low} and {high} quantile, one at a time ({a['prior_range_draws']:,} draws each, "
        f"{a['prior_range_base']:.3f} with none fixed): {spread[0]:.3f} to {spread[1]:.3f}"
    ]
    rows = [["labelled prior", f"at {low}", "P(hard or fast)", f"at {high}", "P(hard or fast)"]]
    for name in summary["prior_input"].values:
        v = summary["prior_fixed_value"].sel(prior_input=name).values
        p = summary["prior_fixed_p_hard_or_fast"].sel(prior_input=name).values
        rows.append([str(name), f"{v[0]:.4g}", f"{p[0]:.3f}", f"{v[1]:.4g}", f"{p[1]:.3f}"])
    return out + _aligned(rows)


def _details_lines(summary: xr.Dataset) -> list[str]:
    """Prior against the draws used and the grouped Sobol indices (with ``prior_range``)."""
    from takeoff.forecast.headline_sobol import group_sobol_lines
    from takeoff.forecast.prior_posterior import prior_posterior_lines

    return prior_posterior_lines(summary) + group_sobol_lines(summary)


def _details_figures(result) -> list:
    """The prior against the draws used and the grouped Sobol bars, for a scenario whose
    summary has them (``prior_range = true``)."""
    from takeoff.forecast.headline_sobol import sobol_frame
    from takeoff.forecast.prior_posterior import prior_against_draws as against
    from takeoff.plots import scenario_details as figures
    from takeoff.plots.blocks import Figure

    s, out = result.summary, []
    name = str(s.attrs["scenario"])
    if "width_ratio90" in s:
        checks = against(result.scenario, seed=int(s.attrs["seed"]))
        out.append(Figure(figures.prior_against_draws(checks), name=f"{name}_priors"))
    frame = sobol_frame(s)
    if len(frame):
        out.append(Figure(figures.group_sobol_bars(frame), name=f"{name}_sobol"))
    return out


def _pull(pf) -> str:
    """'median (5% to 95%)' of the years pulled forward, or the one word that says it all."""
    low, mid, high = (float(pf.sel(quantile=q)) for q in (0.05, 0.5, 0.95))
    if low == mid == high and not math.isfinite(mid):
        return _years(mid) if not math.isnan(mid) else "n/a"
    return f"{_years(mid)} ({_years(low)} to {_years(high)})"


def _years(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return "reached only with the scenario's parameters" if value > 0 else "only without"
    return f"{value:+.1f} yr"


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["   " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]


def source_table(summary: xr.Dataset) -> list[str]:
    """Where each input comes from (a posterior, a prior, a number) and why."""
    if "input_source" not in summary:
        return []
    out = ["   where each input comes from:"]
    for key, where, why in zip(
        summary["input"].values,
        summary["input_source"].values,
        summary["input_reason"].values,
        strict=True,
    ):
        out.append(f"     {key} = {where}" + (f"  ({why})" if str(why) else ""))
    return out


def summary_row(summary: xr.Dataset) -> dict:
    """One CSV row per scenario (inf written as 'inf': not reached)."""
    row = summary_row_head(summary)
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


def caption(summary: xr.Dataset) -> str:
    return (
        f"Takeoff: {summary.attrs['takeoff_from']} to {summary.attrs['takeoff_to']}. Hard < 30 "
        "days < fast < 1 year < moderate < 10 years < slow; not reached within the horizon."
    )


def interactive_comparison(summaries: list[xr.Dataset]):
    """One figure across scenarios: their takeoff-class probabilities."""
    from takeoff.plots import interactive

    return interactive.class_bars({s.attrs["scenario"]: s for s in summaries})


# --- summary.csv -----------------------------------------------------------------------------


def long_rows(summary: xr.Dataset) -> list[dict]:
    """summary.csv rows of a trajectory forecast (one number per row; see the README)."""
    from takeoff.plots.layout import quantity_axis

    a = summary.attrs
    watched = (
        [str(q) for q in summary["milestone_quantity"].values]
        if "milestone_quantity" in summary.coords
        else [str(a["watch"])] * summary.sizes["milestone"]
    )
    units = {m: quantity_axis(str(a["family"]), q)[1] for m, q in zip(
        [str(m) for m in summary["milestone"].values], watched, strict=True)}  # fmt: skip
    takeoff = f"{a['takeoff_from']} -> {a['takeoff_to']}"
    rows = [
        long_row(summary, "draws", a["draws"], "draws"),
        long_row(summary, "seed", a["seed"]),
    ]
    for name in summary["milestone"].values:
        m = str(name)
        rows.append(
            long_row(
                summary,
                "milestone_level",
                float(summary["milestone_level"].sel(milestone=m)),
                units[m],
                milestone=m,
            )
        )
        rows.append(
            long_row(
                summary,
                "p_reached",
                float(summary["p_reached"].sel(milestone=m)),
                "probability",
                milestone=m,
            )
        )
        rows += _quantile_rows(
            summary, "milestone_date", summary["milestone_date"].sel(milestone=m),
            "decimal year", milestone=m,
        )  # fmt: skip
    rows += _quantile_rows(
        summary, "takeoff_duration", summary["duration"], "yr", milestone=takeoff,
        never=TAKEOFF_NOT_DONE,
    )  # fmt: skip
    for c in CLASSES:
        rows.append(
            long_row(
                summary,
                f"p_{c.replace(' ', '_')}",
                float(summary["class_probability"].sel(takeoff_class=c)),
                "probability",
                milestone=takeoff,
            )
        )
    rows.append(
        long_row(
            summary, "p_hard_or_fast", p_hard_or_fast(summary), "probability", milestone=takeoff
        )
    )
    rows += _prior_range_rows(summary, takeoff)
    rows += _counterfactual_rows(summary)
    rows.append(long_row(summary, "p_singularity", float(summary["p_singularity"]), "probability"))
    rows += _quantile_rows(
        summary, "singularity_date_given_one", summary["singularity_date"], "decimal year",
        never=NO_SINGULARITY,
    )  # fmt: skip
    return rows


def _prior_range_rows(summary: xr.Dataset, takeoff: str) -> list[dict]:
    """The least and the most P(hard or fast) with a labelled prior fixed at its 10th or 90th
    percentile, and the draws each of those runs took."""
    spread = prior_range(summary)
    if spread is None:
        return []
    return [
        long_row(summary, "p_hard_or_fast_prior_min", spread[0], "probability", milestone=takeoff),
        long_row(summary, "p_hard_or_fast_prior_max", spread[1], "probability", milestone=takeoff),
        long_row(summary, "prior_range_draws", summary.attrs["prior_range_draws"], "draws"),
    ]


def _quantile_rows(summary: xr.Dataset, quantity: str, values, unit: str, **kw) -> list[dict]:
    """One summary.csv row per quantile of ``values`` (a DataArray over ``quantile``)."""
    return [
        long_row(summary, quantity, float(values.sel(quantile=q)), unit, quantile=q, **kw)
        for q in QUANTILES
    ]


def _counterfactual_rows(summary: xr.Dataset) -> list[dict]:
    """Where the scenario has a counterfactual (the same draws with some parameters changed,
    e.g. AI labour off): its milestone dates and how many years each milestone is pulled
    forward."""
    if "counterfactual_milestone_date" not in summary:
        return []
    rows = []
    if "counterfactual_class_probability" in summary:
        a = summary.attrs
        for c in CLASSES:
            rows.append(
                long_row(
                    summary,
                    f"counterfactual_p_{c.replace(' ', '_')}",
                    float(summary["counterfactual_class_probability"].sel(takeoff_class=c)),
                    "probability",
                    milestone=f"{a['takeoff_from']} -> {a['takeoff_to']}",
                )
            )
    for name in summary["milestone"].values:
        m = str(name)
        rows.append(
            long_row(
                summary,
                "counterfactual_p_reached",
                float(summary["counterfactual_p_reached"].sel(milestone=m)),
                "probability",
                milestone=m,
            )
        )
        for q in QUANTILES:
            rows.append(
                long_row(
                    summary,
                    "counterfactual_milestone_date",
                    float(summary["counterfactual_milestone_date"].sel(milestone=m, quantile=q)),
                    "decimal year",
                    milestone=m,
                    quantile=q,
                )
            )
        for q in QUANTILES:  # each quantity's quantiles together, as everywhere in the file
            rows.append(
                long_row(
                    summary,
                    "pulled_forward",
                    float(summary["pulled_forward"].sel(milestone=m, quantile=q)),
                    "yr",
                    milestone=m,
                    quantile=q,
                    never="reached within the horizon only with the scenario's parameters",
                    below="reached within the horizon only in the counterfactual",
                    undefined="reached within the horizon in neither",
                )
            )
        rows.append(
            long_row(
                summary,
                "p_pulled_forward",
                float(summary["p_pulled_forward"].sel(milestone=m)),
                "probability",
                milestone=m,
                undefined="reached within the horizon in neither",
            )
        )
    return rows


# --- figures ---------------------------------------------------------------------------------


def figures(summaries: list[xr.Dataset], observed: dict | None = None) -> dict:
    """classes.png across the scenarios, and a fan chart (with the observed data behind it)
    and milestone CDFs per scenario (each as a function that draws it)."""
    from takeoff.plots import static

    observed = observed or {}
    out = {"classes.png": lambda: static.class_bars({s.attrs["scenario"]: s for s in summaries})}
    for s in summaries:
        name = s.attrs["scenario"]
        shown = tuple(observed.get(name, ()))
        out[f"fan_{name}.png"] = lambda s=s, o=shown: static.fan_chart(
            s, observations=o, names=builtin_names()
        )
        out[f"milestones_{name}.png"] = lambda s=s: static.milestone_cdfs(s)
    return out


def interactive_figures(summary: xr.Dataset, observations=()) -> list:
    """(key, plotly figure) pairs for a page: the fan chart, milestone CDFs, the class bar."""
    from takeoff.plots import interactive

    name = summary.attrs["scenario"]
    return [
        (
            "fan",
            interactive.fan_chart(summary, observations=tuple(observations), names=builtin_names()),
        ),
        ("cdfs", interactive.milestone_cdfs(summary)),
        ("classes", interactive.class_bars({name: summary}, height=260)),
    ]


def _rows(summaries, values, never_label: str):
    """(scenario, q05, q25, q50, q75, q95, note) of ``values(summary)`` (a DataArray over
    quantile and the chance it is never reached)."""
    rows = []
    for s in summaries:
        q, p_never = values(s)
        cells = [float(q.sel(quantile=v)) for v in QUANTILES]
        note = f"{never_label}: {formatting.probability(p_never)}" if p_never > 0 else ""
        rows.append((str(s.attrs["scenario"]), *cells, note))
    return rows


def comparison_figures(summaries: list[xr.Dataset], observations: dict | None = None) -> list:
    """Scenarios side by side on what they have in common: takeoff classes, the takeoff
    duration, the date of the takeoff's last milestone, and one chart per watched quantity
    shared by two or more scenarios (their fans together, with the observed data)."""
    from takeoff.plots import interactive
    from takeoff.plots.layout import span_ticks, watch_axis

    observations = observations or {}
    out = [("classes", interactive.class_bars({s.attrs["scenario"]: s for s in summaries}))]
    durations = _rows(
        summaries,
        lambda s: (s["duration"], float(s["class_probability"].sel(takeoff_class="not reached"))),
        "not completed",
    )
    finite = [v for r in durations for v in r[1:6] if 0 < v < float("inf")]
    if finite:
        out.append(
            (
                "durations",
                interactive.interval_rows(
                    durations,
                    title="Takeoff duration: median, 50% and 90% intervals",
                    xtitle="from the first to the last takeoff milestone",
                    log=True,
                    ticks=span_ticks(min(finite) / 2, max(finite) * 2),
                ),
            )
        )
    dates = _rows(
        summaries,
        lambda s: (
            s["milestone_date"].sel(milestone=s.attrs["takeoff_to"]),
            1.0 - float(s["p_reached"].sel(milestone=s.attrs["takeoff_to"])),
        ),
        "not reached",
    )
    labelled = [
        (f"{r[0]} ({_nice(s.attrs['takeoff_to'])})", *r[1:])
        for r, s in zip(dates, summaries, strict=True)
    ]
    out.append(
        (
            "dates",
            interactive.interval_rows(
                labelled,
                title="When the takeoff's last milestone is reached: median, 50% and 90%",
                xtitle="year",
                names=builtin_names(),
            ),
        )
    )
    groups: dict[tuple[str, str], list] = {}
    for s in summaries:
        groups.setdefault(watch_axis(s), []).append(s)
    for members in groups.values():
        if len(members) < 2:
            continue
        seen, shown = set(), []
        for s in members:
            for obs in observations.get(s.attrs["scenario"], ()):
                key = (obs.fit, obs.data_hash)
                if key not in seen:
                    seen.add(key)
                    shown.append(obs)
        key = f"overlay_{members[0].attrs['family']}_{members[0].attrs['watch']}"
        out.append((key, interactive.fan_overlay(members, shown, names=builtin_names())))
    return out


# --- report ----------------------------------------------------------------------------------


def report_sections(results, observations: dict | None = None) -> list:
    """A section per scenario: what it assumes (title, rationale), its headline numbers, its
    fan chart with the observed data, milestone CDFs, and the full table as text."""
    from takeoff.plots.blocks import Details, Figure, Section, Text

    observations = observations or {}
    sections = []
    for r in results:
        s = r.summary
        name = str(s.attrs["scenario"])
        numbers = "; ".join(f"{label}: {value}" for _, label, value in headline(s)[1:])
        figs = interactive_figures(s, observations.get(name, ()))
        data_note = [
            Text(
                f"Black points: the {o.observed.size} observations of {o.dataset or o.fit} that "
                f"the {o.fit} fit was fitted to, in the same units as the forecast."
            )
            for o in observations.get(name, ())
        ]
        sections.append(
            Section(
                f"{name}: {s.attrs['title']}",
                [
                    Text(s.attrs.get("rationale", ""), kind="rationale"),
                    Text(numbers, kind="numbers"),
                    Figure(figs[0][1], name=f"{name}_fan"),
                    *data_note,
                    Figure(figs[1][1], name=f"{name}_milestones"),
                    *_details_figures(r),
                    Text(caption(s), kind="caption"),
                    Details("The forecast as a table", format_summary(s)),
                    Details(f"The scenario file ({name}.toml)", r.scenario.text),
                ],
                anchor=f"scenario-{name}",
            )
        )
    return sections

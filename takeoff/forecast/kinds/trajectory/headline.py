"""The trajectory kind's headline: the numbers a forecast is summarised by (``headline``) and
its headline table (``headline_table``), a row per scenario.

Forecasts and illustrations are told apart by what a scenario declares: ``[scenario]
illustration = true`` marks an essay's position written in abstract units and placed at a date
by assumption (``summary.attrs["illustration"]``); the dispatch over kinds
(``takeoff.forecast.kinds.headline_tables``) gives the forecasts' table first and the
illustrations' after every kind's forecasts. A table states its takeoff definition in its title
when every row shares it (the same quantity and unit, the same ``from`` and ``to`` levels: for
the forecasts, a METR 50% horizon of a work month to a work year), and its note says what each
class means for that span. Beside a scenario's P(hard or fast): its value under the scenario's
counterfactual (e.g. AI labour off) and its range across the labelled priors, where the summary
has them (``takeoff.forecast.prior_range``). A row's ``note`` (from the scenario file) says where
a number restates an input; where it speaks of singularities, their median date follows it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import xarray as xr

from takeoff import formatting
from takeoff.forecast.kind import is_illustration
from takeoff.forecast.scenario import HEADLINE

CLASS_WORDS = "hard < 30 days, fast < 1 year, moderate 1-10 years, slow > 10 years"
FORECASTS = "Trajectory forecasts"
ILLUSTRATIONS = "Positions of the essays (abstract units, not forecasts)"
COLUMNS = (
    "scenario",
    "milestone",
    "median date",
    "90% interval",
    "P(reached)",
    "takeoff (median)",
    "P(hard or fast)",
    "P(singularity)",
    "note",
)


def _nice(name: str) -> str:
    return str(name).replace("_", " ")


@dataclass(frozen=True)
class Span:
    """What a scenario's takeoff measures: a quantity (its words and unit) from one named level
    to another. Two spans are the same when quantity, unit and levels are (families word the
    same quantity differently)."""

    quantity: str
    words: str = field(compare=False)
    unit: str
    start: tuple[str, float]
    end: tuple[str, float]

    def level(self, which: tuple[str, float]) -> str:
        name, level = which
        amount = f"{level / 60:,.0f} h" if self.unit == "minutes" else f"{level:,g}"
        return f"{amount} ({_nice(name)})"


def takeoff_span(summary: xr.Dataset) -> Span:
    """The span of a trajectory forecast's takeoff, read from its summary."""
    a = summary.attrs
    names = [str(m) for m in summary["milestone"].values]
    levels = [float(v) for v in summary["milestone_level"].values]
    quantities = (
        [str(q) for q in summary["milestone_quantity"].values]
        if "milestone_quantity" in summary.coords
        else [str(a["watch"])] * len(names)
    )
    from takeoff.plots.layout import quantity_axis

    i, j = names.index(str(a["takeoff_from"])), names.index(str(a["takeoff_to"]))
    words, unit = quantity_axis(str(a["family"]), quantities[j])
    words = re.sub(r"\s*[\[(].*?[\])]", "", words).strip()  # the unit is said with the levels
    return Span(quantities[j], words, unit, (names[i], levels[i]), (names[j], levels[j]))


def shared_span(summaries: list[xr.Dataset]) -> Span | None:
    """The takeoff span every summary shares (quantity, unit and levels), or None; worded as
    the headline scenario's family words it where the headline is among them (the title does
    not change with the order of the rows)."""
    spans = {str(s.attrs["scenario"]): takeoff_span(s) for s in summaries}
    if not spans or len(set(spans.values())) > 1:
        return None
    return spans.get(HEADLINE, next(iter(spans.values())))


def p_hard_or_fast(summary: xr.Dataset, variable: str = "class_probability") -> float:
    p = summary[variable]
    return float(p.sel(takeoff_class="hard")) + float(p.sel(takeoff_class="fast"))


def prior_range(summary: xr.Dataset) -> tuple[float, float] | None:
    """The least and the most P(hard or fast) with a labelled prior fixed (None if absent)."""
    if "prior_fixed_p_hard_or_fast" not in summary:
        return None
    values = summary["prior_fixed_p_hard_or_fast"].values
    return float(values.min()), float(values.max())


def _range(low: float, high: float) -> str:
    return f"{formatting.probability(low)}-{formatting.probability(high)}"


def hard_or_fast_cell(summary: xr.Dataset) -> str:
    """P(hard or fast), with its value under the counterfactual and its range across the
    labelled priors in brackets where the summary has them."""
    beside = []
    if "counterfactual_class_probability" in summary:
        p = p_hard_or_fast(summary, "counterfactual_class_probability")
        beside.append(f"{_nice(summary.attrs['counterfactual'])} {formatting.probability(p)}")
    spread = prior_range(summary)
    if spread is not None:
        beside.append(f"labelled priors {_range(*spread)}")
    value = formatting.probability(p_hard_or_fast(summary))
    return f"{value} ({'; '.join(beside)})" if beside else value


def row_note(summary: xr.Dataset) -> str:
    """The scenario's note, followed by the median date of its singularities where it speaks
    of them and has any."""
    note = str(summary.attrs.get("note", ""))
    if "singular" in note and float(summary["p_singularity"]) > 0:
        median = float(summary["singularity_date"].sel(quantile=0.5))
        note += f" (median singularity {formatting.date(median, 1)})"
    return note


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    """(column, label, value) of the numbers a trajectory forecast is summarised by: the column
    is the same for every scenario (for tables), the label says it in words (for metrics)."""
    to = summary.attrs["takeoff_to"]
    end = f"{summary['time'].values[-1]:.0f}"
    nice = _nice(to)
    median = float(summary["milestone_date"].sel(milestone=to, quantile=0.5))
    out = [
        ("milestone", "milestone", nice),
        (
            "P(reached)",
            f"P({nice} by {end})",
            formatting.probability(float(summary["p_reached"].sel(milestone=to))),
        ),
        ("median date", f"{nice}: median date", formatting.date(median, decimals=1)),
        (
            "takeoff duration (median)",
            "takeoff duration (median)",
            formatting.span(float(summary["duration"].sel(quantile=0.5))),
        ),
        (
            "P(hard or fast)",
            "P(hard or fast takeoff)",
            formatting.probability(p_hard_or_fast(summary)),
        ),
    ]
    if "counterfactual_class_probability" in summary:
        cf = _nice(summary.attrs["counterfactual"])
        p = p_hard_or_fast(summary, "counterfactual_class_probability")
        out.append((f"P(hard or fast), {cf}", f"P(hard or fast), {cf}", formatting.probability(p)))
    spread = prior_range(summary)
    if spread is not None:
        label = "P(hard or fast), labelled priors at 10th-90th pct"
        out.append((label, label, _range(*spread)))
    out.append(
        (
            "P(singularity)",
            f"P(singularity by {end})",
            formatting.probability(float(summary["p_singularity"])),
        )
    )
    return out


def _row(s: xr.Dataset) -> tuple[str, ...]:
    to = s.attrs["takeoff_to"]
    q = s["milestone_date"].sel(milestone=to)
    low, high = float(q.sel(quantile=0.05)), float(q.sel(quantile=0.95))
    interval = (
        "not reached"
        if low == math.inf
        else f"{formatting.date(low, 1)} to {formatting.date(high, 1)}"
    )
    duration = float(s["duration"].sel(quantile=0.5))
    end = f"{s['time'].values[-1]:.0f}"
    return (
        str(s.attrs["scenario"]),
        _nice(to),
        formatting.date(float(q.sel(quantile=0.5)), decimals=1),
        interval,
        f"{formatting.probability(float(s['p_reached'].sel(milestone=to)))} by {end}",
        formatting.span(duration) if duration < math.inf else "not completed",
        hard_or_fast_cell(s),
        formatting.probability(float(s["p_singularity"])),
        row_note(s),
    )


def _beside_note(summaries: list[xr.Dataset]) -> str:
    """What the brackets beside P(hard or fast) hold, for the rows that have them."""
    out = []
    for cf, title in dict.fromkeys(
        (str(s.attrs["counterfactual"]), str(s.attrs["counterfactual_title"]))
        for s in summaries
        if "counterfactual_class_probability" in s
    ):
        out.append(f"'{_nice(cf)}': P(hard or fast) of {title}")
    for s in summaries:
        if prior_range(s) is not None:
            n = int(s.attrs["prior_range_draws"])
            out.append(
                f"'labelled priors' ({s.attrs['scenario']}): the least and the most P(hard or "
                "fast) with each labelled prior (an assumed distribution, not a posterior) fixed "
                f"at its 10th and at its 90th percentile, one at a time ({n:,} draws each)"
            )
    return "In brackets beside P(hard or fast): " + "; ".join(out) + "." if out else ""


def headline_table(summaries: list[xr.Dataset]) -> formatting.Table:
    """A row per scenario: the takeoff's last milestone (its median date and 90% interval, the
    chance it is reached within the horizon), the takeoff duration, P(hard or fast) (with its
    value under the counterfactual and its range across the labelled priors where known),
    P(singularity) and the scenario's note. Titled with the takeoff definition the rows share;
    illustrations (every summary one) get the essays' title."""
    rows = tuple(_row(s) for s in summaries)
    span = shared_span(summaries)
    illustrations = bool(summaries) and all(is_illustration(s) for s in summaries)
    if illustrations:
        return formatting.Table(
            ILLUSTRATIONS, COLUMNS, rows, note=_illustrations_note(summaries, span)
        )
    if span is None:
        title = (
            f"{FORECASTS}: the takeoff's last milestone, how long the takeoff takes (from the "
            "scenario's first to its last takeoff milestone: the spans differ between rows)"
        )
        classes = f"Classes: {CLASS_WORDS}."
    else:
        what = f"{span.words} from {span.level(span.start)} to {span.level(span.end)}"
        title = f"{FORECASTS}. Takeoff = {what}: {CLASS_WORDS}"
        classes = (
            f"Hard: the {span.words} goes from {span.level(span.start)} to "
            f"{span.level(span.end)} in under 30 days; fast: in under a year; moderate: in 1 to "
            "10 years; slow: in over 10 years."
        )
    note = " ".join(
        part
        for part in (
            classes,
            "'not reached', 'not completed': not within the scenario's horizon.",
            _beside_note(summaries),
        )
        if part
    )
    return formatting.Table(title, COLUMNS, rows, note=note)


def _illustrations_note(summaries: list[xr.Dataset], span: Span | None) -> str:
    """How to read the essays' rows: what their takeoff spans, in what units, from when."""
    starts = {round(float(s["time"].values[0]), 2) for s in summaries}
    placed = f", placed at {starts.pop():g} by assumption" if len(starts) == 1 else ""
    spans = [takeoff_span(s) for s in summaries]
    if len({(sp.start, sp.end) for sp in spans}) == 1:
        first = spans[0]
        what = (
            f"from {first.start[1]:,g} ({_nice(first.start[0])}{placed}) to {first.end[1]:,g} "
            f"({_nice(first.end[0])})"
        )
        units = "" if span is not None else " in each model's own abstract units"
        takeoff = f"Takeoff {what}{units}"
    else:
        takeoff = "Takeoff from each scenario's first to its last takeoff milestone"
    return (
        f"{takeoff}: {CLASS_WORDS}. These rows restate the positions of the seed essays as "
        "models with assumed units and dates; where a number follows from an input, the note "
        "says so. They are not forecasts and share no scale with the forecasts above."
    )

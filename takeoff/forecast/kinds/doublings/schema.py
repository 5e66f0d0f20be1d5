"""The doublings kind's scenario tables: [scenario] (name, title, rationale, family, years,
variant), [parameters] (f, r0, L, p: numbers, distributions or posteriors), [metrics] (pairs of
T months and m years) and [correlations], read into a ``Scenario``; every error names the key
and its line."""

from __future__ import annotations

import math

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import Scenario, read_correlations
from takeoff.forecast.schema import (
    REQUIRED,
    At,
    Key,
    Schema,
    Sources,
    Table,
    choice,
    horizon_years,
    one_line,
    string,
)
from takeoff.models.sie import PUBLISHED_PAIRS, SIE_DOUBLINGS, VARIANTS, doublings_for


def _pairs(value, at: At) -> tuple[tuple[float, float], ...]:
    """[[T_months, m_years], ...]: each positive, each a metric the recursion can measure, each
    given once."""
    if not isinstance(value, list) or not value:
        raise at.error("must be a non-empty list of [T_months, m_years]")
    metrics: list[tuple[float, float]] = []
    for item in value:
        ok = (
            isinstance(item, list)
            and len(item) == 2
            and all(
                isinstance(x, int | float)
                and not isinstance(x, bool)
                and math.isfinite(x)
                and x > 0
                for x in item
            )
        )
        if not ok:
            raise at.error(f"each pair must be [T_months, m_years], both positive; got {item!r}")
        try:
            doublings_for(float(item[0]), float(item[1]))
        except TakeoffError as exc:
            raise at.error(str(exc)) from None
        pair = (float(item[0]), float(item[1]))
        if pair in metrics:
            raise at.error(f"the pair {item!r} is given twice; give it once")
        metrics.append(pair)
    return tuple(metrics)


NAME = SIE_DOUBLINGS.name
SCHEMA = Schema(
    (
        Table(
            "scenario",
            (
                Key("name", string, REQUIRED),
                Key("title", default=""),
                Key("rationale", one_line, ""),
                Key("family", string, REQUIRED),
                Key("years", horizon_years, 4.0),  # simulations stop at 12 * years months
                Key("variant", choice(VARIANTS, "variant"), VARIANTS[0]),
            ),
            unknown=f"unknown key for {NAME}; use: {{keys}}",
            required=True,
        ),
        Sources(
            "parameters",
            lambda context: SIE_DOUBLINGS.parameter_names,
            "unknown parameter for {model}; parameters: {names}",
            ranged=True,
        ),
        Table(
            "metrics",
            (Key("pairs", _pairs, tuple((float(t), float(m)) for t, m in PUBLISHED_PAIRS)),),
            unknown="unknown key; use pairs = [[T_months, m_years], ...]",
        ),
    ),
    unknown_table=f"does not apply to {NAME}, which measures years of progress within T "
    "months (no states, milestones or switch); use: {tables}",
    extra_tables=("correlations",),
)


def parse(doc, head, lines, text) -> Scenario:
    """A scenario of the sie_doublings family: parameters, variant, horizon and metrics."""
    SCHEMA.check_tables(doc, lines)
    context = {"model": SIE_DOUBLINGS}
    h = SCHEMA.read(doc, "scenario", lines, context)
    parameters = SCHEMA.read(doc, "parameters", lines, context)
    metrics = SCHEMA.read(doc, "metrics", lines, context)["pairs"]
    return Scenario(
        name=h["name"],
        title=h["title"],
        rationale=h["rationale"],
        family=NAME,
        kind="doublings",
        start=0.0,
        years=h["years"],
        parameters=parameters,
        correlations=read_correlations(doc, parameters, lines),
        text=text,
        variant=h["variant"],
        metrics=metrics,
    )

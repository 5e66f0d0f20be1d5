"""The doublings kind's scenario tables: [scenario] (name, title, rationale, family, years,
variant), [parameters] (f, r0, L, p: numbers, distributions or posteriors), [metrics] (pairs of
T months and m years) and [correlations], read into a ``Scenario``; every error names the key
and its line."""

from __future__ import annotations

import math

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import (
    Scenario,
    check_fixed_in_range,
    check_years,
    read_correlations,
    read_key,
    read_source,
    read_table,
)
from takeoff.models.sie_doublings import PUBLISHED_PAIRS, SIE_DOUBLINGS, VARIANTS, doublings_for

TABLES = ("correlations", "metrics", "parameters", "scenario")


def parse(doc, head, lines, text) -> Scenario:
    """A scenario of the sie_doublings family: parameters, variant, horizon and metrics."""
    model = SIE_DOUBLINGS
    for table in doc:
        if table not in TABLES:
            raise lines.error(
                table,
                None,
                f"does not apply to {model.name}, which measures years of progress within T "
                f"months (no states, milestones or switch); use: {', '.join(TABLES)}",
            )
    allowed = ("name", "title", "rationale", "family", "years", "variant")
    for key in head:
        if key not in allowed:
            raise lines.error(
                "scenario", key, f"unknown key for {model.name}; use: {', '.join(allowed)}"
            )
    years = check_years(head, lines) if "years" in head else 4.0
    variant = head.get("variant", VARIANTS[0])
    if variant not in VARIANTS:
        raise lines.error(
            "scenario",
            "variant",
            f"unknown variant {variant!r}; choose one of: {', '.join(VARIANTS)}",
        )
    parameters = {}
    for key, value in read_table(doc, "parameters", lines).items():
        if key not in model.parameter_names:
            raise lines.error(
                "parameters",
                key,
                f"unknown parameter for {model.name}; parameters: "
                f"{', '.join(model.parameter_names)}",
            )
        parameters[key] = read_source(value, "parameters", key, lines)
        check_fixed_in_range(model, key, parameters[key], "parameters", lines)
    metrics_table = read_table(doc, "metrics", lines)
    for key in metrics_table:
        if key != "pairs":
            raise lines.error("metrics", key, "unknown key; use pairs = [[T_months, m_years], ...]")
    pairs = metrics_table.get("pairs", [list(p) for p in PUBLISHED_PAIRS])
    if not isinstance(pairs, list) or not pairs:
        raise lines.error("metrics", "pairs", "must be a non-empty list of [T_months, m_years]")
    metrics = []
    for item in pairs:
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
            raise lines.error(
                "metrics",
                "pairs",
                f"each pair must be [T_months, m_years], both positive; got {item!r}",
            )
        try:
            doublings_for(float(item[0]), float(item[1]))
        except TakeoffError as exc:
            raise lines.error("metrics", "pairs", str(exc)) from None
        pair = (float(item[0]), float(item[1]))
        if pair in metrics:
            raise lines.error("metrics", "pairs", f"the pair {item!r} is given twice; give it once")
        metrics.append(pair)
    return Scenario(
        name=read_key(head, "name", str, lines, "scenario"),
        title=head.get("title", ""),
        rationale=" ".join(str(head.get("rationale", "")).split()),
        family=model.name,
        kind="doublings",
        start=0.0,
        years=years,
        parameters=parameters,
        correlations=read_correlations(doc, parameters, lines),
        text=text,
        variant=variant,
        metrics=tuple(metrics),
    )

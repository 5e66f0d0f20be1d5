"""The trajectory kind's scenario tables: [scenario] (family, start, years, points, watch,
check_data), [initial], [parameters], [milestones] (named levels of the watched quantity),
[takeoff] (from, to), [switch], [counterfactual] and [correlations] (see
takeoff.forecast.scenario), read into a ``Scenario``; every error names the key and its line.

Parameters may come from a fit of the same family: ``[parameters] posterior = "FIT"`` takes all
of the family's parameters and initial states from the fit's posterior (through the fit's
``FamilyLink``: units converted in code) and ``start = "fit"`` starts at the fit's reference
date. A single parameter can name a family parameter too (``T0 = { posterior = "FIT", variable
= "T0" }``). A scenario that disagrees with its fit — another family, a family parameter mapped
onto another parameter, an initial state from the fit at another start date — is refused.
"""

from __future__ import annotations

import itertools
import math

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import (
    Counterfactual,
    Scenario,
    check_fixed_in_range,
    check_years,
    read_correlations,
    read_key,
    read_number,
    read_source,
    read_table,
)
from takeoff.forecast.sources import FromPosterior
from takeoff.models.registry import get_family

TABLES = (
    "correlations",
    "counterfactual",
    "initial",
    "milestones",
    "parameters",
    "scenario",
    "switch",
    "takeoff",
)
HEAD_KEYS = (
    "name", "title", "rationale", "family", "start", "years", "points", "watch", "check_data",
)  # fmt: skip
FIT_START = "fit"


def parse(doc, head, lines, text) -> Scenario:
    for table in doc:
        if table not in TABLES:
            raise lines.error(table, None, f"unknown table; use: {', '.join(TABLES)}")
    for key in head:
        if key not in HEAD_KEYS:
            raise lines.error("scenario", key, "unknown key")
    family = read_key(head, "family", str, lines, "scenario")
    fam = get_family(family)
    raw_parameters = dict(read_table(doc, "parameters", lines))
    fit = _whole_fit(raw_parameters.pop("posterior", None), family, lines)
    start = _start(head, fit, lines)
    years = check_years(head, lines)
    points = head.get("points", round(years * 24) + 1)
    if not isinstance(points, int) or isinstance(points, bool) or points < 2:
        raise lines.error("scenario", "points", f"must be an integer >= 2; got {points!r}")
    watchable = [*fam.state_names, *(d.name for d in fam.derived)]
    watch = head.get("watch", fam.state_names[0])
    if watch not in watchable:
        raise lines.error(
            "scenario",
            "watch",
            f"'{watch}' is not a state or derived quantity "
            f"of {family}; choose one of: {', '.join(watchable)}",
        )

    initial = {}
    for key, value in read_table(doc, "initial", lines).items():
        if key not in fam.state_names:
            raise lines.error(
                "initial", key, f"unknown state for {family}; states: {', '.join(fam.state_names)}"
            )
        initial[key] = read_source(value, "initial", key, lines, positive=True)
    parameters = {}
    for key, value in raw_parameters.items():
        if key not in fam.parameter_names:
            raise lines.error(
                "parameters",
                key,
                f"unknown parameter for {family}; parameters: {', '.join(fam.parameter_names)}",
            )
        parameters[key] = read_source(value, "parameters", key, lines)
        check_fixed_in_range(fam, key, parameters[key], "parameters", lines)
    if fit is not None:  # the fit's family parameters and initial states, unless given here
        from takeoff.models.fits.exports import at_date

        name, spec, fit_start = fit
        if start != fit_start and spec.family.shift is None:
            raise lines.error(
                "scenario",
                "start",
                f"{spec.name}'s {family} parameters hold at {fit_start:g} only; use "
                f'start = "{FIT_START}"',
            )

        def dated(key: str) -> str:
            return key if start == fit_start else at_date(key, start)

        for key in spec.family.parameters:
            parameters.setdefault(key, FromPosterior(name, dated(key)))
        for key in spec.family.initial:
            initial.setdefault(key, FromPosterior(name, dated(f"initial.{key}")))

    milestones, milestone_watch = _milestones(doc, lines, watch, watchable)
    names = [m[0] for m in milestones]
    raw_takeoff = read_table(doc, "takeoff", lines)
    takeoff = (raw_takeoff.get("from", names[0]), raw_takeoff.get("to", names[-1]))
    for key, value in zip(("from", "to"), takeoff, strict=True):
        if value not in names:
            raise lines.error(
                "takeoff", key, f"'{value}' is not a milestone; milestones: {', '.join(names)}"
            )
    if names.index(takeoff[1]) <= names.index(takeoff[0]):
        raise lines.error("takeoff", "to", "must be a later milestone than 'from'")

    switch = read_table(doc, "switch", lines)
    switch_at, switch_parameters, switch_jumps = None, {}, {}
    if switch:
        switch_at = read_number(switch, "at", lines, "switch")
        if not start < switch_at < start + years:
            raise lines.error(
                "switch",
                "at",
                f"must lie inside the horizon ({start:g}, {start + years:g}); got {switch_at:g}",
            )
        for key in switch:
            if key not in ("at", "parameters", "jump"):
                raise lines.error(
                    "switch", key, "unknown key; use 'at', [switch.parameters], [switch.jump]"
                )
        for key, value in switch.get("jump", {}).items():
            if key not in fam.state_names:
                raise lines.error(
                    "switch.jump",
                    key,
                    f"unknown state for {family}; states: {', '.join(fam.state_names)}",
                )
            switch_jumps[key] = read_source(value, "switch.jump", key, lines, positive=True)
        for key, value in switch.get("parameters", {}).items():
            if key not in fam.parameter_names:
                raise lines.error("switch.parameters", key, f"unknown parameter for {family}")
            switch_parameters[key] = read_source(value, "switch.parameters", key, lines)
            check_fixed_in_range(fam, key, switch_parameters[key], "switch.parameters", lines)
        if not switch_parameters and not switch_jumps:
            raise lines.error(
                "switch", None, "needs [switch.parameters] or [switch.jump] to change"
            )

    _check_fit_sources(
        [
            ("parameters", parameters),
            ("initial", initial),
            ("switch.parameters", switch_parameters),
        ],
        family,
        start,
        lines,
    )
    return Scenario(
        name=read_key(head, "name", str, lines, "scenario"),
        title=head.get("title", ""),
        rationale=" ".join(str(head.get("rationale", "")).split()),
        family=family,
        kind="trajectory",
        start=start,
        years=years,
        points=points,
        watch=watch,
        initial=initial,
        parameters=parameters,
        milestones=tuple(milestones),
        takeoff=takeoff,
        switch_at=switch_at,
        switch_parameters=switch_parameters,
        switch_jumps=switch_jumps,
        milestone_watch=milestone_watch,
        counterfactual=_counterfactual(doc, fam, lines),
        correlations=read_correlations(doc, parameters, lines),
        text=text,
        fit=fit[0] if fit else None,
        check_data=_check_data(head, lines),
    )


def _check_data(head, lines) -> bool:
    """``check_data = true``: run the scenario over its data period too (takeoff.forecast.
    data_check) and report how well it reproduces the observations."""
    value = head.get("check_data", False)
    if not isinstance(value, bool):
        raise lines.error("scenario", "check_data", f"must be true or false; got {value!r}")
    return value


def _milestones(doc, lines, watch: str, watchable: list[str]):
    """(name, level) pairs and the quantity each watches: ``name = LEVEL`` (of ``watch``) or
    ``name = { watch = "Q", level = LEVEL }``. Levels of one quantity must increase."""
    milestones, quantities = [], []
    for key, value in read_table(doc, "milestones", lines, required=True).items():
        quantity = watch
        if isinstance(value, dict):
            extra = set(value) - {"watch", "level"}
            if extra or "level" not in value:
                raise lines.error(
                    "milestones", key, "a milestone is LEVEL or { watch = QUANTITY, level = LEVEL }"
                )
            quantity = value.get("watch", watch)
            if quantity not in watchable:
                raise lines.error(
                    "milestones",
                    key,
                    f"'{quantity}' is not a state or derived quantity; choose one of: "
                    f"{', '.join(watchable)}",
                )
            value = value["level"]
        level = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if level is None or not math.isfinite(level) or level <= 0:
            raise lines.error("milestones", key, f"must be a positive number; got {value!r}")
        milestones.append((key, float(level)))
        quantities.append(quantity)
    if not milestones:
        raise lines.error("milestones", None, "needs at least one milestone")
    for q in dict.fromkeys(quantities):
        mine = [m for m, mq in zip(milestones, quantities, strict=True) if mq == q]
        for (a, la), (b, lb) in itertools.pairwise(mine):
            if lb <= la:
                raise lines.error(
                    "milestones",
                    b,
                    f"milestones must increase: {b} = {lb:g} is not above {a} = {la:g}",
                )
    return milestones, tuple(quantities) if set(quantities) != {watch} else ()


def _counterfactual(doc, fam, lines) -> Counterfactual | None:
    """[counterfactual] name, title and [counterfactual.parameters]: the same draws again with
    these parameters, e.g. AI labour off."""
    table = read_table(doc, "counterfactual", lines)
    if not table:
        return None
    for key in table:
        if key not in ("name", "title", "parameters"):
            raise lines.error(
                "counterfactual",
                key,
                "unknown key; use name, title and [counterfactual.parameters]",
            )
    parameters = {}
    for key, value in table.get("parameters", {}).items():
        if key not in fam.parameter_names:
            raise lines.error("counterfactual.parameters", key, f"unknown parameter for {fam.name}")
        parameters[key] = read_source(value, "counterfactual.parameters", key, lines)
        check_fixed_in_range(fam, key, parameters[key], "counterfactual.parameters", lines)
    if not parameters:
        raise lines.error("counterfactual", None, "needs [counterfactual.parameters] to change")
    name = table.get("name", "counterfactual")
    if not isinstance(name, str) or not name.isidentifier():
        raise lines.error("counterfactual", "name", f"must be a plain name; got {name!r}")
    return Counterfactual(name, str(table.get("title", name)), parameters)


def _load_fit(name: str, table: str, key: str | None, lines):
    """(posterior, fit spec or None) of a shipped fit's name or a .nc file."""
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.fits.exports import spec_of

    try:
        posterior = load_posterior(name)
    except TakeoffError as exc:
        raise lines.error(table, key, str(exc)) from None
    return posterior, spec_of(posterior)


def _whole_fit(name, family: str, lines):
    """``[parameters] posterior = NAME``: (name, fit spec, its start date), checked against the
    scenario's family; None when the scenario gives its parameters one by one."""
    from takeoff.models.fits.exports import start_date

    if name is None:
        return None
    if not isinstance(name, str):
        raise lines.error("parameters", "posterior", f"must name a fit or a .nc file; got {name!r}")
    posterior, spec = _load_fit(name, "parameters", "posterior", lines)
    if spec is None or spec.family is None:
        raise lines.error(
            "parameters",
            "posterior",
            f"'{name}' is not a fit of a model family; give each parameter as "
            "{ posterior = ..., variable = ... }",
        )
    if spec.family.family != family:
        raise lines.error(
            "parameters",
            "posterior",
            f"{spec.name} fits the {spec.family.family} family, not {family}; "
            f'use family = "{spec.family.family}" or another fit',
        )
    return name, spec, start_date(posterior, spec)


def _start(head, fit, lines) -> float:
    if head.get("start") != FIT_START:
        return read_number(head, "start", lines, "scenario")
    if fit is None:
        raise lines.error(
            "scenario",
            "start",
            f'"{FIT_START}" takes the start date from the fit named by '
            '[parameters] posterior = "FIT"; name the fit or give a decimal year',
        )
    return fit[2]


def _same_quantity(link, family: str, key: str) -> bool:
    """A parameter of another family's fit may be used where the scenario's family declares the
    same parameter with the same unit (e.g. the Jones-law beta of ``jones_software`` in
    ``research_loop``): the name and unit say it is one quantity."""
    from takeoff.models.registry import get_family

    mine, theirs = get_family(family), get_family(link.family)
    if key not in mine.parameter_names or key not in theirs.parameter_names:
        return False
    return mine.parameter(key).unit == theirs.parameter(key).unit


def _check_fit_sources(groups, family: str, start: float, lines) -> None:
    """Posterior sources that name a family parameter or initial state of their fit must agree
    with the scenario: the same family, the same parameter, and (initial states) the fit's
    reference date as the start."""
    from takeoff.models.fits.exports import start_date

    loaded: dict[str, tuple] = {}
    for table, sources in groups:
        for key, src in sources.items():
            if not isinstance(src, FromPosterior):
                continue
            if src.source not in loaded:
                loaded[src.source] = _load_fit(src.source, table, key, lines)
            posterior, spec = loaded[src.source]
            link = spec.family if spec is not None else None
            variable, _, date = src.variable.partition("@")
            state = variable.removeprefix("initial.")
            is_parameter = link is not None and variable in link.parameters
            is_state = (
                link is not None and variable.startswith("initial.") and state in link.initial
            )
            if not (is_parameter or is_state):
                continue
            where = f"{spec.name}'s {variable}"
            if link.family != family and not (is_parameter and _same_quantity(link, family, key)):
                raise lines.error(
                    table, key, f"{where} belongs to the {link.family} family, not {family}"
                )
            if (is_parameter and variable != key) or (is_state and state != key):
                raise lines.error(
                    table, key, f"{where} is not {key}; name the same quantity of the fit"
                )
            if is_state:
                fit_start = float(date) if date else start_date(posterior, spec)
                if abs(fit_start - start) > 1e-9:
                    raise lines.error(
                        table,
                        key,
                        f"{where} holds at {fit_start:g}, but the scenario starts at "
                        f'{start:g}; use start = "{FIT_START}"',
                    )

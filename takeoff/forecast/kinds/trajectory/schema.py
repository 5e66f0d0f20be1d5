"""The trajectory kind's scenario tables: [scenario] (family, start, years, points, watch,
check_data, illustration, note, prior_range), [initial], [parameters], [milestones] (named
levels of the watched quantity), [takeoff] (from, to), [switch], [counterfactual] and
[correlations] (see takeoff.forecast.scenario), read into a ``Scenario``; every error names the
key and its line.

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
from takeoff.forecast.kind import memory_problem
from takeoff.forecast.kinds.trajectory.summary import memory_bytes
from takeoff.forecast.scenario import (
    Counterfactual,
    Scenario,
    read_correlations,
    read_key,
    read_table,
)
from takeoff.forecast.schema import (
    MAX_POINTS,
    REQUIRED,
    At,
    Key,
    Schema,
    Sources,
    Table,
    boolean,
    calendar_year,
    horizon_years,
    integer,
    number,
    one_line,
    string,
)
from takeoff.forecast.sources import FromPosterior
from takeoff.models.registry import get_family

FIT_START = "fit"


def _start(value, at: At) -> float:
    """A decimal year, or ``"fit"``: the reference date of the fit named by ``[parameters]
    posterior``."""
    if value != FIT_START:
        return calendar_year(value, at)
    if at.context["fit"] is None:
        raise at.error(
            f'"{FIT_START}" takes the start date from the fit named by '
            '[parameters] posterior = "FIT"; name the fit or give a decimal year'
        )
    return at.context["fit"][2]


def _watchable(context) -> list[str]:
    model = context["model"]
    return [*model.state_names, *(d.name for d in model.derived)]


def _watch(value, at: At) -> str:
    watchable = _watchable(at.context)
    if value not in watchable:
        raise at.error(
            f"'{value}' is not a state or derived quantity "
            f"of {at.context['model'].name}; choose one of: {', '.join(watchable)}"
        )
    return value


def _milestone_name(value, at: At) -> str:
    names = at.context["milestones"]
    if value not in names:
        raise at.error(f"'{value}' is not a milestone; milestones: {', '.join(names)}")
    return value


def _switch_at(value, at: At) -> float:
    value = number(value, at)
    start, years = at.context["start"], at.context["years"]
    if not start < value < start + years:
        raise at.error(f"must lie inside the horizon ({start:g}, {start + years:g}); got {value:g}")
    return value


def _plain_name(value, at: At) -> str:
    if not isinstance(value, str) or not value.isidentifier():
        raise at.error(f"must be a plain name; got {value!r}")
    return value


def _states(context) -> tuple[str, ...]:
    return context["model"].state_names


def _parameters(context) -> tuple[str, ...]:
    return context["model"].parameter_names


STATE = "unknown state for {model}; states: {names}"
SCHEMA = Schema(
    (
        Table(
            "scenario",
            (
                Key("name", string, REQUIRED),
                Key("title", default=""),
                Key("rationale", one_line, ""),
                Key("family", string, REQUIRED),
                Key("start", _start, REQUIRED),
                Key("years", horizon_years, REQUIRED),
                Key(
                    "points",
                    integer(2, MAX_POINTS),
                    lambda values: round(values["years"] * 24) + 1,
                ),
                Key("watch", _watch, lambda values: values["model"].state_names[0]),
                Key("check_data", boolean, False),  # also run over the data period (data_check)
                # an essay's position in abstract units (placed by assumption), not a forecast:
                # the headline shows it in a table of its own, after the forecasts
                Key("illustration", boolean, False),
                Key("note", one_line, ""),  # one line beside its headline row
                # also P(hard or fast) with each labelled prior fixed at its 10th and 90th
                # percentile, one at a time (takeoff.forecast.prior_range)
                Key("prior_range", boolean, False),
            ),
            required=True,
        ),
        Sources("initial", _states, STATE, positive=True),
        Sources(
            "parameters",
            _parameters,
            "unknown parameter for {model}; parameters: {names}",
            ranged=True,
        ),
        Table(
            "takeoff",
            (
                Key("from", _milestone_name, lambda values: values["milestones"][0]),
                Key("to", _milestone_name, lambda values: values["milestones"][-1]),
            ),
            open=True,
        ),
        Table(
            "switch",
            (Key("at", _switch_at, REQUIRED),),
            unknown="unknown key; use 'at', [switch.parameters], [switch.jump]",
            ignore=("parameters", "jump"),
            unknown_after=1,
        ),
        Sources("switch.jump", _states, STATE, positive=True),
        Sources("switch.parameters", _parameters, "unknown parameter for {model}", ranged=True),
        Table(
            "counterfactual",
            (
                Key("name", _plain_name, "counterfactual"),
                Key("title", lambda value, at: str(value), lambda values: values["name"]),
            ),
            unknown="unknown key; use name, title and [counterfactual.parameters]",
            ignore=("parameters",),
        ),
        Sources(
            "counterfactual.parameters", _parameters, "unknown parameter for {model}", ranged=True
        ),
    ),
    extra_tables=("correlations", "milestones"),
)


def parse(doc, head, lines, text) -> Scenario:
    SCHEMA.check_tables(doc, lines)
    SCHEMA.table("scenario").refuse_unknown(head, lines)
    fam = get_family(read_key(head, "family", str, lines, "scenario"))
    family = fam.name
    raw_parameters = dict(read_table(doc, "parameters", lines))
    fit = _whole_fit(raw_parameters.pop("posterior", None), family, lines)
    context = {"model": fam, "fit": fit}
    h = SCHEMA.read(doc, "scenario", lines, context)
    start, years, watch = h["start"], h["years"], h["watch"]
    context.update(start=start, years=years)
    initial = SCHEMA.read(doc, "initial", lines, context)
    parameters = SCHEMA.table("parameters").read(raw_parameters, lines, context)
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

    milestones, milestone_watch = _milestones(doc, lines, watch, _watchable(context))
    names = [m[0] for m in milestones]
    t = SCHEMA.read(doc, "takeoff", lines, {**context, "milestones": names})
    takeoff = (t["from"], t["to"])
    if names.index(takeoff[1]) <= names.index(takeoff[0]):
        raise lines.error("takeoff", "to", "must be a later milestone than 'from'")

    switch_at, switch_parameters, switch_jumps = None, {}, {}
    if read_table(doc, "switch", lines):
        switch_at = SCHEMA.read(doc, "switch", lines, context)["at"]
        switch_jumps = SCHEMA.read(doc, "switch.jump", lines, context)
        switch_parameters = SCHEMA.read(doc, "switch.parameters", lines, context)
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
    scenario = Scenario(
        name=h["name"],
        title=h["title"],
        rationale=h["rationale"],
        family=family,
        kind="trajectory",
        start=start,
        years=years,
        points=h["points"],
        watch=watch,
        initial=initial,
        parameters=parameters,
        milestones=tuple(milestones),
        takeoff=takeoff,
        switch_at=switch_at,
        switch_parameters=switch_parameters,
        switch_jumps=switch_jumps,
        milestone_watch=milestone_watch,
        counterfactual=_counterfactual(doc, context, lines),
        correlations=read_correlations(doc, parameters, lines),
        text=text,
        fit=fit[0] if fit else None,
        check_data=h["check_data"],
        illustration=h["illustration"],
        note=h["note"],
        prior_range=h["prior_range"],
    )
    problem = memory_problem(memory_bytes(scenario))
    if problem is not None:
        raise lines.error("scenario", "points" if "points" in head else "years", problem)
    return scenario


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


def _counterfactual(doc, context, lines) -> Counterfactual | None:
    """[counterfactual] name, title and [counterfactual.parameters]: the same draws again with
    these parameters, e.g. AI labour off."""
    if not read_table(doc, "counterfactual", lines):
        return None
    table = SCHEMA.read(doc, "counterfactual", lines, context)
    parameters = SCHEMA.read(doc, "counterfactual.parameters", lines, context)
    if not parameters:
        raise lines.error("counterfactual", None, "needs [counterfactual.parameters] to change")
    return Counterfactual(table["name"], table["title"], parameters)


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

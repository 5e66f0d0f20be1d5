"""The aifm kind's scenarios: :class:`AifmScenario` and its parse from a scenario's TOML tables
(the tables are described in :mod:`takeoff.forecast.kinds.aifm.kind`), with the published
priors as sources. The head, [priors] and [parameters] are declared (``SCHEMA``, read by
:mod:`takeoff.forecast.schema`); [links] (which link needs which fit, which parameters it
replaces) and the time series (all of its parameters or none) are checked here, and
[correlations] is read by :func:`takeoff.forecast.scenario.read_correlations`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.forecast.kinds.aifm.links import (
    LINKS,
    LinkUse,
    metr_p80_over_p50,
    missing_link_reason,
)
from takeoff.forecast.kinds.aifm.quantities import (
    HORIZON_PERCENTS,
    NAME,
    PROBABILITY_BY,
)
from takeoff.forecast.scenario import Scenario, read_correlations, read_key, read_table
from takeoff.forecast.schema import (
    REQUIRED,
    At,
    Key,
    Schema,
    Sources,
    Table,
    boolean,
    number,
    one_line,
    string,
)
from takeoff.forecast.sources import Fixed, FromDistribution, FromPosterior, Source
from takeoff.models import aifm
from takeoff.models.family import Parameter

_TS = {p.name: p for p in aifm.TIME_SERIES}


def declared_parameter(name: str) -> Parameter:
    """The declaration of a model or time-series parameter (for range checks and reports)."""
    return aifm.AIFM_MODEL.parameter(name)


@dataclass(frozen=True)
class AifmScenario(Scenario):
    """A scenario of the aifm kind: the common fields, plus the years of P(milestone by year),
    whether the published priors are used, the links and the correlations they dropped."""

    probability_by: tuple[float, ...] = PROBABILITY_BY
    published: bool = False
    links: tuple[LinkUse, ...] = ()
    dropped_correlations: tuple[str, ...] = ()

    def output_times(self) -> np.ndarray:
        times = np.arange(self.start, self.end + 1e-9, 1.0)
        return times if times[-1] >= self.end - 1e-9 else np.append(times, self.end)

    def linked(self) -> dict[str, str]:
        """parameter -> the link that sets it."""
        return {p: use.name for use in self.links for p in use.spec.sets}


def _published_sources():
    priors = aifm.load_priors()
    sources: dict[str, Source] = {name: FromDistribution(m) for name, m in priors.marginals.items()}
    sources.update({k: Fixed(float(v)) for k, v in priors.fixed.items()})
    latent = priors.latent_correlation
    names = priors.correlated
    pairs = [
        (names[i], names[j], float(latent[i, j]))
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if priors.spearman[i, j] != 0.0
    ]
    return sources, pairs


def _end(value, at: At) -> float:
    """The decimal year the runs stop: after the model's first year, within its input series."""
    end = number(value, at)
    start, last_input = aifm.T_START, float(aifm.load_inputs().time[-1])
    if not start + 1.0 <= end <= last_input:
        raise at.error(
            f"must be in [{start + 1:g}, {last_input:g}] (the model runs from {start:g}, its "
            f"input series ends in {last_input:g}); got {end:g}"
        )
    return end


def _default_probability_by(values) -> tuple[float, ...]:
    """The default years that are not past the end (or the end itself)."""
    return tuple(y for y in PROBABILITY_BY if y <= values["end"]) or (values["end"],)


def _probability_by(value, at: At) -> tuple[float, ...]:
    """Years of P(milestone by year): a non-empty increasing list inside the run."""
    start, end = aifm.T_START, at.context["end"]
    ok = (
        isinstance(value, list)
        and value
        and all(isinstance(y, int | float) and not isinstance(y, bool) for y in value)
    )
    if not ok:
        raise at.error(f"must be a non-empty list of years; got {value!r}")
    years = [float(y) for y in value]
    for y in years:
        if not start < y <= end:
            raise at.error(f"years must be in ({start:g}, {end:g}] (the model's run); got {y:g}")
    if sorted(set(years)) != years:
        raise at.error(f"years must increase, each once; got {value!r}")
    return tuple(years)


SCHEMA = Schema(
    (
        Table(
            "scenario",
            (
                Key("name"),  # checked last, in ``parse``: the other tables' errors first
                Key("title", default=""),
                Key("rationale", one_line, ""),
                Key("family", string, REQUIRED),
                Key("end", _end, aifm.T_END),
                Key("probability_by", _probability_by, _default_probability_by),
            ),
            unknown=f"unknown key for {NAME}; use: {{keys}}",
            required=True,
        ),
        Table("priors", (Key("published", boolean, False),), "unknown key; use published = true"),
        Sources(
            "parameters",
            lambda context: [*aifm.PARAMETER_NAMES, *_TS],
            f"unknown parameter for {NAME}; parameters: {{names}}",
            ranged=True,
        ),
    ),
    unknown_table=f"unknown table for {NAME}; use: {{tables}}",
    extra_tables=("correlations", "links"),  # [links]: cross-key checks, in ``_links``
)


def parse(doc, head, lines, text) -> AifmScenario:
    """An aifm scenario: the schema's tables, then the links (which replace parameters and drop
    the published correlations that involve them) and the time series (all or none)."""
    SCHEMA.check_tables(doc, lines)
    context = {"model": aifm.AIFM_MODEL}
    h = SCHEMA.read(doc, "scenario", lines, context)
    start, end = aifm.T_START, h["end"]
    published = SCHEMA.read(doc, "priors", lines, context)["published"]
    given: dict[str, Source] = SCHEMA.read(doc, "parameters", lines, context)

    links, link_sources = _links(doc, lines, given)

    sources: dict[str, Source] = {}
    correlated: list[tuple[str, str, float]] = []
    if published:
        sources, correlated = _published_sources()
    sources.update(given)
    for use in links:
        for name in use.spec.sets:
            sources.pop(name, None)
    sources.update(link_sources)
    replaced = set(given) | {p for use in links for p in use.spec.sets}
    kept = [(a, b, r) for a, b, r in correlated if a not in replaced and b not in replaced]
    dropped = tuple(f"{a}~{b}" for a, b, r in correlated if a in replaced or b in replaced)
    for p in aifm.PARAMETERS:  # every model parameter is a source: the draws carry all of them
        if p.name not in sources and p.name not in {q for u in links for q in u.spec.sets}:
            sources[p.name] = Fixed(p.default)
    series = [k for k in _TS if k in sources or k in {q for u in links for q in u.spec.sets}]
    if series and len(series) != len(_TS):
        missing = [k for k in _TS if k not in series]
        raise lines.error(
            "parameters",
            None,
            f"the training-compute time series needs all of {', '.join(_TS)} or none; "
            f"missing {', '.join(missing)}",
        )
    own = read_correlations(doc, sources, lines)
    mine = {frozenset(pair[:2]) for pair in own}
    correlations = tuple([pair for pair in kept if frozenset(pair[:2]) not in mine] + list(own))
    return AifmScenario(
        name=read_key(head, "name", str, lines, "scenario"),
        title=h["title"],
        rationale=h["rationale"],
        family=NAME,
        kind=NAME,
        start=start,
        years=end - start,
        parameters=sources,
        correlations=correlations,
        text=text,
        probability_by=h["probability_by"],
        published=published,
        links=tuple(links),
        dropped_correlations=dropped,
    )


def _links(doc, lines, given):
    """The [links] table: (LinkUse per link, the sources they add)."""
    from takeoff.models.fits.exports import start_date

    table = dict(read_table(doc, "links", lines))
    percent = table.pop("horizon_percent", 50)
    if "horizon_percent" in read_table(doc, "links", lines) and "horizon" not in table:
        raise lines.error("links", "horizon_percent", "applies to the horizon link; add horizon")
    if isinstance(percent, bool) or percent not in HORIZON_PERCENTS:
        raise lines.error(
            "links",
            "horizon_percent",
            f"the success rate of the fitted horizons: 50 (METR's p50, converted to the "
            f"model's 80%) or 80; got {percent!r}",
        )
    uses, sources = [], {}
    for key, fit in table.items():
        if key not in LINKS:
            raise lines.error("links", key, f"unknown link; links: {', '.join(LINKS)}")
        spec = LINKS[key]
        reason = missing_link_reason(spec)
        if reason:
            raise lines.error(
                "links", key, f"not available: {reason}; the peer's value is kept without it"
            )
        if not isinstance(fit, str):
            raise lines.error("links", key, f"must name a fit or a .nc file; got {fit!r}")
        for p in spec.sets:
            if p in given:
                raise lines.error(
                    "parameters", p, f"is set by [links] {key} too; give it in one place"
                )
        posterior, fit_spec = _load_fit(fit, key, lines)
        if key == "horizon":
            if fit_spec is None or fit_spec.family is None or fit_spec.family.family != "horizon":
                raise lines.error(
                    "links",
                    key,
                    f"'{fit}' is not a fit of the horizon family; use horizon_dynamics or a "
                    "saved fit of it",
                )
            names = {
                "T0": "T0",
                "H0": "H0",
                "eps": "eps",
                "H": "initial.H",
            }
            keys = tuple(f"link.horizon.{k}" for k in names)
            for k, variable in names.items():
                sources[f"link.horizon.{k}"] = FromPosterior(fit, variable)
            ratio = metr_p80_over_p50()[0] if percent == 50 else 1.0
            uses.append(
                LinkUse(key, fit, keys, start_date(posterior, fit_spec), ratio, int(percent))
            )
        elif key == "software_rate":
            if fit_spec is None or fit_spec.name != "algorithmic_progress":
                raise lines.error(
                    "links",
                    key,
                    f"'{fit}' is not an algorithmic_progress fit; use algorithmic_progress or a "
                    "saved fit of it",
                )
            (name,) = spec.sets
            sources[f"link.software_rate.{name}"] = FromPosterior(fit, "algorithmic_rate")
            uses.append(LinkUse(key, fit, (f"link.software_rate.{name}",)))
        else:  # training_compute
            if fit_spec is None or fit_spec.name != "compute_trend":
                raise lines.error(
                    "links",
                    key,
                    f"'{fit}' is not a compute_trend fit (training compute of frontier models); "
                    "use compute_trend or a saved fit of it",
                )
            (name,) = spec.sets
            sources[name] = FromPosterior(fit, "slope")
            uses.append(LinkUse(key, fit, (name,)))
    return uses, sources


def _load_fit(name: str, key: str, lines):
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.fits.exports import spec_of

    try:
        posterior = load_posterior(name)
    except TakeoffError as exc:
        raise lines.error("links", key, str(exc)) from None
    return posterior, spec_of(posterior)

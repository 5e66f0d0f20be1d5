"""Scenarios: small TOML files that say what to simulate and what to measure.

    [scenario]
    name = "foom"                     # identifier
    title = "..."                     # one line
    rationale = "..."                 # why these numbers (a paragraph)
    family = "power_law"              # a model family (takeoff families)
    start = 2026.0                    # decimal year of t = 0
    years = 30                        # horizon
    points = 721                      # time points in the output (default: two a month)
    watch = "I"                       # the state or derived quantity the milestones measure

    [initial]                         # initial states: numbers or sources (below)
    I = 0.1

    [parameters]                      # each: a number, a distribution or a posterior
    k = 0.5
    alpha = { dist = "uniform", low = 1.0, high = 2.0 }
    eps = { posterior = "horizon_dynamics", variable = "eps", shift = 1.0 }

    [milestones]                      # named levels of `watch`, increasing
    human_level = 1.0
    strongly_superhuman = 1000.0

    [takeoff]                         # the duration measured (default: first to last)
    from = "human_level"
    to = "strongly_superhuman"

    [switch]                          # optional: parameters that change at a date
    at = 2030.0
    [switch.parameters]
    alpha = 1.5

    [correlations]                    # optional: between distribution parameters
    pairs = [["k", "alpha", -0.3]]

A scenario of the ``sie_doublings`` family (the published software-intelligence-explosion
recursion, stepped one software doubling at a time) has no states, milestones or switch; it
measures "years of progress within T months" instead:

    [scenario]
    name = "sie_published"
    family = "sie_doublings"
    variant = "decaying_r"            # or "constant_r" (default: decaying_r, as published)
    years = 4                         # simulations stop at 12 * years months (default 4: 48)

    [parameters]                      # f, r0, L, p: numbers, distributions or posteriors
    f = { dist = "loguniform", low = 2, high = 32 }

    [metrics]                         # (T months, m years) pairs; default: the published four
    pairs = [[12, 3], [4, 10], [12, 10], [4, 30]]

A source may carry a transform: ``shift``, ``scale`` and ``function`` (identity, exp, log,
log10, pow10, reciprocal): value = shift + scale * function(x). Every error names the key and
its line in the file.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from takeoff.errors import TakeoffError
from takeoff.forecast.sources import (
    FUNCTIONS,
    Fixed,
    FromDistribution,
    FromPosterior,
    Source,
    Transform,
)
from takeoff.models.distributions import KINDS, Distribution
from takeoff.models.registry import FAMILIES, get_family
from takeoff.models.sie_doublings import (
    PUBLISHED_PAIRS,
    SIE_DOUBLINGS,
    VARIANTS,
    DoublingsModel,
    doublings_for,
)
from takeoff.models.spec import Family

DOUBLINGS_TABLES = ("correlations", "metrics", "parameters", "scenario")


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    rationale: str
    family: str
    start: float
    years: float
    points: int
    watch: str
    initial: dict[str, Source]
    parameters: dict[str, Source]
    milestones: tuple[tuple[str, float], ...]
    takeoff: tuple[str, str]
    switch_at: float | None = None
    switch_parameters: dict[str, Source] = field(default_factory=dict)
    correlations: tuple[tuple[str, str, float], ...] = ()
    text: str = ""  # the TOML it was read from (for downloads and provenance)
    # sie_doublings only: "decaying_r" or "constant_r", and the (T months, m years) pairs
    variant: str = ""
    metrics: tuple[tuple[float, float], ...] = ()

    @property
    def end(self) -> float:
        return self.start + self.years

    @property
    def is_doublings(self) -> bool:
        """True for the sie_doublings family (a recursion over doublings, not an ODE)."""
        return self.family == SIE_DOUBLINGS.name

    def model(self) -> Family | DoublingsModel:
        return SIE_DOUBLINGS if self.is_doublings else get_family(self.family)

    def all_sources(self) -> dict[str, Source]:
        """Every drawn quantity, keyed as drawn: parameters, ``initial.X``, ``switch.X``."""
        out = dict(self.parameters)
        out.update({f"initial.{k}": v for k, v in self.initial.items()})
        out.update({f"switch.{k}": v for k, v in self.switch_parameters.items()})
        return out

    def uncertain(self) -> list[str]:
        """Keys of the quantities that are not fixed numbers."""
        return [k for k, v in self.all_sources().items() if not isinstance(v, Fixed)]


def builtin_dir() -> Path:
    return Path(str(resources.files("takeoff.forecast") / "scenarios"))


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name, or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix.lower() != ".toml":
        if str(name_or_path) not in builtin_names():
            raise TakeoffError(
                f"unknown scenario '{name_or_path}'; choose one of: {', '.join(builtin_names())} "
                "or give a .toml file"
            )
        path = builtin_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise TakeoffError(f"scenario file '{path}' not found; check the path")
    return parse_scenario(path.read_text(), where=path.name)


class _Lines:
    """Finds the line of a key in TOML text (tomllib does not report positions)."""

    def __init__(self, text: str, where: str):
        self.lines = text.splitlines()
        self.where = where

    def of(self, table: str, key: str | None = None) -> int | None:
        current = ""
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1)
                if key is None and current == table:
                    return number
                continue
            if (
                key is not None
                and current == table
                and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped)
            ):
                return number
        return None

    def error(self, table: str, key: str | None, message: str) -> TakeoffError:
        line = self.of(table, key)
        name = f"[{table}]" if key is None else f"{table}.{key}"
        at = f" (line {line})" if line else ""
        return TakeoffError(f"{self.where}: {name}{at}: {message}")


def parse_scenario(text: str, where: str = "scenario") -> Scenario:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TakeoffError(f"{where}: malformed TOML: {exc}") from None
    lines = _Lines(text, where)
    head = _table(doc, "scenario", lines, required=True)
    if head.get("family") == SIE_DOUBLINGS.name:
        return _parse_doublings(doc, head, lines, text)
    known = {"scenario", "initial", "parameters", "milestones", "takeoff", "switch", "correlations"}
    for table in doc:
        if table not in known:
            raise lines.error(table, None, f"unknown table; use: {', '.join(sorted(known))}")
    for key in head:
        if key not in {"name", "title", "rationale", "family", "start", "years", "points", "watch"}:
            raise lines.error("scenario", key, "unknown key")
    family = _get(head, "family", str, lines, "scenario")
    if family not in FAMILIES:
        choices = ", ".join([*FAMILIES, SIE_DOUBLINGS.name])
        raise lines.error(
            "scenario", "family", f"unknown family '{family}'; choose one of: {choices}"
        )
    fam = get_family(family)
    start = _number(head, "start", lines, "scenario")
    years = _number(head, "years", lines, "scenario")
    if years <= 0:
        raise lines.error("scenario", "years", f"must be positive; got {years:g}")
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
    for key, value in _table(doc, "initial", lines).items():
        if key not in fam.state_names:
            raise lines.error(
                "initial", key, f"unknown state for {family}; states: {', '.join(fam.state_names)}"
            )
        initial[key] = _source(value, "initial", key, lines, positive=True)
    parameters = {}
    for key, value in _table(doc, "parameters", lines).items():
        if key not in fam.parameter_names:
            raise lines.error(
                "parameters",
                key,
                f"unknown parameter for {family}; parameters: {', '.join(fam.parameter_names)}",
            )
        parameters[key] = _source(value, "parameters", key, lines)
        _check_fixed_in_range(fam, key, parameters[key], "parameters", lines)

    raw_milestones = _table(doc, "milestones", lines, required=True)
    milestones = []
    for key, value in raw_milestones.items():
        level = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if level is None or not math.isfinite(level) or level <= 0:
            raise lines.error("milestones", key, f"must be a positive number; got {value!r}")
        milestones.append((key, float(level)))
    if not milestones:
        raise lines.error("milestones", None, "needs at least one milestone")
    for (a, la), (b, lb) in itertools.pairwise(milestones):
        if lb <= la:
            raise lines.error(
                "milestones", b, f"milestones must increase: {b} = {lb:g} is not above {a} = {la:g}"
            )
    names = [m[0] for m in milestones]
    raw_takeoff = _table(doc, "takeoff", lines)
    takeoff = (raw_takeoff.get("from", names[0]), raw_takeoff.get("to", names[-1]))
    for key, value in zip(("from", "to"), takeoff, strict=True):
        if value not in names:
            raise lines.error(
                "takeoff", key, f"'{value}' is not a milestone; milestones: {', '.join(names)}"
            )
    if names.index(takeoff[1]) <= names.index(takeoff[0]):
        raise lines.error("takeoff", "to", "must be a later milestone than 'from'")

    switch = _table(doc, "switch", lines)
    switch_at, switch_parameters = None, {}
    if switch:
        switch_at = _number(switch, "at", lines, "switch")
        if not start < switch_at < start + years:
            raise lines.error(
                "switch",
                "at",
                f"must lie inside the horizon ({start:g}, {start + years:g}); got {switch_at:g}",
            )
        for key in switch:
            if key not in ("at", "parameters"):
                raise lines.error("switch", key, "unknown key; use 'at' and [switch.parameters]")
        for key, value in switch.get("parameters", {}).items():
            if key not in fam.parameter_names:
                raise lines.error("switch.parameters", key, f"unknown parameter for {family}")
            switch_parameters[key] = _source(value, "switch.parameters", key, lines)
            _check_fixed_in_range(fam, key, switch_parameters[key], "switch.parameters", lines)
        if not switch_parameters:
            raise lines.error("switch", None, "needs [switch.parameters] to change")

    correlations = _correlations(doc, parameters, lines)

    return Scenario(
        name=_get(head, "name", str, lines, "scenario"),
        title=head.get("title", ""),
        rationale=" ".join(str(head.get("rationale", "")).split()),
        family=family,
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
        correlations=correlations,
        text=text,
    )


def _parse_doublings(doc, head, lines, text) -> Scenario:
    """A scenario of the sie_doublings family: parameters, variant, horizon and metrics."""
    model = SIE_DOUBLINGS
    for table in doc:
        if table not in DOUBLINGS_TABLES:
            raise lines.error(
                table,
                None,
                f"does not apply to {model.name}, which measures years of progress within T "
                f"months (no states, milestones or switch); use: {', '.join(DOUBLINGS_TABLES)}",
            )
    allowed = ("name", "title", "rationale", "family", "years", "variant")
    for key in head:
        if key not in allowed:
            raise lines.error(
                "scenario", key, f"unknown key for {model.name}; use: {', '.join(allowed)}"
            )
    years = _number(head, "years", lines, "scenario") if "years" in head else 4.0
    if years <= 0:
        raise lines.error("scenario", "years", f"must be positive; got {years:g}")
    variant = head.get("variant", VARIANTS[0])
    if variant not in VARIANTS:
        raise lines.error(
            "scenario",
            "variant",
            f"unknown variant {variant!r}; choose one of: {', '.join(VARIANTS)}",
        )
    parameters = {}
    for key, value in _table(doc, "parameters", lines).items():
        if key not in model.parameter_names:
            raise lines.error(
                "parameters",
                key,
                f"unknown parameter for {model.name}; parameters: "
                f"{', '.join(model.parameter_names)}",
            )
        parameters[key] = _source(value, "parameters", key, lines)
        _check_fixed_in_range(model, key, parameters[key], "parameters", lines)
    metrics_table = _table(doc, "metrics", lines)
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
        name=_get(head, "name", str, lines, "scenario"),
        title=head.get("title", ""),
        rationale=" ".join(str(head.get("rationale", "")).split()),
        family=model.name,
        start=0.0,
        years=years,
        points=2,
        watch="S",
        initial={},
        parameters=parameters,
        milestones=(),
        takeoff=("", ""),
        correlations=_correlations(doc, parameters, lines),
        text=text,
        variant=variant,
        metrics=tuple(metrics),
    )


def _correlations(doc, parameters, lines) -> tuple[tuple[str, str, float], ...]:
    correlations = []
    corr = _table(doc, "correlations", lines)
    for item in corr.get("pairs", []):
        ok = (
            isinstance(item, list)
            and len(item) == 3
            and all(isinstance(x, str) for x in item[:2])
            and isinstance(item[2], int | float)
            and -1 < item[2] < 1
        )
        if not ok:
            raise lines.error(
                "correlations",
                "pairs",
                f"each pair must be [name, name, rho] with -1 < rho < 1; got {item!r}",
            )
        for name in item[:2]:
            if not isinstance(parameters.get(name), FromDistribution):
                raise lines.error(
                    "correlations",
                    "pairs",
                    f"'{name}' is not a parameter drawn from a distribution",
                )
        correlations.append((item[0], item[1], float(item[2])))
    return tuple(correlations)


def _table(doc, name, lines, required=False) -> dict:
    value = doc.get(name)
    if value is None:
        if required:
            raise TakeoffError(f"{lines.where}: missing table [{name}]")
        return {}
    if not isinstance(value, dict):
        raise lines.error(name, None, "must be a table")
    return value


def _get(table, key, kind, lines, where):
    if key not in table:
        raise TakeoffError(f"{lines.where}: [{where}] lacks the key '{key}'")
    value = table[key]
    if not isinstance(value, kind):
        raise lines.error(where, key, f"must be a {kind.__name__}; got {value!r}")
    return value


def _number(table, key, lines, where) -> float:
    if key not in table:
        raise TakeoffError(f"{lines.where}: [{where}] lacks the key '{key}'")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise lines.error(where, key, f"must be a finite number; got {value!r}")
    return float(value)


def _source(value, table, key, lines, positive=False) -> Source:
    if isinstance(value, bool):
        raise lines.error(table, key, f"must be a number or a source table; got {value!r}")
    if isinstance(value, int | float):
        if not math.isfinite(value) and not (value == math.inf and not positive):
            raise lines.error(table, key, f"must be a finite number; got {value!r}")
        if positive and value <= 0:
            raise lines.error(table, key, f"must be positive; got {value!r}")
        return Fixed(float(value))
    if not isinstance(value, dict):
        raise lines.error(table, key, f"must be a number or a source table; got {value!r}")
    spec = dict(value)
    transform = _transform(spec, table, key, lines)
    if "dist" in spec:
        kind = spec.pop("dist")
        if kind not in KINDS:
            raise lines.error(
                table, key, f"unknown distribution '{kind}'; choose one of: {', '.join(KINDS)}"
            )
        try:
            return FromDistribution(Distribution(kind, **spec), transform)
        except TakeoffError as exc:
            raise lines.error(table, key, str(exc)) from None
        except TypeError:
            raise lines.error(table, key, f"bad arguments for '{kind}'") from None
    if "posterior" in spec:
        source = spec.pop("posterior")
        variable = spec.pop("variable", None)
        if not isinstance(source, str) or not isinstance(variable, str) or spec:
            raise lines.error(
                table,
                key,
                "a posterior source is { posterior = NAME or FILE.nc, "
                "variable = NAME } plus optional shift, scale, function",
            )
        return FromPosterior(source, variable, transform)
    raise lines.error(table, key, "a source table needs 'dist = ...' or 'posterior = ...'")


def _transform(spec: dict, table, key, lines) -> Transform:
    shift = spec.pop("shift", 0.0)
    scale = spec.pop("scale", 1.0)
    function = spec.pop("function", "identity")
    for name, value in (("shift", shift), ("scale", scale)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise lines.error(table, key, f"{name} must be a finite number; got {value!r}")
    if function not in FUNCTIONS:
        raise lines.error(
            table, key, f"unknown function '{function}'; choose one of: {', '.join(FUNCTIONS)}"
        )
    return Transform(float(shift), float(scale), function)


def _check_fixed_in_range(
    fam: Family | DoublingsModel, key: str, src: Source, table: str, lines
) -> None:
    if isinstance(src, Fixed):
        p = fam.parameter(key)
        if not p.valid.contains(src.value):
            raise lines.error(table, key, f"must be in {p.valid}; got {src.value:g}")

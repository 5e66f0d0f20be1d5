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
    illustration = true               # abstract units placed by assumption: not a forecast
    note = "..."                      # one line beside its headline row (optional)

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

The tables a scenario may have depend on its family's forecast kind (takeoff.forecast.kinds;
each declares them with takeoff.forecast.schema, and takeoff.forecast.loading reads a file):
the above are the trajectory kind's (every ODE family). A scenario of the ``sie_doublings``
family (the doublings kind: the published software-intelligence-explosion recursion, stepped
one software doubling at a time) has no states, milestones or switch; it measures "years of
progress within T months" instead:

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
log10, pow10, reciprocal): value = shift + scale * function(x). A posterior source's variable
may be what the fit derives in code (its family's parameters, ``initial.<state>``, its
exports), so no unit constants are copied into scenarios. ``[parameters] posterior = "FIT"``
takes every parameter (and initial state) of the fit's family from that fit, and
``start = "fit"`` starts the scenario at the fit's reference date. Every error names the key and
its line in the file.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

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


@dataclass(frozen=True)
class Counterfactual:
    """The same draws again with some parameters overridden (e.g. AI labour off), reported
    beside the scenario: its milestone dates and how far the scenario pulls each forward."""

    name: str
    title: str
    parameters: dict[str, Source]


@dataclass(frozen=True)
class Scenario:
    """A parsed scenario. Every kind reads the common fields; the trajectory kind also the
    initial states, milestones, takeoff, switch and watch, the doublings kind its variant and
    metrics (the other fields keep their defaults)."""

    name: str
    title: str
    rationale: str
    family: str
    kind: str
    start: float
    years: float
    parameters: dict[str, Source]
    correlations: tuple[tuple[str, str, float], ...] = ()
    text: str = ""  # the TOML it was read from (for downloads and provenance)
    points: int = 2
    watch: str = ""
    initial: dict[str, Source] = field(default_factory=dict)
    milestones: tuple[tuple[str, float], ...] = ()
    takeoff: tuple[str, str] = ("", "")
    switch_at: float | None = None
    switch_parameters: dict[str, Source] = field(default_factory=dict)
    switch_jumps: dict[str, Source] = field(default_factory=dict)  # state multipliers at switch
    milestone_watch: tuple[str, ...] = ()  # the quantity each milestone measures (default watch)
    counterfactual: Counterfactual | None = None
    variant: str = ""  # doublings: "decaying_r" or "constant_r"
    metrics: tuple[tuple[float, float], ...] = ()  # doublings: (T months, m years) pairs
    fit: str | None = None  # the fit whose family parameters the scenario takes (if any)
    reasons: dict[str, str] = field(default_factory=dict)  # why each input: the file's comments
    check_data: bool = False  # also run over the data period and score it (data_check)
    illustration: bool = False  # an essay's position in abstract units, not a forecast
    note: str = ""  # one line shown beside the scenario's headline row
    prior_range: bool = False  # also P(hard or fast) with each labelled prior at its 10%/90%

    @property
    def end(self) -> float:
        return self.start + self.years

    def watched(self, milestone: str) -> str:
        """The quantity a milestone measures."""
        names = [m[0] for m in self.milestones]
        return self.milestone_watch[names.index(milestone)] if self.milestone_watch else self.watch

    def time_grid(self) -> np.ndarray:
        """The output grid: ``points`` decimal years from ``start`` to ``end``."""
        return self.start + np.linspace(0.0, self.years, self.points)

    def all_sources(self) -> dict[str, Source]:
        """Every drawn quantity, keyed as drawn: parameters, ``initial.X``, ``switch.X``."""
        out = dict(self.parameters)
        out.update({f"initial.{k}": v for k, v in self.initial.items()})
        out.update({f"switch.{k}": v for k, v in self.switch_parameters.items()})
        out.update({f"jump.{k}": v for k, v in self.switch_jumps.items()})
        if self.counterfactual is not None:
            cf = self.counterfactual.parameters
            out.update({f"counterfactual.{k}": v for k, v in cf.items()})
        return out

    def uncertain(self) -> list[str]:
        """Keys of the quantities that are not fixed numbers."""
        return [k for k, v in self.all_sources().items() if not isinstance(v, Fixed)]


def builtin_dir() -> Path:
    return Path(str(resources.files("takeoff.forecast") / "scenarios"))


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


HEADLINE = "takeoff_from_data"  # the main job's headline scenario: the loop fitted to data


def main_job_names() -> list[str]:
    """The built-ins in the main job's order: the headline loop first, then its variants, then
    the others by name."""
    names = builtin_names()
    variants = [n for n in names if n.startswith(f"{HEADLINE}_")]
    first = [HEADLINE, *variants] if HEADLINE in names else variants
    return first + [n for n in names if n not in first]


class Lines:
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


def _merged(base: dict, changes: dict) -> dict:
    """``base`` with ``changes`` laid over it, table by table (a key given again replaces)."""
    out = dict(base)
    for key, value in changes.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merged(out[key], value) if both else value
    return out


def extended(doc: dict, lines, depth: int = 0) -> tuple[dict, list[str]]:
    """``[scenario] extends = "NAME"``: a variant of a built-in scenario, written as what it
    changes; every other table and key is the named scenario's (which may extend another)."""
    head = doc.get("scenario")
    if not isinstance(head, dict) or "extends" not in head:
        return doc, []
    parent = head["extends"]
    if not isinstance(parent, str) or parent not in builtin_names():
        raise lines.error(
            "scenario",
            "extends",
            f"must name a built-in scenario; got {parent!r} (see takeoff scenarios)",
        )
    if depth > 4:
        raise lines.error("scenario", "extends", "variants nest too deep (more than 5 levels)")
    text = (builtin_dir() / f"{parent}.toml").read_text(encoding="utf-8")
    base, texts = extended(tomllib.loads(text), Lines(text, f"{parent}.toml"), depth + 1)
    child = {**doc, "scenario": {k: v for k, v in head.items() if k != "extends"}}
    return _merged(base, child), [*texts, text]


def read_correlations(doc, parameters, lines) -> tuple[tuple[str, str, float], ...]:
    correlations = []
    corr = read_table(doc, "correlations", lines)
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


def read_table(doc, name, lines, required=False) -> dict:
    value = doc.get(name)
    if value is None:
        if required:
            raise TakeoffError(f"{lines.where}: missing table [{name}]")
        return {}
    if not isinstance(value, dict):
        raise lines.error(name, None, "must be a table")
    return value


def read_key(table, key, kind, lines, where):
    if key not in table:
        raise TakeoffError(f"{lines.where}: [{where}] lacks the key '{key}'")
    value = table[key]
    if not isinstance(value, kind):
        raise lines.error(where, key, f"must be a {kind.__name__}; got {value!r}")
    return value


def read_number(table, key, lines, where) -> float:
    if key not in table:
        raise TakeoffError(f"{lines.where}: [{where}] lacks the key '{key}'")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise lines.error(where, key, f"must be a finite number; got {value!r}")
    return float(value)


def read_source(value, table, key, lines, positive=False) -> Source:
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
    transform = read_transform(spec, table, key, lines)
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


def read_transform(spec: dict, table, key, lines) -> Transform:
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


def check_fixed_in_range(model, key: str, src: Source, table: str, lines) -> None:
    """A fixed number must lie in the parameter's valid range (``model.parameter(key)``)."""
    if isinstance(src, Fixed):
        p = model.parameter(key)
        if not p.valid.contains(src.value):
            raise lines.error(table, key, f"must be in {p.valid}; got {src.value:g}")

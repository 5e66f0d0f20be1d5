"""Declarative scenario tables: which tables a kind's scenario may have, the keys each may hold,
how each key is read (its type and range), its default, and the one-line error that names the
key and its line in the file when it is wrong.

A kind declares a ``Schema`` (its ``Table``s, each with its ``Key``s) and reads a parsed TOML
document with ``Schema.read``: unknown tables and keys are refused with the kind's message, each
key is read in the order declared (a reader takes the value and ``At``, where it is, and
returns the value or raises ``At.error``), a missing key takes its default (a value, or a
function of what was read before it) or is refused when required. A ``Sources`` table holds
named sources (numbers, distributions, posteriors: ``scenario.read_source``) whose allowed names
depend on the model. What depends on more than one key (e.g. a takeoff's milestones, a switch
date inside the horizon) stays in the kind's code, after the schema has read the tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import Lines, check_fixed_in_range, read_source, read_table

REQUIRED = object()  # a key without a default: the table must give it

# Ranges a scenario's numbers must lie in, checked when the file is read, before any work.
# Every built-in lies well inside them (horizons of 4-30 years, starts 2024-2027, 97-721 points).
MAX_YEARS = 300.0  # horizon: a few centuries is far beyond anything the fitted trends (2010s-
# 2020s data) say; it keeps the daily date histograms (365 bins a year) and the default grid
# (two points a month: 7,201 at 300 years) small.
START_YEARS = (1500.0, 2500.0)  # a start date is a calendar year: from before the industrial
# revolution (hyperbolic growth of world product) to five centuries ahead; 0 or 1e9 is a slip.
MAX_POINTS = 100_000  # output grid points; the memory check (takeoff.forecast.kind) bounds
# points x quantities x draws per block further


@dataclass(frozen=True)
class At:
    """Where a value is in the file: its table and key (for line-numbered errors), and what was
    read before it (``context``: the kind's model, earlier keys and tables)."""

    lines: Lines
    table: str
    key: str | None
    context: dict

    def error(self, message: str) -> TakeoffError:
        return self.lines.error(self.table, self.key, message)


@dataclass(frozen=True)
class Key:
    """One key of a table: ``read(value, at)`` checks and converts it; ``default``: the value
    when the key is absent (a function of the values read so far, or ``REQUIRED``)."""

    name: str
    read: Callable[[Any, At], Any] = lambda value, at: value
    default: Any = None


@dataclass(frozen=True)
class Table:
    """A table of keys. ``unknown``: the message for a key not declared (``{keys}``: the
    declared names); ``ignore``: keys read elsewhere (sub-tables); ``open``: other keys are
    ignored; ``unknown_after``: how many declared keys are read before unknown keys are
    refused (0: first)."""

    name: str
    keys: tuple[Key, ...] = ()
    unknown: str = "unknown key"
    required: bool = False
    ignore: tuple[str, ...] = ()
    open: bool = False
    unknown_after: int = 0

    def read(self, raw: dict, lines: Lines, context: dict) -> dict:
        values: dict = {}
        for i, key in enumerate(self.keys):
            if i == self.unknown_after:
                self.refuse_unknown(raw, lines)
            at = At(lines, self.name, key.name, {**context, **values})
            if key.name in raw:
                values[key.name] = key.read(raw[key.name], at)
            elif key.default is REQUIRED:
                raise TakeoffError(f"{lines.where}: [{self.name}] lacks the key '{key.name}'")
            else:
                default = key.default
                values[key.name] = default(at.context) if callable(default) else default
        if len(self.keys) <= self.unknown_after:
            self.refuse_unknown(raw, lines)
        return values

    def refuse_unknown(self, raw: dict, lines: Lines) -> None:
        """Raise on the first key of ``raw`` the table does not declare (unless ``open``)."""
        if self.open:
            return
        names = [k.name for k in self.keys]
        for key in raw:
            if key not in names and key not in self.ignore:
                raise lines.error(self.name, key, self.unknown.format(keys=", ".join(names)))


@dataclass(frozen=True)
class Sources:
    """A table of named sources (numbers, distributions, posteriors). ``names(context)``: the
    names allowed; ``unknown``: the message for another name (``{names}``: the allowed ones,
    ``{model}``: the model's name); ``positive``: numbers must be positive; ``ranged``: a fixed
    number must lie in the model's range of that parameter (``context["model"]``)."""

    name: str
    names: Callable[[dict], Sequence[str]]
    unknown: str
    positive: bool = False
    ranged: bool = False

    def read(self, raw: dict, lines: Lines, context: dict) -> dict:
        model = context.get("model")
        allowed = list(self.names(context))
        out = {}
        for key, value in raw.items():
            if key not in allowed:
                message = self.unknown.format(names=", ".join(allowed), model=model.name)
                raise lines.error(self.name, key, message)
            out[key] = read_source(value, self.name, key, lines, positive=self.positive)
            if self.ranged:
                check_fixed_in_range(model, key, out[key], self.name, lines)
        return out


@dataclass(frozen=True)
class Schema:
    """A kind's scenario tables. ``unknown_table``: the message for a table not declared
    (``{tables}``: the declared names, sorted)."""

    tables: tuple[Table | Sources, ...]
    unknown_table: str = "unknown table; use: {tables}"
    extra_tables: tuple[str, ...] = ()  # tables read by the kind's own code

    def names(self) -> tuple[str, ...]:
        top = {t.name.split(".")[0] for t in self.tables} | set(self.extra_tables)
        return tuple(sorted(top))

    def check_tables(self, doc: dict, lines: Lines) -> None:
        names = self.names()
        for table in doc:
            if table not in names:
                raise lines.error(table, None, self.unknown_table.format(tables=", ".join(names)))

    def table(self, name: str) -> Table | Sources:
        return next(t for t in self.tables if t.name == name)

    def read(self, doc: dict, name: str, lines: Lines, context: dict | None = None) -> dict:
        """The values of table ``name`` (a dotted name reads a sub-table)."""
        spec = self.table(name)
        top, _, sub = name.partition(".")
        raw = read_table(doc, top, lines, required=getattr(spec, "required", False))
        if sub:
            raw = raw.get(sub, {})
        return spec.read(dict(raw), lines, dict(context or {}))


# --- readers ---------------------------------------------------------------------------------


def string(value, at: At) -> str:
    if not isinstance(value, str):
        raise at.error(f"must be a str; got {value!r}")
    return value


def one_line(value, at: At) -> str:
    """Any value, as one line of text (titles, rationales)."""
    return " ".join(str(value).split())


def number(value, at: At) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise at.error(f"must be a finite number; got {value!r}")
    return float(value)


def positive_number(value, at: At) -> float:
    value = number(value, at)
    if value <= 0:
        raise at.error(f"must be positive; got {value:g}")
    return value


def horizon_years(value, at: At) -> float:
    """A horizon in years: positive and at most ``MAX_YEARS``."""
    value = positive_number(value, at)
    if value > MAX_YEARS:
        raise at.error(f"must be at most {MAX_YEARS:g} years; got {value:g}")
    return value


def calendar_year(value, at: At) -> float:
    """A decimal year inside ``START_YEARS``."""
    value = number(value, at)
    low, high = START_YEARS
    if not low <= value <= high:
        raise at.error(f"must be a decimal year between {low:g} and {high:g}; got {value:g}")
    return value


def boolean(value, at: At) -> bool:
    if not isinstance(value, bool):
        raise at.error(f"must be true or false; got {value!r}")
    return value


def integer(least: int, most: int | None = None) -> Callable[[Any, At], int]:
    def read(value, at: At) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise at.error(f"must be an integer >= {least}; got {value!r}")
        if most is not None and value > most:
            raise at.error(f"must be at most {most:,}; got {value:,}")
        return value

    return read


def choice(options: Sequence[str], what: str) -> Callable[[Any, At], str]:
    """One of ``options``; otherwise "unknown WHAT 'x'; choose one of: ..."."""

    def read(value, at: At) -> str:
        if value not in options:
            raise at.error(f"unknown {what} {value!r}; choose one of: {', '.join(options)}")
        return value

    return read

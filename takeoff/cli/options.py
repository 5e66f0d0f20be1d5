"""What every command shares: parsing NAME=VALUE and ROLE=COLUMN options and dates, checking
output paths, writing files atomically, and printing progress to stderr."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import typer

from takeoff.errors import TakeoffError
from takeoff.models.registry import FAMILIES


def families_help() -> str:
    """Families with their equations and parameters (units, defaults, ranges), for --help."""
    blocks = []
    for family in FAMILIES.values():
        lines = [f"{family.name}: {family.equation}"]
        lines += [f"    --param {p.describe()}" for p in family.parameters]
        lines += [f"    --y0 {s.describe()}" for s in family.states]
        blocks.append("\b\n" + "\n".join(lines))
    return "Families and their parameters:\n\n" + "\n\n".join(blocks)


def parse_assignments(items: list[str] | None, option: str) -> dict[str, float]:
    """Parse repeated ``NAME=VALUE`` options into a dict of floats (``inf`` allowed)."""
    values: dict[str, float] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise TakeoffError(
                f"malformed {option} '{item}': expected NAME=VALUE, e.g. {option} k=0.5"
            )
        try:
            value = float(text)
        except ValueError:
            raise TakeoffError(
                f"{option} {name}={text}: '{text}' is not a number; give e.g. {option} {name}=0.5"
            ) from None
        if math.isnan(value):
            raise TakeoffError(f"{option} {name} is NaN; give a number")
        if name in values:
            raise TakeoffError(f"{option} {name} is given twice; give it once")
        values[name] = value
    return values


def parse_columns(items: list[str] | None) -> dict[str, str]:
    """Repeated --column ROLE=COLUMN."""
    columns: dict[str, str] = {}
    for item in items or []:
        role, sep, column = (part.strip() for part in item.partition("="))
        if not sep or not role or not column:
            raise TakeoffError(
                f"malformed --column '{item}': expected ROLE=COLUMN, e.g. --column x=compute"
            )
        columns[role] = column
    return columns


def parse_date(text: str | None, option: str = "--since") -> float | None:
    """A date option as a decimal year ("2024.5") or an ISO date ("2024-07-02")."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is not None:
        if not math.isfinite(value):
            raise TakeoffError(f"{option} must be a finite year; got {text}")
        return value
    try:
        from takeoff.data import to_decimal_year

        return float(to_decimal_year(np.array([np.datetime64(text, "ns")]))[0])
    except (ValueError, TakeoffError):
        raise TakeoffError(
            f"{option} '{text}' is neither a decimal year nor a date; give e.g. 2024.5 or "
            "2024-07-02"
        ) from None


def check_output_file(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise TakeoffError(f"--out must name a {suffix} file; got '{path}'")
    if not path.parent.exists():
        raise TakeoffError(
            f"folder '{path.parent}' does not exist; create it or choose another --out"
        )
    if path.is_dir():
        raise TakeoffError(f"--out '{path}' is a folder; give a file name ending in {suffix}")


def check_output_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise TakeoffError(f"--out '{path}' exists and is not a folder; choose a folder")
    if not path.parent.exists():
        raise TakeoffError(
            f"folder '{path.parent}' does not exist; create it or choose another --out"
        )


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename, so no half-written file remains."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def check_positive(**values: int) -> None:
    """--draws, --tune, --chains ... must be positive integers."""
    for name, value in values.items():
        if value is not None and value < 1:
            raise TakeoffError(f"--{name} must be a positive integer; got {value}")


def say(line: str) -> None:
    """A line of progress on stderr (results go to stdout)."""
    typer.echo(line, err=True)


def interactive() -> bool:
    """Whether stderr is a terminal (progress bars only then)."""
    return sys.stderr.isatty()


def sub_app(name: str, help: str) -> typer.Typer:
    return typer.Typer(name=name, help=help, no_args_is_help=True, rich_markup_mode=None)

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


# The most each count option may be, checked before any work: far above any real use (the
# main job runs 10,000 draws, a fit 4 chains of 1,000), low enough that a slip of a few zeros is
# refused at once instead of exhausting memory or running for days.
MOST = {
    "draws": 1_000_000,  # Monte Carlo draws per scenario, or posterior draws per chain
    "tune": 1_000_000,
    "chains": 64,
    "sims": 100_000,  # simulated data sets of a calibration
    "points": 1_000_000,  # one simulated path
    "sobol": 2**16,  # base sample of a Sobol analysis: n x (inputs + 2) runs
    "n": 2**16,
}
MAX_SEED = 2**32 - 1  # numpy's legacy seeding and PyMC's random_seed take seeds below 2**32
MAX_SIMULATE_YEARS = 20_000.0  # one path: the world-product series spans 12,000 years


def check_positive(**values: int | None) -> None:
    """--draws, --tune, --chains ... must be positive integers, at most ``MOST[name]``."""
    for name, value in values.items():
        if value is None:
            continue
        if value < 1:
            raise TakeoffError(f"--{name} must be a positive integer; got {value}")
        most = MOST.get(name)
        if most is not None and value > most:
            raise TakeoffError(f"--{name} must be at most {most:,}; got {value:,}")


def check_seed(seed: int) -> None:
    """--seed: an integer from 0 to ``MAX_SEED``."""
    if not 0 <= seed <= MAX_SEED:
        raise TakeoffError(f"--seed must be an integer from 0 to {MAX_SEED}; got {seed}")


def check_years(option: str, value: float | None, most: float) -> None:
    """A float option counted in years (--years, --horizon): positive, finite, at most ``most``."""
    if value is None:
        return
    if not math.isfinite(value) or value <= 0:
        raise TakeoffError(f"{option} must be a positive number; got {value:g}")
    if value > most:
        raise TakeoffError(f"{option} must be at most {most:,g} years; got {value:g}")


def check_calendar_year(option: str, value: float, window: tuple[float, float]) -> float:
    """A date option (e.g. --origin) inside ``window`` of decimal years."""
    low, high = window
    if not low <= value <= high:
        raise TakeoffError(f"{option} must be a date between {low:g} and {high:g}; got {value:g}")
    return value


def say(line: str) -> None:
    """A line of progress on stderr (results go to stdout)."""
    typer.echo(line, err=True)


def interactive() -> bool:
    """Whether stderr is a terminal (progress bars only then)."""
    return sys.stderr.isatty()


def sub_app(name: str, help: str) -> typer.Typer:
    return typer.Typer(name=name, help=help, no_args_is_help=True, rich_markup_mode=None)

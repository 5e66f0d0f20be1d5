"""Loading a scenario: read its TOML (a built-in by name or a file), lay a variant over the
scenario it ``extends``, read the common [scenario] head and hand the rest to the tables of its
family's forecast kind (``takeoff.forecast.kinds``). Above the kinds: the kinds use the parsing
helpers of ``takeoff.forecast.scenario`` and ``takeoff.forecast.schema``, this module dispatches
to them."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from takeoff.errors import TakeoffError
from takeoff.forecast.kinds import kind_for_family, kinds
from takeoff.forecast.provenance import comment_reasons
from takeoff.forecast.scenario import (
    Lines,
    Scenario,
    builtin_dir,
    builtin_names,
    extended,
    read_key,
    read_table,
)


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
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise TakeoffError(
            f"{path.name}: not UTF-8 text; save the scenario as a UTF-8 .toml file"
        ) from None
    except OSError as exc:
        raise TakeoffError(f"scenario file '{path}' cannot be read ({exc.strerror})") from None
    return parse_scenario(text, where=path.name)


def parse_scenario(text: str, where: str = "scenario") -> Scenario:
    """Parse scenario TOML text: the common [scenario] head, then the tables of its kind."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TakeoffError(f"{where}: malformed TOML: {exc}") from None
    lines = Lines(text, where)
    doc, parents = extended(doc, lines)
    head = read_table(doc, "scenario", lines, required=True)
    family = read_key(head, "family", str, lines, "scenario")
    try:
        kind = kind_for_family(family)
    except TakeoffError:
        choices = ", ".join(f for k in kinds().values() for f in k.families())
        raise lines.error(
            "scenario", "family", f"unknown family '{family}'; choose one of: {choices}"
        ) from None
    scenario = kind.parse(doc, head, lines, text)
    reasons: dict[str, str] = {}
    for source_text in (*parents, text):  # the variant's own comments win
        reasons.update(comment_reasons(source_text))
    return dataclasses.replace(scenario, reasons=reasons)

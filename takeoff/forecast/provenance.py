"""Where each input of a scenario comes from: the source (a fixed number, a prior, a fit's
posterior) and the reason its author gave for it, read from the comments of the scenario file.

A comment on the key's own line, or the comment lines just above the key, is its reason:

    # H_half: half of AI-research tasks automatable once the horizon reaches a work month
    H_half = { dist = "lognormal", mu = 9.21, sigma = 1.5 }
    L0 = 1.0  # the unit of research input

Parameters a scenario takes from a whole fit (``[parameters] posterior = "FIT"``) get the
fit's own description of the quantity (its family link). No simulation, no PyMC.
"""

from __future__ import annotations

import re

from takeoff.forecast.sources import FromPosterior, Source

TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.]+)\s*\]\s*(#.*)?$")
KEY = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=")
PREFIX = {"parameters": "", "initial": "initial.", "switch.parameters": "switch.",
          "switch.jump": "jump.", "counterfactual.parameters": "counterfactual."}  # fmt: skip


def _inline_comment(line: str) -> str:
    """The comment after a value: the first '#' outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[i + 1 :].strip()
    return ""


def comment_reasons(text: str) -> dict[str, str]:
    """Reasons by drawn key (``H_half``, ``initial.S``, ``switch.gamma``, ...) from the comments
    of a scenario's TOML text."""
    out: dict[str, str] = {}
    table, pending, in_string = "", [], False
    for line in text.splitlines():
        if line.count('"""') % 2 == 1:
            in_string = not in_string
            pending = []
            continue
        if in_string:
            continue
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = TABLE.match(line)
        if match:
            table, pending = match.group(1), []
            continue
        match = KEY.match(line)
        if match and table in PREFIX:
            parts = [p for p in (*pending, _inline_comment(line)) if p]
            if parts:
                key = match.group(1)
                text_ = " ".join(parts)
                text_ = re.sub(rf"^{re.escape(key)}:\s*", "", text_)  # "# H_half: why" -> "why"
                out[PREFIX[table] + key] = text_
        pending = []
    return out


def _fit_description(src: FromPosterior) -> str:
    """The fit's words for a posterior variable it derives (unit and description), if any."""
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.fits.exports import available, spec_of

    try:
        spec = spec_of(load_posterior(src.source))
    except Exception:  # a user's file that cannot be read is reported where it is drawn
        return ""
    name = src.variable.split("@", 1)[0]
    export = available(spec).get(name)
    if export is None:
        return ""
    unit = f" [{export.unit}]" if export.unit else ""
    return f"{export.description}{unit}"


def source_lines(sources: dict[str, Source], reasons: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, where it comes from, why) for every drawn input, in the scenario's order."""
    rows = []
    for key, src in sources.items():
        where = src.describe()
        why = reasons.get(key, "")
        if isinstance(src, FromPosterior) and not why:
            why = _fit_description(src)
        rows.append((key, where, why))
    return rows

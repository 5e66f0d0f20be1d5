"""The forecast-kind protocol: what a kind of model produces (``ForecastKind``), the per-draw
outputs a sensitivity analysis can explain (``SensitivityOutput``) and the rows of
summary.csv in the long schema (``LONG_COLUMNS``, ``long_row``). The kinds themselves live in
rooms under ``takeoff.forecast.kinds``, and the dispatch over them in that package."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.formatting import Table

if TYPE_CHECKING:
    from takeoff.forecast.scenario import Scenario

# summary.csv, one number per row (README: "summary.csv"). ``value`` is empty where a quantity
# has no number (e.g. a milestone not reached within the horizon), and ``status`` says why.
LONG_COLUMNS = ("scenario", "kind", "quantity", "milestone", "quantile", "value", "unit", "status")
NOT_REACHED = "not reached within the horizon"

# The most a forecast may hold at once (a block of draws on its grid, and its histograms),
# checked before anything is allocated. The built-ins need 25-75 MB; 2 GB leaves room for a
# grid of thousands of points on a machine shared with other work.
MAX_BYTES = 2 * 2**30


def memory_problem(nbytes: int) -> str | None:
    """The one-line reason a forecast needing ``nbytes`` at once is refused, or None."""
    if nbytes <= MAX_BYTES:
        return None
    return (
        f"the forecast would hold about {nbytes / 1e9:.1f} GB at once (a block of draws on the "
        f"time grid and its histograms), more than {MAX_BYTES / 1e9:.1f} GB; lower [scenario] "
        "points or years"
    )


@dataclass(frozen=True)
class SensitivityOutput:
    """One per-draw number a sensitivity analysis explains: read from a simulated block, with
    'not reached within the horizon' (inf) censored at ``censor_at``; ``never`` says what it
    means when every run is censored; ``log10``: analysed on a log10 scale; ``per_input``:
    False for an output explained only by groups of inputs (``sobol(..., by="source")``)."""

    name: str
    unit: str
    label: str
    values: Callable  # (block) -> (n,) raw values, inf where not reached
    censor_at: float
    never: str
    log10: bool = False
    per_input: bool = True


@dataclass(frozen=True)
class ForecastKind:
    name: str
    description: str
    families: Callable[[], tuple[str, ...]]  # the model families whose scenarios are this kind
    parse: Callable
    simulate: Callable
    accumulator: Callable
    summarize: Callable
    per_draw: Callable
    format: Callable[[xr.Dataset], str]
    row: Callable[[xr.Dataset], dict]
    long_rows: Callable[[xr.Dataset], list[dict]]
    headline: Callable[[xr.Dataset], list[tuple[str, str, str]]]
    figures: Callable[..., dict]  # (summaries, observations=None)
    interactive_figures: Callable[..., list]  # (summary, observations=())
    sensitivity_outputs: Callable
    interactive_comparison: Callable[[list[xr.Dataset]], object] = lambda summaries: None
    comparison_figures: Callable[..., list] = lambda summaries, observations=None: []
    headline_table: Callable[[list[xr.Dataset]], Table] | None = None
    observations: Callable[[Scenario], tuple] = lambda scenario: ()
    report_sections: Callable[..., list] | None = None  # (results, observations)
    caption: Callable[[xr.Dataset], str] = lambda summary: ""
    compare: Callable[[list[xr.Dataset]], str | None] = lambda summaries: None
    batch_blocks: bool = False
    memory: Callable[[Scenario], int] = lambda scenario: 0  # bytes held at once (about)

    def check_memory(self, scenario: Scenario) -> None:
        """Refuse, before any work, a scenario whose forecast would not fit in memory."""
        problem = memory_problem(self.memory(scenario))
        if problem is not None:
            raise TakeoffError(f"{scenario.name}: {problem}")

    def table(self, summaries: list[xr.Dataset]) -> Table:
        """The headline table of ``summaries`` (all of this kind)."""
        if self.headline_table is not None:
            return self.headline_table(summaries)
        triples = [self.headline(s) for s in summaries]
        columns = ("scenario", *(c for c, _, _ in triples[0])) if triples else ("scenario",)
        rows = tuple(
            (str(s.attrs["scenario"]), *(v for _, _, v in t))
            for s, t in zip(summaries, triples, strict=True)
        )
        return Table(self.description.capitalize(), columns, rows)


def is_illustration(summary: xr.Dataset) -> bool:
    """Whether a scenario declared itself an illustration (``[scenario] illustration = true``:
    an essay's position in abstract units, placed by assumption), not a forecast."""
    return bool(int(summary.attrs.get("illustration", 0)))


def long_row(
    summary: xr.Dataset,
    quantity: str,
    value: float,
    unit: str = "",
    *,
    milestone: str = "",
    quantile: float | None = None,
    never: str = NOT_REACHED,
    below: str = "below the summary's range",
    undefined: str = "undefined",
) -> dict:
    """One row of summary.csv; a ``value`` that is not a finite number is left empty and
    ``status`` says what it means: ``never`` for +inf (by default, not reached within the
    horizon), ``below`` for -inf, ``undefined`` for NaN."""
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    status = ""
    if not math.isfinite(value):
        status = never if value > 0 else (below if value < 0 else undefined)
    return {
        "scenario": str(summary.attrs["scenario"]),
        "kind": str(summary.attrs["kind"]),
        "quantity": quantity,
        "milestone": milestone,
        "quantile": quantile,
        "value": value if math.isfinite(value) else None,
        "unit": unit,
        "status": status,
    }


def summary_row_head(summary: xr.Dataset) -> dict:
    """The columns every kind's wide row starts with: scenario, family, draws, seed, engine."""
    a = summary.attrs
    return {key: a[key] for key in ("scenario", "family", "draws", "seed", "engine")}

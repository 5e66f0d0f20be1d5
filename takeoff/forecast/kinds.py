"""Forecast kinds: what a kind of model produces, and the one place the rest dispatches on it.

A scenario's family decides its kind. The ODE families produce trajectories on a calendar
(``trajectory``: milestone dates, takeoff durations and classes, singularities); the published
software-intelligence-explosion recursion produces runs of doublings (``doublings``: years of
progress within T months). A kind is a small bundle of functions:

- ``parse(doc, head, lines, text)``: the scenario tables the kind reads -> ``Scenario``;
- ``simulate(scenario, draws)``: one block of draws -> a block of per-draw results;
  ``batch_blocks``: simulate a chunk's blocks together (cheap per draw, same numbers);
- ``accumulator(scenario)``: an empty reduction with ``add(scenario, block)`` and
  ``merge(other)`` (exact integer counts, so chunks and Dask workers add up identically);
- ``summarize(scenario, acc, seed, engine)``: the summary Dataset (``attrs["kind"]`` set);
- ``per_draw(scenario, blocks)``: per-draw results of the local engine;
- ``format(summary)``, ``compare(summaries)`` (side by side, or None), ``row(summary)`` (its
  row of summary.csv), ``headline(summary)`` ((column, label, value) triples for pages),
  ``figures(summaries)`` ({file name: a function drawing its matplotlib figure}),
  ``caption(summary)`` (a sentence on how to read the results), ``interactive_figures(summary)``
  ((key, plotly figure) pairs for pages) and ``interactive_comparison(summaries)`` (one plotly
  figure across scenarios, or None);
- ``sensitivity_outputs(scenario)``: the per-draw outputs a sensitivity analysis can explain
  (``SensitivityOutput``s; raises with a one-line reason where there are none).

Adding a peer model means one module with its kind plus a line in ``KINDS`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import xarray as xr

from takeoff.errors import TakeoffError


@dataclass(frozen=True)
class SensitivityOutput:
    """One per-draw number a sensitivity analysis explains: read from a simulated block, with
    'not reached within the horizon' (inf) censored at ``censor_at``; ``never`` says what it
    means when every run is censored; ``log10``: analysed on a log10 scale."""

    name: str
    unit: str
    label: str
    values: Callable  # (block) -> (n,) raw values, inf where not reached
    censor_at: float
    never: str
    log10: bool = False


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
    headline: Callable[[xr.Dataset], list[tuple[str, str, str]]]
    figures: Callable[[list[xr.Dataset]], dict]
    interactive_figures: Callable[[xr.Dataset], list]
    sensitivity_outputs: Callable
    interactive_comparison: Callable[[list[xr.Dataset]], object] = lambda summaries: None
    caption: Callable[[xr.Dataset], str] = lambda summary: ""
    compare: Callable[[list[xr.Dataset]], str | None] = lambda summaries: None
    batch_blocks: bool = False


def _kinds() -> dict[str, ForecastKind]:
    from takeoff.forecast.aifm_kind import AIFM
    from takeoff.forecast.doublings import DOUBLINGS
    from takeoff.forecast.trajectory import TRAJECTORY

    return {k.name: k for k in (TRAJECTORY, DOUBLINGS, AIFM)}


def kinds() -> dict[str, ForecastKind]:
    """Every forecast kind by name."""
    return _kinds()


def kind_for_family(family: str) -> ForecastKind:
    for kind in _kinds().values():
        if family in kind.families():
            return kind
    choices = [f for k in _kinds().values() for f in k.families()]
    raise TakeoffError(f"unknown family '{family}'; choose one of: {', '.join(choices)}")


def kind_of(summary: xr.Dataset) -> ForecastKind:
    """The kind that made a forecast summary (older summaries: by their family)."""
    name = summary.attrs.get("kind")
    if name is not None:
        return _kinds()[name]
    return kind_for_family(str(summary.attrs["family"]))


# --- dispatch over summaries of any kind -----------------------------------------------------


def format_summary(summary: xr.Dataset) -> str:
    """The table printed for one scenario."""
    return kind_of(summary).format(summary)


def comparisons(summaries: list[xr.Dataset]) -> list[str]:
    """Side-by-side tables, one per kind that compares its scenarios (two or more of it)."""
    out = []
    for kind in _kinds().values():
        mine = [s for s in summaries if kind_of(s) is kind]
        if len(mine) >= 2:
            text = kind.compare(mine)
            if text:
                out.append(text)
    return out


def summary_table(summaries: list[xr.Dataset]):
    """summary.csv as a DataFrame: a row per scenario, written by its kind."""
    import pandas as pd

    return pd.DataFrame([kind_of(s).row(s) for s in summaries])


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    return kind_of(summary).headline(summary)


def figures(summaries: list[xr.Dataset]) -> dict:
    """{file name: function drawing the figure} for a set of summaries: each kind its own."""
    out = {}
    for kind in _kinds().values():
        mine = [s for s in summaries if kind_of(s) is kind]
        if mine:
            out.update(kind.figures(mine))
    return out

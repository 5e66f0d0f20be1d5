"""Forecast kinds: what a kind of model produces, and the one place the rest dispatches on it.

A scenario's family decides its kind. The ODE families produce trajectories on a calendar
(``trajectory``: milestone dates, takeoff durations and classes, singularities); the published
software-intelligence-explosion recursion produces runs of doublings (``doublings``: years of
progress within T months). A kind is a small bundle of functions:

- ``parse(doc, head, lines, text)``: the scenario tables the kind reads -> ``Scenario``
  (declared with ``takeoff.forecast.schema``; ``takeoff.forecast.loading`` calls it);
- ``simulate(scenario, draws)``: one block of draws -> a block of per-draw results;
  ``batch_blocks``: simulate a chunk's blocks together (cheap per draw, same numbers);
- ``accumulator(scenario)``: an empty reduction with ``add(scenario, block)`` and
  ``merge(other)`` (exact integer counts, so chunks and Dask workers add up identically);
- ``summarize(scenario, acc, seed, engine)``: the summary Dataset (``attrs["kind"]`` set);
- ``per_draw(scenario, blocks)``: per-draw results of the local engine;
- ``format(summary)``, ``compare(summaries)`` (side by side, or None), ``row(summary)`` (a
  wide row per scenario, for tables on screen), ``long_rows(summary)`` (its rows of summary.csv
  in the long schema ``LONG_COLUMNS``: one number per row, "not reached" said in ``status``),
  ``headline(summary)`` ((column, label, value) triples for pages), ``headline_table(summaries)``
  (one ``formatting.Table`` row per scenario: what the terminal, the report and the overview
  show first; by default the headline triples; called once for a kind's forecasts and once
  for its illustrations, the scenarios that declare ``illustration = true``),
  ``caption(summary)`` (a sentence on how to read the results);
- ``observations(scenario)``: the observed data behind a scenario's forecast, as
  ``takeoff.models.fits.predictive.FitData`` in the watched quantity's units (a fit the
  scenario draws from whose data measure that quantity on a calendar), for its charts;
- figures, given ``observations`` ({scenario: [FitData]}): ``figures(summaries, observations)``
  ({file name: a function drawing its matplotlib figure}), ``interactive_figures(summary,
  observations)`` ((key, plotly figure) pairs for pages), ``interactive_comparison(summaries)``
  (one plotly figure across scenarios, or None) and ``comparison_figures(summaries,
  observations)`` ((key, plotly figure) pairs across scenarios, side by side on common
  observables: the report and the Compare page);
- ``report_sections(results, observations)``: the report's sections for the kind's forecasts
  (``takeoff.plots.blocks``); by default the headline table and each scenario's figures;
- ``sensitivity_outputs(scenario)``: the per-draw outputs a sensitivity analysis can explain
  (``SensitivityOutput``s; raises with a one-line reason where there are none).

Each kind lives in a room of its own (``trajectory``, ``doublings``, ``aifm``), its modules
named by role (``schema``, ``simulation``/``measures``, ``summary``, ``presentation``) and
assembled into the ``ForecastKind`` in the room's ``kind.py``, which only this package imports;
the protocol is ``takeoff.forecast.kind``, the shared exact reduction ``takeoff.forecast.
reduction``. Adding a peer model means a room with its kind plus a line in ``_kinds()`` below.
Loading a scenario file (``takeoff.forecast.loading``) and running it (``monte_carlo``) sit
above this package; a room imports only the engine below it (scenario, sources, schema,
reduction, kind, provenance, observations).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.forecast.kind import LONG_COLUMNS, ForecastKind, is_illustration
from takeoff.formatting import Table

if TYPE_CHECKING:
    from takeoff.forecast.scenario import Scenario


def _kinds() -> dict[str, ForecastKind]:
    from takeoff.forecast.kinds.aifm.kind import AIFM
    from takeoff.forecast.kinds.doublings.kind import DOUBLINGS
    from takeoff.forecast.kinds.trajectory.kind import TRAJECTORY

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
    """A row per scenario (wide; each kind its own columns), for tables on screen."""
    import pandas as pd

    return pd.DataFrame([kind_of(s).row(s) for s in summaries])


def long_table(summaries: list[xr.Dataset]):
    """summary.csv as a DataFrame in the long schema ``LONG_COLUMNS``: one number per row."""
    import pandas as pd

    rows = [row for s in summaries for row in kind_of(s).long_rows(s)]
    frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS))
    for column in ("quantile", "value"):  # keep integers as integers, empty stays empty
        frame[column] = pd.Series([r[column] for r in rows], dtype=object)
    return frame


def headline_tables(summaries: list[xr.Dataset]) -> list[Table]:
    """The headline: the forecasts, one table per kind present (a row per scenario, in the
    kinds' order), then the illustrations in tables of their own, after every forecast."""
    out = []
    for illustrations in (False, True):
        group = [s for s in summaries if is_illustration(s) == illustrations]
        for kind in _kinds().values():
            mine = [s for s in group if kind_of(s) is kind]
            if mine:
                out.append(kind.table(mine))
    return out


def observations(scenario: Scenario) -> tuple:
    """The observed data behind a scenario's forecast (its kind decides)."""
    return tuple(_kinds()[scenario.kind].observations(scenario))


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    return kind_of(summary).headline(summary)


def figures(summaries: list[xr.Dataset], observed: dict | None = None) -> dict:
    """{file name: function drawing the figure} for a set of summaries: each kind its own;
    ``observed``: {scenario: observations} to draw on the charts."""
    out = {}
    for kind in _kinds().values():
        mine = [s for s in summaries if kind_of(s) is kind]
        if mine:
            out.update(kind.figures(mine, observed or {}))
    return out

"""Dynamics explorer: pick a model family, move its parameters, and see the trajectory, its
regime (with the blow-up time t* or the returns indicator), a regime map and the doubling time.
With a spread > 0, many draws around the slider values (10,000 by default) give a band.

A slider move answers at once with a band of ``explore.live_draws`` draws; once the browser has
drawn it, the chart asks for the band of all the draws (a rerun with the same values) and is
updated in place (``live_chart``). Set ``TAKEOFF_TIMINGS=1`` to have each run print its
duration on the server's output (the latency benchmark reads it)."""

import json
import math
import os
import time
from dataclasses import dataclass

import streamlit as st

from takeoff.dashboards import cached, explore
from takeoff.dashboards.live_chart import live_chart, refined, refines
from takeoff.dashboards.page_tools import (
    controls_and_view,
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
)
from takeoff.formatting import number as fmt
from takeoff.formatting import probability as fmt_prob
from takeoff.models import FAMILIES, get_family
from takeoff.plots import explorer_charts

DRAWS_KEY = "explorer_draws"  # the band's draws (its own key and URL parameter: a page's
# widget keys are shared by every page of the session)


def slider(s: explore.Slider, key: str):
    """A select slider over the spec's options, bound to the URL under ``key``."""
    if key in st.session_state and st.session_state[key] not in s.options:
        st.session_state[key] = explore.snap(s.options, st.session_state[key])
    return st.select_slider(
        s.label,
        s.options,
        value=s.default,
        key=key,
        bind="query-params",
        help=s.help + (" (log-spaced)" if s.log else ""),
        format_func=lambda v: f"{v:g}",
    )


@dataclass(frozen=True)
class Controls:
    """What the controls are set to: the family, the quantity shown, the slider values."""

    name: str
    quantity: str
    centre: dict
    y0: dict
    years: int
    spread: float
    draws: int


def main() -> None:
    names = list(FAMILIES)
    present = presentation_mode()
    controls, view = controls_and_view((1, 2.4))
    known = _known_controls(names)
    _TIMING["started_ms"] = 1000 * (time.perf_counter() - _start)  # the view's work begins
    _TIMING["view_first"] = known is not None
    if known is None:  # a first run, or a new family: the widgets give the values
        with controls:
            known = _controls(names)
        _view(view, known, present)
        return
    # A slider move: every value is already in the session state, so the view (the work and
    # the charts) goes out first and the browser redraws the chart before it re-renders the
    # controls (24 sliders for research_loop); the controls follow, unchanged.
    _view(view, known, present)
    with controls:
        drawn = _controls(names)
    if drawn != known:  # not expected: a widget corrected its value; draw the view again
        st.rerun()


def _known_controls(names: list[str]) -> Controls | None:
    """The controls' values as the session state holds them before the widgets run (after a
    slider move), or None if any is missing or not one of its widget's options."""
    state = st.session_state
    name = state.get("family")
    if name not in names:
        return None
    family = get_family(name)
    quantities, _ = explore.shown_quantities(name)
    sliders = {
        **{f"{name}.{p.name}": explore.parameter_slider(p) for p in family.parameters},
        **{f"{name}.initial_{s.name}": explore.state_slider(s) for s in family.states},
    }
    choices = {
        f"{name}.show": quantities,
        f"{name}.years": explore.YEARS,
        "spread": explore.SPREADS,
        DRAWS_KEY: explore.DRAWS,
        **{key: s.options for key, s in sliders.items()},
    }
    if any(key not in state or state[key] not in options for key, options in choices.items()):
        return None
    return Controls(
        name,
        state[f"{name}.show"],
        {p.name: state[f"{name}.{p.name}"] for p in family.parameters},
        {s.name: state[f"{name}.initial_{s.name}"] for s in family.states},
        state[f"{name}.years"],
        state["spread"],
        state[DRAWS_KEY],
    )


def _controls(names: list[str]) -> Controls:
    """The controls (in the current container) and what they are set to."""
    name = st.selectbox(
        "Model family",
        names,
        index=names.index("power_law"),
        key="family",
        bind="query-params",
    )
    family = get_family(name)
    st.caption(f"{family.summary}: **{family.equation}**")
    quantities, default = explore.shown_quantities(name)
    quantity = st.selectbox(
        "Show",
        quantities,
        index=quantities.index(default),
        key=f"{name}.show",
        bind="query-params",
    )
    centre = {
        p.name: slider(explore.parameter_slider(p), f"{name}.{p.name}") for p in family.parameters
    }
    y0 = {
        s.name: slider(explore.state_slider(s), f"{name}.initial_{s.name}") for s in family.states
    }
    years = st.select_slider(
        "Horizon [years]",
        explore.YEARS,
        value=int(family.default_years),
        key=f"{name}.years",
        bind="query-params",
    )
    st.divider()
    spread = st.select_slider(
        "Uncertainty band: spread",
        explore.SPREADS,
        value=0.25,
        key="spread",
        bind="query-params",
        format_func=lambda v: f"{v:g}",
        help="Draws around the slider values: each parameter's default prior, centred on "
        "the slider value and scaled by this factor (0: no band; 1: the prior's full "
        "width, on a log scale for log-spaced parameters).",
    )
    draws = st.select_slider(
        "Draws in the band",
        explore.DRAWS,
        value=10_000,
        key=DRAWS_KEY,
        bind="query-params",
        format_func=lambda d: f"{d}",
    )
    return Controls(name, quantity, centre, y0, years, spread, draws)


def _view(view, c: Controls, present: bool) -> None:
    """The regime, its numbers and the three charts of the controls' values, in ``view``."""
    name, centre, years, spread, draws = c.name, c.centre, c.years, c.spread, c.draws
    family = get_family(name)
    inputs = (name, tuple(centre.items()), tuple(c.y0.items()), float(years), c.quantity)
    view_id = repr((*inputs, float(spread), int(draws)))  # what a refinement is asked for
    live = explore.live_draws(int(draws), float(spread), name) if refines() else int(draws)
    final = live == draws or refined("trajectory") == view_id
    result = (
        cached.explore(*inputs, float(spread), int(draws), 0)
        if final
        else _live_sweep(*inputs, float(spread), live, 0)
    )
    _TIMING.update(family=name, draws=result.draws, final=final)
    _TIMING["computed_ms"] = 1000 * (time.perf_counter() - _start)  # the sweep in hand
    with view:
        st.markdown(f"#### Regime: {result.regime}")
        numbers = []
        if math.isfinite(result.stop):
            label = "t* (exact blow-up)" if result.exact_blowup else "reaches the cap at"
            numbers.append((label, f"{fmt(result.stop)} yr", None))
        else:
            none = "none" if family.blowup_time is not None else f"none in {years} yr"
            numbers.append(("t* (blow-up)", none, None))
        for key, value in result.indicators.items():
            numbers.append((key, fmt(value), result.indicator_notes.get(key)))
        if result.bands is not None:
            numbers.append(
                (
                    f"draws blowing up within {years} yr",
                    fmt_prob(result.share_blowup),
                    f"share of the {result.draws:,} draws that reach the cap within the horizon",
                )
            )
        for col, (label, value, help_text) in zip(st.columns(3), numbers[:3], strict=False):
            col.metric(label, value, help=help_text)
        params = ", ".join(f"{k} = {v:g}" for k, v in centre.items())
        band = f"; band: {result.draws:,} draws, spread {spread:g}" if result.bands else ""
        band += "" if final else f" ({draws:,} on release)"
        title = f"{name}: {params}{band}"
        shown = {q.name: q for q in (*family.states, *family.derived)}[c.quantity]
        trajectory = explorer_charts.trajectory(
            result, ylabel=shown.axis_title, title=title, spec=True
        )
        live_chart(trajectory, key="trajectory", refine=None if final else view_id)
        _TIMING["chart_ms"] = 1000 * (time.perf_counter() - _start)  # the trajectory sent
        left, right = st.columns(2)
        x_name, y_name = family.regime_map_axes()
        grid = cached.regime_grid(
            name,
            x_name,
            y_name,
            tuple((k, v) for k, v in centre.items() if k not in (x_name, y_name)),
            tuple(c.y0.items()),
            float(years),
        )
        regimes = explorer_charts.regime_map(
            grid,
            point=(centre[x_name], centre[y_name]),
            title=f"Regime map: {x_name} vs {y_name} (grey: no blow-up)",
            spec=True,
        )
        doubling = explorer_charts.doubling_time(
            result, title="Doubling time vs level (slider values)", spec=True
        )
        with left:
            live_chart(regimes, key="regime_map")
        with right:
            live_chart(doubling, key="doubling")
        if present:
            leave_presentation_link()
            return
        download_view(
            f"explorer_{name}",
            f"{name}: {family.summary}",
            lambda: _view_blocks(family, result, numbers, (trajectory, regimes, doubling)),
            {f"explorer_{name}.csv": (lambda: _table(result).to_csv(index=False), "text/csv")},
        )


@st.cache_data(max_entries=64, show_spinner=False)
def _live_sweep(family, centre, y0, years, quantity, spread, draws, seed) -> explore.Sweep:
    """The quick first answer to a slider move (``explore.explore(..., live=True)``)."""
    return explore.explore(
        family, dict(centre), dict(y0), years, quantity, spread, draws, seed, True
    )


def _table(result):
    """The trajectory at the slider values and the bands of the draws, per time point."""
    import pandas as pd

    frame = pd.DataFrame(
        {"years since start": result.time, f"{result.quantity} [{result.unit}]": result.central}
    )
    for q, values in (result.bands or {}).items():
        frame[f"{q:.0%} of the draws"] = values
    return frame


def _view_blocks(family, result, numbers, figures) -> list:
    from takeoff.formatting import Table
    from takeoff.plots import plotly_parts as pp
    from takeoff.plots.blocks import Figure, TableBlock, Text

    return [
        Text(f"{family.equation}. Regime: {result.regime}.", kind="numbers"),
        TableBlock(Table("", ("quantity", "value"), tuple((k, v) for k, v, _ in numbers))),
        *(
            Figure(pp.plotly_figure(f["data"], f["layout"]), name=f"explorer_{family.name}_{i}")
            for i, f in enumerate(figures)
        ),
    ]


_TIMING: dict = {}
_start = time.perf_counter()
run_page(main)
if os.environ.get("TAKEOFF_TIMINGS"):
    _TIMING["ms"] = 1000 * (time.perf_counter() - _start)
    print("takeoff-timing " + json.dumps(_TIMING), flush=True)

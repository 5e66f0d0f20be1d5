"""Interactive figures of the dynamics explorer: a family's trajectories (one curve per
slider value or a 10,000-draw band), doubling time against level, and the regime map with
blow-up times. Inputs are ``Sweep`` and ``RegimeGrid`` of ``takeoff.models.sweep``."""

from __future__ import annotations

import math

import numpy as np

from takeoff.models.sweep import RegimeGrid, Sweep
from takeoff.plots import plotly_parts as pp
from takeoff.plots.style import is_minutes


def trajectory(result: Sweep, *, ylabel: str = "", title: str = "", spec: bool = False) -> object:
    """The sweep's trajectory (log scale) against years since start, stopped where it blew up
    or reached the cap (a dotted line), over the bands of its draws when it has them. With
    ``spec``, the figure as a plain dict {"data", "layout"} (no plotly validation: for a
    dashboard redrawing it on every slider move)."""
    time = np.asarray(result.time, dtype=float)
    central = np.asarray(result.central, dtype=float)
    bands, stop = result.bands, result.stop
    ylabel = ylabel or f"{result.quantity} [{result.unit}]"
    traces, shown = [], [central]
    if bands:
        traces += pp.band_traces(time, bands)
        traces.append(
            {
                "type": "scatter",
                "x": time,
                "y": bands[0.5],
                "mode": "lines",
                "name": "median of draws",
                "line": {"color": "rgb(31, 119, 180)", "dash": "dash", "width": 1.5},
            }
        )
        shown += [bands[0.05], bands[0.95]]
    keep = time < stop
    traces.append(
        {
            "type": "scatter",
            "x": time[keep],
            "y": central[keep],
            "mode": "lines",
            "name": "the slider values",
            "line": {"color": "black", "width": 2.5},
        }
    )
    shapes, notes = [], []
    if math.isfinite(stop):
        shapes.append(pp.vline(stop, color="firebrick", dash="dot", width=2))
        notes.append(
            {
                "x": stop,
                "y": 1,
                "yref": "paper",
                "text": f"t* = {stop:.3g} yr",
                "showarrow": False,
                "xanchor": "right",
                "font": {"color": "firebrick"},
            }
        )
    rng = pp.log_range(np.concatenate([np.ravel(s) for s in shown]))
    yaxis = pp.axis(ylabel, log=True, range=rng)
    if is_minutes(result.unit):
        yaxis = pp.minute_axis(yaxis, 10.0 ** rng[0], 10.0 ** rng[1])
    layout = pp.layout_spec(
        title,
        xaxis=pp.axis("years since start", range=[time[0], time[-1]]),
        yaxis=yaxis,
        shapes=shapes,
        annotations=notes,
    )
    return _figure(traces, layout, spec)


def doubling_time(
    result: Sweep, *, xlabel: str = "", title: str = "", spec: bool = False
) -> object:
    """Doubling time (months, log) against the level of the state (log): flat for exponential
    growth, falling for superlinear returns, rising for sublinear ones (``spec``: as
    ``trajectory``)."""
    level = np.asarray(result.level, dtype=float)
    months = np.asarray(result.doubling_years, dtype=float) * 12
    xlabel = xlabel or result.level_label
    ok = np.isfinite(months) & np.isfinite(level) & (level > 0) & (months > 0)
    trace = {
        "type": "scatter",
        "x": level[ok],
        "y": months[ok],
        "mode": "lines",
        "line": {"color": "black", "width": 2.5},
        "name": "doubling time",
    }
    notes = []
    if not ok.any():
        notes.append(
            {
                "text": "growth stops: no finite doubling time",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        )
    layout = pp.layout_spec(
        title,
        360,
        xaxis=pp.axis(xlabel, log=True),
        yaxis=pp.axis("doubling time [months]", log=True),
        annotations=notes,
    )
    return _figure([trace], layout, spec)


def regime_map(
    grid: RegimeGrid,
    *,
    point: tuple[float, float] | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
    spec: bool = False,
) -> object:
    """Regimes over two parameters: colour is the blow-up time (log colour scale; grey where
    there is none), a cross marks ``point`` (the current values) and a dashed line the keyhole
    (e.g. alpha = 1) where the family declares one (``spec``: as ``trajectory``)."""
    x, y, years = grid.x, grid.y, np.asarray(grid.years, dtype=float)
    xlabel, ylabel = xlabel or grid.x_name, ylabel or grid.y_name
    log_x, log_y, keyhole_x = grid.log_x, grid.log_y, grid.keyhole_x
    colour_title = (
        "blow-up time t* [yr]"
        if grid.exact
        else f"time to the cap [yr] (within {grid.horizon:g} yr)"
    )
    finite = np.isfinite(years) & (years > 0)
    z = np.where(finite, np.log10(np.where(finite, years, 1.0)), np.nan)
    z = np.clip(z, -1.0, 3.0).astype(np.float32)  # the colour scale's ends: <= 0.1, >= 1000 yr
    ticks = [0.1, 1, 10, 100, 1000]
    from plotly.colors import sequential

    # magma's black is "#000004", which Streamlit's chart code rewrites (it uses
    # #000001..#000010 as placeholders for its palette): give it as rgb(); as (position,
    # colour) pairs, the form plotly.js reads (a plain dict is not validated by plotly.py)
    magma = [c.replace("#000004", "rgb(0, 0, 4)") for c in sequential.Magma_r]

    traces = [
        {
            "type": "heatmap",
            "x": x,
            "y": y,
            "z": z,
            "zmin": -1,
            "zmax": 3,
            "colorscale": [[i / (len(magma) - 1), c] for i, c in enumerate(magma)],
            "colorbar": {
                "title": {"text": colour_title, "side": "right"},
                "tickvals": [math.log10(t) for t in ticks],
                "ticktext": ["≤ 0.1", "1", "10", "100", "≥ 1000"],
            },
            "hovertemplate": f"{xlabel} %{{x:.3g}}<br>{ylabel} %{{y:.3g}}<br>"
            "log10 years %{z:.2f}<extra></extra>",
        }
    ]
    if point is not None:
        traces.append(
            {
                "type": "scatter",
                "x": [point[0]],
                "y": [point[1]],
                "mode": "markers",
                "name": "the slider values",
                "marker": {
                    "symbol": "x",
                    "size": 14,
                    "color": "deepskyblue",
                    "line": {"width": 2, "color": "black"},
                },
            }
        )
    shapes = (
        [] if keyhole_x is None else [pp.vline(keyhole_x, color="black", dash="dash", width=1.5)]
    )
    layout = pp.layout_spec(
        title,
        400,
        xaxis=pp.axis(xlabel, log=log_x, showgrid=False),
        yaxis=pp.axis(ylabel, log=log_y, showgrid=False),
        plot_bgcolor=pp.GREY,
        shapes=shapes,
    )
    return _figure(traces, layout, spec)


def _figure(traces: list, layout: dict, spec: bool):
    return {"data": traces, "layout": layout} if spec else pp.plotly_figure(traces, layout)

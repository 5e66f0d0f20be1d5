"""Prior against the draws a forecast used, per scenario input, and grouped Sobol indices as
bars: the figures of a scenario's details (the Loop page, the report). Inputs are plain arrays
and tables (computed in :mod:`takeoff.forecast.prior_posterior` and
:mod:`takeoff.forecast.headline_sobol`); plotly is imported inside the functions."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from takeoff.plots import plotly_parts as pp

PRIOR_COLOUR = "rgba(150, 150, 150, 0.55)"
USED_COLOUR = "rgba(31, 119, 180, 0.6)"
BINS = 40
GROUP_COLOURS = {"data": "rgb(31, 119, 180)", "assumption": "rgb(214, 39, 40)"}


def prior_against_draws(items: Sequence, columns: int = 3) -> object:
    """One panel per input: a histogram of its declared prior's draws (grey) over the draws the
    forecast used (blue), in log10 for a log-normal or log-uniform prior, titled with the ratio
    of the 90% interval widths. ``items``: objects with name, prior_draws, used, log and ratio (e.g.
    ``PriorAgainstDraws``)."""
    go = pp.graph_objects()
    from plotly.subplots import make_subplots

    items = list(items)
    rows = max(1, math.ceil(len(items) / columns))
    titles = [f"{c.name}: width ratio {c.ratio:.2f}" for c in items]
    fig = make_subplots(
        rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.08,
        vertical_spacing=0.5 / rows,
    )  # fmt: skip
    for i, c in enumerate(items):
        prior, used = (np.asarray(v, float) for v in (c.prior_draws, c.used))
        if c.log:
            prior, used = np.log10(prior), np.log10(used)
        finite = np.concatenate([prior[np.isfinite(prior)], used[np.isfinite(used)]])
        lo, hi = np.quantile(finite, [0.005, 0.995]) if finite.size else (0.0, 1.0)
        edges = np.linspace(lo, hi if hi > lo else lo + 1.0, BINS + 1)
        centres = 0.5 * (edges[1:] + edges[:-1])
        for values, colour, label in ((prior, PRIOR_COLOUR, "declared prior"),
                                      (used, USED_COLOUR, "draws used")):  # fmt: skip
            # binned here (densities over the shown range), so the figure holds BINS numbers,
            # not thousands of draws (the report stays small)
            density, _ = np.histogram(values[np.isfinite(values)], edges, density=True)
            fig.add_trace(
                go.Bar(
                    x=centres,
                    y=density,
                    width=edges[1] - edges[0],
                    marker_color=colour,
                    name=label,
                    legendgroup=label,
                    showlegend=i == 0,
                ),
                row=i // columns + 1,
                col=i % columns + 1,
            )
        fig.update_xaxes(
            title_text=f"log10 {c.name}" if c.log else c.name,
            row=i // columns + 1,
            col=i % columns + 1,
        )
    fig.update_layout(
        barmode="overlay",
        height=250 * rows + 80,
        margin={"l": 40, "r": 20, "t": 80, "b": 30},
        title={"text": "Declared prior (grey) against the draws the forecast used (blue)"},
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.04, "yanchor": "bottom"},
    )
    return fig


def group_sobol_bars(frame) -> object:
    """First-order (solid) and total (hatched) Sobol indices per output and group with their 95%
    half-widths. ``frame``: columns output, group, S1, S1_conf, ST, ST_conf."""
    go = pp.graph_objects()
    fig = go.Figure()
    for group, part in frame.groupby("group", sort=False):
        colour = GROUP_COLOURS.get(str(group), "rgb(120, 120, 120)")
        for index, pattern in (("S1", ""), ("ST", "/")):
            fig.add_trace(
                go.Bar(
                    x=part["output"],
                    y=part[index],
                    error_y={"type": "data", "array": part[f"{index}_conf"]},
                    name=f"{group}: {'first order' if index == 'S1' else 'total'}",
                    marker={"color": colour, "pattern": {"shape": pattern}},
                )
            )
    fig.update_layout(
        barmode="group",
        yaxis={"title": "share of variance", "range": [0, 1.05]},
        title={"text": "Grouped Sobol indices (each posterior's draws kept joint)"},
        height=380,
        margin={"l": 50, "r": 20, "t": 60, "b": 40},
    )
    return fig

"""The plotly parts every interactive figure is built from: layouts and axes as plain dicts,
90%/50% bands, reference lines, log ranges, minute axes read as durations, observed-data
points. plotly itself is imported only when a figure is made."""

from __future__ import annotations

import math

import numpy as np

from takeoff.plots.style import DATA_COLOUR, minute_ticks

BAND = "rgba(31, 119, 180, {})"
GREY = "rgb(210, 210, 210)"


def graph_objects():
    import plotly.graph_objects as go

    return go


def apply_layout(fig, title: str, xtitle: str, ytitle: str, height: int = 420, **axes):
    fig.update_layout(layout_spec(title, height, **axes))
    fig.update_xaxes(title_text=xtitle)
    fig.update_yaxes(title_text=ytitle)
    return fig


def layout_spec(title: str, height: int = 420, **layout) -> dict:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        **layout,
    }


def axis(title: str, log: bool = False, **more) -> dict:
    axis = {
        "title": {"text": title},
        "type": "log" if log else "linear",
        "automargin": True,
        **more,
    }
    if log:
        axis["exponentformat"] = "power"
    return axis


def plotly_figure(traces: list[dict], layout: dict):
    """A figure from plain dicts, validated once (much faster than adding traces, lines and
    annotations one by one, which matters for a dashboard redrawing on every slider move)."""
    return graph_objects().Figure({"data": traces, "layout": layout})


def band_traces(x, bands: dict, alphas=(0.15, 0.3), names=("90% of draws", "50%")) -> list:
    """Filled 90% and 50% bands: an invisible upper edge, then the lower edge filled to it."""
    traces = []
    for (lo, hi), alpha, name in zip(((0.05, 0.95), (0.25, 0.75)), alphas, names, strict=True):
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": bands[hi],
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": bands[lo],
                "mode": "lines",
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": BAND.format(alpha),
                "name": name,
            }
        )
    return traces


def vline(x: float, **line) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": line,
    }


def hline(y: float, **line) -> dict:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": line,
    }


def log_range(values, decades: float = 40.0) -> list[float]:
    """A log10 axis range covering the finite positive ``values``, at most ``decades`` wide
    from the lowest (so a state held at the blow-up cap does not flatten everything else)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return [-1.0, 1.0]
    lo, hi = math.log10(v.min()), math.log10(v.max())
    hi = min(hi, lo + decades)
    pad = max(0.1 * (hi - lo), 0.2)
    return [lo - pad, hi + pad]


def minute_axis(axis: dict, low: float, high: float) -> dict:
    """A log axis of minutes labelled as durations (1 min, 1 h, 8 h, 2,000 h); over too many
    decades for that, powers of ten with "[minutes]" in the title."""
    named = minute_ticks(low, high)
    if named is None:
        title = axis["title"]["text"]
        if "minute" not in title:
            axis = {**axis, "title": {**axis["title"], "text": f"{title} [minutes]"}}
        return axis
    return {**axis, "tickvals": named[0], "ticktext": named[1]}


def observed_trace(obs, name: str | None = None) -> dict:
    return {
        "type": "scatter",
        "x": np.asarray(obs.x, dtype=np.float32),
        "y": np.asarray(obs.observed, dtype=np.float32),
        "mode": "markers",
        "name": name or f"observed: {obs.dataset or obs.fit} (fitted by {obs.fit})",
        "marker": {"color": DATA_COLOUR, "size": 7, "line": {"width": 1, "color": "white"}},
        "hovertemplate": f"%{{x:.2f}}: %{{y:.4g}}<extra>{obs.dataset or obs.fit}</extra>",
    }

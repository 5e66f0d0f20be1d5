"""Interactive figures (plotly) for the dashboard and the report: they zoom and hover in a
browser. Same inputs as ``takeoff.plots.static`` (the library's results: forecast summaries,
``Sweep`` and ``RegimeGrid`` of ``takeoff.models.sweep``, fits), no model maths. plotly is
imported inside the functions, so the command line never pays for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import xarray as xr

from takeoff.models.sweep import RegimeGrid, Sweep
from takeoff.plots import layout
from takeoff.plots.style import (
    CLASS_COLOURS,
    CLASS_LABELS,
    DATA_COLOUR,
    is_minutes,
    minute_ticks,
    rgba,
    scenario_colour,
)

_BAND = "rgba(31, 119, 180, {})"
_GREY = "rgb(210, 210, 210)"


def _go():
    import plotly.graph_objects as go

    return go


def _layout(fig, title: str, xtitle: str, ytitle: str, height: int = 420, **axes):
    fig.update_layout(_layout_spec(title, height, **axes))
    fig.update_xaxes(title_text=xtitle)
    fig.update_yaxes(title_text=ytitle)
    return fig


def _layout_spec(title: str, height: int = 420, **layout) -> dict:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        **layout,
    }


def _axis(title: str, log: bool = False, **more) -> dict:
    axis = {
        "title": {"text": title},
        "type": "log" if log else "linear",
        "automargin": True,
        **more,
    }
    if log:
        axis["exponentformat"] = "power"
    return axis


def _plotly_figure(traces: list[dict], layout: dict):
    """A figure from plain dicts, validated once (much faster than adding traces, lines and
    annotations one by one, which matters for a dashboard redrawing on every slider move)."""
    return _go().Figure({"data": traces, "layout": layout})


def _band_traces(x, bands: dict, alphas=(0.15, 0.3), names=("90% of draws", "50%")) -> list:
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
                "fillcolor": _BAND.format(alpha),
                "name": name,
            }
        )
    return traces


def _vline(x: float, **line) -> dict:
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


def _hline(y: float, **line) -> dict:
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


def _log_range(values, decades: float = 40.0) -> list[float]:
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


def trajectory(result: Sweep, *, ylabel: str = "", title: str = "") -> object:
    """The sweep's trajectory (log scale) against years since start, stopped where it blew up
    or reached the cap (a dotted line), over the bands of its draws when it has them."""
    time = np.asarray(result.time, dtype=float)
    central = np.asarray(result.central, dtype=float)
    bands, stop = result.bands, result.stop
    ylabel = ylabel or f"{result.quantity} [{result.unit}]"
    traces, shown = [], [central]
    if bands:
        traces += _band_traces(time, bands)
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
        shapes.append(_vline(stop, color="firebrick", dash="dot", width=2))
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
    rng = _log_range(np.concatenate([np.ravel(s) for s in shown]))
    yaxis = _axis(ylabel, log=True, range=rng)
    if is_minutes(result.unit):
        yaxis = _minute_axis(yaxis, 10.0 ** rng[0], 10.0 ** rng[1])
    layout = _layout_spec(
        title,
        xaxis=_axis("years since start", range=[time[0], time[-1]]),
        yaxis=yaxis,
        shapes=shapes,
        annotations=notes,
    )
    return _plotly_figure(traces, layout)


def doubling_time(result: Sweep, *, xlabel: str = "", title: str = "") -> object:
    """Doubling time (months, log) against the level of the state (log): flat for exponential
    growth, falling for superlinear returns, rising for sublinear ones."""
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
    layout = _layout_spec(
        title,
        360,
        xaxis=_axis(xlabel, log=True),
        yaxis=_axis("doubling time [months]", log=True),
        annotations=notes,
    )
    return _plotly_figure([trace], layout)


def regime_map(
    grid: RegimeGrid,
    *,
    point: tuple[float, float] | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
) -> object:
    """Regimes over two parameters: colour is the blow-up time (log colour scale; grey where
    there is none), a cross marks ``point`` (the current values) and a dashed line the keyhole
    (e.g. alpha = 1) where the family declares one."""
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

    traces = [
        {
            "type": "heatmap",
            "x": x,
            "y": y,
            "z": z,
            "zmin": -1,
            "zmax": 3,
            # magma's black is "#000004", which Streamlit's chart code rewrites (it uses
            # #000001..#000010 as placeholders for its palette): give it as rgb()
            "colorscale": [c.replace("#000004", "rgb(0, 0, 4)") for c in sequential.Magma_r],
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
    shapes = [] if keyhole_x is None else [_vline(keyhole_x, color="black", dash="dash", width=1.5)]
    layout = _layout_spec(
        title,
        400,
        xaxis=_axis(xlabel, log=log_x, showgrid=False),
        yaxis=_axis(ylabel, log=log_y, showgrid=False),
        plot_bgcolor=_GREY,
        shapes=shapes,
    )
    return _plotly_figure(traces, layout)


def _minute_axis(axis: dict, low: float, high: float) -> dict:
    """A log axis of minutes labelled as durations (1 min, 1 h, 8 h, 2,000 h); over too many
    decades for that, powers of ten with "[minutes]" in the title."""
    named = minute_ticks(low, high)
    if named is None:
        title = axis["title"]["text"]
        if "minute" not in title:
            axis = {**axis, "title": {**axis["title"], "text": f"{title} [minutes]"}}
        return axis
    return {**axis, "tickvals": named[0], "ticktext": named[1]}


def _observed_trace(obs, name: str | None = None) -> dict:
    return {
        "type": "scatter",
        "x": np.asarray(obs.x, dtype=np.float32),
        "y": np.asarray(obs.observed, dtype=np.float32),
        "mode": "markers",
        "name": name or f"observed: {obs.dataset or obs.fit} (fitted by {obs.fit})",
        "marker": {"color": DATA_COLOUR, "size": 7, "line": {"width": 1, "color": "white"}},
        "hovertemplate": f"%{{x:.2f}}: %{{y:.4g}}<extra>{obs.dataset or obs.fit}</extra>",
    }


def _fan_traces(summary, view, colour: str, name: str = "", alphas=(0.2, 0.4)) -> list:
    t = summary["time"].values
    keep = layout.decimate(t.size)
    w = summary["watch"].clip(view.clip_low, view.clip_high)  # +-inf quantiles at the edges
    bands = {
        float(q): w.sel(quantile=q).values[keep].astype(np.float32) for q in w["quantile"].values
    }
    prefix = f"{name}: " if name else ""
    traces = []
    for (lo, hi), alpha, label in zip(
        ((0.05, 0.95), (0.25, 0.75)), alphas, ("90% of draws", "50% of draws"), strict=True
    ):
        traces.append(
            {
                "type": "scatter",
                "x": t[keep],
                "y": bands[hi],
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "legendgroup": name,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": t[keep],
                "y": bands[lo],
                "mode": "lines",
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": rgba(colour, alpha),
                "name": prefix + label,
                "legendgroup": name,
                "hoverinfo": "skip",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": t[keep],
            "y": bands[0.5],
            "mode": "lines",
            "name": prefix + "median",
            "legendgroup": name,
            "line": {"color": colour, "width": 2.5},
            "hovertemplate": "%{x:.2f}: %{y:.4g}<extra>" + (name or "median") + "</extra>",
        }
    )
    return traces


def _y_axis(title: str, unit: str, view) -> dict:
    axis = _axis(title, log=True, range=layout.log10_range(view.y0, view.y1))
    return _minute_axis(axis, view.y0, view.y1) if is_minutes(unit) else axis


def fan_chart(
    summary: xr.Dataset, height: int = 440, observations=(), *, names: Sequence[str] = ()
) -> object:
    """Median and 50% / 90% bands of the watched variable over time (log) in the scenario's
    colour, milestones as dotted lines, the observed data behind the forecast as black points;
    the x range ends where the bands leave the chart. The interactive twin of
    ``static.fan_chart``."""
    view = layout.fan_window(summary, observations)
    colour = scenario_colour(str(summary.attrs.get("scenario", "")), names)
    traces = _fan_traces(summary, view, colour)
    traces += [_observed_trace(obs) for obs in observations]
    shapes, notes = _milestone_lines(summary)
    ytitle, unit = layout.watch_axis(summary)
    layout_spec = _layout_spec(
        _title(summary),
        height,
        xaxis=_axis("year", range=[view.x0, view.x1]),
        yaxis=_y_axis(ytitle, unit, view),
        shapes=shapes,
        annotations=notes,
    )
    return _plotly_figure(traces, layout_spec)


def _milestone_lines(summary) -> tuple[list, list]:
    shapes, notes = [], []
    for name, level in layout.fan_milestones(summary):
        shapes.append(_hline(float(level), color="grey", dash="dot", width=1))
        notes.append(  # on a log axis an annotation's y is log10 of the value
            {
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": math.log10(level),
                "yanchor": "bottom",
                "text": str(name).replace("_", " "),
                "showarrow": False,
                "font": {"color": "dimgrey"},
            }
        )
    return shapes, notes


def fan_overlay(
    summaries: list[xr.Dataset], observations=(), height: int = 480, *, names: Sequence[str] = ()
) -> object:
    """Several scenarios that watch the same quantity on one chart: each one's median and 90%
    band in its colour, the milestones of the first, the observed data once."""
    first = summaries[0]
    views = [layout.fan_window(s, observations) for s in summaries]
    view = layout.FanWindow(
        min(v.x0 for v in views),
        max(v.x1 for v in views),
        min(v.y0 for v in views),
        max(v.y1 for v in views),
        min(v.clip_low for v in views),
        max(v.clip_high for v in views),
    )
    traces = []
    for s in summaries:
        name = str(s.attrs.get("scenario", ""))
        fan = _fan_traces(s, view, scenario_colour(name, names), name=name, alphas=(0.15, 0.0))
        traces += fan[:2] + fan[4:]  # the 90% band and the median
    traces += [_observed_trace(obs) for obs in observations]
    shapes, notes = _milestone_lines(first)
    ytitle, unit = layout.watch_axis(first)
    spec = _layout_spec(
        f"{ytitle.split(' (')[0].split(' [')[0]}: {len(summaries)} scenarios",
        height,
        xaxis=_axis("year", range=[view.x0, view.x1]),
        yaxis=_y_axis(ytitle, unit, view),
        shapes=shapes,
        annotations=notes,
    )
    return _plotly_figure(traces, spec)


def milestone_cdfs(summary: xr.Dataset, height: int = 380) -> object:
    """P(milestone reached by date), one line per milestone, until they stop changing."""
    date = summary["date"].values
    end = layout.cdf_end(summary)
    shown = np.flatnonzero(date <= end)
    keep = shown[layout.decimate(shown.size)]
    traces = [
        {
            "type": "scatter",
            "x": date[keep],
            "y": summary["milestone_cdf"].sel(milestone=name).values[keep].astype(np.float32),
            "mode": "lines",
            "name": str(name).replace("_", " "),
            "hovertemplate": "%{x:.2f}: %{y:.1%}<extra>" + str(name) + "</extra>",
        }
        for name in summary["milestone"].values
    ]
    layout_spec = _layout_spec(
        _title(summary),
        height,
        xaxis=_axis("year", range=[float(date[0]), end]),
        yaxis=_axis("probability the milestone is reached by then", range=[0, 1.02]),
    )
    return _plotly_figure(traces, layout_spec)


def class_bars(summaries: dict[str, xr.Dataset], height: int | None = None) -> object:
    """Takeoff-class probabilities, one stacked horizontal bar per scenario; the classes'
    definitions in the legend."""
    names = list(summaries)
    traces = [
        {
            "type": "bar",
            "y": names,
            "orientation": "h",
            "name": CLASS_LABELS[cls],
            "marker": {"color": colour},
            "x": [float(summaries[n]["class_probability"].sel(takeoff_class=cls)) for n in names],
            "hovertemplate": f"{cls}: %{{x:.1%}}<extra>%{{y}}</extra>",
        }
        for cls, colour in CLASS_COLOURS.items()
    ]
    layout_spec = _layout_spec(
        "Takeoff class",
        height or 150 + 40 * len(names),
        barmode="stack",
        xaxis=_axis("probability of each takeoff class", range=[0, 1], tickformat=".0%"),
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "v", "traceorder": "normal"},
    )
    return _plotly_figure(traces, layout_spec)


def interval_rows(
    rows: list[tuple[str, float, float, float, float, float, str]],
    *,
    title: str,
    xtitle: str,
    log: bool = False,
    ticks: tuple[list[float], list[str]] | None = None,
    colours: Sequence[str] | None = None,
    names: Sequence[str] = (),
) -> object:
    """One row per scenario: its median (a dot), 50% and 90% intervals (thick and thin bars)
    in its colour, a note to the right (e.g. the share that never gets there). ``rows``:
    (label, q05, q25, median, q75, q95, note); infinite ends are drawn at the axis edge;
    ``colours``: one per row (default: the scenario colour of the label)."""
    traces, notes = [], []
    finite = [v for r in rows for v in r[1:6] if math.isfinite(v) and (v > 0 or not log)]
    lo, hi = (min(finite), max(finite)) if finite else (1.0, 10.0)
    if log:
        lo, hi = lo / 2, hi * 2
    else:
        pad = 0.05 * (hi - lo or 1.0)
        lo, hi = lo - pad, hi + pad

    def clip(v: float) -> float:
        return min(max(v, lo), hi) if not math.isnan(v) else lo

    for i, (name, q05, q25, q50, q75, q95, note) in enumerate(rows):
        colour = colours[i] if colours is not None else scenario_colour(name, names)
        for a, b, width in ((q05, q95, 2), (q25, q75, 8)):
            traces.append(
                {
                    "type": "scatter",
                    "x": [clip(a), clip(b)],
                    "y": [name, name],
                    "mode": "lines",
                    "line": {"color": colour, "width": width},
                    "showlegend": False,
                    "hoverinfo": "skip",
                }
            )
        if math.isfinite(q50):
            traces.append(
                {
                    "type": "scatter",
                    "x": [q50],
                    "y": [name],
                    "mode": "markers",
                    "marker": {"color": colour, "size": 11, "line": {"color": "white", "width": 1}},
                    "showlegend": False,
                    "hovertemplate": f"{name}: median %{{x:.4g}}<extra></extra>",
                }
            )
        if note:
            notes.append(
                {
                    "x": 1.0,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": name,
                    "text": note,
                    "showarrow": False,
                    "font": {"size": 11, "color": "dimgrey"},
                }
            )
    xaxis = _axis(xtitle, log=log, range=layout.log10_range(lo, hi) if log else [lo, hi])
    if ticks:
        xaxis = {**xaxis, "tickvals": ticks[0], "ticktext": ticks[1]}
    spec = _layout_spec(
        title,
        140 + 38 * len(rows),
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        annotations=notes,
        margin={"l": 60, "r": 150, "t": 60, "b": 50},
    )
    return _plotly_figure(traces, spec)


def sie_runs(summary: xr.Dataset, height: int = 420, *, names: Sequence[str] = ()) -> object:
    """An sie_doublings forecast: for each window of T months, P(some run of at least j
    consecutive software doublings took less than T months) over j / 8 (years of progress at
    the recent pace); the scenario's metrics ("m years of progress within T months": a run of
    k = floor((T/12) 8 m) doublings) as points at k / 8 with one Monte Carlo standard error."""
    name = str(summary.attrs.get("scenario", ""))
    colour = scenario_colour(name, names)
    years = summary["run_years"].values
    keep = layout.decimate(years.size)
    dashes = ("solid", "dash", "dot", "dashdot")
    traces = [
        {
            "type": "scatter",
            "x": years[keep],
            "y": summary["p_run_within"].sel(window=window).values[keep].astype(np.float32),
            "mode": "lines",
            "line": {"color": colour, "dash": dashes[i % len(dashes)], "shape": "hv"},
            "name": f"within {window:g} months",
            "hovertemplate": f"≥ %{{x:.3g}} years within {window:g} months: %{{y:.1%}}"
            "<extra></extra>",
        }
        for i, window in enumerate(summary["window"].values)
    ]
    per_year = float(summary.attrs.get("doublings_per_year", 8.0))
    at = summary["doublings"].values / per_year  # a metric is a run of k doublings
    traces.append(
        {
            "type": "scatter",
            "x": at,
            "y": summary["p_years_within"].values,
            "error_y": {"type": "data", "array": summary["p_years_within_se"].values},
            "mode": "markers+text",
            "marker": {"color": DATA_COLOUR, "size": 8},
            "name": "the metrics (± 1 s.e.)",
            "text": [str(m) for m in summary["metric"].values],
            "textposition": "top right",
            "hovertemplate": "%{text}: %{y:.1%}<extra></extra>",
        }
    )
    top = max(float(years[-1]), float(at.max()) * 1.2)
    spec = _layout_spec(
        _title(summary),
        height,
        xaxis=_axis(
            f"progress compressed into the window: years at the recent pace "
            f"({per_year:g} doublings = 1 year)",
            range=[0, top],
        ),
        yaxis=_axis("probability", range=[0, 1.02], tickformat=".0%"),
    )
    return _plotly_figure(traces, spec)


def sie_comparison(
    summaries: list[xr.Dataset], height: int = 420, *, names: Sequence[str] = ()
) -> object:
    """P(m years of progress within T months) ± 1 s.e., a bar per scenario for each metric."""
    traces = []
    for s in summaries:
        name = str(s.attrs.get("scenario", ""))
        traces.append(
            {
                "type": "bar",
                "x": [str(m) for m in s["metric"].values],
                "y": s["p_years_within"].values,
                "error_y": {"type": "data", "array": s["p_years_within_se"].values},
                "name": name,
                "marker": {"color": scenario_colour(name, names)},
                "hovertemplate": "%{x}: %{y:.1%}<extra>" + name + "</extra>",
            }
        )
    spec = _layout_spec(
        "Software intelligence explosion: m years of progress within T months",
        height,
        barmode="group",
        xaxis=_axis("metric (m years of progress within T months)"),
        yaxis=_axis("probability (± 1 Monte Carlo s.e.)", range=[0, 1.02], tickformat=".0%"),
    )
    return _plotly_figure(traces, spec)


def tornado(table) -> object:
    """One-at-a-time swings from ``takeoff.forecast.sensitivity.tornado_table`` (see
    ``tornado``): bars from the base value to the output at each input's low and high
    quantile, largest swing on top."""
    go = _go()
    attrs = table.attrs
    base = float(attrs.get("base", 0.0))
    lo_q, hi_q = (f"{q:.0%}" for q in attrs.get("quantiles", (0.05, 0.95)))
    labels = [
        f"{p} ({lo:.3g} .. {hi:.3g})"
        for p, lo, hi in zip(
            table["parameter"], table["low_value"], table["high_value"], strict=True
        )
    ]
    fig = go.Figure()
    for column, colour, name in (
        ("output_at_low", "rgb(31, 119, 180)", f"input at {lo_q}"),
        ("output_at_high", "rgb(214, 39, 40)", f"input at {hi_q}"),
    ):
        ends = table[column].to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=ends - base,
                base=base,
                orientation="h",
                name=name,
                marker_color=colour,
                hovertemplate="%{y}: %{customdata:.4g}<extra></extra>",
                customdata=ends,
            )
        )
    fig.add_vline(x=base, line={"color": "black", "width": 1})
    output, units = attrs.get("output", "output"), attrs.get("units", "")
    _layout(
        fig,
        f"{attrs.get('scenario', '')}: one-at-a-time swings of {output}",
        f"{output} [{units}] (line: all inputs at their medians)",
        "",
        180 + 40 * len(table),
        barmode="overlay",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    fig.update_xaxes(tickformat=".6~g")
    fig.update_yaxes(autorange="reversed")
    return fig


def sobol(indices, output: str) -> object:
    """First-order (S1) and total (ST) Sobol indices of one output, with 95% intervals."""
    go = _go()
    rows = indices[indices["output"] == output].sort_values("ST", ascending=False)
    fig = go.Figure()
    for col, colour in (("S1", "rgb(31, 119, 180)"), ("ST", "rgb(255, 127, 14)")):
        fig.add_trace(
            go.Bar(
                x=rows["parameter"],
                y=rows[col],
                name=col,
                marker_color=colour,
                error_y={"type": "data", "array": rows[f"{col}_conf"]},
            )
        )
    _layout(fig, f"Sobol indices of {output}", "input", "share of variance", 360, barmode="group")
    return fig


def ppc(
    x: np.ndarray,
    observed: np.ndarray,
    predictive: np.ndarray,
    *,
    xlabel: str,
    ylabel: str,
    title: str = "",
) -> object:
    """Observations over the posterior predictive: 50% and 90% bands of ``predictive``
    (samples, obs) at each observation, sorted along ``x``."""
    go = _go()
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="stable")
    xs = x[order]
    q = np.quantile(
        np.asarray(predictive, dtype=float)[:, order], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0
    )
    fig = go.Figure()
    for lo, hi, alpha, name in ((0, 4, 0.15, "90% predictive"), (1, 3, 0.3, "50% predictive")):
        fig.add_trace(
            go.Scatter(
                x=xs, y=q[hi], mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False
            )
        )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=q[lo],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_BAND.format(alpha),
                name=name,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=q[2],
            mode="lines",
            name="predictive median",
            line={"color": "rgb(31, 119, 180)", "width": 1.5},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=np.asarray(observed, dtype=float)[order],
            mode="markers",
            name="observed",
            marker={"color": "black", "size": 6},
        )
    )
    return _layout(fig, title, xlabel, ylabel)


def fit_predictive(data, *, title: str = "", height: int = 440) -> object:
    """A fit's observations (black) over its posterior predictive, in data units
    (``takeoff.models.fits.predictive.FitData``): at each observation the predictive median
    and 90% interval (a grey bar); log axes where the data span orders of magnitude, task
    horizons labelled as durations."""
    x = np.asarray(data.x, dtype=float)
    order = np.argsort(x, kind="stable")
    traces = []
    if data.predictive is not None:
        q05, q50, q95 = np.quantile(data.predictive[:, order], [0.05, 0.5, 0.95], axis=0)
        traces.append(
            {
                "type": "scatter",
                "x": x[order].astype(np.float32),
                "y": q50.astype(np.float32),
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": (q95 - q50).astype(np.float32),
                    "arrayminus": (q50 - q05).astype(np.float32),
                    "color": "rgba(31, 119, 180, 0.35)",
                    "thickness": 3,
                    "width": 0,
                },
                "mode": "markers",
                "marker": {"color": "rgba(31, 119, 180, 0.6)", "size": 5, "symbol": "line-ew"},
                "name": "posterior predictive: median and 90% interval",
                "hoverinfo": "skip",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": x[order].astype(np.float32),
            "y": np.asarray(data.observed, dtype=float)[order].astype(np.float32),
            "mode": "markers",
            "marker": {"color": DATA_COLOUR, "size": 6},
            "name": f"observed ({data.dataset or 'data'}, {data.observed.size} rows)",
            "hovertemplate": "%{x:.4g}: %{y:.4g}<extra></extra>",
        }
    )
    y = np.asarray(data.observed, dtype=float)
    yaxis = _axis(data.ylabel, log=data.log_y)
    if data.log_y and is_minutes(data.y_unit):
        values = y[y > 0]
        if data.predictive is not None:
            values = np.concatenate([values, q05[q05 > 0], q95])
        yaxis = _minute_axis(
            {**yaxis, "title": {"text": data.ylabel.replace(" [minutes]", "")}},
            float(values.min()) / 2,
            float(values.max()) * 2,
        )
    spec = _layout_spec(
        title or f"{data.fit}: observations and the posterior predictive",
        height,
        xaxis=_axis(data.xlabel, log=data.log_x),
        yaxis=yaxis,
    )
    return _plotly_figure(traces, spec)


def posteriors(posterior: xr.Dataset, names: Sequence[str], columns: int = 3) -> object:
    """Histograms of the posterior draws of ``names`` (all chains), one panel each."""
    go = _go()
    from plotly.subplots import make_subplots

    names = list(names)
    rows = max(1, math.ceil(len(names) / columns))
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=names,
        horizontal_spacing=0.08,
        vertical_spacing=0.5 / rows,
    )
    for i, name in enumerate(names):
        values = np.ravel(posterior[name].values)
        values = values[np.isfinite(values)]
        fig.add_trace(
            go.Histogram(
                x=values, nbinsx=40, marker_color="rgb(31, 119, 180)", showlegend=False, name=name
            ),
            row=i // columns + 1,
            col=i % columns + 1,
        )
    fig.update_layout(
        height=230 * rows + 40, margin={"l": 40, "r": 20, "t": 40, "b": 30}, bargap=0.05
    )
    return fig


def scatter(
    frame,
    x: str,
    y: str,
    *,
    log_x: bool = False,
    log_y: bool = False,
    hover: str | None = None,
    xlabel: str = "",
    ylabel: str = "",
    title: str = "",
) -> object:
    """A scatter of two columns of a table, optionally on log axes."""
    go = _go()
    fig = go.Figure(
        go.Scatter(
            x=frame[x],
            y=frame[y],
            mode="markers",
            text=frame[hover] if hover else None,
            marker={"color": "rgb(31, 119, 180)", "size": 7, "opacity": 0.8},
        )
    )
    _layout(fig, title, xlabel or x, ylabel or y)
    fig.update_xaxes(type="log" if log_x else "linear")
    fig.update_yaxes(type="log" if log_y else "linear")
    return fig


def _title(summary: xr.Dataset) -> str:
    a = summary.attrs
    return f"{a.get('scenario', '')}: {a.get('draws', 0):,} draws, seed {a.get('seed', 0)}"

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

from takeoff.plots import layout
from takeoff.plots import plotly_parts as pp
from takeoff.plots.style import (
    CLASS_COLOURS,
    CLASS_LABELS,
    DATA_COLOUR,
    is_minutes,
    rgba,
    scenario_colour,
)


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
    axis = pp.axis(title, log=True, range=layout.log10_range(view.y0, view.y1))
    return pp.minute_axis(axis, view.y0, view.y1) if is_minutes(unit) else axis


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
    traces += [pp.observed_trace(obs) for obs in observations]
    shapes, notes = _milestone_lines(summary)
    ytitle, unit = layout.watch_axis(summary)
    layout_spec = pp.layout_spec(
        _title(summary),
        height,
        xaxis=pp.axis("year", range=[view.x0, view.x1]),
        yaxis=_y_axis(ytitle, unit, view),
        shapes=shapes,
        annotations=notes,
    )
    return pp.plotly_figure(traces, layout_spec)


def _milestone_lines(summary) -> tuple[list, list]:
    shapes, notes = [], []
    for name, level in layout.fan_milestones(summary):
        shapes.append(pp.hline(float(level), color="grey", dash="dot", width=1))
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
    traces += [pp.observed_trace(obs) for obs in observations]
    shapes, notes = _milestone_lines(first)
    ytitle, unit = layout.watch_axis(first)
    spec = pp.layout_spec(
        f"{ytitle.split(' (')[0].split(' [')[0]}: {len(summaries)} scenarios",
        height,
        xaxis=pp.axis("year", range=[view.x0, view.x1]),
        yaxis=_y_axis(ytitle, unit, view),
        shapes=shapes,
        annotations=notes,
    )
    return pp.plotly_figure(traces, spec)


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
    layout_spec = pp.layout_spec(
        _title(summary),
        height,
        xaxis=pp.axis("year", range=[float(date[0]), end]),
        yaxis=pp.axis("probability the milestone is reached by then", range=[0, 1.02]),
    )
    return pp.plotly_figure(traces, layout_spec)


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
    layout_spec = pp.layout_spec(
        "Takeoff class",
        height or 150 + 40 * len(names),
        barmode="stack",
        xaxis=pp.axis("probability of each takeoff class", range=[0, 1], tickformat=".0%"),
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "v", "traceorder": "normal"},
    )
    return pp.plotly_figure(traces, layout_spec)


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
    xaxis = pp.axis(xtitle, log=log, range=layout.log10_range(lo, hi) if log else [lo, hi])
    if ticks:
        xaxis = {**xaxis, "tickvals": ticks[0], "ticktext": ticks[1]}
    spec = pp.layout_spec(
        title,
        140 + 38 * len(rows),
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        annotations=notes,
        margin={"l": 60, "r": 150, "t": 60, "b": 50},
    )
    return pp.plotly_figure(traces, spec)


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
    spec = pp.layout_spec(
        _title(summary),
        height,
        xaxis=pp.axis(
            f"progress compressed into the window: years at the recent pace "
            f"({per_year:g} doublings = 1 year)",
            range=[0, top],
        ),
        yaxis=pp.axis("probability", range=[0, 1.02], tickformat=".0%"),
    )
    return pp.plotly_figure(traces, spec)


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
    spec = pp.layout_spec(
        "Software intelligence explosion: m years of progress within T months",
        height,
        barmode="group",
        xaxis=pp.axis("metric (m years of progress within T months)"),
        yaxis=pp.axis("probability (± 1 Monte Carlo s.e.)", range=[0, 1.02], tickformat=".0%"),
    )
    return pp.plotly_figure(traces, spec)


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
    go = pp.graph_objects()
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
                fillcolor=pp.BAND.format(alpha),
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
    return pp.apply_layout(fig, title, xlabel, ylabel)


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
    yaxis = pp.axis(data.ylabel, log=data.log_y)
    if data.log_y and is_minutes(data.y_unit):
        values = y[y > 0]
        if data.predictive is not None:
            values = np.concatenate([values, q05[q05 > 0], q95])
        yaxis = pp.minute_axis(
            {**yaxis, "title": {"text": data.ylabel.replace(" [minutes]", "")}},
            float(values.min()) / 2,
            float(values.max()) * 2,
        )
    spec = pp.layout_spec(
        title or f"{data.fit}: observations and the posterior predictive",
        height,
        xaxis=pp.axis(data.xlabel, log=data.log_x),
        yaxis=yaxis,
    )
    return pp.plotly_figure(traces, spec)


def posteriors(posterior: xr.Dataset, names: Sequence[str], columns: int = 3) -> object:
    """Histograms of the posterior draws of ``names`` (all chains), one panel each."""
    go = pp.graph_objects()
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
    go = pp.graph_objects()
    fig = go.Figure(
        go.Scatter(
            x=frame[x],
            y=frame[y],
            mode="markers",
            text=frame[hover] if hover else None,
            marker={"color": "rgb(31, 119, 180)", "size": 7, "opacity": 0.8},
        )
    )
    pp.apply_layout(fig, title, xlabel or x, ylabel or y)
    fig.update_xaxes(type="log" if log_x else "linear")
    fig.update_yaxes(type="log" if log_y else "linear")
    return fig


def _title(summary: xr.Dataset) -> str:
    a = summary.attrs
    return f"{a.get('scenario', '')}: {a.get('draws', 0):,} draws, seed {a.get('seed', 0)}"

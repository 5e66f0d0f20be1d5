"""All plotting in one place. Functions return matplotlib figures; callers save or show them.

(The dashboard's interactive plotly figures will live here too.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from takeoff.models import bernoulli
from takeoff.models.solve import doubling_time


def trajectories(
    runs: Sequence[tuple[str, xr.Dataset, str]],
    title: str = "",
    ylabel: str = "",
    ymax: float | None = None,
) -> Figure:
    """One line per (label, dataset, variable), draw 0, log scale; a dotted line marks a
    blow-up. ``ymax`` clips the view so that a singularity does not flatten the rest."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for label, ds, var in runs:
        d = ds.isel(draw=0)
        time = d["time"].values - d["time"].values[0]
        stop = float(d["t_cap"]) - float(d["time"][0])
        keep = time < stop if math.isfinite(stop) else np.ones_like(time, dtype=bool)
        (line,) = ax.plot(time[keep], d[var].values[keep], label=label)
        if math.isfinite(stop):
            ax.axvline(stop, color=line.get_color(), ls=":", lw=1.5)
    ax.set_yscale("log")
    if ymax is not None:
        lowest = min(float(ds.isel(draw=0)[var].min()) for _, ds, var in runs)
        ax.set_ylim(0.5 * lowest, ymax)
    ax.set_xlabel("years since start")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    return fig


def doubling_times(
    runs: Sequence[tuple[str, xr.Dataset, str, str]],
    title: str = "",
    xlabel: str = "",
    xmax: float | None = None,
) -> Figure:
    """Doubling time against the level of the state, one line per (label, dataset, family,
    state): flat for exponential growth, falling for superlinear returns, rising for sublinear."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for label, ds, family, state in runs:
        d = ds.isel(draw=[0])
        ok = d["time"].values < float(d["t_cap"][0])
        level = d[state].values[0][ok]
        dt = doubling_time(family, d, state).values[0][ok]
        finite = np.isfinite(dt)
        ax.plot(level[finite], dt[finite] * 12, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("doubling time [months]")
    if xmax is not None:
        lowest = min(float(ds.isel(draw=0)[state].min()) for _, ds, _, state in runs)
        ax.set_xlim(0.5 * lowest, xmax)
        ax.set_ylim(bottom=0.1)
    ax.set_title(title)
    ax.legend(fontsize="small")
    return fig


def regime_map(
    alpha: tuple[float, float] = (0.5, 2.0),
    k: tuple[float, float] = (0.05, 5.0),
    I0: float = 1.0,
    resolution: int = 200,
) -> Figure:
    """power_law regimes over (alpha, k): colour is the exact blow-up time t*, grey where there
    is none (alpha <= 1). The keyhole is the line alpha = 1."""
    a_grid = np.linspace(*alpha, resolution)
    k_grid = np.geomspace(*k, resolution)
    A, K = np.meshgrid(a_grid, k_grid)
    t_star = bernoulli.blowup_time(np.full(A.size, math.log(I0)), K.ravel(), A.ravel())
    t_star = t_star.reshape(A.shape)
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    ax.set_facecolor("0.85")
    shown = np.ma.masked_invalid(np.where(np.isfinite(t_star), t_star, np.nan))
    mesh = ax.pcolormesh(
        A, K, shown, norm=LogNorm(vmin=0.1, vmax=1000), cmap="magma_r", shading="auto"
    )
    fig.colorbar(mesh, ax=ax, label="blow-up time t* [years]")
    ax.axvline(1.0, color="k", lw=1.5, ls="--")
    ax.text(1.02, k[1] * 0.7, "keyhole α = 1", fontsize="small")
    ax.text(alpha[0] + 0.05, k[0] * 1.3, "no singularity\n(polynomial growth)", fontsize="small")
    ax.set_yscale("log")
    ax.set_xlabel("returns exponent α")
    ax.set_ylabel("rate k [1/yr]")
    ax.set_title(f"dI/dt = k I^α, I(0) = {I0:g}: FOOM or flatline")
    return fig


def save(fig: Figure, path) -> None:
    """Save a figure as PNG (150 dpi) and close it."""
    fig.savefig(path, dpi=150)
    plt.close(fig)


# --- forecasts -------------------------------------------------------------------------------

CLASS_COLOURS = {
    "hard": "#b2182b",
    "fast": "#ef8a62",
    "moderate": "#fddbc7",
    "slow": "#d1e5f0",
    "not reached": "#bababa",
}


def fan_chart(summary: xr.Dataset, ax=None) -> Figure:
    """Median and 50% / 90% bands of the watched variable over time, milestones as lines."""
    fig, ax = _figure(ax)
    t = summary["time"].values
    levels = summary["milestone_level"].values
    bottom, top = levels.min() / 100, levels.max() * 1000
    # quantiles beyond the summary's level range are +-inf: draw them at the plot's edges
    w = summary["watch"].clip(bottom / 10, top * 10)
    ax.fill_between(
        t, w.sel(quantile=0.05), w.sel(quantile=0.95), alpha=0.2, color="C0", label="90% of draws"
    )
    ax.fill_between(
        t, w.sel(quantile=0.25), w.sel(quantile=0.75), alpha=0.4, color="C0", label="50% of draws"
    )
    ax.plot(t, w.sel(quantile=0.5), color="C0", lw=2, label="median")
    for name, level in zip(
        summary["milestone"].values, summary["milestone_level"].values, strict=True
    ):
        ax.axhline(level, color="0.3", ls=":", lw=1)
        ax.text(t[0], level * 1.15, str(name).replace("_", " "), fontsize="small", color="0.3")
    ax.set_yscale("log")
    ax.set_ylim(bottom, top)
    ax.set_xlim(t[0], t[-1])
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel("year")
    ax.set_ylabel(summary.attrs.get("watch", ""))
    ax.set_title(_title(summary))
    ax.legend(fontsize="small", loc="lower right")
    return fig


def milestone_cdfs(summary: xr.Dataset, ax=None) -> Figure:
    """P(milestone reached by date), one line per milestone."""
    fig, ax = _figure(ax)
    for name in summary["milestone"].values:
        ax.plot(
            summary["date"].values,
            summary["milestone_cdf"].sel(milestone=name).values,
            label=str(name).replace("_", " "),
        )
    ax.set_ylim(0, 1.02)
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel("year")
    ax.set_ylabel("probability reached by")
    ax.set_title(_title(summary))
    ax.legend(fontsize="small")
    return fig


def class_bars(summaries: dict[str, xr.Dataset], ax=None) -> Figure:
    """Takeoff-class probabilities, one stacked bar per scenario."""
    fig, ax = _figure(ax, size=(7.5, 0.55 * len(summaries) + 1.6))
    names = list(summaries)
    left = np.zeros(len(names))
    for cls, colour in CLASS_COLOURS.items():
        p = np.array(
            [float(summaries[n]["class_probability"].sel(takeoff_class=cls)) for n in names]
        )
        ax.barh(names, p, left=left, color=colour, label=cls, edgecolor="white")
        left += p
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel(
        "probability of the takeoff class (hard < 30 days < fast < 1 yr < moderate < 10 yr < slow)"
    )
    ax.legend(fontsize="small", ncols=5, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def _figure(ax, size=(6.4, 4.2)):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def _title(summary: xr.Dataset) -> str:
    return f"{summary.attrs.get('scenario', '')} ({summary.attrs.get('draws', 0):,} draws)"


# --- sensitivity -----------------------------------------------------------------------------


def tornado(table, title: str = "", ax=None) -> Figure:
    """One-at-a-time swings from ``takeoff.forecast.sensitivity.tornado_table``: per input, a
    bar from the output with the input at its low quantile to the output at its high quantile,
    split at the base value (every input at its median); largest swing on top. A hatched end
    was not reached within the horizon and sits at it."""
    from matplotlib.patches import Patch

    attrs = table.attrs
    lo_q, hi_q = (f"{q:.0%}" for q in attrs.get("quantiles", (0.05, 0.95)))
    base = float(attrs.get("base", 0.0))
    censored = set(attrs.get("censored", ()))
    fig, ax = _figure(ax, size=(7.5, 0.45 * len(table) + 2.0))
    y = np.arange(len(table))
    handles = []
    for side, column, colour, label in (
        ("low", "output_at_low", "C0", f"input at its {lo_q} quantile"),
        ("high", "output_at_high", "C3", f"input at its {hi_q} quantile"),
    ):
        ends = table[column].to_numpy(dtype=float)
        hatch = [f"{p} {side}" in censored for p in table["parameter"]]
        bars = ax.barh(y, ends - base, left=base, height=0.6, color=colour)
        for bar, censored_end in zip(bars, hatch, strict=True):
            if censored_end:
                bar.set_hatch("//")
                bar.set_edgecolor("white")
        handles.append(Patch(color=colour, label=label))
    ax.axvline(base, color="k", lw=1)
    ax.set_yticks(
        y,
        [
            f"{p}  ({lo:.3g} .. {hi:.3g})"
            for p, lo, hi in zip(
                table["parameter"], table["low_value"], table["high_value"], strict=True
            )
        ],
    )
    ax.set_ylim(len(table) - 0.5, -0.5)  # largest swing on top
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    output = attrs.get("output", "output")
    units = attrs.get("units", "")
    ax.set_xlabel(
        f"{output} [{units}]\nline: all inputs at their medians"
        + ("; hatched: censored at the horizon" if censored else "")
    )
    ax.set_title(title or f"{attrs.get('scenario', '')}: one-at-a-time swings of {output}")
    if censored:
        handles.append(Patch(facecolor="0.6", hatch="//", edgecolor="white", label="censored"))
    ax.legend(handles=handles, fontsize="small", loc="best")
    return fig


# --- interactive (plotly) --------------------------------------------------------------------
# Figures for the dashboard (takeoff.dashboards): plotly, so they zoom and hover in a browser.
# Downloads of figures use the matplotlib functions above (plotly's image export needs a browser).
# plotly is imported inside the functions, so the command line never pays for it.

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
    axis = {"title": {"text": title}, "type": "log" if log else "linear", **more}
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


def interactive_trajectory(
    time: np.ndarray,
    central: np.ndarray,
    bands: dict[float, np.ndarray] | None = None,
    *,
    stop: float = math.inf,
    ylabel: str = "",
    title: str = "",
) -> object:
    """One trajectory (log scale) against years since start, stopped at ``stop`` (a blow-up or
    the cap, marked by a dotted line), over optional bands: ``bands`` maps the quantiles 0.05,
    0.25, 0.5, 0.75, 0.95 to arrays over ``time`` (the spread of many draws)."""
    time = np.asarray(time, dtype=float)
    central = np.asarray(central, dtype=float)
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
    layout = _layout_spec(
        title,
        xaxis=_axis("years since start", range=[time[0], time[-1]]),
        yaxis=_axis(ylabel, log=True, range=rng),
        shapes=shapes,
        annotations=notes,
    )
    return _plotly_figure(traces, layout)


def interactive_doubling_time(
    level: np.ndarray, doubling_years: np.ndarray, *, xlabel: str = "", title: str = ""
) -> object:
    """Doubling time (months, log) against the level of the state (log): flat for exponential
    growth, falling for superlinear returns, rising for sublinear ones."""
    level = np.asarray(level, dtype=float)
    months = np.asarray(doubling_years, dtype=float) * 12
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


def interactive_regime_map(
    x: np.ndarray,
    y: np.ndarray,
    years: np.ndarray,
    *,
    xlabel: str,
    ylabel: str,
    log_x: bool = False,
    log_y: bool = False,
    point: tuple[float, float] | None = None,
    colour_title: str = "blow-up time [yr]",
    keyhole_x: float | None = None,
    title: str = "",
) -> object:
    """Regimes over two parameters: colour is the blow-up time (log colour scale, ``years`` of
    shape (len(y), len(x)); inf or NaN where there is none: grey), a cross marks ``point``
    (the current values) and a dashed line the keyhole ``keyhole_x`` (e.g. alpha = 1)."""
    years = np.asarray(years, dtype=float)
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


def interactive_fan_chart(summary: xr.Dataset, height: int = 440) -> object:
    """Median and 50% / 90% bands of the watched variable over time (log), milestones as
    dotted lines; the interactive twin of ``fan_chart``."""
    t = summary["time"].values
    levels = summary["milestone_level"].values
    bottom, top = levels.min() / 100, levels.max() * 1000
    w = summary["watch"].clip(bottom / 10, top * 10)  # +-inf quantiles drawn at the edges
    bands = {float(q): w.sel(quantile=q).values for q in w["quantile"].values}
    traces = _band_traces(t, bands, alphas=(0.2, 0.4))
    traces.append(
        {
            "type": "scatter",
            "x": t,
            "y": bands[0.5],
            "mode": "lines",
            "name": "median",
            "line": {"color": "rgb(31, 119, 180)", "width": 2.5},
        }
    )
    shapes, notes = [], []
    for name, level in zip(summary["milestone"].values, levels, strict=True):
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
    layout = _layout_spec(
        _interactive_title(summary),
        height,
        xaxis=_axis("year", range=[t[0], t[-1]]),
        yaxis=_axis(
            summary.attrs.get("watch", ""), log=True, range=[math.log10(bottom), math.log10(top)]
        ),
        shapes=shapes,
        annotations=notes,
    )
    return _plotly_figure(traces, layout)


def interactive_milestone_cdfs(summary: xr.Dataset, height: int = 380) -> object:
    """P(milestone reached by date), one line per milestone."""
    date = summary["date"].values
    traces = [
        {
            "type": "scatter",
            "x": date,
            "y": summary["milestone_cdf"].sel(milestone=name).values,
            "mode": "lines",
            "name": str(name).replace("_", " "),
        }
        for name in summary["milestone"].values
    ]
    layout = _layout_spec(
        _interactive_title(summary),
        height,
        xaxis=_axis("year"),
        yaxis=_axis("probability reached by", range=[0, 1.02]),
    )
    return _plotly_figure(traces, layout)


def interactive_class_bars(summaries: dict[str, xr.Dataset], height: int | None = None) -> object:
    """Takeoff-class probabilities, one stacked horizontal bar per scenario."""
    names = list(summaries)
    traces = [
        {
            "type": "bar",
            "y": names,
            "orientation": "h",
            "name": cls,
            "marker": {"color": colour},
            "x": [float(summaries[n]["class_probability"].sel(takeoff_class=cls)) for n in names],
            "hovertemplate": f"{cls}: %{{x:.1%}}<extra>%{{y}}</extra>",
        }
        for cls, colour in CLASS_COLOURS.items()
    ]
    layout = _layout_spec(
        "Takeoff class",
        height or 150 + 40 * len(names),
        barmode="stack",
        xaxis=_axis("probability", range=[0, 1], tickformat=".0%"),
        yaxis={"autorange": "reversed"},
        legend={"orientation": "v", "traceorder": "normal"},
    )
    return _plotly_figure(traces, layout)


def interactive_tornado(table) -> object:
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


def interactive_sobol(indices, output: str) -> object:
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


def interactive_ppc(
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


def interactive_posteriors(posterior: xr.Dataset, names: Sequence[str], columns: int = 3) -> object:
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


def interactive_scatter(
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


def _interactive_title(summary: xr.Dataset) -> str:
    a = summary.attrs
    return f"{a.get('scenario', '')}: {a.get('draws', 0):,} draws, seed {a.get('seed', 0)}"


def interval_comparison(
    draws: dict[str, np.ndarray], xlabel: str = "", title: str = "", log: bool = True
) -> Figure:
    """Median and 94% interval of each labelled set of draws, one row each (e.g. the horizon
    doubling time implied by scaling law + compute trend against the one fitted directly)."""
    fig, ax = plt.subplots(figsize=(6.4, 0.6 * len(draws) + 1.5), layout="constrained")
    for row, values in enumerate(draws.values()):
        lo, mid, hi = np.quantile(np.asarray(values, dtype=float).ravel(), [0.03, 0.5, 0.97])
        ax.plot([lo, hi], [row, row], color=f"C{row}", lw=3, solid_capstyle="butt")
        ax.plot([mid], [row], "o", color=f"C{row}")
    ax.set_yticks(range(len(draws)), list(draws))
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return fig

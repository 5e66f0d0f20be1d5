"""Figures of the aifm forecast kind (its room ``takeoff.forecast.kinds.aifm``): milestone
CDFs, fans of its paths (the 80% coding time horizon, the AI R&D speed-up, the software
progress rate) and the milestones of several scenarios side by side. Static (matplotlib) for
files, interactive (plotly, imported inside the functions) for pages; inputs are forecast
summaries, no model maths.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from takeoff.models import aifm
from takeoff.plots import plotly_parts as pp
from takeoff.plots.static import _figure
from takeoff.plots.style import DATA_COLOUR, is_minutes, minute_ticks, rgba, scenario_colour


def _title(summary: xr.Dataset, what: str) -> str:
    a = summary.attrs
    draws = "one trajectory" if a.get("deterministic") else f"{a.get('draws', 0):,} draws"
    return f"{a.get('scenario', '')}: {draws}, seed {a.get('seed', 0)}: {what}"


def _path(summary: xr.Dataset, path: str):
    v = summary["path_quantile"].sel(path=path)
    label = str(summary["path_label"].sel(path=path).values)
    unit = str(summary["path_unit"].sel(path=path).values)
    return v, label, unit


HORIZON_CAP = 1e12  # minutes: the peer's fallback horizon past its law's singularity


def _display_range(summary: xr.Dataset, path: str) -> tuple[float, float]:
    """(low, high) of a fan's axis: the 5% to 95% quantiles over time, at most 30 decades, the
    horizon at most the peer's 1e12-minute fallback (past the law's singularity the horizon
    is a numerical artefact, not a forecast)."""
    v = summary["path_quantile"].sel(path=path)
    lo = v.sel(quantile=0.05).values
    hi = v.sel(quantile=0.95).values
    lo = lo[np.isfinite(lo) & (lo > 1e-11)]
    hi = hi[np.isfinite(hi) & (hi > 0)]
    low = float(lo.min()) / 2 if lo.size else 1e-3
    high = float(hi.max()) * 2 if hi.size else 1e3
    if path == "horizon_minutes":
        high = min(high, HORIZON_CAP)
    high = min(max(high, low * 10), low * 1e30)
    return low, high


def _cdf_range(summary: xr.Dataset) -> list[float]:
    """The years a CDF plot shows: from 4 years before any milestone is first reached."""
    date = summary["date"].values
    reached = (summary["milestone_cdf"].values > 0).any(axis=0)
    first = date[np.argmax(reached)] if reached.any() else date[0]
    return [max(float(date[0]), float(first) - 4.0), float(date[-1])]


def _finite_dates(summary: xr.Dataset, m: str):
    """(10%, median, 90%) of a milestone date, +inf drawn at the end of the run."""
    end = float(summary.attrs["end"])
    q = summary["milestone_date"].sel(milestone=m)
    return [min(float(q.sel(quantile=x)), end) for x in (0.1, 0.5, 0.9)]


# --- static ------------------------------------------------------------------------------------


def milestone_cdfs(summary: xr.Dataset, ax=None) -> Figure:
    """P(milestone reached by date), one line per milestone."""
    fig, ax = _figure(ax, size=(7.0, 4.4))
    for m in summary["milestone"].values:
        ax.plot(
            summary["date"].values, summary["milestone_cdf"].sel(milestone=m).values, label=str(m)
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(*_cdf_range(summary))
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel("year")
    ax.set_ylabel("probability reached by")
    ax.set_title(_title(summary, "milestones"), fontsize="medium")
    ax.legend(fontsize="x-small", ncols=2, loc="upper left")
    return fig


def path_fan(
    summary: xr.Dataset,
    path: str = "horizon_minutes",
    ax=None,
    observations=(),
    *,
    names: Sequence[str] = (),
) -> Figure:
    """Median and 50% / 90% bands of one path over time (log scale) in the scenario's colour,
    the observed data behind it as black points (horizons: hours on the axis)."""
    fig, ax = _figure(ax)
    v, label, unit = _path(summary, path)
    t = summary["time"].values
    colour = scenario_colour(str(summary.attrs.get("scenario", "")), names)
    ax.fill_between(t, v.sel(quantile=0.05), v.sel(quantile=0.95), alpha=0.2, color=colour,
                    label="90% of draws", lw=0)  # fmt: skip
    ax.fill_between(t, v.sel(quantile=0.25), v.sel(quantile=0.75), alpha=0.4, color=colour,
                    label="50% of draws", lw=0)  # fmt: skip
    ax.plot(t, v.sel(quantile=0.5), color=colour, lw=2, label="median")
    for obs in observations:
        ax.scatter(obs.x, obs.observed, s=12, color=DATA_COLOUR, zorder=5,
                   label=f"observed: {obs.dataset}")  # fmt: skip
    low, high = _display_range(summary, path)
    if path == "horizon_minutes":
        ac = aifm.DEFAULTS["aa_time_horizon_minutes"]
        ax.axhline(ac, color="0.3", ls=":", lw=1)
        ax.text(t[0], ac * 2, "AC horizon (published default)", fontsize="small", color="0.3")
    ax.set_yscale("log")
    ax.set_ylim(low, high)
    ax.set_xlim(t[0], t[-1])
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel("year")
    named = minute_ticks(low, high) if is_minutes(unit) else None
    if named is not None:
        ax.set_yticks(*named)
        ax.minorticks_off()
        ax.set_ylabel(f"{label} (human-expert time)")
    else:
        ax.set_ylabel(f"{label} [{unit}]")
    ax.set_title(_title(summary, label), fontsize="medium")
    ax.legend(fontsize="small", loc="upper left")
    return fig


def milestones_compared(
    summaries: list[xr.Dataset], ax=None, *, names: Sequence[str] = ()
) -> Figure:
    """Per milestone, each scenario's median date with its 10-90% interval (the end of the run
    where it is not reached by then)."""
    fig, ax = _figure(ax, size=(7.5, 4.8))
    names = list(summaries[0]["milestone"].values)
    k = len(summaries)
    for i, s in enumerate(summaries):
        y = np.arange(len(names)) + (i - (k - 1) / 2) * 0.8 / max(k, 1)
        lo, med, hi = np.array([_finite_dates(s, m) for m in names]).T
        ax.errorbar(med, y, xerr=[med - lo, hi - med], fmt="o", capsize=3,
                    color=scenario_colour(str(s.attrs["scenario"]), names),
                    label=str(s.attrs["scenario"]))  # fmt: skip
    ax.set_yticks(np.arange(len(names)), names)
    ax.invert_yaxis()
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel(f"year (median, 10-90% interval; not reached by {summaries[0].attrs['end']:g}: "
                  "drawn at the end)")  # fmt: skip
    ax.legend(fontsize="small")
    return fig


# --- interactive -------------------------------------------------------------------------------


def interactive_milestone_cdfs(summary: xr.Dataset, height: int = 400) -> object:
    """P(milestone reached by date), one line per milestone (plotly)."""
    date = summary["date"].values
    traces = [
        {
            "type": "scatter",
            "x": date,
            "y": summary["milestone_cdf"].sel(milestone=m).values,
            "mode": "lines",
            "name": str(m),
            "hovertemplate": f"{m}: P(by %{{x:.2f}}) = %{{y:.3f}}<extra></extra>",
        }
        for m in summary["milestone"].values
    ]
    layout = pp.layout_spec(
        _title(summary, "milestones"),
        height,
        xaxis=pp.axis("year", range=_cdf_range(summary)),
        yaxis=pp.axis("probability reached by", range=[0, 1.02]),
        legend={  # inside, top left: no milestone is reached there
            "orientation": "v",
            "x": 0.01,
            "y": 0.99,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 9},
            "bgcolor": "rgba(255, 255, 255, 0.7)",
        },
    )
    return pp.plotly_figure(traces, layout)


def interactive_path_fan(
    summary: xr.Dataset,
    path: str,
    height: int = 420,
    observations=(),
    *,
    names: Sequence[str] = (),
) -> object:
    """Median and 50% / 90% bands of one path over time, log scale (plotly), in the scenario's
    colour, with the observed data behind it as black points (horizons: hours on the axis)."""
    v, label, unit = _path(summary, path)
    t = summary["time"].values
    colour = scenario_colour(str(summary.attrs.get("scenario", "")), names)
    bands = {float(q): v.sel(quantile=q).values for q in v["quantile"].values}
    traces = pp.band_traces(t, bands, alphas=(0.2, 0.4))
    for trace, alpha in zip(traces[1::2], (0.2, 0.4), strict=True):
        trace["fillcolor"] = rgba(colour, alpha)
    traces.append(
        {
            "type": "scatter",
            "x": t,
            "y": bands[0.5],
            "mode": "lines",
            "name": "median",
            "line": {"color": colour, "width": 2.5},
        }
    )
    traces += [pp.observed_trace(obs, f"observed: {obs.dataset}") for obs in observations]
    low, high = _display_range(summary, path)
    shapes, notes = [], []
    if path == "horizon_minutes":
        ac = aifm.DEFAULTS["aa_time_horizon_minutes"]
        shapes.append(pp.hline(ac, color="grey", dash="dot", width=1))
        notes.append(
            {
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": math.log10(ac),  # on a log axis an annotation's y is log10 of the value
                "yanchor": "bottom",
                "text": "AC horizon (published default)",
                "showarrow": False,
                "font": {"color": "dimgrey"},
            }
        )
    layout = pp.layout_spec(
        _title(summary, label),
        height,
        xaxis=pp.axis("year", range=[t[0], t[-1]]),
        yaxis=(
            pp.minute_axis(
                pp.axis(
                    f"{label} (human-expert time)",
                    log=True,
                    range=[math.log10(low), math.log10(high)],
                ),
                low,
                high,
            )
            if is_minutes(unit)
            else pp.axis(f"{label} [{unit}]", log=True, range=[math.log10(low), math.log10(high)])
        ),
        shapes=shapes,
        annotations=notes,
    )
    return pp.plotly_figure(traces, layout)


def interactive_milestones_compared(
    summaries: list[xr.Dataset], height: int = 460, *, names: Sequence[str] = ()
) -> object:
    """Per milestone, each scenario's median date and 10-90% interval (plotly)."""
    names = [str(m) for m in summaries[0]["milestone"].values]
    end = float(summaries[0].attrs["end"])
    k = len(summaries)
    traces = []
    for i, s in enumerate(summaries):
        lo, med, hi = np.array([_finite_dates(s, m) for m in names]).T
        offset = (i - (k - 1) / 2) * 0.7 / max(k, 1)  # scenarios side by side in each row
        traces.append(
            {
                "type": "scatter",
                "x": med,
                "y": np.arange(len(names)) + offset,
                "text": names,
                "mode": "markers",
                "name": str(s.attrs["scenario"]),
                "marker": {"color": scenario_colour(str(s.attrs["scenario"]), names), "size": 9},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": hi - med,
                    "arrayminus": med - lo,
                },
                "hovertemplate": "%{text}: median %{x:.2f}<extra>"
                + str(s.attrs["scenario"])
                + "</extra>",
            }
        )
    start = min(float(s.attrs["start"]) for s in summaries)
    layout = pp.layout_spec(
        "Milestones: median date and 10-90% interval",
        height,
        xaxis=pp.axis(
            f"year (not reached by {end:g}: drawn at {end:g})",
            range=[max(start, 2020.0), end + 0.5],
        ),
        yaxis={
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": list(range(len(names))),
            "ticktext": names,
            "zeroline": False,
        },
    )
    return pp.plotly_figure(traces, layout)


__all__ = [
    "interactive_milestone_cdfs",
    "interactive_milestones_compared",
    "interactive_path_fan",
    "milestone_cdfs",
    "milestones_compared",
    "path_fan",
]

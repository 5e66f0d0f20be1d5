"""Static figures (matplotlib) for files: the demo, the main job's PNGs, downloads.

Every function takes the library's results (xarray Datasets from ``solve`` and forecasts,
``RegimeGrid``, tables) and returns a figure; ``save`` writes and closes it. No model maths
here: regime grids, trajectories and summaries come from ``takeoff.models`` and
``takeoff.forecast``. The interactive counterparts are in ``takeoff.plots.interactive``.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence

import matplotlib

# headless by default (the CLI writes files), but never over a backend already chosen: a
# notebook's inline backend, or MPLBACKEND
if "matplotlib.pyplot" not in sys.modules and "MPLBACKEND" not in os.environ:
    matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt
import numpy as np
import xarray as xr
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from takeoff.models.solve import doubling_time
from takeoff.models.sweep import RegimeGrid
from takeoff.plots import layout
from takeoff.plots.style import (
    CLASS_COLOURS,
    CLASS_LABELS,
    DATA_COLOUR,
    is_minutes,
    minute_ticks,
    scenario_colour,
)


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


def regime_map(grid: RegimeGrid, title: str = "", xlabel: str = "", ylabel: str = "") -> Figure:
    """Regimes over two parameters: colour is the blow-up time t*, grey where there is none;
    a dashed line marks the keyhole (e.g. alpha = 1) where the family declares one."""
    X, Y = np.meshgrid(grid.x, grid.y)
    t_star = grid.years
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    ax.set_facecolor("0.85")
    shown = np.ma.masked_invalid(np.where(np.isfinite(t_star), t_star, np.nan))
    mesh = ax.pcolormesh(
        X, Y, shown, norm=LogNorm(vmin=0.1, vmax=1000), cmap="magma_r", shading="auto"
    )
    label = "blow-up time t* [years]" if grid.exact else "time to the cap [years]"
    fig.colorbar(mesh, ax=ax, label=label)
    if grid.keyhole_x is not None:
        ax.axvline(grid.keyhole_x, color="k", lw=1.5, ls="--")
        ax.text(
            grid.keyhole_x + 0.02 * (grid.x[-1] - grid.x[0]),
            grid.y[-1] * 0.7 if grid.log_y else grid.y[-1],
            f"keyhole {grid.x_name} = {grid.keyhole_x:g}",
            fontsize="small",
        )
    if grid.log_x:
        ax.set_xscale("log")
    if grid.log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel or grid.x_name)
    ax.set_ylabel(ylabel or grid.y_name)
    ax.set_title(title)
    return fig


def save(fig: Figure, path) -> None:
    """Save a figure as PNG (150 dpi) and close it."""
    fig.savefig(path, dpi=150)
    plt.close(fig)


# --- forecasts -------------------------------------------------------------------------------


def fan_chart(
    summary: xr.Dataset, ax=None, observations=(), *, names: Sequence[str] = ()
) -> Figure:
    """Median and 50% / 90% bands of the watched variable over time in the scenario's colour,
    milestones as dotted lines and the observed data behind the forecast as black points; the
    x range ends where the bands leave the chart."""
    own = ax is None
    fig, ax = _figure(ax, size=(6.4, 4.8))
    t = summary["time"].values
    view = layout.fan_window(summary, observations)
    colour = scenario_colour(str(summary.attrs.get("scenario", "")), names)
    # quantiles beyond the summary's level range are +-inf: draw them at the plot's edges
    w = summary["watch"].clip(view.clip_low, view.clip_high)
    ax.fill_between(
        t, w.sel(quantile=0.05), w.sel(quantile=0.95), alpha=0.2, color=colour, lw=0,
        label="90% of draws",
    )  # fmt: skip
    ax.fill_between(
        t, w.sel(quantile=0.25), w.sel(quantile=0.75), alpha=0.4, color=colour, lw=0,
        label="50% of draws",
    )  # fmt: skip
    ax.plot(t, w.sel(quantile=0.5), color=colour, lw=2, label="median")
    for obs in observations:
        ax.scatter(
            obs.x, obs.observed, s=14, color=DATA_COLOUR, zorder=5, label=_observed_label(obs)
        )
    for name, level in layout.fan_milestones(summary):
        ax.axhline(level, color="0.3", ls=":", lw=1)
        ax.text(view.x0, level * 1.15, str(name).replace("_", " "), fontsize="small", color="0.3")
    ax.set_yscale("log")
    ax.set_ylim(view.y0, view.y1)
    ax.set_xlim(view.x0, view.x1)
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ytitle, unit = layout.watch_axis(summary)
    named = minute_ticks(view.y0, view.y1) if is_minutes(unit) else None
    if named is not None:
        ax.set_yticks(*named)
        ax.minorticks_off()
    elif is_minutes(unit) and "minute" not in ytitle:
        ytitle = f"{ytitle} [minutes]"
    ax.set_xlabel("year")
    ax.set_ylabel(ytitle)
    ax.set_title(_title(summary))
    if own:  # below the axes: the data and the bands fill different corners per scenario
        fig.legend(fontsize="small", loc="outside lower center", ncols=2, frameon=False)
    else:
        ax.legend(fontsize="small", loc="best")
    return fig


def _observed_label(obs) -> str:
    return f"observed: {obs.dataset or obs.fit} ({obs.observed.size}, fitted by {obs.fit})"


def milestone_cdfs(summary: xr.Dataset, ax=None) -> Figure:
    """P(milestone reached by date), one line per milestone, until they stop changing."""
    fig, ax = _figure(ax)
    for name in summary["milestone"].values:
        ax.plot(
            summary["date"].values,
            summary["milestone_cdf"].sel(milestone=name).values,
            label=str(name).replace("_", " "),
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(float(summary["date"].values[0]), layout.cdf_end(summary))
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel("year")
    ax.set_ylabel("probability the milestone is reached by then")
    ax.set_title(_title(summary))
    ax.legend(fontsize="small")
    return fig


def class_bars(summaries: dict[str, xr.Dataset], ax=None) -> Figure:
    """Takeoff-class probabilities, one stacked bar per scenario; the classes' definitions in
    the legend (so no label runs off the figure)."""
    fig, ax = _figure(ax, size=(7.5, 0.5 * len(summaries) + 2.0))
    names = list(summaries)
    left = np.zeros(len(names))
    for cls, colour in CLASS_COLOURS.items():
        p = np.array(
            [float(summaries[n]["class_probability"].sel(takeoff_class=cls)) for n in names]
        )
        ax.barh(names, p, left=left, color=colour, label=CLASS_LABELS[cls], edgecolor="white")
        left += p
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("probability of each takeoff class")
    if ax.figure.get_layout_engine() is not None:  # room made for it above the axes
        ax.figure.legend(fontsize="small", ncols=3, loc="outside upper center")
    else:
        ax.legend(fontsize="small", ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def sie_runs(summary: xr.Dataset, ax=None, *, names: Sequence[str] = ()) -> Figure:
    """An sie_doublings forecast: for each window of T months, the probability that some run of
    at least j consecutive software doublings took less than T months, over j / 8 (years of
    progress at the recent pace); the scenario's metrics (a run of k = floor((T/12) 8 m)
    doublings each) as points at k / 8 with one Monte Carlo standard error."""
    fig, ax = _figure(ax)
    colour = scenario_colour(str(summary.attrs.get("scenario", "")), names)
    years = summary["run_years"].values
    styles = ("-", "--", ":", "-.")
    for i, window in enumerate(summary["window"].values):
        p = summary["p_run_within"].sel(window=window).values
        ax.step(
            years, p, where="post", color=colour, ls=styles[i % len(styles)],
            label=f"within {window:g} months",
        )  # fmt: skip
    per_year = float(summary.attrs.get("doublings_per_year", 8.0))
    at = summary["doublings"].values / per_year  # a metric is a run of k doublings
    ax.errorbar(
        at,
        summary["p_years_within"].values,
        yerr=summary["p_years_within_se"].values,
        fmt="o",
        color=DATA_COLOUR,
        capsize=3,
        label="the metrics (± 1 s.e.)",
    )
    for x, y, label in zip(
        at, summary["p_years_within"].values, summary["metric"].values, strict=True
    ):
        ax.annotate(str(label), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(float(years[-1]), float(at.max()) * 1.2))
    ax.set_xlabel(
        f"progress compressed into the window [years at the recent pace: {per_year:g} doublings]"
    )
    ax.set_ylabel("probability")
    ax.set_title(_title(summary))
    ax.legend(fontsize="small")
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


# --- fits of returns to research (issue 12) ---------------------------------------------------


def _bands(ax, x, draws: np.ndarray, colour: str = "C0", label: str = "") -> None:
    """Median and 50% / 90% bands over the draws (rows) of a path on ``x``."""
    q = np.nanquantile(np.asarray(draws, dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    ax.fill_between(x, q[0], q[4], color=colour, alpha=0.18, lw=0, label="90% of draws")
    ax.fill_between(x, q[1], q[3], color=colour, alpha=0.35, lw=0, label="50%")
    ax.plot(x, q[2], color=colour, lw=2, label=label or "median")


def compute_needed(
    years: np.ndarray, ratio_draws: np.ndarray, title: str = "", ax=None, label: str = ""
) -> Figure:
    """The physical compute needed for a fixed loss against the year, relative to the first
    year, with its posterior band (draws in rows), on a log axis."""
    fig, ax = _figure(ax)
    _bands(ax, years, ratio_draws, label=label)
    ax.set_yscale("log")
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel("year")
    ax.set_ylabel(f"compute needed for a fixed loss (x {years[0]:.0f})")
    ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="small")
    return fig


def pair_plot(samples: dict[str, np.ndarray], pairs, title: str = "") -> Figure:
    """Scatter panels of posterior draws, one per (x, y) pair of names: e.g. exponents against
    rates, where a ridge (x y = const) shows what the data do not separate."""
    fig, axes = plt.subplots(
        1, len(pairs), figsize=(3.2 * len(pairs), 3.2), layout="constrained", squeeze=False
    )
    for ax, (x, y) in zip(axes[0], pairs, strict=True):
        ax.scatter(samples[x], samples[y], s=3, alpha=0.25, color="C0", rasterized=True)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
    fig.suptitle(title, fontsize="medium")
    return fig


def records_band(
    dates: np.ndarray,
    observed: np.ndarray,
    grid: np.ndarray,
    path_draws: np.ndarray,
    predictive: np.ndarray | None,
    research_t: np.ndarray,
    research: np.ndarray,
    *,
    ylabel: str,
    research_label: str,
    title: str = "",
    alternative: tuple[str, np.ndarray] | None = None,
) -> Figure:
    """Progress records against date with the fitted law's posterior band (``path_draws`` on
    ``grid``) and the 94% posterior predictive interval at the records, and beside (below) the
    research-input series the law was fitted with (and an alternative construction)."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.2, 6.4), sharex=True, layout="constrained", height_ratios=(3, 2)
    )
    _bands(top, grid, path_draws, label="the law, median")
    if predictive is not None:
        lo, hi = np.quantile(predictive, [0.03, 0.97], axis=0)
        top.vlines(dates, lo, hi, color="C1", alpha=0.5, lw=1.5, label="94% predictive")
    top.plot(dates, observed, "k.", ms=5, label="records")
    top.set_yscale("log")
    top.set_ylabel(ylabel)
    top.set_title(title, fontsize="medium")
    top.legend(fontsize="small", loc="upper left")
    bottom.step(research_t, research, where="post", color="C2", label=research_label)
    if alternative is not None:
        bottom.step(research_t, alternative[1], where="post", color="C4", ls="--",
                    label=alternative[0])  # fmt: skip
    bottom.set_ylabel("research input")
    bottom.set_xlabel("year")
    bottom.ticklabel_format(axis="x", useOffset=False, style="plain")
    bottom.legend(fontsize="small", loc="upper left")
    return fig


def prior_posterior(
    priors: dict[str, np.ndarray],
    posteriors: dict[str, np.ndarray],
    title: str = "",
    log: Sequence[str] = (),
    marks: dict[str, float] | None = None,
) -> Figure:
    """Prior (grey) against posterior (blue) density of each parameter, one panel each: where
    the two coincide the data did not inform the parameter (it stays a labelled prior).
    ``marks`` draws a vertical line per panel (e.g. r = 1)."""
    names = list(posteriors)
    fig, axes = plt.subplots(
        1, len(names), figsize=(3.2 * len(names), 3.0), layout="constrained", squeeze=False
    )
    for ax, name in zip(axes[0], names, strict=True):
        prior = np.asarray(priors[name], float)
        post = np.asarray(posteriors[name], float)
        both = np.concatenate([prior, post])
        both = both[np.isfinite(both)]
        lo, hi = np.quantile(both, [0.005, 0.995])
        if name in log:
            bins = np.geomspace(max(lo, 1e-12), hi, 60)
            ax.set_xscale("log")
        else:
            bins = np.linspace(lo, hi, 60)
        ax.hist(prior, bins=bins, density=True, color="0.6", alpha=0.6, label="prior")
        ax.hist(post, bins=bins, density=True, color="C0", alpha=0.6, label="posterior")
        if marks and name in marks:
            ax.axvline(marks[name], color="k", ls=":", lw=1)
        ax.set_xlabel(name)
        ax.set_yticks([])
    axes[0][0].legend(fontsize="small")
    fig.suptitle(title, fontsize="medium")
    return fig


def forest(
    draws: dict[str, np.ndarray],
    population: np.ndarray | None = None,
    *,
    xlabel: str = "",
    title: str = "",
    mark: float | None = None,
    mark_label: str = "",
    log: bool = True,
) -> Figure:
    """A forest plot: per labelled set of draws its median, 50% (thick) and 90% (thin)
    intervals, one row each; ``population`` (e.g. the predictive of a new member) as a last
    row and a shaded 50% / 90% band behind the rows; ``mark`` a vertical line (e.g. r = 1)."""
    rows = list(draws) + (["a new domain (population)"] if population is not None else [])
    fig, ax = plt.subplots(figsize=(6.8, 0.55 * len(rows) + 1.6), layout="constrained")
    if population is not None:
        q = np.quantile(np.asarray(population, float).ravel(), [0.05, 0.25, 0.75, 0.95])
        ax.axvspan(q[0], q[3], color="C1", alpha=0.12, lw=0, label="population 90%")
        ax.axvspan(q[1], q[2], color="C1", alpha=0.22, lw=0, label="population 50%")
    values = list(draws.values()) + ([population] if population is not None else [])
    for row, x in enumerate(values):
        q = np.quantile(np.asarray(x, float).ravel(), [0.05, 0.25, 0.5, 0.75, 0.95])
        colour = "C1" if population is not None and row == len(values) - 1 else "C0"
        ax.plot([q[0], q[4]], [row, row], color=colour, lw=1.5, solid_capstyle="butt")
        ax.plot([q[1], q[3]], [row, row], color=colour, lw=5, solid_capstyle="butt")
        ax.plot([q[2]], [row], "o", color="white", mec=colour, ms=6)
    if mark is not None:
        ax.axvline(mark, color="k", ls=":", lw=1, label=mark_label or f"{mark:g}")
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="small", loc="lower right")
    return fig

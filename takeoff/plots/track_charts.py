"""Figures of the track record (rolling-origin backtests): the fan each model drew at an origin
with the points that came after it, and the PIT histogram of every held-out point. Plain
tables in (the track record's fans, points and PIT counts), plotly figures out; the horizon
axis is read as durations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from takeoff.plots import plotly_parts as pp
from takeoff.plots.style import DATA_COLOUR, PALETTE, rgba

FAN_MODELS = ("loop", "exponential_trend")  # drawn by default: the loop and the reference


def model_colour(model: str, models) -> str:
    models = list(models)
    return PALETTE[models.index(model) % len(PALETTE)] if model in models else PALETTE[0]


def origin_fan(
    fans: pd.DataFrame,
    observed: pd.DataFrame,
    origin: float,
    *,
    models=FAN_MODELS,
    labels: dict | None = None,
    height: int = 420,
):
    """The METR fans (90% and 50% predictive bands, median) the ``models`` drew at ``origin``,
    the data before it (grey) and after it (black). ``fans``: origin, model, date, q05 ... q95
    (ln minutes); ``observed``: date, observed (ln minutes)."""
    labels = labels or {}
    traces = []
    f = fans[np.isclose(fans["origin"].astype(float), origin)]
    order = list(dict.fromkeys(fans["model"]))
    for model in models:
        g = f[f["model"] == model].sort_values("date")
        if g.empty:
            continue
        colour = model_colour(model, order)
        x = g["date"].tolist()
        name = labels.get(model, model)
        for lo, hi, alpha in (("q05", "q95", 0.15), ("q25", "q75", 0.3)):
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": np.exp(g[hi]).tolist(),
                    "mode": "lines",
                    "line": {"width": 0},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "legendgroup": model,
                }
            )
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": np.exp(g[lo]).tolist(),
                    "mode": "lines",
                    "line": {"width": 0},
                    "fill": "tonexty",
                    "fillcolor": rgba(colour, alpha),
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "legendgroup": model,
                }
            )
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": np.exp(g["q50"]).tolist(),
                "mode": "lines",
                "line": {"color": colour, "width": 2},
                "name": f"{name} (median, 50%, 90%)",
                "legendgroup": model,
            }
        )
    before = observed[observed["date"] < origin]
    after = observed[observed["date"] >= origin]
    for frame, colour, name in (
        (before, "rgb(160, 160, 160)", "data before the origin (fitted)"),
        (after, DATA_COLOUR, "data after the origin (scored)"),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": frame["date"].tolist(),
                "y": np.exp(frame["observed"]).tolist(),
                "mode": "markers",
                "marker": {"color": colour, "size": 7},
                "name": name,
            }
        )
    values = np.exp(np.concatenate([observed["observed"].to_numpy(), f["q50"].to_numpy()]))
    y = pp.axis("50% time horizon", log=True)
    y = pp.minute_axis(y, float(values.min()) / 3, float(values.max()) * 30)
    layout = pp.layout_spec(
        f"METR horizons: the fans drawn at {origin:g}, and what came after",
        height,
        xaxis=pp.axis("date"),
        yaxis=y,
        shapes=[pp.vline(origin, color="rgb(120, 120, 120)", dash="dot")],
    )
    return pp.plotly_figure(traces, layout)


def pit_histogram(
    counts: pd.DataFrame,
    *,
    labels: dict | None = None,
    height: int = 380,
    what: str = "METR horizon",
):
    """Grouped bars of the PIT histogram (``counts``: a column per model, a row per bin) with
    the count a calibrated model expects in each bin; ``what``: the held-out points, in the
    title."""
    labels = labels or {}
    order = list(counts.columns)
    bins = len(counts)
    centres = ((np.arange(bins) + 0.5) / max(bins, 1)).tolist()
    traces = [
        {
            "type": "bar",
            "x": centres,
            "hovertext": list(counts.index),
            "y": counts[model].tolist(),
            "name": labels.get(model, model),
            "marker": {"color": model_colour(model, order)},
        }
        for model in counts.columns
    ]
    expected = float(counts.sum().mean()) / max(len(counts), 1)
    traces.append(
        {
            "type": "scatter",
            "x": [0.0, 1.0],
            "y": [expected, expected],
            "mode": "lines",
            "line": {"color": DATA_COLOUR, "dash": "dash"},
            "name": "calibrated (flat)",
        }
    )
    layout = pp.layout_spec(
        f"Calibration: PIT of every held-out {what}",
        height,
        barmode="group",
        xaxis=pp.axis("PIT = predictive CDF at the observation", range=[0, 1], dtick=0.1),
        yaxis=pp.axis("held-out points"),
    )
    return pp.plotly_figure(traces, layout)

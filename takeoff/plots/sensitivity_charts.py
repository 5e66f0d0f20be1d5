"""Interactive figures of a sensitivity analysis: the one-at-a-time tornado and the Sobol
indices of a scenario's output."""

from __future__ import annotations

from takeoff.plots import plotly_parts as pp


def tornado(table) -> object:
    """One-at-a-time swings from ``takeoff.forecast.sensitivity.tornado_table`` (see
    ``tornado``): bars from the base value to the output at each input's low and high
    quantile, largest swing on top."""
    go = pp.graph_objects()
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
    pp.apply_layout(
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
    go = pp.graph_objects()
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
    pp.apply_layout(
        fig, f"Sobol indices of {output}", "input", "share of variance", 360, barmode="group"
    )
    return fig

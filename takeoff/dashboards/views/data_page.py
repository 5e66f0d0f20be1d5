"""Data: the bundled data sets with their columns and units, a chart, the table and the full
provenance (where each came from and how it was trimmed)."""

import pandas as pd
import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.page_tools import (
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
)
from takeoff.data import DATASETS
from takeoff.plots import interactive

DEFAULT = "metr_horizons"
CHART = {  # data set: (x, y, log x, log y, hover column)
    "chinchilla": ("C", "loss", True, True, None),
    "metr_horizons": ("release_date_year", "p50_minutes", False, True, "model"),
    "epoch_models": ("publication_date_year", "training_compute_flop", False, True, "model"),
    "epoch_chips": ("release_date_year", "flop_per_dollar", False, True, "hardware"),
    "eci": ("training_compute_flop", "eci", True, False, "model_version"),
    "roodman_gwp": ("year", "gwp", False, True, None),
    "lm_algorithmic_progress": ("publication_date_year", "ppl_wt103", False, True, "system"),
    "nanogpt_speedrun": ("date_year", "minutes", False, True, "description"),
}


def main() -> None:
    present = presentation_mode()
    names = list(DATASETS)
    name = st.selectbox(
        "Data set",
        names,
        index=names.index(DEFAULT) if DEFAULT in names else 0,
        key="dataset",
        bind="query-params",
    )
    info = DATASETS[name]
    frame = cached.dataset(name)
    st.title(info.title)
    st.markdown(info.description)
    st.markdown(f"**Source:** {info.source}  \n**Cite:** {info.citation}")
    st.caption(f"{len(frame):,} rows; sha256 of the CSV: {frame.attrs.get('hash', '')[:16]}...")

    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    x0, y0, logx0, logy0, hover = CHART.get(name, (numeric[0], numeric[-1], False, False, None))
    c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
    x = c1.selectbox("x", numeric, index=numeric.index(x0), key=f"{name}.x", bind="query-params")
    y = c2.selectbox("y", numeric, index=numeric.index(y0), key=f"{name}.y", bind="query-params")
    log_x = c3.checkbox("log x", logx0, key=f"{name}.logx", bind="query-params")
    log_y = c4.checkbox("log y", logy0, key=f"{name}.logy", bind="query-params")
    units = frame.attrs.get("units", {})
    chart = interactive.scatter(
        frame,
        x,
        y,
        log_x=log_x,
        log_y=log_y,
        hover=hover if hover in frame else None,
        xlabel=f"{x} [{units.get(x)}]" if units.get(x) else x,
        ylabel=f"{y} [{units.get(y)}]" if units.get(y) else y,
        title=f"{name}: {y} vs {x}",
    )
    st.plotly_chart(chart, key="chart")
    if present:
        leave_presentation_link()
        return
    columns, table, provenance = st.tabs(["Columns", "Table", "Provenance"])
    with columns:
        st.dataframe(
            [
                {
                    "column": c.name,
                    "unit": c.unit,
                    "kind": c.kind + (", may be empty" if c.nullable else ""),
                    "meaning": c.description,
                }
                for c in info.columns
            ],
            hide_index=True,
        )
    with table:
        st.dataframe(frame, hide_index=True)
        st.download_button(
            "Download CSV", info.path().read_bytes(), file_name=f"{name}.csv", mime="text/csv"
        )
    with provenance:
        st.markdown(cached.provenance(name))
    download_view(
        f"data_{name}",
        info.title,
        lambda: _view_blocks(name, info, frame, chart),
        {f"{name}.csv": (lambda: info.path().read_bytes(), "text/csv")},
    )


def _view_blocks(name, info, frame, chart) -> list:
    from takeoff.formatting import Table
    from takeoff.plots.blocks import Details, Figure, TableBlock, Text

    columns = Table(
        "Columns",
        ("column", "unit", "kind", "meaning"),
        tuple(
            (c.name, c.unit, c.kind + (", may be empty" if c.nullable else ""), c.description)
            for c in info.columns
        ),
    )
    return [
        Text(info.description),
        Text(f"Source: {info.source}. Cite: {info.citation}. {len(frame):,} rows.", kind="caption"),
        Figure(chart, name=f"data_{name}"),
        TableBlock(columns),
        Details(f"PROVENANCE of {name}", cached.provenance(name)),
    ]


run_page(main)

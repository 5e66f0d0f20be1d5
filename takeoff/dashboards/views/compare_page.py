"""Compare: two or more scenarios side by side (built-ins, plus an optional uploaded TOML):
headline numbers and fan charts per scenario, takeoff classes together, one summary table."""

import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.chain import VARIANTS
from takeoff.dashboards.page_tools import (
    MAX_UPLOAD_MB,
    check_toml_text,
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
    upload_bytes,
)
from takeoff.errors import TakeoffError
from takeoff.forecast.kinds import (
    headline,
    headline_tables,
    kind_of,
    kinds,
    long_table,
    summary_table,
)
from takeoff.forecast.scenario import builtin_names

DEFAULT = ["foom", "keyhole", "metr_trend"]
DRAWS = (1_000, 2_000, 5_000, 10_000, 20_000)
PER_ROW = 3
# presets: (label, scenarios, draws); the loop with the seeds' positions on it share watch H
PRESETS = {
    "loop": ("takeoff_from_data and its four variants", list(VARIANTS), 2_000),
}


def _preset(name: str) -> None:
    """Choose a preset's scenarios and draws (the widgets, and so the address, follow)."""
    _, scenarios, draws = PRESETS[name]
    st.session_state["scenarios"] = [n for n in scenarios if n in builtin_names()]
    st.session_state["compare_draws"] = draws


def uploaded_scenario():
    """(text, where) of an uploaded scenario TOML, or None; bad files raise TakeoffError."""
    uploaded = st.file_uploader(
        "Add your own scenario (TOML, e.g. downloaded from the Forecasts page)",
        type=["toml"],
        key="compare_upload",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if uploaded is None:
        return None
    try:
        text = upload_bytes(uploaded, "scenario").decode("utf-8")
    except UnicodeDecodeError:
        raise TakeoffError(f"'{uploaded.name}' is not UTF-8 text; upload a TOML file") from None
    check_toml_text(text)
    cached.scenario(text, uploaded.name)  # parse now: an invalid file fails here
    return text, uploaded.name


def main() -> None:
    names = builtin_names()
    present = presentation_mode()
    st.title("Compare scenarios")
    for key, (label, _, draws) in PRESETS.items():
        st.button(
            f"Preset: {label}",
            on_click=_preset,
            args=(key,),
            key=f"preset_{key}",
            help=f"The closed loop and the seeds' positions on it, side by side on the METR "
            f"horizon ({draws:,} draws each)",
        )
    c1, c2, c3 = st.columns([3, 1, 1])
    chosen = c1.multiselect(
        "Scenarios",
        names,
        default=[n for n in DEFAULT if n in names],
        key="scenarios",
        bind="query-params",
    )
    draws = c2.select_slider(
        "Draws", DRAWS, value=5_000, key="compare_draws", bind="query-params", format_func=str
    )
    seed = c3.number_input("Seed", 0, 999, 0, key="compare_seed", bind="query-params")
    runs = [(cached.builtin_text(n), f"{n}.toml") for n in chosen]
    try:
        extra = uploaded_scenario()
    except TakeoffError as exc:
        st.error(f"Invalid scenario file: {exc}")
        extra = None
    if extra is not None:
        runs.append(extra)
    if len(runs) < 2:
        st.warning("Choose at least two scenarios to compare.")
        return
    # each scenario's column is drawn as soon as its forecast is ready (top-down: the first
    # chart does not wait for the last forecast)
    summaries, observed = {}, {}
    columns = [
        col for _ in range(0, len(runs), PER_ROW) for col in st.columns(PER_ROW, border=True)
    ]
    for col, (text, where) in zip(columns, runs, strict=False):
        with col:
            with st.spinner(f"Forecasting {where.removesuffix('.toml')} ({draws:,} draws)..."):
                summary = cached.forecast_summary(text, where, int(draws), int(seed))
                name = summary.attrs["scenario"]
                summaries[name] = summary
                observed[name] = cached.observations(text, where)
            st.markdown(f"**{name}**: {summary.attrs['title']}")
            shown = [h for h in headline(summary) if h[0] != "milestone"]
            st.markdown("\n".join(f"- {label}: **{value}**" for _, label, value in shown))
            figures = kind_of(summary).interactive_figures(summary, observed[name])
            if figures:
                key, fig = figures[0]
                fig.update_layout(height=340)
                st.plotly_chart(fig, key=f"{key}_{name}")
    compared = []  # (key, figure) side by side, for the page and its download
    for k in kinds().values():
        mine = [s for s in summaries.values() if kind_of(s) is k]
        if not mine:
            continue
        for key, figure in k.comparison_figures(mine, observed) if len(mine) >= 2 else []:
            st.plotly_chart(figure, key=f"comparison_{k.name}_{key}")
            compared.append((f"{k.name}_{key}", figure))
        if not present:
            st.dataframe(summary_table(mine), hide_index=True)
    if present:
        leave_presentation_link()
        return
    download_view(
        "comparison",
        "Scenarios compared",
        lambda: _view_blocks(summaries, observed, compared),
        {
            "comparison_summary.csv": (
                lambda: long_table(list(summaries.values())).to_csv(index=False),
                "text/csv",
            )
        },
    )


def _view_blocks(summaries, observed, compared) -> list:
    from takeoff.plots.blocks import Figure, TableBlock

    blocks = [TableBlock(t) for t in headline_tables(list(summaries.values()))]
    blocks += [Figure(fig, name=f"compare_{key}") for key, fig in compared]
    for name, s in summaries.items():
        figures = kind_of(s).interactive_figures(s, observed[name])
        blocks += [Figure(fig, name=f"{name}_{key}") for key, fig in figures[:1]]
    return blocks


run_page(main)

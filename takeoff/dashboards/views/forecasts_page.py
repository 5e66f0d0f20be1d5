"""Forecasts: choose a built-in scenario or edit its TOML, run the Monte Carlo, and read the fan
chart, milestone CDFs, takeoff-class probabilities and sensitivity; download the scenario, the
summary CSV and the figures."""

import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.page_tools import (
    check_toml_text,
    controls_and_view,
    leave_presentation_link,
    png_bytes,
    presentation_mode,
    run_page,
    show_headline,
    view_html,
)
from takeoff.errors import TakeoffError
from takeoff.forecast.kinds import format_summary, kind_of, long_table
from takeoff.forecast.scenario import builtin_names
from takeoff.plots import sensitivity_charts

DRAWS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
DEFAULT = "metr_trend"
SOBOL_N = 256


def _reset(key: str) -> None:
    """Back to the built-in text: forget the edit (the widget returns to its default)."""
    st.session_state.pop(key, None)


def main() -> None:
    names = builtin_names()
    present = presentation_mode()
    controls, view = controls_and_view((1, 2.2))
    with controls:
        name = st.selectbox(
            "Scenario",
            names,
            index=names.index(DEFAULT) if DEFAULT in names else 0,
            key="scenario",
            bind="query-params",
        )
        draws = st.select_slider(
            "Draws",
            DRAWS,
            value=10_000,
            key="forecast_draws",
            bind="query-params",
            format_func=lambda d: f"{d}",
        )
        seed = st.slider("Seed", 0, 999, 0, key="forecast_seed", bind="query-params")
        builtin = cached.builtin_text(name)
        key = f"toml_{name}"
        text = st.text_area(
            "Scenario TOML (edit, then press Ctrl+Enter or click outside to run)",
            builtin,
            height=420,
            key=key,
            bind="query-params",
        )
        edited = text != builtin
        st.button(
            "Reset to the built-in",
            on_click=_reset,
            args=(key,),
            disabled=not edited,
        )
    with view:
        where = f"edited {name}.toml" if edited else f"{name}.toml"
        try:
            check_toml_text(text)
            scenario = cached.scenario(text, where)
        except TakeoffError as exc:
            st.error(f"Invalid scenario: {exc}")
            return
        with st.spinner(f"Running {draws:,} draws..."):
            summary = cached.forecast_summary(text, where, int(draws), int(seed))
        st.subheader(f"{scenario.name}: {scenario.title}")
        if edited:
            st.caption("Edited scenario (the address bar holds your edits).")
        kind = kind_of(summary)
        show_headline(summary)
        observed = cached.observations(text, where)
        figures = kind.interactive_figures(summary, observed)
        if figures:
            key, fig = figures[0]
            st.plotly_chart(fig, key=key)
        columns = st.columns(2) if len(figures) > 1 else []
        for col, (key, fig) in zip(columns, figures[1:3], strict=False):
            with col:
                st.plotly_chart(fig, key=key)
        st.caption(kind.caption(summary))
        with st.expander("Summary table (text)", expanded=not figures):
            st.code(format_summary(summary), language=None)
        sensitivity_section(scenario, text, where, seed)
        if present:
            leave_presentation_link()
            return
        st.subheader("Downloads")
        observed_by_name = {scenario.name: observed}
        pictures = [n for n in kind.figures([summary], observed_by_name) if n != "classes.png"]
        d = st.columns(3 + len(pictures))
        d[0].download_button(
            "This view (HTML)",
            lambda: view_html(
                f"{scenario.name}: {scenario.title}", _view_blocks(scenario, summary, figures)
            ),
            file_name=f"{scenario.name}.html",
            mime="text/html",
            help="One file with the charts (interactive, PNG from their toolbars) and the "
            "tables; opens without a network or a server",
        )
        d[1].download_button(
            "Scenario (TOML)", text, file_name=f"{scenario.name}.toml", mime="application/toml"
        )
        d[2].download_button(
            "Summary (CSV)",
            lambda: long_table([summary]).to_csv(index=False),
            file_name=f"{scenario.name}_summary.csv",
            mime="text/csv",
            help="Long form, one number per row (the schema of summary.csv in the README)",
        )
        for col, name in zip(d[3:], pictures, strict=True):
            col.download_button(
                f"{name.split('_')[0].capitalize()} (PNG)",
                lambda name=name: png_bytes(kind.figures([summary], observed_by_name)[name]()),
                file_name=f"{scenario.name}_{name.split('_')[0]}.png",
                mime="image/png",
            )


def _view_blocks(scenario, summary, figures) -> list:
    """The forecast as report blocks: headline, figures, the table as text, the TOML."""
    from takeoff.forecast.kinds import headline_tables
    from takeoff.plots.blocks import Details, Figure, TableBlock, Text

    kind = kind_of(summary)
    return [
        Text(scenario.rationale, kind="rationale"),
        *(TableBlock(t) for t in headline_tables([summary])),
        *(Figure(fig, name=f"{scenario.name}_{key}") for key, fig in figures),
        Text(kind.caption(summary), kind="caption"),
        Details("The forecast as a table", format_summary(summary)),
        Details(f"The scenario file ({scenario.name}.toml)", scenario.text),
    ]


def sensitivity_section(scenario, text: str, where: str, seed: int) -> None:
    """Tornado and Sobol indices of the scenario's sensitivity outputs (when its kind has any)."""
    from takeoff.forecast.sensitivity import outputs_of

    st.subheader("Sensitivity")
    try:
        outputs = {o.name: o for o in outputs_of(scenario)}
    except TakeoffError as exc:
        st.info(str(exc))
        return
    if not scenario.uncertain():
        st.info("Every input of this scenario is a fixed number: nothing to vary.")
        return
    names = list(outputs)
    output = st.radio(
        "Output: " + ", or ".join(o.label for o in outputs.values()),
        names,
        horizontal=True,
        key="output",
        bind="query-params",
    )
    table = cached.tornado(text, where, output)
    if table.attrs.get("note"):
        st.warning(table.attrs["note"])
    st.plotly_chart(sensitivity_charts.tornado(table), key="tornado")
    if st.button(f"Compute Sobol indices ({SOBOL_N} base samples)", key="run_sobol"):
        with st.spinner("Sobol indices..."):
            st.session_state["sobol_result"] = (text, cached.sobol(text, where, SOBOL_N, int(seed)))
    saved = st.session_state.get("sobol_result")
    if saved and saved[0] == text:
        result = saved[1]
        for caveat in result.caveats:
            st.caption(caveat)
        if output in result.notes:
            st.info(f"No indices for {output}: {result.notes[output]}")
        else:
            st.plotly_chart(sensitivity_charts.sobol(result.indices, output), key="sobol_fig")


run_page(main)

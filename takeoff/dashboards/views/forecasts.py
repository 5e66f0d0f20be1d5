"""Forecasts: choose a built-in scenario or edit its TOML, run the Monte Carlo, and read the fan
chart, milestone CDFs, takeoff-class probabilities and sensitivity; download the scenario, the
summary CSV and the figures."""

import streamlit as st

from takeoff import plots
from takeoff.dashboards import cached
from takeoff.dashboards.common import (
    check_toml_text,
    has_milestones,
    png_bytes,
    run_page,
    show_headline,
)
from takeoff.errors import TakeoffError
from takeoff.forecast.report import format_summary, summary_table
from takeoff.forecast.scenario import builtin_names

DRAWS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
DEFAULT = "metr_trend"
SOBOL_N = 256


def _reset(key: str) -> None:
    """Back to the built-in text: forget the edit (the widget returns to its default)."""
    st.session_state.pop(key, None)


def other_measures(scenario, summary, text: str) -> None:
    """A scenario measured by other quantities than milestones (e.g. the sie recursion): its
    printed summary and downloads."""
    missing = summary.attrs.get("not_applicable")
    if missing:
        st.info(f"Not applicable to this scenario: {missing}.")
    st.code(format_summary(summary), language=None)
    d = st.columns(2)
    d[0].download_button(
        "Scenario (TOML)", text, file_name=f"{scenario.name}.toml", mime="application/toml"
    )
    d[1].download_button(
        "Summary (CSV)",
        lambda: summary_table([summary]).to_csv(index=False),
        file_name=f"{scenario.name}_summary.csv",
        mime="text/csv",
    )


def main() -> None:
    names = builtin_names()
    controls, view = st.columns([1, 2.2], gap="large")
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
            key="draws",
            bind="query-params",
            format_func=lambda d: f"{d}",
        )
        seed = st.slider("Seed", 0, 999, 0, key="seed", bind="query-params")
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
        if not has_milestones(summary):
            other_measures(scenario, summary, text)
            return
        to = summary.attrs["takeoff_to"]
        show_headline(summary)
        st.plotly_chart(plots.interactive_fan_chart(summary), key="fan")
        left, right = st.columns(2)
        with left:
            st.plotly_chart(plots.interactive_milestone_cdfs(summary), key="cdfs")
        with right:
            st.plotly_chart(
                plots.interactive_class_bars({scenario.name: summary}, height=260),
                key="classes",
            )
            st.caption(
                f"Takeoff: {summary.attrs['takeoff_from']} to {to}. Hard < 30 days < fast "
                "< 1 year < moderate < 10 years < slow; not reached within the horizon."
            )
            with st.expander("Summary table (text)"):
                st.code(format_summary(summary), language=None)

        st.subheader("Sensitivity")
        uncertain = scenario.uncertain()
        if not uncertain:
            st.info("Every input of this scenario is a fixed number: nothing to vary.")
        else:
            output = st.radio(
                f"Output: the date {to.replace('_', ' ')} is reached, or the takeoff duration "
                "(log10 years)",
                ("takeoff_date", "duration"),
                horizontal=True,
                key="output",
                bind="query-params",
            )
            table = cached.tornado(text, where, output)
            if table.attrs.get("note"):
                st.warning(table.attrs["note"])
            st.plotly_chart(plots.interactive_tornado(table), key="tornado")
            if st.button(f"Compute Sobol indices ({SOBOL_N} base samples)", key="run_sobol"):
                with st.spinner("Sobol indices..."):
                    st.session_state["sobol_result"] = (
                        text,
                        cached.sobol(text, where, SOBOL_N, int(seed)),
                    )
            saved = st.session_state.get("sobol_result")
            if saved and saved[0] == text:
                result = saved[1]
                for caveat in result.caveats:
                    st.caption(caveat)
                if output in result.notes:
                    st.info(f"No indices for {output}: {result.notes[output]}")
                else:
                    st.plotly_chart(
                        plots.interactive_sobol(result.indices, output), key="sobol_fig"
                    )

        st.subheader("Downloads")
        d = st.columns(4)
        d[0].download_button(
            "Scenario (TOML)", text, file_name=f"{scenario.name}.toml", mime="application/toml"
        )
        d[1].download_button(
            "Summary (CSV)",
            lambda: summary_table([summary]).to_csv(index=False),
            file_name=f"{scenario.name}_summary.csv",
            mime="text/csv",
        )
        d[2].download_button(
            "Fan chart (PNG)",
            lambda: png_bytes(plots.fan_chart(summary)),
            file_name=f"{scenario.name}_fan.png",
            mime="image/png",
        )
        d[3].download_button(
            "CDFs (PNG)",
            lambda: png_bytes(plots.milestone_cdfs(summary)),
            file_name=f"{scenario.name}_milestones.png",
            mime="image/png",
        )


run_page(main)

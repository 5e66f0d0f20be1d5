"""Overview: headline numbers and a fan chart of the built-in scenarios, readable from across
a room. Presentation mode (the toggle, or ``?present=true``) hides navigation and controls."""

import streamlit as st

from takeoff import plots
from takeoff.dashboards import cached
from takeoff.dashboards.common import (
    PRESENTATION_CSS,
    has_milestones,
    headline,
    presenting,
    run_page,
    show_headline,
)
from takeoff.forecast.scenario import builtin_names

DRAWS = (2_000, 10_000)
FEATURED = "metr_trend"


def main() -> None:
    present = presenting()
    if present:
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
        # controls stay rendered (so the view and its address persist) but are not shown
        st.markdown(
            "<style>.st-key-overview_controls {display: none !important;}</style>",
            unsafe_allow_html=True,
        )
    names = builtin_names()
    top = st.columns([4, 1.3])
    with top[0]:
        st.title("AI takeoff: how fast, and how likely?")
    with top[1]:
        st.toggle("Presentation mode", key="present", bind="query-params")
    with st.container(key="overview_controls"):
        c1, c2 = st.columns(2)
        featured = c1.selectbox(
            "Featured scenario",
            names,
            index=names.index(FEATURED) if FEATURED in names else 0,
            key="featured",
            bind="query-params",
        )
        draws = c2.select_slider(
            "Draws per scenario",
            DRAWS,
            value=DRAWS[0],
            key="overview_draws",
            bind="query-params",
            format_func=lambda d: f"{d}",
        )
    with st.spinner(f"Forecasting {len(names)} scenarios ({draws:,} draws each)..."):
        summaries = {
            name: cached.forecast_summary(cached.builtin_text(name), f"{name}.toml", draws, 0)
            for name in names
        }
    # scenarios measured by milestones and takeoff classes (the sie recursions report others)
    others = [n for n, s in summaries.items() if not has_milestones(s)]
    summaries = {n: s for n, s in summaries.items() if has_milestones(s)}
    if featured not in summaries:
        st.info(f"{featured} reports no milestones; see it on the Forecasts page.")
        featured = next(iter(summaries))
    summary = summaries[featured]
    st.markdown(f"**{featured}**: {summary.attrs['title']}")
    show_headline(summary)
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            plots.interactive_fan_chart(summary, height=520 if present else 440),
            key="overview_fan",
        )
    with right:
        st.plotly_chart(plots.interactive_class_bars(summaries), key="overview_classes")
    if not present:
        st.caption(
            "Each scenario is a TOML file (Forecasts page): a model family, its parameters as "
            "numbers, distributions or draws from the shipped posteriors, and the milestones "
            "whose dates and takeoff duration are forecast. Seed 0; classes: hard < 30 days < "
            "fast < 1 year < moderate < 10 years < slow."
        )
        rows = [
            {"scenario": n, **{k: v for k, _, v in headline(s)}, "title": s.attrs["title"]}
            for n, s in summaries.items()
        ]
        st.dataframe(rows, hide_index=True)
        if others:
            st.caption(
                f"Not shown: {', '.join(others)} (measured in years of progress within a "
                "time, not by milestones; see the Forecasts page)."
            )


run_page(main)

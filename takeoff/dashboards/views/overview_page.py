"""Overview: headline numbers and a fan chart of the built-in scenarios, readable from across
a room. Presentation mode (the toggle, or ``?present=true``) hides navigation and controls."""

import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.page_tools import PRESENTATION_CSS, presenting, run_page, show_headline
from takeoff.forecast.kinds import headline, kind_of, kinds
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
    summary = summaries[featured]
    kind = kind_of(summary)
    st.markdown(f"**{featured}**: {summary.attrs['title']}")
    show_headline(summary)
    left, right = st.columns([3, 2])
    figures = kind.interactive_figures(summary)
    with left:
        if figures:
            key, fig = figures[0]
            if present:
                fig.update_layout(height=520)
            st.plotly_chart(fig, key=f"overview_{key}")
        else:
            st.caption(kind.caption(summary))
    with right:
        for k in kinds().values():
            mine = [s for s in summaries.values() if kind_of(s) is k]
            figure = k.interactive_comparison(mine) if mine else None
            if figure is not None:
                st.plotly_chart(figure, key=f"overview_{k.name}")
    if not present:
        st.caption(
            "Each scenario is a TOML file (Forecasts page): a model family, its parameters as "
            "numbers, distributions or draws from the shipped posteriors, and what is "
            "forecast (milestone dates and the takeoff duration, or runs of software "
            "doublings). Seed 0; classes: hard < 30 days < fast < 1 year < moderate < 10 years "
            "< slow."
        )
        for k in kinds().values():
            rows = [
                {"scenario": n, **{c: v for c, _, v in headline(s)}, "title": s.attrs["title"]}
                for n, s in summaries.items()
                if kind_of(s) is k
            ]
            if rows:
                st.markdown(f"**{k.description.capitalize()}**")
                st.dataframe(rows, hide_index=True)


run_page(main)

"""Overview: headline numbers and a fan chart of the built-in scenarios, readable from across
a room. Presentation mode (the toggle, or ``?present=true``) hides navigation and controls."""

import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.page_tools import (
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
    show_headline,
)
from takeoff.forecast.kinds import headline_tables, kind_of, kinds, long_table
from takeoff.forecast.scenario import HEADLINE, builtin_names

DRAWS = (2_000, 10_000)
FEATURED = HEADLINE  # the main job's headline: the loop fitted to data


def main() -> None:
    names = builtin_names()
    top = st.columns([4, 1.3])
    with top[0]:
        st.title("AI takeoff: how fast, and how likely?")
    present = presentation_mode(where=top[1])
    if present:
        # controls stay rendered (so the view and its address persist) but are not shown
        st.markdown(
            "<style>.st-key-overview_controls {display: none !important;}</style>",
            unsafe_allow_html=True,
        )
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
    observed = cached.observations(cached.builtin_text(featured), f"{featured}.toml")
    figures = kind.interactive_figures(summary, observed)
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
    if present:
        leave_presentation_link()
        return
    st.caption(
        "Each scenario is a TOML file (Forecasts page): a model family, its parameters as "
        "numbers, distributions or draws from the shipped posteriors, and what is "
        "forecast (milestone dates and the takeoff duration, or runs of software "
        "doublings). Seed 0; classes: hard < 30 days < fast < 1 year < moderate < 10 years "
        "< slow."
    )
    for table in headline_tables(list(summaries.values())):
        st.markdown(f"**{table.title}**")
        st.dataframe(table.records(), hide_index=True)
        st.caption(table.note)
    st.subheader("Downloads")
    download_view(
        "overview",
        "AI takeoff: how fast, and how likely?",
        lambda: _view_blocks(summaries, featured, figures),
        {
            "summary.csv": (
                lambda: long_table(list(summaries.values())).to_csv(index=False),
                "text/csv",
            )
        },
    )


def _view_blocks(summaries, featured, figures) -> list:
    """The overview as report blocks: the headline tables, the featured scenario's chart and
    every kind's comparison figure."""
    from takeoff.plots.blocks import Figure, TableBlock, Text

    blocks = [TableBlock(t) for t in headline_tables(list(summaries.values()))]
    blocks.append(Text(f"{featured}: {summaries[featured].attrs['title']}", kind="numbers"))
    blocks += [Figure(fig, name=f"{featured}_{key}") for key, fig in figures[:1]]
    for k in kinds().values():
        mine = [s for s in summaries.values() if kind_of(s) is k]
        figure = k.interactive_comparison(mine) if mine else None
        if figure is not None:
            blocks.append(Figure(figure, name=f"overview_{k.name}"))
    return blocks


run_page(main)

"""Overview: headline numbers and a fan chart of the built-in scenarios, readable from across
a room. Presentation mode (the toggle, or ``?present=true``) hides navigation and controls.

It opens at once: every summary comes from the server's board (``cached.board()``): stored ones
(computed before by the main job, the dashboard, or shipped in the package, and reused while
their inputs are unchanged) are read once per process; missing ones are forecast in a
background thread while the page shows what is ready (a view with more draws shows the stored
2,000-draw summary until its own is done) and updates itself when they are."""

import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.page_tools import (
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
    show_headline,
)
from takeoff.dashboards.summaries import provenance
from takeoff.forecast.kinds import headline_tables, kind_of, kinds, long_table
from takeoff.forecast.scenario import HEADLINE, builtin_names

DRAWS = (2_000, 10_000)
FIRST_VIEW = 2_000  # the stored first view (takeoff.forecast.stored.SHIPPED_DRAWS)
SEED = 0
POLL_SECONDS = 2.0
FEATURED = HEADLINE  # the main job's headline: the loop fitted to data
READY = ("stored", "computed")


def _run(name: str) -> tuple[str, str]:
    return cached.builtin_text(name), f"{name}.toml"


def ready(name: str, draws: int):
    """(summary, state, note) of a built-in at ``draws``: its own if ready (else queued in the
    background), or the stored first view meanwhile, or (None, state, note)."""
    board = cached.board()
    answer = board.get(*_run(name), draws, SEED)
    if answer.state in READY:
        return answer.summary, answer.state, ""
    if answer.state == "failed":
        return None, "failed", answer.error
    if draws != FIRST_VIEW:
        first = board.get(*_run(name), FIRST_VIEW, SEED, compute=False)
        if first.state in READY:
            note = (
                f"{draws:,} draws are being computed in the background; until they are, this "
                f"is the {FIRST_VIEW:,}-draw summary."
            )
            return first.summary, first.state, note
    return None, answer.state, ""


@st.fragment(run_every=POLL_SECONDS)
def wait_for(names: list[str], draws: int) -> None:
    """Polls the board; reruns the page once every summary asked for is ready (or failed)."""
    states = [cached.board().get(*_run(n), draws, SEED).state for n in names]
    done = sum(s in (*READY, "failed") for s in states)
    if done == len(names):
        st.rerun()
    st.caption(
        f"{done} of {len(names)} forecasts at {draws:,} draws ready; the page updates itself "
        "as they finish (each is stored, so the next visit opens at once)."
    )


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
    draws = int(draws)
    # the featured scenario first: its headline and chart are drawn before the others load
    summary, state, note = ready(featured, draws)
    pending = [] if state in READY and not note else [featured]
    figures = []
    if summary is None:
        if state == "failed":
            st.error(f"The forecast of {featured} failed: {note}")
        else:
            st.info(
                f"Computing the headline of **{featured}** ({draws:,} draws) in the "
                "background: no stored summary has these inputs yet (a changed scenario, "
                "posterior or code). It is stored when done, so it is computed only once."
            )
    else:
        kind = kind_of(summary)
        st.markdown(f"**{featured}**: {summary.attrs['title']}")
        show_headline(summary)
        st.caption(provenance(summary, state) + (f" {note}" if note else ""))
    left, right = st.columns([3, 2])
    if summary is not None:
        observed = cached.observations(*_run(featured))
        figures = kind.interactive_figures(summary, observed)
        with left:
            if figures:
                key, fig = figures[0]
                if present:
                    fig.update_layout(height=520)
                st.plotly_chart(fig, key=f"overview_{key}")
            else:
                st.caption(kind.caption(summary))
    # then every other scenario, for the comparisons and the tables
    summaries = {}
    for name in names:
        s, state, note = ready(name, draws)
        if s is not None:
            summaries[name] = s
        if state not in READY or note:
            pending.append(name)
    with right:
        for k in kinds().values():
            mine = [s for s in summaries.values() if kind_of(s) is k]
            figure = k.interactive_comparison(mine) if mine else None
            if figure is not None:
                st.plotly_chart(figure, key=f"overview_{k.name}")
    if pending:
        wait_for(sorted(set(pending)), draws)
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
    if featured not in summaries:
        return
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

"""Track record: the shipped rolling-origin backtest of the loop against simple baselines (read
from takeoff/data/track_record, never refitted here): its verdict, the scores table, the
feedback difference, the PIT histogram and the fan each model drew at an origin with the points
that came after."""

import streamlit as st

from takeoff.dashboards.page_tools import (
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
)


@st.cache_resource(show_spinner=False)
def _record():
    from takeoff.forecast.track_record import shipped

    return shipped()


@st.cache_data(show_spinner=False)
def _observed():
    from takeoff.forecast.track_context import metr_table

    return metr_table()


def main() -> None:
    from takeoff.forecast.track_context import UPLIFT
    from takeoff.forecast.track_record import HINDSIGHT, score_tables
    from takeoff.plots import track_charts
    from takeoff.report.track_section import is_bad, track_record_section

    present = presentation_mode()
    st.title("Track record: the loop against simple baselines")
    record = _record()
    if record is None:
        st.info(
            "No track record is shipped; run takeoff backtest takeoff_from_data --origin 2024 "
            "--out takeoff/data/track_record"
        )
        return
    verdict = record.verdict()
    (st.warning if is_bad(verdict) else st.success)(verdict)
    origins = [f"{o:g}" for o in record.origins]
    models = list(dict.fromkeys(record.fans["model"]))
    controls = st.columns([1, 3])
    origin = controls[0].selectbox(
        "Origin", origins, index=0, key="origin", bind="query-params", disabled=present
    )
    shown = controls[1].multiselect(
        "Fans of",
        models,
        default=[m for m in track_charts.FAN_MODELS if m in models],
        format_func=lambda m: record.labels.get(m, m),
        key="models",
        disabled=present,
    )
    fan = track_charts.origin_fan(
        record.fans, _observed(), float(origin), models=shown, labels=record.labels
    )
    st.plotly_chart(fan, key="fan")
    st.plotly_chart(
        track_charts.pit_histogram(record.pit_counts(), labels=record.labels), key="pit"
    )
    uplift_counts = record.pit_counts(UPLIFT)
    if not uplift_counts.empty:
        st.caption("PIT of the uplift measurements (role measurement only)")
        st.plotly_chart(
            track_charts.pit_histogram(
                uplift_counts, labels=record.labels, what="uplift measurement"
            ),
            key="pit_uplift",
        )
    if present:
        leave_presentation_link()
        return
    for table in score_tables(record):
        st.subheader(table.title)
        st.dataframe(table.records(), hide_index=True)
        st.caption(table.note)
    with st.expander("Chosen knowing the later data (hindsight in these backtests)"):
        st.markdown("\n".join(f"- {h}" for h in HINDSIGHT))
    with st.expander("How it was run"):
        st.json(record.meta)
        if record.problems:
            st.markdown("\n".join(f"- origin {o:g}: {f}: {p}" for o, f, p in record.problems))
    download_view(
        "track_record",
        "Track record",
        lambda: track_record_section(record).blocks,
        {"track_record_points.csv": (lambda: record.points.to_csv(index=False), "text/csv")},
    )


run_page(main)

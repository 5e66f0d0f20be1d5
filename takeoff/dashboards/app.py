"""The takeoff dashboard: ``takeoff dashboard [--port P]`` (or ``streamlit run`` this file).

Eight pages through ``st.navigation``; every control is bound to a query parameter
(``bind="query-params"``), so the address bar always holds the current view and opening that
address restores it. ``?present=true`` on the Overview is presentation mode: no navigation,
no controls, large type.
"""

from pathlib import Path

import streamlit as st

from takeoff import __version__
from takeoff.dashboards.page_tools import preload_chart_code, presenting

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="takeoff", page_icon=":material/rocket_launch:", layout="wide")

PAGES = [
    st.Page(
        VIEWS / "overview_page.py", title="Overview", icon=":material/slideshow:", default=True
    ),
    st.Page(
        VIEWS / "explorer_page.py",
        title="Dynamics explorer",
        icon=":material/show_chart:",
        url_path="explorer",
    ),
    st.Page(VIEWS / "fits_page.py", title="Fits", icon=":material/query_stats:", url_path="fits"),
    st.Page(
        VIEWS / "forecasts_page.py",
        title="Forecasts",
        icon=":material/timeline:",
        url_path="forecasts",
    ),
    st.Page(
        VIEWS / "chain_page.py", title="The loop", icon=":material/autorenew:", url_path="loop"
    ),
    st.Page(
        VIEWS / "compare_page.py",
        title="Compare",
        icon=":material/compare_arrows:",
        url_path="compare",
    ),
    st.Page(VIEWS / "data_page.py", title="Data", icon=":material/table_chart:", url_path="data"),
    st.Page(
        VIEWS / "track_page.py",
        title="Track record",
        icon=":material/fact_check:",
        url_path="track",
    ),
]

preload_chart_code()  # every page draws Plotly charts: the browser fetches the code at once
present = presenting()
page = st.navigation(PAGES, position="hidden" if present else "sidebar")
if not present:
    st.sidebar.caption(
        f"takeoff {__version__}: AI takeoff dynamics fitted to data. The address bar holds "
        "the view: copy it to share."
    )
page.run()

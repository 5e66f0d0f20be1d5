"""What every page shares: friendly errors, size-limited uploads, presentation mode, the
headline of a forecast, PNG bytes.

No maths here: pages call the library; this module only shapes its answers for the screen.
"""

from __future__ import annotations

import functools
import io
import logging
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from takeoff.errors import TakeoffError

MAX_UPLOAD_MB = 2  # uploads larger than this are refused (by the browser, and again here)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_TOML_CHARS = 20_000  # an edited scenario longer than this is refused

log = logging.getLogger("takeoff.dashboards")


def run_page(main: Callable[[], None]) -> None:
    """Run a page; bad input (a ``TakeoffError``) shows its one-line message in the page, and
    an unexpected error shows one line too (the traceback goes to the server log only)."""
    try:
        main()
    except TakeoffError as exc:
        st.error(str(exc))
    except Exception as exc:  # never show a stack trace in the page
        log.exception("dashboard page failed")
        first = str(exc).splitlines()[0] if str(exc) else ""
        st.error(f"Something went wrong ({type(exc).__name__}: {first}); please report it.")


def show_error(exc: TakeoffError) -> None:
    st.error(str(exc))


def upload_bytes(uploaded, what: str = "file") -> bytes:
    """The content of a ``st.file_uploader`` file, refused over ``MAX_UPLOAD_BYTES``."""
    size = getattr(uploaded, "size", None)
    if size is None:
        size = len(uploaded.getvalue())
    if size > MAX_UPLOAD_BYTES:
        raise TakeoffError(
            f"{what} '{uploaded.name}' is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES / 1024 / 1024:.0f} MB: upload a smaller file"
        )
    return uploaded.getvalue()


def check_toml_text(text: str) -> str:
    if len(text) > MAX_TOML_CHARS:
        raise TakeoffError(
            f"the scenario is {len(text):,} characters long; the limit is {MAX_TOML_CHARS:,}"
        )
    return text


def png_bytes(fig) -> bytes:
    """A matplotlib figure as PNG bytes (150 dpi); the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    plt.close(fig)
    return buffer.getvalue()


# --- the browser's first paint ---------------------------------------------------------------


@functools.cache
def _chart_code() -> list[str]:
    """The file names of Streamlit's Plotly bundle (~4.7 MB of JavaScript) in its static
    folder; empty if this Streamlit lays its files out otherwise."""
    folder = Path(st.__file__).resolve().parent / "static" / "static" / "js"
    return sorted(p.name for p in folder.glob("PlotlyChart.*.js"))


def preload_chart_code() -> None:
    """Ask the browser for the Plotly bundle as the page starts, not when its first chart
    arrives: a new viewer's browser then fetches and compiles it while the server computes,
    and the first chart is drawn as soon as it is sent (a hidden ``modulepreload`` link)."""
    links = "".join(f'<link rel="modulepreload" href="static/js/{n}">' for n in _chart_code())
    if links:
        st.sidebar.markdown(links, unsafe_allow_html=True)


# --- presentation mode -----------------------------------------------------------------------

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {
    display: none !important;
}
.block-container { padding-top: 1.5rem !important; max-width: 96% !important; }
[data-testid="stMetricValue"] { font-size: 3.0rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
h1 { font-size: 3.0rem !important; }
.stMarkdown p { font-size: 1.35rem; }
</style>
"""


# Every control (widget) of a page, hidden in presentation mode: the view stays, and its
# address (the widgets are still rendered, bound to the URL) too.
CONTROL_IDS = (
    "stSlider",
    "stSelectbox",
    "stMultiSelect",
    "stTextArea",
    "stTextInput",
    "stNumberInput",
    "stRadio",
    "stCheckbox",
    "stButton",
    "stDownloadButton",
    "stFileUploader",
)
CONTROLS_CSS = (
    "<style>"
    + ", ".join(f'.stElementContainer:has([data-testid="{i}"])' for i in CONTROL_IDS)
    + ", .st-key-controls {display: none !important;}</style>"
)


def presenting() -> bool:
    """Whether the page is in presentation mode (its toggle, or ``?present=true``)."""
    value = st.session_state.get("present")
    if value is None:
        value = st.query_params.get("present", "").lower() in ("true", "1", "yes")
    return bool(value)


def presentation_mode(where=None) -> bool:
    """The presentation toggle (in the sidebar unless ``where`` is given), bound to
    ``?present=``; when on, the sidebar, the header with its toolbar and every control are
    hidden and type is large. Returns whether the page is presenting."""
    (where or st.sidebar).toggle(
        "Presentation mode",
        key="present",
        bind="query-params",
        help="Hide the sidebar and every control, for showing this view to a room; "
        "the address keeps the view (present=true), the link at the bottom leaves it.",
    )
    present = presenting()
    if present:
        st.markdown(PRESENTATION_CSS + CONTROLS_CSS, unsafe_allow_html=True)
    return present


def leave_presentation_link() -> None:
    """A small link at the bottom of a presented page back to the same view with controls."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "present"}
    query = urllib.parse.urlencode({**params, "present": "false"})
    st.markdown(
        f'<p style="text-align:right;font-size:0.8rem"><a href="?{query}" target="_self" '
        'style="color:#999">leave presentation mode</a></p>',
        unsafe_allow_html=True,
    )


def controls_and_view(spec=(1, 2.2), gap: str = "large"):
    """(controls, view) containers: side by side, or in presentation mode the view alone at
    full width (the controls stay rendered, hidden, so the view and its address persist)."""
    if presenting():
        return st.container(key="controls"), st.container()
    controls, view = st.columns(list(spec), gap=gap)
    return controls.container(key="controls_column"), view


# --- downloads of a view ---------------------------------------------------------------------


def view_html(title: str, blocks: list, subtitle: str = "") -> str:
    """A page's view as one self-contained HTML file (the report's machinery: plotly.js and
    styles inlined)."""
    from takeoff import __version__
    from takeoff.plots.blocks import Section
    from takeoff.report.html import Document

    doc = Document(title, subtitle or f"takeoff {__version__} dashboard view")
    doc.add(Section(title, blocks, anchor="view"))
    return doc.render(
        footer="Downloaded from the takeoff dashboard; self-contained: opens without a network "
        "or a server."
    )


def download_view(
    key: str,
    title: str,
    blocks: Callable[[], list],
    data: dict[str, tuple[Callable[[], str | bytes], str]] | None = None,
) -> None:
    """Download buttons for the view: as self-contained HTML (``blocks()`` built when clicked)
    and as data (``data``: file name -> (function giving its content, MIME type))."""
    items = list((data or {}).items())
    columns = st.columns(1 + len(items))
    columns[0].download_button(
        "This view (HTML)",
        lambda: view_html(title, blocks()),
        file_name=f"{key}.html",
        mime="text/html",
        key=f"download_{key}_html",
        help="One file with the charts (interactive, PNG from their toolbars) and tables; "
        "opens without a network or a server",
    )
    for col, (name, (content, mime)) in zip(columns[1:], items, strict=True):
        col.download_button(
            f"Data ({name.rsplit('.', 1)[-1].upper()})",
            content,
            file_name=name,
            mime=mime,
            key=f"download_{key}_{name}",
        )


# --- forecast headlines ----------------------------------------------------------------------


def show_headline(summary, per_row: int = 3) -> None:
    """The headline numbers of a forecast of any kind as ``st.metric``s, ``per_row`` to a row."""
    from takeoff.forecast.kinds import headline

    items = [(label, value) for column, label, value in headline(summary) if column != "milestone"]
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for col, (label, value) in zip(columns, items[start : start + per_row], strict=False):
            col.metric(label, value)

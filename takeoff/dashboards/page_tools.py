"""What every page shares: friendly errors, size-limited uploads, presentation mode, the
headline of a forecast, PNG bytes.

No maths here: pages call the library; this module only shapes its answers for the screen.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

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


def presenting() -> bool:
    """Whether the Overview is in presentation mode (its toggle, or ``?present=true``)."""
    value = st.session_state.get("present")
    if value is None:
        value = st.query_params.get("present", "").lower() in ("true", "1", "yes")
    return bool(value)


# --- forecast headlines ----------------------------------------------------------------------


def show_headline(summary, per_row: int = 3) -> None:
    """The headline numbers of a forecast of any kind as ``st.metric``s, ``per_row`` to a row."""
    from takeoff.forecast.kinds import headline

    items = [(label, value) for column, label, value in headline(summary) if column != "milestone"]
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for col, (label, value) in zip(columns, items[start : start + per_row], strict=False):
            col.metric(label, value)

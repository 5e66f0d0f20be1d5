"""What every page shares: friendly errors, size-limited uploads, number formats, PNG bytes.

No maths here: pages call the library; this module only shapes its answers for the screen.
"""

from __future__ import annotations

import io
import logging
import math
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


# --- number formats --------------------------------------------------------------------------


def fmt(x: float, digits: int = 3) -> str:
    """A number with ``digits`` significant digits; inf as 'inf'."""
    if not math.isfinite(x):
        return "inf" if x > 0 else ("-inf" if x < 0 else "nan")
    return f"{x:.{digits}g}"


def fmt_date(x: float) -> str:
    """A decimal year, or 'not reached' for +inf."""
    if not math.isfinite(x):
        return "not reached" if x > 0 else "-"
    return f"{x:.1f}"


def fmt_span(years: float) -> str:
    """A duration in years as days, months or years."""
    if not math.isfinite(years):
        return "never"
    if years < 1 / 12:
        return f"{years * 365.25:.3g} days"
    if years < 2:
        return f"{years * 12:.3g} months"
    return f"{years:.3g} years"


def fmt_prob(p: float) -> str:
    if p == 0:
        return "0%"
    if p < 0.001:
        return "<0.1%"
    if p > 0.999 and p < 1:
        return ">99.9%"
    return f"{p:.1%}" if p < 0.1 else f"{p:.0%}"


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


def has_milestones(summary) -> bool:
    """Whether a forecast summary has milestones, takeoff classes and singularity (the
    ``sie_doublings`` recursion reports other quantities instead)."""
    return "milestone_date" in summary and "class_probability" in summary


def headline(summary) -> list[tuple[str, str, str]]:
    """(column, label, value) of the numbers a forecast is summarised by; formatting only."""
    to = summary.attrs["takeoff_to"]
    end = f"{summary['time'].values[-1]:.0f}"
    p = summary["class_probability"]
    hard_or_fast = float(p.sel(takeoff_class="hard")) + float(p.sel(takeoff_class="fast"))
    nice = to.replace("_", " ")
    return [
        ("milestone", "milestone", nice),
        (
            "P(reached)",
            f"P({nice} by {end})",
            fmt_prob(float(summary["p_reached"].sel(milestone=to))),
        ),
        (
            "median date",
            f"{nice}: median date",
            fmt_date(float(summary["milestone_date"].sel(milestone=to, quantile=0.5))),
        ),
        (
            "takeoff duration (median)",
            "takeoff duration (median)",
            fmt_span(float(summary["duration"].sel(quantile=0.5))),
        ),
        ("P(hard or fast)", "P(hard or fast takeoff)", fmt_prob(hard_or_fast)),
        (
            "P(singularity)",
            f"P(singularity by {end})",
            fmt_prob(float(summary["p_singularity"])),
        ),
    ]


def show_headline(summary, per_row: int = 3) -> None:
    """The headline numbers as ``st.metric``s, ``per_row`` to a row."""
    items = [item for item in headline(summary) if item[0] != "milestone"]
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for col, (_, label, value) in zip(columns, items[start : start + per_row], strict=False):
            col.metric(label, value)


# --- fits ------------------------------------------------------------------------------------


def ppc_axis(idata, name: str | None):
    """Values and label of the x axis of a posterior predictive plot: a constant-data variable
    of the fit (time offsets shown as decimal years when the fit saved its reference date), or
    the observation index for ``None``."""
    import numpy as np

    observed = next(iter(idata.observed_data.data_vars))
    n = idata.observed_data[observed].size
    if name is None:
        return np.arange(n), "observation"
    values = idata.constant_data[name].values
    t_ref = idata.posterior.attrs.get("const_t_ref")
    if name in ("tau", "dt") and t_ref is not None:
        return values + float(t_ref), f"year ({name} + {float(t_ref):g})"
    return values, name


def ppc_candidates(idata) -> list[str]:
    """Constant-data variables with one value per observation (candidate x axes)."""
    if "constant_data" not in idata.groups():
        return []
    observed = next(iter(idata.observed_data.data_vars))
    dims = idata.observed_data[observed].dims
    return [
        str(v)
        for v in idata.constant_data.data_vars
        if idata.constant_data[v].dims == dims and not str(v).startswith("sigma")
    ]

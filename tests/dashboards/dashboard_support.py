"""Helpers for the dashboard tests: AppTest per page and reading what a run shows."""

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

import takeoff.dashboards

DASHBOARD = Path(takeoff.dashboards.__file__).resolve().parent


# each page's draws control has its own key (and URL parameter): widget keys are shared by
# every page of a session, so one "draws" set on a page would carry over to the next
DRAWS_KEY = {
    "explorer": "explorer_draws",
    "forecasts": "forecast_draws",
    "chain": "loop_draws",
    "compare": "compare_draws",
}


def draws(page: str, n: int | str) -> dict[str, str]:
    """The query setting ``page``'s draws to ``n`` (none for a page without a draws control
    that reads this parameter)."""
    return {DRAWS_KEY[page]: str(n)} if page in DRAWS_KEY else {}


def page_test(name: str, query: dict[str, str] | None = None, timeout: float = 120) -> AppTest:
    """An AppTest of one page script (``views/<name>_page.py``), run once with ``query`` params."""
    at = AppTest.from_file(str(DASHBOARD / "views" / f"{name}_page.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    """The plotly figures of a run, as dicts: ``st.plotly_chart``'s, then the live charts'
    (``takeoff.dashboards.live_chart``, updated in place in a browser)."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return specs + [json.loads(data["figure"]) for data in live_chart_payloads(at)]


def live_chart_payloads(at: AppTest) -> list[dict]:
    """What each live chart of a run was sent (see ``live_chart.payload``)."""
    return [
        json.loads(element.proto.json)
        for element in at.get("bidi_component")
        if element.proto.component_name == "takeoff_live_chart"
    ]


def chart_titles(at: AppTest) -> list[str]:
    return [spec["layout"].get("title", {}).get("text", "") for spec in chart_specs(at)]


def image_captions(at: AppTest) -> list[str]:
    """The captions of the images (``st.image``) of a run."""
    return [img.caption for element in at.get("image") for img in element.proto.imgs]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

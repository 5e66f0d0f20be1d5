"""The report in a real browser (Debian's headless Chromium through Playwright) with every
network request blocked and recorded: it renders all its charts from the one file, asks for
nothing else, and a chart's toolbar saves it as a PNG.

Needs ``chromium`` on PATH and the ``playwright`` package (like tests/dashboards);
TAKEOFF_SKIP_BROWSER=1 skips it.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dashboards"))
from browser import chromium, chromium_path

if os.environ.get("TAKEOFF_SKIP_BROWSER") == "1":
    pytest.skip("TAKEOFF_SKIP_BROWSER=1", allow_module_level=True)

TIMEOUT = 120_000  # ms


@pytest.fixture(scope="module")
def opened(report_file, tmp_path_factory):
    """The report opened from disk, all requests routed: (page, requested URLs, page errors)."""
    from playwright.sync_api import sync_playwright

    assert chromium_path(), "no chromium on PATH: apt-get install -y chromium"
    url = report_file.resolve().as_uri()
    requested, errors = [], []

    def route(r):
        requested.append(r.request.url)
        if r.request.url == url:
            r.continue_()
        else:
            r.abort()

    with sync_playwright() as p:
        browser = chromium(p)
        context = browser.new_context(
            viewport={"width": 1300, "height": 900}, accept_downloads=True
        )
        context.route("**/*", route)
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        page.wait_for_function(
            "document.body.getAttribute('data-figures-drawn') !== null", timeout=TIMEOUT
        )
        yield page, requested, errors, tmp_path_factory.mktemp("downloads")
        browser.close()


def test_no_request_leaves_the_file(opened, report_file):
    _page, requested, errors, _ = opened
    url = report_file.resolve().as_uri()
    assert set(requested) == {url}, sorted(set(requested))
    assert not errors


def test_every_chart_is_drawn(opened, report_file):
    page, *_ = opened
    count = report_file.read_text().count('class="plot"')
    assert int(page.evaluate("document.body.getAttribute('data-figures-drawn')")) == count
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('div.plot')].map(div =>
            div.classList.contains('js-plotly-plot')
            && div.querySelectorAll('svg.main-svg').length > 0
            && div.querySelectorAll('svg.main-svg path, svg.main-svg text').length > 5)"""
    )
    assert len(drawn) == count and all(drawn)


def test_a_chart_saves_itself_as_png(opened):
    page, _requested, _, folder = opened
    first = page.locator("div.plot").first
    first.scroll_into_view_if_needed()
    first.hover()
    with page.expect_download(timeout=TIMEOUT) as info:
        first.locator('[data-title="Download plot as a PNG"]').click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".png" and path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert path.stat().st_size > 10_000

"""End to end in a real browser: ``takeoff dashboard`` on a free localhost port, driven by
Playwright in Debian's headless Chromium. Visits every page, moves sliders and checks that the
chart and the numbers change and that the address follows, restores views from addresses,
uploads a bad CSV, and saves a screenshot per page (the folder is printed at the end of the
run; set TAKEOFF_SCREENSHOTS to choose it).

Needs ``chromium`` on PATH (``apt-get install -y chromium``; the README's test command installs
it) and the ``playwright`` package. TAKEOFF_SKIP_BROWSER=1 skips these tests;
TAKEOFF_BROWSER_TIMEOUT_MS (default 60000) is how long each wait may take.
"""

import os
import re
import time

import pytest
from browser import chromium, chromium_path, serve, wait_idle

if os.environ.get("TAKEOFF_SKIP_BROWSER") == "1":
    pytest.skip("TAKEOFF_SKIP_BROWSER=1", allow_module_level=True)

PAGES = {  # sidebar link: (url path, text the page must show)
    "Overview": ("", "AI takeoff: how fast, and how likely?"),
    "Dynamics explorer": ("explorer", "Regime:"),
    "Fits": ("fits", "Regime comparison (PSIS-LOO)"),
    "Forecasts": ("forecasts", "Sensitivity"),
    "The loop": ("loop", "The loop: takeoff from data, link by link"),
    "Compare": ("compare", "Compare scenarios"),
    "Data": ("data", "METR 50% and 80% task time horizons"),
}
# ms per wait; TAKEOFF_BROWSER_TIMEOUT_MS raises it on a machine shared with other jobs
TIMEOUT = int(os.environ.get("TAKEOFF_BROWSER_TIMEOUT_MS", "60000"))


# the server's first run on a fresh clone compiles the numba kernels and fills every cache:
# minutes on a busy 2-core machine, once; the tests' own waits start after it
COLD_START_MS = max(5 * TIMEOUT, 300_000)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = chromium(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, browser):
    assert chromium_path(), "no chromium on PATH: apt-get install -y chromium"
    log = (tmp_path_factory.mktemp("dashboard") / "server.log").open("w")
    with serve(log=log) as url:
        warm_up = browser.new_page()
        warm_up.goto(url, timeout=COLD_START_MS)
        warm_up.wait_for_selector(".js-plotly-plot", timeout=COLD_START_MS)
        wait_idle(warm_up, COLD_START_MS)
        warm_up.close()
        yield url
    log.close()


@pytest.fixture(scope="module")
def page(browser):
    """One browser tab for the module (its cache keeps Streamlit's scripts between visits)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page, TIMEOUT)
    page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)


TITLE_JS = """i => { const gd = document.querySelectorAll('.js-plotly-plot')[i];
    return gd && gd.layout && gd.layout.title && gd.layout.title.text
        ? gd.layout.title.text.replace(/<[^>]+>/g, '') : ''; }"""


def chart_title(page, index: int = 0) -> str:
    """The title of the page's ``index``-th plotly chart, without markup ('' while none)."""
    return page.evaluate(TITLE_JS, index)


def wait_for_title(page, ok, index: int = 0, timeout: float = TIMEOUT) -> None:
    """Poll until ``ok(title)`` holds for the ``index``-th chart (it is redrawn per rerun)."""
    deadline = time.monotonic() + timeout / 1000
    while not ok(chart_title(page, index)):
        assert time.monotonic() < deadline, f"chart title still {chart_title(page, index)!r}"
        page.wait_for_timeout(25)


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def assert_no_traceback(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, errors


def shoot(page, folder, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main container, so the
    viewport is stretched to the content's height for the shot."""
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stAppViewContainer', 'stMainBlockContainer']
            .map(id => document.querySelector(`[data-testid="${id}"]`))
            .filter(Boolean).map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 5000)})
    page.wait_for_timeout(300)  # charts re-layout to the new size
    page.screenshot(path=str(folder / f"{name}.png"))
    page.set_viewport_size(size)


def test_every_page_renders_with_charts(app_url, page, screenshot_dir):
    open_page(page, app_url)
    for link, (path, text) in PAGES.items():
        if path:  # through the sidebar, as a user would
            page.locator('[data-testid="stSidebarNavLink"]', has_text=link).click()
            # a control bound to the address (e.g. draws) may already be in it: path, then query
            page.wait_for_url(re.compile(f"/{path}(\\?[^/]*)?$"))
        page.get_by_text(text).first.wait_for()
        page.wait_for_selector(".js-plotly-plot")
        wait_idle(page, TIMEOUT)
        assert_no_traceback(page)
        assert page.locator(".js-plotly-plot").count() >= 1
        shoot(page, screenshot_dir, f"page_{path or 'overview'}")
    print(f"dashboard screenshots: {screenshot_dir}")


TITLES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    gd.layout && gd.layout.title && gd.layout.title.text
        ? gd.layout.title.text.replace(/<[^>]+>/g, '') : '')"""


def chart_titles(page) -> list[str]:
    return page.evaluate(TITLES_JS)


LOOP_CHARTS = [
    "compute_trend: observations and the posterior predictive",
    "algorithmic_progress: observations and the posterior predictive",
    "algorithmic_progress: physical compute needed for a fixed loss, relative to 2012",
    "chinchilla: observations and the posterior predictive",
    "effective_readout: observations and the posterior predictive",
    "software_returns_lm: observations and the posterior predictive",
    "software_returns_lm: posteriors of beta, lambda and r",
    "takeoff_from_data: share of AI-research tasks automatable (prior on H_half, w)",
    "Declared prior (grey) against the draws the forecast used (blue)",
    "Grouped Sobol indices (each posterior's draws kept joint)",
    "takeoff_from_data: 500 draws, seed 0",
]


def test_loop_page_walks_the_chain_and_its_toggle_follows_the_address(
    app_url, page, screenshot_dir
):
    open_page(page, f"{app_url}/loop?loop_draws=500")
    page.get_by_text("7. The loop closed").wait_for()
    deadline = time.monotonic() + TIMEOUT / 1000
    while chart_titles(page) != LOOP_CHARTS:  # every link's chart, then the fan
        assert time.monotonic() < deadline, chart_titles(page)
        page.wait_for_timeout(50)
    assert_no_traceback(page)
    assert page.get_by_text("Data-period check.").count() == 1
    shoot(page, screenshot_dir, "loop")
    page.get_by_text("AI feedback on", exact=True).click()  # the toggle's label
    fan = len(LOOP_CHARTS) - 1
    wait_for_title(page, lambda t: t == "takeoff_from_data_no_feedback: 500 draws, seed 0", fan)
    wait_idle(page, TIMEOUT)
    assert re.search(r"[?&]feedback=false(&|$)", page.url)
    assert page.get_by_text("AI feedback OFF").count() == 1
    assert_no_traceback(page)
    shoot(page, screenshot_dir, "loop_feedback_off")
    open_page(page, f"{app_url}/loop?loop_draws=500&feedback=false&loop_seed=2")
    wait_for_title(page, lambda t: t == "takeoff_from_data_no_feedback: 500 draws, seed 2", fan)
    toggle = page.locator('[data-testid="stCheckbox"]', has_text="AI feedback on")
    assert toggle.locator("input").is_checked() is False
    # presenting: every control hidden but the feedback toggle, which still switches the fan
    open_page(page, f"{app_url}/loop?loop_draws=500&present=true")
    wait_for_title(page, lambda t: t == "takeoff_from_data: 500 draws, seed 0", fan)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.get_by_role("slider", name="Draws").is_visible()
    assert toggle.is_visible()
    page.get_by_text("AI feedback on", exact=True).click()
    wait_for_title(page, lambda t: t == "takeoff_from_data_no_feedback: 500 draws, seed 0", fan)
    shoot(page, screenshot_dir, "loop_presentation")
    # one link at a time, from the address, for walking a room through the chain
    open_page(page, f"{app_url}/loop?step=readout&present=true")
    assert chart_titles(page) == ["effective_readout: observations and the posterior predictive"]
    assert page.get_by_text("Show (the whole chain, or link by link)").is_visible()
    page.get_by_text("returns", exact=True).click()
    wait_for_title(page, lambda t: t.startswith("software_returns_lm"))
    wait_idle(page, TIMEOUT)
    assert re.search(r"[?&]step=returns(&|$)", page.url)


def test_explorer_slider_changes_chart_numbers_and_address(app_url, page, screenshot_dir):
    open_page(page, f"{app_url}/explorer")
    title, numbers = chart_title(page), metric_values(page)
    assert "alpha = 0.8" in title and numbers[0] == "none"
    slider = page.get_by_role("slider", name="alpha")
    slider.focus()
    for _ in range(11):  # 0.8 -> 1.02 in steps of 0.02: past the keyhole
        page.keyboard.press("ArrowRight")
    wait_for_title(page, lambda title: "alpha = 1.02" in title)
    wait_idle(page, TIMEOUT)
    assert "alpha = 1.02" in chart_title(page)
    assert metric_values(page) != numbers
    assert page.get_by_text("Regime: superlinear returns").count() == 1
    assert "power_law.alpha=1.02" in page.url
    shoot(page, screenshot_dir, "explorer_after_slider")


def test_views_are_restored_from_their_address(app_url, page, screenshot_dir):
    open_page(page, f"{app_url}/explorer?family=power_law&power_law.alpha=1.5&power_law.k=0.5")
    assert "alpha = 1.5" in chart_title(page)
    assert metric_values(page)[0] == "4 yr"  # exact t* = 1 / ((1.5 - 1) * 0.5)
    assert page.get_by_role("slider", name="alpha").get_attribute("aria-valuetext") == "1.5"
    shoot(page, screenshot_dir, "explorer_from_address")
    open_page(page, f"{app_url}/forecasts?scenario=foom&forecast_seed=7&forecast_draws=2000")
    assert chart_title(page) == "foom: 2,000 draws, seed 7"
    open_page(page, f"{app_url}/data?dataset=roodman_gwp")
    assert chart_title(page) == "roodman_gwp: gwp vs year"


def test_forecast_seed_slider_reruns_and_updates_the_address(app_url, page):
    open_page(page, f"{app_url}/forecasts?forecast_draws=2000")
    assert chart_title(page) == "metr_trend: 2,000 draws, seed 0"
    page.get_by_role("slider", name="Seed").focus()
    page.keyboard.press("ArrowRight")
    wait_for_title(page, lambda title: title.endswith("seed 1"))
    wait_idle(page, TIMEOUT)
    assert re.search(r"[?&]forecast_seed=1(&|$)", page.url)
    assert_no_traceback(page)


def test_presentation_mode_hides_navigation_and_controls(app_url, page, screenshot_dir):
    open_page(page, f"{app_url}/?present=true")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.get_by_text("Featured scenario").is_visible()
    # the headline's numbers stay: the featured scenario (the main job's headline, 2,000 draws,
    # seed 0 by default) as the library's headline gives them
    from takeoff.forecast import forecast
    from takeoff.forecast.kinds import headline

    summary = forecast("takeoff_from_data", draws=2000, seed=0).summary
    assert metric_values(page) == [v for c, _, v in headline(summary) if c != "milestone"]
    shoot(page, screenshot_dir, "overview_presentation")


def test_bad_upload_shows_an_error_not_a_traceback(app_url, page, screenshot_dir):
    open_page(page, f"{app_url}/fits?fit=compute_trend")
    page.get_by_role("tab", name="Fit your own CSV").click()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2,3\n"}]
    )
    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.wait_for()
    assert "has 3 fields but the header has 2" in alert.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot(page, screenshot_dir, "fits_bad_upload")


def test_viewers_see_no_developer_toolbar(app_url, page):
    open_page(page, f"{app_url}/explorer")
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.get_by_role("button", name="Deploy").count() == 0


def test_presentation_mode_on_any_page_shows_the_view_alone(app_url, page, screenshot_dir):
    open_page(page, f"{app_url}/explorer?family=horizon&present=true")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    controls = ", ".join(
        f'[data-testid="{c}"]'
        for c in ("stSlider", "stSelectbox", "stButton", "stDownloadButton", "stCheckbox")
    )
    visible = page.evaluate(
        "s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length",
        controls,
    )
    assert visible == 0
    chart = page.locator(".js-plotly-plot").first
    assert chart.bounding_box()["width"] > 0.8 * 1400  # the view takes the page's width
    shoot(page, screenshot_dir, "explorer_presentation")
    page.get_by_text("leave presentation mode").click()
    page.wait_for_url(re.compile(r"present=false"))
    wait_idle(page, TIMEOUT)
    page.get_by_role("slider", name="eps").wait_for()
    assert "family=horizon" in page.url  # the view is kept

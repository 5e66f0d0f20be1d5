"""Pages that open at once: the Overview shows a stored headline without computing anything,
a missing summary is computed in the background (and stored for the next server), and every
page renders on its default view without an exception."""

import time

import pytest
from dashboard_support import chart_specs, chart_titles, metrics, no_errors, page_test

from takeoff.dashboards import cached
from takeoff.dashboards.summaries import Board
from takeoff.forecast import monte_carlo, stored
from takeoff.forecast.kinds import headline
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.scenario import HEADLINE

PAGES = ("overview", "data", "fits", "explorer", "forecasts", "compare", "chain")


def waiting(at) -> bool:
    """Whether the Overview is still waiting for summaries computed in the background."""
    notes = [c.value for c in at.caption] + [i.value for i in at.info]
    # the Overview's own waiting notes only: a summary's provenance caption may also say "(in
    # the background)" (who computed it) once it is ready
    return any(
        "the page updates itself" in n or "are being computed in the background" in n for n in notes
    )


def run_until_ready(at, timeout: float = 900):
    """Rerun a page until nothing it shows is still being computed in the background."""
    deadline = time.monotonic() + timeout
    while waiting(at):
        assert time.monotonic() < deadline, "the background forecasts did not finish"
        time.sleep(2)
        at.run()
    return at


@pytest.fixture
def fresh_board():
    """A board of its own (no summary read or computed by an earlier test)."""
    cached.board().shutdown()
    cached.board.clear()
    yield
    cached.board().shutdown()
    cached.board.clear()


def test_overview_shows_the_stored_headline_without_computing(tmp_path, monkeypatch, fresh_board):
    monkeypatch.setenv("TAKEOFF_CACHE", str(tmp_path))
    # a stand-in stored under the headline scenario's key: cheap, and recognisably not a
    # forecast of it, so the numbers shown can only have come from the store
    stand_in = monte_carlo.forecast("metr_trend", draws=200, seed=0).summary
    stored.save(stand_in, load_scenario(HEADLINE), 2_000, 0, by="a test")

    def no_forecast(*args, **kwargs):
        raise RuntimeError("the Overview computed a forecast")

    monkeypatch.setattr(monte_carlo, "forecast", no_forecast)
    at = page_test("overview")
    assert not at.exception, [e.value for e in at.exception]
    expected = {
        label: value for column, label, value in headline(stand_in) if column != "milestone"
    }
    shown = metrics(at)
    assert expected and all(shown[label] == value for label, value in expected.items())
    said = " ".join(c.value for c in at.caption)
    assert "Stored summary (200 draws, seed 0)" in said and "by a test" in said
    assert "without recomputing" in said
    assert chart_titles(at)[0].startswith("metr_trend:")  # its fan chart, drawn from the store


def test_a_missing_summary_is_computed_in_the_background_and_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("TAKEOFF_CACHE", str(tmp_path))
    text = load_scenario("keyhole").text
    board = Board()
    try:
        first = board.get(text, "keyhole.toml", 300, 11)
        assert first.summary is None and first.state in ("queued", "running")
        assert board.get(text, "keyhole.toml", 300, 11, compute=False).state != "missing"
        deadline = time.monotonic() + 300
        while (answer := board.get(text, "keyhole.toml", 300, 11)).state != "computed":
            assert answer.state != "failed", answer.error
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert not board.busy()
        expected = monte_carlo.forecast(load_scenario("keyhole"), draws=300, seed=11).summary
        assert headline(answer.summary) == headline(expected)
        assert len(list((tmp_path / "summaries").glob("keyhole-*.nc"))) == 1
    finally:
        board.shutdown()
    again = Board()  # a new server: read from the store, not computed
    try:
        answer = again.get(text, "keyhole.toml", 300, 11, compute=False)
        assert answer.state == "stored" and headline(answer.summary) == headline(expected)
        assert answer.summary.attrs["stored_by"] == "the dashboard (in the background)"
    finally:
        again.shutdown()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_its_default_view_with_a_chart(name):
    at = page_test(name)
    if name == "overview":
        run_until_ready(at)
    no_errors(at)
    # st.plotly_chart's figures, or the explorer's live charts (updated in place in a browser)
    assert chart_specs(at), f"{name}: no chart"

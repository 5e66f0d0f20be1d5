"""The report's track-record section: read from the shipped backtest (never refitted), led by
the one-line verdict, which the headline repeats, with the scores, the PIT histogram and a fan
per origin."""

import re

import pytest

from takeoff.forecast.track_record import shipped
from takeoff.plots.blocks import Figure, TableBlock, Text
from takeoff.report.track_section import is_bad, track_record_section


def test_the_section_leads_with_the_verdict_and_shows_scores_pit_and_fans():
    record = shipped()
    section = track_record_section(record)
    first = section.blocks[0]
    assert isinstance(first, Text) and first.text == record.verdict()
    assert first.kind == ("warning" if is_bad(first.text) else "numbers")
    titles = [b.table.title for b in section.blocks if isinstance(b, TableBlock)]
    assert titles[0].startswith("METR horizon") and any("AI feedback on" in t for t in titles)
    assert any(t.startswith("AI uplift") for t in titles)  # the uplift measurements' scores
    names = [b.name for b in section.blocks if isinstance(b, Figure)]
    assert names[:2] == ["track_record_pit", "track_record_pit_uplift"]
    assert names[2:] == [f"track_record_fan_{o:g}" for o in record.origins]
    texts = [b.text for b in section.blocks if isinstance(b, Text)]
    assert any("not available: the joint fit is not shipped" in t for t in texts)


@pytest.fixture(scope="module")
def small_report():
    import dataclasses

    from takeoff.forecast import forecast
    from takeoff.forecast.loading import load_scenario
    from takeoff.report import report_html

    quick = dataclasses.replace(
        load_scenario("takeoff_from_data"), check_data=False, prior_range=False
    )
    result = forecast(quick, draws=200, seed=1)
    return report_html([result], fits=False, sensitivity=False, data=False)


def test_the_headline_says_the_track_record_in_one_line_and_the_section_follows(small_report):
    body = small_report.split("<main>", 1)[1]
    headline = body.split("<section", 2)[1]
    verdict = shipped().verdict()
    escaped = verdict.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in headline
    assert 'id="track-record"' in body
    section = body.split('id="track-record"', 1)[1]
    first = re.search(r"<p[^>]*>(.*?)</p>", section, re.S).group(1)
    assert first.strip() == escaped

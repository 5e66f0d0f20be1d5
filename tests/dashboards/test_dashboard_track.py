"""The Track record page under AppTest: the shipped backtest's verdict, the fan of the chosen
origin with the points after it, the PIT histogram and the scores tables; the origin comes from
the address; presentation mode keeps the figures and drops the controls' tables."""

from dashboard_support import DASHBOARD, chart_specs, chart_titles, no_errors, page_test

from takeoff.forecast.track_record import shipped


def test_track_page_shows_the_verdict_scores_pit_and_the_fan_of_an_origin():
    record = shipped()
    at = page_test("track")
    no_errors(at)
    shown = [w.value for w in at.warning] + [s.value for s in at.success]
    assert shown == [record.verdict()]
    first = f"{record.origins[0]:g}"
    assert chart_titles(at) == [
        f"METR horizons: the fans drawn at {first}, and what came after",
        "Calibration: PIT of every held-out METR horizon",
        "Calibration: PIT of every held-out uplift measurement",
    ]
    subheaders = [s.value for s in at.subheader]
    assert subheaders[0].startswith("METR horizon") and len(at.dataframe) == len(subheaders)


def test_the_origin_is_read_from_the_address_and_moves_the_fan():
    record = shipped()
    last = f"{record.origins[-1]:g}"
    at = page_test("track", {"origin": last})
    no_errors(at)
    assert chart_titles(at)[0] == f"METR horizons: the fans drawn at {last}, and what came after"
    fan = chart_specs(at)[0]
    scored = next(t for t in fan["data"] if t.get("name") == "data after the origin (scored)")
    assert min(scored["x"]) >= record.origins[-1]


def test_presentation_mode_keeps_the_figures_and_drops_the_tables():
    at = page_test("track", {"present": "true"})
    no_errors(at)
    assert len(chart_titles(at)) == 3 and len(at.dataframe) == 0


def test_the_page_is_registered_in_the_app():
    """Read from app.py (running the app renders the Overview first: minutes under load)."""
    import ast

    tree = ast.parse((DASHBOARD / "app.py").read_text())
    pages = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
    ]
    track = [p for p in pages if "track_page.py" in ast.unparse(p.args[0])]
    assert len(track) == 1
    keywords = {k.arg: ast.literal_eval(k.value) for k in track[0].keywords}
    assert keywords["url_path"] == "track" and keywords["title"] == "Track record"

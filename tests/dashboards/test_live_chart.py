"""The explorer's charts updated in place (``takeoff.dashboards.live_chart``) and its quick
first band (``explore.live_draws``): what the component is sent is the figure the page drew,
a slider move sends new data to the same chart, and the live band agrees with the full one."""

import json
import math

import numpy as np
import pytest
from dashboard_support import live_chart_payloads, metrics, no_errors, page_test

from takeoff.dashboards import explore, live_chart
from takeoff.models import get_family
from takeoff.models.solve import solve
from takeoff.models.sweep import spread_draws
from takeoff.plots import explorer_charts


def _same(a, b, where="figure") -> None:
    """Equal plotly JSON trees; arrays compared exactly, element by element; an empty list
    (no shapes, no annotations) is as good as none, for plotly.js as for plotly.py."""
    if isinstance(a, dict):
        a, b = ({k: v for k, v in d.items() if not (isinstance(v, list) and not v)} for d in (a, b))
        assert isinstance(b, dict) and set(a) == set(b), (where, set(a) ^ set(b))
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list | tuple) and any(isinstance(v, dict | list) for v in a):
        assert isinstance(b, list | tuple) and len(a) == len(b), where
        for i, (u, v) in enumerate(zip(a, b, strict=True)):
            _same(u, v, f"{where}[{i}]")
    elif isinstance(a, np.ndarray | list | tuple):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape, where
        if a.dtype.kind in "fc":
            assert np.array_equal(a, b, equal_nan=True), where
        else:
            assert a.tolist() == b.tolist(), where
    else:
        assert a == b, (where, a, b)


def _defaults(name):
    family = get_family(name)
    centre = {p.name: explore.parameter_slider(p).default for p in family.parameters}
    y0 = {s.name: explore.state_slider(s).default for s in family.states}
    return family, centre, y0


@pytest.mark.parametrize("as_spec", [True, False])
@pytest.mark.parametrize("chart", ["trajectory", "regime_map", "doubling"])
def test_payload_round_trips_to_the_figure_the_page_draws(chart, as_spec):
    """The page sends plain dicts (``spec=True``); what the browser gets is the plotly Figure
    those dicts make (the figure ``st.plotly_chart`` would have drawn), NaN gaps included."""
    _, centre, y0 = _defaults("power_law")
    if chart == "regime_map":
        grid = explore.regime_grid("power_law", "alpha", "k", {}, y0, 20.0, resolution=30)
        assert np.isnan(explorer_charts.regime_map(grid, spec=True)["data"][0]["z"]).any()

        def draw(**kw):
            return explorer_charts.regime_map(grid, point=(0.8, 0.5), **kw)
    else:
        result = explore.explore("power_law", centre, y0, 20.0, "I", 0.25, 500, 0)
        charts = explorer_charts
        chart_of = charts.trajectory if chart == "trajectory" else charts.doubling_time

        def draw(**kw):
            return chart_of(result, title="a title", **kw)

    figure = draw()
    data = live_chart.payload(draw(spec=True) if as_spec else figure, chart, refine="token")
    assert (data["key"], data["refine"]) == (chart, "token")
    assert data["plotly"].endswith("/plotly.min.js")
    drawn = live_chart._arrays(json.loads(figure.to_json()))  # what st.plotly_chart sends
    drawn["layout"].pop("template", None)  # the app's theme replaces it, as st.plotly_chart does
    # what plotly.js reads: the JSON itself (typed arrays decoded), not validated again
    received = live_chart._arrays(json.loads(data["figure"]))
    _same(drawn, received)
    assert live_chart.figure_of(data).layout.title.text == figure.layout.title.text


def test_moving_a_slider_sends_new_data_to_the_same_chart():
    at = page_test("explorer", {"explorer_draws": "1000"})
    no_errors(at)
    before = {d["key"]: d for d in live_chart_payloads(at)}
    assert set(before) == {"trajectory", "regime_map", "doubling"}
    at.select_slider(key="power_law.alpha").set_value(1.2).run()
    no_errors(at)
    after = {d["key"]: d for d in live_chart_payloads(at)}
    assert set(after) == set(before)  # the same charts (keys): updated, not new ones

    def central(data):
        (trace,) = [t for t in live_chart.figure_of(data).data if t.name == "the slider values"]
        return np.asarray(trace.y, float)

    # the new data are the trajectory at the new value, the closed form of dI/dt = k I^alpha,
    # I = (1 + (1 - alpha) k t)^(1 / (1 - alpha)), drawn until its blow-up at t* = 1/((alpha-1)k)
    t = np.linspace(0.0, 20.0, 101)
    old = (1 + 0.2 * 0.5 * t) ** (1 / 0.2)
    assert central(before["trajectory"]) == pytest.approx(old, rel=1e-9)
    shown, rate = central(after["trajectory"]), (1.2 - 1) * 0.5
    assert shown.size == np.sum(t < 1 / rate)  # t* = 10 yr: the grid up to it
    away = t[: shown.size] < 0.99 / rate  # the last point sits on the singularity
    assert shown[away] == pytest.approx((1 - rate * t[: shown.size][away]) ** -5.0, rel=1e-9)
    assert shown[-1] > 1e8
    assert "alpha = 1.2" in live_chart.figure_of(after["trajectory"]).layout.title.text


def test_a_slider_move_draws_the_view_first_and_the_same_view(monkeypatch, capsys):
    """After a move every control's value is in the session state: the page draws the view
    (charts) before the controls, and it is the view a page opened at the new values draws."""
    monkeypatch.setenv("TAKEOFF_TIMINGS", "1")  # each run prints how it went
    at = page_test("explorer", {"family": "research_loop", "explorer_draws": "1000"})
    at.select_slider(key="research_loop.rho").set_value(0.649).run()
    no_errors(at)
    runs = [
        json.loads(s.split(" ", 1)[1])
        for s in capsys.readouterr().out.splitlines()
        if s.startswith("takeoff-timing ")
    ]
    assert [r["view_first"] for r in runs] == [False, True]  # the first run has no state yet
    fresh = page_test(
        "explorer",
        {"family": "research_loop", "explorer_draws": "1000", "research_loop.rho": "0.649"},
    )
    moved = {d["key"]: live_chart.figure_of(d) for d in live_chart_payloads(at)}
    opened = {d["key"]: live_chart.figure_of(d) for d in live_chart_payloads(fresh)}
    assert set(moved) == set(opened) == {"trajectory", "regime_map", "doubling"}
    for key in moved:
        _same(moved[key].to_plotly_json(), opened[key].to_plotly_json(), key)
    assert "rho = 0.649" in moved["trajectory"].layout.title.text
    assert metrics(at) == metrics(fresh)
    assert at.select_slider(key="research_loop.rho").value == 0.649  # the controls follow


def test_live_draws_only_when_there_is_a_band():
    assert explore.live_draws(10_000, 0.25, "power_law") == explore.LIVE_DRAWS == 1_000
    assert explore.live_draws(10_000, 0.25, "research_loop") == 250  # integrated: fewer
    assert explore.live_draws(1_000, 0.25) == 1_000
    assert explore.live_draws(100_000, 0.0) == 100_000  # no band: nothing to refine


@pytest.mark.parametrize("quantity", ["S", "speedup"])
def test_research_loop_live_band_agrees_with_the_full_band(quantity):
    """The live band (250 draws integrated to rtol 1e-4) against all 10,000 draws at the
    solver's default tolerance (1e-8), at every time: each live quantile
    q_p of S and of the shown speedup sits where a fraction p of the 10,000 draws lie below it,
    within 5 standard errors of a quantile of 250 draws (5 sqrt(p (1 - p) / 250): 0.069
    at p = 0.05, 0.158 at the median). Ranks, not values: ~60% of the draws blow up, so the
    upper quantiles sit on the cap."""
    family, centre, y0 = _defaults("research_loop")
    n = explore.live_draws(10_000, 0.25, "research_loop")
    live = explore.explore("research_loop", centre, y0, 20.0, quantity, 0.25, n, 0, True)
    full = explore.explore("research_loop", centre, y0, 20.0, quantity, 0.25, 10_000, 0)
    assert (live.draws, full.draws) == (250, 10_000)
    # the slider values' path, integrated to 1e-4 and to 1e-5: within 5% (0.05 in ln S; the
    # largest gaps are on the steep rise of the blow-up), far under a pixel of the chart
    np.testing.assert_allclose(np.log(live.central), np.log(full.central), rtol=0, atol=0.05)
    assert live.stop == pytest.approx(full.stop, rel=1e-3)
    draws = spread_draws(family, centre, 0.25, 10_000, 0, explore.log_scaled("research_loop"))
    derived = [quantity] if quantity != "S" else []
    values = solve(family, draws, y0, live.time, method="arclength", derived=derived)[quantity]
    values = values.values  # (draw, time), at the solver's default (tighter) tolerance
    for p, q in live.bands.items():
        below = np.mean(values < q[None, :], axis=0)
        at_or_below = np.mean(values <= q[None, :], axis=0)
        tol = 5 * math.sqrt(p * (1 - p) / n)
        assert np.all((below <= p + tol) & (at_or_below >= p - tol)), p
    # and the share of draws that blow up within the horizon: within 5 standard errors
    se = math.sqrt(full.share_blowup * (1 - full.share_blowup) / n)
    assert abs(live.share_blowup - full.share_blowup) <= 5 * se

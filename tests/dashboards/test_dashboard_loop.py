"""The Loop page (takeoff_from_data walked link by link) under AppTest, its helpers against
closed forms, and the Compare page's preset of the loop and its four variants. Small draws: a
few seconds per forecast on this machine."""

import numpy as np
import pytest
from dashboard_support import chart_specs, chart_titles, metrics, no_errors, page_test

from takeoff.dashboards import chain
from takeoff.forecast import forecast
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.sources import Fixed

DRAWS = "500"
STEMS = ("compute_trend", "algorithmic_progress", "chinchilla", "effective_readout")


@pytest.fixture(scope="module")
def loop_page():
    at = page_test("chain", {"loop_draws": DRAWS}, timeout=300)
    no_errors(at)
    return at


def _spec(at, title: str) -> dict:
    return next(s for s in chart_specs(at) if s["layout"]["title"]["text"] == title)


def _table(at, first_column: str):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def test_loop_page_shows_every_link_with_its_data(loop_page):
    at = loop_page
    heads = [s.value for s in at.subheader]
    assert [h.split(".")[0] for h in heads] == ["1", "2", "3", "4", "5", "6", "7"]
    titles = chart_titles(at)
    for stem in (*STEMS, "software_returns_lm"):
        assert f"{stem}: observations and the posterior predictive" in titles
    # each fit on the axes its data were measured on
    compute = _spec(at, "compute_trend: observations and the posterior predictive")
    assert compute["layout"]["yaxis"]["title"]["text"] == "training compute [FLOP]"
    assert compute["layout"]["yaxis"]["type"] == "log"
    chinchilla = _spec(at, "chinchilla: observations and the posterior predictive")
    assert chinchilla["layout"]["xaxis"]["title"]["text"] == "training compute 6 N D [FLOP]"
    readout = _spec(at, "effective_readout: observations and the posterior predictive")
    assert readout["layout"]["xaxis"]["title"]["text"] == "release date [decimal year]"
    assert "8 h" in readout["layout"]["yaxis"]["ticktext"]  # horizons labelled as durations
    assert "algorithmic_progress: physical compute needed for a fixed loss, relative to 2012" in (
        titles
    )
    assert "software_returns_lm: posteriors of beta, lambda and r" in titles
    assert any("labour-only R" in i.value and "P(r > 1)" in i.value for i in at.info)


def test_loop_page_shows_the_priors_with_the_scenarios_reasons(loop_page):
    scenario = load_scenario("takeoff_from_data")
    table = _table(loop_page, "parameter")
    assert list(table["parameter"]) == list(chain.PRIORS)
    for name, why in zip(table["parameter"], table["why"], strict=True):
        assert why == scenario.reasons[name] and why  # the file's own comment, not empty
    assert "loguniform(low=0.1, high=10)" in list(table["prior"])  # A_ai
    assert (
        "takeoff_from_data: share of AI-research tasks automatable (prior on H_half, w)"
        in chart_titles(loop_page)
    )


def test_loop_page_fan_is_on_metrs_points_with_the_data_check(loop_page):
    fan = _spec(loop_page, f"takeoff_from_data: {int(DRAWS):,} draws, seed 0")
    names = [t.get("name", "") for t in fan["data"]]
    assert "observed: metr_horizons (fitted by effective_readout)" in names
    text = " ".join(m.value for m in loop_page.markdown)
    assert "**Data-period check.** data-period check (effective_readout" in text
    assert [b.label for b in loop_page.get("download_button")] == [
        "This view (HTML)",
        "Data (CSV)",
        "Data (CSV)",
    ]


def test_loop_feedback_toggle_shows_the_counterfactual():
    at = page_test("chain", {"loop_draws": DRAWS}, timeout=300)
    on_rows = _table(at, "milestone").set_index("milestone")
    on_fan = _spec(at, f"takeoff_from_data: {int(DRAWS):,} draws, seed 0")
    at.toggle(key="feedback").set_value(False).run()
    no_errors(at)
    off_rows = _table(at, "milestone").set_index("milestone")
    # the dates shown are the counterfactual's (A_ai = 0) on the same draws, as forecast says
    summary = forecast("takeoff_from_data", draws=int(DRAWS), seed=0).summary
    for name in ("work_month", "work_year"):
        label = name.replace("_", " ")
        on = float(summary["milestone_date"].sel(milestone=name, quantile=0.5))
        off = float(summary["counterfactual_milestone_date"].sel(milestone=name, quantile=0.5))
        assert on_rows.loc[label, "median"] == f"{on:.1f}"
        assert off_rows.loc[label, "median"] == f"{off:.1f}"
    assert off_rows.loc["work year", "median"] != on_rows.loc["work year", "median"]
    assert off_rows.loc["software 10x", "P(reached)"] == "0%"  # no 10x without the feedback
    assert metrics(at)["work year: median date"] == off_rows.loc["work year", "median"]
    # the fan is the scenario run with A_ai = 0: its median reaches a work year later (by more
    # than half a year while R was labour only; with R the composite of labour and experiment
    # compute, growing ~1.1/yr without AI labour, the feedback pulls it forward by ~0.4 yr)
    off_fan = _spec(at, f"takeoff_from_data_no_feedback: {int(DRAWS):,} draws, seed 0")
    assert _crossing(off_fan, 120_000.0) > _crossing(on_fan, 120_000.0)
    assert "AI feedback **OFF" in " ".join(m.value for m in at.markdown)


def _array(values) -> np.ndarray:
    """A plotly array: a list, or base64-encoded typed data (plotly >= 6)."""
    if isinstance(values, dict):
        import base64

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def _crossing(fan: dict, level: float) -> float:
    """The first date the fan's median reaches ``level``."""
    median = next(t for t in fan["data"] if t.get("name") == "median")
    x, y = _array(median["x"]), _array(median["y"])
    return float(x[np.argmax(y >= level)]) if (y >= level).any() else float("inf")


def test_loop_view_is_restored_from_the_address():
    at = page_test(
        "chain",
        {
            "scenario": "takeoff_from_data_overhang",
            "feedback": "false",
            "loop_draws": DRAWS,
            "loop_seed": "3",
        },
        timeout=300,
    )
    no_errors(at)
    assert at.selectbox(key="scenario").value == "takeoff_from_data_overhang"
    assert at.toggle(key="feedback").value is False
    assert at.number_input(key="loop_seed").value == 3
    assert f"takeoff_from_data_overhang_no_feedback: {int(DRAWS):,} draws, seed 3" in (
        chart_titles(at)
    )


def test_loop_page_steps_through_one_link_at_a_time():
    at = page_test("chain", {"step": "chinchilla", "loop_draws": DRAWS}, timeout=300)
    no_errors(at)
    assert [s.value for s in at.subheader] == [chain.LINKS[2].title]
    assert chart_titles(at) == ["chinchilla: observations and the posterior predictive"]
    assert [b.label for b in at.get("download_button")] == ["This view (HTML)", "Data (CSV)"]
    at.radio(key="step").set_value("forecast").run()
    no_errors(at)
    assert [s.value for s in at.subheader] == ["7. The loop closed: METR horizons forecast"]
    assert chart_titles(at) == [f"takeoff_from_data: {int(DRAWS):,} draws, seed 0"]
    assert not any(d.value.columns[0] == "parameter" for d in at.dataframe)  # no priors table


# --- the helpers against closed forms ---------------------------------------------------------


def test_without_feedback_fixes_a_ai_at_zero_and_keeps_the_rest():
    scenario = load_scenario("takeoff_from_data")
    off = chain.without_feedback(scenario)
    assert off.parameters["A_ai"] == Fixed(0.0)
    assert off.name == "takeoff_from_data_no_feedback"
    assert off.counterfactual is None and off.check_data is False
    assert {k: v for k, v in off.parameters.items() if k != "A_ai"} == {
        k: v for k, v in scenario.parameters.items() if k != "A_ai"
    }
    with pytest.raises(Exception, match="has no \\[counterfactual\\]"):
        chain.without_feedback(off)


def test_fixed_loss_compute_halves_at_the_median_halving_time():
    """2^-(t/h) is monotone in h, so its quantiles are those of h mapped through it."""
    months = chain.draws_of("algorithmic_progress", ("compute_halving_months",))
    halving = months["compute_halving_months"] / 12.0
    t, bands = chain.fixed_loss_compute(2012.0, 2024.0, points=13)
    assert bands[0.5][0] == pytest.approx(1.0)
    for q in chain.QUANTILES:  # upper quantile of the curve = upper quantile of h
        expected = np.exp2(-(t - 2012.0) / np.quantile(halving, q))
        np.testing.assert_allclose(bands[q], expected, rtol=0.05)


def test_automation_is_half_at_the_median_of_the_prior_on_h_half():
    """a(H) > 1/2 iff H_half < H, so the median share at H = median(H_half) is 1/2."""
    scenario = load_scenario("takeoff_from_data")
    median_h_half = float(scenario.parameters["H_half"].distribution.ppf(np.array([0.5]))[0])
    bands = chain.automation_band(scenario, np.array([median_h_half / 100, median_h_half]))
    assert bands[0.5][1] == pytest.approx(0.5, abs=0.03)
    assert bands[0.5][0] < 0.5


def test_chinchilla_on_compute_is_six_n_d_of_the_bundled_runs():
    from takeoff.data import load
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits.predictive import fit_data_file

    data = chain.chinchilla_on_compute(fit_data_file(posteriors_dir() / "chinchilla.nc"))
    bundled = load("chinchilla")
    np.testing.assert_allclose(np.sort(data.x), np.sort(6 * bundled["N"] * bundled["D"]), 1e-9)
    np.testing.assert_allclose(np.sort(data.x), np.sort(bundled["C"]), rtol=1e-3)


# --- the Compare page's preset ----------------------------------------------------------------


def test_compare_preset_shows_the_loop_and_its_variants_side_by_side():
    at = page_test("compare", {"compare_draws": "1000"}, timeout=600)
    at.button(key="preset_loop").click().run()
    no_errors(at)
    assert at.multiselect(key="scenarios").value == list(chain.VARIANTS)
    fans = [t.split(":")[0] for t in chart_titles(at) if "draws, seed" in t]
    assert fans == list(chain.VARIANTS)
    overlay = _spec(at, "METR 50% task horizon: 5 scenarios")  # one axis: they share watch H
    medians = [t["name"] for t in overlay["data"] if t.get("name", "").endswith(": median")]
    assert medians == [f"{n}: median" for n in chain.VARIANTS]
    assert list(at.dataframe[0].value["scenario"]) == list(chain.VARIANTS)

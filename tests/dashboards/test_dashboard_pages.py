"""Every dashboard page under Streamlit's AppTest: it renders without an exception, moving a
control changes what it shows, the address (query parameters) restores a view, and bad input
shows a one-line error in the page, never a traceback."""

import subprocess
import sys

import numpy as np
import pytest
from dashboard_support import (
    DASHBOARD,
    DRAWS_KEY,
    chart_specs,
    chart_titles,
    draws,
    image_captions,
    metrics,
    no_errors,
    page_test,
)
from streamlit.testing.v1 import AppTest

from takeoff.forecast.loading import load_scenario
from takeoff.forecast.scenario import builtin_names
from takeoff.models import FAMILIES
from takeoff.models.fits import FITS

# --- the app and its navigation ---------------------------------------------------------------


def test_app_serves_the_overview_and_switches_pages():
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=120).run()
    no_errors(at)
    assert at.title[0].value.startswith("AI takeoff")
    at.switch_page("views/explorer_page.py").run()
    no_errors(at)
    assert any(t.startswith("power_law:") for t in chart_titles(at))


def test_draws_set_on_one_page_do_not_carry_over_to_another():
    """Each page's draws control has a key of its own (widget keys are shared by the pages of
    a session: one "draws" set to 1,000 in the explorer used to open the Forecasts page at
    1,000 and Compare at 1,000 instead of their defaults)."""
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=120).run()
    at.switch_page("views/explorer_page.py").run()
    at.select_slider(key="explorer_draws").set_value(1_000).run()
    no_errors(at)
    assert "band: 1,000 draws" in chart_titles(at)[0]
    at.switch_page("views/forecasts_page.py").run()
    no_errors(at)
    assert at.select_slider(key="forecast_draws").value == 10_000  # its default
    at.select_slider(key="forecast_draws").set_value(2_000).run()
    at.switch_page("views/compare_page.py").run()
    no_errors(at)
    assert at.select_slider(key="compare_draws").value == 5_000  # its default
    at.switch_page("views/chain_page.py").run()
    no_errors(at)
    assert at.select_slider(key="loop_draws").value == 2_000  # its default


def test_seed_set_on_one_page_does_not_carry_over_to_another():
    """Each page's seed has a key of its own, as its draws do (one "seed" set to 7 on the
    Forecasts page used to open The loop and Compare at seed 7 instead of 0)."""
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=300).run()
    at.switch_page("views/forecasts_page.py").run()
    at.select_slider(key="forecast_draws").set_value(1_000).run()
    at.slider(key="forecast_seed").set_value(7).run()
    no_errors(at)
    assert chart_titles(at)[0] == "metr_trend: 1,000 draws, seed 7"
    at.switch_page("views/compare_page.py").run()
    no_errors(at)
    assert at.number_input(key="compare_seed").value == 0  # its default
    at.number_input(key="compare_seed").set_value(3).run()
    at.switch_page("views/chain_page.py").run()
    no_errors(at)
    assert at.number_input(key="loop_seed").value == 0  # its default
    assert "takeoff_from_data: 2,000 draws, seed 0" in chart_titles(at)
    at.switch_page("views/forecasts_page.py").run()
    assert at.slider(key="forecast_seed").value == 7  # its own value, kept


def test_nothing_imports_pymc_on_page_load():
    """Every page, run in a fresh interpreter (other tests import PyMC to fit)."""
    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"views = {str(DASHBOARD / 'views')!r}\n"
        f"DRAWS_KEY = {DRAWS_KEY!r}\n"
        "for name in ('overview', 'explorer', 'fits', 'forecasts', 'chain', 'compare', 'data',\n"
        "             'track'):\n"
        "    at = AppTest.from_file(f'{views}/{name}_page.py', default_timeout=120)\n"
        "    if name in DRAWS_KEY:\n"
        "        at.query_params[DRAWS_KEY[name]] = '1000'\n"
        "    at.run()\n"
        "    assert not at.exception, (name, at.exception)\n"
        "print('pymc' in sys.modules, 'pytensor' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    assert result.stdout.split() == ["False", "False"]


# --- overview ---------------------------------------------------------------------------------


def test_overview_headline_and_featured_scenario():
    at = page_test("overview")
    no_errors(at)
    assert at.selectbox(key="featured").value == "takeoff_from_data"  # the main job's headline
    before = metrics(at)
    assert "work year: median date" in before
    # fan chart, then each kind's comparison: takeoff classes, the aifm built-ins' milestones
    titles = chart_titles(at)
    assert len(titles) == 3 and titles[1:] == [
        "Takeoff class",
        "Milestones: median date and 10-90% interval",
    ]
    # the forecasts' table under its takeoff definition first, the essays' positions after
    # every forecast; the headline's P(hard or fast) with the feedback off and across priors
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    forecasts = [i for i, t in enumerate(titles) if "Trajectory forecasts. Takeoff = METR" in t]
    essays = [i for i, t in enumerate(titles) if "Positions of the essays" in t]
    assert len(forecasts) == len(essays) == 1 and essays[0] == len(titles) - 1 > forecasts[0]
    cells = {
        r["scenario"]: r["P(hard or fast)"]
        for f in at.dataframe
        for r in f.value.to_dict("records")
        if "P(hard or fast)" in r
    }
    assert "no feedback" in cells["takeoff_from_data"]
    assert "labelled priors" in cells["takeoff_from_data"]
    at.selectbox(key="featured").set_value("foom").run()
    no_errors(at)
    after = metrics(at)
    assert "strongly superhuman: median date" in after
    assert chart_titles(at)[0].startswith("foom:")


def test_overview_presentation_mode_hides_the_controls():
    at = page_test("overview", {"present": "true"})
    no_errors(at)
    assert at.toggle(key="present").value is True
    css = " ".join(m.value for m in at.markdown)
    assert "stSidebar" in css and ".st-key-overview_controls {display: none" in css
    assert not at.dataframe  # the table is left out in presentation mode
    assert "work year: median date" in metrics(at)  # the headline's numbers stay


# --- dynamics explorer ------------------------------------------------------------------------


def test_explorer_slider_changes_the_regime_and_the_chart():
    at = page_test("explorer", {"explorer_draws": "1000"})
    no_errors(at)
    assert any("Regime: sublinear returns" in m.value for m in at.markdown)
    assert metrics(at)["t* (blow-up)"] == "none"
    title = chart_titles(at)[0]
    at.select_slider(key="power_law.alpha").set_value(1.5).run()
    no_errors(at)
    assert any("superlinear returns: finite-time singularity" in m.value for m in at.markdown)
    assert metrics(at)["t* (exact blow-up)"] == "4 yr"  # t* = I0^(1-a) / ((a-1) k) = 1/(0.5*0.5)
    assert chart_titles(at)[0] != title and "alpha = 1.5" in chart_titles(at)[0]


def test_explorer_view_is_restored_from_the_address():
    at = page_test(
        "explorer",
        {"family": "horizon", "horizon.eps": "0.1", "spread": "0", "explorer_draws": "1000"},
    )
    no_errors(at)
    assert at.selectbox(key="family").value == "horizon"
    assert at.select_slider(key="horizon.eps").value == pytest.approx(0.1)
    assert "exact blow-up" in " ".join(metrics(at))
    assert len(chart_specs(at)[0]["data"]) == 1  # spread 0: no band, one line


def test_explorer_ignores_a_bad_value_in_the_address():
    at = page_test("explorer", {"power_law.alpha": "abc", "explorer_draws": "1000"})
    no_errors(at)
    assert at.select_slider(key="power_law.alpha").value == pytest.approx(0.8)


@pytest.mark.parametrize("family", [f for f in FAMILIES if f != "power_law"])
def test_explorer_renders_every_family(family):
    at = page_test("explorer", {"family": family})  # the default band: 10,000 draws
    no_errors(at)
    assert len(chart_specs(at)) == 3  # trajectory, regime map, doubling time
    assert chart_titles(at)[0].startswith(f"{family}:")


# --- forecasts --------------------------------------------------------------------------------


def test_forecasts_seed_slider_reruns_the_forecast():
    at = page_test("forecasts", {"forecast_draws": "2000"})
    no_errors(at)
    assert chart_titles(at)[0] == "metr_trend: 2,000 draws, seed 0"
    labels = [b.label for b in at.get("download_button")]
    # the view (HTML), the scenario (TOML), the summary (CSV), the fan and the CDFs (PNG)
    assert labels == [
        "This view (HTML)",
        "Scenario (TOML)",
        "Summary (CSV)",
        "Fan (PNG)",
        "Milestones (PNG)",
    ]
    at.slider(key="forecast_seed").set_value(7).run()
    no_errors(at)
    assert chart_titles(at)[0] == "metr_trend: 2,000 draws, seed 7"


def test_forecasts_edited_toml_is_used_and_can_be_reset():
    at = page_test("forecasts", {"scenario": "foom", "forecast_draws": "1000"})
    key = "toml_foom"
    text = at.text_area(key=key).value
    assert "years = 30" in text
    at.text_area(key=key).set_value(text.replace("years = 30", "years = 10")).run()
    no_errors(at)
    assert "P(strongly superhuman by 2037)" in metrics(at)
    at.button[0].click().run()  # reset to the built-in
    assert at.text_area(key=key).value == text
    assert "P(strongly superhuman by 2057)" in metrics(at)


def test_forecasts_invalid_toml_shows_a_one_line_error():
    at = page_test("forecasts", {"forecast_draws": "1000"})
    at.text_area(key="toml_metr_trend").set_value("[scenario]\nname = 'x'\n").run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith("Invalid scenario:") and "lacks the key 'family'" in message
    assert "\n" not in message and "Traceback" not in message
    assert not chart_specs(at)


def test_forecasts_broken_toml_syntax_is_an_error_not_a_traceback():
    at = page_test("forecasts", {"forecast_draws": "1000"})
    at.text_area(key="toml_metr_trend").set_value("[scenario\nname = ").run()
    assert not at.exception
    assert len(at.error) == 1 and "Traceback" not in at.error[0].value


def test_forecasts_sensitivity_tornado_and_sobol():
    at = page_test("forecasts", {"scenario": "foom", "forecast_draws": "1000"})
    titles = chart_titles(at)
    assert any("one-at-a-time swings of takeoff_date" in t for t in titles)
    at.radio(key="output").set_value("duration").run()
    assert any("one-at-a-time swings of duration" in t for t in chart_titles(at))
    at.button(key="run_sobol").click().run()
    no_errors(at)
    assert any(t == "Sobol indices of duration" for t in chart_titles(at))


@pytest.mark.parametrize("name", [n for n in builtin_names() if n != "metr_trend"])
def test_forecasts_renders_every_builtin(name):
    at = page_test("forecasts", {"scenario": name, "forecast_draws": "1000"})
    no_errors(at)
    assert at.get("download_button")


def test_forecasts_shows_the_ai_futures_model_published_run():
    at = page_test("forecasts", {"scenario": "aifm_published", "forecast_draws": "1000"})
    no_errors(at)
    shown = metrics(at)
    assert shown["AC: date"] == "2029.8"  # the peer's default run: 2029.80
    assert shown["P(AC by 2030)"] == "100%" and shown["links from data"] == "0 of 4"
    titles = chart_titles(at)
    assert titles[0] == "aifm_published: one trajectory, seed 0: milestones"
    assert "aifm_published: one trajectory, seed 0: 80% coding time horizon" in titles
    assert "Every input of this scenario is a fixed number" in at.info[0].value
    # the view (HTML), TOML, CSV, milestone CDFs, horizon fan
    assert len(at.get("download_button")) == 5


def test_forecasts_shows_the_ai_futures_model_monte_carlo_and_its_sensitivity():
    at = page_test("forecasts", {"scenario": "aifm_fitted", "forecast_draws": "1000"})
    no_errors(at)
    shown = metrics(at)
    assert "AC: median date" in shown and "P(SIAR by 2040)" in shown
    assert shown["links from data"] == "3 of 4"
    assert chart_titles(at)[0] == "aifm_fitted: 1,000 draws, seed 0: milestones"
    assert any("one-at-a-time swings of AC_date" in t for t in chart_titles(at))
    at.radio(key="output").set_value("SIAR_date").run()
    no_errors(at)
    assert any("one-at-a-time swings of SIAR_date" in t for t in chart_titles(at))


# --- compare ----------------------------------------------------------------------------------


def test_compare_shows_scenarios_side_by_side():
    at = page_test("compare", {"compare_draws": "1000"})
    no_errors(at)
    fans = [t for t in chart_titles(at) if "draws, seed" in t]
    assert [t.split(":")[0] for t in fans] == ["foom", "keyhole", "metr_trend"]
    assert len(at.dataframe) == 1
    assert [b.label for b in at.get("download_button")] == ["This view (HTML)", "Data (CSV)"]


def test_compare_shows_the_ai_futures_model_published_and_fitted_side_by_side():
    at = page_test("compare", {"compare_draws": "1000"})
    at.multiselect(key="scenarios").set_value(["aifm_published_mc", "aifm_fitted"]).run()
    no_errors(at)
    titles = chart_titles(at)
    assert "aifm_published_mc: 1,000 draws, seed 0: milestones" in titles
    assert "aifm_fitted: 1,000 draws, seed 0: milestones" in titles
    assert "Milestones: median date and 10-90% interval" in titles  # the side-by-side figure
    compared = next(
        spec for spec in chart_specs(at) if spec["layout"]["title"]["text"].startswith("Mile")
    )
    assert [trace["name"] for trace in compared["data"]] == ["aifm_published_mc", "aifm_fitted"]
    text = " ".join(m.value for m in at.markdown)
    assert "links from data: **0 of 4**" in text and "links from data: **3 of 4**" in text
    assert len(at.dataframe) == 1  # one summary table for the aifm kind
    table = at.dataframe[0].value
    assert list(table["scenario"]) == ["aifm_published_mc", "aifm_fitted"]
    assert "AC_date_median" in table.columns and "AC_p_by_2030" in table.columns


def test_compare_needs_two_scenarios():
    at = page_test("compare", {"compare_draws": "1000"})
    at.multiselect(key="scenarios").set_value(["foom"]).run()
    no_errors(at)
    assert "at least two" in at.warning[0].value


def test_compare_uploaded_scenario_joins_and_bad_upload_is_refused():
    at = page_test("compare", {"compare_draws": "1000"})
    at.multiselect(key="scenarios").set_value(["foom"]).run()
    text = load_scenario("keyhole").text.replace('name = "keyhole"', 'name = "my_keyhole"')
    at.file_uploader(key="compare_upload").set_value(("mine.toml", text.encode(), "text/plain"))
    at.run()
    no_errors(at)
    assert [t.split(":")[0] for t in chart_titles(at) if "seed" in t] == ["foom", "my_keyhole"]
    at.file_uploader(key="compare_upload").set_value(("bad.toml", b"x = [", "text/plain")).run()
    assert not at.exception
    assert at.error[0].value.startswith("Invalid scenario file:")
    big = b"# " + b"x" * (3 * 1024 * 1024)
    at.file_uploader(key="compare_upload").set_value(("big.toml", big, "text/plain")).run()
    assert "the limit is 2 MB" in at.error[0].value


# --- fits -------------------------------------------------------------------------------------


def test_fits_shows_the_shipped_posterior_diagnostics_and_loo():
    at = page_test("fits")
    no_errors(at)
    text = " ".join(m.value for m in at.markdown)
    assert "P(eps > 0)" in text and "Divergences" in text
    assert any("posterior predictive" in t for t in chart_titles(at))
    assert any("best by LOO" in c.value for c in at.code)
    at.selectbox(key="fit").set_value("compute_trend").run()
    no_errors(at)
    assert "doubling time" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("name", list(FITS))
def test_fits_renders_every_fit_without_importing_pymc(name):
    had_pymc = "pymc" in sys.modules
    at = page_test("fits", {"fit": name})
    no_errors(at)
    assert at.file_uploader(key="fits_upload")
    if not had_pymc:
        assert "pymc" not in sys.modules


def _quantiles(name: str, var: str) -> str:
    """median [5%, 95%] of a shipped posterior's variable, as the Fits page writes them."""
    from takeoff.data.posteriors import load_posterior

    x = load_posterior(name)[var].values.reshape(-1)
    lo, mid, hi = np.quantile(x, [0.05, 0.5, 0.95])
    return f"{mid:.2g} [{lo:.2g}, {hi:.2g}]", f"{np.mean(x > 1):.3f}"


@pytest.mark.parametrize("name", ["software_returns", "software_returns_lm"])
def test_fits_returns_explain_r_and_set_the_two_data_sets_side_by_side(name):
    from takeoff.dashboards.views.fits_page import FIGURE_CAPTIONS, RETURNS_FITS

    at = page_test("fits", {"fit": name})
    no_errors(at)
    text = " ".join(m.value for m in at.markdown)
    assert "r = lambda / beta" in text and "ideas get harder to find" in text
    assert "**r > 1**" in text and "**r < 1**" in text
    table = next(d.value for d in at.dataframe if "r (median [90%])" in d.value.columns)
    assert list(table["fit"]) == list(RETURNS_FITS)  # both data sets, whichever page
    for fit_name, row in zip(table["fit"], table.itertuples(index=False), strict=True):
        interval, p_above = _quantiles(fit_name, "r")
        assert row[3] == interval and row[4] == p_above  # read from the shipped posterior
        assert f"r = {interval}, P(r > 1) = {p_above}" in text
    assert "given lambda <= 1" in text and "estimated" in text and "returns_domains" in text
    captions = image_captions(at)
    expected = ("records", "prior_posterior") if name == "software_returns" else (
        "compute_needed", "prior_posterior")  # fmt: skip
    assert [FIGURE_CAPTIONS[k] for k in expected] == captions


def test_fits_returns_domains_shows_the_forest_plot():
    from takeoff.dashboards.views.fits_page import FIGURE_CAPTIONS

    at = page_test("fits", {"fit": "returns_domains"})
    no_errors(at)
    text = " ".join(m.value for m in at.markdown)
    assert "r_population (a new software domain)" in text and "identifies the ratio" in text
    assert image_captions(at) == [FIGURE_CAPTIONS["forest"]]
    table = next(d.value for d in at.dataframe if "domain" in d.value.columns)
    assert list(table["domain"])[-1] == "a new domain (r_population)" and len(table) == 7
    interval, p_above = _quantiles("returns_domains", "r_population")
    assert table.iloc[-1]["r (median [90%])"] == interval and table.iloc[-1]["P(r > 1)"] == p_above


def test_fits_software_returns_lm_shows_inputs_and_prior_against_posterior_with_widths():
    from takeoff.plots.prior_posterior import width_ratio

    at = page_test("fits", {"fit": "software_returns_lm"})
    no_errors(at)
    assert "Research inputs and prior against posterior" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "posterior/prior 90% width" in d.value.columns)
    assert list(table["parameter"]) == ["sigma_ces", "a", "lambda", "beta", "r"]
    from takeoff.data.posteriors import load_posterior

    a = load_posterior("software_returns_lm")["a"].values.reshape(-1)
    prior = np.random.default_rng(0).beta(2.0, 2.0, 200_000)  # a's declared prior, Beta(2, 2)
    shown = float(table.set_index("parameter").loc["a", "posterior/prior 90% width"])
    assert shown == pytest.approx(width_ratio(prior, a), abs=0.02)


def test_fits_algorithmic_progress_shows_compute_needed_and_the_pair_plot():
    from takeoff.dashboards.views.fits_page import FIGURE_CAPTIONS

    at = page_test("fits", {"fit": "algorithmic_progress"})
    no_errors(at)
    assert "compute_halving_months" in " ".join(m.value for m in at.markdown)
    assert "Figures of the fit (data units)" in [s.value for s in at.subheader]
    assert image_captions(at) == [FIGURE_CAPTIONS["compute_needed"], FIGURE_CAPTIONS["pairs"]]
    # a fit without figures of its own shows none
    at.selectbox(key="fit").set_value("compute_trend").run()
    no_errors(at)
    assert image_captions(at) == []


def test_returns_story_reads_its_numbers_from_the_table():
    import pandas as pd

    from takeoff.dashboards.views.fits_page import returns_story

    table = pd.DataFrame(
        [{"fit": "software_returns_lm", "r (median [90%])": "9 [8, 10]", "P(r > 1)": "0.999"}]
    )
    story = returns_story(table)
    assert "r = 9 [8, 10], P(r > 1) = 0.999" in story
    assert "NanoGPT" not in story  # only the fits given
    assert "Read them side by side; `returns_domains` pools them" in story


def test_fits_without_shipped_posterior_says_so():
    at = page_test("fits", {"fit": "returns_curve"})
    no_errors(at)
    assert "No posterior of returns_curve ships" in at.info[0].value


def test_fits_bad_uploads_show_errors():
    at = page_test("fits", {"fit": "compute_trend"})
    upload = at.file_uploader(key="fits_upload")
    upload.set_value(("bad.csv", b"a,b\n1,2,3\n", "text/csv")).run()
    assert not at.exception
    assert "has 3 fields but the header has 2" in at.error[0].value
    big = b"date,y\n" + b"2020-01-01,1\n" * 200_000
    at.file_uploader(key="fits_upload").set_value(("big.csv", big, "text/csv")).run()
    assert "the limit is 2 MB" in at.error[0].value
    odd = b"when,flop\nyesterday,1e20\n2021-01-01,2e20\n2022-01-01,4e20\n2023-01-01,8e20\n"
    at.file_uploader(key="fits_upload").set_value(("odd.csv", odd, "text/csv")).run()
    assert "not a date" in at.error[0].value and "odd.csv" in at.error[0].value
    assert "/tmp" not in at.error[0].value  # the message names the upload, not a temp file


def test_fits_uploaded_csv_is_validated_mapped_and_fitted():
    rows = [
        f"{2012 + i // 12}-{i % 12 + 1:02d}-15,{10 ** (18 + 0.05 * i) * (1.5 if i % 3 else 0.7)}"
        for i in range(40)
    ]
    csv = ("release,flop\n" + "\n".join(rows)).encode()
    at = page_test("fits", {"fit": "compute_trend"})
    at.file_uploader(key="fits_upload").set_value(("mine.csv", csv, "text/csv")).run()
    assert at.selectbox(key="map.compute_trend.date").value == "release"
    assert at.selectbox(key="map.compute_trend.y").value == "flop"
    no_errors(at)
    assert at.success[0].value == "40 valid rows in mine.csv."
    at.select_slider(key="fit_draws").set_value(100).run()
    at.button(key="run_fit").click().run()
    no_errors(at)
    assert at.get("status")  # the progress indicator
    text = " ".join(m.value for m in at.markdown)
    assert "Your fit: compute_trend on mine.csv" in text and "doubling time" in text
    assert any("posterior predictive" in t for t in chart_titles(at))


# --- data -------------------------------------------------------------------------------------


def test_data_every_dataset_with_provenance():
    from takeoff.data import DATASETS, provenance

    at = page_test("data")
    for name in DATASETS:
        at.selectbox(key="dataset").set_value(name).run()
        no_errors(at)
        assert at.title[0].value == DATASETS[name].title
        first_line = provenance(name).strip().splitlines()[0].lstrip("# ")
        assert any(first_line in m.value for m in at.markdown)


def test_data_axis_choice_changes_the_chart():
    at = page_test("data", {"dataset": "roodman_gwp"})
    assert chart_titles(at)[0] == "roodman_gwp: gwp vs year"
    at.selectbox(key="roodman_gwp.y").set_value("population").run()
    no_errors(at)
    assert chart_titles(at)[0] == "roodman_gwp: population vs year"
    assert chart_specs(at)[0]["layout"]["yaxis"]["type"] == "log"


def test_forecast_downloads_are_a_png_figure_and_a_csv():
    """What the Forecasts page's download buttons produce (built when clicked)."""
    from takeoff.dashboards.page_tools import png_bytes
    from takeoff.forecast import forecast, summary_table
    from takeoff.plots import static as plots

    summary = forecast("foom", draws=1000).summary
    for fig in (plots.fan_chart(summary), plots.milestone_cdfs(summary)):
        assert png_bytes(fig).startswith(b"\x89PNG\r\n\x1a\n")
    csv = summary_table([summary]).to_csv(index=False)
    assert csv.startswith("scenario,family,draws") and "foom" in csv


# --- for an audience --------------------------------------------------------------------------

PAGES = ("overview", "explorer", "fits", "forecasts", "chain", "compare", "data")


@pytest.mark.parametrize("name", PAGES)
def test_presentation_mode_hides_every_control_on_every_page(name):
    from takeoff.dashboards.page_tools import CONTROL_IDS

    at = page_test(name, {"present": "true", **draws(name, 1000)})
    no_errors(at)
    assert at.toggle(key="present").value is True
    css = " ".join(m.value for m in at.markdown)
    assert '[data-testid="stSidebar"]' in css  # the sidebar and the header with its toolbar
    for control in CONTROL_IDS:
        assert f'.stElementContainer:has([data-testid="{control}"])' in css
    assert "leave presentation mode" in css and "present=false" in css
    assert not at.get("download_button")  # downloads are for the presenter, not the room
    assert chart_specs(at)  # the view itself stays


@pytest.mark.parametrize("name", PAGES)
def test_every_page_downloads_its_view_as_html_and_its_data(name):
    at = page_test(name, draws(name, 1000))
    no_errors(at)
    labels = [b.label for b in at.get("download_button")]
    assert "This view (HTML)" in labels
    assert any("CSV" in label for label in labels), labels


def test_a_downloaded_view_is_self_contained_html():
    from plotly.offline import get_plotlyjs

    from takeoff.dashboards.page_tools import view_html
    from takeoff.forecast import forecast
    from takeoff.plots import interactive
    from takeoff.plots.blocks import Figure, Text

    summary = forecast("foom", draws=500).summary
    html = view_html("foom", [Text("a view"), Figure(interactive.fan_chart(summary))])
    assert html.startswith("<!DOCTYPE html>") and html.count(get_plotlyjs()[:1000]) == 1
    rest = html.replace(get_plotlyjs(), "")
    assert "<script src" not in rest and 'data-figure="fig-1"' in rest and "a view" in rest


def test_fits_show_the_posterior_predictive_in_data_units():
    at = page_test("fits")  # horizon_dynamics
    spec = next(
        s for s in chart_specs(at) if "posterior predictive" in s["layout"]["title"]["text"]
    )
    assert spec["layout"]["xaxis"]["title"]["text"] == "release date [decimal year]"
    assert spec["layout"]["yaxis"]["title"]["text"] == "50% task time horizon"
    assert spec["layout"]["yaxis"]["type"] == "log" and "8 h" in spec["layout"]["yaxis"]["ticktext"]
    at.selectbox(key="fit").set_value("compute_trend").run()
    spec = next(
        s for s in chart_specs(at) if "posterior predictive" in s["layout"]["title"]["text"]
    )
    assert spec["layout"]["yaxis"]["title"]["text"] == "training compute [FLOP]"
    assert spec["layout"]["yaxis"]["type"] == "log"


def test_the_forecast_fan_shows_the_data_behind_it():
    at = page_test("forecasts", {"forecast_draws": "1000"})  # metr_trend
    names = [t.get("name", "") for t in chart_specs(at)[0]["data"]]
    assert "observed: metr_horizons (fitted by horizon_dynamics)" in names


def test_viewers_get_no_developer_toolbar():
    import tomllib

    config = tomllib.loads((DASHBOARD / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"

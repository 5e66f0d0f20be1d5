"""The headline (issue 25): one takeoff definition for every forecast row, stated in the title;
the essays' abstract-unit scenarios in a table of their own after the forecasts, chosen by what
each scenario file declares; metr_trend's singularity labelled as its functional form; and
beside the headline's P(hard or fast) its value without the feedback and its range across the
labelled priors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from takeoff.errors import TakeoffError
from takeoff.forecast import forecast
from takeoff.forecast.kinds import headline_tables, long_table
from takeoff.forecast.kinds.trajectory.headline import (
    FORECASTS,
    ILLUSTRATIONS,
    hard_or_fast_cell,
    p_hard_or_fast,
    takeoff_span,
)
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.prior_range import QUANTILES, labelled_priors, prior_range
from takeoff.forecast.scenario import builtin_names, main_job_names

ESSAYS = {
    "foom",
    "keyhole",
    "compute_feedback",
    "data_wall",
    "continual_learning",
    "software_explosion",
}
DRAWS = 300


@pytest.fixture(scope="module")
def summaries():
    names = [n for n in main_job_names() if load_scenario(n).kind == "trajectory"]
    names += ["sie_published"]  # a forecast of another kind: its table comes before the essays
    return {n: forecast(n, draws=DRAWS, seed=0).summary for n in names}


@pytest.fixture(scope="module")
def tables(summaries):
    return headline_tables(list(summaries.values()))


def _names(table) -> list[str]:
    return [row[0] for row in table.rows]


def test_illustration_is_what_the_scenario_file_declares():
    declared = {n for n in builtin_names() if load_scenario(n).illustration}
    assert declared == ESSAYS
    for name in ESSAYS:  # each is in abstract units, human level put at 2027 by assumption
        sc = load_scenario(name)
        assert sc.start == 2027.0 and dict(sc.milestones)["human_level"] == 1.0


def test_the_forecasts_come_first_and_the_essays_last_in_a_table_of_their_own(tables):
    assert tables[0].title.startswith(FORECASTS)
    assert tables[-1].title == ILLUSTRATIONS
    assert sum(t.title == ILLUSTRATIONS for t in tables) == 1
    assert set(_names(tables[-1])) == ESSAYS
    for table in tables[:-1]:  # an illustration never appears among the forecasts
        assert not set(_names(table)) & ESSAYS
    assert "not forecasts" in tables[-1].note


def test_every_forecast_row_shares_one_takeoff_span_stated_in_the_title(tables, summaries):
    first = tables[0]
    spans = {takeoff_span(summaries[n]) for n in _names(first)}
    assert len(spans) == 1
    (span,) = spans
    assert (span.quantity, span.unit) == ("H", "minutes")
    assert span.start == ("work_month", 10_000.0) and span.end == ("work_year", 120_000.0)
    assert first.title == (
        "Trajectory forecasts. Takeoff = METR 50% task horizon from 167 h (work month) to "
        "2,000 h (work year): hard < 30 days, fast < 1 year, moderate 1-10 years, slow > 10 years"
    )
    assert "goes from 167 h (work month) to 2,000 h (work year) in under 30 days" in first.note
    horizon_based = {n for n, s in summaries.items() if s.attrs.get("watch") == "H"}
    assert horizon_based == set(_names(first))
    assert {"metr_trend", "metr_trend_exponential", "loss_to_horizon"} <= horizon_based


def test_the_essays_rows_say_where_a_number_restates_an_input(tables):
    rows = {row[0]: row for row in tables[-1].rows}
    assert "alpha ~ U(1, 2)" in rows["foom"][-1] and "median singularity" in rows["foom"][-1]
    assert "alpha = 2 - 1/gamma" in rows["keyhole"][-1] and "< 0" in rows["keyhole"][-1]
    assert "placed at 2027 by assumption" in tables[-1].note


def test_a_user_scenario_declares_itself_an_illustration(tmp_path):
    text = load_scenario("foom").text
    assert parse_scenario(text, where="foom.toml").illustration
    plain = text.replace("illustration = true", "illustration = false")
    assert not parse_scenario(plain, where="mine.toml").illustration
    bad = text.replace("illustration = true", 'illustration = "yes"')
    with pytest.raises(TakeoffError, match=r"scenario\.illustration \(line \d+\): must be true"):
        parse_scenario(bad, where="mine.toml")


# --- metr_trend: its singularity is its functional form -----------------------------------------


@pytest.fixture(scope="module")
def metr_draws():
    return forecast("metr_trend", draws=2_000, seed=4, keep_draws=True)


def test_metr_trend_singularity_is_t_star_on_every_draw(metr_draws):
    d, start = metr_draws.draws, metr_draws.scenario.start
    eps, T0 = d["eps"].values, d["T0"].values
    assert np.allclose(d["initial_H"].values, d["H0"].values)  # the start is the fit's H0
    t_star = T0 / (eps * math.log(2.0))
    within = (eps > 0) & (t_star <= metr_draws.scenario.years)
    assert within.mean() > 0.99
    assert np.allclose(d["singularity_date"].values[within] - start, t_star[within], rtol=1e-6)
    assert np.isinf(d["singularity_date"].values[~within]).all()


@settings(max_examples=25, deadline=None)
@given(
    T0=st.floats(0.1, 2.0),
    eps=st.floats(0.02, 1.0),
    H0=st.floats(1.0, 1e3),
)
def test_any_positive_eps_blows_up_at_t_star(T0, eps, H0):
    """The horizon family from H = H0: the blow-up is T0 / (eps ln 2) after the start, whatever
    the numbers (the label the headline gives metr_trend's singularity)."""
    from takeoff.models.registry import get_family

    family = get_family("horizon")
    p = {"T0": np.array([T0]), "H0": np.array([H0]), "eps": np.array([eps])}
    t = family.blowup_time(np.log(np.array([[H0]])), p)
    assert float(t[0]) == pytest.approx(T0 / (eps * math.log(2.0)), rel=1e-9)


def test_metr_trend_row_labels_its_singularity_and_the_variant_has_none(tables, summaries):
    rows = {row[0]: row for row in tables[0].rows}
    note = rows["metr_trend"][-1]
    assert "functional form" in note and "t* = T0 / (eps ln 2)" in note
    median = float(summaries["metr_trend"]["singularity_date"].sel(quantile=0.5))
    assert f"median singularity {median:.1f}" in note
    assert float(summaries["metr_trend_exponential"]["p_singularity"]) == 0
    assert rows["metr_trend_exponential"][7] == "0%"
    assert "metr_trend_exponential" in load_scenario("metr_trend").rationale


# --- beside the headline number: without the feedback, across the labelled priors --------------


def test_headline_cell_shows_the_counterfactual_and_the_prior_range(summaries, tables):
    s = summaries["takeoff_from_data"]
    cf = s["counterfactual_class_probability"]
    assert float(cf.sum()) == pytest.approx(1.0)
    cell = dict((row[0], row[6]) for row in tables[0].rows)["takeoff_from_data"]
    assert cell == hard_or_fast_cell(s)
    assert "(no feedback " in cell and "; labelled priors " in cell
    assert "10th and at its 90th percentile" in tables[0].note
    assert f"({DRAWS:,} draws each)" in tables[0].note
    # only the headline asks for the range: its variants show the counterfactual alone
    variant = dict((row[0], row[6]) for row in tables[0].rows)["takeoff_from_data_overhang"]
    assert "no feedback" in variant and "labelled priors" not in variant


def test_the_prior_range_contains_the_headline_value(summaries):
    s = summaries["takeoff_from_data"]
    p = s["prior_fixed_p_hard_or_fast"].values
    headline = p_hard_or_fast(s)
    # at no more than MAX_DRAWS draws the runs take the forecast's own draws: nothing fixed
    # gives the forecast's number exactly
    assert s.attrs["prior_range_draws"] == DRAWS
    assert s.attrs["prior_range_base"] == pytest.approx(headline, abs=1e-12)
    assert p.min() <= headline <= p.max()
    assert list(s["prior_input"].values) == labelled_priors(load_scenario("takeoff_from_data"))


def test_prior_range_fixes_each_labelled_prior_at_its_quantiles():
    sc = load_scenario("takeoff_from_data")
    assert set(labelled_priors(sc)) == {"S_max", "H_half", "w", "rho", "g_I", "A_ai"}
    result = prior_range(sc, draws=200, seed=2)
    a_ai = result.inputs.index("A_ai")  # log-uniform from 0.1 to 10
    assert result.values[a_ai] == pytest.approx([10 ** (-1 + 2 * q) for q in QUANTILES])
    rho = result.inputs.index("rho")  # uniform from 0 to 1
    assert result.values[rho] == pytest.approx(list(QUANTILES))
    assert result.p[a_ai, 1] > result.p[a_ai, 0]  # more AI labour, a faster takeoff
    assert result.low <= result.base <= result.high


def test_summary_csv_has_the_new_quantities(summaries):
    table = long_table([summaries["takeoff_from_data"], summaries["foom"]])
    mine = table[table["scenario"] == "takeoff_from_data"].set_index("quantity")
    s = summaries["takeoff_from_data"]
    span = "work_month -> work_year"
    for c in ("hard", "fast", "moderate", "slow", "not_reached"):
        row = mine.loc[f"counterfactual_p_{c}"]
        assert row["milestone"] == span
        cls = c.replace("_", " ")
        assert row["value"] == float(s["counterfactual_class_probability"].sel(takeoff_class=cls))
    assert mine.loc["p_hard_or_fast", "value"] == pytest.approx(p_hard_or_fast(s))
    low, high = mine.loc["p_hard_or_fast_prior_min", "value"], mine.loc["p_hard_or_fast_prior_max"]
    assert low == s["prior_fixed_p_hard_or_fast"].values.min()
    assert high["value"] == s["prior_fixed_p_hard_or_fast"].values.max()
    assert mine.loc["prior_range_draws", "value"] == DRAWS
    foom = set(table[table["scenario"] == "foom"]["quantity"])
    assert "p_hard_or_fast" in foom and not any(q.startswith(("prior", "counter")) for q in foom)

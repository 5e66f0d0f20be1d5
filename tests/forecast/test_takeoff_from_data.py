"""takeoff_from_data: every link drawn from a shipped posterior or a labelled prior with its
reason, the links reproducing their fits at the start date, variants written as what they
change, the no-feedback counterfactual equal to its own run, the data-period check, and the
loop backtest's plumbing."""

import math
import textwrap

import numpy as np
import pytest

from takeoff.data.posteriors import load_posterior
from takeoff.errors import TakeoffError
from takeoff.forecast import forecast
from takeoff.forecast.kinds.trajectory.data_check import data_period_check
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.provenance import comment_reasons
from takeoff.forecast.scenario import main_job_names
from takeoff.forecast.sources import Fixed, FromDistribution, FromPosterior
from takeoff.models import research_loop, solve
from takeoff.models.fits.exports import family_draws, resolve, spec_of

NAME = "takeoff_from_data"
VARIANTS = ("compute_slowdown", "data_wall", "continual_learning", "overhang")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(NAME)


def test_every_input_is_a_posterior_or_a_labelled_assumption(scenario):
    family = research_loop.RESEARCH_LOOP
    readout = spec_of(load_posterior("effective_readout")).family
    for key in family.parameter_names:
        src = scenario.parameters.get(key)
        if key in readout.parameters:  # fitted links: from the read-out's posterior
            assert isinstance(src, FromPosterior) and src.source == "effective_readout", key
        elif key in ("beta", "lambda", "g_L"):
            assert isinstance(src, FromPosterior) and src.source == "software_returns_lm", key
        if isinstance(src, FromDistribution | Fixed):  # assumptions carry their reason
            assert len(scenario.reasons.get(key, "")) > 20, key
    for key in ("S_max", "H_half", "w", "rho", "A_ai"):
        assert isinstance(scenario.parameters[key], FromDistribution)


def test_the_links_reproduce_their_fits_at_the_start(scenario):
    """At the start the loop's horizon, compute, loss and software growth are the fits' own."""
    posterior = load_posterior("effective_readout")
    spec = spec_of(posterior)
    params, _, start = family_draws(posterior, spec, scenario.start)
    assert start == scenario.start
    # the read-out's own law at the start: ln H is a line in the date whose slope changes from
    # kappa gamma to kappa e^r gamma (times effective growth) at the change date
    from takeoff.models.readout import ramp

    names = ["H_ref_minutes", "kappa", "gamma", "effective_slope", "log_kappa_ratio"]
    own = resolve(posterior, [*names, "change_date"], "effective_readout")
    t_ref = float(posterior.attrs["const_t_ref"])
    x = own["effective_slope"] * math.log(10) * (scenario.start - t_ref)
    x_c = own["effective_slope"] * math.log(10) * (own["change_date"] - t_ref)
    h = own["kappa"] * own["gamma"]
    dh = h * np.expm1(own["log_kappa_ratio"])
    want_h = own["H_ref_minutes"] * np.exp(h * x + dh * (ramp(x - x_c) - ramp(-x_c)))
    ds = solve("research_loop", {**params, "A_ai": 1.0}, t=np.array([0.0, 0.5]))
    np.testing.assert_allclose(ds["H"].values[:, 0], want_h, rtol=1e-6)
    np.testing.assert_allclose(ds["E"].values[:, 0], params["C0"], rtol=1e-12)
    np.testing.assert_allclose(ds["software_rate"].values[:, 0], params["g_S"], rtol=1e-9)
    # the compute the loop starts from is the compute trend's at the start date
    trend = load_posterior("compute_trend")
    level, slope = (trend[v].values.reshape(-1) for v in ("level", "slope"))
    at_start = level + slope * (scenario.start - float(trend.attrs["const_t_ref"]))
    assert np.median(np.log10(params["C0"])) == pytest.approx(np.median(at_start), abs=0.1)


def test_the_counterfactual_is_the_same_draws_with_ai_labour_off(scenario):
    text = scenario.text.split("[counterfactual]")[0].replace(
        "check_data = true", "check_data = false"
    )
    prior = 'A_ai = { dist = "loguniform", low = 0.1, high = 10.0 }'
    assert prior in text
    plain = parse_scenario(text, "plain.toml")
    # the same prior times 0: the same draws of everything (one copula), A_ai = 0
    zero = 'A_ai = { dist = "loguniform", low = 0.1, high = 10.0, scale = 0.0 }'
    off = parse_scenario(text.replace(prior, zero), "off.toml")
    both = forecast(scenario, draws=400, seed=3).summary
    # the counterfactual's dates are those of the scenario run with A_ai = 0 on the same draws
    np.testing.assert_allclose(
        both["counterfactual_milestone_date"].values,
        forecast(off, draws=400, seed=3).summary["milestone_date"].values,
    )
    np.testing.assert_allclose(
        both["milestone_date"].values,
        forecast(plain, draws=400, seed=3).summary["milestone_date"].values,
    )


def test_it_prints_where_each_input_comes_from_and_the_feedback_effect(scenario):
    from takeoff.forecast import format_summary

    text = format_summary(forecast(scenario, draws=400, seed=1).summary)
    assert "where each input comes from:" in text
    assert "H_half = lognormal(mu=9.21, sigma=1.5)  (half of AI-research tasks" in text
    assert "beta = posterior software_returns_lm:beta" in text
    assert "counterfactual no_feedback" in text and "pulled forward" in text
    assert "data-period check (effective_readout, " in text


def test_milestone_dates_come_out_of_the_model(scenario):
    s = forecast(scenario, draws=1000, seed=0).summary
    for m in ("work_month", "work_year", "ai_research_half_automated"):
        median = float(s["milestone_date"].sel(milestone=m, quantile=0.5))
        assert scenario.start < median < scenario.start + scenario.years, m


def test_the_main_job_starts_with_the_loop_and_its_variants():
    names = main_job_names()
    assert names[:5] == [NAME, *sorted(f"{NAME}_{v}" for v in VARIANTS)]


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_are_the_loop_with_their_change(scenario, variant):
    v = load_scenario(f"{NAME}_{variant}")
    assert v.family == scenario.family and v.start == scenario.start
    assert v.parameters == scenario.parameters and v.milestones == scenario.milestones
    assert v.counterfactual == scenario.counterfactual
    assert v.switch_at is not None and (v.switch_parameters or v.switch_jumps)
    assert v.reasons["H_half"] == scenario.reasons["H_half"]  # the parent's reasons carry over


def test_a_variant_changes_what_it_says():
    wall = forecast(f"{NAME}_data_wall", draws=600, seed=0).summary
    base = forecast(NAME, draws=600, seed=0).summary
    q = {"milestone": "work_year", "quantile": 0.5}
    assert float(wall["milestone_date"].sel(q)) > float(base["milestone_date"].sel(q))


def test_extends_needs_a_built_in():
    text = '[scenario]\nextends = "no_such"\nname = "x"\n'
    with pytest.raises(TakeoffError, match="extends"):
        parse_scenario(text, "x.toml")


def test_comment_reasons():
    text = textwrap.dedent(
        '''
        [scenario]
        rationale = """
        a = 1  # not a key: inside a string
        """
        [parameters]
        # header of a group

        # rho: why rho
        # and more
        rho = 0.5
        k = { dist = "uniform", low = 0, high = 1 }  # k: inline # with a hash
        plain = 2.0
        [switch.parameters]
        g = 1.0  # later
        '''
    )
    reasons = comment_reasons(text)
    assert reasons == {"rho": "why rho and more", "k": "inline # with a hash", "switch.g": "later"}


def test_the_data_period_check_scores_the_loop_on_the_metr_data(scenario):
    check = data_period_check(scenario, draws=500, seed=0)
    metr = load_posterior("effective_readout")
    assert len(check.points) == metr.attrs.get("n_obs", len(check.points))
    assert check.start == pytest.approx(float(check.points["date"].min()))
    assert 0.0 <= check.coverage50 <= check.coverage90 <= 1.0
    inside = (check.points["lo90"] <= check.points["observed"]) & (
        check.points["observed"] <= check.points["hi90"]
    )
    assert check.coverage90 == pytest.approx(inside.mean())


def test_backdated_balanced_growth_without_ai_is_the_read_out_line():
    """With AI labour off and balanced growth the loop run from years back along its links is
    the read-out's straight line in ln H exactly (the data-period check's machinery)."""
    g_S, g_L, lam, g_C, kappa, gamma = 0.7, 0.3, 0.8, 1.5, 3.5, 0.17
    p = {"A_ai": 0.0, "g_S": g_S, "g_L": g_L, "lambda": lam, "beta": lam * g_L / g_S,
         "g_C": g_C, "kappa": kappa, "gamma": gamma, "H0": 200.0, "C0": 4e26}  # fmt: skip
    from takeoff.models.family import resolve_parameters

    params = resolve_parameters(research_loop.RESEARCH_LOOP, p, 3)
    back, log_s = research_loop.backdated(params, 6.0)
    t = np.linspace(0.0, 6.0, 25)
    ds = solve("research_loop", back, {"S": np.exp(log_s)}, t)
    want = math.log(200.0) + kappa * gamma * (g_C + g_S) * (t - 6.0)
    np.testing.assert_allclose(np.log(ds["H"].values[0]), want, rtol=0, atol=1e-6)


def test_backdated_loop_with_a_changed_read_out_is_the_changed_line():
    """The same with the read-out's exponent changing at E_change: the loop's ln H is
    readout.log_horizon_changed along ln E = ln E0 + (g_C + g_S) t exactly."""
    from takeoff.models.family import resolve_parameters
    from takeoff.models.readout import log_horizon_changed

    g_S, g_L, lam, g_C, kappa, gamma, dk = 0.7, 0.3, 0.8, 1.5, 3.5, 0.17, 4.0
    e_change = 4e26 * math.exp(-3.0)  # three years before the start on the trend
    p = {"A_ai": 0.0, "g_S": g_S, "g_L": g_L, "lambda": lam, "beta": lam * g_L / g_S,
         "g_C": g_C, "kappa": kappa, "gamma": gamma, "H0": 200.0, "C0": 4e26,
         "dkappa": dk, "E_change": e_change}  # fmt: skip
    params = resolve_parameters(research_loop.RESEARCH_LOOP, p, 3)
    back, log_s = research_loop.backdated(params, 6.0)
    t = np.linspace(0.0, 6.0, 25)
    ds = solve("research_loop", back, {"S": np.exp(log_s)}, t)
    x = (g_C + g_S) * (t - 6.0)
    want = log_horizon_changed(
        x, 0.0, math.log(200.0), kappa * gamma, dk * gamma, math.log(e_change / 4e26)
    )
    np.testing.assert_allclose(np.log(ds["H"].values[0]), want, rtol=0, atol=1e-6)
    assert np.ptp(np.diff(want)) > 0.1  # the change is in the window: the line bends


def test_recent_coverage_is_the_share_of_the_latest_points_inside():
    import pandas as pd

    from takeoff.forecast.kinds.trajectory.data_check import recent_coverage

    dates = np.arange(20.0)[::-1]  # given newest first: sorted by date before taking the last
    in50 = dates >= 16  # the last 12 are dates 8..19: 4 inside the 50% interval
    in90 = dates >= 10  # 10 of them inside the 90% interval
    points = pd.DataFrame({"date": dates, "in50": in50, "in90": in90})
    assert recent_coverage(points) == (pytest.approx(4 / 12), pytest.approx(10 / 12), 12)
    assert recent_coverage(points.head(5), n=12)[2] == 5  # fewer than 12: all of them

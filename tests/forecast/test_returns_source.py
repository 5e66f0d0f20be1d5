"""One r everywhere: every built-in forecast that takes returns to research draws them from the
same posterior (software_returns_lm, the LM path with compute in R), and its printed summary says
which r it uses and where it comes from (issue 23, Deliver 4)."""

import numpy as np
import pytest

from takeoff.data.posteriors import load_posterior
from takeoff.forecast import format_summary
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.monte_carlo import forecast
from takeoff.forecast.returns_source import returns_statement
from takeoff.forecast.scenario import builtin_names
from takeoff.forecast.sources import FromDistribution, FromPosterior
from takeoff.models.distributions import Distribution

TAKES_RETURNS = {
    "takeoff_from_data",
    "takeoff_from_data_compute_slowdown",
    "takeoff_from_data_continual_learning",
    "takeoff_from_data_data_wall",
    "takeoff_from_data_overhang",
    "software_explosion",
    "sie_fitted",
}
PUBLISHED = {"sie_published"}  # the peer as published: its r0 is its published prior


def _lm_r():
    post = load_posterior("software_returns_lm")
    return (post["lambda"].values / post["beta"].values).reshape(-1)


def _summary(r):
    lo, mid, hi = np.quantile(r, [0.05, 0.5, 0.95])
    return f"{mid:.3g} [90%: {lo:.3g} to {hi:.3g}], P(r > 1) = {np.mean(r > 1):.2f}"


def test_every_forecast_with_returns_draws_them_from_the_lm_posterior():
    """The scenarios with returns to research are exactly the AI-software ones; each draws beta
    and lambda (or r) from software_returns_lm, the one source; none keeps a private r."""
    with_returns = {}
    for name in builtin_names():
        line = returns_statement(load_scenario(name).all_sources())
        if line is not None:
            with_returns[name] = line
    assert set(with_returns) == TAKES_RETURNS | PUBLISHED
    expected = _summary(_lm_r())
    for name in TAKES_RETURNS:
        line = with_returns[name]
        assert line.startswith("returns to research: r"), line
        assert f"= {expected}, from software_returns_lm: the language-model path" in line, line
        assert "CES of human labour L_HUMAN and experiment compute" in line
    assert "a prior (not a posterior of takeoff's fits)" in with_returns["sie_published"]


def test_every_returns_scenario_says_where_its_r_comes_from_in_its_file():
    for name in TAKES_RETURNS:
        text = load_scenario(name).text
        assert "software_returns_lm" in text, name
    for name in ("foom", "keyhole"):
        assert "ILLUSTRATION of the essay, not a" in load_scenario(name).text
    assert "a fitted r would over-determine" in load_scenario("aifm_fitted").text


def test_r_population_and_a_prior_and_unpaired_returns_are_stated():
    post = load_posterior("returns_domains")
    line = returns_statement({"r0": FromPosterior("returns_domains", "r_population")})
    assert line == (
        f"returns to research: r0 = r_population = {_summary(post['r_population'].values.ravel())}"
        ", from returns_domains: r_population, the predictive r of a new software domain "
        "(pooled over CV + DL, SAT, LP, Atari (RL), language models, NanoGPT speedrun)"
    )
    prior = FromDistribution(Distribution("loguniform", low=0.4, high=3.6))
    assert returns_statement({"r0": prior}) == (
        "returns to research: r0 = loguniform(low=0.4, high=3.6), a prior (not a posterior of "
        "takeoff's fits)"
    )
    mixed = {"beta": FromPosterior("software_returns_lm", "beta"), "lambda": prior}
    assert "(not drawn jointly from one posterior)" in returns_statement(mixed)
    assert returns_statement({"k": prior}) is None


@pytest.mark.parametrize("name", ["software_explosion", "sie_fitted"])
def test_the_printed_forecast_says_which_r_it_uses(name):
    summary = forecast(name, draws=300, seed=0).summary
    text = format_summary(summary)
    line = f"   returns to research: {'r0 = r' if name == 'sie_fitted' else 'r = lambda / beta'}"
    assert f"{line} = {_summary(_lm_r())}, from software_returns_lm" in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("   returns to research: "))
    if name == "sie_fitted":  # right after the parameters and their sources
        assert lines[at - 1].startswith("   parameters: ")
    else:  # right before where each input comes from
        assert lines[at + 1] == "   where each input comes from:"


def test_the_aifm_summary_says_its_r_is_the_peers():
    from takeoff.forecast.kinds.aifm.presentation import returns_line

    fitted = returns_line({"from_data": "software progress rate at 2023 <- algorithmic_progress"})
    assert fitted == (
        "returns to research: the AI Futures Model's own r, not a posterior of takeoff's fits: "
        "the model derives r from the software rate at 2023 (link software_rate), here "
        "algorithmic_progress's fitted rate; a fitted r (software_returns_lm) would "
        "over-determine it"
    )
    assert "the published prior of that rate" in returns_line({"from_data": "none"})

"""The report's returns-to-research section (issue 23, Deliver 5): r per domain as a forest plot
with the population band and r = 1 marked, the LM fit's research inputs, prior against
posterior with the ratio of 90% widths; and the generic prior-against-posterior helper held to
closed forms."""

import numpy as np
import pytest

from takeoff.data.posteriors import load_posterior
from takeoff.plots.blocks import Figure, TableBlock, Text
from takeoff.plots.prior_posterior import (
    prior_posterior_chart,
    prior_posterior_table,
    verdict,
    width_ratio,
)
from takeoff.report.returns_section import returns_section

DOMAINS = ["CV + DL", "SAT", "LP", "Atari (RL)", "language models", "NanoGPT speedrun"]


def test_width_ratio_against_closed_forms():
    """Normal prior sd 1, posterior sd 0.4: ratio 0.4; log-normal sigma 1 and 0.25 on the log
    scale: 0.25 (200,000 draws: within 0.01)."""
    rng = np.random.default_rng(0)
    prior, post = rng.normal(0, 1, 200_000), rng.normal(3, 0.4, 200_000)
    assert width_ratio(prior, post) == pytest.approx(0.4, abs=0.01)
    lp, lq = rng.lognormal(0, 1, 200_000), rng.lognormal(1, 0.25, 200_000)
    assert width_ratio(lp, lq, log=True) == pytest.approx(0.25, abs=0.01)
    assert width_ratio(lp, lp, log=True) == pytest.approx(1.0)
    assert [verdict(x) for x in (0.3, 0.7, 0.95)] == [
        "identified",
        "weakly identified",
        "not identified: a labelled prior",
    ]


def test_prior_posterior_helper_is_generic():
    rng = np.random.default_rng(1)
    priors = {"k": rng.lognormal(0, 1, 5000), "x": rng.normal(0, 1, 5000)}
    posts = {"k": rng.lognormal(0, 0.1, 5000), "x": rng.normal(0, 1, 5000)}
    fig = prior_posterior_chart(priors, posts, log=("k",), marks={"k": 1.0}, title="t")
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0].startswith("k<br>width ratio 0.1") and titles[1].startswith("x<br>")
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "linear"
    assert len(fig.data) == 4  # prior and posterior per panel
    table = prior_posterior_table(priors, posts, log=("k",))
    assert [r[0] for r in table.rows] == ["k", "x"]
    assert table.rows[0][3].endswith("(log scale)") and table.rows[0][4] == "identified"
    assert table.rows[1][4] == "not identified: a labelled prior"


@pytest.fixture(scope="module")
def section():
    return returns_section()


def test_the_section_states_the_forecasts_r_and_its_source(section):
    texts = [b.text for b in section.blocks if isinstance(b, Text)]
    post = load_posterior("software_returns_lm")
    r = (post["lambda"].values / post["beta"].values).ravel()
    assert any(
        t.startswith(f"The forecasts' returns to research: r = lambda / beta = {np.median(r):.3g}")
        and "from software_returns_lm" in t
        for t in texts
    )


def test_forest_plot_has_every_domain_the_population_band_and_r_equals_one(section):
    figures = {b.name: b.figure for b in section.blocks if isinstance(b, Figure)}
    assert list(figures) == ["returns_forest", "returns_lm_inputs", "returns_lm_prior_posterior"]
    forest = figures["returns_forest"]
    assert list(forest.layout.yaxis.categoryarray) == [*DOMAINS, "a new domain (population)"][::-1]
    assert forest.layout.xaxis.type == "log"
    shapes = forest.layout.shapes
    assert any(s.x0 == 1.0 and s.x1 == 1.0 for s in shapes)  # r = 1
    population = load_posterior("returns_domains")["r_population"].values.ravel()
    q = np.quantile(population, [0.05, 0.95])
    assert any(s.x0 == pytest.approx(q[0]) and s.x1 == pytest.approx(q[1]) for s in shapes)
    table = next(b.table for b in section.blocks if isinstance(b, TableBlock))
    assert [r[0] for r in table.rows] == [*DOMAINS, "a new domain (r_population)"]
    sat = load_posterior("returns_domains")["r"].sel(domain="SAT").values.ravel()
    assert table.rows[1][1] == f"{np.median(sat):.3g}"


def test_lm_inputs_are_the_bundled_series_and_r_is_one_at_2012(section):
    from takeoff.models.fits.software_returns_lm import input_series

    chart = next(b.figure for b in section.blocks if getattr(b, "name", "") == "returns_lm_inputs")
    traces = {t.name: t for t in chart.data}
    times, labour, compute = input_series()
    keep = (times >= 2012) & (times <= 2023)
    np.testing.assert_allclose(traces["L: human AI-R&D labour"].y, labour[keep])
    np.testing.assert_allclose(traces["C: experiment compute"].y, compute[keep])
    median = np.asarray(traces["R = CES(L, C): median"].y)
    assert median[0] == pytest.approx(1.0)  # both inputs 1 at 2012, so R = 1 for every draw
    assert np.all(median <= compute[keep] + 1e-9) and np.all(median >= labour[keep] - 1e-9)


def test_prior_against_posterior_of_sigma_share_lambda_beta_with_width_ratios(section):
    tables = [b.table for b in section.blocks if isinstance(b, TableBlock)]
    table = next(t for t in tables if "posterior/prior 90% width" in t.columns)
    assert [r[0] for r in table.rows] == ["sigma_ces", "a", "lambda", "beta", "r"]
    post = load_posterior("software_returns_lm")
    prior = np.random.default_rng(0).beta(2.0, 2.0, 200_000)  # a ~ Beta(2, 2), as declared
    shown = float(dict((r[0], r[3]) for r in table.rows)["a"])
    assert shown == pytest.approx(width_ratio(prior, post["a"].values), abs=0.02)


def test_the_report_has_the_returns_section(report_file):
    text = report_file.read_text()
    assert 'id="returns"' in text and "Returns to research" in text

"""sie_doublings scenarios in the forecast engine: parsing, per-draw results against the model,
exact reductions, the published scenario against an independent naive implementation within
Monte Carlo error, and the forecast command side by side."""

import math

import numpy as np
import pytest
import xarray as xr

from takeoff import TakeoffError
from takeoff.cli import main
from takeoff.forecast import forecast
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.sources import FromDistribution, FromPosterior
from takeoff.models.distributions import Distribution
from takeoff.models.sie import (
    doublings_for,
    max_run,
    simulate_doublings,
    years_within,
)

PAIRS = [(12.0, 3.0), (4.0, 10.0), (12.0, 10.0), (4.0, 30.0)]

BASE = """\
[scenario]
name = "s"
family = "sie_doublings"

[parameters]
f = { dist = "loguniform", low = 2.0, high = 32.0 }
r0 = 1.3
"""


def naive_probabilities(n, seed):
    """The published model, one plain loop per simulation, with its own draws from the priors
    (written from the issue text, independently of takeoff's code)."""
    rng = np.random.default_rng(seed)
    hits = np.zeros(len(PAIRS))
    for _ in range(n):
        f = math.exp(rng.uniform(math.log(2), math.log(32)))
        r0 = math.exp(rng.uniform(math.log(0.4), math.log(3.6)))
        L = rng.uniform(6, 16)
        p = math.exp(rng.uniform(math.log(0.15), math.log(0.6)))
        N = 8 * L
        t, delta, r, times = 0.0, 3 / f, r0, []
        while True:
            t += delta
            r -= r0 / N
            if r > 0:
                try:
                    delta *= 2 ** (p * (1 / r - 1))
                except OverflowError:
                    delta = math.inf
            times.append(t)
            if t >= 48 or len(times) >= N or r <= 0:
                break
        starts = [0.0, *times]
        for j, (T, m) in enumerate(PAIRS):
            k = math.floor(T * 8 * m / 12)
            hits[j] += any(times[i + k - 1] - starts[i] < T for i in range(len(times) - k + 1))
    return hits / n


def test_the_published_scenario_agrees_with_a_naive_loop_within_monte_carlo_error():
    """30,000 draws each, independent random numbers: every difference within 4 combined
    standard errors (a false alarm about once in 4,000 runs of this test per pair)."""
    summary = forecast("sie_published", draws=30_000, seed=1).summary
    ours = summary["p_years_within"].values
    ref = naive_probabilities(30_000, seed=2024)
    se = np.sqrt(ours * (1 - ours) / 30_000 + ref * (1 - ref) / 30_000)
    assert np.all(np.abs(ours - ref) < 4 * se), (ours, ref, se)
    np.testing.assert_allclose(summary["p_years_within_se"], np.sqrt(ours * (1 - ours) / 30_000))


def test_the_builtin_scenarios():
    pub = load_scenario("sie_published")
    assert pub.kind == "doublings" and pub.variant == "decaying_r" and pub.years == 4.0
    assert pub.metrics == tuple(PAIRS)
    assert pub.parameters == {
        "f": FromDistribution(Distribution("loguniform", low=2.0, high=32.0)),
        "r0": FromDistribution(Distribution("loguniform", low=0.4, high=3.6)),
        "L": FromDistribution(Distribution("uniform", low=6.0, high=16.0)),
        "p": FromDistribution(Distribution("loguniform", low=0.15, high=0.6)),
    }
    fitted = load_scenario("sie_fitted")
    assert {k: v for k, v in fitted.parameters.items() if k != "r0"} == {
        k: v for k, v in pub.parameters.items() if k != "r0"
    }
    # r0 is the software_returns_lm posterior's r = lambda / beta (the LM path, compute in R:
    # the one r of every AI-software scenario); the others stay the published (labelled) priors
    assert fitted.parameters["r0"] == FromPosterior("software_returns_lm", "r")
    assert "software_returns_lm" in fitted.title and "LABELLED PRIORS" in fitted.rationale


def test_per_draw_results_are_the_model_on_the_drawn_parameters():
    f = forecast("sie_published", draws=2500, seed=3, keep_draws=True)
    d = f.draws
    sim = simulate_doublings(d["f"].values, d["r0"].values, d["L"].values, d["p"].values)
    np.testing.assert_array_equal(d["t_doubling"].values[:, : sim.times.shape[1]], sim.times)
    np.testing.assert_array_equal(d["doublings_done"], sim.steps)
    for j, (months, years) in enumerate(PAIRS):
        np.testing.assert_array_equal(
            d["years_within"].values[:, j], years_within(sim.times, months, years)
        )
    np.testing.assert_array_equal(d["max_run"].sel(window=12.0), max_run(sim.times, 12.0))
    # the summary's counts are exact reductions of the per-draw results
    s = f.summary
    np.testing.assert_array_equal(s["hits"], d["years_within"].values.sum(axis=0))
    np.testing.assert_allclose(s["p_years_within"], d["years_within"].values.mean(axis=0))
    for months, years in PAIRS:  # each pair is a point on its window's curve
        k = doublings_for(months, years)
        label = f"{years:g} yr in {months:g} mo"
        assert float(s["p_run_within"].sel(window=months, run=k)) == float(
            s["p_years_within"].sel(metric=label)
        )
    done = np.quantile(d["doublings_done"].values, 0.5, method="inverted_cdf")
    assert float(s["doublings_done"].sel(quantile=0.5)) == done
    ceiling = np.mean(d["stop_reason"].values == "ceiling")
    assert float(s["stop_probability"].sel(stop_reason="ceiling")) == pytest.approx(ceiling)


def test_same_seed_same_summary_whatever_the_chunking():
    a = forecast("sie_fitted", draws=3500, seed=7)
    b = forecast("sie_fitted", draws=3500, seed=7, chunk_blocks=1)
    xr.testing.assert_identical(a.summary, b.summary)
    c = forecast("sie_fitted", draws=3500, seed=8)
    assert not np.array_equal(a.summary["hits"], c.summary["hits"])


def test_dask_engine_gives_identical_results():
    pytest.importorskip("distributed")
    a = forecast("sie_published", draws=3000, seed=4)
    b = forecast("sie_published", draws=3000, seed=4, engine="dask", chunk_blocks=1)
    xr.testing.assert_identical(a.summary.drop_attrs(), b.summary.drop_attrs())


def test_constant_r_is_never_slower_draw_by_draw():
    """r stays at r0 instead of falling, so every doubling is at least as fast: a draw that
    compresses m years into T months with a decaying r does so with a constant r too."""
    text = BASE.replace("r0 = 1.3", 'r0 = { dist = "loguniform", low = 0.4, high = 3.6 }')
    decaying = forecast(parse_scenario(text), draws=2000, seed=5, keep_draws=True).draws
    constant = parse_scenario(text.replace("[parameters]", 'variant = "constant_r"\n[parameters]'))
    assert constant.variant == "constant_r"
    const = forecast(constant, draws=2000, seed=5, keep_draws=True).draws
    hits_d, hits_c = decaying["years_within"].values, const["years_within"].values
    assert np.all(hits_c >= hits_d) and hits_c.sum() > hits_d.sum()


def test_defaults_fill_in():
    sc = parse_scenario(BASE)
    assert sc.years == 4.0 and sc.variant == "decaying_r" and sc.metrics == tuple(PAIRS)
    assert sc.uncertain() == ["f"]
    f = forecast(sc, draws=200, keep_draws=True)
    assert np.all(f.draws["L"].values == 11.0) and np.all(f.draws["r0"].values == 1.3)
    short = parse_scenario(
        BASE.replace('family = "sie_doublings"', 'family = "sie_doublings"\nyears = 1')
    )
    assert float(forecast(short, draws=100).summary.attrs["t_max_months"]) == 12.0


def _error(text):
    with pytest.raises(TakeoffError) as info:
        parse_scenario(text, where="my.toml")
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t + "\n[milestones]\na = 1.0\n",
            "my.toml: [milestones] (line 9): does not apply to sie_doublings, which measures "
            "years of progress within T months (no states, milestones or switch); use: "
            "correlations, metrics, parameters, scenario",
        ),
        (
            lambda t: t.replace(
                'family = "sie_doublings"', 'family = "sie_doublings"\nstart = 2027'
            ),
            "my.toml: scenario.start (line 4): unknown key for sie_doublings; use: name, title, "
            "rationale, family, years, variant",
        ),
        (
            lambda t: t.replace(
                'family = "sie_doublings"', 'family = "sie_doublings"\nvariant = "fast"'
            ),
            "my.toml: scenario.variant (line 4): unknown variant 'fast'; choose one of: "
            "decaying_r, constant_r",
        ),
        (
            lambda t: t.replace("r0 = 1.3", "r = 1.3"),
            "my.toml: parameters.r (line 7): unknown parameter for sie_doublings; parameters: f, "
            "r0, L, p",
        ),
        (
            lambda t: t.replace("r0 = 1.3", "r0 = -1.3"),
            "my.toml: parameters.r0 (line 7): must be in (0, inf); got -1.3",
        ),
        (
            lambda t: t + "\n[metrics]\npairs = [[12, 3], [4]]\n",
            "my.toml: metrics.pairs (line 10): each pair must be [T_months, m_years], both "
            "positive; got [4]",
        ),
        (
            lambda t: t + "\n[metrics]\npairs = [[1, 0.1]]\n",
            "my.toml: metrics.pairs (line 10): 0.1 years of progress within 1 months is k = "
            "floor((T/12) 8 m) = 0 doublings; use a larger m or T",
        ),
        (
            lambda t: t + "\n[metrics]\npairs = [[12, 3], [12.0, 3.0]]\n",
            "my.toml: metrics.pairs (line 10): the pair [12.0, 3.0] is given twice; give it once",
        ),
    ],
)
def test_errors_name_the_key_and_line(edit, message):
    assert _error(edit(BASE)) == message


def test_unknown_family_lists_sie_doublings():
    assert _error(BASE.replace("sie_doublings", "sie")).endswith(
        "unknown family 'sie'; choose one of: power_law, compute_feedback, jones_software, "
        "horizon, hyperbolic_growth, research_loop, sie_doublings, aifm"
    )


def test_a_distribution_outside_a_parameter_range_is_refused():
    sc = parse_scenario(BASE.replace("r0 = 1.3", 'r0 = { dist = "normal", mu = 0.1, sigma = 1 }'))
    with pytest.raises(TakeoffError, match=r"^scenario s: parameters r0 drew -"):
        forecast(sc, draws=1000)


def test_forecast_command_prints_both_side_by_side(capsys, tmp_path):
    out = tmp_path / "run"
    args = ["forecast", "sie_published", "sie_fitted", "--draws", "2000", "--out", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "== sie_published: Davidson & Houlden (2025)" in text and "== sie_fitted:" in text
    assert "3 years within 12 months           24" in text
    assert "== comparison (draws: sie_published 2,000, sie_fitted 2,000" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("3 yr in 12 mo"))
    assert row.count("±") == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "forecast.nc",
        "runs_sie_fitted.png",  # the run-length figure of each SIE scenario
        "runs_sie_published.png",
        "summary.csv",
    ]
    ds = xr.open_dataset(out / "forecast.nc", group="sie_fitted", engine="h5netcdf")
    assert ds.attrs["draws"] == 2000 and list(ds["doublings"].values) == [24, 26, 80, 80]
    ds.close()


def test_fitted_returns_come_from_the_software_returns_lm_posterior():
    """sie_fitted's r0 draws are draws of the shipped software_returns_lm posterior's r, and
    software_explosion's (beta, lambda) are joint draws of that posterior (same sample
    index), so its r = lambda rho / beta is the fitted r times the labelled prior rho."""
    from takeoff.data.posteriors import load_posterior

    post = load_posterior("software_returns_lm", ["beta", "lambda", "r"])
    r = post["r"].values.ravel()
    d = forecast("sie_fitted", draws=500, seed=4, keep_draws=True).draws
    assert np.isin(d["r0"].values, r).all()
    # 500 draws from 400 posterior samples: most distinct samples appear (not one repeated)
    assert len(np.unique(d["r0"].values)) > 250
    pairs = set(zip(post["beta"].values.ravel(), post["lambda"].values.ravel(), strict=True))
    t = forecast("software_explosion", draws=300, seed=4, keep_draws=True).draws
    assert all(p in pairs for p in zip(t["beta"].values, t["lambda"].values, strict=True))
    assert np.ptp(t["rho"].values) > 0  # rho is drawn from its labelled prior, not fixed

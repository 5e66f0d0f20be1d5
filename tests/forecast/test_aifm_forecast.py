"""aifm scenarios (the AI Futures Model's core) in the forecast engine: the published default
run against the peer's own (fixtures recorded from brendanhalstead/ai-progress-rates @
786c6655, see tests/models/fixtures/README.md), the published priors as drawn, exact
reductions (against the per-draw results, across chunkings and engines), Monte Carlo standard
errors, statuses of failing draws, the links from takeoff's fits, one-line parse errors, and
the forecast command side by side."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from takeoff import TakeoffError
from takeoff.cli import main
from takeoff.forecast import forecast, format_summary
from takeoff.forecast.kinds.aifm.links import horizon_link, metr_p80_over_p50, software_rate_link
from takeoff.forecast.kinds.aifm.quantities import LINK_FAILED, STATUSES
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.reduction import histogram_quantiles, standard_error
from takeoff.forecast.sources import Fixed, FromDistribution, FromPosterior
from takeoff.models import aifm
from takeoff.models.horizon import log_horizon

FIXTURES = Path(__file__).parents[1] / "models" / "fixtures"
PEER_NAMES = {
    "AC": "ACD-AI",
    "SAR": "SAR-level-experiment-selection-skill",
    "SIAR": "SIAR-level-experiment-selection-skill",
}
YEARLY = np.arange(2012.0, 2050.5, 1.0)

BASE = """\
[scenario]
name = "s"
family = "aifm"

[parameters]
present_day = 2025.6
gap_years = { dist = "lognormal", mu = 0.4, sigma = 0.5 }
"""


def _rows(name):
    with open(FIXTURES / name) as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    return rows[0], rows[1:]


def peer_milestones():
    """milestone -> (the peer's published default date, its date with the solver tightened)."""
    return {
        r[0]: (float(r[2]), float(r[3])) for r in _rows("aifm_reference_default_milestones.csv")[1]
    }


def peer_paths():
    header, rows = _rows("aifm_reference_default.csv")
    a = np.array(rows, dtype=float)
    return {h: a[:, i] for i, h in enumerate(header)}


@pytest.fixture(scope="module")
def published():
    return forecast("aifm_published", draws=300, seed=0)


@pytest.fixture(scope="module")
def mc():
    """The published Monte Carlo, per draw kept."""
    return forecast("aifm_published_mc", draws=3000, seed=11, keep_draws=True)


# --- the published default run --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["AC", "SAR", "SIAR"])
def test_published_dates_match_the_peers_default_run_within_005_years(published, name):
    peer, _ = peer_milestones()[PEER_NAMES[name]]
    s = published.summary
    assert s.attrs["deterministic"] == 1 and s.attrs["draws"] == 300
    date = s["milestone_date"].sel(milestone=name)
    assert np.all(date.values == date.values[0])  # one trajectory: every quantile is its date
    assert abs(float(date.sel(quantile=0.5)) - peer) < 0.05


def test_every_published_date_is_the_models_exactly_and_the_converged_peers(published):
    """Through the engine the dates are the model's own (no histogram rounding: the draws all
    agree), and within 1e-3 years of the peer run with its solver tightened."""
    run = aifm.simulate(times=YEARLY)
    s = published.summary
    peer = peer_milestones()
    for j, name in enumerate(aifm.MILESTONES):
        ours = float(s["milestone_date"].sel(milestone=name, quantile=0.5))
        assert ours == run.milestones[0, j]
        assert abs(ours - peer[PEER_NAMES.get(name, name)][1]) < 1e-3, name
        assert float(s["p_reached"].sel(milestone=name)) == 1.0
        assert float(s["p_by_se"].sel(milestone=name, year=2040.0)) == 0.0


def test_published_paths_are_the_models_and_the_peers(published):
    """The yearly paths equal the model's (to the log10/10^x round trip) and the peer's where
    the grids meet (2012 and 2050) and, log-linearly interpolated between the peer's 250
    output times, every year to 2029 (before the bursts), within the tolerances the model's
    own tests hold against the peer."""
    run = aifm.simulate(times=YEARLY)
    ref = peer_paths()
    s = published.summary
    tol = {"horizon_minutes": 0.035, "software_progress_rate": 0.005, "ai_rd_speedup": 0.035}
    for path, t in tol.items():
        ours = s["path_quantile"].sel(path=path, quantile=0.5).values
        np.testing.assert_allclose(ours, run.paths[path][0], rtol=1e-12)
        assert np.all(s["path_quantile"].sel(path=path).values.T == ours)
        early = YEARLY <= 2029.0
        peer = np.exp(np.interp(YEARLY[early], ref["time"], np.log(ref[path])))
        assert np.max(np.abs(np.log(ours[early] / peer))) < t, path
        for year, i in ((2012.0, 0), (2050.0, -1)):
            assert abs(math.log(ours[YEARLY == year][0] / ref[path][i])) < t, (path, year)


def test_forecast_command_prints_the_dates_and_the_yearly_paths(capsys, tmp_path):
    assert main(["forecast", "aifm_published", "--draws", "20", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "one trajectory (every input is a fixed number)" in text
    assert "links from data: none" in text
    lines = text.splitlines()
    peer = peer_milestones()
    for name in ("AC", "SAR", "SIAR"):
        row = next(line.split() for line in lines if line.split()[:1] == [name])
        assert abs(float(row[-1]) - peer[PEER_NAMES[name]][0]) < 0.05
    start = lines.index("   paths on a yearly grid:")
    assert lines[start + 1].split()[:4] == ["year", "80%", "coding", "time"]
    years = [float(line.split()[0]) for line in lines[start + 2 : start + 2 + len(YEARLY)]]
    assert years == list(YEARLY)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fan_aifm_published.png",
        "forecast.nc",
        "milestones_aifm_published.png",
        "summary.csv",
    ]


# --- the published Monte Carlo ------------------------------------------------------------------


def test_published_priors_are_the_scenarios_sources():
    sc = load_scenario("aifm_published_mc")
    priors = aifm.load_priors()
    for name, m in priors.marginals.items():
        assert sc.parameters[name] == FromDistribution(m)
    assert sc.parameters["present_day"] == Fixed(2025.6)
    assert sc.parameters["present_horizon"] == Fixed(26.0)
    assert sc.parameters["rho_coding_labor"].describe() == (
        "published choice of -5 (p 0.25), -2 (p 0.5), -1 (p 0.25) clipped to [-10, 0]"
    )
    latent = priors.latent_correlation
    expected = {
        frozenset((a, b)): latent[i, j]
        for i, a in enumerate(priors.correlated)
        for j, b in enumerate(priors.correlated)
        if i < j and priors.spearman[i, j] != 0
    }
    assert {frozenset(p[:2]): p[2] for p in sc.correlations} == expected
    assert len(expected) == 12 and sc.links == () and sc.dropped_correlations == ()


def test_draws_follow_the_published_marginals_and_rank_correlations(mc):
    """3000 draws: each continuous marginal against its quantile function (Kolmogorov-Smirnov,
    p > 1e-3), the Spearman correlations within 4 standard errors (~1/sqrt(n))."""
    d = mc.draws
    priors = aifm.load_priors()
    for name, m in priors.marginals.items():
        if m.kind == "choice" or m.clip is not None:
            continue
        x = np.sort(d[name].values)
        cdf = np.searchsorted(np.sort(m.ppf(np.linspace(0.0005, 0.9995, 4000))), x) / 4000
        assert stats.kstest(cdf, "uniform").pvalue > 1e-3, name
    names = priors.correlated
    for i, j in [(0, 1), (4, 5), (9, 10), (0, 2)]:
        rho = stats.spearmanr(d[names[i]].values, d[names[j]].values).statistic
        assert abs(rho - priors.spearman[i, j]) < 4 / math.sqrt(3000), (names[i], names[j], rho)
    choices = d["rho_coding_labor"].values
    assert set(np.unique(choices)) == {-5.0, -2.0, -1.0}
    assert abs(np.mean(choices == -2.0) - 0.5) < 4 * math.sqrt(0.25 / 3000)


def test_per_draw_results_are_the_model_on_the_drawn_parameters(mc):
    d = mc.draws
    params = {k: d[k].values for k in (*aifm.PARAMETER_NAMES, *aifm.TIME_SERIES_PARAMETERS)}
    run = aifm.simulate(params, times=YEARLY)
    np.testing.assert_array_equal(d["milestone_date"].values, run.milestones)
    np.testing.assert_array_equal(
        d["path_value"].sel(path="ai_rd_speedup").values, run.paths["ai_rd_speedup"]
    )
    assert np.all(d["status"].values == "ok")


def test_summary_counts_are_exact_reductions_of_the_draws(mc):
    d, s = mc.draws, mc.summary
    dates = d["milestone_date"].values
    n = dates.shape[0]
    assert s.attrs["draws"] == s.attrs["draws_ok"] == n and s.attrs["failed"] == 0
    for j, name in enumerate(aifm.MILESTONES):
        for year in (2030.0, 2035.0, 2040.0):
            p = np.mean(dates[:, j] <= year)
            assert float(s["p_by"].sel(milestone=name, year=year)) == p
            se = float(s["p_by_se"].sel(milestone=name, year=year))
            assert se == pytest.approx(math.sqrt(p * (1 - p) / n), rel=1e-12)
        assert int(s["reached"].sel(milestone=name)) == np.isfinite(dates[:, j]).sum()
        for q in (0.1, 0.5, 0.9):  # within half a histogram bin of the exact quantile
            exact = np.quantile(dates[:, j], q, method="inverted_cdf")
            ours = float(s["milestone_date"].sel(milestone=name, quantile=q))
            if np.isinf(exact):
                assert np.isinf(ours)
            else:
                assert abs(ours - exact) <= 0.5 / 256 + 1e-9, (name, q)
    clamped = int(d["rs_clamped"].values.sum())
    assert s.attrs["rs_clamped"] == clamped > 0
    horizon = d["path_value"].sel(path="horizon_minutes").values
    ours = s["path_quantile"].sel(path="horizon_minutes", quantile=0.5).values
    exact = np.quantile(horizon, 0.5, axis=0, method="inverted_cdf")
    inside = exact < 1e39
    assert np.all(np.abs(np.log10(ours[inside] / exact[inside])) <= 0.01 + 1e-9)


def test_standard_error_and_histogram_quantiles():
    np.testing.assert_allclose(standard_error([0.0, 0.25, 1.0], 400), [0.0, 0.02165063509, 0.0])
    rng = np.random.default_rng(1)
    x = rng.uniform(2013.0, 2049.0, 999)
    counts = np.bincount(np.floor((x - 2012.0) * 256).astype(int), minlength=38 * 256)
    qs = (0.05, 0.5, 0.95)
    ours = histogram_quantiles(counts, 1200, qs, 2012.0, 1 / 256, x.min(), x.max())
    exact = np.quantile(np.append(x, np.full(201, np.inf)), qs, method="inverted_cdf")
    np.testing.assert_allclose(ours[:2], exact[:2], atol=0.5 / 256)
    assert np.isinf(ours[2]) and np.isinf(exact[2])  # 201 of 1200 beyond: the 95% is too
    one = histogram_quantiles(counts * 0 + (np.arange(counts.size) == 7), 1, qs, 0.0, 1.0, 7.3, 7.3)
    assert list(one) == [7.3, 7.3, 7.3]  # a single value is returned exactly
    assert np.isnan(histogram_quantiles(counts, 0, qs, 0.0, 1.0, 0.0, 1.0)).all()


def test_same_seed_same_summary_whatever_the_chunking():
    a = forecast("aifm_published_mc", draws=2500, seed=3)
    b = forecast("aifm_published_mc", draws=2500, seed=3, chunk_blocks=1)
    xr.testing.assert_identical(a.summary, b.summary)
    c = forecast("aifm_published_mc", draws=2500, seed=4)
    assert not np.array_equal(a.summary["p_by"], c.summary["p_by"])


def test_dask_engine_gives_identical_results():
    pytest.importorskip("distributed")
    a = forecast("aifm_fitted", draws=2000, seed=4)
    b = forecast("aifm_fitted", draws=2000, seed=4, engine="dask", chunk_blocks=1)
    xr.testing.assert_identical(a.summary.drop_attrs(), b.summary.drop_attrs())


# --- statuses -------------------------------------------------------------------------------------


def test_a_draw_that_fails_says_why():
    """Experiment-capacity asymptotes close to 1 have no rho in [-50, 1] (a^-50 + b^-50 > 1):
    with b = 1.0001 that is every a below 0.005^(-1/50) = 1.112."""
    text = BASE + (
        'inf_labor_asymptote = { dist = "uniform", low = 1.0001, high = 1.3 }\n'
        "inf_compute_asymptote = 1.0001\n"
    )
    f = forecast(parse_scenario(text), draws=2000, seed=2, keep_draws=True)
    d, s = f.draws, f.summary
    a = d["inf_labor_asymptote"].values
    why = STATUSES[aifm.RHO_NO_BRACKET]
    fails = d["status"].values == why
    np.testing.assert_array_equal(fails, a < 0.005 ** (-1 / 50))
    assert 0.3 < fails.mean() < 0.45
    assert np.isnan(d["milestone_date"].values[fails]).all()
    assert int(s["status_count"].sel(status=why)) == fails.sum() == s.attrs["failed"]
    assert s.attrs["draws_ok"] == 2000 - fails.sum()
    ok_dates = d["milestone_date"].values[~fails, 0]
    assert float(s["p_by"].sel(milestone="AC", year=2035.0)) == np.mean(ok_dates <= 2035.0)
    text = format_summary(s)
    assert f"{why} {fails.sum():,}" in text
    assert f"({fails.sum():,} failed: their dates are left out of every number above)" in text


def test_a_horizon_link_past_its_blowup_is_a_failed_draw_with_its_reason():
    """The fitted horizon law blows up around 2028 (eps > 0): a present day after that has no
    finite horizon, and those draws fail with the kind's own status."""
    text = (
        BASE.replace(
            "present_day = 2025.6",
            'present_day = { dist = "uniform", low = 2025.0, high = 2030.0 }',
        )
        + '\n[links]\nhorizon = "horizon_dynamics"\n'
    )
    f = forecast(parse_scenario(text), draws=1000, seed=1, keep_draws=True)
    d = f.draws
    why = STATUSES[LINK_FAILED]
    failed = d["status"].values == why
    assert 0 < failed.mean() < 1
    from takeoff.models.horizon import HORIZON

    params = {k: d[f"link_horizon_{k}"].values for k in ("T0", "H0", "eps")}
    t_ref = load_scenario("aifm_fitted").links[0].t_ref
    blowup = t_ref + HORIZON.blowup_time(np.log(d["link_horizon_H"].values)[:, None], params)
    np.testing.assert_array_equal(failed, d["present_day"].values >= blowup)
    assert np.isnan(d["milestone_date"].values[failed]).all()
    assert int(f.summary["status_count"].sel(status=why)) == failed.sum()


# --- links ----------------------------------------------------------------------------------------


def test_the_mapped_horizon_law_is_the_fitted_one_from_present_day_on():
    """aifm's horizon law with the mapped parameters, at a constant progress rate, against the
    fitted law (the horizon family's closed form) at times after present_day."""
    T0 = np.array([0.40, 0.35, 0.50])
    H0 = np.array([17.0, 30.0, 8.0])
    eps = np.array([0.15, 0.0, -0.1])
    t_ref, pd = 2024.62, np.full(3, 2025.6)
    h, dt, factor, ok = horizon_link(T0, H0, eps, np.log(H0), t_ref, pd, 1.0)
    assert ok.all()
    np.testing.assert_allclose(factor, 2.0**-eps)
    assert dt[1] == pytest.approx(T0[1])  # eps = 0: a constant doubling time
    for i in range(3):
        t = np.linspace(0.0, 2.0, 41)  # before the first draw's blow-up (~2028)
        fit = log_horizon(pd[i] + t - t_ref, np.log(H0[i]), T0[i], H0[i], eps[i])
        model = aifm.log_horizon(t, 0.0, h[i], 1.0 - factor[i], dt[i])
        np.testing.assert_allclose(model, fit, atol=1e-10)


def test_the_fitted_scenario_takes_its_links_from_the_shipped_posteriors():
    sc = load_scenario("aifm_fitted")
    assert [u.name for u in sc.links] == ["horizon", "training_compute", "software_rate"]
    assert sc.parameters[
        "link.software_rate.software_progress_rate_at_reference_year"
    ] == FromPosterior("algorithmic_progress", "algorithmic_rate")
    horizon = sc.links[0]
    assert horizon.t_ref == pytest.approx(2024.62) and horizon.percent == 50
    assert horizon.ratio == metr_p80_over_p50()[0]
    assert sc.parameters["link.horizon.T0"] == FromPosterior("horizon_dynamics", "T0")
    assert sc.parameters["link.horizon.H"] == FromPosterior("horizon_dynamics", "initial.H")
    assert sc.parameters["constant_training_compute_growth_rate"] == FromPosterior(
        "compute_trend", "slope"
    )
    for name in ("present_horizon", "present_doubling_time", "doubling_difficulty_growth_factor"):
        assert name not in sc.parameters
    # the published correlations of the replaced parameters are dropped, the others kept
    assert "present_doubling_time~doubling_difficulty_growth_factor" in sc.dropped_correlations
    kept = {frozenset(p[:2]) for p in sc.correlations}
    assert frozenset(("inv_compute_anchor_exp_cap", "inf_compute_asymptote")) in kept
    assert not any("present_doubling_time" in p for p in kept)
    peer = sc.rationale[sc.rationale.index("Still the peer's") :]
    assert "software_returns" in peer and "algorithmic_progress" not in peer


def test_metr_ratio_is_the_datas():
    from takeoff.data import load

    frame = load("metr_horizons")
    rows = frame[frame["version"].astype(str) == "1.1"]
    expected = np.exp(np.mean(np.log(rows["p80_minutes"] / rows["p50_minutes"])))
    ratio, n, sd = metr_p80_over_p50()
    assert ratio == pytest.approx(expected, rel=1e-12) and n == len(rows) == 25
    assert 0.15 < ratio < 0.25 and 0.2 < sd < 0.4


def test_fitted_draws_are_the_posteriors_mapped():
    f = forecast("aifm_fitted", draws=1000, seed=5, keep_draws=True)
    d = f.draws
    use = load_scenario("aifm_fitted").links[0]
    h, dt, factor, ok = horizon_link(
        d["link_horizon_T0"].values,
        d["link_horizon_H0"].values,
        d["link_horizon_eps"].values,
        np.log(d["link_horizon_H"].values),
        use.t_ref,
        d["present_day"].values,
        use.ratio,
    )
    assert ok.all()
    np.testing.assert_array_equal(d["present_horizon"].values, h)
    np.testing.assert_array_equal(d["present_doubling_time"].values, dt)
    np.testing.assert_array_equal(d["doubling_difficulty_growth_factor"].values, factor)
    # one posterior draw per simulation: T0, H0, eps and H of the same posterior sample
    from takeoff.data.posteriors import load_posterior

    post = load_posterior("horizon_dynamics")
    pairs = set(
        zip(
            post["doubling_time_days"].values.ravel() / 365.25,
            post["eps"].values.ravel(),
            strict=True,
        )
    )
    drawn = zip(d["link_horizon_T0"].values, d["link_horizon_eps"].values, strict=True)
    assert all((a, b) in pairs for a, b in drawn)
    s = f.summary
    assert "horizon_dynamics" in s.attrs["from_data"] and "compute_trend" in s.attrs["from_data"]
    assert "algorithmic_progress" in s.attrs["from_data"]
    assert "the model derives r from the software rate at 2023" in s.attrs["still_peer"]
    # the software rate at 2023 is drawn from algorithmic_progress's rate (mapped / ln 10)
    rate = load_posterior("algorithmic_progress")["g_total"].values.ravel()
    drawn = d["link_software_rate_software_progress_rate_at_reference_year"].values
    assert np.isin(drawn, rate).all()
    assert software_rate_link(rate[:3]) == pytest.approx(rate[:3] / math.log(10.0))


# --- the side-by-side table -----------------------------------------------------------------------


def test_forecast_command_prints_published_and_fitted_side_by_side(capsys, tmp_path):
    args = [
        "forecast",
        "aifm_published_mc",
        "aifm_fitted",
        "--draws",
        "1500",
        "--out",
        str(tmp_path),
    ]
    assert main(args) == 0
    text = capsys.readouterr().out
    head = "== comparison of aifm scenarios (draws: aifm_published_mc 1,500, aifm_fitted 1,500"
    assert head in text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    block = lines[start:]
    assert block[1] == "   aifm_published_mc: links from data: none"
    assert block[2].startswith("   aifm_fitted: links from data: METR horizon at present_day")
    assert "still the peer's: r (returns to software research)" in block[3]
    header = block[4].split("  ")
    assert [c.strip() for c in header if c.strip()] == [
        "milestone",
        "aifm_published_mc: median [10%, 90%]",
        "aifm_fitted: median [10%, 90%]",
        "aifm_fitted - aifm_published_mc (10%/50%/90%, yr)",
    ]
    pub = xr.open_dataset(tmp_path / "forecast.nc", group="aifm_published_mc", engine="h5netcdf")
    fit = xr.open_dataset(tmp_path / "forecast.nc", group="aifm_fitted", engine="h5netcdf")
    ac = block[5].split()
    assert ac[0] == "AC"
    moved = ac[-1].split("/")
    median_moved = float(fit["milestone_date"].sel(milestone="AC", quantile=0.5)) - float(
        pub["milestone_date"].sel(milestone="AC", quantile=0.5)
    )
    assert float(moved[1]) == pytest.approx(median_moved, abs=0.005)
    row = next(line for line in block if line.strip().startswith("AC by 2030"))
    p = float(pub["p_by"].sel(milestone="AC", year=2030.0))
    assert f"{p:.3f} ± {math.sqrt(p * (1 - p) / 1500):.3f}" in row and row.count("±") == 2
    pub.close()
    fit.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert "aifm_milestones_compared.png" in files and "summary.csv" in files


# --- parse errors ---------------------------------------------------------------------------------


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
            "my.toml: [milestones] (line 9): unknown table for aifm; use: correlations, links, "
            "parameters, priors, scenario",
        ),
        (
            lambda t: t.replace('family = "aifm"', 'family = "aifm"\nstart = 2020'),
            "my.toml: scenario.start (line 4): unknown key for aifm; use: name, title, "
            "rationale, family, end, probability_by",
        ),
        (
            lambda t: t.replace('family = "aifm"', 'family = "aifm"\nend = 2060'),
            "my.toml: scenario.end (line 4): must be in [2013, 2050] (the model runs from "
            "2012, its input series ends in 2050); got 2060",
        ),
        (
            lambda t: t.replace('family = "aifm"', 'family = "aifm"\nend = 2035'),
            None,  # valid: the default years beyond the end are left out
        ),
        (
            lambda t: t.replace(
                'family = "aifm"', 'family = "aifm"\nprobability_by = [2030, 2055]'
            ),
            "my.toml: scenario.probability_by (line 4): years must be in (2012, 2050] (the "
            "model's run); got 2055",
        ),
        (
            lambda t: t.replace(
                'family = "aifm"', 'family = "aifm"\nprobability_by = [2035, 2030]'
            ),
            "my.toml: scenario.probability_by (line 4): years must increase, each once; got "
            "[2035, 2030]",
        ),
        (
            lambda t: t + "\n[priors]\npublished = 1\n",
            "my.toml: priors.published (line 10): must be true or false; got 1",
        ),
        (
            lambda t: t + "\n[priors]\nsampling = true\n",
            "my.toml: priors.sampling (line 10): unknown key; use published = true",
        ),
        (
            lambda t: t.replace("present_day = 2025.6", "rho = 1.0"),
            "my.toml: parameters.rho (line 6): unknown parameter for aifm; parameters: "
            + ", ".join([*aifm.PARAMETER_NAMES, *aifm.TIME_SERIES_PARAMETERS]),
        ),
        (
            lambda t: t.replace("present_day = 2025.6", "parallel_penalty = 1.5"),
            "my.toml: parameters.parallel_penalty (line 6): must be in (0, 1]; got 1.5",
        ),
        (
            lambda t: t + "slowdown_year = 2028\n",
            "my.toml: [parameters] (line 5): the training-compute time series needs all of "
            "constant_training_compute_growth_rate, slowdown_year, "
            "post_slowdown_training_compute_growth_rate or none; missing "
            "constant_training_compute_growth_rate, post_slowdown_training_compute_growth_rate",
        ),
        (
            lambda t: t + '\n[links]\nreturns = "software_returns"\n',
            "my.toml: links.returns (line 10): not available: the model derives r from the "
            "software rate at 2023 (link software_rate); the peer's value is kept without it",
        ),
        (
            lambda t: t + '\n[links]\nhorizon_of = "horizon_dynamics"\n',
            "my.toml: links.horizon_of (line 10): unknown link; links: horizon, "
            "training_compute, software_rate, returns",
        ),
        (
            lambda t: t + '\n[links]\nhorizon = "compute_trend"\n',
            "my.toml: links.horizon (line 10): 'compute_trend' is not a fit of the horizon "
            "family; use horizon_dynamics or a saved fit of it",
        ),
        (
            lambda t: t + '\n[links]\ntraining_compute = "hardware_trend"\n',
            "my.toml: links.training_compute (line 10): 'hardware_trend' is not a "
            "compute_trend fit (training compute of frontier models); use compute_trend or a "
            "saved fit of it",
        ),
        (
            lambda t: t + '\n[links]\nhorizon = "horizon_dynamics"\nhorizon_percent = 60\n',
            "my.toml: links.horizon_percent (line 11): the success rate of the fitted horizons: "
            "50 (METR's p50, converted to the model's 80%) or 80; got 60",
        ),
        (
            lambda t: t + 'present_horizon = 30.0\n\n[links]\nhorizon = "horizon_dynamics"\n',
            "my.toml: parameters.present_horizon (line 8): is set by [links] horizon too; give "
            "it in one place",
        ),
        (
            lambda t: t + '\n[correlations]\npairs = [["gap_years", "present_day", 0.3]]\n',
            "my.toml: correlations.pairs (line 10): 'present_day' is not a parameter drawn from "
            "a distribution",
        ),
    ],
)
def test_errors_name_the_key_and_line(edit, message):
    text = edit(BASE)
    if message is None:
        sc = parse_scenario(text)
        assert sc.end == 2035.0 and sc.probability_by == (2030.0, 2035.0)
        return
    assert _error(text) == message


def test_the_name_is_checked_after_the_other_keys_and_tables():
    nameless = BASE.replace('name = "s"\n', "")
    assert _error(nameless) == "my.toml: [scenario] lacks the key 'name'"
    assert _error(nameless.replace('family = "aifm"', 'family = "aifm"\nend = 2060')) == (
        "my.toml: scenario.end (line 3): must be in [2013, 2050] (the model runs from 2012, its "
        "input series ends in 2050); got 2060"
    )
    assert _error(nameless + "rho = 1\n").startswith("my.toml: parameters.rho (line 7): unknown")


def test_a_distribution_outside_a_parameter_range_is_refused():
    sc = parse_scenario(
        BASE.replace(
            "present_day = 2025.6", 'parallel_penalty = { dist = "normal", mu = 0.5, sigma = 1 }'
        )
    )
    with pytest.raises(TakeoffError, match=r"^scenario s: parameters parallel_penalty drew "):
        forecast(sc, draws=500)


def test_sensitivity_outputs_are_the_milestone_dates_censored_at_the_end():
    from takeoff.forecast.sensitivity import outputs_of, tornado_table

    sc = parse_scenario(BASE.replace('family = "aifm"', 'family = "aifm"\nend = 2030'))
    outputs = outputs_of(sc)
    assert [o.name for o in outputs] == ["AC_date", "SAR_date", "SIAR_date"]
    assert all(o.censor_at == 2030.0 for o in outputs)
    table = tornado_table(sc, "AC_date")
    assert list(table["parameter"]) == ["gap_years"]
    # gap_years only matters in gap mode (include_gap = 0 by default): it does not move AC
    assert table.attrs["note"].startswith("AC_date does not move")
    assert table.attrs["base"] == pytest.approx(aifm.simulate(times=YEARLY).milestones[0, 0])

"""The forecast engine against hand-computed cases, its reductions against exact per-draw
numbers, and its reproducibility across chunking and engines."""

import math

import numpy as np
import pytest
import xarray as xr

from takeoff.forecast import forecast
from takeoff.forecast.kinds.trajectory.measures import CLASSES, classify
from takeoff.forecast.kinds.trajectory.summary import Accumulator
from takeoff.forecast.loading import parse_scenario


def scenario(
    params,
    milestones="a = 1.0\nb = 1000.0",
    family="power_law",
    extra="",
    initial="I = 1.0",
    years=10,
    start=2030.0,
):
    return parse_scenario(f"""
[scenario]
name = "test"
family = "{family}"
start = {start}
years = {years}
[initial]
{initial}
[parameters]
{params}
[milestones]
{milestones}
{extra}
""")


def test_classes_at_their_boundaries():
    day = 1 / 365.25
    durations = [0.0, 29.9 * day, 30.1 * day, 0.999, 1.0, 9.99, 10.0, 50.0, math.inf]
    expected = [
        "hard",
        "hard",
        "fast",
        "fast",
        "moderate",
        "moderate",
        "slow",
        "slow",
        "not reached",
    ]
    assert [CLASSES[c] for c in classify(np.array(durations))] == expected


def test_power_law_milestones_and_singularity_are_exact():
    """I(0) = 1, dI/dt = 0.5 I^1.5: I reaches L at t = (1 - L^-0.5) / 0.25, blows up at t = 4."""
    f = forecast(scenario("k = 0.5\nalpha = 1.5"), draws=50, keep_draws=True)
    dates = f.draws["milestone_date"].values
    np.testing.assert_allclose(dates[:, 0], 2030.0)
    np.testing.assert_allclose(dates[:, 1], 2030.0 + (1 - 1000**-0.5) / 0.25, rtol=0, atol=1e-9)
    np.testing.assert_allclose(f.draws["singularity_date"].values, 2034.0, atol=1e-9)
    assert set(f.draws["takeoff_class"].values) == {"moderate"}
    assert float(f.summary["p_singularity"]) == 1.0
    assert float(f.summary["singularity_date"].sel(quantile=0.5)) == pytest.approx(
        2034.0, abs=1 / 365
    )


def test_exponential_growth_constant_doubling_time_and_not_reached():
    f = forecast(
        scenario("k = 0.3\nalpha = 1.0", milestones="a = 2.0\nb = 1e6"), draws=20, keep_draws=True
    )
    np.testing.assert_allclose(
        f.draws["milestone_date"].values[:, 0], 2030 + math.log(2) / 0.3, atol=1e-9
    )
    assert np.isinf(f.draws["milestone_date"].values[:, 1]).all()  # ln(1e6)/0.3 = 46 yr > 10
    np.testing.assert_allclose(f.draws["doubling_time"].values, math.log(2) / 0.3, rtol=1e-12)
    assert (f.draws["takeoff_class"].values == "not reached").all()
    assert float(f.summary["p_singularity"]) == 0.0


def test_no_growth_gives_an_infinite_doubling_time():
    f = forecast(
        scenario(
            "s = 0.0\ndelta = 0.2",
            family="compute_feedback",
            initial="C = 1.0",
            milestones="a = 2.0\nb = 10.0",
        ),
        draws=10,
        keep_draws=True,
    )
    assert np.isinf(f.draws["doubling_time"].values).all()


def test_switch_changes_the_rate_at_the_date():
    """k = 0.2 until 2033, then 0.5: I = e^(0.2*3) at the switch, L = 10 is reached at
    2033 + (ln 10 - 0.6) / 0.5."""
    sc = scenario(
        "k = 0.2\nalpha = 1.0",
        milestones="a = 1.5\nb = 10.0",
        extra="[switch]\nat = 2033.0\n[switch.parameters]\nk = 0.5",
    )
    f = forecast(sc, draws=10, keep_draws=True)
    got = f.draws["milestone_date"].values
    np.testing.assert_allclose(got[:, 0], 2030 + math.log(1.5) / 0.2, atol=2e-3)
    np.testing.assert_allclose(got[:, 1], 2033 + (math.log(10) - 0.6) / 0.5, atol=2e-3)


def test_numerical_family_crossing_matches_the_closed_form():
    """jones_software with AI labour only and fixed hardware is dS/dt = k S^alpha."""
    params = (
        "theta = 0.8\nbeta = 0.5\nlambda = 0.8\nrho = 1.0\nkappa = 0.3\nL0 = 0.0\n"
        "g_L = 0.0\nH0 = 2.0\ng_H = 0.0"
    )
    f = forecast(
        scenario(params, family="jones_software", initial="S = 1.0", years=20),
        draws=5,
        keep_draws=True,
    )
    k, alpha = 0.8 * 0.3**0.8 * 2.0**0.8, 1.3
    exact = 2030 + (1 - 1000 ** (1 - alpha)) / ((alpha - 1) * k)
    np.testing.assert_allclose(f.draws["milestone_date"].values[:, 1], exact, atol=1e-3)
    np.testing.assert_allclose(
        f.draws["singularity_date"].values, 2030 + 1 / ((alpha - 1) * k), rtol=1e-5
    )


def test_summary_quantiles_agree_with_the_exact_per_draw_quantiles():
    f = forecast("metr_trend", draws=4000, seed=2, keep_draws=True)
    for j, name in enumerate(f.summary["milestone"].values):
        exact = np.quantile(f.draws["milestone_date"].values[:, j], [0.05, 0.5, 0.95])
        got = f.summary["milestone_date"].sel(milestone=name).sel(quantile=[0.05, 0.5, 0.95])
        np.testing.assert_allclose(got, exact, atol=2 / 365.25)  # daily bins
    exact_level = np.quantile(f.draws["H"].values[:, 40], 0.5)  # 2026.3: a few hours
    got_level = float(f.summary["watch"].isel(time=40).sel(quantile=0.5))
    assert got_level == pytest.approx(exact_level, rel=0.024)  # 0.01-dex bins
    exact_classes = [np.mean(f.draws["takeoff_class"].values == c) for c in CLASSES]
    np.testing.assert_allclose(f.summary["class_probability"], exact_classes, rtol=0, atol=1e-12)


def test_same_seed_same_numbers_whatever_the_chunking():
    a = forecast("foom", draws=3500, seed=7)
    b = forecast("foom", draws=3500, seed=7, chunk_blocks=1)
    xr.testing.assert_identical(a.summary, b.summary)
    c = forecast("foom", draws=3500, seed=8)
    assert not np.array_equal(a.summary["duration"], c.summary["duration"])


def test_memory_of_a_summary_does_not_grow_with_draws():
    sc = parse_scenario(
        (
            __import__("takeoff.forecast.scenario", fromlist=["x"]).builtin_dir() / "foom.toml"
        ).read_text()
    )
    small = Accumulator.empty(sc)
    f_small = forecast(sc, draws=1000)
    f_large = forecast(sc, draws=6000)
    assert f_small.summary.nbytes == f_large.summary.nbytes
    assert small.watch.shape == (sc.points, small.watch.shape[1])


def test_foom_has_more_hard_takeoffs_than_the_keyhole():
    foom = forecast("foom", draws=3000, seed=1).summary["class_probability"]
    keyhole = forecast("keyhole", draws=3000, seed=1).summary["class_probability"]
    assert float(foom.sel(takeoff_class="hard")) > 0.1
    assert float(keyhole.sel(takeoff_class="hard")) == 0.0


def test_a_distribution_outside_a_parameter_range_is_refused():
    from takeoff import TakeoffError

    sc = scenario('k = { dist = "normal", mu = 0.1, sigma = 1.0 }\nalpha = 1.0')
    with pytest.raises(TakeoffError, match=r"^scenario test: parameters k drew -"):
        forecast(sc, draws=1000)


def test_dask_engine_gives_identical_results():
    pytest.importorskip("distributed")
    a = forecast("metr_trend", draws=3000, seed=4)
    b = forecast("metr_trend", draws=3000, seed=4, engine="dask", chunk_blocks=1)
    xr.testing.assert_identical(a.summary.drop_attrs(), b.summary.drop_attrs())
    assert b.summary.attrs["engine"] == "dask"

"""Scenario files: the built-ins, and one-line errors that name the key and its line."""

import numpy as np
import pytest

from takeoff import TakeoffError
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.scenario import builtin_names
from takeoff.forecast.sources import FromPosterior, Transform

BASE = """\
[scenario]
name = "t"
family = "power_law"
start = 2030.0
years = 10

[parameters]
k = 0.5
alpha = { dist = "uniform", low = 0.5, high = 1.5 }

[milestones]
a = 1.0
b = 100.0
"""

BUILTINS = [
    "aifm_fitted",
    "aifm_published",
    "aifm_published_mc",
    "compute_feedback",
    "continual_learning",
    "data_wall",
    "foom",
    "keyhole",
    "loss_to_horizon",
    "loss_to_horizon_slowing",
    "metr_trend",
    "metr_trend_exponential",
    "sie_fitted",
    "sie_published",
    "software_explosion",
    "takeoff_from_data",
    "takeoff_from_data_compute_slowdown",
    "takeoff_from_data_continual_learning",
    "takeoff_from_data_data_wall",
    "takeoff_from_data_overhang",
]


def test_the_builtin_set():
    assert builtin_names() == BUILTINS
    for name in BUILTINS:
        sc = load_scenario(name)
        assert sc.name == name and len(sc.rationale) > 300 and sc.title
        # aifm_published is the peer's default run: one trajectory, nothing uncertain
        assert bool(sc.uncertain()) == (name != "aifm_published"), name


def test_posterior_sources_and_transforms():
    sc = load_scenario("metr_trend")
    T0 = sc.parameters["T0"]
    # the fit maps its doubling time in days onto the family's T0 in years (no constant here)
    assert T0 == FromPosterior("horizon_dynamics", "T0")
    assert sc.start == pytest.approx(2024.62) and sc.fit == "horizon_dynamics"
    keyhole = load_scenario("keyhole").parameters["alpha"]
    assert keyhole.transform == Transform(shift=2.0, scale=-1.0, function="reciprocal")
    np.testing.assert_allclose(keyhole.transform(np.array([0.25, 0.5])), [-2.0, 0.0])


def test_defaults_fill_in():
    sc = parse_scenario(BASE)
    assert sc.watch == "I" and sc.points == 241 and sc.takeoff == ("a", "b")
    assert sc.uncertain() == ["alpha"]


def _error(text):
    with pytest.raises(TakeoffError) as info:
        parse_scenario(text, where="my.toml")
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'family = "power_law"',
            'family = "foom_law"',
            "my.toml: scenario.family (line 3): unknown family 'foom_law'; choose one of: "
            "power_law, compute_feedback, jones_software, horizon, hyperbolic_growth, "
            "research_loop, sie_doublings, aifm",
        ),
        (
            "k = 0.5",
            "kk = 0.5",
            "my.toml: parameters.kk (line 8): unknown parameter for power_law; parameters: k, "
            "alpha",
        ),
        ("k = 0.5", "k = -0.5", "my.toml: parameters.k (line 8): must be in (0, inf); got -0.5"),
        (
            "low = 0.5, high = 1.5",
            "low = 1.5, high = 0.5",
            "my.toml: parameters.alpha (line 9): invalid arguments for 'uniform' (low=1.5, "
            "high=0.5): need low < high",
        ),
        (
            'dist = "uniform"',
            'dist = "cauchy"',
            "my.toml: parameters.alpha (line 9): unknown distribution 'cauchy'; choose one of: "
            "normal, lognormal, uniform, loguniform, beta, halfnormal, gamma",
        ),
        (
            "b = 100.0",
            "b = 0.5",
            "my.toml: milestones.b (line 13): milestones must increase: b = 0.5 is not above a = 1",
        ),
        ("years = 10", "years = -1", "my.toml: scenario.years (line 5): must be positive; got -1"),
        (
            "years = 10",
            'years = "ten"',
            "my.toml: scenario.years (line 5): must be a finite number; got 'ten'",
        ),
        (
            "k = 0.5",
            'k = { posterior = "horizon_dynamics" }',
            "my.toml: parameters.k (line 8): a posterior source is { posterior = NAME or FILE.nc, "
            "variable = NAME } plus optional shift, scale, function",
        ),
        (
            "k = 0.5",
            'k = { dist = "lognormal", mu = 0, sigma = 1, function = "sin" }',
            "my.toml: parameters.k (line 8): unknown function 'sin'; choose one of: identity, "
            "exp, log, log10, pow10, reciprocal",
        ),
    ],
)
def test_errors_name_the_key_and_line(old, new, message):
    assert old in BASE
    assert _error(BASE.replace(old, new)) == message


def test_more_errors():
    assert _error("[scenario\nname=").startswith("my.toml: malformed TOML: ")
    assert _error(BASE + '\n[takeoff]\nfrom = "b"\nto = "a"\n') == (
        "my.toml: takeoff.to (line 17): must be a later milestone than 'from'"
    )
    assert _error(BASE + "\n[extras]\nx = 1\n") == (
        "my.toml: [extras] (line 15): unknown table; use: correlations, counterfactual, initial, "
        "milestones, parameters, scenario, switch, takeoff"
    )
    assert _error(BASE + "\n[switch]\nat = 2050.0\n[switch.parameters]\nk = 1.0\n") == (
        "my.toml: switch.at (line 16): must lie inside the horizon (2030, 2040); got 2050"
    )
    assert _error(BASE + '\n[correlations]\npairs = [["k", "alpha", 0.5]]\n') == (
        "my.toml: correlations.pairs (line 16): 'k' is not a parameter drawn from a distribution"
    )
    assert _error(BASE.replace("[milestones]\na = 1.0\nb = 100.0\n", "")) == (
        "my.toml: missing table [milestones]"
    )


def test_unknown_scenario_and_missing_file(tmp_path):
    with pytest.raises(TakeoffError, match=r"^unknown scenario 'fom'; choose one of: "):
        load_scenario("fom")
    with pytest.raises(TakeoffError, match=r"not found; check the path$"):
        load_scenario(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "years = 10",
            "years = 1e9",
            "my.toml: scenario.years (line 5): must be at most 300 years; got 1e+09",
        ),
        (
            "years = 10",
            "years = nan",
            "my.toml: scenario.years (line 5): must be a finite number; got nan",
        ),
        (
            "years = 10",
            "years = inf",
            "my.toml: scenario.years (line 5): must be a finite number; got inf",
        ),
        ("years = 10", "years = 0", "my.toml: scenario.years (line 5): must be positive; got 0"),
        (
            "start = 2030.0",
            "start = 0",
            "my.toml: scenario.start (line 4): must be a decimal year between 1500 and 2500; got 0",
        ),
        (
            "start = 2030.0",
            "start = -1e300",
            "my.toml: scenario.start (line 4): must be a decimal year between 1500 and 2500; "
            "got -1e+300",
        ),
        (
            "start = 2030.0",
            'start = "2030"',
            "my.toml: scenario.start (line 4): must be a finite number; got '2030'",
        ),
        (
            "years = 10",
            "years = 10\npoints = 1",
            "my.toml: scenario.points (line 6): must be an integer >= 2; got 1",
        ),
        (
            "years = 10",
            "years = 10\npoints = 1e6",
            "my.toml: scenario.points (line 6): must be an integer >= 2; got 1000000.0",
        ),
        (
            "years = 10",
            "years = 10\npoints = 1000000",
            "my.toml: scenario.points (line 6): must be at most 100,000; got 1,000,000",
        ),
        (
            "years = 10",
            "years = 10\npoints = 100000",
            "my.toml: scenario.points (line 6): the forecast would hold about 6.1 GB at once (a "
            "block of draws on the time grid and its histograms), more than 2.1 GB; lower "
            "[scenario] points or years",
        ),
        (
            "b = 100.0",
            "b = inf",
            "my.toml: milestones.b (line 13): must be a positive number; got inf",
        ),
        (
            "b = 100.0",
            "b = nan",
            "my.toml: milestones.b (line 13): must be a positive number; got nan",
        ),
        (
            "b = 100.0",
            "b = -1",
            "my.toml: milestones.b (line 13): must be a positive number; got -1",
        ),
        ("k = 0.5", "k = nan", "my.toml: parameters.k (line 8): must be a finite number; got nan"),
        (
            "low = 0.5, high = 1.5",
            "low = 0.5, high = inf",
            "my.toml: parameters.alpha (line 9): distribution 'uniform' argument high must be "
            "finite; got inf",
        ),
        ('name = "t"', "name = 5", "my.toml: scenario.name (line 2): must be a str; got 5"),
    ],
)
def test_hostile_numbers_are_refused_with_the_key_and_line(old, new, message):
    assert old in BASE
    assert _error(BASE.replace(old, new)) == message


def test_a_variant_with_a_huge_horizon_is_refused_before_any_work(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text('[scenario]\nextends = "takeoff_from_data"\nname = "huge"\nyears = 1e9\n')
    with pytest.raises(TakeoffError) as info:
        load_scenario(path)
    assert (
        str(info.value)
        == "huge.toml: scenario.years (line 4): must be at most 300 years; got 1e+09"
    )


def test_a_scenario_file_that_is_not_utf8_or_not_a_table(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b'[scenario]\nname = "caf\xe9"\n')
    with pytest.raises(TakeoffError) as info:
        load_scenario(path)
    assert str(info.value) == "latin.toml: not UTF-8 text; save the scenario as a UTF-8 .toml file"
    assert _error("scenario = 5\n") == "my.toml: [scenario]: must be a table"


def test_every_builtin_fits_the_limits():
    from takeoff.forecast.kind import MAX_BYTES
    from takeoff.forecast.monte_carlo import kind
    from takeoff.forecast.schema import MAX_YEARS, START_YEARS

    for name in builtin_names():
        sc = load_scenario(name)
        assert 0 < sc.years <= MAX_YEARS
        assert sc.kind != "trajectory" or START_YEARS[0] <= sc.start <= START_YEARS[1]
        assert kind(sc).memory(sc) < MAX_BYTES / 20, name


def test_the_engine_refuses_what_would_not_fit_in_memory_and_bad_seeds():
    import dataclasses

    from takeoff.forecast.monte_carlo import forecast

    sc = dataclasses.replace(parse_scenario(BASE), points=90_000)
    with pytest.raises(TakeoffError, match=r"^t: the forecast would hold about 5\.5 GB"):
        forecast(sc, draws=10)
    for seed in (-1, 2**32, 1.5):
        with pytest.raises(TakeoffError) as info:
            forecast(parse_scenario(BASE), draws=10, seed=seed)
        assert str(info.value) == f"the seed must be an integer from 0 to 4294967295; got {seed!r}"
    with pytest.raises(TakeoffError, match="chunk_blocks must be a positive integer; got 0"):
        forecast(parse_scenario(BASE), draws=10, chunk_blocks=0)

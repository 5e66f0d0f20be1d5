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

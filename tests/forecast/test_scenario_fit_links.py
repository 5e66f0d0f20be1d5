"""Scenarios take a family's parameters straight from a fit: the whole-table form draws what
the per-parameter form draws, the units come from the fit's code (no constants in scenario
files), and a scenario that disagrees with its fit is refused with one line."""

import math

import numpy as np
import pytest

from takeoff import TakeoffError
from takeoff.data.posteriors import load_posterior
from takeoff.forecast import forecast, parse_scenario
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.scenario import builtin_names
from takeoff.forecast.sources import FromPosterior, draw_block, load_posterior_draws

HEAD = """[scenario]
name = "link"
family = "{family}"
start = {start}
years = 10
{extra}
"""
TAIL = """
[milestones]
work_day = 480.0
work_year = 120000.0
"""


def text(family="horizon", start='"fit"', parameters='posterior = "horizon_dynamics"', extra=""):
    return (
        HEAD.format(family=family, start=start, extra=extra)
        + f"\n[parameters]\n{parameters}\n"
        + TAIL
    )


def test_whole_fit_form_takes_every_parameter_and_the_start():
    sc = parse_scenario(text(), "link.toml")
    t_ref = float(load_posterior("horizon_dynamics").attrs["const_t_ref"])
    assert sc.start == t_ref and sc.fit == "horizon_dynamics"
    assert set(sc.parameters) == {"T0", "H0", "eps"} and set(sc.initial) == {"H"}
    assert sc.initial["H"] == FromPosterior("horizon_dynamics", "initial.H")


def test_whole_fit_form_draws_the_same_as_naming_each_parameter():
    whole = parse_scenario(text(), "whole.toml")
    each = parse_scenario(
        text(
            start=repr(whole.start),
            parameters='T0 = { posterior = "horizon_dynamics", variable = "T0" }\n'
            'H0 = { posterior = "horizon_dynamics", variable = "H0" }\n'
            'eps = { posterior = "horizon_dynamics", variable = "eps" }\n'
            '[initial]\nH = { posterior = "horizon_dynamics", variable = "initial.H" }',
        ),
        "each.toml",
    )
    a = forecast(whole, draws=2000, seed=3).summary
    b = forecast(each, draws=2000, seed=3).summary
    np.testing.assert_array_equal(a["milestone_date"].values, b["milestone_date"].values)


def test_units_are_converted_by_the_fit():
    """T0 in years is the posterior's doubling time in days / 365.25, drawn jointly."""
    sources = {
        "T0": FromPosterior("horizon_dynamics", "T0"),
        "days": FromPosterior("horizon_dynamics", "doubling_time_days"),
    }
    draws = draw_block(sources, (), load_posterior_draws(sources), seed=0, block=0)
    np.testing.assert_allclose(draws["T0"] * 365.25, draws["days"], rtol=1e-12)
    growth = load_posterior_draws({"g": FromPosterior("hardware_trend", "growth_rate")})
    slope = load_posterior("hardware_trend")["slope"].values.reshape(-1)
    np.testing.assert_allclose(growth["hardware_trend"]["growth_rate"], slope * math.log(10))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"family": "power_law"},
            "link.toml: parameters.posterior (line 9): horizon_dynamics fits the horizon family, "
            'not power_law; use family = "horizon" or another fit',
        ),
        (
            {"parameters": "T0 = 0.5"},
            'link.toml: scenario.start (line 4): "fit" takes the start date from the fit named by '
            '[parameters] posterior = "FIT"; name the fit or give a decimal year',
        ),
        (
            {
                "start": "2024.0",
                "parameters": '[initial]\nH = { posterior = "horizon_dynamics", '
                'variable = "initial.H" }',
            },
            "link.toml: initial.H (line 10): horizon_dynamics's initial.H holds at 2024.62, but "
            'the scenario starts at 2024; use start = "fit"',
        ),
        (
            {
                "start": "2024.0",
                "parameters": 'T0 = { posterior = "horizon_dynamics", variable = "H0" }',
            },
            "link.toml: parameters.T0 (line 9): horizon_dynamics's H0 is not T0; name the same "
            "quantity of the fit",
        ),
        (
            {
                "family": "power_law",
                "start": "2024.0",
                "parameters": 'k = { posterior = "horizon_dynamics", variable = "T0" }',
            },
            "link.toml: parameters.k (line 9): horizon_dynamics's T0 belongs to the horizon "
            "family, not power_law",
        ),
        (
            {"parameters": 'posterior = "chinchilla"'},
            "link.toml: parameters.posterior (line 9): 'chinchilla' is not a fit of a model "
            "family; give each parameter as { posterior = ..., variable = ... }",
        ),
        (
            {
                "start": "2024.0",
                "parameters": 'T0 = { posterior = "horizon_dynamics", variable = "T_zero" }',
            },
            None,
        ),
    ],
)
def test_a_scenario_that_disagrees_with_its_fit_is_refused(kwargs, message):
    if message is None:  # an unknown variable fails when the draws are loaded, naming them
        sc = parse_scenario(text(**kwargs), "link.toml")
        with pytest.raises(
            TakeoffError,
            match=r"^posterior horizon_dynamics has no variable "
            r"'T_zero'; it has: .*T0",
        ):
            forecast(sc, draws=10)
        return
    with pytest.raises(TakeoffError) as info:
        parse_scenario(text(**kwargs), "link.toml")
    assert str(info.value) == message


def test_builtin_scenarios_carry_no_unit_constants():
    """Unit conversions (days per year, ln 10) live in the fits, not in scenario files."""
    constants = (1 / 365.25, 2 / 365.25, math.log(10), 365.25)
    for name in builtin_names():
        for key, src in load_scenario(name).all_sources().items():
            if isinstance(src, FromPosterior):
                scale = src.transform.scale
                assert not any(math.isclose(scale, c, rel_tol=1e-4) for c in constants), (
                    f"{name}: {key} scales {src.source}:{src.variable} by {scale}"
                )


def test_a_fit_that_can_shift_starts_a_scenario_at_any_date():
    """horizon_dynamics' law moved to 2023.0 is the same path: the same milestone dates as
    starting at the fit's reference date (to the grid's resolution), with the draws joint."""
    at_fit = parse_scenario(text(), "fit.toml")
    earlier = parse_scenario(text(start="2023.0"), "earlier.toml")
    assert earlier.start == 2023.0
    assert earlier.initial["H"].variable == "initial.H@2023.0"
    a = forecast(at_fit, draws=2000, seed=4).summary["milestone_date"]
    b = forecast(earlier, draws=2000, seed=4).summary["milestone_date"]
    np.testing.assert_allclose(a.values, b.values, atol=2 / 365.25)

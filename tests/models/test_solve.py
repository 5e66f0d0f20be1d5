"""The solver's output shape and its answers to bad input."""

import math

import numpy as np
import pytest

from takeoff import TakeoffError
from takeoff.models import FAMILIES, solve, time_grid


@pytest.mark.parametrize("name", list(FAMILIES))
def test_dataset_layout(name):
    fam = FAMILIES[name]
    rng = np.random.default_rng(0)
    params = {p.name: p.prior.sample(rng, 50) for p in fam.parameters}
    ds = solve(fam, params, t=2025.0 + np.linspace(0, 10, 21))
    assert dict(ds.sizes) == {"draw": 50, "time": 21}
    assert ds["time"].attrs["units"] == "decimal year"
    for state in fam.states:
        assert ds[state.name].dims == ("draw", "time")
        assert ds[state.name].attrs["units"] == state.unit
        assert np.isfinite(ds[state.name].values).all() and (ds[state.name].values > 0).all()
    for var in ("status", "t_cap", "regime", *fam.parameter_names):
        assert ds[var].dims == ("draw",)
    assert set(np.unique(ds["status"].values)) <= {"ok", "capped", "singular"}
    stopped = ds["status"].values != "ok"
    assert np.isinf(ds["t_cap"].values[~stopped]).all()
    assert (ds["t_cap"].values[stopped] >= 2025.0).all()
    np.testing.assert_array_equal(ds[fam.parameter_names[0]].values, params[fam.parameter_names[0]])
    assert ds.attrs["family"] == name


def test_time_origin_is_the_first_time_point():
    a = solve("power_law", {"k": 0.5, "alpha": 1.5}, t=[0.0, 1.0, 2.0])
    b = solve("power_law", {"k": 0.5, "alpha": 1.5}, t=[2030.0, 2031.0, 2032.0])
    np.testing.assert_allclose(a["I"].values, b["I"].values, rtol=1e-14)
    assert float(b["t_blowup"][0]) == pytest.approx(2034.0)


def test_draws_broadcast_from_scalars_and_initial_states():
    ds = solve("power_law", {"k": [0.1, 0.2, 0.3]}, {"I": 2.0}, t=[0.0, 1.0])
    assert ds.sizes["draw"] == 3
    np.testing.assert_allclose(ds["I"].values[:, 0], 2.0)
    ds = solve("power_law", None, {"I": [1.0, 2.0]}, t=[0.0, 1.0])
    np.testing.assert_allclose(ds["k"].values, [0.5, 0.5])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: solve("foom"),
            "unknown family 'foom'; choose one of: power_law, compute_feedback, "
            "jones_software, horizon, hyperbolic_growth, research_loop",
        ),
        (
            lambda: solve("power_law", {"kk": 1.0}),
            "unknown parameter 'kk' for family power_law; valid parameters: k, alpha",
        ),
        (
            lambda: solve("power_law", {"k": 0.0}),
            "parameter k of power_law [1/yr] must be in (0, inf); got 0",
        ),
        (
            lambda: solve("power_law", {"k": [0.5, -1.0]}),
            "parameter k of power_law [1/yr] must be in (0, inf); got -1 (draw 1)",
        ),
        (
            lambda: solve("power_law", {"alpha": math.nan}),
            "parameter alpha of power_law must be in (-inf, inf); got nan",
        ),
        (
            lambda: solve("power_law", None, {"I": 0.0}),
            "initial state I of power_law [capability (I0 = 1 units)] must be in (0, inf); got 0",
        ),
        (
            lambda: solve("power_law", None, {"X": 1.0}),
            "unknown state 'X' for family power_law; valid states: I",
        ),
        (
            lambda: solve("power_law", {"k": [1, 2]}, {"I": [1, 2, 3]}),
            "inputs have different numbers of draws (2, 3); give one value or the same number of "
            "draws everywhere",
        ),
        (
            lambda: solve("power_law", {"k": "fast"}),
            "parameter k must be a number or an array of numbers; got 'fast'",
        ),
        (lambda: solve("power_law", t=[0.0, 2.0, 1.0]), "t must be strictly increasing"),
        (
            lambda: solve("power_law", t=[0.0, math.nan]),
            "t must contain only finite decimal years (no NaN or inf)",
        ),
        (lambda: solve("power_law", t=[0.0]), "t must be a 1-D array of at least 2 decimal years"),
        (
            lambda: solve("jones_software", method="exact"),
            "family jones_software has no closed form; use method 'adaptive' or 'auto'",
        ),
        (
            lambda: solve("power_law", method="euler"),
            "unknown method 'euler'; choose one of: auto, exact, adaptive, arclength, fixed-rk4, "
            "fixed-dopri5",
        ),
        (lambda: solve("power_law", cap=math.inf), "cap must be a positive finite number; got inf"),
        (lambda: time_grid(-1.0), "years must be a positive number; got -1.0"),
        (
            lambda: solve("compute_feedback", {"s": 1.5}),
            "parameter s of compute_feedback must be in [0, 1]; got 1.5",
        ),
    ],
)
def test_bad_input_gets_a_one_line_message(call, message):
    with pytest.raises(TakeoffError) as info:
        call()
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_cap_bisection_stops_with_no_float_inside_and_the_times_of_a_full_bisection():
    """The closed form's cap crossing is bisected until no float lies inside the bracket
    (it can move no more after that): the times equal those of the full 80 halvings,
    bit for bit, for 2,000 power-law draws that blow up inside the grid."""
    from takeoff.models import get_family
    from takeoff.models.family import resolve_parameters
    from takeoff.models.solve import _bisect_cap

    fam = get_family("power_law")
    rng = np.random.default_rng(7)
    n = 2_000
    p = resolve_parameters(fam, {"k": rng.uniform(0.5, 2, n), "alpha": rng.uniform(1.2, 3, n)}, n)
    log_y0 = np.zeros((n, 1))
    tau = time_grid(20, 101)
    log_cap = math.log(1e300)
    over = fam.log_closed_form(tau, log_y0, p)[:, 0, :] >= log_cap
    assert over.any(axis=1).all()  # every draw crosses the cap on the grid
    j = np.argmax(over, axis=1)

    lo = np.where(j > 0, tau[np.maximum(j - 1, 0)], 0.0)
    hi = tau[j].astype(float)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        above = fam.log_closed_form(mid[:, None], log_y0, p)[:, 0, 0] >= log_cap
        hi, lo = np.where(above, mid, hi), np.where(above, lo, mid)

    got = _bisect_cap(fam, tau, j, log_y0, p, log_cap)
    np.testing.assert_array_equal(got, hi)
    # and the crossing is the exact blow-up time to double precision (the cap is 1e300)
    np.testing.assert_allclose(got, fam.blowup_time(log_y0, p), rtol=1e-12)


def test_cap_bisection_is_exact_where_the_bracket_ends_on_a_power_of_two():
    """Just below 2.0 the floats are twice as dense as at 2.0: a bracket (2 - 2 ulp, 2) is one
    spacing of its upper end wide yet holds a float. A crossing there is still found exactly."""
    from types import SimpleNamespace

    from takeoff.models.solve import _bisect_cap

    crossing = np.nextafter(2.0, 0.0)  # the largest float below 2
    step = SimpleNamespace(
        log_closed_form=lambda t, log_y0, p: np.where(t >= crossing, 1.0, 0.0)[:, None, :]
    )
    tau = np.array([0.0, 1.0, 2.0, 3.0])
    got = _bisect_cap(step, tau, np.array([2]), np.zeros((1, 1)), {}, 0.5)
    assert got[0] == crossing

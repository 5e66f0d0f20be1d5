"""The numerical path against the closed forms, scipy, and its own order of convergence."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from takeoff.models import FAMILIES, get_family, solve, time_grid
from takeoff.models.family import resolve_parameters

CLOSED = [name for name, f in FAMILIES.items() if f.log_closed_form is not None]


@pytest.mark.parametrize("name", CLOSED)
def test_adaptive_matches_closed_form_on_prior_draws(name):
    """rtol 1e-6 on every grid point of 200 prior draws over 10 years while the state is below
    1e8 x its start; beyond that, towards a blow-up, the relative error of y (the absolute
    error of ln y) grows with ln y, so there only the blow-up time is compared (rtol 1e-5)."""
    fam = get_family(name)
    rng = np.random.default_rng(1)
    params = {p.name: p.prior.sample(rng, 200) for p in fam.parameters}
    if name == "compute_feedback":
        params["s"] = np.clip(params["s"], 0, 1)
    t = time_grid(10, 101)
    exact = solve(fam, params, t=t, method="exact")
    # tight tolerances: near-critical draws (returns exponent ~ 1) amplify step errors ~1000x
    numeric = solve(fam, params, t=t, method="adaptive", rtol=1e-10, atol=1e-12)
    var = fam.state_names[0]
    before = exact[var].values < 1e8 * exact[var].values[:, :1]
    np.testing.assert_allclose(numeric[var].values[before], exact[var].values[before], rtol=1e-6)
    capped = np.isfinite(exact["t_cap"].values)
    assert (np.isfinite(numeric["t_cap"].values) == capped).all()
    np.testing.assert_allclose(
        numeric["t_cap"].values[capped], exact["t_cap"].values[capped], rtol=1e-5
    )


def _max_log_error(method, substeps):
    """Global error of ln I at 2 output times of a stiffening power law (alpha = 1.3)."""
    t = time_grid(1.5, 3)
    ds = solve("power_law", {"k": 1.0, "alpha": 1.3}, t=t, method=method, substeps=substeps)
    exact = solve("power_law", {"k": 1.0, "alpha": 1.3}, t=t)
    return np.max(np.abs(np.log(ds["I"].values) - np.log(exact["I"].values)))


def _slope(method, substeps):
    errors = np.array([_max_log_error(method, m) for m in substeps])
    assert (errors > 1e-13).all()  # stay clear of round-off
    return -np.polyfit(np.log(substeps), np.log(errors), 1)[0]


def test_rk4_converges_with_order_four():
    """The log-log slope of the global error against the step size, in the asymptotic range."""
    assert _slope("fixed-rk4", [8, 16, 32, 64]) == pytest.approx(4.0, abs=0.15)


def test_dopri5_converges_with_order_at_least_five():
    """Dormand–Prince's 5th-order weights: measured slope >= 5 (on this scalar problem its
    pre-asymptotic slope is ~6; a wrong coefficient drops it to 4 or below)."""
    assert _slope("fixed-dopri5", [2, 4, 8, 16]) >= 4.9


def _jones_scipy(values, t, rtol):
    fam = get_family("jones_software")
    p = resolve_parameters(fam, values, 1)
    p = {**p, **fam.prepare(p)}
    rhs = lambda tt, u: fam.growth_rate(np.array([tt]), u[None, :], p)[0]  # noqa: E731
    sol = solve_ivp(rhs, (t[0], t[-1]), [0.0], t_eval=t, method="DOP853", rtol=rtol, atol=rtol)
    return np.exp(sol.y[0])


def test_jones_software_agrees_with_solve_ivp_on_prior_draws():
    fam = get_family("jones_software")
    rng = np.random.default_rng(2)
    n = 25
    params = {p.name: p.prior.sample(rng, n) for p in fam.parameters}
    t = time_grid(6, 61)
    ds = solve(fam, params, t=t, rtol=1e-10, atol=1e-12)
    checked = 0
    for i in range(n):
        values = {k: v[i] for k, v in params.items()}
        if ds["status"].values[i] != "ok":
            continue
        ref = _jones_scipy(values, t, 1e-12)
        np.testing.assert_allclose(ds["S"].values[i], ref, rtol=1e-7)
        checked += 1
    assert checked >= 15


def test_draws_are_integrated_independently():
    """Per-draw step control: solving draws together equals solving each one alone."""
    fam = get_family("jones_software")
    rng = np.random.default_rng(3)
    params = {p.name: p.prior.sample(rng, 6) for p in fam.parameters}
    params["S_max"][:3] = np.inf
    t = time_grid(15, 31)
    together = solve(fam, params, t=t)
    for i in range(6):
        alone = solve(fam, {k: v[i] for k, v in params.items()}, t=t)
        np.testing.assert_allclose(together["S"].values[i], alone["S"].values[0], rtol=1e-12)
        assert together["status"].values[i] == alone["status"].values[0]


def test_blow_up_stops_at_the_cap_with_the_exact_time_and_no_inf():
    t = time_grid(10, 101)
    for method in ("exact", "adaptive", "fixed-rk4"):
        ds = solve("power_law", {"k": 0.5, "alpha": 1.5}, t=t, method=method, substeps=20)
        values = ds["I"].values
        assert np.isfinite(values).all() and (values > 0).all()
        assert ds["status"].item() in ("capped", "singular")
        tol = {"exact": 1e-12, "adaptive": 1e-6, "fixed-rk4": 1e-2}[method]
        assert float(ds["t_cap"][0]) == pytest.approx(4.0, rel=tol)
        assert values[0, t > 4.0].max() == values[0, -1] == pytest.approx(1e300)


def test_a_ceiling_is_never_passed():
    fam = get_family("jones_software")
    rng = np.random.default_rng(4)
    params = {p.name: p.prior.sample(rng, 2000) for p in fam.parameters}
    params["S_max"] = np.full(2000, 1e4)
    ds = solve(fam, params, t=time_grid(20, 201), rtol=1e-6, atol=1e-8)
    assert (ds["S"].values <= 1e4 * (1 + 1e-12)).all()
    assert (ds["status"].values == "ok").all()
    reached = ds["S"].values[:, -1] > 0.999e4
    assert reached.sum() > 100  # many draws do reach the ceiling


def test_stiff_decline_is_integrated_stably():
    """compute_feedback with fast depreciation and no reinvestment decays as e^(-delta t)."""
    ds = solve(
        "compute_feedback",
        {"s": 0.0, "delta": 50.0, "g": 0.0},
        t=time_grid(2, 21),
        method="adaptive",
    )
    np.testing.assert_allclose(np.log(ds["C"].values[0]), -50.0 * ds["time"].values, rtol=1e-7)
    assert math.isfinite(float(ds["C"][0, -1]))


# --- in arc length ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLOSED)
def test_arclength_matches_closed_form_on_prior_draws(name):
    """As for the adaptive integrator: rtol 1e-6 at every grid point below 1e8 x the start and
    the time a draw reaches the cap (a blow-up, followed to the cap in arc length) at 1e-5."""
    fam = get_family(name)
    rng = np.random.default_rng(1)
    params = {p.name: p.prior.sample(rng, 200) for p in fam.parameters}
    if name == "compute_feedback":
        params["s"] = np.clip(params["s"], 0, 1)
    t = time_grid(10, 101)
    exact = solve(fam, params, t=t, method="exact")
    numeric = solve(fam, params, t=t, method="arclength", rtol=1e-10, atol=1e-12)
    var = fam.state_names[0]
    before = exact[var].values < 1e8 * exact[var].values[:, :1]
    np.testing.assert_allclose(numeric[var].values[before], exact[var].values[before], rtol=1e-6)
    capped = np.isfinite(exact["t_cap"].values)
    assert (np.isfinite(numeric["t_cap"].values) == capped).all()
    np.testing.assert_allclose(
        numeric["t_cap"].values[capped], exact["t_cap"].values[capped], rtol=1e-5
    )
    assert set(numeric["status"].values) <= {"ok", "capped"}


def test_arclength_reaches_a_blow_up_in_few_steps():
    """dI/dt = 0.5 I^1.5 blows up at t* = 4: in t the steps shrink with the time left (~160 of
    them at rtol 1e-6 down to the time resolution), in arc length the path turns vertical."""
    t = time_grid(10, 101)
    params = {"k": 0.5, "alpha": 1.5}
    arc = solve("power_law", params, t=t, method="arclength", rtol=1e-6, atol=1e-8)
    in_t = solve("power_law", params, t=t, method="adaptive", rtol=1e-6, atol=1e-8)
    assert arc["status"].item() == "capped"
    assert float(arc["t_cap"][0]) == pytest.approx(4.0, rel=1e-6)
    assert arc.attrs["steps"] * 4 < in_t.attrs["steps"]
    values = arc["I"].values
    assert np.isfinite(values).all() and values[0, t > 4.0].max() == pytest.approx(1e300)


def test_arclength_jones_software_agrees_with_solve_ivp_and_the_t_integrator():
    fam = get_family("jones_software")
    rng = np.random.default_rng(2)
    n = 25
    params = {p.name: p.prior.sample(rng, n) for p in fam.parameters}
    t = time_grid(6, 61)
    arc = solve(fam, params, t=t, method="arclength", rtol=1e-10, atol=1e-12)
    in_t = solve(fam, params, t=t, method="adaptive", rtol=1e-10, atol=1e-12)
    checked = 0
    for i in range(n):
        if in_t["status"].values[i] != "ok":
            # a blow-up: both stop there (the t integrator where its step collapses, ~1e-12 yr
            # before the singularity; arc length at the cap, after it in no time)
            assert arc["status"].values[i] == "capped"
            assert float(arc["t_cap"][i]) == pytest.approx(float(in_t["t_cap"][i]), rel=1e-6)
            continue
        values = {k: v[i] for k, v in params.items()}
        # time is integrated too: an error dt of the grid's time moves ln S by (growth) dt
        np.testing.assert_allclose(arc["S"].values[i], _jones_scipy(values, t, 1e-12), rtol=5e-7)
        checked += 1
    assert checked >= 15


def test_arclength_never_passes_a_ceiling():
    fam = get_family("jones_software")
    rng = np.random.default_rng(4)
    params = {p.name: p.prior.sample(rng, 2000) for p in fam.parameters}
    params["S_max"] = np.full(2000, 1e4)
    ds = solve(fam, params, t=time_grid(20, 201), method="arclength", rtol=1e-6, atol=1e-8)
    assert (ds["S"].values <= 1e4 * (1 + 1e-12)).all()
    assert (ds["status"].values == "ok").all()
    assert (ds["S"].values[:, -1] > 0.999e4).sum() > 100


def test_arclength_draws_are_integrated_independently():
    fam = get_family("jones_software")
    rng = np.random.default_rng(3)
    params = {p.name: p.prior.sample(rng, 6) for p in fam.parameters}
    params["S_max"][:3] = np.inf
    t = time_grid(15, 31)
    together = solve(fam, params, t=t, method="arclength")
    for i in range(6):
        alone = solve(fam, {k: v[i] for k, v in params.items()}, t=t, method="arclength")
        np.testing.assert_allclose(together["S"].values[i], alone["S"].values[0], rtol=1e-12)
        assert together["status"].values[i] == alone["status"].values[0]


def test_arclength_step_that_crosses_the_cap_only_after_the_end_beside_one_that_crosses_before():
    """Regression: in one step some draws crossed the cap before the grid's end and others only
    after it (not reached: they end "ok"); the held states were taken for all of them and the
    explorer's research_loop band (10,000 draws at its defaults, rho 0.5) raised a shape error.
    These three of its draws meet in such a step; together they must give what each gives
    alone."""
    from takeoff.dashboards.explore import log_scaled, parameter_slider
    from takeoff.models.sweep import ATOL, POINTS, RTOL, spread_draws

    fam = get_family("research_loop")
    centre = {p.name: parameter_slider(p).default for p in fam.parameters} | {"rho": 0.5}
    draws = spread_draws(fam, centre, 0.25, 10_000, 0, log_scaled("research_loop"))
    rows = [8207, 8235, 8246]
    params = {k: v[rows] for k, v in draws.items()}
    t = time_grid(20, POINTS)
    together = solve(fam, params, t=t, method="arclength", rtol=RTOL, atol=ATOL)
    statuses = list(together["status"].values)
    assert "capped" in statuses and "ok" in statuses, statuses  # still the case it guards
    for i in range(len(rows)):
        alone = solve(
            fam,
            {k: v[i : i + 1] for k, v in params.items()},
            t=t,
            method="arclength",
            rtol=RTOL,
            atol=ATOL,
        )
        np.testing.assert_allclose(together["S"].values[i], alone["S"].values[0], rtol=1e-12)
        assert statuses[i] == alone["status"].values[0]
        assert np.isfinite(together["S"].values[i]).all()

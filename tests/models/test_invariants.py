"""Properties that must hold for every valid parameter value (hypothesis)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from takeoff.models import doubling_time, solve, time_grid

T = time_grid(10, 41)
rate = st.floats(0.01, 3.0)
settings.register_profile("takeoff", max_examples=40, deadline=None)
settings.load_profile("takeoff")


@given(k=rate, alpha=st.floats(-1.0, 3.0), I0=st.floats(0.01, 100.0))
def test_power_law_is_positive_finite_and_monotone(k, alpha, I0):
    ds = solve("power_law", {"k": k, "alpha": alpha}, {"I": I0}, t=T)
    values = ds["I"].values[0]
    assert np.isfinite(values).all() and (values > 0).all()
    assert (np.diff(values) >= 0).all()
    assert values[0] == pytest.approx(I0, rel=1e-14)


@given(k=rate, alpha=st.floats(-1.0, 0.999), I0=st.floats(0.01, 100.0))
def test_sublinear_returns_never_blow_up(k, alpha, I0):
    """No singularity ever; over 1000 years a draw may still pass the cap (1e300), and then
    only where the exact solution really is at the cap."""
    ds = solve("power_law", {"k": k, "alpha": alpha}, {"I": I0}, t=time_grid(1000, 11))
    assert math.isinf(float(ds["t_blowup"][0]))
    assert np.isfinite(ds["I"].values).all()
    if ds["status"].item() == "capped":
        t_cap = float(ds["t_cap"][0])
        log_at_cap = math.log(I0 ** (1 - alpha) + (1 - alpha) * k * t_cap) / (1 - alpha)
        assert log_at_cap == pytest.approx(math.log(1e300), rel=1e-9)
    else:
        assert ds["status"].item() == "ok" and math.isinf(float(ds["t_cap"][0]))


@given(k=rate, alpha=st.floats(1.05, 3.0), I0=st.floats(0.1, 10.0))
def test_superlinear_returns_blow_up_at_t_star(k, alpha, I0):
    t_star = I0 ** (1 - alpha) / ((alpha - 1) * k)
    t = time_grid(1.5 * t_star, 31)
    exact = solve("power_law", {"k": k, "alpha": alpha}, {"I": I0}, t=t)
    numeric = solve("power_law", {"k": k, "alpha": alpha}, {"I": I0}, t=t, method="adaptive")
    assert float(exact["t_blowup"][0]) == pytest.approx(t_star, rel=1e-12)
    # the cap (1e300) is reached a hair before t*: the remaining time is t* (cap/I0)^(1-alpha)
    assert float(exact["t_cap"][0]) == pytest.approx(
        t_star, rel=1e-12 + (1e300 / I0) ** (1 - alpha)
    )
    assert float(numeric["t_cap"][0]) == pytest.approx(
        t_star, rel=1e-5 + (1e300 / I0) ** (1 - alpha)
    )
    for ds in (exact, numeric):
        assert np.isfinite(ds["I"].values).all()
        assert ds["status"].item() in ("capped", "singular")


@given(T0=st.floats(0.05, 3.0), H0=st.floats(1.0, 1000.0), H=st.floats(0.1, 1000.0))
def test_eps_zero_gives_a_constant_doubling_time(T0, H0, H):
    ds = solve("horizon", {"T0": T0, "H0": H0, "eps": 0.0}, {"H": H}, t=time_grid(5, 21))
    np.testing.assert_allclose(doubling_time("horizon", ds).values, T0, rtol=1e-12)
    np.testing.assert_allclose(np.diff(np.log2(ds["H"].values[0])), 0.25 / T0, rtol=1e-10)


jones = st.fixed_dictionaries(
    {
        "theta": st.floats(0.05, 1.0),
        "beta": st.floats(0.2, 1.5),
        "lambda": st.floats(0.2, 1.0),
        "rho": st.floats(0.2, 2.0),
        "kappa": st.floats(0.01, 1.0),
        "H0": st.floats(0.5, 2.0),
    }
)


@given(p=jones)
def test_jones_with_ai_labour_accelerates_iff_r_above_one(p):
    """With AI labour only and fixed hardware the growth rate of S rises over time iff r > 1."""
    values = {**p, "L0": 0.0, "g_L": 0.0, "g_H": 0.0}
    r = p["lambda"] * p["rho"] / p["beta"]
    if abs(r - 1) < 0.02:
        return
    ds = solve("jones_software", values, t=time_grid(5, 26))
    ok = ds["time"].values < float(ds["t_cap"][0]) - 1e-6
    dt = doubling_time("jones_software", ds).values[0][ok]
    assert np.isfinite(ds["S"].values).all() and (ds["S"].values > 0).all()
    if r > 1:
        assert (np.diff(dt) < 0).all()
    else:
        assert (np.diff(dt) > 0).all()


@given(p=jones, L0=st.floats(0.0, 5.0), g_H=st.floats(-0.5, 1.0), S_max=st.floats(1.5, 1e8))
def test_jones_stays_positive_finite_and_below_its_ceiling(p, L0, g_H, S_max):
    ds = solve("jones_software", {**p, "L0": L0, "g_H": g_H, "S_max": S_max}, t=time_grid(20, 41))
    S = ds["S"].values
    assert np.isfinite(S).all() and (S > 0).all()
    assert (S <= S_max * (1 + 1e-12)).all()
    # never declines, up to the integration tolerance (rtol 1e-8 on ln S; dense output wobbles)
    assert (np.diff(S[0]) >= -1e-7 * S[0, 1:]).all()


@given(
    gamma=st.floats(0.05, 2.0),
    eta=st.floats(0.2, 2.0),
    s=st.floats(0.0, 1.0),
    g=st.floats(-0.5, 1.0),
    delta=st.floats(0.0, 2.0),
)
def test_compute_feedback_is_finite_and_positive(gamma, eta, s, g, delta):
    ds = solve(
        "compute_feedback",
        {"gamma": gamma, "eta": eta, "s": s, "g": g, "delta": delta},
        t=time_grid(20, 41),
    )
    for var in ("C", "I"):
        assert np.isfinite(ds[var].values).all() and (ds[var].values > 0).all()
    if gamma * eta < 1:
        assert math.isinf(float(ds["t_blowup"][0]))

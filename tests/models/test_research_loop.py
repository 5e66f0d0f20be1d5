"""research_loop against its limits: no AI labour is the Jones law with human labour only (the
trend when growth is balanced), fixed compute and fixed research input give the Jones law's
closed form, the start reproduces its calibration, the ceiling holds, and a restart at a switch
continues the same path."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from takeoff.models import solve, time_grid
from takeoff.models.research_loop import RESEARCH_LOOP

T = time_grid(15.0, 181)


def test_no_ai_labour_with_balanced_growth_is_the_trend():
    g_S, g_L, lam = 0.67, 0.26, 0.8
    beta = lam * g_L / g_S
    ds = solve(
        "research_loop", {"A_ai": 0.0, "g_S": g_S, "g_L": g_L, "lambda": lam, "beta": beta}, t=T
    )
    np.testing.assert_allclose(np.log(ds["S"].values[0]), g_S * T, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ds["speedup"].values[0], 1.0, rtol=1e-6)


def test_no_ai_labour_is_the_jones_law_with_human_labour():
    p = {"A_ai": 0.0, "g_S": 0.5, "g_L": 0.3, "lambda": 0.6, "beta": 0.4}
    ds = solve("research_loop", p, t=T)
    theta = float(ds["theta_start"][0])
    assert theta == pytest.approx(0.5)  # R(0) = L0 = 1, no ceiling: theta = g_S
    want = (1 + 0.4 * theta * (np.exp(0.6 * 0.3 * T) - 1) / (0.6 * 0.3)) ** (1 / 0.4)
    np.testing.assert_allclose(ds["S"].values[0], want, rtol=1e-6)


def test_fixed_compute_and_research_input_give_the_closed_form():
    # g_C = 0, g_L = 0, g_I = 0 and AI labour at a fixed level: automation saturated far above
    # H_half, rho = 0 so software does not change the copies either: R = 1 + A_ai exactly
    p = {"g_C": 0.0, "g_L": 0.0, "g_I": 0.0, "H_half": 1e-3, "w": 0.01, "rho": 0.0, "A_ai": 2.0,
         "beta": 0.7, "lambda": 0.5, "g_S": 0.4}  # fmt: skip
    ds = solve("research_loop", p, t=T)
    R = 1.0 + 2.0
    np.testing.assert_allclose(ds["R"].values[0], R, rtol=1e-9)
    theta = 0.4 / R**0.5
    want = (1 + 0.7 * theta * R**0.5 * T) ** (1 / 0.7)
    np.testing.assert_allclose(ds["S"].values[0], want, rtol=1e-6)


def test_the_start_reproduces_the_links():
    p = {"C0": 3e25, "H0": 90.0, "g_S": 0.6, "K": 2e3, "gamma": 0.17, "A_ai": 3.0, "rho": 0.8}
    ds = solve("research_loop", p, t=T)
    assert ds["E"].values[0, 0] == pytest.approx(3e25)
    assert ds["H"].values[0, 0] == pytest.approx(90.0)
    assert ds["software_rate"].values[0, 0] == pytest.approx(0.6)
    assert ds["loss"].values[0, 0] == pytest.approx(2e3 * (3e25 / 6) ** -0.17)
    # the horizon follows the read-out: H ∝ E^(kappa gamma)
    h = float(ds["kappa"][0] * ds["gamma"][0])
    running = (T > T[0]) & (T < float(ds["t_cap"][0]))  # before the explosion stops the draw
    ratio = np.log(ds["H"].values[0] / 90.0) / np.log(ds["E"].values[0] / 3e25)
    assert running.sum() > 10
    np.testing.assert_allclose(ratio[running], h, rtol=1e-9)


def test_against_solve_ivp_with_ai_labour():
    p = {"A_ai": 5.0, "rho": 0.6, "S_max": 1e6, "H_half": 2e3}
    ds = solve("research_loop", p, t=T)
    from takeoff.models.family import resolve_parameters

    q = resolve_parameters(RESEARCH_LOOP, p, 1)
    q.update(RESEARCH_LOOP.prepare(q))

    def rhs(tau, u):
        return RESEARCH_LOOP.growth_rate(tau, np.array([[u[0]]]), q)[0]

    ref = solve_ivp(rhs, (0, T[-1]), [0.0], t_eval=T, method="Radau", rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(np.log(ds["S"].values[0]), ref.y[0], rtol=1e-6, atol=1e-6)
    assert ds["S"].values[0, -1] < 1e6  # the ceiling holds
    assert (
        ds["regime"].values[0] == "software intelligence explosion (r > 1) up to the ceiling S_max"
    )


def test_returns_exponent_decides_the_regime():
    ds = solve("research_loop", {"rho": np.array([0.2, 0.5]), "beta": 0.25, "lambda": 0.75}, t=T)
    np.testing.assert_allclose(ds["r"].values, [0.6, 1.5])
    assert list(ds["regime"].values) == [
        "no software explosion (r < 1)",
        "software intelligence explosion (r > 1)",
    ]


def test_a_restart_continues_the_same_path():
    p = {"A_ai": 2.0, "rho": 0.7, "S_max": 1e8}
    full = solve("research_loop", p, t=T)
    cut = 60
    first = solve("research_loop", p, t=T[: cut + 1])
    from takeoff.models.family import resolve_parameters

    log_y = np.log(first["S"].values[:, -1:])
    params = RESEARCH_LOOP.restarted(
        resolve_parameters(RESEARCH_LOOP, p, 1), np.array([T[cut]]), log_y
    )
    second = solve("research_loop", params, {"S": first["S"].values[:, -1]}, t=T[cut:])
    for name in ("S", "H", "E", "R", "software_rate", "speedup"):
        np.testing.assert_allclose(second[name].values[0], full[name].values[0, cut:], rtol=1e-5)
    assert math.isclose(float(params["theta"][0]), float(full["theta_start"][0]))


def test_ai_labour_is_inference_compute_over_the_compute_per_copy():
    """With automation saturated, AI labour is A_ai e^((g_I - nu g_C) t) (S / S_ai)^rho: it
    grows with the inference compute, shrinks as the frontier model (and its cost per copy)
    grows with training compute, and grows with software efficiency; it does not scale with
    training compute as (E / E_ref)^rho."""
    p = {"H_half": 1e-3, "w": 0.01, "A_ai": 3.0, "L0": 1e-9, "g_L": 0.0, "g_I": 0.9,
         "nu": 0.5, "g_C": 1.5, "rho": 0.6, "S_max": 1e12}  # fmt: skip
    ds = solve("research_loop", p, t=T)
    log_s = np.log(ds["S"].values[0])
    running = T < float(ds["t_cap"][0])
    want = np.log(3.0) + (0.9 - 0.5 * 1.5) * T + 0.6 * log_s
    np.testing.assert_allclose(np.log(ds["R"].values[0])[running], want[running], atol=1e-6)
    # a bigger training run at the same inference budget: fewer copies, not more
    faster = solve("research_loop", {**p, "g_C": 3.0}, t=T)
    assert faster["R"].values[0, 10] / faster["S"].values[0, 10] ** 0.6 < (
        ds["R"].values[0, 10] / ds["S"].values[0, 10] ** 0.6
    )

"""The exact Bernoulli solution against textbook formulas and an independent ODE solver."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from takeoff.models import bernoulli


def test_phi_and_expm1_ratio_match_direct_formulas_and_limits():
    x = np.array([-0.9, -0.5, -1e-3, 1e-3, 0.5, 3.0])
    np.testing.assert_allclose(bernoulli.log1p_ratio(x), np.log1p(x) / x, rtol=1e-13)
    np.testing.assert_allclose(bernoulli.expm1_ratio(x), np.expm1(x) / x, rtol=1e-13)
    tiny = np.array([-1e-10, 0.0, 1e-10])
    np.testing.assert_allclose(bernoulli.log1p_ratio(tiny), 1 - tiny / 2, rtol=1e-15)
    np.testing.assert_allclose(bernoulli.expm1_ratio(tiny), 1 + tiny / 2, rtol=1e-15)
    assert np.all(np.isinf(bernoulli.log1p_ratio(np.array([-1.0, -2.0]))))


@pytest.mark.parametrize("alpha", [0.3, 0.9, 0.999999, 1.000001, 1.4])
def test_power_law_matches_textbook_closed_form(alpha):
    k, I0 = 0.7, 2.0
    t_star = I0 ** (1 - alpha) / ((alpha - 1) * k) if alpha > 1 else np.inf
    tau = np.linspace(0, min(5.0, 0.9 * t_star), 50)
    textbook = (I0 ** (1 - alpha) + (1 - alpha) * k * tau) ** (1 / (1 - alpha))
    got = np.exp(bernoulli.log_path(tau, np.array([math.log(I0)]), k, alpha)[0])
    np.testing.assert_allclose(got, textbook, rtol=1e-7 if abs(alpha - 1) < 1e-3 else 1e-12)


def test_power_law_at_alpha_one_is_exponential():
    tau = np.linspace(0, 10, 11)
    got = bernoulli.log_path(tau, np.array([0.3]), 0.4, 1.0)[0]
    np.testing.assert_allclose(got, 0.3 + 0.4 * tau, rtol=1e-14)


CASES = [  # (K, m, delta, g, log_y0): sublinear, knife-edge, superlinear, G = 0, decay wins
    (0.2, 0.5, 0.1, 0.35, 0.0),
    (0.3, 1.0, 0.1, 0.35, 0.5),
    (0.2, 1.2, 0.1, 0.35, 0.0),
    (0.2, 1.5, 0.2, 0.1, 0.0),  # G = g + (1-m) delta = 0
    (0.05, 1.5, 1.0, 0.0, 0.0),  # superlinear but depreciation wins: no blow-up
    (0.5, 0.0, 0.3, -0.1, 1.0),
]


@pytest.mark.parametrize(("K", "m", "delta", "g", "log_y0"), CASES)
def test_general_solution_matches_solve_ivp(K, m, delta, g, log_y0):
    t_star = float(bernoulli.blowup_time(log_y0, K, m, delta, g))
    t_end = min(8.0, 0.95 * t_star)
    tau = np.linspace(0, t_end, 40)
    ref = solve_ivp(
        lambda t, u: K * np.exp(g * t + (m - 1) * u) - delta,
        (0, t_end),
        [log_y0],
        t_eval=tau,
        method="DOP853",
        rtol=1e-12,
        atol=1e-12,
    )
    got = bernoulli.log_path(tau, np.array([log_y0]), K, m, delta, g)[0]
    np.testing.assert_allclose(got, ref.y[0], rtol=1e-8, atol=1e-9)


def test_blowup_time_is_where_the_solution_diverges():
    for K, m, delta, g, log_y0 in CASES:
        t_star = float(bernoulli.blowup_time(log_y0, K, m, delta, g))
        if m <= 1 or (K, m, delta) == (0.05, 1.5, 1.0):
            assert t_star == np.inf
            continue
        before = bernoulli.log_path(
            np.array([t_star * (1 - 1e-9)]), np.array([log_y0]), K, m, delta, g
        )
        after = bernoulli.log_path(
            np.array([t_star * (1 + 1e-9)]), np.array([log_y0]), K, m, delta, g
        )
        assert np.isfinite(before).all() and before[0, 0] > 10  # large but finite just before
        assert np.isinf(after).all()


def test_blowup_time_of_power_law_is_the_textbook_value():
    t_star = bernoulli.blowup_time(np.log([1.0, 3.0]), np.array([0.5, 2.0]), np.array([1.5, 3.0]))
    np.testing.assert_allclose(t_star, [1 / (0.5 * 0.5), 3.0**-2 / (2 * 2.0)], rtol=1e-14)

"""The separable solution of the Jones law with exogenous research input (human labour only, no
ceiling), S^beta = S0^beta + beta theta ∫ R^lambda dt, against the family's own vector field
integrated numerically by solve_ivp; in PyTensor it equals numpy with finite gradients."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from takeoff.models.jones_software import (
    JONES_SOFTWARE,
    log_software,
    research_integral,
    theta_from_end,
)

pt = pytest.importorskip("pytensor.tensor")


def family_log_s(t_eval, segments, beta, lam, theta, log_s0=0.0):
    """ln S at ``t_eval`` by solve_ivp of JONES_SOFTWARE.vector_field with kappa = 0 (research
    input = human labour L0 e^(g_L t) only), one solve per segment with that segment's L0 and
    g_L so that L(t) is the segment's log-linear research input."""
    y = np.array([math.exp(log_s0)])
    out = {}
    for start, end, log_r, growth in segments:
        p = {
            "theta": theta,
            "beta": beta,
            "lambda": lam,
            "rho": 1.0,
            "kappa": 0.0,
            "L0": math.exp(log_r - growth * start),  # L0 e^(g t) = R_k at t = start
            "g_L": growth,
            "H0": 1.0,
            "g_H": 0.35,
            "S_max": math.inf,
        }
        params = {k: np.array([v]) for k, v in p.items()}
        here = [t for t in t_eval if start < t <= end]

        def rhs(t, s, params=params):
            return JONES_SOFTWARE.vector_field(np.array([t]), s[None, :], params)[0]

        sol = solve_ivp(rhs, (start, end), y, t_eval=here or None, rtol=1e-11, atol=1e-13)
        out.update(zip(here, np.log(sol.y[0][: len(here)]), strict=True))
        y = solve_ivp(rhs, (start, end), y, rtol=1e-11, atol=1e-13).y[:, -1]
    return np.array([out.get(t, log_s0) for t in t_eval])


def arrays(segments):
    return tuple(np.array(c, float) for c in zip(*segments, strict=True))


@pytest.mark.parametrize(
    ("beta", "lam", "theta", "growth"),
    [(0.5, 0.6, 0.5, 0.03), (1.6, 0.9, 11.0, 0.25), (0.2, 0.3, 2.0, 0.8), (3.0, 1.0, 5.0, 0.1)],
)
def test_exponential_labour_matches_the_family_vector_field(beta, lam, theta, growth):
    """R = e^(g t) on one segment: I = (e^(lambda g t) - 1) / (lambda g)."""
    t = np.linspace(0.0, 5.0, 11)
    segments = [(0.0, 5.0, 0.0, growth)]
    start, end, log_r, g = arrays(segments)
    integral = research_integral(t, start, end, log_r, g, lam)
    np.testing.assert_allclose(integral, np.expm1(lam * growth * t) / (lam * growth), rtol=1e-12)
    got = log_software(integral, 0.0, beta, theta)
    want = family_log_s(t[1:], segments, beta, lam, theta)
    np.testing.assert_allclose(got[1:], want, atol=1e-8)


def test_a_research_series_of_steps_and_ramps_matches_the_family_vector_field():
    """A piecewise log-linear R (steps, rises, a fall): the exact integral against solve_ivp
    across every segment, from S0 != 1."""
    segments = [
        (0.0, 0.3, 0.0, 0.0),
        (0.3, 0.8, math.log(9.0), 0.0),
        (0.8, 1.5, math.log(9.0), 0.9),
        (1.5, 2.0, math.log(9.0) + 0.63, -1.2),
        (2.0, 2.6, math.log(20.0), 0.0),
    ]
    start, end, log_r, g = arrays(segments)
    t = np.array([0.1, 0.3, 0.55, 0.8, 1.2, 1.5, 1.9, 2.0, 2.3, 2.6])
    cases = ((1.6, 0.87, 1.2), (0.56, 0.06, 4.5), (1.0, 1.0, 1.0), (0.05, 0.4, 0.3))
    for beta, lam, theta in cases:
        got = log_software(research_integral(t, start, end, log_r, g, lam), 0.2, beta, theta)
        want = family_log_s(t, segments, beta, lam, theta, log_s0=0.2)
        np.testing.assert_allclose(got, want, atol=1e-8)


def test_theta_from_end_reaches_the_end_level():
    start, end, log_r, g = arrays([(0.0, 1.0, 0.0, 0.5), (1.0, 2.0, 0.5, 0.0)])
    t = np.array([0.5, 2.0])
    for beta in (1e-9, 0.3, 2.5):
        integral = research_integral(t, start, end, log_r, g, 0.7)
        theta = theta_from_end(0.1, 3.4, beta, integral[-1])
        assert log_software(integral, 0.1, beta, theta)[-1] == pytest.approx(3.4, rel=1e-12)
    # beta -> 0 is exponential growth in I: ln S = ln S0 + theta I
    theta = theta_from_end(0.1, 3.4, 1e-12, integral[-1])
    assert theta == pytest.approx(3.3 / integral[-1], rel=1e-9)


def test_draws_broadcast_over_a_leading_axis():
    start, end, log_r, g = arrays([(0.0, 1.0, 0.0, 0.5), (1.0, 2.0, 0.5, 0.0)])
    t = np.linspace(0.0, 2.0, 7)
    lam = np.array([0.2, 0.9])
    both = research_integral(t[None, :], start, end, log_r, g, lam[:, None, None])
    for i, value in enumerate(lam):
        np.testing.assert_allclose(both[i], research_integral(t, start, end, log_r, g, value))


def test_pytensor_equals_numpy_with_finite_gradients():
    import pytensor

    t, start, end, log_r, g = (pt.dvector() for _ in range(5))
    lam, log_s0, beta, log_s_end = pt.dscalars("lam", "log_s0", "beta", "log_s_end")
    integral = research_integral(t, start, end, log_r, g, lam)
    theta = theta_from_end(log_s0, log_s_end, beta, integral[-1])
    out = log_software(integral, log_s0, beta, theta)
    inputs = [t, start, end, log_r, g, lam, log_s0, beta, log_s_end]
    f = pytensor.function(inputs, out)
    grad = pytensor.function(inputs, pt.grad(out.sum(), [lam, log_s0, beta, log_s_end]))
    seg = arrays([(0.0, 0.4, 0.0, 0.0), (0.4, 1.0, math.log(5.0), 0.0), (1.0, 2.0, 1.6, 0.3)])
    times = np.linspace(0.05, 2.0, 30)
    for lam_v, b in ((0.8, 1.6), (1e-7, 0.3), (1.0, 1e-7)):
        want_i = research_integral(times, *seg, lam_v)
        want = log_software(want_i, 0.05, b, theta_from_end(0.05, 3.5, b, want_i[-1]))
        np.testing.assert_allclose(f(times, *seg, lam_v, 0.05, b, 3.5), want, rtol=1e-10)
        assert all(np.isfinite(v) for v in grad(times, *seg, lam_v, 0.05, b, 3.5))

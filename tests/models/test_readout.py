"""The loss-to-horizon read-out: hand-computed values, the compute-optimal constant against
chinchilla.compute_optimal, and the doubling-time formula against a numerical derivative."""

import math

import numpy as np
import pytest
import xarray as xr

from takeoff import TakeoffError
from takeoff.models import readout, scaling, trend


def test_hand_computed_read_outs():
    # eps = 0.01: n50 = ln 0.5 / ln 0.99 = 68.9676 steps
    assert readout.n50(0.01) == pytest.approx(68.9676, abs=1e-4)
    assert readout.success(0.01, 68.9676) == pytest.approx(0.5, abs=1e-6)
    assert readout.success(0.1, 10) == pytest.approx(0.9**10)
    # c = 2, kappa = 2, L - E = 0.1: eps = 0.02, n50 = 34.31 steps, 1.5 min a step
    assert readout.per_step_failure(0.1, 2.0, 2.0) == pytest.approx(0.02)
    assert readout.horizon_minutes(0.1, 2.0, 2.0, 1.5) == pytest.approx(
        1.5 * math.log(0.5) / math.log(0.98)
    )
    # eps = 0.5: one step; a huge c clips below 1 (a horizon near zero, finite)
    assert readout.n50(0.5) == pytest.approx(1.0)
    h = readout.horizon_minutes(1.0, 1e6, 1.0, 1.0)
    assert 0 < h < 0.03 and np.isfinite(h)
    assert readout.n50(0.0) == np.inf


def test_small_eps_limit_and_elasticity():
    eps = np.array([1e-9, 1e-4, 1e-2, 0.3])
    assert np.allclose(readout.n50(eps[:2]) * eps[:2], math.log(2), rtol=1e-4)
    # elasticity against a numerical derivative of ln n50 in ln eps
    h = 1e-6
    numeric = -(np.log(readout.n50(eps * math.exp(h))) - np.log(readout.n50(eps))) / h
    assert np.allclose(readout.n50_elasticity(eps), numeric, rtol=1e-4)
    assert readout.n50_elasticity(0.0) == 1.0


def test_reducible_constant_matches_compute_optimal():
    from takeoff.models.fits.chinchilla import compute_optimal

    alpha, beta = np.array([0.34, 0.28]), np.array([0.28, 0.4])
    A, B = np.array([406.4, 300.0]), np.array([410.7, 1900.0])
    G = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
    post = xr.Dataset(
        {
            "G": ("draw", G),
            "a": ("draw", beta / (alpha + beta)),
            "b": ("draw", alpha / (alpha + beta)),
        }
    )
    compute = np.array([1e21, 5.76e23, 1e26])
    opt = compute_optimal(post, compute)
    direct = (
        A[:, None] * opt["N_opt"] ** -alpha[:, None] + B[:, None] * opt["D_opt"] ** -beta[:, None]
    )
    closed = scaling.reducible_loss(compute[None, :], *(x[:, None] for x in (A, B, alpha, beta, G)))
    assert np.allclose(closed, direct, rtol=1e-12)
    # the compute-optimal allocation minimises L - E at fixed C = 6 N D
    n = opt["N_opt"][0, 1] * np.array([0.8, 1.25])
    other = A[0] * n ** -alpha[0] + B[0] * (compute[1] / (6 * n)) ** -beta[0]
    assert (other > closed[0, 1]).all()


def test_doubling_time_against_a_numerical_derivative_of_the_chain():
    A, B, alpha, beta, G = 443.0, 1967.0, 0.342, 0.362, 0.125
    level, slope, t_ref = 22.03, 0.666, 2019.15
    kappa, step_minutes = 5.0, 1.0
    reducible_ref = scaling.reducible_loss(10**level, A, B, alpha, beta, G)
    c = 1e-4 / reducible_ref**kappa  # eps_step = 1e-4 at t_ref: the small-eps regime

    def log_h(t):
        compute = 10 ** trend.log10_value(t - t_ref, level, slope)
        reducible = scaling.reducible_loss(compute, A, B, alpha, beta, G)
        return np.log(readout.horizon_minutes(reducible, c, kappa, step_minutes))

    dt = 1e-4
    growth = (log_h(t_ref + dt) - log_h(t_ref - dt)) / (2 * dt)
    gamma = alpha * beta / (alpha + beta)
    expected = readout.doubling_time_years(kappa, gamma, slope)
    assert math.log(2) / growth == pytest.approx(expected, rel=1e-3)
    # where eps is not small the exact growth is faster by the elasticity factor
    c_big = 0.2 / reducible_ref**kappa
    big = readout.horizon_minutes
    red = [
        scaling.reducible_loss(
            10 ** trend.log10_value(t - t_ref, level, slope), A, B, alpha, beta, G
        )
        for t in (t_ref - dt, t_ref + dt)
    ]
    growth_big = np.diff(np.log([big(r, c_big, kappa, 1.0) for r in red]))[0] / (2 * dt)
    assert math.log(2) / growth_big == pytest.approx(
        expected / readout.n50_elasticity(0.2), rel=1e-3
    )


def test_bad_inputs():
    with pytest.raises(TakeoffError, match=r"^reducible loss L − E must be non-negative$"):
        readout.per_step_failure(-0.1, 1.0, 1.0)
    with pytest.raises(TakeoffError, match=r"must be positive$"):
        readout.doubling_time_years(0.0, 0.17, 0.6)


# The read-out with a change of exponent (log_horizon_changed) -------------------------------------


def test_changed_read_out_without_a_change_is_the_straight_law():
    rng = np.random.default_rng(1)
    log_e, log_e0, log_h0 = rng.normal(60, 5, 50), rng.normal(60, 5, 50), rng.normal(3, 2, 50)
    h, log_ec = rng.uniform(0.1, 1.5, 50), rng.normal(60, 5, 50)
    got = readout.log_horizon_changed(log_e, log_e0, log_h0, h, 0.0, log_ec)
    np.testing.assert_array_equal(got, log_h0 + h * (log_e - log_e0))


def test_changed_read_out_slopes_and_asymptote():
    """d ln H / d ln E is h below the change and h + dh above it (numerical derivative); far
    from the change the closed form ln H0 + h (x − x0) + dh (x − x_c) holds (ramp → max(z, 0))."""
    h, dh, log_ec, log_e0, log_h0 = 0.4, 0.6, 60.0, 50.0, 2.0
    step = 1e-5

    def slope(x):
        hi = readout.log_horizon_changed(x + step, log_e0, log_h0, h, dh, log_ec)
        lo = readout.log_horizon_changed(x - step, log_e0, log_h0, h, dh, log_ec)
        return (hi - lo) / (2 * step)

    assert slope(45.0) == pytest.approx(h, abs=1e-8)
    assert slope(75.0) == pytest.approx(h + dh, abs=1e-8)
    assert slope(log_ec) == pytest.approx(h + dh / 2, abs=1e-6)  # softplus' midpoint
    x = np.array([70.0, 80.0])
    want = log_h0 + h * (x - log_e0) + dh * (x - log_ec)
    got = readout.log_horizon_changed(x, log_e0, log_h0, h, dh, log_ec)
    np.testing.assert_allclose(got, want, atol=1e-7)
    # at E0 the horizon is H0 whatever the change
    assert readout.log_horizon_changed(log_e0, log_e0, log_h0, h, dh, log_ec) == log_h0


def test_changed_read_out_in_pytensor_equals_numpy_with_its_gradient():
    pytensor = pytest.importorskip("pytensor")
    import pytensor.tensor as pt

    x = pt.dvector("x")
    dh = pt.dscalar("dh")
    y = readout.log_horizon_changed(x, 55.0, 1.0, 0.5, dh, 58.0)
    f = pytensor.function([x, dh], [y, pytensor.grad(y.sum(), dh)])
    xs = np.linspace(40.0, 80.0, 9)
    value, grad = f(xs, 0.7)
    np.testing.assert_allclose(value, readout.log_horizon_changed(xs, 55.0, 1.0, 0.5, 0.7, 58.0))
    bend = readout.ramp(xs - 58.0) - readout.ramp(55.0 - 58.0)
    assert float(grad) == pytest.approx(float(bend.sum()), rel=1e-10)

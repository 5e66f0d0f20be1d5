"""The PyTensor RK4 path of the research loop (takeoff.models.loop_path) against the family's
numpy solver (adaptive Dormand-Prince at rtol 1e-11): forwards from the start and backwards to
it, at several parameter points, within a stated tolerance; and the uplift it implies."""

import math

import numpy as np
import pytest

from takeoff.models import solve
from takeoff.models.loop_path import log_uplift, rk4_path

pytensor = pytest.importorskip("pytensor")
pt = pytensor.tensor

NAMES = ("g_S", "beta", "lambda", "log_S_max", "g_C", "g_L", "g_I", "nu", "rho", "log_A_ai",
         "log_H0", "kappa", "gamma", "log_H_half", "w")  # fmt: skip
POINTS = [  # (family parameters), moderate to strong AI labour over the data period's length
    dict(g_S=0.7, beta=0.4, S_max=1e5, g_C=1.4, g_L=0.3, g_I=0.9, nu=0.5, rho=0.8, A_ai=0.5,
         H0=200.0, kappa=2.0, gamma=0.17, H_half=20000.0, w=1.0, **{"lambda": 0.6}),
    dict(g_S=0.4, beta=1.2, S_max=1e8, g_C=1.6, g_L=0.9, g_I=0.5, nu=0.52, rho=0.2, A_ai=5.0,
         H0=400.0, kappa=1.5, gamma=0.18, H_half=3000.0, w=0.6, **{"lambda": 0.8}),
    dict(g_S=0.9, beta=0.3, S_max=1e7, g_C=1.2, g_L=0.5, g_I=1.0, nu=0.5, rho=0.6, A_ai=1.0,
         H0=100.0, kappa=3.0, gamma=0.17, H_half=5000.0, w=1.5, **{"lambda": 0.4}),
]  # fmt: skip
STEP = 1.0 / 12.0  # monthly
YEARS = 6.0
TOL = 2e-6  # max |ln S error| over the path (RK4 at a month: error ~h^4)


def _loop_params(p):
    out = {k: v for k, v in p.items() if k not in ("S_max", "A_ai", "H0", "H_half")}
    out.update(log_S_max=math.log(p["S_max"]), log_A_ai=math.log(p["A_ai"]),
               log_H0=math.log(p["H0"]), log_H_half=math.log(p["H_half"]))  # fmt: skip
    return out


@pytest.fixture(scope="module")
def compiled():
    """ln S along a forward grid from 0 and along the reversed grid from a given ln S at the end
    (theta calibrated at the start in both), and the uplift at (u, tau): compiled once."""
    sym = {k: pt.dscalar(k) for k in NAMES}
    grid = np.arange(0.0, YEARS + STEP / 2, STEP)
    u_end = pt.dscalar("u_end")
    from takeoff.models.loop_path import log_theta

    fwd = rk4_path(sym, grid)
    back = rk4_path(sym, grid[::-1], u_end, log_theta(sym))
    u, tau = pt.dscalar("u"), pt.dscalar("tau")
    inputs = [sym[k] for k in NAMES]
    return (
        grid,
        pytensor.function(inputs, fwd),
        pytensor.function([*inputs, u_end], back),
        pytensor.function([*inputs, u, tau], log_uplift(u, tau, sym), on_unused_input="ignore"),
    )


def _numpy_path(p, grid):
    ds = solve("research_loop", {k: np.array([v]) for k, v in p.items()}, t=grid, rtol=1e-11,
               atol=1e-12, derived=["R"])  # fmt: skip
    return np.log(ds["S"].values[0]), ds


@pytest.mark.parametrize("point", range(len(POINTS)))
def test_rk4_forward_matches_the_numpy_solver(compiled, point):
    grid, fwd, _, _ = compiled
    p = POINTS[point]
    q = _loop_params(p)
    want, _ = _numpy_path(p, grid)
    got = fwd(*(q[k] for k in NAMES))
    assert want[-1] > 2.0  # the path moves: S grows by e^2 or more over the span
    np.testing.assert_allclose(got, want, rtol=0, atol=TOL)


@pytest.mark.parametrize("point", range(len(POINTS)))
def test_rk4_backward_returns_to_the_start(compiled, point):
    grid, _, back, _ = compiled
    p = POINTS[point]
    q = _loop_params(p)
    want, _ = _numpy_path(p, grid)
    got = back(*(q[k] for k in NAMES), want[-1])
    np.testing.assert_allclose(got, want[::-1], rtol=0, atol=TOL)


@pytest.mark.parametrize("point", range(len(POINTS)))
def test_uplift_is_research_speed_with_over_without_ai(compiled, point):
    grid, _, _, uplift = compiled
    p = POINTS[point]
    q = _loop_params(p)
    u, ds = _numpy_path(p, grid)
    j = len(grid) // 2
    log_r = np.log(ds["R"].values[0, j])
    log_human = p["g_L"] * grid[j]
    got = uplift(*(q[k] for k in NAMES), u[j], grid[j])
    assert got == pytest.approx(p["lambda"] * (log_r - log_human), rel=1e-9)
    assert got > 0.0  # the loop's uplift is at least 1


def test_rk4_with_the_changed_readout_matches_the_numpy_solver():
    """The read-out with a change of exponent (loop_path.log_horizon_changed) inside the ODE:
    the same path as the family's numpy solver with dkappa and E_change (E_change crossed
    within the span), within TOL, and a path that differs from the straight read-out's."""
    from takeoff.models.loop_path import log_horizon_changed

    p = dict(POINTS[0], C0=1e26, dkappa=1.5, E_change=1e26 * math.exp(3.0))
    names = (*NAMES, "dkappa", "log_E_change")
    sym = {k: pt.dscalar(k) for k in names}
    grid = np.arange(0.0, YEARS + STEP / 2, STEP)
    fwd = pytensor.function(
        [sym[k] for k in names], rk4_path(sym, grid, readout=log_horizon_changed)
    )
    q = _loop_params({k: v for k, v in p.items() if k not in ("C0", "dkappa", "E_change")})
    q.update(dkappa=p["dkappa"], log_E_change=math.log(p["E_change"] / p["C0"]))
    want, _ = _numpy_path(p, grid)
    straight, _ = _numpy_path(POINTS[0], grid)
    got = fwd(*(q[k] for k in names))
    assert abs(want[-1] - straight[-1]) > 0.1  # the change matters over the span
    np.testing.assert_allclose(got, want, rtol=0, atol=TOL)


@pytest.mark.parametrize(("q", "lam", "g_L"), [(0.05, 0.6, 0.3), (0.4, 0.8, 0.9), (0.79, 0.3, 1.5)])
def test_human_growth_over_the_data_period_has_the_closed_form(q, lam, g_L):
    """log_D's closed form (research_loop_fit samples g_S through it): with no AI labour and no
    ceiling, the RK4 path run back 7 years ends at ln S = −g_S F(q, lambda, g_L), F from
    log_human_growth_factor, within 1e-6 (RK4 at a month); numpy and PyTensor forms agree."""
    from takeoff.models.loop_path import log_human_growth_factor, path_nodes

    g_S, span = 0.7, 7.0
    p = {**_loop_params(POINTS[0]), "g_S": g_S, "lambda": lam, "g_L": g_L,
         "beta": q * lam * g_L / g_S, "log_A_ai": -60.0, "log_S_max": 200.0}  # fmt: skip
    nodes, u = path_nodes(p, -span, 0.5, 1.0 / 12.0)
    back = float(u.eval()[np.argmin(np.abs(nodes + span))])
    log_f = log_human_growth_factor(q, lam, g_L, span)
    assert back < -0.5  # S moved over the span
    assert -g_S * np.exp(log_f) == pytest.approx(back, abs=1e-6)
    sym = log_human_growth_factor(pt.as_tensor(q), lam, g_L, span, pt).eval()
    assert float(sym) == pytest.approx(log_f, rel=1e-12)
    # q -> 0 (beta -> 0): d ln S/dt = g_S e^(lambda g_L tau), so D = g_S (1 - e^-x) / (lambda g_L)
    x = lam * g_L * span
    limit = -np.expm1(-x) / (lam * g_L)
    assert np.exp(log_human_growth_factor(1e-9, lam, g_L, span)) == pytest.approx(limit, rel=1e-6)


def test_backdated_on_path_is_the_fits_path_run_back():
    """The data-period check of a scenario drawn from the joint fit starts where the fit's path
    puts ln S: research_loop.backdated_on_path (numpy RK4, vectorised) against loop_path's
    PyTensor RK4 at the same step, with strong AI labour and a changed read-out, within 1e-7;
    and the loop moved back there runs forward to S = 1 at the start (within 1e-5)."""
    from takeoff.models import research_loop
    from takeoff.models.family import resolve_parameters
    from takeoff.models.loop_path import log_horizon_changed, path_nodes

    p = dict(POINTS[1], C0=1e26, dkappa=1.5, E_change=1e26 * math.exp(-4.0))
    params = resolve_parameters(research_loop.RESEARCH_LOOP, p, 2)
    back, log_s = research_loop.backdated_on_path(params, 6.0, step=0.25)
    q = _loop_params({k: v for k, v in p.items() if k not in ("C0", "dkappa", "E_change")})
    q.update(dkappa=p["dkappa"], log_E_change=math.log(p["E_change"] / p["C0"]))
    nodes, u = path_nodes(q, -6.0, 0.5, 0.25, log_horizon_changed)
    want = float(u.eval()[np.argmin(np.abs(nodes + 6.0))])
    assert want < -0.5  # S moved over the span
    np.testing.assert_allclose(log_s, want, rtol=0, atol=1e-7)
    ds = solve("research_loop", back, {"S": np.exp(log_s)}, np.array([0.0, 6.0]), rtol=1e-10,
               atol=1e-12)  # fmt: skip
    np.testing.assert_allclose(np.log(ds["S"].values[:, -1]), 0.0, atol=1e-5)

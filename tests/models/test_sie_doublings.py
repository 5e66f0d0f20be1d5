"""sie_doublings (Davidson & Houlden 2025): the recursion by hand, its variants, the (T, m)
metric on handmade trajectories, an independent naive implementation, and convergence of the
recursion to its continuous-time counterpart as the step shrinks."""

import math

import numpy as np
import pytest

from takeoff import TakeoffError
from takeoff.models import solve
from takeoff.models.sie import (
    SIE_CONTINUOUS,
    SIE_DOUBLINGS,
    continuous_time_to,
    doublings_for,
    max_run,
    simulate_doublings,
    years_within,
)

# --- a deliberately naive reference, written from the issue text, one simulation at a time ----


def naive_simulation(f, r0, L, p, constant_r=False):
    """Doubling times (months) of one simulation, as the issue states the published model."""
    sc = 0.5
    N = (4 / sc) * L
    t = 0.0
    delta = 3 / f
    r = r0
    S = 1.0
    times = []
    while True:
        t += delta
        S *= 2
        if not constant_r:
            r -= r0 / N
        if r > 0:
            try:
                delta = delta * 2 ** (p * (1 / r - 1))
            except OverflowError:  # Python floats raise where numpy gives inf
                delta = math.inf
        times.append(t)
        if t >= 48 or len(times) >= N or r <= 0:
            return times


def naive_metric(times, T, m):
    """Some run of floor((T/12) 8 m) consecutive doublings, starting at a step, took < T."""
    k = math.floor(T / 12 * 8 * m)
    starts = [0.0, *times]
    return any(times[i + k - 1] - starts[i] < T for i in range(len(times) - k + 1))


def published_draws(n, seed):
    rng = np.random.default_rng(seed)
    return (
        np.exp(rng.uniform(math.log(2), math.log(32), n)),
        np.exp(rng.uniform(math.log(0.4), math.log(3.6), n)),
        rng.uniform(6, 16, n),
        np.exp(rng.uniform(math.log(0.15), math.log(0.6), n)),
    )


# --- the recursion by hand -----------------------------------------------------------------------


def test_three_steps_by_hand_to_the_ceiling():
    """f = 3 (Δ0 = 1 month), r0 = 1.5, L = 3/8 (N = 3), p = 1: r goes 1.0, 0.5, 0.0.
    Step 1: t = 1, r = 1 -> Δ *= 2^0 = 1. Step 2: t = 2, r = 0.5 -> Δ *= 2^(1/0.5 - 1) = 2.
    Step 3: t = 4, r = 0 -> no update; 3 doublings = N and r <= 0: the ceiling."""
    d = simulate_doublings(3.0, 1.5, 3 / 8, 1.0)
    assert d.times.tolist() == [[1.0, 2.0, 4.0]]
    assert d.steps.tolist() == [3] and d.stop.tolist() == [1]


def test_three_steps_by_hand_with_a_fractional_ceiling():
    """N = 8 * 0.3 = 2.4 is not rounded: doublings continue while k < N, so ceil(N) = 3 are done.
    f = 3, r0 = 1.2 (r0/N = 0.5), p = 0.5: r = 0.7 -> Δ = 2^(0.5 (1/0.7 - 1)); r = 0.2 ->
    Δ *= 2^(0.5 (1/0.2 - 1)) = 4; r = -0.3 -> stop."""
    d = simulate_doublings(3.0, 1.2, 0.3, 0.5)
    d2 = 2 ** (0.5 * (1 / 0.7 - 1))
    np.testing.assert_allclose(d.times[0], [1.0, 1.0 + d2, 1.0 + d2 + 4 * d2], rtol=1e-14)
    assert d.steps.tolist() == [3] and d.stop.tolist() == [1]


def test_the_step_that_crosses_48_months_is_done_and_recorded():
    """Constant r = 0.5, p = 1: each doubling takes 2^(1/0.5 - 1) = 2 times longer. Δ0 = 12:
    t = 12, 36, 84; the third step starts at 36 < 48 and ends past 48: done, then stop."""
    d = simulate_doublings(0.25, 0.5, 10.0, 1.0, constant_r=True)
    assert d.times[0, :4].tolist() == [12.0, 36.0, 84.0, math.inf]
    assert d.steps.tolist() == [3] and d.stop.tolist() == [0]
    assert naive_simulation(0.25, 0.5, 10.0, 1.0, constant_r=True) == [12.0, 36.0, 84.0]


def test_constant_r_accelerates_above_one_and_decelerates_below():
    """Constant r: every doubling takes 2^(p (1/r0 - 1)) times the previous one."""
    p = 0.4
    for r0, faster in ((1.8, True), (0.6, False)):
        d = simulate_doublings(4.0, r0, 10.0, p, constant_r=True, t_max_months=1e9)
        assert d.steps[0] == 80  # N = 8 L doublings: only the ceiling stops it here
        durations = np.diff(np.concatenate([[0.0], d.times[0]]))
        np.testing.assert_allclose(
            durations[1:] / durations[:-1], 2 ** (p * (1 / r0 - 1)), rtol=1e-9
        )  # durations are differences of cumulative times: ~1e-11 relative rounding
        assert np.all(np.diff(durations) < 0) if faster else np.all(np.diff(durations) > 0)
    steady = simulate_doublings(4.0, 1.0, 10.0, p, constant_r=True)
    np.testing.assert_allclose(np.diff(steady.times[0, : steady.steps[0]]), 0.75, rtol=1e-12)


def test_decaying_r_turns_acceleration_into_deceleration():
    """r falls from r0 = 2 to 0: doublings speed up while r > 1, slow down once r < 1."""
    d = simulate_doublings(4.0, 2.0, 10.0, 0.3, t_max_months=1e30)
    assert d.steps[0] == 80
    change = np.diff(np.diff(np.concatenate([[0.0], d.times[0]])))  # Δ_(k+1) - Δ_k, k = 1..79
    # r after doubling k is 2 (1 - k/80), and Δ_(k+1) / Δ_k = 2^(p (1/r - 1))
    assert np.all(change[:39] < 0)  # k < 40: r > 1
    assert np.all(change[40:] > 0)  # k > 40: r < 1


def test_a_tiny_positive_r_overflows_to_a_doubling_that_never_ends():
    """N just above 3 leaves r ~ 1e-13 after the third doubling: 2^(p (1/r - 1)) overflows,
    the fourth doubling ends at t = inf (no warning, no NaN) and the simulation stops."""
    L = (3 + 1e-12) / 8
    d = simulate_doublings(3.0, 1.0, L, 0.5)  # r: 2/3, 1/3, ~3e-13: Δ *= 2^0.25, 2, inf
    expected = [1.0, 1.0 + 2**0.25, 1.0 + 2**0.25 + 2**1.25, math.inf]
    np.testing.assert_allclose(d.times[0], expected, rtol=1e-11)  # N is 3 + 1e-12, not 3
    assert d.steps.tolist() == [4] and d.stop.tolist() == [1]
    assert naive_simulation(3.0, 1.0, L, 0.5)[3] == math.inf
    assert years_within(d.times, 12.0, 0.375).tolist() == [True]  # k = 3: the finite ones
    assert max_run(d.times, 1e6).tolist() == [3]


def test_bad_parameters_are_refused_in_one_line():
    with pytest.raises(TakeoffError, match=r"^r0 must be finite and positive; got -1"):
        simulate_doublings(4.0, -1.0, 10.0, 0.3)
    with pytest.raises(TakeoffError, match=r"^f, r0, L and p must be numbers or arrays"):
        simulate_doublings([1.0, 2.0], [1.0, 2.0, 3.0], 10.0, 0.3)
    with pytest.raises(TakeoffError, match=r"more than 100,000"):
        simulate_doublings(4.0, 1.0, 1e6, 0.3)


# --- the (T, m) metric ---------------------------------------------------------------------------


def test_doublings_per_pair_are_exact():
    assert [doublings_for(t, m) for t, m in ((12, 3), (4, 10), (12, 10), (4, 30))] == [
        24,
        26,
        80,
        80,
    ]
    assert doublings_for(13, 13.5) == 117  # (13/12) 8 13.5 in floating point: 116.999...
    with pytest.raises(TakeoffError, match=r"= 0 doublings; use a larger m or T$"):
        doublings_for(1.0, 0.1)


def test_metric_on_a_handmade_trajectory():
    """Six 1-month doublings, then 24 of 15/32 month (11.25 months): 3 years of progress (24
    doublings) within 12 months. With 24 of 0.5 months the run takes exactly 12: not < 12."""
    fast = np.cumsum([1.0] * 6 + [15 / 32] * 24)
    edge = np.cumsum([1.0] * 6 + [0.5] * 24)
    short = np.concatenate([np.cumsum([0.25] * 23), [np.inf] * 7])  # only 23 doublings done
    times = np.stack([fast, edge, short])
    assert years_within(times, 12, 3).tolist() == [True, False, False]
    assert years_within(times, 12, 2.875).tolist() == [True, True, True]  # k = 23
    assert max_run(times, 12).tolist() == [24, 23, 23]
    assert max_run(times, 6).tolist() == [12, 11, 23]  # 12 x 15/32 = 5.625 < 6
    # a run starts at a step: doublings end at 0.6, 1.2, 1.8, so a month from 0.3 to 1.3 sees
    # two of them end, but no run of two doublings took less than a month
    assert max_run(np.array([[0.6, 1.2, 1.8]]), 1.0).tolist() == [1]
    assert years_within(np.array([[0.6, 1.2, 1.8]]), 1.0, 3.0).tolist() == [False]  # k = 2


def test_max_run_agrees_with_the_metric_for_every_run_length():
    d = simulate_doublings(*published_draws(3000, 11))
    for months in (4.0, 12.0):
        runs = max_run(d.times, months)
        for years in (0.5, 1, 3, 6.5, 10, 30):
            k = doublings_for(months, years)
            assert np.array_equal(years_within(d.times, months, years), runs >= k)


# --- against the naive reference -----------------------------------------------------------------


@pytest.mark.parametrize("constant_r", [False, True])
def test_vectorised_agrees_with_the_naive_loop_draw_by_draw(constant_r):
    """Same parameter draws: same steps, stops and metrics; times equal up to the last bit that
    numpy's vectorised pow may round differently from the C library's."""
    f, r0, L, p = published_draws(3000, 5)
    d = simulate_doublings(f, r0, L, p, constant_r=constant_r)
    pairs = ((12, 3), (4, 10), (12, 10), (4, 30))
    hits = np.stack([years_within(d.times, t, m) for t, m in pairs], axis=1)
    for i in range(f.size):
        ref = naive_simulation(float(f[i]), float(r0[i]), float(L[i]), float(p[i]), constant_r)
        assert d.steps[i] == len(ref)
        np.testing.assert_allclose(d.times[i, : len(ref)], ref, rtol=1e-13, atol=0)
        assert np.isinf(d.times[i, len(ref) :]).all()
        assert hits[i].tolist() == [naive_metric(ref, t, m) for t, m in pairs]


# --- continuous time -----------------------------------------------------------------------------


@pytest.mark.parametrize("constant_r", [True, False])
def test_the_recursion_converges_to_continuous_time_as_the_step_shrinks(constant_r):
    """Split each doubling into s steps of h = 1/s: log2 Δ is a right Riemann sum of
    p ∫ (1/r - 1), t a left Riemann sum of ∫ Δ, so the time to x doublings has an O(h) error:
    it halves with h, and tends to the continuous t(x) (closed form or quadrature)."""
    f, r0, L, p = 4.0, 1.5, 10.0, 0.3
    x = np.array([20.0, 60.0])
    exact = continuous_time_to(x, f, r0, L, p, constant_r=constant_r)
    errors = []
    for q in range(0, 11, 2):
        s = 2**q
        d = simulate_doublings(f, r0, L, p, constant_r=constant_r, substeps=s, t_max_months=1e12)
        errors.append(np.abs(d.times[0, (x * s).astype(int) - 1] / exact - 1))
    errors = np.array(errors)
    np.testing.assert_allclose(errors[:-1] / errors[1:], 4.0, rtol=0.1)  # h / 4 per row
    assert errors[0].min() > 0.02 and errors[-1].max() < 5e-5


def test_the_continuous_family_integrates_to_the_same_times():
    """SIE_CONTINUOUS through takeoff's solver: log2 S reaches x at t(x) from quadrature."""
    for decay, constant_r in ((1.0, False), (0.0, True)):
        t = continuous_time_to([10.0, 20.0, 60.0], 4.0, 1.5, 10.0, 0.3, constant_r=constant_r)
        params = {"f": 4.0, "r0": 1.5, "L": 10.0, "p": 0.3, "decay": decay}
        ds = solve(SIE_CONTINUOUS, params, {"S": 1.0}, np.concatenate([[0.0], t / 12]))
        np.testing.assert_allclose(np.log2(ds["S"].values[0]), [0, 10, 20, 60], atol=1e-5)


def test_constant_r_above_one_reaches_the_ceiling_in_finite_time():
    """d log2 S/dt = 2^(-c x)/Δ0 with c = p (1/r0 - 1) < 0 blows up at Δ0 / (|c| ln 2): the
    ceiling N = 80 doublings stops it before (here at ~0.9 yr)."""
    params = {"f": 4.0, "r0": 1.5, "L": 10.0, "p": 0.3, "decay": 0.0}
    ds = solve(SIE_CONTINUOUS, params, {"S": 1.0}, np.linspace(0, 2, 5))
    assert np.log2(ds["S"].values[0, -1]) == pytest.approx(80.0)
    c = 0.3 * (1 / 1.5 - 1)
    assert continuous_time_to(80.0, 4.0, 1.5, 10.0, 0.3, constant_r=True)[0] < 0.75 / (
        -c * math.log(2)
    )


def test_the_spec_carries_the_published_priors():
    priors = {p.name: p.prior.describe() for p in SIE_DOUBLINGS.parameters}
    assert priors == {
        "f": "loguniform(low=2, high=32)",
        "r0": "loguniform(low=0.4, high=3.6)",
        "L": "uniform(low=6, high=16)",
        "p": "loguniform(low=0.15, high=0.6)",
    }

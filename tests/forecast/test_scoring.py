"""Proper scores: each against a closed form or a hand computation, with stated tolerances."""

import math

import numpy as np
import pytest
from scipy import stats

from takeoff.forecast import scoring
from takeoff.forecast.scoring import Predictive


def test_crps_from_samples_matches_the_gaussian_closed_form():
    """S = 40,000 samples: the fair estimator's sd is ~0.5% of sigma here; tolerance 2%."""
    rng = np.random.default_rng(1)
    mu, sigma = np.array([0.0, 1.0, -2.0, 5.0]), np.array([1.0, 0.5, 2.0, 3.0])
    y = np.array([0.3, 2.5, -2.0, -1.0])
    samples = mu + sigma * rng.standard_normal((40_000, 4))
    exact = scoring.crps_gaussian(y, mu, sigma)
    np.testing.assert_allclose(scoring.crps(samples, y), exact, rtol=0.02)
    # the closed form itself: CRPS of N(0, 1) at its mean is (sqrt 2 − 1)/sqrt(pi)
    assert scoring.crps_gaussian(0.0, 0.0, 1.0) == pytest.approx(
        (math.sqrt(2) - 1) / math.sqrt(math.pi), rel=1e-12
    )


def test_crps_of_two_samples_by_hand():
    # x = (0, 2), y = 1: mean|x − y| = 1; sum_{i != j}|x_i − x_j| / (2 S (S−1)) = 4 / 4 = 1
    assert scoring.crps(np.array([[0.0], [2.0]]), np.array([1.0]))[0] == pytest.approx(0.0)
    # y = 3: mean|x − y| = 2, minus 1
    assert scoring.crps(np.array([[2.0], [0.0]]), np.array([3.0]))[0] == pytest.approx(1.0)


def test_log_density_is_the_exact_mixture_density():
    loc = np.array([[0.0, 1.0], [2.0, 1.0]])
    scale = np.array([[1.0, 0.5], [2.0, 0.5]])
    df = np.array([[np.inf, 4.0], [np.inf, 4.0]])
    y = np.array([0.5, 3.0])
    got = scoring.log_density(Predictive(loc, scale, df), y)
    p0 = 0.5 * (stats.norm.pdf(0.5, 0, 1) + stats.norm.pdf(0.5, 2, 2))
    p1 = stats.t.pdf(3.0, 4.0, 1.0, 0.5)
    np.testing.assert_allclose(got, np.log([p0, p1]), rtol=1e-10)
    # far in the tail the log-sum-exp stays finite
    assert np.isfinite(scoring.log_density(Predictive(loc, scale, df), np.array([80.0, 1e4]))).all()


def test_elpd_and_paired_difference_se_by_hand():
    a = np.array([-1.0, -2.0, -0.5, -1.5])
    b = np.array([-1.2, -1.0, -0.9, -2.5])
    total, se = scoring.elpd(a)
    assert total == pytest.approx(-5.0)
    assert se == pytest.approx(math.sqrt(4 * np.var(a, ddof=1)))
    diff, dse = scoring.paired_difference(a, b)
    d = a - b  # 0.2, -1.0, 0.4, 1.0: mean 0.15
    assert diff == pytest.approx(0.6)
    var = sum((x - 0.15) ** 2 for x in d) / 3
    assert dse == pytest.approx(math.sqrt(4 * var), rel=1e-12)
    # pairing: a constant shift between the models has no standard error
    assert scoring.paired_difference(a, a - 0.3)[1] == pytest.approx(0.0, abs=1e-12)


def _simulated(bias: float, seed: int = 3, n: int = 2000):
    """n points, each forecast by a Student-t mixture over 200 posterior draws of its centre;
    the truth drawn from that same predictive, shifted by ``bias``."""
    rng = np.random.default_rng(seed)
    centre = rng.normal(0, 3, n)
    loc = centre + rng.normal(0, 0.3, (200, n))
    pred = Predictive(loc, np.full((200, n), 0.7), np.full((200, n), 5.0))
    truth = pred.sample(rng)[rng.integers(0, 200), :] + bias
    samples = pred.sample(rng, per_draw=5)
    return pred, samples, truth


def test_pit_is_uniform_for_a_correct_model_and_not_for_a_biased_one():
    """Binned chi-square (10 bins, 2000 points): the correct model's p-value above 0.001 (it
    fails 1 run in 1000 by chance; the seed is fixed), the biased one's (bias 0.5 sd of the
    predictive) below 1e-6; the statistic's p-value matches scipy's to 0.01."""
    _, samples, truth = _simulated(0.0)
    values = scoring.pit(samples, truth)
    stat, p = scoring.chi_square_uniform(values)
    assert p > 1e-3
    assert p == pytest.approx(stats.chi2.sf(stat, 9), abs=0.01)
    assert stats.kstest(values, "uniform").pvalue > 1e-3
    _, samples, truth = _simulated(0.5)
    stat, p = scoring.chi_square_uniform(scoring.pit(samples, truth))
    assert p < 1e-6


def test_coverage_of_a_correct_model_is_nominal_and_the_truth_scores_best():
    pred, samples, truth = _simulated(0.0)
    for level in scoring.LEVELS:
        share = scoring.covered(samples, truth, level).mean()
        # binomial sd at n = 2000 is at most 1.1 points: 4 sd
        assert share == pytest.approx(level, abs=0.045)
    # a proper score prefers the true predictive to a shifted one on average
    shifted = Predictive(pred.loc + 0.5, pred.scale, pred.df)
    assert scoring.log_density(pred, truth).mean() > scoring.log_density(shifted, truth).mean()
    rng = np.random.default_rng(0)
    assert scoring.crps(samples, truth).mean() < scoring.crps(shifted.sample(rng, 5), truth).mean()


def test_predictive_refuses_non_positive_scales():
    with pytest.raises(ValueError, match="positive scales"):
        Predictive(np.zeros((2, 1)), np.zeros((2, 1)), np.ones((2, 1)))

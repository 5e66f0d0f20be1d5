import numpy as np
import pytest
from scipy import stats

from takeoff import TakeoffError
from takeoff.models import Distribution


@pytest.mark.parametrize(
    ("dist", "reference"),
    [
        (Distribution("normal", mu=1.0, sigma=0.5), stats.norm(1.0, 0.5)),
        (Distribution("lognormal", mu=0.2, sigma=0.4), stats.lognorm(0.4, scale=np.exp(0.2))),
        (Distribution("uniform", low=-1.0, high=3.0), stats.uniform(-1.0, 4.0)),
        (Distribution("loguniform", low=2.0, high=32.0), stats.loguniform(2.0, 32.0)),
        (Distribution("beta", a=2.0, b=5.0), stats.beta(2.0, 5.0)),
        (Distribution("halfnormal", sigma=0.5), stats.halfnorm(scale=0.5)),
        (Distribution("gamma", alpha=2.0, beta=0.1), stats.gamma(2.0, scale=10.0)),
    ],
)
def test_samples_and_quantiles_follow_the_named_distribution(dist, reference):
    draws = dist.sample(np.random.default_rng(0), 20_000)
    assert stats.kstest(draws, reference.cdf).pvalue > 1e-3
    q = np.array([0.05, 0.5, 0.95])
    np.testing.assert_allclose(dist.ppf(q), reference.ppf(q), rtol=1e-10)


def test_same_seed_same_draws():
    d = Distribution("loguniform", low=0.4, high=3.6)
    a = d.sample(np.random.default_rng(7), 5)
    b = d.sample(np.random.default_rng(7), 5)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("kind", "args", "message"),
    [
        (
            "cauchy",
            {},
            "unknown distribution 'cauchy'; choose one of: normal, lognormal, uniform, "
            "loguniform, beta, halfnormal, gamma",
        ),
        (
            "gamma",
            {"alpha": 2.0, "beta": 0.0},
            "invalid arguments for 'gamma' (alpha=2, beta=0): need alpha > 0, beta > 0; shape "
            "alpha and rate beta",
        ),
        ("normal", {"mu": 0.0}, "distribution 'normal' takes arguments mu, sigma; got mu"),
        (
            "normal",
            {"mu": 0.0, "sigma": -1.0},
            "invalid arguments for 'normal' (mu=0, sigma=-1): need sigma > 0",
        ),
        (
            "loguniform",
            {"low": 0.0, "high": 1.0},
            "invalid arguments for 'loguniform' (low=0, high=1): need 0 < low < high",
        ),
        (
            "beta",
            {"a": 1.0, "b": float("nan")},
            "distribution 'beta' argument b must be finite; got nan",
        ),
        (
            "uniform",
            {"low": "a", "high": 1.0},
            "distribution 'uniform' argument low must be a number; got 'a'",
        ),
    ],
)
def test_invalid_distributions_are_refused(kind, args, message):
    with pytest.raises(TakeoffError) as info:
        Distribution(kind, **args)
    assert str(info.value) == message


# --- what published priors need: shift, clip, choice, origin -----------------------------------


def test_shift_moves_every_value_and_quantile():
    base = Distribution("lognormal", mu=0.0, sigma=0.5)
    shifted = Distribution("lognormal", mu=0.0, sigma=0.5, shift=1.0)
    q = np.array([0.01, 0.5, 0.99])
    np.testing.assert_array_equal(shifted.ppf(q), 1.0 + base.ppf(q))
    draws = shifted.sample(np.random.default_rng(3), 1000)
    np.testing.assert_array_equal(draws, 1.0 + base.sample(np.random.default_rng(3), 1000))
    assert draws.min() > 1.0 and shifted != base
    assert shifted.describe() == "1 + lognormal(mu=0, sigma=0.5)"


def test_clip_bounds_quantiles_and_draws_after_the_shift():
    d = Distribution("normal", mu=0.0, sigma=1.0, shift=10.0, clip=(9.5, 10.5))
    np.testing.assert_array_equal(d.ppf(np.array([0.001, 0.5, 0.999])), [9.5, 10.0, 10.5])
    x = d.sample(np.random.default_rng(0), 2000)
    assert x.min() == 9.5 and x.max() == 10.5
    assert d.describe() == "10 + normal(mu=0, sigma=1) clipped to [9.5, 10.5]"


def test_choice_picks_the_first_value_whose_cumulative_probability_reaches_q():
    d = Distribution("choice", values=(-5.0, -2.0, -1.0), p=(0.25, 0.5, 0.25), clip=(-3.0, 0.0))
    np.testing.assert_array_equal(
        d.ppf(np.array([0.0, 0.25, 0.26, 0.75, 0.76, 1.0])), [-3.0, -3.0, -2.0, -2.0, -1.0, -1.0]
    )
    x = d.sample(np.random.default_rng(1), 4000)
    assert set(np.unique(x)) == {-3.0, -2.0, -1.0}
    assert np.mean(x == -2.0) == pytest.approx(0.5, abs=0.03)
    assert Distribution("choice", values=(2.0,), p=(1.0,)).ppf(np.array([0.3])).tolist() == [2.0]
    assert Distribution(
        "choice", values=(0.0, 1.0), p=(0.5, 0.5), origin="published"
    ).describe() == ("published choice of 0 (p 0.5), 1 (p 0.5)")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"values": (0.0, 1.0), "p": (0.5, 0.6)},
            "invalid arguments for 'choice' (values=(0.0, 1.0), p=(0.5, 0.6)): need as many "
            "probabilities p > 0 as values, summing to 1",
        ),
        (
            {"values": 1.0, "p": (1.0,)},
            "distribution 'choice' argument values must be a list; got 1.0",
        ),
        (
            {"values": (0.0,), "p": (1.0,), "clip": (1.0, 0.0)},
            "distribution 'choice' clip must have low <= high; got (1.0, 0.0)",
        ),
    ],
)
def test_invalid_choices_and_clips_are_refused(kwargs, message):
    with pytest.raises(TakeoffError) as info:
        Distribution("choice", **kwargs)
    assert str(info.value) == message

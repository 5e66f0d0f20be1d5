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

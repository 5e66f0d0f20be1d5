"""One definition, two namespaces: the growth laws evaluated on PyTensor tensors equal the same
functions on numpy arrays, with finite gradients; past a blow-up numpy says +inf and PyTensor
stays large but finite."""

import math

import numpy as np
import pytest

from takeoff.models import bernoulli
from takeoff.models.arrays import NUMPY, is_symbolic, namespace_of
from takeoff.models.horizon import HORIZON, log_horizon
from takeoff.models.hyperbolic_growth import log_output, singularity_time

pt = pytest.importorskip("pytensor.tensor")


def _compile(inputs, output):
    import pytensor

    return pytensor.function(inputs, output)


def test_namespace_follows_the_arguments():
    assert namespace_of(np.ones(3), 2.0) is NUMPY
    x = pt.dvector()
    assert is_symbolic(x) and not is_symbolic(np.ones(2))
    assert namespace_of(np.ones(3), x).name == "pytensor"


def test_horizon_law_in_pytensor_equals_numpy_with_finite_gradients():
    tau, log_h, T0, H0, eps = pt.dvector(), pt.dscalar(), pt.dscalar(), pt.dscalar(), pt.dscalar()
    out = log_horizon(tau, log_h, T0, H0, eps)
    f = _compile([tau, log_h, T0, H0, eps], out)
    g = _compile([tau, log_h, T0, H0, eps], pt.grad(out.sum(), [eps, T0]))
    taus = np.linspace(-5.0, 3.0, 81)
    for e in (-0.3, -1e-9, 0.0, 1e-9, 0.15):
        got = f(taus, 1.2, 0.6, math.exp(1.2), e)
        want = log_horizon(taus, 1.2, 0.6, math.exp(1.2), e)
        ok = np.isfinite(want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-9, atol=1e-12)
        assert all(np.isfinite(v) for v in g(taus[ok], 1.2, 0.6, math.exp(1.2), e))
    # and the family's numpy closed form over draws is this same law
    p = {"T0": np.array([0.6]), "H0": np.array([math.exp(1.2)]), "eps": np.array([0.15])}
    family = HORIZON.log_closed_form(taus[taus >= 0], np.array([[1.2]]), p)[0, 0]
    np.testing.assert_array_equal(family, log_horizon(taus[taus >= 0], 1.2, 0.6, p["H0"], 0.15))


def test_hyperbolic_singularity_in_pytensor_equals_numpy():
    log_y, s, B = pt.dscalar(), pt.dscalar(), pt.dscalar()
    f = _compile([log_y, s, B], singularity_time(log_y, s, B))
    for b in (-0.2, 0.0, 0.3, 1.1):
        want = float(singularity_time(np.array(8.5), np.array(0.02 * math.exp(-b * 8.5)), b))
        got = float(f(8.5, 0.02 * math.exp(-b * 8.5), b))
        assert got == want if math.isinf(want) else got == pytest.approx(want, rel=1e-12)
    assert float(f(8.5, 0.02 * math.exp(-0.3 * 8.5), 0.3)) == pytest.approx(1 / (0.3 * 0.02))
    tau = pt.dvector()
    path = _compile([tau, log_y, s, B], log_output(tau, log_y, s, B))
    taus = np.linspace(-100.0, 60.0, 9)
    got, want = path(taus, 8.5, 0.01, 0.3), log_output(taus, 8.5, 0.01, 0.3)
    before = np.isfinite(want)  # singularity at 1 / (0.3 * 0.01 * e^(0.3 * 8.5)) = 26 yr
    assert before.sum() == 7
    np.testing.assert_allclose(got[before], want[before], rtol=1e-12)
    assert np.isfinite(got[~before]).all() and (got[~before] > want[before].max()).all()


def test_past_a_blow_up_numpy_is_inf_and_pytensor_large_but_finite():
    x = pt.dvector()
    f = _compile([x], [bernoulli.log1p_ratio(x), pt.grad(bernoulli.log1p_ratio(x).sum(), x)])
    value, grad = f(np.array([-1.5, -1.0, -0.999999, 0.0, 2.0]))
    assert np.isfinite(value).all() and np.isfinite(grad).all()
    assert value[0] > 20
    assert np.isinf(bernoulli.log1p_ratio(np.array([-1.5, -1.0]))).all()

"""The PyTensor closed form used inside PyMC equals the numpy one in takeoff.models.bernoulli."""

import numpy as np
import pytest

from takeoff.models import bernoulli

pt = pytest.importorskip("pytensor.tensor")


def test_power_law_log_path_matches_numpy():
    import pytensor

    from takeoff.models.fits.ptmath import power_law_log_path

    tau, log_y0, rate, excess = pt.dvector(), pt.dscalar(), pt.dscalar(), pt.dscalar()
    out = power_law_log_path(tau, log_y0, rate, excess)
    f = pytensor.function([tau, log_y0, rate, excess], out)
    g = pytensor.function([tau, log_y0, rate, excess], pt.grad(out.sum(), excess))
    taus = np.linspace(-5.0, 3.0, 81)
    for ex in (-0.3, -1e-9, 0.0, 1e-9, 0.15):
        got = f(taus, 1.2, 0.9, ex)
        want = bernoulli.log_path(taus, np.array([1.2]), 0.9 * np.exp(-ex * 1.2), 1.0 + ex)[0]
        ok = np.isfinite(want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-9, atol=1e-12)
        assert np.isfinite(g(taus[ok], 1.2, 0.9, ex)).all()


def test_past_a_blow_up_the_value_is_large_but_finite():
    import pytensor

    from takeoff.models.fits.ptmath import log1p_ratio

    x = pt.dvector()
    f = pytensor.function([x], [log1p_ratio(x), pt.grad(log1p_ratio(x).sum(), x)])
    value, grad = f(np.array([-1.5, -1.0, -0.999999, 0.0, 2.0]))
    assert np.isfinite(value).all() and np.isfinite(grad).all()
    assert value[0] > 20

"""The nutpie-c route's trace, log-likelihood and posterior predictive, computed over all
draws at once with nothing compiled in C (takeoff.models.fits.batched), equal PyMC's own
per-draw computations on the same posterior: the values to rounding, the seeded predictive
draws exactly (the same random stream, drawn in one call)."""

import numpy as np
import pytest

from takeoff.models.fits import fit
from takeoff.models.fits import fitting as fitting_module

pytest.importorskip("pymc")
SMALL = {"draws": 100, "tune": 150, "chains": 2, "progress": False}
X = np.logspace(18, 22, 9)
NOISE = np.exp(np.random.default_rng(0).normal(0.0, 0.003, 9))
CURVE = {"x": X, "y": (1.69 + 4.0e3 * X**-0.2) * NOISE}  # bench_fit_startup's nine points
# Tolerance of "equal to rounding": the C backend fuses and reorders the same float operations
# that numpy runs one by one; log densities of ~20 with residuals of ~sigma agree to ~1e-12.
RTOL = 1e-9


@pytest.fixture(scope="module")
def curve_fit():
    """returns_curve (Deterministics of a mean over the table, a StudentT likelihood) on the
    nine-point curve of issue 26, with the PyMC model it was sampled from."""
    import pandas as pd

    idata = fit("returns_curve", pd.DataFrame(CURVE), sampler="nutpie-c", seed=3, **SMALL)
    entry = next(e for k, e in fitting_module._COMPILED.items() if k[0] == "returns_curve")
    return idata, entry.model


def test_the_log_likelihood_equals_pymcs(curve_fit):
    import pymc as pm

    idata, model = curve_fit
    with model:
        reference = pm.compute_log_likelihood(
            idata.copy(), extend_inferencedata=False, progressbar=False
        )
    ours = idata.log_likelihood["log_y"]
    assert ours.dims == reference["log_y"].dims == ("chain", "draw", "obs")
    np.testing.assert_allclose(ours.values, reference["log_y"].values, rtol=RTOL)


def test_the_posterior_predictive_is_pymcs_seeded_draws(curve_fit):
    import pymc as pm

    idata, model = curve_fit
    bare = idata.copy()
    del bare.posterior_predictive
    with model:
        reference = pm.sample_posterior_predictive(
            bare, var_names=["log_y"], random_seed=3, progressbar=False, extend_inferencedata=False
        ).posterior_predictive
    ours = idata.posterior_predictive["log_y"]
    assert ours.dims == reference["log_y"].dims
    np.testing.assert_allclose(ours.values, reference["log_y"].values, rtol=1e-12)
    np.testing.assert_array_equal(idata.observed_data["log_y"].values, np.log(CURVE["y"]))


def test_the_trace_is_the_models_values_at_the_sampled_points(curve_fit):
    """Deterministics recomputed one draw at a time from the free variables (PyMC's own
    compiled function) equal the batched trace."""
    idata, model = curve_fit
    post = idata.posterior
    names = ["level", "decline", "excess", "sigma", "nu"]
    fn = model.compile_fn(
        model.deterministics, inputs=model.free_RVs, point_fn=False, on_unused_input="ignore"
    )
    for chain, draw in [(0, 0), (1, 57), (0, 99)]:
        point = {n: post[n].values[chain, draw] for n in names}
        values = fn(*(point[rv.name] for rv in model.free_RVs))
        for var, value in zip(model.deterministics, values, strict=True):
            assert post[var.name].values[chain, draw] == pytest.approx(float(value), rel=1e-12)
    assert set(post.data_vars) == {*names, "alpha", "E", "A"}
    assert (post["sigma"].values > 0).all()  # on its own (constrained) scale


def test_no_elementwise_operation_runs_element_by_element_in_python():
    """The batched functions run on PyTensor's Python linker, where an elementwise operation
    without a NumPy function of its arity (an n-ary product or sum, a fused composite) loops
    over elements in Python (hardware_trend's log-likelihood: 4 s instead of 0.15 s): every
    such node is made of two-term NumPy calls."""
    import pytensor
    import pytensor.tensor as pt
    from pytensor.tensor.elemwise import Elemwise

    from takeoff.models.fits.batched import python_mode

    x, y, z, w = (pt.dvector(n) for n in "xyzw")
    out = pt.exp(x * y * z * w + x + y + z) * 2.0 * x
    fn = pytensor.function([x, y, z, w], out, mode=python_mode())
    for node in fn.maker.fgraph.apply_nodes:
        if isinstance(node.op, Elemwise):
            spec = node.op.scalar_op.nfunc_spec
            assert spec is not None and spec[1] == len(node.inputs), node.op
    values = [np.linspace(0.1, 0.5, 5) + i for i in range(4)]
    a, b, c, d = values
    expected = np.exp(a * b * c * d + a + b + c) * 2.0 * a
    np.testing.assert_allclose(fn(*values), expected, rtol=1e-14)

"""The sampler routes (FitSpec.sampler): nutpie's NUTS on PyTensor's C backend ("nutpie-c",
the small fits' route) samples the same posterior as on numba ("nutpie"), and says
"compiling the model, once per machine" before a compilation only when the machine's compile
cache has not seen the model."""

import numpy as np
import pytest

from takeoff.models.fits import fit
from takeoff.models.fits import fitting as fitting_module

pytest.importorskip("pymc")
SMALL = {"draws": 500, "tune": 500, "chains": 2, "progress": False}


def test_the_c_route_samples_the_posterior_of_the_numba_route():
    """Same model, data and seed on both routes: their means of every parameter agree within
    4 Monte Carlo standard errors of the difference (the same algorithm, compiled twice)."""
    import arviz as az

    fits = {s: fit("compute_trend", sampler=s, seed=5, **SMALL) for s in ("nutpie-c", "nutpie")}
    assert fits["nutpie-c"].posterior.attrs["sampler"] == "nutpie-c"
    names = ["level", "slope", "sigma", "nu", "growth_per_year"]
    for name in names:
        a, b = (float(f.posterior[name].mean()) for f in fits.values())
        se = np.hypot(*(float(az.mcse(f, var_names=[name])[name]) for f in fits.values()))
        assert abs(a - b) <= 4 * se, name
    # the trace holds the parameters and Deterministics on their own scales, as PyMC's does
    assert set(fits["nutpie-c"].posterior.data_vars) == {*names, "doubling_time_months"}
    # and the tails agree too: 5% and 95% quantiles within 4 Monte Carlo standard errors
    for name in names:
        for prob in (0.05, 0.95):
            a, b = (float(f.posterior[name].quantile(prob)) for f in fits.values())
            se = np.hypot(
                *(
                    float(az.mcse(f, var_names=[name], method="quantile", prob=prob)[name])
                    for f in fits.values()
                )
            )
            assert abs(a - b) <= 4 * se, (name, prob)


@pytest.mark.parametrize("name", ["compute_trend", "hardware_trend", "horizon_dynamics"])
def test_a_fit_runs_on_its_own_route_unless_told_otherwise(monkeypatch, name):
    """FitSpec.sampler picks the route (the small fits: nutpie-c, chosen by
    benchmarks/bench_fit_startup.py); --sampler overrides it."""
    import dataclasses

    from takeoff.models.fits.registry import get_fit

    routes = []

    def stop(spec, prepared, fixed, sampler, announce=None):
        routes.append(sampler)
        raise RuntimeError("stop before compiling")

    monkeypatch.setattr(fitting_module, "compiled_model", stop)
    spec = get_fit(name)
    assert spec.sampler == "nutpie-c"
    for given, expected in ((None, "nutpie-c"), ("pymc", "pymc")):
        with pytest.raises(RuntimeError, match="stop before compiling"):
            fit(spec, sampler=given, **SMALL)
        assert routes.pop() == expected
    other = dataclasses.replace(spec, sampler="nutpie")
    with pytest.raises(RuntimeError, match="stop before compiling"):
        fit(other, **SMALL)
    assert routes.pop() == "nutpie"


def test_the_first_compile_on_a_machine_is_announced_once(monkeypatch, tmp_path):
    from takeoff.models.fits import cnuts

    monkeypatch.setattr(cnuts, "_marker", lambda key: tmp_path / str(abs(hash(key))))
    monkeypatch.setattr(fitting_module, "_COMPILED", type(fitting_module._COMPILED)())
    heard = []
    fit("hardware_trend", sampler="nutpie-c", announce=heard.append, **SMALL)
    assert heard == [fitting_module.FIRST_COMPILE]
    monkeypatch.setattr(fitting_module, "_COMPILED", type(fitting_module._COMPILED)())  # a new
    heard.clear()  # process: the model is built again, its compiled code found in the cache
    fit("hardware_trend", sampler="nutpie-c", announce=heard.append, **SMALL)
    assert heard == []

"""The shipped posteriors: present for every default fit, readable without PyMC, checked."""

import subprocess
import sys

import numpy as np
import pytest

from takeoff import TakeoffError
from takeoff.data.posteriors import load_posterior, shipped_names

EXPECTED = {
    "chinchilla": ["E", "A", "B", "alpha", "beta", "a", "G"],
    "compute_trend": ["slope", "doubling_time_months"],
    "hardware_trend": ["slope", "doubling_time_months"],
    "capability_vs_compute": ["slope", "bend", "knee_log10_compute"],
    "horizon_dynamics": ["eps", "doubling_time_days", "H_ref_minutes"],
    "horizon_dynamics_eps0": ["eps", "doubling_time_days"],
    "gwp_hyperbolic": ["B", "t_singularity"],
    "gwp_hyperbolic_B0": ["B"],
    "horizon_readout": ["kappa", "readout_doubling_days", "null_doubling_days", "H_ref_minutes"],
    "algorithmic_progress": ["g_total", "phi", "compute_halving_months", "alpha", "beta"],
    "software_returns": ["beta", "lambda", "r", "theta", "log_S0"],
    "software_returns_lm": ["beta", "lambda", "r", "theta"],
    "returns_domains": ["r", "mu", "tau", "r_population"],
}


def test_every_default_fit_is_shipped():
    assert set(EXPECTED) <= set(shipped_names())


@pytest.mark.parametrize("name", list(EXPECTED))
def test_shipped_posterior_has_its_variables_and_attrs(name):
    post = load_posterior(name, EXPECTED[name])
    assert post.sizes["chain"] * post.sizes["draw"] == 400
    assert post.attrs["fit_name"] == name.removesuffix("_eps0").removesuffix("_B0")
    assert len(post.attrs["data_hash"]) == 64
    for var in EXPECTED[name]:
        assert np.isfinite(post[var].values).all() or var == "t_singularity"


def test_nested_posteriors_hold_the_fixed_value():
    assert (load_posterior("horizon_dynamics_eps0")["eps"].values == 0).all()
    assert (load_posterior("gwp_hyperbolic_B0")["B"].values == 0).all()


def test_reading_a_shipped_posterior_does_not_import_pymc():
    code = (
        "import sys; from takeoff.data.posteriors import load_posterior; "
        "load_posterior('horizon_dynamics'); print('pymc' in sys.modules, "
        "'arviz' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_bad_posterior_requests(tmp_path):
    with pytest.raises(TakeoffError, match=r"^unknown shipped posterior 'nope'; choose one of: "):
        load_posterior("nope")
    with pytest.raises(TakeoffError, match=r"has no variable zeta; it has: "):
        load_posterior("horizon_dynamics", ["zeta"])
    bad = tmp_path / "x.nc"
    bad.write_text("garbage")
    with pytest.raises(TakeoffError, match=r"is not a readable posterior"):
        load_posterior(bad)
    with pytest.raises(TakeoffError, match=r"not found; check the path"):
        load_posterior(tmp_path / "missing.nc")

"""horizon_readout: its upstream priors come from the shipped posteriors, its model agrees with
the numpy read-out, and synthetic horizons from known c and kappa are recovered."""

import math

import numpy as np
import pytest

from takeoff.models import readout
from takeoff.models.fits.calibration import bundled_prepared, simulate, with_observed
from takeoff.models.fits.registry import get_fit

pytest.importorskip("pymc")


def test_upstream_priors_are_the_shipped_posteriors():
    from takeoff.data.posteriors import load_posterior

    k = bundled_prepared("horizon_readout").constants
    chin = load_posterior("chinchilla")
    assert k["gamma_mean"] == pytest.approx(float(chin["compute_exponent"].mean()))
    assert k["slope_mean"] == pytest.approx(float(load_posterior("compute_trend")["slope"].mean()))
    assert 0 < k["gamma_sd"] < 0.05 and 0 < k["slope_sd"] < 0.1
    assert -6 < k["log_reducible_mean"] < 0  # L - E of a frontier model: well under a nat
    assert k["t_ref"] == bundled_prepared("horizon_dynamics").constants["t_ref"]


def test_model_matches_the_numpy_read_out():
    import pymc as pm

    prepared = bundled_prepared("horizon_readout")
    truth = {
        "log_h_ref": math.log(20.0),
        "kappa": 4.0,
        "log_step_minutes": math.log(0.5),
        "gamma": 0.17,
        "compute_slope": 0.6,
        "log_reducible_ref": -2.5,
        "scatter": 0.3,
        "nu": 10.0,
    }
    model = pm.do(get_fit("horizon_readout").build(prepared, {}), truth)
    names = ["readout_doubling_days", "null_doubling_days", "log_c", "eps_step_ref"]
    got = dict(zip(names, pm.draw([model[n] for n in names]), strict=True))
    years = readout.doubling_time_years(4.0, 0.17, 0.6)
    assert got["readout_doubling_days"] == pytest.approx(365.25 * years)
    assert got["null_doubling_days"] == pytest.approx(365.25 * years * 4.0)
    # the read-out at t_ref with this c gives back the horizon (hazard form: n50 = ln 2 / lambda)
    c, reducible = math.exp(got["log_c"]), math.exp(-2.5)
    hazard = c * reducible**4.0
    assert 0.5 * math.log(2) / hazard == pytest.approx(20.0)
    assert got["eps_step_ref"] == pytest.approx(-math.expm1(-hazard))
    assert readout.horizon_minutes(reducible, c, 4.0, 0.5) == pytest.approx(20.0, rel=0.02)


def test_recovers_c_and_kappa_from_synthetic_horizons():
    from takeoff.models.fits.fitting import sample

    spec = get_fit("horizon_readout")
    prepared = bundled_prepared("horizon_readout")
    truth = {
        "log_h_ref": math.log(40.0),
        "kappa": 2.0,
        "log_step_minutes": math.log(2.0),
        "gamma": 0.18,
        "compute_slope": 0.66,
        "log_reducible_ref": -2.6,
        "scatter": 0.2,
        "nu": 10.0,
    }
    true_log_c = math.log(math.log(2) * 2.0 / 40.0) - 2.0 * -2.6
    data = with_observed(prepared, simulate(spec, prepared, truth, seed=5))
    idata = sample(
        spec,
        data,
        draws=400,
        tune=400,
        chains=2,
        seed=5,
        progress=False,
        posterior_predictive=False,
    )
    for name, value in (("kappa", 2.0), ("log_c", true_log_c), ("log_h_ref", math.log(40.0))):
        lo, hi = np.quantile(idata.posterior[name].values, [0.005, 0.995])
        assert lo < value < hi, f"{name}: {value} outside ({lo}, {hi})"
    # kappa is identified by the horizons: its interval is far narrower than its prior's
    lo, hi = np.quantile(idata.posterior["kappa"].values, [0.03, 0.97])
    assert hi - lo < 1.5


def test_upstream_posteriors_passed_in_are_used_not_the_shipped_files():
    from takeoff.data.posteriors import load_posterior
    from takeoff.errors import TakeoffError
    from takeoff.models.fits import FitOptions
    from takeoff.models.fits.tables import bundled_table, prepare

    spec = get_fit("horizon_readout")
    frame, _ = bundled_table(spec)
    shipped = prepare(spec, frame, FitOptions()).constants
    faster = load_posterior("compute_trend")
    faster["slope"] = faster["slope"] + 0.1
    given = prepare(spec, frame, FitOptions(), upstream={"compute_trend": faster}).constants
    assert given["slope_mean"] == pytest.approx(shipped["slope_mean"] + 0.1)
    assert given["gamma_mean"] == shipped["gamma_mean"]  # chinchilla: still the shipped one
    with pytest.raises(TakeoffError) as info:
        prepare(spec, frame, FitOptions(), upstream={"compute_trend": load_posterior("chinchilla")})
    assert str(info.value) == (
        "the upstream posterior given for compute_trend is a chinchilla fit; give a "
        "compute_trend posterior"
    )
    with pytest.raises(TakeoffError, match=r"^fit horizon_readout takes upstream posteriors of "):
        prepare(spec, frame, FitOptions(), upstream={"hardware_trend": faster})

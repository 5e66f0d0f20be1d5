"""Recovery: data simulated from known parameter values (on each fit's real covariates) are
fitted, and every truth must lie in the central 99% posterior interval. The Student-t degrees
of freedom ``nu`` is simulated but not checked: with 25-300 points it is weakly identified
(its calibration is left to SBC). The CI run uses 2 chains x 400 draws; ``-m slow`` adds a
second seed with more draws."""

import math

import pytest

from takeoff.models.fits.calibration import bundled_prepared, recover
from takeoff.models.fits.returns_curve import centred_parameters

pytest.importorskip("pymc")

TRUTHS = {
    "chinchilla": {
        "E": 1.8,
        "alpha": 0.34,
        "beta": 0.36,
        "log_term_n": math.log(0.3),
        "log_term_d": math.log(0.3),
        "sigma": 0.01,
        "nu": 10.0,
    },
    # sampled as level, decline, excess (set from these by ``_truth``); A from its term at
    # the centre, 0.5
    "returns_curve": {"E": 1.7, "term_at_centre": 0.5, "alpha": 0.16, "sigma": 0.01, "nu": 10.0},
    "compute_trend": {"level": 22.0, "slope": 0.65, "sigma": 0.45, "nu": 10.0},
    "hardware_trend": {"level": 9.85, "slope": 0.075, "sigma": 0.25, "nu": 5.0},
    "capability_vs_compute": {
        "level": 128.0,
        "slope": 20.0,
        "bend": -15.0,
        "knee": 0.5,
        "sigma": 8.0,
        "nu": 10.0,
    },
    "horizon_dynamics": {
        "log_h_ref": math.log(17.0),
        "log_doubling_days": math.log(150.0),
        "eps": 0.15,
        "scatter": 0.2,
        "nu": 10.0,
    },
    "horizon_readout": {
        "log_h_ref": math.log(20.0),
        "kappa": 3.0,
        "log_step_minutes": 0.0,
        "gamma": 0.176,
        "compute_slope": 0.666,
        "log_reducible_ref": -2.58,
        "scatter": 0.3,
        "nu": 10.0,
    },
    "gwp_hyperbolic": {
        "log_y_ref": 9.14,
        "log_growth_ref": math.log(0.0186),
        "B": 0.56,
        "sigma": 0.14,
        "nu": 3.0,
    },
}


def _truth(name, prepared):
    """The truth in the fit's sampled parameters (returns_curve's from E, A, alpha)."""
    truth = dict(TRUTHS[name])
    if name != "returns_curve":
        return truth
    E, term, alpha = truth.pop("E"), truth.pop("term_at_centre"), truth.pop("alpha")
    centre = prepared.constants["mean_log_x"]
    log_x = prepared.arrays["log_x_c"] + centre
    return {**truth, **centred_parameters(E, term * math.exp(alpha * centre), alpha, log_x)}


def _check(name, seed, draws):
    prepared = bundled_prepared(name)
    truth = _truth(name, prepared)
    result = recover(name, prepared, truth, seed=seed, draws=draws, tune=draws, chains=2)
    table = result.table.drop(index="nu")
    assert table["inside"].all(), f"{name}: truth outside the 99% interval\n{table}"


@pytest.mark.parametrize("name", list(TRUTHS))
def test_recovery(name):
    _check(name, seed=11, draws=400)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(TRUTHS))
def test_recovery_second_seed_more_draws(name):
    _check(name, seed=12, draws=1000)

"""Simulation-based calibration (Talts et al. 2018) on each fit's real covariates: ranks of the
prior-drawn truths among posterior draws must be uniform. CI runs 24 simulations for two fits
(a coarse check: a fitter with a wrong likelihood or prior fails it); ``-m slow`` runs 100
simulations for every fit with a stricter uniformity test."""

import numpy as np
import pytest

from takeoff.models.fits.calibration import bundled_prepared, sbc
from takeoff.models.fits.registry import FITS

pytest.importorskip("nutpie")


def _check(name, sims, draws, p_min):
    prepared = bundled_prepared(name)
    result = sbc(
        name,
        prepared,
        sims=sims,
        draws=draws,
        tune=draws,
        thin_to=49,
        bins=5,
        seed=5,
        progress=False,
    )
    assert len(result.ranks) == sims
    assert ((result.ranks >= 0) & (result.ranks <= 49)).all().all()
    # the parameters of the variant fitted (a fit with variants declares more)
    # vector parameters are ranked per level, labelled name[level]
    ranked = {str(label).split("[")[0] for label in result.p_values.index}
    assert ranked == {p.name for p in FITS[name].priors_for(prepared)}
    assert (result.p_values > p_min).all(), result.format()
    # ranks are not piled at the ends (the signature of over- or under-confident posteriors)
    extremes = np.mean((result.ranks.values <= 1) | (result.ranks.values >= 48))
    assert extremes < 0.25, result.format()


@pytest.mark.parametrize("name", ["compute_trend", "horizon_dynamics"])
def test_sbc_reduced(name):
    _check(name, sims=24, draws=200, p_min=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FITS))
def test_sbc_full(name):
    _check(name, sims=100, draws=400, p_min=1e-3)

"""A fit that declares its family maps its posterior onto that family's parameters in code:
the family's own closed form, fed the mapped draws (units converted), gives the likelihood the
fitted model computes. A wrong unit (days for years) or a wrong reference date would fail."""

import numpy as np
import pytest
from scipy import stats

from takeoff.data.posteriors import load_posterior
from takeoff.models.fits.calibration import bundled_prepared
from takeoff.models.fits.exports import family_draws, resolve
from takeoff.models.fits.registry import FITS, get_fit
from takeoff.models.registry import get_family

pm = pytest.importorskip("pymc")
LINKED = [
    name
    for name, spec in FITS.items()
    if spec.family is not None and get_family(spec.family.family).log_closed_form is not None
]
# Linked fits of families without a closed form are checked elsewhere: software_returns(_lm)
# against the Jones law's exact solution with exogenous input (tests/models/
# test_jones_exogenous.py), effective_readout against the loop's start
# (tests/forecast/test_takeoff_from_data.py).
WITHOUT_CLOSED_FORM = {"software_returns", "software_returns_lm", "effective_readout"}
SCALE = {  # the likelihood's scale, per fit, from the draw and the prepared arrays
    name: spec.likelihood_scale for name, spec in FITS.items() if spec.likelihood_scale is not None
}


def test_the_linked_fits_are_the_growth_laws():
    assert set(LINKED) == set(SCALE)
    others = {n for n, spec in FITS.items() if spec.family is not None} - set(LINKED)
    assert others == WITHOUT_CLOSED_FORM


@pytest.mark.parametrize("name", LINKED)
def test_family_closed_form_gives_the_models_likelihood(name):
    spec = get_fit(name)
    prepared = bundled_prepared(name)
    posterior = load_posterior(name)
    params, initial, start = family_draws(posterior, spec)
    assert start == pytest.approx(prepared.constants["t_ref"])
    family = get_family(spec.family.family)
    (state,) = family.state_names
    model = spec.build(prepared, {})
    logp = model.compile_logp(vars=[model[prepared.observed]])
    free = [rv.name for rv in model.free_RVs]
    raw = resolve(posterior, free, name)
    a = prepared.arrays
    for i in (0, 57, 311):
        point = model.initial_point()
        for rv in model.free_RVs:
            value_var = model.rvs_to_values[rv]
            transform = model.rvs_to_transforms.get(rv)
            x = np.asarray(raw[rv.name][i])
            point[value_var.name] = x if transform is None else transform.forward(x).eval()
        draw = {k: v[i] for k, v in raw.items()}
        p = {k: np.array([v[i]]) for k, v in params.items()}
        log_y0 = np.log(np.array([[initial[state][i]]]))
        mu = family.log_closed_form(
            a["tau"][None, :] + prepared.constants["t_ref"] - start, log_y0, p
        )[0, 0]
        want = stats.t.logpdf(a[prepared.observed], draw["nu"], mu, SCALE[name](draw, a)).sum()
        assert float(logp(point)) == pytest.approx(want, rel=1e-9)

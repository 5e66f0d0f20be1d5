"""Sweeps (the explorer's bands): the same numbers however the draws are split over threads."""

import numpy as np
import pytest

from takeoff.models import sweep as sweep_module
from takeoff.models.sweep import sweep


@pytest.mark.parametrize(
    ("family", "centre", "quantity"),
    [
        ("power_law", {"k": 0.5, "alpha": 0.9}, "I"),  # closed form
        ("jones_software", {"beta": 0.3}, "S"),  # integrated in arc length; most blow up
    ],
)
def test_band_on_two_threads_equals_one_block(family, centre, quantity, monkeypatch):
    from takeoff.dashboards.explore import parameter_slider
    from takeoff.models import get_family

    fam = get_family(family)
    centre = {p.name: parameter_slider(p).default for p in fam.parameters} | centre
    y0 = {s.name: 1.0 for s in fam.states}
    threaded = sweep(family, centre, y0, 10, quantity, spread=0.5, draws=3_001, seed=2)
    monkeypatch.setattr(sweep_module, "BAND_THREADS_MIN_DRAWS", 10**9)
    one_block = sweep(family, centre, y0, 10, quantity, spread=0.5, draws=3_001, seed=2)
    assert threaded.statuses == one_block.statuses
    assert sum(threaded.statuses.values()) == 3_001
    assert {"ok", "capped"} <= set(threaded.statuses)  # draws that blow up and draws that do not
    assert threaded.share_blowup == one_block.share_blowup
    for q, band in one_block.bands.items():
        np.testing.assert_array_equal(threaded.bands[q], band)


def test_band_quantiles_are_numpys():
    from takeoff.models.sweep import band_quantiles

    rng = np.random.default_rng(0)
    values = np.exp(rng.normal(size=(7, 1001)).cumsum(axis=0))
    values[2, :40] = 1e300  # draws held at the cap
    quantiles = (0.05, 0.25, 0.5, 0.75, 0.95, 1.0)
    expected = np.quantile(values, quantiles, axis=1)
    np.testing.assert_allclose(band_quantiles(values, quantiles), expected, rtol=1e-13)

"""The loop at a backtest origin: the scenario pointed at refitted posteriors and re-dated
there, and the LM link's predictive at held-out rows (the track record's own tests are in
test_track_record.py)."""

import numpy as np
import pytest

from takeoff.forecast.loading import load_scenario
from takeoff.forecast.loop_backtest import KEPT, REFITTED, at_origin
from takeoff.forecast.sources import FromPosterior


def test_at_origin_points_every_fitted_link_at_the_refit_and_its_date(tmp_path):
    scenario = load_scenario("takeoff_from_data")
    files = {n: tmp_path / f"{n}.nc" for n in REFITTED}
    moved = at_origin(scenario, files, 2023.5)
    assert moved.start == 2023.5 and moved.end == pytest.approx(scenario.end)
    for key, src in moved.all_sources().items():
        before = scenario.all_sources()[key]
        if isinstance(before, FromPosterior) and before.source in KEPT:
            assert src == before, key  # undated fits are kept as shipped
        elif isinstance(before, FromPosterior):
            assert src.source == str(files[before.source]), key
            base = before.variable.split("@")[0]
            assert src.variable in (base, f"{base}@2023.5"), key
        else:
            assert src == before, key  # labelled priors and numbers unchanged


def test_lm_predictive_reproduces_the_fit_on_its_own_rows():
    """The shipped fit saw every LM row: on the rows from 2021 on its predictive is centred on
    them and covers them (a wrong centring, date or benchmark coding would show as a bias)."""
    from takeoff.data.posteriors import load_posterior
    from takeoff.forecast.loop_backtest import lm_holdout_predictive

    dates, observed, predictive = lm_holdout_predictive(
        load_posterior("algorithmic_progress"), 2021.0
    )
    assert (dates >= 2021.0).all() and predictive.shape[1] == observed.size > 20
    median = np.median(predictive, axis=0)
    assert abs(np.median(median - observed)) < 0.1  # ln perplexity; residual sd ~0.23
    lo, hi = np.quantile(predictive, [0.05, 0.95], axis=0)
    assert 0.8 <= np.mean((lo <= observed) & (observed <= hi)) <= 1.0
    assert lm_holdout_predictive(load_posterior("algorithmic_progress"), 2024.0) is None

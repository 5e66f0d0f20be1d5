"""The loop backtest: the scenario pointed at refitted posteriors and re-dated at the origin
(fast), and a reduced end-to-end run at one origin (few draws; the full run with both origins
is behind the slow marker)."""

import numpy as np
import pytest

from takeoff.errors import TakeoffError
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.loop_backtest import KEPT, REFITTED, SERIES, at_origin, loop_backtest
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


def test_it_refuses_scenarios_of_other_families_and_origins_outside_the_data():
    with pytest.raises(TakeoffError, match="research_loop scenarios"):
        loop_backtest("foom", [2022.0])
    with pytest.raises(TakeoffError, match="inside the METR data"):
        loop_backtest("takeoff_from_data", [2030.0])


def _run(origins, draws, chains, forecast_draws, tune=None):
    return loop_backtest(
        "takeoff_from_data",
        origins,
        draws=draws,
        tune=tune,
        chains=chains,
        forecast_draws=forecast_draws,
        seed=1,
    )


def _check(result, origins):
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits.predictive import fit_data_file

    metr = fit_data_file(posteriors_dir() / "effective_readout.nc")
    for origin in origins:
        rows = result.summary[result.summary["origin"] == origin].set_index("series")
        assert rows.loc[SERIES[0], "n_held_out"] == int((metr.x >= origin).sum())
        assert rows.loc[SERIES[1], "n_held_out"] > 0
        assert 0 <= rows.loc[SERIES[0], "coverage50"] <= rows.loc[SERIES[0], "coverage90"] <= 1
        pts = result.points[result.points["origin"] == origin]
        assert (pts["date"] >= origin).all()  # scored only on what came after
        assert np.isfinite(pts[["median", "lo90", "hi90", "error"]].to_numpy(float)).all()
        m = result.milestones[result.milestones["origin"] == origin]
        assert set(m["milestone"]) >= {"work_month", "work_year", "software_10x"}
    assert "The milestone forecast made at each origin" in result.format()


def test_reduced_backtest_at_one_origin():
    result = _run([2024.5], draws=150, tune=150, chains=1, forecast_draws=300)
    _check(result, [2024.5])
    # no language-model rows after 2023.4: that series is not scored
    assert SERIES[2] not in set(result.summary["series"])


@pytest.mark.slow
def test_full_backtest_at_2022_and_2023_5():
    result = _run([2022.0, 2023.5], draws=500, chains=2, forecast_draws=2000)
    _check(result, [2022.0, 2023.5])
    assert SERIES[2] in set(result.summary[result.summary["origin"] == 2022.0]["series"])
    assert not result.problems, result.problems


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

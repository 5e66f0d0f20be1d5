"""The joint research_loop fit: the stacked data (anchors never fitted), data outside the
loop's path refused in one line, recovery of known parameters from data simulated by the loop
(reduced here, full behind slow), a reduced SBC (the full one is test_sbc.py's slow
test_sbc_full over every registered fit), and prior against posterior printed."""

import numpy as np
import pytest

from takeoff.errors import TakeoffError
from takeoff.models.fits import FitOptions
from takeoff.models.fits.calibration import bundled_prepared, recover
from takeoff.models.fits.research_loop_fit import (
    COMPUTE,
    HORIZON,
    RESEARCH_LOOP_FIT,
    START,
    UPLIFT,
    stack,
    uplift_rows,
)
from takeoff.models.loop_path import log_human_growth_factor

NAME = RESEARCH_LOOP_FIT
TRUTH = {  # a loop near the priors' centres with strong enough AI labour to show in the uplift
    "log_H0": np.log(400.0), "kappa": 1.2, "gamma": 0.176, "g_C": 1.45, "log10_C0": 26.6,
    "g_S": 0.7, "q_balance": 0.6, "lambda": 0.65, "g_L": 0.9, "nu_size": 0.51,
    "log_A_ai": np.log(2.0), "log_H_half": 8.0, "w": 1.0, "rho": 0.5, "g_I": 0.9,
    "log10_S_max": 6.0, "b_rct": -0.1, "b_self_report": 0.35, "b_telemetry": 0.7,
    "b_task_eval": 1.0, "scatter_h": 0.3, "nu_h": 20.0, "scatter_c": 0.3, "nu_c": 20.0,
    "scatter_u": 0.2, "log_kappa_ratio": 0.5, "change_date": 2024.5,
}  # fmt: skip
# g_S and log10_C0 are sampled as log_D and log10_C_mid (the fit's module): the truth in those
TRUTH["log_D"] = float(np.log(TRUTH.pop("g_S")) + log_human_growth_factor(
    0.8 * TRUTH["q_balance"], TRUTH["lambda"], TRUTH["g_L"], 7.0))  # fmt: skip
TRUTH["log10_C_mid"] = TRUTH.pop("log10_C0") - TRUTH["g_C"] * 3.0 / np.log(10.0)
# parameters the simulated data must pin (the rest may stay near their priors)
IDENTIFIED = ("log_H0", "g_C", "log10_C_mid")


@pytest.fixture(scope="module")
def prepared():
    return bundled_prepared(NAME)


def test_the_three_series_are_stacked_and_anchors_are_not_fitted(prepared):
    kind = prepared.arrays["kind"].astype(int)
    assert (kind == HORIZON).sum() >= 15 and (kind == COMPUTE).sum() >= 20
    rows = uplift_rows()
    assert (kind == UPLIFT).sum() == len(rows) == 8
    assert not rows["kind"].isin(["forecaster_anchor", "model_output"]).any()
    # the uplift rows carry their ln values and the reported interval's sd (0 where none)
    y_u = prepared.arrays["y"][kind == UPLIFT]
    np.testing.assert_allclose(y_u, np.log(rows["uplift"].to_numpy(float)))
    s = prepared.arrays["sigma_obs"][kind == UPLIFT]
    assert s[0] == pytest.approx((np.log(0.98) - np.log(0.719)) / 3.92)
    assert prepared.constants["t_ref"] == START
    # node weights interpolate within the path's grid
    w = prepared.arrays["node_w"]
    assert ((w >= -1e-9) & (w <= 1 + 1e-9)).all()


def test_data_outside_the_path_are_refused_in_one_line(prepared):
    from takeoff.models.fits.fitspec import Prepared

    horizons = Prepared(
        arrays={"tau": np.array([-10.0]), "log_h": np.array([1.0]), "sigma_obs": np.ones(1)},
        observed="log_h",
        n=1,
        constants={"t_ref": START},
    )
    with pytest.raises(TakeoffError) as err:
        stack(horizons, (np.array([2020.0]), np.array([24.0])), uplift_rows())
    assert str(err.value) == (
        "research_loop: horizons dated 2016.00-2016.00, but the loop's path covers "
        "2019-2026.375; keep rows in that span (--since 2019)"
    )


def test_the_reparametrisation_keeps_the_prior_of_g_S_and_C0(prepared):
    """g_S is sampled through log_D | q, lambda, g_L and log10_C0 through log10_C_mid | g_C:
    the joint prior must be the declared one. No Potential is involved (so the prior
    predictive is the model's prior): 4,000 prior draws of ln g_S follow N(m, s) of the
    upstream fit (Kolmogorov-Smirnov p > 1e-3) uncorrelated with q, lambda, g_L (|r| < 0.07,
    ~4 standard errors), and log10_C0 follows N(26.5, 1) uncorrelated with g_C. A wrong sign
    or scale of ln F would shift g_S with q and fail both."""
    import pymc as pm
    from scipy import stats

    from takeoff.models.fits.research_loop_fit import C0_PRIOR, G_S_PRIOR

    model = RESEARCH_LOOP_FIT.build(prepared)
    assert not model.potentials
    assert {"log_D", "log10_C_mid"} <= {v.name for v in model.free_RVs}
    with model:
        prior = pm.sample_prior_predictive(draws=4000, random_seed=11).prior
    x = {k: prior[k].values.reshape(-1) for k in prior.data_vars}
    g_s = G_S_PRIOR.resolve(prepared.constants).params
    c0 = C0_PRIOR.distribution.params
    checks = (
        (np.log(x["g_S"]), g_s["mu"], g_s["sigma"], ("q_balance", "lambda", "g_L")),
        (x["log10_C0"], c0["mu"], c0["sigma"], ("g_C",)),
    )
    for values, mu, sigma, others in checks:
        assert stats.kstest(values, "norm", args=(mu, sigma)).pvalue > 1e-3
        for other in others:
            assert abs(np.corrcoef(values, x[other])[0, 1]) < 0.07, other


def _recovery(prepared, draws):
    result = recover(NAME, prepared, TRUTH, seed=4, draws=draws, tune=draws, prob=0.99)
    table = result.table
    for name in IDENTIFIED:
        assert table.loc[name, "inside"], table.loc[name]
        # and narrowed: the data pin them to much less than their prior's spread
        assert table.loc[name, "high"] - table.loc[name, "low"] < 1.5, table.loc[name]
    return table


@pytest.mark.slow  # a numba compile: passed in 158 s (load ~4, 2 shared cores, 2026-12-08)
def test_recovery_reduced(prepared):
    """Data simulated by the loop at TRUTH are fitted back: the identified parameters within
    their 99% intervals, and at least 90% of all parameters inside."""
    pytest.importorskip("nutpie")
    table = _recovery(prepared, 150)
    assert table["inside"].mean() >= 0.9, table


@pytest.mark.slow
def test_recovery_full(prepared):
    pytest.importorskip("nutpie")
    table = _recovery(prepared, 600)
    assert table["inside"].all(), table


@pytest.mark.slow  # a numba compile and 8 fits: passed in 164 s (load ~2, 2026-12-08)
def test_sbc_reduced(prepared):
    """8 simulations from the prior, ranks among 49 thinned draws: no parameter rejects
    uniformity at p < 1e-3 (coarse; the full run is test_sbc.py's slow test_sbc_full)."""
    pytest.importorskip("nutpie")
    from takeoff.models.fits.calibration import sbc

    result = sbc(
        NAME, prepared, sims=8, draws=100, tune=150, thin_to=49, bins=3, seed=6, progress=False
    )
    assert len(result.ranks) == 8
    assert (result.p_values > 1e-3).all(), result.format()


def test_options_select_dates(prepared):
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import bundled_table, prepare

    spec = get_fit(NAME)
    frame, _ = bundled_table(spec)
    early = prepare(spec, frame, FitOptions(until=2025.5))
    assert early.n < prepared.n
    assert (early.arrays["tau"] + START < 2025.5).all()


def test_the_fit_prints_prior_against_posterior_for_every_ai_labour_parameter():
    """On the shipped posterior: each former labelled prior with both intervals and the ratio
    of 90% widths; a parameter the data cannot reach (the ceiling S_max, far above the data
    period's S) keeps a width ratio near 1."""
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits import load_fit
    from takeoff.models.fits.research_loop_fit import key_results, prior_vs_posterior

    path = posteriors_dir() / "research_loop.nc"
    if not path.is_file():
        pytest.skip("research_loop.nc is missing (takeoff ship --only research_loop)")
    idata = load_fit(path, "research_loop")
    table = prior_vs_posterior(idata)
    for label in ("A_ai", "H_half [min]", "w", "rho", "S_max", "g_I [1/yr]"):
        assert label in table.index
        assert 0.0 < table.loc[label, "width_ratio"] < 1.5
    assert table.loc["S_max", "width_ratio"] > 0.8
    text = "\n".join(key_results(idata))
    assert "uplift of AI research the loop implies at 2026" in text
    assert "for comparison only (not fitted): aifm_q25_uplift 2x (forecaster_anchor)" in text

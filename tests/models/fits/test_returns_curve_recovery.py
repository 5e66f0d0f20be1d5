"""Recovery over a range of returns curves y = E + A x^-alpha: tables simulated outside the
model (numpy, lognormal noise) from known (E, A, alpha, noise, x range), near-noiseless ones
like a user's nine clean points among them, each fitted as a user's table is with the fit's
defaults (target_accept, tuning), must converge (R-hat <= 1.01, bulk ESS, no divergences) and
hold the truths in their posterior intervals: each inside the central 99%, and in the 94%
interval the key results print for all curves but at most one (E, A and alpha move together,
so one noise draw puts all three of a curve out or in: a curve misses about 6-10% of the time).
The normal suite draws 4 chains x 500 (one compilation, then about a second per curve) and
asks for bulk ESS >= 400; ``-m slow`` draws the default 4 x 1000 and asks for ESS >= 1,000 of
4,000 draws, the bar issue 26 set for a returns curve with the defaults."""

import functools

import numpy as np
import pandas as pd
import pytest

from takeoff.models.fits import fit

pytest.importorskip("pymc")

# (E, A, alpha, noise sd of ln y, log10 x from, to, points)
CURVES = {
    # nine near-noiseless points of loss over four decades of compute (issue 26's table)
    "clean-loss-4-decades": (1.69, 4.0e3, 0.2, 0.003, 18, 22, 9),
    "chinchilla-like-loss": (1.69, 1.5e3, 0.155, 0.01, 18, 24, 25),
    "error-near-pure-power": (0.02, 40.0, 0.25, 0.01, 2, 8, 40),
    "floor-dominated-steep": (1.0, 2.0e4, 0.9, 0.005, 4, 7, 12),
    "noisy-shallow-wide": (2.0, 3.0, 0.05, 0.03, 15, 25, 30),
}
PARAMETERS = ("E", "A", "alpha")


def curve_table(E, A, alpha, noise, lo, hi, n, seed=0):
    rng = np.random.default_rng(seed)
    x = np.logspace(lo, hi, n)
    y = (E + A * x**-alpha) * np.exp(rng.normal(0.0, noise, n))
    return pd.DataFrame({"x": x, "y": y})


@functools.cache
def _fitted(name, draws):
    """(diagnostics table, {parameter: (truth, draws)}) of the curve fitted with the defaults."""
    import arviz as az

    E, A, alpha, *rest = CURVES[name]
    idata = fit(
        "returns_curve",
        curve_table(E, A, alpha, *rest),
        draws=draws,
        chains=4,
        seed=1,
        progress=False,
        posterior_predictive=False,
        log_likelihood=False,
    )
    names = [*PARAMETERS, "level", "decline", "excess", "sigma"]
    summary = az.summary(idata, var_names=names, round_to="none")
    summary["divergences"] = int(idata.sample_stats["diverging"].sum())
    truths = {
        p: (t, idata.posterior[p].values.reshape(-1))
        for p, t in zip(PARAMETERS, (E, A, alpha), strict=True)
    }
    return summary, truths


def _inside(values, truth, prob):
    lo, hi = np.quantile(values, [(1 - prob) / 2, (1 + prob) / 2])
    return bool(lo <= truth <= hi)


def _check_curve(name, draws, ess_min):
    summary, truths = _fitted(name, draws)
    assert summary["r_hat"].max() <= 1.01, f"{name}: R-hat\n{summary}"
    assert summary["ess_bulk"].min() >= ess_min, f"{name}: bulk ESS\n{summary}"
    assert summary["divergences"].iloc[0] == 0, f"{name}: divergences"
    for parameter, (truth, values) in truths.items():
        assert _inside(values, truth, 0.99), f"{name}: {parameter} = {truth} outside the 99%"


def _check_94(draws):
    missed = {
        name: [
            p
            for p, (truth, values) in _fitted(name, draws)[1].items()
            if not _inside(values, truth, 0.94)
        ]
        for name in CURVES
    }
    missed = {name: ps for name, ps in missed.items() if ps}
    assert len(missed) <= 1, f"truths outside their 94% intervals: {missed}"


@pytest.mark.parametrize("name", list(CURVES))
def test_returns_curves_converge_and_recover(name):
    # >= 20% of the 2,000 draws: the weakest curves' bulk ESS varies with the seed and the
    # route's floating point (noisy-shallow-wide at 4 x 500: 402-726 over seeds 1-3 on the
    # C and numba routes), so a 25% bar here failed at random; the slow test keeps 25%
    _check_curve(name, draws=500, ess_min=400)


def test_returns_curves_truths_in_the_94_percent_intervals():
    _check_94(draws=500)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CURVES))
def test_returns_curves_converge_with_the_defaults(name):
    _check_curve(name, draws=1000, ess_min=1000)


@pytest.mark.slow
def test_returns_curves_truths_in_the_94_percent_intervals_with_the_defaults():
    _check_94(draws=1000)

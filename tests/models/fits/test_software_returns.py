"""software_returns: the exact Gaussian leave-one-out of the AR(1) residual against brute force,
recovery of known returns on the bundled speedrun covariates, a reduced simulation-based
calibration, and bad input through the command line."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from takeoff.cli import main
from takeoff.models.fits.ar1 import ar1_loo

# --- ar1_loo: exact leave-one-out densities ------------------------------------------------------


def _ou_covariance(gap, sigma, ell):
    """The dense covariance of an OU process observed at the dates the gaps give (the first
    gap is 'none': a stationary start): sigma^2 exp(-|T_i - T_j| / ell)."""
    T = np.r_[0.0, np.cumsum(gap[1:])]
    return sigma**2 * np.exp(-np.abs(T[:, None] - T[None, :]) / ell)


def _brute_force_loo(e, cov):
    """log p(e_i | e_-i) from the dense covariance, by conditioning a multivariate normal."""
    n = len(e)
    out = np.empty(n)
    for i in range(n):
        rest = np.delete(np.arange(n), i)
        k = cov[i, rest]
        solve = np.linalg.solve(cov[np.ix_(rest, rest)], np.c_[e[rest], k])
        mean = k @ solve[:, 0]
        var = cov[i, i] - k @ solve[:, 1]
        out[i] = stats.norm.logpdf(e[i], mean, math.sqrt(var))
    return out


def test_ar1_loo_equals_brute_force_conditionals():
    """Per draw, every exact LOO density equals the conditional density of the dense OU
    covariance (irregular gaps, three (sigma, ell) draws incl. ell much shorter and longer than
    the gaps); tolerance 1e-9 absolute in log density."""
    rng = np.random.default_rng(4)
    n = 25
    gap = np.r_[1e3, rng.exponential(0.05, n - 1)]  # years; the first: no predecessor
    sigma = np.array([0.27, 0.05, 1.3])
    ell = np.array([0.3, 0.01, 2.0])
    residual = np.empty((3, n))
    for s in range(3):
        cov = _ou_covariance(gap, sigma[s], ell[s])
        residual[s] = rng.multivariate_normal(np.zeros(n), cov)
    fast = ar1_loo(residual, gap, sigma, ell)
    assert fast.shape == (3, n)
    for s in range(3):
        brute = _brute_force_loo(residual[s], _ou_covariance(gap, sigma[s], ell[s]))
        np.testing.assert_allclose(fast[s], brute, rtol=0, atol=1e-9)


def test_ar1_loo_is_not_the_independent_density():
    """The check above can fail: with strong correlation the LOO densities differ from the
    marginal (independent) densities by far more than the tolerance."""
    gap = np.r_[1e3, np.full(9, 0.01)]
    e = np.linspace(-0.3, 0.3, 10)[None, :]
    loo = ar1_loo(e, gap, np.array([0.3]), np.array([1.0]))
    marginal = stats.norm.logpdf(e, 0.0, 0.3)
    assert np.max(np.abs(loo - marginal)) > 1.0


# --- recovery and calibration on the bundled covariates ------------------------------------------

TRUTH = {
    "beta": 1.5,
    "lambda": 0.8,  # r = 0.53
    "log_S_end": 3.4,
    "log_S0": 0.0,
    "sigma": 0.25,
    "ell_days": 100.0,
}


def _recovery(seed, draws):
    pytest.importorskip("pymc")
    from takeoff.models.fits.calibration import bundled_prepared, recover

    result = recover(
        "software_returns",
        bundled_prepared("software_returns"),
        TRUTH,
        seed=seed,
        draws=draws,
        tune=draws,
        chains=2,
    )
    assert result.table["inside"].all(), f"truth outside the 99% interval\n{result.table}"
    return result


def test_recovery_on_the_speedrun_covariates():
    """Records simulated from known (beta, lambda, S_end, S0, sigma, ell) on the bundled record
    dates and research-input series (AR(1) residuals): every truth in the 99% interval."""
    _recovery(seed=31, draws=300)


@pytest.mark.slow
def test_recovery_second_seed_more_draws():
    _recovery(seed=32, draws=1000)


def test_recovery_of_r_on_an_exact_path():
    """With tiny noise the identified combination r = lambda / beta is recovered closely
    (the ridge keeps beta and lambda loose; r is what the speedrun identifies given
    lambda <= 1): median within 15% of the truth 0.533."""
    pytest.importorskip("pymc")
    from takeoff.models.fits.calibration import bundled_prepared, simulate, with_observed
    from takeoff.models.fits.fitting import sample
    from takeoff.models.fits.registry import get_fit

    spec = get_fit("software_returns")
    prepared = bundled_prepared(spec)
    truth = dict(TRUTH, sigma=0.02)
    data = with_observed(prepared, simulate(spec, prepared, truth, seed=5))
    idata = sample(
        spec, data, draws=300, tune=300, chains=2, seed=5, progress=False,
        posterior_predictive=False,
    )  # fmt: skip
    r = idata.posterior["r"].values.reshape(-1)
    true_r = TRUTH["lambda"] / TRUTH["beta"]
    assert abs(np.median(r) - true_r) / true_r < 0.15, np.quantile(r, [0.05, 0.5, 0.95])


def test_sbc_reduced():
    """Simulation-based calibration, reduced: 12 simulations from the prior on the bundled
    covariates, ranks among 49 thinned draws; no parameter's ranks reject uniformity at
    p < 1e-3 and few ranks pile at the ends (a wrong likelihood or prior fails this). The full
    run (100 simulations) is test_sbc.py's slow test_sbc_full."""
    pytest.importorskip("nutpie")
    from takeoff.models.fits.calibration import bundled_prepared, sbc
    from takeoff.models.fits.registry import get_fit

    spec = get_fit("software_returns")
    prepared = bundled_prepared(spec)
    result = sbc(
        spec, prepared, sims=12, draws=150, tune=150, thin_to=49, bins=3, seed=6, progress=False
    )
    assert len(result.ranks) == 12
    assert set(result.p_values.index) == {p.name for p in spec.priors_for(prepared)}
    assert (result.p_values > 1e-3).all(), result.format()
    extremes = np.mean((result.ranks.values <= 1) | (result.ranks.values >= 48))
    assert extremes < 0.3, result.format()


# --- bad input through the command line ----------------------------------------------------------


def _series(n=12):
    dates = pd.date_range("2024-01-10", periods=n, freq="14D").strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "when": dates,
            "speed": np.exp(np.linspace(0.0, 2.0, n)),
            "people": np.arange(2, n + 2),
        }
    )


@pytest.mark.parametrize(
    ("edit", "columns", "message"),
    [
        (
            None,
            ["date=when", "performance=speed"],
            "error: software_returns needs a research input: give --column research=COLUMN "
            "(research input per row, e.g. people working) or --column contributors=COLUMN "
            "(people credited per row, ';'-separated)",
        ),
        (
            None,
            ["date=when", "research=people"],
            "error: column 'performance' not found in 'bad.csv'; available columns: when, "
            "speed, people",
        ),
        (
            ("people", 3, 0),
            ["date=when", "performance=speed", "research=people"],
            "error: column 'people' of 'bad.csv' must be positive because its logarithm is "
            "taken, but data row 4 (line 5) has 0; remove the row or correct the value",
        ),
        (
            ("speed", 3, 0.0),
            ["date=when", "performance=speed", "research=people"],
            "error: column 'speed' of 'bad.csv' must be positive because its logarithm is "
            "taken, but data row 4 (line 5) has 0.0; remove the row or correct the value",
        ),
        (
            ("when", 3, "2024-01-20"),
            ["date=when", "performance=speed", "research=people"],
            "error: column 'when' of 'bad.csv' is not in time order: data row 4 (line 5) has "
            "2024-01-20, earlier than 2024-02-07 in the row above; sort the rows by date",
        ),
    ],
)
def test_bad_input_is_one_line(tmp_path, monkeypatch, capsys, edit, columns, message):
    frame = _series()
    if edit is not None:
        column, row, value = edit
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    monkeypatch.chdir(tmp_path)
    frame.to_csv("bad.csv", index=False)
    args = ["fit", "software_returns", "--data", "bad.csv"]
    args += [a for c in columns for a in ("--column", c)]
    code = main(args)
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == message
    assert err.count("\n") == 1


# --- the listing and the published prior beside the fit ------------------------------------------


def test_fits_lists_the_returns_fits(capsys):
    """`takeoff fits` names each new fit with its data set, its family link and the labelled
    prior on lambda, and lists the compared regimes."""
    assert main(["fits"]) == 0
    out = capsys.readouterr().out
    blocks = {b.split(":", 1)[0]: b for b in out.split("\n\n") if b.strip()}
    sr, lm, ap = (blocks[k] for k in ("software_returns", "software_returns_lm",
                                      "algorithmic_progress"))  # fmt: skip
    assert "data: nanogpt_speedrun" in sr and "family: jones_software" in sr
    assert "compared regime exponential" in sr and "compared regime active_span" in sr
    assert "LABELLED PRIOR" in sr and "(ESTIMATE)" in lm and "active_span" not in lm
    assert "data: lm_algorithmic_progress" in ap and "compute_halving_months [months]" in ap
    assert "compared regime shared_rate" in ap


def test_published_prior_line_sets_p_r_above_1_beside_the_sie_prior():
    """The line --compare (and every fit of software_returns) prints: P(r > 1) of the fit beside
    P(r0 > 1) under sie_published's log-uniform(0.4, 3.6) prior, which is ln 3.6 / ln 9."""
    from takeoff.cli.fit_commands import published_prior_line
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits import load_fit
    from takeoff.models.fits.registry import get_fit

    idata = load_fit(posteriors_dir() / "software_returns.nc", "software_returns")
    here = float(np.mean(idata.posterior["r"].values > 1.0))
    published = math.log(3.6) / math.log(9.0)
    assert published_prior_line(get_fit("software_returns"), idata) == (
        f"P(r > 1) = {here:.4f} fitted, against P(r0 > 1) = {published:.3f} under the published "
        "prior of scenario sie_published (r0 ~ loguniform(low=0.4, high=3.6))"
    )

"""algorithmic_progress: the halving-time derivation against a numerical optimum, recovery of a
known halving time (the N, D form on the bundled covariates; the compute-only form on a user's
CSV through the command line) and bad input with one-line errors."""

import functools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq, minimize_scalar

from takeoff.cli import main
from takeoff.models import scaling

pm = pytest.importorskip("pymc")

LN2 = math.log(2.0)


# --- the halving time: the docstring's derivation, checked numerically -------------------------


def _law(log_n, log_c, tau, p):
    """The fit's law at physical compute C = 6 N D' (the allocation given by ln N) and date tau,
    through the same scaling-law function the likelihood uses: the progress multiplies N and
    D' as e^(g_N tau), e^(g_D tau), i.e. lowers each term's ln level by alpha g_N tau (c_N)."""
    log_d = log_c - math.log(6.0) - log_n
    return scaling.loss_centred(
        log_n,
        log_d,
        p["E"],
        math.log(p["A"]) - p["alpha"] * p["g_N"] * tau,
        math.log(p["B"]) - p["beta"] * p["g_D"] * tau,
        p["alpha"],
        p["beta"],
    )


def _optimal_loss(log_c, tau, p):
    """The loss at the best allocation of compute C between N and D' at date tau."""
    res = minimize_scalar(
        lambda x: _law(x, log_c, tau, p),
        bounds=(0.0, log_c),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return float(res.fun)


def _halving_years_numerically(log_c, p):
    """Years until half the compute reaches, optimally allocated, the loss C reaches now."""
    target = _optimal_loss(log_c, 0.0, p)
    return brentq(lambda dt: _optimal_loss(log_c - LN2, dt, p) - target, 1e-6, 60.0, xtol=1e-13)


@functools.cache
def _model():
    from takeoff.models.fits.calibration import bundled_prepared
    from takeoff.models.fits.registry import get_fit

    spec = get_fit("algorithmic_progress")
    return spec.build(bundled_prepared(spec), {})


def _model_halving_months(g_total, phi):
    """compute_halving_months as the fit's model computes it from (g_total, phi)."""
    fixed = pm.do(_model(), {"g_total": np.asarray(g_total), "phi": np.asarray(phi)})
    return float(pm.draw(fixed["compute_halving_months"]))


PARAMETER_SETS = [
    # Chinchilla-like exponents, an irreducible loss
    dict(E=1.7, A=400.0, B=410.0, alpha=0.34, beta=0.28, g_N=0.3, g_D=0.4),
    # the Ho form on the bundled data: no E, tiny data exponent, a shared rate
    dict(E=0.0, A=9.0, B=4.0, alpha=0.074, beta=0.020, g_N=0.34, g_D=0.34),
    # progress almost all through the data
    dict(E=0.5, A=30.0, B=60.0, alpha=0.2, beta=0.05, g_N=0.05, g_D=1.5),
]


@pytest.mark.parametrize("p", PARAMETER_SETS)
@pytest.mark.parametrize("compute", [1e18, 1e22])
def test_halving_time_is_12_ln2_over_g_total(p, compute):
    """Minimising the law over the allocation at fixed compute and root-finding the years until
    half the compute reaches the same loss gives 12 ln 2 / (g_N + g_D) months, which is what
    the model reports; tolerance 1e-7 relative (the optimiser's xatol is 1e-12 in ln N)."""
    numerical = 12.0 * _halving_years_numerically(math.log(compute), p)
    g_total = p["g_N"] + p["g_D"]
    assert numerical == pytest.approx(12.0 * LN2 / g_total, rel=1e-7)
    assert _model_halving_months(g_total, p["g_N"] / g_total) == pytest.approx(numerical, rel=1e-7)


def test_the_check_tells_a_wrong_formula_apart():
    """The numerical halving time depends on the total rate only: giving the whole rate to one
    input leaves it unchanged, while ln 2 / g_N (a formula ignoring the data's share) is off."""
    p = PARAMETER_SETS[2]
    both = _halving_years_numerically(math.log(1e20), p)
    moved = dict(p, g_N=p["g_N"] + p["g_D"], g_D=0.0)
    assert _halving_years_numerically(math.log(1e20), moved) == pytest.approx(both, rel=1e-7)
    assert abs(both - LN2 / p["g_N"]) / both > 10.0


def test_compute_only_halving():
    """metric = E + A (C e^(g tau))^-alpha: the compute that keeps the metric fixed halves in
    ln 2 / g years (root-found), as compute_halving_months = 12 ln 2 / g_total says."""
    E, A, alpha, g = 0.05, 40.0, 0.25, 0.9

    def metric(log_c, tau):
        return E + A * np.exp(-alpha * (log_c + g * tau))

    log_c = math.log(1e19)
    years = brentq(lambda dt: metric(log_c - LN2, dt) - metric(log_c, 0.0), 1e-6, 50.0, xtol=1e-14)
    assert 12.0 * years == pytest.approx(12.0 * LN2 / g, rel=1e-9)


# --- recovery on synthetic data ----------------------------------------------------------------


LM_TRUTH = {
    "log_term_n": np.log([1.9, 2.1, 2.3]),
    "log_term_d": np.log([1.2, 1.3, 1.4]),
    "alpha": 0.08,
    "beta": 0.03,
    "g_total": 0.6,  # halving 13.9 months
    "phi": 0.5,
    "sigma": 0.05,
    "nu": 10.0,
}


def _lm_recovery(seed, draws):
    from takeoff.models.fits.calibration import bundled_prepared, recover

    result = recover(
        "algorithmic_progress",
        bundled_prepared("algorithmic_progress"),
        LM_TRUTH,
        seed=seed,
        draws=draws,
        tune=draws,
        chains=2,
    )
    table = result.table
    # phi is a labelled prior (not identified): it is simulated, not checked; nu neither
    checked = table.drop(index=[i for i in table.index if str(i).startswith(("phi", "nu"))])
    assert checked["inside"].all(), f"truth outside the 99% interval\n{table}"
    return table


def test_lm_form_recovers_its_rate_on_the_bundled_covariates():
    """Data simulated from known values on the bundled N, D', dates and benchmarks: every
    identified truth (exponents, term levels, g_total, sigma) lies in the 99% interval."""
    _lm_recovery(seed=21, draws=300)


@pytest.mark.slow
def test_lm_form_recovery_second_seed_more_draws():
    _lm_recovery(seed=22, draws=1000)


def _synthetic_error_table(path, seed, n=40, g=0.9, alpha=0.25, E=0.05):
    """An image-classification-like table: top-1 error against training compute and date."""
    rng = np.random.default_rng(seed)
    date = np.sort(rng.uniform(2012.0, 2022.0, n))
    log10_c = 16.0 + 0.45 * (date - 2012.0) + rng.normal(0.0, 0.8, n)
    tau = date - date.mean()
    log_c_c = log10_c * math.log(10.0) - np.mean(log10_c * math.log(10.0))
    error = (E + 0.25 * np.exp(-alpha * (log_c_c + g * tau))) * np.exp(rng.normal(0.0, 0.05, n))
    pd.DataFrame(
        {
            "system": [f"net{i}" for i in range(n)],
            "year": _iso(date),
            "flop": 10.0**log10_c,
            "top1_error": error,
        }
    ).to_csv(path, index=False)
    return 12.0 * LN2 / g


def _fit_cli(capsys, *args):
    code = main(["fit", "algorithmic_progress", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_compute_only_form_on_a_user_csv_recovers_the_halving_time(tmp_path, capsys):
    """`takeoff fit algorithmic_progress --data mine.csv --column date=... --column compute=...
    --column metric=...` fits the compute-only form and reports compute_halving_months; the
    truth (9.24 months) lies in the printed interval and the median is within 25% of it."""
    csv = tmp_path / "mine.csv"
    truth = _synthetic_error_table(csv, seed=3)
    saved = tmp_path / "fit.nc"
    code, out, err = _fit_cli(
        capsys,
        "--data", str(csv),
        "--column", "date=year",
        "--column", "compute=flop",
        "--column", "metric=top1_error",
        "--draws", "300",
        "--chains", "2",
        "--seed", "1",
        "--out", str(saved),
    )  # fmt: skip
    assert code == 0, err
    assert "compute_halving_months" in out or "halving" in out
    from takeoff.models.fits import load_fit

    post = load_fit(saved).posterior
    halving = post["compute_halving_months"].values.reshape(-1)
    lo, med, hi = np.quantile(halving, [0.005, 0.5, 0.995])
    assert lo < truth < hi
    assert abs(med - truth) / truth < 0.25
    assert post.attrs["fit_name"] == "algorithmic_progress"


# --- bad input through the command line ---------------------------------------------------------


def _iso(years):
    """Decimal years as ISO dates (the date role reads ISO dates)."""
    start = pd.to_datetime([f"{int(y)}-01-01" for y in years])
    frac = np.asarray(years) - np.floor(years)
    return (start + pd.to_timedelta(frac * 365.25, unit="D")).strftime("%Y-%m-%d")


GOOD = pd.DataFrame(
    {
        "year": _iso(np.arange(2010.0, 2024.0)),
        "flop": np.logspace(17, 23, 14),
        "err": np.linspace(0.4, 0.08, 14),
    }
)
ROLES = ["date=year", "compute=flop", "metric=err"]


@pytest.mark.parametrize(
    ("change", "columns", "message"),
    [
        (
            None,
            ["date=year", "compute=flop"],
            "error: the compute-only form of algorithmic_progress needs a metric column; "
            "give --column metric=COLUMN",
        ),
        (
            None,
            ["date=year"],
            "error: algorithmic_progress needs the roles date, compute and metric (compute-only "
            "form) or date, parameters, data and perplexity (N, D form); missing parameters, "
            "data, perplexity: give --column ROLE=COLUMN",
        ),
        (
            ("flop", 2, 0.0),
            ROLES,
            "error: column 'flop' of 'bad.csv' must be positive because its logarithm is taken, "
            "but data row 3 (line 4) has 0.0; remove the row or correct the value",
        ),
        (
            ("err", 4, -0.1),
            ROLES,
            "error: column 'err' of 'bad.csv' must be positive because its logarithm is taken, "
            "but data row 5 (line 6) has -0.1; remove the row or correct the value",
        ),
    ],
)
def test_bad_input_is_one_line(tmp_path, monkeypatch, capsys, change, columns, message):
    """Missing roles and a non-positive compute or metric: one line, exit code 2, nothing
    sampled. (Dates need no order here: the fit has no law of motion in time.)"""
    frame = GOOD.copy()
    if change is not None:
        column, row, value = change
        frame.loc[row, column] = value
    monkeypatch.chdir(tmp_path)
    frame.to_csv("bad.csv", index=False)
    args = ["--data", "bad.csv", *[a for c in columns for a in ("--column", c)]]
    code, _, err = _fit_cli(capsys, *args)
    assert code == 2
    assert err.strip() == message
    assert err.count("\n") == 1


# --- the compute-only form: prior predictive and a reduced calibration ---------------------------


def _compute_only_prepared(n=40, seed=3):
    """The compute-only form prepared on the synthetic error table (role columns, as the
    command line hands them to the fit)."""
    from takeoff.models.fits.fitspec import FitOptions
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import prepare

    rng = np.random.default_rng(seed)
    date = np.sort(rng.uniform(2012.0, 2022.0, n))
    log10_c = 16.0 + 0.45 * (date - 2012.0) + rng.normal(0.0, 0.8, n)
    tau = date - date.mean()
    log_c_c = (log10_c - log10_c.mean()) * math.log(10.0)
    error = (0.05 + 0.25 * np.exp(-0.25 * (log_c_c + 0.9 * tau))) * np.exp(rng.normal(0, 0.05, n))
    frame = pd.DataFrame({"date": date, "compute": 10.0**log10_c, "metric": error})
    spec = get_fit("algorithmic_progress")
    return spec, prepare(spec, frame, FitOptions())


def test_compute_only_prior_predictive_covers_the_data():
    """The priors of the compute-only form (scaled by the table's median metric) predict
    metrics of the right scale: >= 90% of the synthetic observations inside the prior
    predictive's central 98%, and the band is not absurdly wide (under 6 nats median)."""
    spec, prepared = _compute_only_prepared()
    assert prepared.variant == "compute"
    with spec.build(prepared, {}):
        prior = pm.sample_prior_predictive(draws=400, random_seed=2)
    sims = prior.prior_predictive["log_metric"].values.reshape(400, -1)
    lo, hi = np.quantile(sims, [0.01, 0.99], axis=0)
    y = prepared.arrays["log_metric"]
    assert np.mean((y >= lo) & (y <= hi)) >= 0.9
    assert np.median(hi - lo) < 6.0


def test_compute_only_sbc_reduced():
    """Simulation-based calibration of the compute-only form on the synthetic covariates,
    reduced: 12 simulations, ranks among 49 draws; no parameter rejects uniformity at
    p < 1e-3 and few ranks pile at the ends."""
    pytest.importorskip("nutpie")
    from takeoff.models.fits.calibration import sbc

    spec, prepared = _compute_only_prepared()
    result = sbc(
        spec, prepared, sims=12, draws=150, tune=150, thin_to=49, bins=3, seed=8, progress=False
    )
    assert len(result.ranks) == 12
    assert set(result.p_values.index) == {p.name for p in spec.priors_for(prepared)}
    assert (result.p_values > 1e-3).all(), result.format()
    extremes = np.mean((result.ranks.values <= 1) | (result.ranks.values >= 48))
    assert extremes < 0.3, result.format()


def test_too_few_rows_counts_the_form_that_runs(tmp_path, monkeypatch, capsys):
    """A compute-only table is checked against the compute-only form's 6 parameters (not the
    12 of all forms together): 7 rows pass the reading check, 6 are refused by the fit."""
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import fewest_parameters

    assert fewest_parameters(get_fit("algorithmic_progress")) == 6
    monkeypatch.chdir(tmp_path)
    GOOD.head(6).to_csv("few.csv", index=False)
    code, _, err = _fit_cli(
        capsys, "--data", "few.csv", *[a for c in ROLES for a in ("--column", c)]
    )
    assert code == 2
    assert err.strip() == (
        "error: file 'few.csv' has 6 data rows but fitting 6 parameters needs at least 7 rows; "
        "add data rows"
    )

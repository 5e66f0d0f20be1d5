"""software_returns_lm with research made of labour and experiment compute: the CES research
production (stable at sigma = 1, no overflow at extreme sigma), the Jones integral on the
model's grid against a fine quadrature of the exact CES path, recovery of known returns on the
bundled covariates, and the fit's listing (variants compared by LOO)."""

import math

import numpy as np
import pytest
from scipy import integrate

from takeoff.cli import main
from takeoff.models.fits.software_returns_lm import (
    LM_T0,
    input_grid,
    input_series,
    research_segments,
)
from takeoff.models.jones_software import research_integral
from takeoff.models.research_production import log_ces, log_cobb_douglas

# --- the research production ---------------------------------------------------------------------

LOG_L = np.array([0.0, 1.0, -2.0, 5.0, 0.3])
LOG_C = np.array([0.0, 3.0, 1.0, -40.0, 14.0])


def _naive_log_ces(x, y, a, sigma):
    p = 1.0 - 1.0 / sigma
    return np.log(a * np.exp(p * x) + (1.0 - a) * np.exp(p * y)) / p


@pytest.mark.parametrize("a", [0.2, 0.5, 0.85])
@pytest.mark.parametrize("sigma", [0.2, 0.5, 2.0, 5.0, 50.0])
def test_log_ces_equals_the_definition(a, sigma):
    """Away from sigma = 1 the stable form equals (1/p) ln(a L^p + (1-a) C^p) to 1e-12."""
    np.testing.assert_allclose(
        log_ces(LOG_L, LOG_C, a, sigma), _naive_log_ces(LOG_L, LOG_C, a, sigma), atol=1e-12
    )


@pytest.mark.parametrize("a", [0.2, 0.5, 0.85])
def test_sigma_to_one_is_cobb_douglas(a):
    """sigma = 1 gives a ln L + (1 - a) ln C exactly (1e-14), and sigma = 1 +- 1e-7 within
    1e-6 of it (the limit is continuous: the difference is first order in p ~ 1e-7 times
    the squared log gap, here up to 45^2)."""
    cd = log_cobb_douglas(LOG_L, LOG_C, a)
    np.testing.assert_allclose(log_ces(LOG_L, LOG_C, a, 1.0), cd, atol=1e-14)
    for sigma in (1.0 - 1e-7, 1.0 + 1e-7):
        np.testing.assert_allclose(log_ces(LOG_L, LOG_C, a, sigma), cd, atol=1e-6 * 45**2 / 8)


def test_extreme_sigma_is_finite_and_bounded_by_leontief_and_linear():
    """No overflow at sigma = 0.01 or 1000 where the textbook form overflows; ln R lies between
    min(ln L, ln C) (Leontief) and ln(a L + (1-a) C) (perfect substitutes), 1e-9."""
    a = 0.4
    low = log_ces(LOG_L, LOG_C, a, 0.01)
    high = log_ces(LOG_L, LOG_C, a, 1000.0)
    linear = np.log(a * np.exp(LOG_L) + (1 - a) * np.exp(LOG_C))
    assert np.all(np.isfinite(low)) and np.all(np.isfinite(high))
    assert np.all(low >= np.minimum(LOG_L, LOG_C) - 1e-9)
    assert np.all(high <= linear + 1e-9)
    np.testing.assert_allclose(low, np.minimum(LOG_L, LOG_C), atol=0.1)  # near Leontief


def test_pytensor_gradient_is_finite_at_sigma_one():
    """Inside the model sigma = 1 is an ordinary point: value and gradient finite, and the
    gradient in sigma matches a central difference of the numpy form (1e-5)."""
    pt = pytest.importorskip("pytensor.tensor")
    import pytensor

    sigma = pt.dscalar("sigma")
    a = pt.dscalar("a")
    total = pt.sum(log_ces(pt.as_tensor(LOG_L[:3]), pt.as_tensor(LOG_C[:3]), a, sigma))
    f = pytensor.function([a, sigma], [total, pytensor.grad(total, sigma)])
    value, grad = f(0.4, 1.0)
    assert np.isfinite(value) and np.isfinite(grad)
    h = 1e-4
    numeric = (
        log_ces(LOG_L[:3], LOG_C[:3], 0.4, 1 + h).sum()
        - log_ces(LOG_L[:3], LOG_C[:3], 0.4, 1 - h).sum()
    ) / (2 * h)
    assert abs(grad - numeric) < 1e-5 * max(1.0, abs(numeric))


# --- the Jones integral of the composite input --------------------------------------------------

T_END = 2023.4


def _exact_integral(tau, a, sigma, lam, variant="ces"):
    """∫ R^lambda dt from 2012 of the exact CES of the two series (each log-linear between its
    annual points), by adaptive quadrature with the series' points as breakpoints."""
    times, labour, compute = input_series()

    def f(t):
        x = np.interp(t, times, np.log(labour))
        y = np.interp(t, times, np.log(compute))
        r = log_cobb_douglas(x, y, a) if variant == "cobb_douglas" else log_ces(x, y, a, sigma)
        return math.exp(lam * float(r))

    t = LM_T0 + tau
    inner = times[(times > LM_T0) & (times < t)]
    value, _ = integrate.quad(f, LM_T0, t, points=inner, limit=400, epsabs=0, epsrel=1e-11)
    return value


@pytest.mark.parametrize(
    ("a", "sigma", "lam"),
    [(0.5, 0.2, 0.8), (0.5, 5.0, 0.8), (0.3, 0.5, 1.0), (0.7, 2.0, 0.5), (0.5, 0.1, 0.3)],
)
def test_ces_integral_against_quadrature(a, sigma, lam):
    """The model's grid (a quarter of a year per piece, ln R log-linear on each) integrates the
    exact CES path to a relative 6e-3 at every date and 1e-4 at the window's end. The error
    is largest in the first year, where the inputs' ratio moves most through the CES's
    curvature (strong complements, sigma = 0.2: -4.8e-3 at 3 months); in ln S it is below
    1e-2, in ln perplexity (alpha_n ~ 0.07 of half of it) below 1e-3, against a scatter 0.23."""
    times, labour, compute = input_series()
    grid, _ = input_grid(times, labour, compute, LM_T0, T_END)
    log_r, growth = research_segments("ces", grid, a, sigma)
    tau = np.array([0.25, 0.6, 3.0, 7.25, T_END - LM_T0])
    model = research_integral(tau, grid["seg_start"], grid["seg_end"], log_r, growth, lam)
    exact = np.array([_exact_integral(t, a, sigma, lam) for t in tau])
    np.testing.assert_allclose(model, exact, rtol=6e-3)
    np.testing.assert_allclose(model[-1], exact[-1], rtol=1e-4)


def test_cobb_douglas_integral_is_exact():
    """With sigma = 1 ln R is log-linear between the points, so the integral is exact (1e-9)."""
    times, labour, compute = input_series()
    grid, _ = input_grid(times, labour, compute, LM_T0, T_END)
    log_r, growth = research_segments("cobb_douglas", grid, 0.4)
    tau = np.array([2.5, T_END - LM_T0])
    model = research_integral(tau, grid["seg_start"], grid["seg_end"], log_r, growth, 0.7)
    exact = np.array([_exact_integral(t, 0.4, 1.0, 0.7, "cobb_douglas") for t in tau])
    np.testing.assert_allclose(model, exact, rtol=1e-9)
    ces_r, _ = research_segments("ces", grid, 0.4, 1.0)
    np.testing.assert_allclose(ces_r, log_r, atol=1e-12)


def test_draws_broadcast_over_segments():
    """Per-draw a, sigma shaped (draws, 1, 1) give per-draw segments, each equal to the
    single-draw computation."""
    times, labour, compute = input_series()
    grid, _ = input_grid(times, labour, compute, LM_T0, T_END)
    a = np.array([0.3, 0.6])[:, None, None]
    sigma = np.array([0.4, 3.0])[:, None, None]
    log_r, _ = research_segments("ces", grid, a, sigma)
    assert log_r.shape == (2, 1, grid["seg_start"].size)
    one, _ = research_segments("ces", grid, 0.6, 3.0)
    np.testing.assert_allclose(log_r[1, 0], one)


# --- recovery on the bundled covariates ---------------------------------------------------------

TRUTH = {
    "beta": 0.8,
    "lambda": 0.6,  # r = 0.75
    "a": 0.6,
    "sigma_ces": 0.5,
    "log_S_end": 7.0,
    "alpha_n": 0.07,
    "alpha_d": 0.025,
    "sigma": 0.05,
    "nu": 10.0,
}


def _recover_r(seed, draws):
    pytest.importorskip("pymc")
    from takeoff.models.fits.calibration import bundled_prepared, simulate, with_observed
    from takeoff.models.fits.fitting import sample
    from takeoff.models.fits.registry import get_fit

    spec = get_fit("software_returns_lm")
    prepared = bundled_prepared(spec)
    k = len(prepared.levels["benchmark"])
    truth = dict(TRUTH, log_term_n=np.full(k, math.log(1.5)), log_term_d=np.full(k, 0.0))
    data = with_observed(prepared, simulate(spec, prepared, truth, seed=seed))
    idata = sample(
        spec, data, draws=draws, tune=draws, chains=2, seed=seed, progress=False,
        posterior_predictive=False, log_likelihood=False,  # recovery reads the posterior only
    )  # fmt: skip
    post = idata.posterior
    r = post["r"].values.reshape(-1)
    true_r = TRUTH["lambda"] / TRUTH["beta"]
    lo, hi = np.quantile(r, [0.05, 0.95])
    assert lo <= true_r <= hi, (lo, np.median(r), hi)
    return post


def test_recovery_of_r_reduced():
    """Perplexities simulated from known (a, sigma_ces, beta, lambda; r = 0.75) on the bundled
    covariates and input series: r = lambda / beta of the composite input lies inside its 90%
    interval (reduced: 2 chains x 100 draws)."""
    _recover_r(seed=11, draws=100)


@pytest.mark.slow
def test_recovery_second_seed_more_draws():
    """As above with 2 x 800 draws, and every named truth inside its 99% interval."""
    post = _recover_r(seed=12, draws=800)
    for name in ("beta", "lambda", "a", "sigma_ces", "log_S_end"):
        lo, hi = np.quantile(post[name].values.reshape(-1), [0.005, 0.995])
        assert lo <= TRUTH[name] <= hi, (name, lo, hi)


# --- the listing --------------------------------------------------------------------------------


def test_fits_lists_the_compared_research_productions(capsys):
    """`takeoff fits` lists labour-only and Cobb-Douglas beside the fit's own CES, and the
    labelled priors on a and sigma_ces with their reasons."""
    assert main(["fits"]) == 0
    out = capsys.readouterr().out
    block = next(b for b in out.split("\n\n") if b.startswith("software_returns_lm:"))
    assert "compared regime labour" in block and "compared regime cobb_douglas" in block
    assert "sigma_ces" in block and "strong complements" in block and "2025 study" in block


# --- --compare: labour-only against labour + compute by LOO --------------------------------------


def test_regime_rows_name_each_research_input():
    """The per-regime table --compare prints under the LOO table says which R each regime used
    (from the posterior's variant), with r and P(r > 1) read from its draws."""
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits import load_fit
    from takeoff.models.fits.software_returns_lm import regime_summary

    idata = load_fit(posteriors_dir() / "software_returns_lm.nc")
    rows = {}
    for variant in ("ces", "cobb_douglas", "labour"):
        idata.posterior.attrs["variant"] = variant
        rows[variant] = regime_summary(idata)
    assert [rows[v]["R"] for v in rows] == ["CES(L, C)", "L^a C^(1-a)", "L"]
    r = idata.posterior["r"].values.ravel()
    assert rows["ces"]["P(r > 1)"] == f"{np.mean(r > 1):.4f}"
    assert rows["ces"]["r"].startswith(f"{np.median(r):.3g} [")


@pytest.mark.slow
def test_compare_prints_labour_only_against_labour_and_compute_by_loo(capsys):
    """The real command with few draws: every regime fitted, the LOO table names labour-only,
    Cobb-Douglas, the constant rate and lambda = 0 beside the CES fit, and the per-regime rows
    say which R each used."""
    pytest.importorskip("pymc")
    args = ["fit", "software_returns_lm", "--compare", "--draws", "150", "--tune", "300",
            "--chains", "2"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    table = out.split("LOO comparison of the regimes:")[1]
    for regime in ("labour", "cobb_douglas", "const", "no_research"):
        assert f"software_returns_lm [{regime}]" in table, table
    assert "elpd_loo" in table and "Key results per regime:" in table
    for r_column in ("CES(L, C)", "L^a C^(1-a)"):
        assert r_column in table

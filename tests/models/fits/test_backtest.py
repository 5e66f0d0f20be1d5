"""Rolling-origin backtests: calibration on synthetic trends whose truth we know, the training
t_ref used for held-out dates, the refusals, and one smoke run on the bundled compute data.

Sampling is kept small (2 chains x 300 draws after 300 tuning steps); every run is seeded."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from takeoff import TakeoffError
from takeoff.cli import main
from takeoff.models.fits import FitOptions, get_fit
from takeoff.models.fits.backtest import (
    POINT_COLUMNS,
    SUMMARY_COLUMNS,
    backtest,
    held_out_prepared,
    select_rows,
    split,
)

pytest.importorskip("pymc")
SMALL = {"draws": 300, "tune": 300, "chains": 2, "progress": False}


def trend_frame(n, start, end, level, slope, noise, seed, t0=2010.0):
    """Dates uniform in [start, end); log10 y = level + slope (t − t0) + noise."""
    rng = np.random.default_rng(seed)
    date = np.sort(rng.uniform(start, end, n))
    log10_y = level + slope * (date - t0) + noise(rng, n)
    return pd.DataFrame({"date": date, "y": 10.0**log10_y})


def truth_at(points, level, slope, t0=2010.0):
    return level + slope * (points["date"].to_numpy() - t0)


def binomial_range(n, p, prob=0.99):
    """Central ``prob`` range of the number of held-out points inside a calibrated ``p``
    interval, treating the points as independent (they share only the posterior's parameter
    error, which the predictive intervals include)."""
    lo, hi = stats.binom.interval(prob, n, p)
    return int(lo), int(hi)


@pytest.mark.parametrize(
    ("fit_name", "noise", "noise_sd", "origin", "since"),
    [
        # Gaussian scatter of 0.25 orders of magnitude around a hardware-like trend
        ("hardware_trend", lambda rng, n: rng.normal(0.0, 0.25, n), 0.25, 2013.0, 2000.0),
        # Student-t (nu = 4) scatter of scale 0.3 (sd 0.3 sqrt 2) around a trend since 2010
        ("compute_trend", lambda rng, n: 0.3 * rng.standard_t(4, n), 0.3 * 2**0.5, 2018.0, 2010.0),
    ],
    ids=["gaussian", "student_t"],
)
def test_synthetic_trend_intervals_are_calibrated(fit_name, noise, noise_sd, origin, since):
    """About 75-90 held-out points over 5-10 years after the origin. Coverage: the number inside
    each interval must lie in the central 99% range of Binomial(n, nominal), e.g. 66-80 of 82
    for 90% (held-out points are dependent only through the posterior's parameter error)."""
    level, slope = 9.0, 0.4
    data = trend_frame(200, since, 2023.0, level, slope, noise, seed=11)
    result = backtest(fit_name, [origin], data=data, seed=5, **SMALL)
    points = result.points
    n = len(points)
    assert n == int((data["date"] >= origin).sum()) > 50
    for nominal, column in ((0.9, "in90"), (0.5, "in50")):
        lo, hi = binomial_range(n, nominal)
        inside = int(points[column].sum())
        assert lo <= inside <= hi, f"{inside}/{n} inside the {nominal:.0%} intervals; {lo}-{hi}"
    # the scale is the fit's: log10 of the stored observation
    held_out = data[data["date"] >= origin]
    np.testing.assert_allclose(points["observed"], np.log10(held_out["y"]), rtol=1e-12)
    # the median prediction is within 4 standard errors of the true trend, where the standard
    # error (least squares, known noise) of the trend at a date t is noise_sd sqrt(1/n +
    # (t - mean)^2 / Sxx): at most ~0.4 noise_sd here, so this is far inside the noise
    t = data.loc[data["date"] < origin, "date"].to_numpy()
    sxx = np.sum((t - t.mean()) ** 2)
    se = noise_sd * np.sqrt(1 / t.size + (points["date"].to_numpy() - t.mean()) ** 2 / sxx)
    truth = truth_at(points, level, slope)
    assert np.max(np.abs(points["median"] - truth) / se) < 4
    # the median |error| is the irreducible median |noise| of the same points plus little
    irreducible = np.median(np.abs(points["observed"] - truth))
    assert result.summary["median_abs_error"].iloc[0] < irreducible + 0.25 * noise_sd


def test_held_out_dates_are_measured_from_the_training_t_ref():
    """With a slope of 1.5 orders of magnitude a year and 0.1 of noise, re-centring the held-out
    dates on their own mean (2021.5 instead of the training mean, about 2015) would move every
    prediction by ~10 orders of magnitude: 100 sigma."""
    level, slope, sigma = 20.0, 1.5, 0.1
    data = trend_frame(
        80, 2010.0, 2023.0, level, slope, lambda rng, n: rng.normal(0, sigma, n), seed=3
    )
    spec = get_fit("hardware_trend")
    frame = select_rows(spec, data, FitOptions())
    train, test = split(spec, frame, 2020.0, None)
    prepared = spec.prepare(train, FitOptions())
    held_out = held_out_prepared(spec, train, prepared, test)
    t_ref = prepared.constants["t_ref"]
    assert abs(t_ref - train["date"].mean()) < 0.01
    np.testing.assert_allclose(held_out.arrays["dt"], test["date"].to_numpy() - t_ref)
    assert held_out.n == len(test) and held_out.constants["t_ref"] == t_ref

    result = backtest("hardware_trend", [2020.0], data=data, seed=1, **SMALL)
    points = result.points
    gap = np.abs(points["median"] - truth_at(points, level, slope))
    assert gap.max() < 3 * sigma
    assert points["in90"].mean() > 0.7
    assert abs(result.summary["median_error"].iloc[0]) < sigma


def test_horizon_arrays_use_the_training_t_ref_and_natural_logs():
    rng = np.random.default_rng(0)
    date = np.sort(rng.uniform(2019.0, 2026.0, 30))
    h50 = np.exp(0.9 * (date - 2019.0))
    data = pd.DataFrame({"date": date, "h50": h50, "ci_low": h50 / 2, "ci_high": h50 * 2})
    spec = get_fit("horizon_dynamics")
    train, test = split(spec, select_rows(spec, data, FitOptions()), 2024.5, 1.0)
    prepared = spec.prepare(train, FitOptions())
    held_out = held_out_prepared(spec, train, prepared, test)
    t_ref = prepared.constants["t_ref"]
    np.testing.assert_allclose(held_out.arrays["tau"], test["date"].to_numpy() - t_ref)
    np.testing.assert_allclose(held_out.arrays["log_h"], np.log(test["h50"].to_numpy()))
    np.testing.assert_allclose(held_out.arrays["sigma_obs"], np.log(4.0) / 3.92)
    assert test["date"].between(2024.5, 2025.5).all()


def test_refusals_name_the_origin_and_the_counts():
    data = trend_frame(60, 2000.0, 2020.0, 9.0, 0.2, lambda rng, n: rng.normal(0, 0.2, n), seed=2)
    n_before = int((data["date"] < 2001.0).sum())
    with pytest.raises(TakeoffError) as info:
        backtest("hardware_trend", [2015.0, 2001.0], data=data, **SMALL)
    assert str(info.value) == (
        f"origin 2001: {n_before} training rows before it and {60 - n_before} held-out rows at "
        "or after it; fit hardware_trend has 4 parameters and needs at least 5 training rows "
        "and 1 held-out row (choose a later origin)"
    )
    n_before = int((data["date"] < 2021.0).sum())
    with pytest.raises(TakeoffError) as info:
        backtest("hardware_trend", [2021.0], horizon_years=2, data=data, **SMALL)
    assert str(info.value) == (
        f"origin 2021: {n_before} training rows before it and 0 held-out rows at or after it "
        "within 2 years; fit hardware_trend has 4 parameters and needs at least 5 training "
        "rows and 1 held-out row (choose an earlier origin or a longer --horizon)"
    )
    # compute_trend counts only rows from its default since (2010): 2000-2010 rows do not help
    with pytest.raises(TakeoffError, match=r"^origin 2010\.5: \d training rows before it"):
        backtest("compute_trend", [2010.5], data=data, **SMALL)
    with pytest.raises(TakeoffError) as info:
        backtest("chinchilla", [2020.0])
    assert str(info.value) == (
        "fit chinchilla cannot be backtested; backtests need a date-indexed fit: "
        "compute_trend, hardware_trend, horizon_dynamics"
    )
    with pytest.raises(TakeoffError, match=r"^no origins given"):
        backtest("hardware_trend", [], data=data)
    with pytest.raises(TakeoffError, match=r"^origin 2015 is given twice"):
        backtest("hardware_trend", [2015, 2015.0], data=data)
    with pytest.raises(TakeoffError, match=r"^--horizon must be a positive number of years"):
        backtest("hardware_trend", [2015], horizon_years=0, data=data)
    with pytest.raises(TakeoffError, match=r"^data for fit hardware_trend lacks column\(s\) y;"):
        backtest("hardware_trend", [2015], data=data.drop(columns="y"))
    dated = data.assign(date=pd.to_datetime("2015-01-01"))
    with pytest.raises(TakeoffError, match=r"^column date must hold decimal years \(e\.g\. 2020"):
        backtest("hardware_trend", [2015], data=dated)
    negative = data.assign(y=np.where(np.arange(len(data)) == 7, -1.0, data["y"]))
    with pytest.raises(TakeoffError) as info:
        backtest("hardware_trend", [2015], data=negative)
    assert str(info.value) == "y in row 7 is -1, not a positive number; fix or drop that row"


def test_cli_prints_one_line_errors(capsys):
    assert main(["backtest", "hardware_trend", "--origin", "1990"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: origin 1990: 0 training rows") and err.count("\n") == 1


def test_real_compute_trend_smoke():
    result = backtest("compute_trend", [2020.0, 2022.0], horizon_years=3, seed=0, **SMALL)
    assert list(result.points.columns) == list(POINT_COLUMNS)
    assert list(result.summary.columns) == list(SUMMARY_COLUMNS)
    assert list(result.summary["origin"]) == [2020.0, 2022.0, "all"]
    assert result.summary["n_test"].iloc[-1] == len(result.points) > 0
    assert result.summary["n_test"].iloc[:2].sum() == len(result.points)
    assert ((result.points["date"] >= 2020.0) & (result.points["date"] <= 2025.0)).all()
    coverages = result.summary[["coverage50", "coverage90"]].to_numpy(float)
    assert ((coverages >= 0) & (coverages <= 1)).all()
    assert (result.points["lo90"] <= result.points["lo50"]).all()
    assert (result.points["lo50"] <= result.points["median"]).all()
    assert (result.points["hi50"] <= result.points["hi90"]).all()
    text = result.format()
    assert "nominal 50%" in text and "nominal 90%" in text
    assert len(text.splitlines()) >= 7

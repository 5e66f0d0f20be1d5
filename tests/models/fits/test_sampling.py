"""Fits that really sample (small draws): files, attrs, diagnostics, comparison, CLI, user CSVs."""

import numpy as np
import pandas as pd
import pytest

from takeoff import TakeoffError
from takeoff.cli import main
from takeoff.models.fits import diagnose, fit, get_fit, load_fit, save_fit

pytest.importorskip("pymc")
SMALL = {"draws": 150, "tune": 150, "chains": 2, "progress": False}


@pytest.fixture(scope="module")
def trend_fit():
    return fit("compute_trend", seed=3, **SMALL)


def test_fit_has_every_group_and_its_attrs(trend_fit):
    groups = set(trend_fit.groups())
    assert {
        "posterior",
        "posterior_predictive",
        "observed_data",
        "sample_stats",
        "log_likelihood",
    } <= groups
    attrs = trend_fit.posterior.attrs
    assert attrs["fit_name"] == "compute_trend"
    assert attrs["seed"] == 3 and attrs["sampler"] == get_fit("compute_trend").sampler
    assert len(attrs["data_hash"]) == 64 and attrs["takeoff_version"]
    assert attrs["options"] == "since=2010.0"  # the documented era break
    assert trend_fit.posterior.sizes == {"chain": 2, "draw": 150}
    slope = trend_fit.posterior["slope"].values
    np.testing.assert_allclose(
        trend_fit.posterior["doubling_time_months"].values, 12 * np.log10(2) / slope, rtol=1e-12
    )


def test_a_posterior_only_fit_leaves_out_the_predictive_and_the_log_likelihood(trend_fit):
    """What a backtest's refits ask for: the same posterior, without those two groups."""
    bare = fit("compute_trend", seed=3, posterior_predictive=False, log_likelihood=False, **SMALL)
    groups = set(bare.groups())
    assert not groups & {"posterior_predictive", "log_likelihood"}
    assert {"posterior", "sample_stats"} <= groups
    assert bare.posterior.sizes == trend_fit.posterior.sizes


def test_save_and_load_round_trip(trend_fit, tmp_path):
    path = save_fit(trend_fit, tmp_path / "trend.nc")
    back = load_fit(path, expected="compute_trend")
    np.testing.assert_array_equal(
        back.posterior["slope"].values, trend_fit.posterior["slope"].values
    )
    assert back.posterior.attrs["data_hash"] == trend_fit.posterior.attrs["data_hash"]
    with pytest.raises(TakeoffError) as info:
        load_fit(path, expected="chinchilla")
    assert str(info.value) == f"'{path}' holds a compute_trend fit, not chinchilla"


def test_corrupt_or_missing_files_are_refused(tmp_path):
    bad = tmp_path / "bad.nc"
    bad.write_bytes(b"not a netcdf file")
    with pytest.raises(TakeoffError, match="is not a readable NetCDF fit"):
        load_fit(bad)
    with pytest.raises(TakeoffError, match="not found; check the path"):
        load_fit(tmp_path / "missing.nc")
    with pytest.raises(TakeoffError, match=r"give a file name ending in \.nc"):
        save_fit(None, tmp_path / "fit.pkl")


def test_a_starved_fit_is_reported_as_not_converged():
    idata = fit("horizon_dynamics", draws=20, tune=5, chains=2, progress=False)
    report = diagnose(idata, ["eps", "doubling_time_days", "scatter", "nu"])
    assert not report.converged
    assert any("ess" in p or "R-hat" in p for p in report.problems)


def test_cli_fit_writes_netcdf_and_strict_fails_a_starved_fit(capsys, tmp_path):
    out = tmp_path / "h.nc"
    args = ["fit", "horizon_dynamics", "--draws", "150", "--tune", "150", "--chains", "2"]
    assert main([*args, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "doubling time at" in text and "P(eps > 0)" in text and f"wrote {out}" in text
    assert load_fit(out).posterior.attrs["fit_name"] == "horizon_dynamics"
    starved = tmp_path / "starved.nc"
    code = main(
        [
            "fit",
            "horizon_dynamics",
            "--draws",
            "20",
            "--tune",
            "5",
            "--chains",
            "2",
            "--strict",
            "--out",
            str(starved),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("error: the fit did not converge (")
    assert not starved.exists()


def test_cli_compare_nested_regimes(capsys, tmp_path):
    free, nested = tmp_path / "free.nc", tmp_path / "eps0.nc"
    small = ["--draws", "300", "--tune", "300", "--chains", "2"]
    assert main(["fit", "horizon_dynamics", *small, "--out", str(free)]) == 0
    assert main(["fit", "horizon_dynamics", *small, "--fix", "eps=0", "--out", str(nested)]) == 0
    capsys.readouterr()
    assert main(["compare", str(free), str(nested)]) == 0
    out = capsys.readouterr().out
    assert "elpd_loo" in out and "weight" in out and "P(eps > 0)" in out
    assert "[eps=0]" in out
    assert main(["compare", str(free)]) == 2
    assert capsys.readouterr().err.strip() == "error: compare needs at least two fits"


def _returns_csv(path, E=1.7, A=40.0, alpha=0.25, n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = np.geomspace(1e2, 1e8, n)
    y = (E + A * x**-alpha) * np.exp(rng.normal(0, 0.01, n))
    pd.DataFrame({"flops": x, "err": y}).to_csv(path, index=False)
    return path


def test_user_csv_through_returns_curve_recovers_known_parameters(tmp_path):
    path = _returns_csv(tmp_path / "mine.csv")
    idata = fit(
        "returns_curve",
        path,
        columns={"x": "flops", "y": "err"},
        draws=400,
        tune=400,
        chains=2,
        progress=False,
    )
    for name, truth in (("E", 1.7), ("A", 40.0), ("alpha", 0.25)):
        lo, hi = np.quantile(idata.posterior[name].values, [0.005, 0.995])
        assert lo <= truth <= hi, (name, lo, hi)
    assert idata.posterior.attrs["data_source"] == str(path)


@pytest.mark.parametrize(
    ("content", "columns", "message_start"),
    [
        (None, ["--column", "x=flops", "--column", "y=err"], "error: file '"),
        (
            "flops,err\n1,2\n10,1.5\n100,1.2\n1000,1.1\n1e4,1.05\n1e5,1.0\n",
            ["--column", "x=compute", "--column", "y=err"],
            "error: ",
        ),
        (
            "flops,err\n1,2\n10,-1.5\n100,1.2\n1000,1.1\n1e4,1.05\n1e5,1.0\n",
            ["--column", "x=flops", "--column", "y=err"],
            "error: ",
        ),
        (
            "flops,err\n1,2\n10,\n100,1.2\n1000,1.1\n1e4,1.05\n1e5,1.0\n",
            ["--column", "x=flops", "--column", "y=err"],
            "error: ",
        ),
        ("flops,err\n1,2\n10,1.5\n", ["--column", "x=flops", "--column", "y=err"], "error: "),
        (
            "flops,err\n1,2\n1,2\n100,1.2\n1000,1.1\n1e4,1.05\n1e5,1.0\n",
            ["--column", "x=flops", "--column", "y=err"],
            "error: ",
        ),
    ],
    ids=[
        "missing-file",
        "misnamed-column",
        "negative",
        "empty-cell",
        "too-few-rows",
        "duplicate-rows",
    ],
)
def test_bad_user_csv_one_line_error_and_no_output(
    capsys, tmp_path, content, columns, message_start
):
    csv = tmp_path / "data.csv"
    if content is not None:
        csv.write_text(content)
    out = tmp_path / "fit.nc"
    code = main(["fit", "returns_curve", "--data", str(csv), *columns, "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith(message_start) and "\n" not in err
    assert not out.exists()


def test_the_posterior_predictive_redraws_only_the_observations():
    """A nutpie fit with a data-scaled prior (the compute-only form's level): its posterior
    predictive is the noise around the fitted law, not a redraw of that prior (which PyMC does
    when the InferenceData has no constant_data group)."""
    rng = np.random.default_rng(4)
    t = np.sort(rng.uniform(2012.0, 2022.0, 40))
    compute = 10 ** rng.uniform(18.0, 24.0, 40)
    metric = 0.05 + 30.0 * (compute * np.exp(0.9 * (t - 2017.0))) ** -0.1
    frame = pd.DataFrame(
        {"date": t, "compute": compute, "metric": metric * np.exp(rng.normal(0, 0.05, 40))}
    )
    idata = fit(
        "algorithmic_progress", frame, draws=150, tune=300, chains=1, seed=1, progress=False
    )
    assert "constant_data" in idata.groups()
    pp = idata.posterior_predictive["log_metric"].values.reshape(-1, 40)
    sigma = float(np.median(idata.posterior["sigma"].values))
    spread = float(np.median(pp.std(axis=0)))
    assert spread < 2.0 * sigma, (spread, sigma)  # a redrawn level prior spreads by nats

"""The command line as a user meets it: output, files, exit codes and one-line errors."""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from takeoff.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_reports_the_exact_singularity(capsys):
    code, out, err = run(
        capsys, "simulate", "power_law", "--param", "k=0.5", "--param", "alpha=1.5", "--years", "10"
    )
    assert code == 0 and err == ""
    assert "regime: superlinear returns: finite-time singularity" in out
    assert "finite-time singularity at t* = 4 yr (exact)" in out
    assert "reached the cap (1e+300) at t = 4 yr" in out


def test_simulate_reports_r_for_jones(capsys):
    code, out, _ = run(
        capsys, "simulate", "jones_software", "-p", "beta=0.4", "-p", "rho=1", "-p", "lambda=0.6"
    )
    assert code == 0
    assert "r = 1.5  (returns to software R&D" in out
    assert "regime: software intelligence explosion (r > 1)" in out


def test_simulate_writes_the_trajectory_csv(capsys, tmp_path):
    path = tmp_path / "traj.csv"
    code, out, _ = run(
        capsys,
        "simulate",
        "power_law",
        "--param",
        "k=0.3",
        "--param",
        "alpha=0.5",
        "--y0",
        "I=4",
        "--years",
        "5",
        "--points",
        "11",
        "--out",
        str(path),
    )
    assert code == 0 and f"wrote {path}" in out
    table = pd.read_csv(path)
    assert list(table.columns) == ["time", "I"]
    np.testing.assert_allclose(table["time"], np.linspace(0, 5, 11))
    expected = (math.sqrt(4) + 0.5 * 0.3 * table["time"]) ** 2
    np.testing.assert_allclose(table["I"], expected, rtol=1e-9)


def test_compute_feedback_csv_has_state_and_capability(capsys, tmp_path):
    path = tmp_path / "cf.csv"
    assert main(["simulate", "compute_feedback", "--out", str(path)]) == 0
    assert list(pd.read_csv(path).columns) == ["time", "C", "I"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["simulate", "foom"],
            "error: unknown family 'foom'; choose one of: power_law, "
            "compute_feedback, jones_software, horizon, hyperbolic_growth, research_loop",
        ),
        (
            ["simulate", "power_law", "--param", "kk=1"],
            "error: unknown parameter 'kk' for family power_law; valid parameters: k, alpha",
        ),
        (
            ["simulate", "power_law", "--param", "k=-1"],
            "error: parameter k of power_law [1/yr] must be in (0, inf); got -1",
        ),
        (
            ["simulate", "power_law", "--param", "k=0"],
            "error: parameter k of power_law [1/yr] must be in (0, inf); got 0",
        ),
        (
            ["simulate", "power_law", "--y0", "I=0"],
            "error: initial state I of power_law [capability (I0 = 1 units)] "
            "must be in (0, inf); got 0",
        ),
        (["simulate", "power_law", "--param", "k=nan"], "error: --param k is NaN; give a number"),
        (
            ["simulate", "power_law", "--param", "k0.5"],
            "error: malformed --param 'k0.5': expected NAME=VALUE, e.g. --param k=0.5",
        ),
        (
            ["simulate", "power_law", "--param", "k=fast"],
            "error: --param k=fast: 'fast' is not a number; give e.g. --param k=0.5",
        ),
        (
            ["simulate", "power_law", "--years", "0"],
            "error: --years must be a positive number; got 0",
        ),
        (
            ["simulate", "power_law", "--bogus"],
            "error: No such option: --bogus (Possible options: --out); "
            "see 'takeoff simulate --help'",
        ),
    ],
)
def test_bad_input_one_line_and_exit_2(capsys, args, message):
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.strip() == message
    assert err.count("\n") == 1


def test_nothing_is_written_when_the_input_is_bad(capsys, tmp_path):
    path = tmp_path / "traj.csv"
    code, _, _ = run(capsys, "simulate", "power_law", "--param", "k=-1", "--out", str(path))
    assert code == 2
    assert list(tmp_path.iterdir()) == []
    code, _, err = run(capsys, "simulate", "power_law", "--out", str(tmp_path / "no" / "x.csv"))
    assert code == 2 and "does not exist" in err


def test_help_lists_families_and_parameters_with_units(capsys):
    for args in (["--help"], ["simulate", "--help"]):
        code, out, _ = run(capsys, *args)
        assert code == 0
        for text in (
            "power_law: dI/dt = k I^alpha",
            "--param k [1/yr]",
            "--param T0 [yr]",
            "jones_software",
            "--param S_max [S units]",
            "hyperbolic_growth",
        ):
            assert text in out


def test_console_script_exit_codes():
    ok = subprocess.run(
        [sys.executable, "-m", "takeoff.cli", "simulate", "horizon"], capture_output=True, text=True
    )
    assert ok.returncode == 0 and "exponential: constant doubling time" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "takeoff.cli", "simulate", "horizon", "-p", "T0=-2"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stderr == "error: parameter T0 of horizon [yr] must be in (0, inf); got -2\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["simulate", "power_law", "--years", "1e9"],
            "error: --years must be at most 20,000 years; got 1e+09",
        ),
        (
            ["simulate", "power_law", "--years", "nan"],
            "error: --years must be a positive number; got nan",
        ),
        (
            ["simulate", "power_law", "--years", "inf"],
            "error: --years must be a positive number; got inf",
        ),
        (["simulate", "power_law", "--points", "1"], "error: --points must be at least 2; got 1"),
        (
            ["simulate", "power_law", "--points", "100000000"],
            "error: --points must be at most 1,000,000; got 100,000,000",
        ),
        (
            ["fit", "compute_trend", "--seed", "-1"],
            "error: --seed must be an integer from 0 to 4294967295; got -1",
        ),
        (
            ["fit", "compute_trend", "--chains", "1000"],
            "error: --chains must be at most 64; got 1,000",
        ),
        (
            ["fit", "compute_trend", "--tune", "0"],
            "error: --tune must be a positive integer; got 0",
        ),
        (
            ["fit", "compute_trend", "--draws", "100000000"],
            "error: --draws must be at most 1,000,000; got 100,000,000",
        ),
        (
            ["calibrate", "compute_trend", "--sims", "1000000"],
            "error: --sims must be at most 100,000; got 1,000,000",
        ),
        (
            ["calibrate", "compute_trend", "--seed", "4294967296"],
            "error: --seed must be an integer from 0 to 4294967295; got 4294967296",
        ),
        (
            ["sensitivity", "foom", "--n", "1048576"],
            "error: --n must be at most 65,536; got 1,048,576",
        ),
        (
            ["sensitivity", "foom", "--seed", "-5"],
            "error: --seed must be an integer from 0 to 4294967295; got -5",
        ),
        (
            ["backtest", "compute_trend", "--origin", "1e9"],
            "error: --origin must be a date between 1500 and 2500; got 1e+09",
        ),
        (
            ["backtest", "compute_trend", "--origin", "2020", "--horizon", "-1"],
            "error: --horizon must be a positive number; got -1",
        ),
        (
            ["backtest", "compute_trend", "--origin", "2020", "--horizon", "1e6"],
            "error: --horizon must be at most 300 years; got 1e+06",
        ),
        (
            ["backtest", "compute_trend", "--origin", "2020", "--seed", "-1"],
            "error: --seed must be an integer from 0 to 4294967295; got -1",
        ),
        (["dashboard", "--port", "70000"], "error: --port must be between 1 and 65535; got 70000"),
        (
            ["forecast", "foom", "--draws", "1e3"],
            "error: Invalid value for '--draws': Input should be a valid integer, unable to parse "
            "string as an integer; see 'takeoff forecast --help'",
        ),
    ],
)
def test_hostile_options_are_refused_before_any_work(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.strip() == message
    assert err.count("\n") == 1


def test_a_bad_seed_or_count_writes_nothing(capsys, tmp_path):
    for args in (
        ["fit", "compute_trend", "--seed", "-1", "--out", str(tmp_path / "fit.nc")],
        ["ship", "--seed", "-1", "--out", str(tmp_path / "shipped")],
        ["sensitivity", "foom", "--n", "0", "--out", str(tmp_path / "tornado.png")],
        ["report", "foom", "--seed", "-1", "--out", str(tmp_path / "report.html")],
        ["report", "foom", "--sobol", "1048576", "--out", str(tmp_path / "report.html")],
    ):
        code, _, err = run(capsys, *args)
        assert code == 2 and err.count("\n") == 1, (args, err)
        assert list(tmp_path.iterdir()) == [], args

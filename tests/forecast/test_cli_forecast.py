"""takeoff forecast / scenarios / backtest as a user runs them."""

import subprocess
import sys

import pandas as pd
import xarray as xr

from takeoff.cli import main


def test_forecast_prints_tables_and_writes_the_files(capsys, tmp_path):
    out = tmp_path / "run"
    assert main(["forecast", "foom", "metr_trend", "--draws", "2000", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "== foom: Yudkowsky's FOOM" in text and "== metr_trend:" in text
    assert "takeoff human_level -> strongly_superhuman: median" in text
    assert "class: hard " in text and "P(finite-time singularity within the horizon)" in text
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "classes.png",
        "fan_foom.png",
        "fan_metr_trend.png",
        "forecast.nc",
        "milestones_foom.png",
        "milestones_metr_trend.png",
        "summary.csv",
    ]
    table = pd.read_csv(out / "summary.csv")  # long form: one number per row
    assert list(dict.fromkeys(table["scenario"])) == ["foom", "metr_trend"]
    p_hard = table[(table["scenario"] == "foom") & (table["quantity"] == "p_hard")]["value"]
    assert len(p_hard) == 1 and p_hard.iloc[0] > 0.1
    ds = xr.open_dataset(out / "forecast.nc", group="metr_trend", engine="h5netcdf")
    assert ds.attrs["draws"] == 2000 and set(ds["milestone"].values) == {
        "work_day",
        "work_month",
        "work_year",
    }
    ds.close()


def test_bad_input_writes_nothing(capsys, tmp_path):
    out = tmp_path / "run"
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\n")
    cases = [
        (["forecast", "fom"], "error: unknown scenario 'fom'; choose one of: aifm_fitted"),
        (["forecast", str(bad)], "error: bad.toml: malformed TOML: "),
        (["forecast", "foom", "--draws", "0"], "error: --draws must be a positive integer"),
        (
            ["forecast", "foom", "--engine", "spark"],
            "error: unknown engine 'spark'; choose one of: local, dask",
        ),
        (["forecast", "foom", "foom"], "error: two scenarios have the same name"),
    ]
    for args, start in cases:
        assert main([*args, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(start) and "\n" not in err, err
        assert not out.exists() or not any(out.iterdir())
    (tmp_path / "file").write_text("x")
    assert main(["forecast", "foom", "--out", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_scenarios_list_and_show(capsys):
    assert main(["scenarios", "list"]) == 0
    listing = capsys.readouterr().out
    assert "foom" in listing and "software_explosion" in listing
    assert main(["scenarios", "show", "keyhole"]) == 0
    assert 'name = "keyhole"' in capsys.readouterr().out


def test_forecasting_from_a_shipped_posterior_does_not_import_pymc(tmp_path):
    code = (
        "import sys; from takeoff.cli import main; "
        f"main(['forecast', 'metr_trend', '--draws', '500', '--out', r'{tmp_path}']); "
        "print('pymc loaded:', 'pymc' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().endswith("pymc loaded: False")

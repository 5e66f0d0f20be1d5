"""takeoff forecast / scenarios / backtest as a user runs them."""

import subprocess
import sys

import pandas as pd
import xarray as xr

from takeoff.cli import main
from takeoff.forecast.scenario import builtin_names


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
    variant = '[scenario]\nextends = "takeoff_from_data"\nname = "v"\n'
    huge = tmp_path / "huge.toml"
    huge.write_text(variant + "years = 1e9\n")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(variant.encode() + b"title = 'caf\xe9'\n")
    many_points = tmp_path / "points.toml"
    many_points.write_text(variant + "points = 20000\n")
    cases = [
        (["forecast", "fom"], "error: unknown scenario 'fom'; choose one of: aifm_fitted"),
        (["forecast", str(bad)], "error: bad.toml: malformed TOML: "),
        (["forecast", "foom", "--draws", "0"], "error: --draws must be a positive integer"),
        (
            ["forecast", "foom", "--engine", "spark"],
            "error: unknown engine 'spark'; choose one of: local, dask",
        ),
        (["forecast", "foom", "foom"], "error: two scenarios have the same name"),
        (
            ["forecast", "takeoff_from_data", "--seed", "-1"],
            "error: --seed must be an integer from 0 to 4294967295; got -1",
        ),
        (
            ["forecast", "foom", "--seed", str(2**32)],
            "error: --seed must be an integer from 0 to 4294967295; got 4294967296",
        ),
        (
            ["forecast", "foom", "--draws", "-5"],
            "error: --draws must be a positive integer; got -5",
        ),
        (
            ["forecast", "foom", "--draws", "1000000000"],
            "error: --draws must be at most 1,000,000; got 1,000,000,000",
        ),
        (
            ["forecast", str(huge)],
            "error: huge.toml: scenario.years (line 4): must be at most 300 years; got 1e+09",
        ),
        (
            ["forecast", str(latin)],
            "error: latin.toml: not UTF-8 text; save the scenario as a UTF-8 .toml file",
        ),
        (
            ["forecast", str(many_points)],
            "error: points.toml: scenario.points (line 4): the forecast would hold about 3.1 GB "
            "at once (a block of draws on the time grid and its histograms), more than 2.1 GB; "
            "lower [scenario] points or years",
        ),
    ]
    for args, start in cases:
        assert main([*args, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(start) and "\n" not in err, err
        assert not out.exists()
    (tmp_path / "file").write_text("x")
    assert main(["forecast", "foom", "--out", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_scenarios_list_and_show(capsys):
    assert main(["scenarios", "list"]) == 0
    listing = capsys.readouterr().out
    assert "foom" in listing and "software_explosion" in listing
    rows = [line for line in listing.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(builtin_names())  # header, rule, one row per scenario
    # every column starts at the same place, however long a name (the table library pads)
    assert len({tuple(i for i, c in enumerate(line) if c == "|") for line in rows}) == 1
    assert any("| takeoff_from_data_continual_learning |" in line for line in rows)
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

"""The track record: origins refused in one line, every model's predictor on shipped
posteriors (the refits replaced by the shipped fits: fast), the tables against hand
computations, the verdict, the CSV round trip and the shipped record. The full refit at every
origin is the shipped run (takeoff/data/track_record/PROVENANCE.md); a refit end to end takes
minutes even at small draws, so CI tests the pieces."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from takeoff.cli import main
from takeoff.forecast import scoring
from takeoff.forecast import track_context as tc
from takeoff.forecast import track_record as tr
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.track_models import MODELS, REFERENCE


@pytest.mark.parametrize(
    ("origin", "message"),
    [
        (
            "2019",
            "error: origin 2019 has 0 METR point(s) before it; the fits need at least 2 "
            "(choose an origin after 2020.40)",
        ),
        (
            "2026.5",
            "error: origin 2026.5 is after the last METR point (2026.17): nothing to score; "
            "choose an earlier origin",
        ),
    ],
)
def test_bad_origins_are_refused_in_one_line_with_exit_2(capsys, origin, message):
    code = main(["backtest", "takeoff_from_data", "--origin", origin])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip() == message and err.count("\n") == 1


def test_out_is_refused_for_a_fit_backtest_and_nothing_is_written(capsys, tmp_path):
    out = tmp_path / "record"
    code = main(["backtest", "compute_trend", "--origin", "2020", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert (
        err.strip() == "error: --out is for a scenario backtest (e.g. takeoff_from_data); drop it"
    )
    assert not out.exists()


def test_a_scenario_of_another_family_is_refused():
    with pytest.raises(Exception, match="runs research_loop scenarios"):
        tr.run_track_record("foom", [2024.0])


def test_held_out_points_are_the_ones_after_the_origin():
    metr = tc.metr_table()
    held = tc.held_out(tc.METR, 2024.5)
    assert held.n == int((metr["date"] >= 2024.5).sum()) and (held.dates >= 2024.5).all()
    assert (held.sigma > 0).all()  # each point's reported measurement sd
    assert tc.held_out(tc.LM, 2024.0) is None  # no language-model row after 2023.4
    lm = tc.held_out(tc.LM, 2022.0)
    assert lm.n > 10 and set(lm.extra["benchmark"]) <= set(
        tc.lm_table().query("date < 2022")["benchmark"]
    )


class _Shipped(tc.Origin):
    """The origin context with the shipped (full-data) fits instead of refits."""

    def fit(self, name, fixed=None):
        import arviz as az

        from takeoff.data.posteriors import posteriors_dir

        return az.from_netcdf(posteriors_dir() / f"{'horizon_dynamics_eps0' if fixed else name}.nc")


@pytest.fixture(scope="module")
def shipped_run(tmp_path_factory):
    """Every model's predictor at origin 2024.5 on the shipped fits (an in-sample check)."""
    ctx = _Shipped(
        2024.5,
        load_scenario("takeoff_from_data"),
        tc.Settings(forecast_draws=300),
        0,
        tmp_path_factory.mktemp("fits"),
    )
    out = {}
    for series in tc.SERIES_UNITS:
        held = tc.held_out(series, 2024.5)
        if held is None:
            continue
        for m in RUNNING:
            if series in m.predicts:
                out[m.name, series] = (held, m.predicts[series](ctx, held))
    return out


RUNNING = [m for m in MODELS if m.unavailable() is None]  # the joint fit: when registered


def test_every_predictor_gives_a_finite_predictive_at_every_point(shipped_run):
    assert {(m.name, s) for m in RUNNING for s in m.predicts if s != tc.LM} == set(shipped_run)
    for (name, series), (held, pred) in shipped_run.items():
        assert pred.n == held.n, name
        assert np.isfinite(pred.loc).all() and (pred.scale > 0).all(), name
        lpd = scoring.log_density(pred, held.observed)
        # in sample (the shipped fits saw these points): each a plausible density, no blow-up;
        # the uplift measurements are in no shipped fit: finite only
        floor = -np.inf if series == tc.UPLIFT else -3.0
        assert np.isfinite(lpd).all() and lpd.mean() > floor, (name, series, lpd.mean())


def test_loop_uplift_without_feedback_is_the_no_uplift_baseline(shipped_run):
    """The same bias and scatter draws for every uplift model at an origin: the loop with AI
    labour off (U = 1) is the baseline's predictive, and the loop's uplift only adds to it."""
    base = shipped_run["no_uplift", tc.UPLIFT][1]
    off = shipped_run["loop_no_feedback", tc.UPLIFT][1]
    on = shipped_run["loop", tc.UPLIFT][1]
    np.testing.assert_allclose(off.loc, base.loc, atol=1e-12)
    np.testing.assert_array_equal(off.scale, base.scale)
    assert (on.loc >= base.loc - 1e-12).all() and (on.loc > base.loc + 1e-3).any()


def test_loop_compute_is_the_same_with_feedback_off_and_horizons_are_not_above(shipped_run):
    on = shipped_run["loop", tc.COMPUTE][1].loc
    off = shipped_run["loop_no_feedback", tc.COMPUTE][1].loc
    np.testing.assert_allclose(np.median(on, 0), np.median(off, 0), atol=0.05)  # log10 FLOP
    h_on = np.median(shipped_run["loop", tc.METR][1].loc, 0)
    h_off = np.median(shipped_run["loop_no_feedback", tc.METR][1].loc, 0)
    assert (h_off <= h_on + 1e-6).all()  # AI labour can only add research input


def _points(lpd_a, lpd_b, ref_cover=True):
    """A points table of two METR models on the same 4 points of two origins."""
    rows = []
    for origin in (2024.0, 2025.0):
        for model, lpd in (("loop", lpd_a), (REFERENCE[tc.METR], lpd_b)):
            for i, v in enumerate(lpd):
                rows.append(
                    {
                        "origin": origin,
                        "series": tc.METR,
                        "model": model,
                        "point": i,
                        "date": origin + i / 10,
                        "observed": 0.0,
                        "lpd": v,
                        "crps": -v / 2,
                        "pit": (i + 0.5) / 4,
                        "median": 0.0,
                        "lo50": -1,
                        "hi50": 1,
                        "lo90": -2,
                        "hi90": 2,
                        "in50": i % 2 == 0,
                        "in90": ref_cover or i < 3,
                        "error": 0.1,
                    }
                )
    return pd.DataFrame(rows)


def test_scores_table_pairs_the_same_points_and_pools_origins():
    a, b = [-1.0, -2.0, -0.5, -1.5], [-1.2, -1.0, -0.9, -2.5]
    s = tr.scores_table(_points(a, b)).set_index(["model", "origin"])
    d, se = scoring.paired_difference(np.array(a), np.array(b))
    assert s.loc[("loop", "2024"), "elpd_vs_ref"] == pytest.approx(d)
    assert s.loc[("loop", "2024"), "elpd_vs_ref_se"] == pytest.approx(se)
    pooled = scoring.paired_difference(np.array(a + a), np.array(b + b))
    assert s.loc[("loop", "all"), "n"] == 8
    assert s.loc[("loop", "all"), "elpd_vs_ref"] == pytest.approx(pooled[0])
    assert s.loc[("loop", "all"), "elpd_vs_ref_se"] == pytest.approx(pooled[1])
    crps = np.mean([-v / 2 for v in a]) / np.mean([-v / 2 for v in b])
    assert s.loc[("loop", "2024"), "crps_skill"] == pytest.approx(1 - crps)
    assert s.loc[("loop", "all"), "coverage50"] == pytest.approx(0.5)


def test_verdict_says_when_the_loop_does_not_beat_the_trend_or_is_off():
    good, bad = [-1.0, -1.0, -1.0, -1.0], [-2.0, -2.0, -2.0, -2.5]
    assert "does NOT beat" in tr.verdict_line(_points(bad, good))
    line = tr.verdict_line(_points(good, bad))
    assert "beats the exponential METR trend and its coverage is within 10 points" in line
    off = tr.verdict_line(_points(good, bad, ref_cover=False))  # 90% interval covers 75%
    assert "coverage is off by more than 10 points" in off
    assert "\n" not in off


def test_verdict_says_which_score_the_loop_wins_when_the_two_disagree():
    """Log score better (the reference's density is poor at one point) but CRPS worse."""
    points = _points([-1.0, -1.0, -1.0, -1.0], [-0.5, -0.5, -0.5, -9.0])
    points.loc[points["model"] == "loop", "crps"] = 3.0  # worse than every reference CRPS
    line = tr.verdict_line(points)
    assert "beats the exponential METR trend by log score but NOT by CRPS" in line
    swapped = _points([-0.5, -0.5, -0.5, -9.0], [-1.0, -1.0, -1.0, -1.0])
    swapped.loc[swapped["model"] == "loop", "crps"] = 0.0
    assert "by CRPS but NOT by log score" in tr.verdict_line(swapped)


def test_write_and_read_round_trip(tmp_path, shipped_run):
    held, pred = shipped_run["loop", tc.METR]
    rng = np.random.default_rng(0)
    points = tr.score_points(2024.5, "loop", held, pred, rng)
    grid = tc.fan_grid(tc.METR, 2024.5, 0.3)
    flat = scoring.Predictive(np.zeros((50, grid.n)), np.ones((50, grid.n)), np.inf)
    fans = tr.fan_rows(2024.5, "loop", grid, flat)
    assert np.allclose(fans["q50"], 0.0, atol=0.5) and (fans["q05"] < fans["q95"]).all()
    record = tr.TrackRecord("takeoff_from_data", points, fans, {"draws": 5}, ((2024.5, "x", "y"),))
    record.write(tmp_path)
    back = tr.read(tmp_path)
    assert back.scenario == "takeoff_from_data" and back.meta == {"draws": "5"}
    assert back.problems == ((2024.5, "x", "y"),)
    pd.testing.assert_frame_equal(back.points, points, check_exact=False, rtol=1e-5)
    assert back.verdict() == record.verdict()
    # the intervals and PIT agree with the samples they came from
    assert (points["lo90"] <= points["lo50"]).all() and (points["hi50"] <= points["hi90"]).all()
    inside = (points["pit"] >= 0.24) & (points["pit"] <= 0.76)  # sample quantiles: ±0.01
    assert (inside | ~points["in50"]).all()


def test_the_shipped_track_record_is_complete_and_says_how_it_was_made():
    record = tr.shipped()
    assert record is not None, "takeoff/data/track_record is not shipped"
    provenance = (tr.shipped_dir() / "PROVENANCE.md").read_text()
    for needed in ("takeoff backtest takeoff_from_data", "commit", "date"):
        assert needed in provenance
    assert record.origins == [2022.0, 2023.0, 2024.0, 2024.5, 2025.0]
    skipped = {e.split(": ", 1)[0] for e in record.meta["not_available"].split("; ")}
    metr = record.points[record.points["series"] == tc.METR]
    assert set(metr["model"]) == {
        m.name for m in MODELS if tc.METR in m.predicts and m.name not in skipped
    }
    # the uplift measurements: scored for the models that predict an uplift, no row otherwise
    up = record.points[record.points["series"] == tc.UPLIFT]
    assert set(up["model"]) == {"loop", "loop_no_feedback", "no_uplift"} - skipped
    assert set(up["date"]) <= set(tc.uplift_table()["date"])
    # every model scored on the same points at every origin
    counts = metr.groupby(["origin", "model"]).size().unstack()
    assert (counts.nunique(axis=1) == 1).all()
    assert np.isfinite(metr[["lpd", "crps", "pit"]].to_numpy(float)).all()
    assert record.verdict().startswith("Track record: the loop")
    assert not math.isnan(record.scores()["elpd"].sum())


def test_main_job_reads_the_shipped_record_and_never_refits():
    """The headline's line comes from the shipped CSVs, without PyMC."""
    import subprocess
    import sys

    code = (
        "import sys; from takeoff.forecast.track_record import shipped_verdict; "
        "line = shipped_verdict(['takeoff_from_data']); "
        "print(line.startswith('Track record:'), 'pymc' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(tr.__file__).resolve().parents[2],
    ).stdout.split()
    assert out == ["True", "False"]
    assert tr.shipped_verdict(["foom"]) == ""


def test_the_main_jobs_headline_prints_the_verdict_under_its_tables(capsys):
    """`takeoff forecast` prints the shipped verdict after the headline tables when the loop
    is among the scenarios (and nothing otherwise)."""
    from types import SimpleNamespace

    from takeoff.cli.forecast_commands import _track_line

    _track_line([SimpleNamespace(attrs={"scenario": "takeoff_from_data"})])
    assert capsys.readouterr().out == tr.shipped().verdict() + "\n\n"
    _track_line([SimpleNamespace(attrs={"scenario": "foom"})])
    assert capsys.readouterr().out == ""

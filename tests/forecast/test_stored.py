"""The store of forecast summaries (takeoff.forecast.stored): a summary is read back equal to
what was computed, and only while every input it was computed from is unchanged: the scenario,
the posteriors it reads, the draws, the seed, the package version and the forecasting code."""

import shutil

import pytest

import takeoff
from takeoff.forecast import stored
from takeoff.forecast.kinds import headline, long_table
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.monte_carlo import forecast

DRAWS, SEED = 300, 3


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TAKEOFF_CACHE", str(tmp_path))
    return tmp_path / "summaries"


@pytest.fixture(scope="module")
def metr():
    scenario = load_scenario("metr_trend")
    return scenario, forecast(scenario, draws=DRAWS, seed=SEED).summary


def test_a_stored_summary_is_read_back_equal_with_its_stamp(cache, metr):
    scenario, summary = metr
    path = stored.save(summary, scenario, DRAWS, SEED, by="a test")
    assert path.parent == cache and path.name.startswith("metr_trend-")
    back = stored.load(scenario, DRAWS, SEED)
    assert headline(back) == headline(summary)
    assert long_table([back]).equals(long_table([summary]))
    assert back.attrs["stored_key"] == stored.inputs_key(scenario, DRAWS, SEED)
    assert back.attrs["stored_by"] == "a test" and back.attrs["stored_at"].endswith("UTC")


def test_a_changed_input_invalidates_the_stored_summary(cache, metr, monkeypatch):
    scenario, summary = metr
    stored.save(summary, scenario, DRAWS, SEED, by="a test")
    assert stored.load(scenario, DRAWS, SEED) is not None
    key = stored.inputs_key(scenario, DRAWS, SEED)
    # another number of draws, another seed
    assert stored.load(scenario, DRAWS + 1, SEED) is None
    assert stored.load(scenario, DRAWS, SEED + 1) is None
    # the scenario file edited: one number in its TOML
    assert "\nyears = 16\n" in scenario.text
    edited = parse_scenario(scenario.text.replace("\nyears = 16\n", "\nyears = 17\n"), "e.toml")
    assert edited.years == scenario.years + 1
    assert stored.inputs_key(edited, DRAWS, SEED) != key
    assert stored.load(edited, DRAWS, SEED) is None
    # the package version, and the code (or bundled data, or shipped posteriors) behind it
    monkeypatch.setattr(takeoff, "__version__", "9.9.9")
    assert stored.inputs_key(scenario, DRAWS, SEED) != key
    assert stored.load(scenario, DRAWS, SEED) is None
    monkeypatch.undo()
    monkeypatch.setenv("TAKEOFF_CACHE", str(cache.parent))
    monkeypatch.setattr(stored, "code_hash", lambda: "0" * 64)
    assert stored.load(scenario, DRAWS, SEED) is None
    monkeypatch.undo()
    monkeypatch.setenv("TAKEOFF_CACHE", str(cache.parent))
    assert stored.load(scenario, DRAWS, SEED) is not None  # all inputs back: found again


def test_a_users_posterior_file_is_part_of_the_key(tmp_path, cache):
    from takeoff.data.posteriors import posteriors_dir

    mine = tmp_path / "mine.nc"
    shutil.copy(posteriors_dir() / "horizon_dynamics.nc", mine)
    text = load_scenario("metr_trend").text.replace('"horizon_dynamics"', f'"{mine}"')
    scenario = parse_scenario(text, where="mine.toml")
    assert str(mine) in repr(scenario)
    key = stored.inputs_key(scenario, DRAWS, SEED)
    with mine.open("ab") as handle:  # the same path, other bytes
        handle.write(b"\0")
    assert stored.inputs_key(scenario, DRAWS, SEED) != key


def test_a_file_whose_stamp_does_not_match_is_not_used(cache, metr):
    scenario, summary = metr
    path = stored.save(summary, scenario, DRAWS, SEED, by="a test")
    other = stored.save(summary, scenario, DRAWS, SEED + 1, by="a test")
    path.unlink()
    other.rename(path)  # the right name, the wrong inputs inside
    assert stored.load(scenario, DRAWS, SEED) is None


def test_the_cache_keeps_its_newest_files(cache, metr):
    scenario, summary = metr
    for seed in range(4):
        stored.save(summary, scenario, DRAWS, seed, by="a test", keep=2)
    assert len(list(cache.glob("*.nc"))) == 2
    assert stored.load(scenario, DRAWS, 3) is not None
    assert stored.load(scenario, DRAWS, 0) is None


def test_an_unwritable_cache_only_skips_storing(tmp_path, monkeypatch, metr):
    scenario, summary = metr
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TAKEOFF_CACHE", str(blocker))
    assert stored.save(summary, scenario, DRAWS, SEED, by="a test") is None

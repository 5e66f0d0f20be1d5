"""Every bundled data set loads, validated, with its documented columns, units and rows."""

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from takeoff.data import DATASETS, get_dataset, load, provenance, to_decimal_year
from takeoff.data.registry import validate_bundled
from takeoff.errors import TakeoffError

ROWS = {
    "chinchilla": 245,
    "metr_horizons": 58,
    "epoch_models": 501,
    "epoch_chips": 310,
    "eci": 295,
    "roodman_gwp": 103,
    "aifutures_progress": 40,
}


def test_the_documented_data_sets_are_registered():
    assert list(DATASETS) == list(ROWS)


@pytest.mark.parametrize("name", list(ROWS))
def test_loads_with_documented_columns_units_and_rows(name):
    info = DATASETS[name]
    df = load(name)
    assert len(df) == ROWS[name] == info.rows
    expected = []
    for c in info.columns:
        expected.append(c.name)
        if c.kind == "date":
            expected.append(f"{c.name}_year")
    assert list(df.columns) == expected
    assert df.attrs["name"] == name
    assert df.attrs["source"] == info.source
    assert set(df.attrs["units"]) == set(df.columns)
    for c in info.columns:
        assert df.attrs["units"][c.name] == c.unit
        values = df[c.name]
        if not c.nullable:
            assert not values.isna().any(), c.name
        if c.kind in ("number", "positive", "year"):
            assert values.dtype == np.float64
            assert np.isfinite(values.dropna()).all()
        if c.kind == "positive":
            assert (values.dropna() > 0).all(), c.name
        if c.kind == "bool":
            assert values.dtype == bool
        if c.kind == "date":
            assert values.dtype == "datetime64[ns]"
            year = df[f"{c.name}_year"]
            np.testing.assert_array_equal(year, to_decimal_year(values))
            assert df.attrs["units"][f"{c.name}_year"] == "decimal year"
    assert df.attrs["hash"] == hashlib.sha256(info.path().read_bytes()).hexdigest()


@pytest.mark.parametrize("name", list(ROWS))
def test_provenance_says_how_it_was_trimmed_and_how_many_rows(name):
    text = provenance(name)
    assert "## Trimmed for takeoff" in text
    assert re.search(rf"\*\*Rows:\*\* {ROWS[name]}\b", text)


def test_load_returns_a_fresh_frame_each_time():
    df = load("chinchilla")
    df.loc[0, "loss"] = -1.0
    df.attrs["units"]["loss"] = "changed"
    again = load("chinchilla")
    assert again.loc[0, "loss"] > 0
    assert again.attrs["units"]["loss"] == "nats/token"


def test_unknown_name():
    with pytest.raises(TakeoffError) as exc:
        load("chinchila")
    assert str(exc.value) == (
        "unknown data set 'chinchila'; choose one of: chinchilla, metr_horizons, "
        "epoch_models, epoch_chips, eci, roodman_gwp, aifutures_progress"
    )


def test_chinchilla_tokens_are_derived_from_compute():
    df = load("chinchilla")
    np.testing.assert_allclose(df["D"], df["C"] / (6 * df["N"]), rtol=1e-15)
    assert df["N"].nunique() == 142
    assert not df.duplicated().any()


def test_metr_versions_and_intervals():
    df = load("metr_horizons")
    assert df["version"].value_counts().to_dict() == {"1.0": 33, "1.1": 25}
    for p in ("p50", "p80"):
        assert (df[f"{p}_ci_low"] <= df[f"{p}_minutes"]).all()
        assert (df[f"{p}_minutes"] <= df[f"{p}_ci_high"]).all()
    assert (df["p80_minutes"] < df["p50_minutes"]).all()
    gpt4 = df[(df["version"] == "1.0") & (df["model"] == "gpt_4")].iloc[0]
    assert gpt4["release_date"] == pd.Timestamp("2023-03-14") and gpt4["is_sota"]
    assert gpt4["p50_minutes"] == 5.35186


def test_epoch_models_frontier_subset():
    df = load("epoch_models")
    assert df["frontier"].sum() == 126
    assert df["model"].is_unique
    assert df["publication_date"].is_monotonic_increasing
    grok4 = df[df["model"] == "Grok 4"].iloc[0]
    assert grok4["frontier"] and grok4["training_compute_flop"] == 5.0000000000001e26
    # renamed models are not counted twice: the June names of frontier models are absent
    assert not df["model"].isin(["GPT-4", "Grok-3", "GPT-4 Turbo"]).any()


def test_chips_flop_per_dollar_is_fp32_over_price():
    df = load("epoch_chips")
    np.testing.assert_allclose(
        df["flop_per_dollar"], df["fp32_flops"] / df["release_price_usd"], rtol=1e-15
    )
    assert df["hardware"].is_unique


def test_eci_compute_coverage_and_one_score_per_model():
    df = load("eci")
    assert df["training_compute_flop"].notna().sum() == 138
    assert df["model"].nunique() == 133
    assert (df.groupby("model")["eci"].nunique() == 1).all()


def test_roodman_years_bce_and_missing_gwp():
    df = load("roodman_gwp")
    assert df["year"].iloc[0] == -1_000_000
    assert df["year"].is_monotonic_increasing and df["year"].is_unique
    assert df.loc[df["gwp"].isna(), "year"].tolist() == [1900, 1920]


def _corrupt(name, old, new):
    info = get_dataset(name)
    data = info.path().read_bytes()
    assert old in data
    return info, data.replace(old, new, 1)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "chinchilla",
            b"N,C,D,loss",
            b"N,C,D,Loss",
            "'chinchilla/chinchilla.csv' has columns N, C, D, Loss but the registry declares "
            "N, C, D, loss",
        ),
        (
            "chinchilla",
            b",5.005581996196243\n",
            b",-5.005581996196243\n",
            "column 'loss' of 'chinchilla/chinchilla.csv' must be positive because its "
            "logarithm is taken, but data row 1 (line 2) has -5.005581996196243; remove the row "
            "or correct the value",
        ),
        (
            "metr_horizons",
            b"0.039762,0.001939",
            b"0.039762,0.05",
            "data row 1 (line 2) of 'metr_horizons/metr_horizons.csv' breaks "
            "p50_ci_low <= p50_minutes <= p50_ci_high",
        ),
        (
            "roodman_gwp",
            b"-300000,",
            b"-1000000,",
            "data row 2 (line 3) of 'roodman_gwp/roodman_gwp.csv' repeats the key year=-1000000.0",
        ),
    ],
)
def test_bundled_files_get_the_same_checks(name, old, new, message):
    info, data = _corrupt(name, old, new)
    with pytest.raises(TakeoffError) as exc:
        validate_bundled(info, data)
    assert str(exc.value) == message


def test_a_truncated_bundled_file_is_caught():
    info = get_dataset("roodman_gwp")
    data = info.path().read_bytes()
    short = data[: data.rindex(b"\n", 0, len(data) - 1) + 1]
    with pytest.raises(TakeoffError, match=r"has 102 rows, not the documented 103"):
        validate_bundled(info, short)

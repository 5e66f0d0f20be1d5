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
    "lm_algorithmic_progress": 408,
    "nanogpt_speedrun": 109,
    "returns_domains": 58,
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
        if c.kind == "bool":  # a nullable flag with empty cells loads as pandas' boolean
            assert values.dtype == ("boolean" if values.isna().any() else bool), c.name
        if c.kind == "date":
            assert values.dtype == "datetime64[ns]"
            year = df[f"{c.name}_year"]
            present = values.notna()
            np.testing.assert_array_equal(year[present], to_decimal_year(values[present]))
            assert year[~present].isna().all()
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
        "epoch_models, epoch_chips, eci, roodman_gwp, aifutures_progress, "
        "lm_algorithmic_progress, nanogpt_speedrun, returns_domains"
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


FINE_TUNED = (
    "GPT3-6.7B + muP",
    "LLaMA-7B (LoRA finetuned)",
    "LLaMA-13B (LoRA finetuned)",
    "LLaMA-65B (LoRA finetuned)",
)


def test_lm_algorithmic_progress_selection_as_provenance_states():
    df = load("lm_algorithmic_progress")
    assert df["source_row"].tolist() != sorted(df["source_row"])  # re-sorted by date ...
    assert sorted(df["source_row"]) == list(range(408))  # ... every source row kept once
    assert df["publication_date"].is_monotonic_increasing
    ppl = df[["ppl_wt103", "ppl_wt2", "ppl_ptb"]]
    selected = (
        df["parameters"].notna()
        & df["dataset_tokens"].notna()
        & df["include"].fillna(True).astype(bool)
        & ~df["outlier"]
        & ~df["uncertain"]
        & ppl.notna().any(axis=1)
        & ~df["system"].isin(FINE_TUNED)
    )
    assert selected.sum() == 257
    assert ppl[selected].notna().sum().to_dict() == {"ppl_wt103": 107, "ppl_wt2": 65, "ppl_ptb": 89}
    assert df.loc[selected, "epochs"].isna().sum() == 77
    # the one row without an include flag is kept by the authors' rule include != 0
    megatron = df[df["include"].isna()]
    assert megatron["system"].tolist() == ["Megatron-LM (2.5B)"] and selected[megatron.index].all()
    assert df["include"].sum() == 306 and df["outlier"].sum() == 16 and df["uncertain"].sum() == 33


def test_lm_algorithmic_progress_values_as_in_the_source():
    df = load("lm_algorithmic_progress").set_index("source_row")
    sru = df.loc[1]  # SRU++ Large, 2021/02/24, 2.34E+08, 34.08 epochs of 103M tokens, 17.1
    assert sru["system"] == "SRU++ Large"
    assert sru["publication_date"] == pd.Timestamp("2021-02-24")
    assert (sru["parameters"], sru["dataset_tokens"], sru["epochs"]) == (2.34e8, 1.03e8, 34.08)
    assert sru["ppl_wt103"] == 17.1 and np.isnan(sru["ppl_wt2"]) and sru["include"]
    cd_grab = df.loc[0]  # Parameters UNK in the source
    assert np.isnan(cd_grab["parameters"]) and cd_grab["ppl_wt2"] == 223.44
    assert df["system"].str.strip().eq(df["system"]).all()


def test_nanogpt_records_by_track_and_flags():
    df = load("nanogpt_speedrun")
    assert df["track"].value_counts().to_dict() == {"gpt2_small_3.28": 91, "gpt2_medium_2.92": 18}
    for _, rows in df.groupby("track", sort=False):
        assert rows["record"].is_monotonic_increasing
        assert rows["date"].dropna().is_monotonic_increasing
        assert rows["record"].iloc[0] == 1 and "llm.c baseline" in rows["description"].iloc[0]
    credited = df["contributors"].fillna("").map(lambda c: len(c.split(";")) if c else 0)
    np.testing.assert_array_equal(credited, df["n_contributors"])
    retimed = df[df["retime"]]
    assert retimed["record"].tolist() == [21, 21] and retimed["contributors"].isna().all()
    assert retimed["minutes"].tolist() == [2.997, 3.014]
    undated = df[df["date"].isna()]
    assert undated[["track", "record", "minutes"]].values.tolist() == [
        ["gpt2_medium_2.92", 11.0, 23.45]
    ]
    medium = df[df["track"] == "gpt2_medium_2.92"]
    assert medium["coordinate_descent_tuning"].tolist() == [False] * 5 + [True] + [False] * 12
    assert medium["minutes"].iloc[0] == 348.0  # 5.8 hours


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
        (
            "nanogpt_speedrun",
            b"gpt2_small_3.28,3,24.9,2024-10-04,",
            b"gpt2_small_3.28,3,24.9,2024-05-04,",
            "'nanogpt_speedrun/nanogpt_speedrun.csv' is not sorted by date within each track "
            "at data row 3 (line 4)",
        ),
        (
            "nanogpt_speedrun",
            b"gpt2_small_3.28,2,31.4,",
            b"gpt2_small_3.28,2,0,",
            "column 'minutes' of 'nanogpt_speedrun/nanogpt_speedrun.csv' must be positive "
            "because its logarithm is taken, but data row 2 (line 3) has 0; remove the row or "
            "correct the value",
        ),
        (
            "nanogpt_speedrun",
            b"jxbz;kellerjordan0,2,False,False",
            b"jxbz;kellerjordan0,2,maybe,False",
            "column 'retime' of 'nanogpt_speedrun/nanogpt_speedrun.csv' has 'maybe' in data "
            "row 3 (line 4), which is not true or false; give True/False, yes/no or 1/0",
        ),
        (
            "lm_algorithmic_progress",
            b"405,LBL,",
            b"154,LBL,",
            "data row 2 (line 3) of 'lm_algorithmic_progress/lm_algorithmic_progress.csv' "
            "repeats the key source_row=154.0",
        ),
        (
            "lm_algorithmic_progress",
            b",2012-06-27,2000000.0,",
            b",2012-06-27,2000000000000000.0,",
            "column 'parameters' of 'lm_algorithmic_progress/lm_algorithmic_progress.csv' has "
            "2000000000000000.0 in data row 1 (line 2), outside the plausible range "
            "[1000, 1e+13]; check the value and its units",
        ),
        (
            "lm_algorithmic_progress",
            b",2012-06-27,",
            b",2012/06/27,",
            "column 'publication_date' of 'lm_algorithmic_progress/lm_algorithmic_progress.csv' "
            "has '2012/06/27' in data row 1 (line 2), which is not a date; give ISO dates such "
            "as 2024-07-02",
        ),
        (
            "lm_algorithmic_progress",
            b",2012-09-01,",
            b",2011-09-01,",
            "'lm_algorithmic_progress/lm_algorithmic_progress.csv' is not sorted by "
            "publication_date at data row 2 (line 3)",
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


def test_returns_domains_endpoints_on_first_rows_only():
    df = load("returns_domains")
    assert list(dict.fromkeys(df["domain"])) == ["CV + DL", "SAT", "LP", "Atari (RL)"]
    assert df.groupby("domain", sort=False).size().to_dict() == {
        "CV + DL": 10,
        "SAT": 22,
        "LP": 21,
        "Atari (RL)": 5,
    }
    first = df.groupby("domain", sort=False).head(1)
    assert (first["year_index"] == 0).all()
    assert first["A_total_growth_over_T"].notna().all() and first["T_years"].notna().all()
    assert df["A_total_growth_over_T"].notna().sum() == 4 == df["T_years"].notna().sum()
    assert first.set_index("domain")["T_years"].to_dict() == {
        "CV + DL": 10.0,
        "SAT": 21.0,
        "LP": 20.0,
        "Atari (RL)": 5.0,
    }

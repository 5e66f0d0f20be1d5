"""summary.csv in long form: the documented columns, one number per row, 'not reached' said in
words (never an inf a spreadsheet mangles), every quantity documented in the README, and the
numbers those of the forecast summary."""

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from takeoff.forecast import forecast
from takeoff.forecast.kind import LONG_COLUMNS
from takeoff.forecast.kinds import long_table
from takeoff.forecast.scenario import builtin_names

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def summaries():
    return {n: forecast(n, draws=600, seed=1).summary for n in builtin_names()}


@pytest.fixture(scope="module")
def csv_text(summaries):
    return long_table(list(summaries.values())).to_csv(index=False)


@pytest.fixture(scope="module")
def table(csv_text):
    return pd.read_csv(io.StringIO(csv_text), keep_default_na=False)


def test_columns_are_the_documented_schema(table):
    assert tuple(table.columns) == LONG_COLUMNS
    assert LONG_COLUMNS == (
        "scenario", "kind", "quantity", "milestone", "quantile", "value", "unit", "status"
    )  # fmt: skip
    readme = README.read_text()
    schema = readme.split("## summary.csv", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \|", schema, re.M)
    assert tuple(documented) == LONG_COLUMNS


def test_every_quantity_written_is_documented(table):
    schema = README.read_text().split("## summary.csv", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([\w<>]+)`", schema))
    written = {re.sub(r"_(\d{4})(?=_|$)", "_<year>", q) for q in table["quantity"]}
    assert written <= documented, written - documented


def test_one_number_per_row_and_a_status_where_there_is_none(table, csv_text):
    assert "inf" not in csv_text.lower() and "nan" not in csv_text.lower()
    keys = table[["scenario", "quantity", "milestone", "quantile"]].astype(str)
    assert not keys.duplicated().any()
    empty = table["value"] == ""
    assert ((table["status"] != "") == empty).all()
    numbers = pd.to_numeric(table.loc[~empty, "value"])
    assert numbers.map(math.isfinite).all()


def test_not_reached_is_said_in_words(table, summaries):
    rows = table[
        (table["scenario"] == "keyhole")
        & (table["quantity"] == "milestone_date")
        & (table["milestone"] == "strongly_superhuman")
    ]
    assert len(rows) == 5
    assert set(rows["status"]) == {"not reached within the horizon"}
    assert set(rows["value"]) == {""}
    assert math.isinf(float(summaries["keyhole"]["milestone_date"].sel(quantile=0.5)[-1]))
    durations = table[(table["scenario"] == "keyhole") & (table["quantity"] == "takeoff_duration")]
    assert set(durations["status"]) == {"takeoff not completed within the horizon"}
    assert set(durations["milestone"]) == {"human_level -> strongly_superhuman"}


def test_values_are_the_summarys(table, summaries):
    s = summaries["metr_trend"]

    def value(quantity, milestone="", quantile=""):
        rows = table[
            (table["scenario"] == "metr_trend")
            & (table["quantity"] == quantity)
            & (table["milestone"] == milestone)
            & (table["quantile"].astype(str) == str(quantile))
        ]
        assert len(rows) == 1, (quantity, milestone, quantile)
        return float(rows["value"].iloc[0])

    assert value("milestone_date", "work_year", 0.5) == pytest.approx(
        float(s["milestone_date"].sel(milestone="work_year", quantile=0.5)), abs=1e-9
    )
    assert value("p_fast", "work_month -> work_year") == float(
        s["class_probability"].sel(takeoff_class="fast")
    )
    assert value("milestone_level", "work_month") == 10_000
    assert value("draws") == 600 and value("seed") == 1
    units = table[(table["scenario"] == "metr_trend") & (table["quantity"] == "milestone_level")]
    assert set(units["unit"]) == {"minutes"}


def test_doublings_rows(table, summaries):
    s = summaries["sie_published"]
    rows = table[(table["scenario"] == "sie_published") & (table["quantity"] == "p_years_within")]
    assert list(rows["milestone"]) == [str(m) for m in s["metric"].values]
    assert [float(v) for v in rows["value"]] == [float(p) for p in s["p_years_within"].values]
    assert set(table[table["scenario"] == "sie_published"]["kind"]) == {"doublings"}
    stops = table[
        (table["scenario"] == "sie_published") & table["quantity"].str.startswith("p_stop")
    ]
    assert sum(float(v) for v in stops["value"]) == pytest.approx(1.0)


def _blocks_are_contiguous(table) -> bool:
    """Each (scenario, quantity, milestone) in one run of consecutive rows: a reader scrolling
    the file, or a spreadsheet filter, finds a quantity's quantiles together."""
    keys = table[["scenario", "quantity", "milestone"]].astype(str).agg("|".join, axis=1)
    runs = keys[keys != keys.shift()]
    return not runs.duplicated().any()


def test_each_quantity_is_one_block_of_rows(table):
    assert _blocks_are_contiguous(table)


def test_a_counterfactual_is_written_with_its_pull_forward():
    from takeoff.forecast.loading import load_scenario, parse_scenario

    text = load_scenario("foom").text + (
        '\n[counterfactual]\nname = "exponential"\n[counterfactual.parameters]\nalpha = 1.0\n'
    )
    summary = forecast(parse_scenario(text, "foom_cf.toml"), draws=400, seed=2).summary
    table = long_table([summary])
    rows = table[table["quantity"] == "pulled_forward"]
    assert set(rows["milestone"]) == {"human_level", "strongly_superhuman"} and len(rows) == 10
    median = rows[(rows["milestone"] == "strongly_superhuman") & (rows["quantile"] == 0.5)]
    expected = float(summary["pulled_forward"].sel(milestone="strongly_superhuman", quantile=0.5))
    if math.isfinite(expected):
        assert float(median["value"].iloc[0]) == pytest.approx(expected)
    else:
        assert median["status"].iloc[0].startswith("reached within the horizon only")
    assert _blocks_are_contiguous(table)
    assert set(table["quantity"]) >= {
        "counterfactual_p_reached",
        "counterfactual_milestone_date",
        "p_pulled_forward",
    }

"""A user's CSV: the frame a fit gets, and one exact one-line message for each kind of bad input.

Rows in messages are counted both as data rows (1-based, header not counted) and as the line of
the file (the header is line 1).
"""

import hashlib
import os

import numpy as np
import pandas as pd
import pytest

from takeoff.data import data_hash, read_user_csv
from takeoff.errors import TakeoffError

XY = {"x": "compute", "y": "loss"}
POSITIVE = {"x": "positive", "y": "positive"}


def write(tmp_path, text, name="a.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def error(path, columns=XY, kinds=None, **kwargs):
    with pytest.raises(TakeoffError) as exc:
        read_user_csv(path, columns, kinds, **kwargs)
    message = str(exc.value)
    assert "\n" not in message
    return message


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths keep the messages short and exact


def test_reads_roles_in_order_with_dates_and_attrs(tmp_path):
    text = (
        "date,compute,loss,sota,note\n"
        "2024-07-02,1e20,3.1,True,a\n"
        "2024-12-31, 2e20 ,2.9,no,b\n"
        "\n"
        "2025-01-01,4e20,2.7,1,c\n"
    )
    path = write(tmp_path, text)
    df = read_user_csv(
        "a.csv",
        {"y": "loss", "t": "date", "x": "compute", "f": "sota"},
        {"y": "positive", "t": "date_sorted", "x": "positive", "f": "bool"},
    )
    assert list(df.columns) == ["y", "t", "t_year", "x", "f"]
    np.testing.assert_array_equal(df["x"], [1e20, 2e20, 4e20])
    assert df["t"].dtype == "datetime64[ns]"
    np.testing.assert_array_equal(df["t_year"], [2024.5, 2024 + 365 / 366, 2025.0])
    assert df["f"].tolist() == [True, False, True]
    assert df.attrs["source"] == "a.csv"
    assert df.attrs["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_unnamed_index_column_and_a_bom_are_fine(tmp_path):
    write(tmp_path, "\ufeff,compute,loss\n0,1e20,3.1\n1,2e20,2.9\n")
    df = read_user_csv("a.csv", XY, POSITIVE)
    assert df["y"].tolist() == [3.1, 2.9]


def test_missing_file():
    assert error("a.csv") == "file 'a.csv' not found; check the path"


def test_folder(tmp_path):
    os.mkdir(tmp_path / "d.csv")
    assert error("d.csv") == "'d.csv' is a folder, not a file; give the path of a CSV file"


def test_empty_file(tmp_path):
    write(tmp_path, "")
    assert error("a.csv") == (
        "file 'a.csv' is empty; it needs a header line and at least one data row"
    )
    for blank in ("\n \n", "\ufeff"):
        write(tmp_path, blank)
        assert error("a.csv") == (
            "file 'a.csv' is empty; it needs a header line and at least one data row"
        )


def test_header_only(tmp_path):
    write(tmp_path, "compute,loss\n")
    assert error("a.csv") == (
        "file 'a.csv' has a header but no data rows; add data rows below the header"
    )


def test_binary_file(tmp_path):
    write(tmp_path, b"PK\x03\x04\x00\x00 an xlsx is a zip")
    assert error("a.csv") == (
        "file 'a.csv' is not a text CSV file (it holds binary data); "
        "export it as CSV (comma-separated, UTF-8)"
    )


def test_not_utf8(tmp_path):
    write(tmp_path, "compute,loss\n1,caf\xe9\n".encode("latin-1"))
    assert error("a.csv") == (
        "file 'a.csv' is not a text CSV file (it is not UTF-8 text); "
        "export it as CSV (comma-separated, UTF-8)"
    )


def test_broken_quoting(tmp_path):
    write(tmp_path, 'compute,loss\n1,"2\n')
    assert error("a.csv") == (
        "file 'a.csv' is not a valid CSV (unexpected end of data on line 2); "
        "export it as CSV (comma-separated, UTF-8)"
    )


def test_ragged_row(tmp_path):
    write(tmp_path, "compute,loss\n1,2\n3,4,5\n")
    assert error("a.csv") == (
        "line 3 of 'a.csv' has 3 fields but the header has 2; "
        "quote values that contain commas or remove the extra fields"
    )


def test_missing_column_names_it_and_lists_the_available_ones(tmp_path):
    write(tmp_path, "compute,Loss\n1,2\n2,3\n")
    assert error("a.csv") == (
        "column 'loss' not found in 'a.csv' (did you mean 'Loss'?); "
        "available columns: compute, Loss"
    )
    write(tmp_path, "flops,value\n1,2\n2,3\n")
    assert error("a.csv") == (
        "columns 'compute', 'loss' not found in 'a.csv'; available columns: flops, value"
    )


def test_semicolon_separated(tmp_path):
    write(tmp_path, "compute;loss\n1;2\n")
    assert error("a.csv") == (
        "columns 'compute', 'loss' not found in 'a.csv': the file seems to use ';' as "
        "separator; save it comma-separated"
    )


def test_duplicate_header(tmp_path):
    write(tmp_path, "compute,loss,loss\n1,2,3\n")
    assert error("a.csv") == (
        "column 'loss' appears twice in the header of 'a.csv'; rename one of them"
    )


def test_non_numeric_value(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n2e20,abc\n")
    assert error("a.csv") == (
        "column 'loss' of 'a.csv' has a non-numeric value 'abc' in data row 2 (line 3); "
        "give plain numbers such as 2.5 or 1e22"
    )


def test_non_finite_value(tmp_path):
    write(tmp_path, "compute,loss\n1e20,inf\n2e20,3\n")
    assert error("a.csv") == (
        "column 'loss' of 'a.csv' has a non-finite value 'inf' in data row 1 (line 2); "
        "give finite numbers"
    )


def test_non_positive_value_where_a_log_is_taken(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n0,2.9\n")
    assert error("a.csv", kinds=POSITIVE) == (
        "column 'compute' of 'a.csv' must be positive because its logarithm is taken, "
        "but data row 2 (line 3) has 0; remove the row or correct the value"
    )
    assert len(read_user_csv("a.csv", XY)) == 2  # kind "number" accepts 0


def test_empty_cell(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n2e20,\n")
    assert error("a.csv") == (
        "column 'loss' of 'a.csv' has an empty cell in data row 2 (line 3); "
        "fill it in or delete the row"
    )


def test_nan_cell(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n\n2e20,NaN\n")
    assert error("a.csv") == (
        "column 'loss' of 'a.csv' has a missing value 'NaN' in data row 2 (line 4); "
        "fill it in or delete the row"
    )


def test_duplicate_rows(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n2e20,2.9\n1e20,3.1\n")
    assert error("a.csv") == (
        "data row 3 (line 4) of 'a.csv' repeats data row 1 (line 2) exactly; "
        "remove the duplicate row"
    )


def test_unparseable_date(tmp_path):
    write(tmp_path, "date,h\n2024-01-05,1\n03/04/2024,2\n")
    assert error("a.csv", {"t": "date", "y": "h"}, {"t": "date"}) == (
        "column 'date' of 'a.csv' has '03/04/2024' in data row 2 (line 3), which is not a "
        "date; give ISO dates such as 2024-07-02"
    )
    write(tmp_path, "date,h\n2024-02-30,1\n2024-03-01,2\n")
    assert error("a.csv", {"t": "date", "y": "h"}, {"t": "date"}).startswith(
        "column 'date' of 'a.csv' has '2024-02-30' in data row 1 (line 2), which is not a date"
    )


def test_dates_out_of_order(tmp_path):
    write(tmp_path, "date,h\n2024-01-05,1\n2023-01-05,2\n")
    columns = {"t": "date", "y": "h"}
    assert error("a.csv", columns, {"t": "date_sorted"}) == (
        "column 'date' of 'a.csv' is not in time order: data row 2 (line 3) has 2023-01-05, "
        "earlier than 2024-01-05 in the row above; sort the rows by date"
    )
    assert len(read_user_csv("a.csv", columns, {"t": "date"})) == 2  # order not required


def test_too_few_rows(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n2e20,2.9\n")
    assert error("a.csv", min_rows=3) == (
        "file 'a.csv' has 2 data rows but at least 3 are needed; add data rows"
    )
    assert error("a.csv", min_rows=4, n_params=3) == (
        "file 'a.csv' has 2 data rows but fitting 3 parameters needs at least 4 rows; add data rows"
    )


def test_bad_boolean(tmp_path):
    write(tmp_path, "date,sota\n2024-01-01,maybe\n2024-02-01,yes\n")
    assert error("a.csv", {"f": "sota"}, {"f": "bool"}) == (
        "column 'sota' of 'a.csv' has 'maybe' in data row 1 (line 2), which is not true or "
        "false; give True/False, yes/no or 1/0"
    )


def test_no_roles(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n2e20,2.9\n")
    assert error("a.csv", {}) == (
        "no columns requested; map each role to a column, e.g. {'y': 'loss'}"
    )


def test_bad_role_kinds(tmp_path):
    write(tmp_path, "compute,loss\n1e20,3.1\n2e20,2.9\n")
    assert error("a.csv", kinds={"x": "log"}) == (
        "unknown kind 'log' for role 'x'; choose one of: "
        "number, positive, year, date, date_sorted, date_or_year, text, bool"
    )
    assert error("a.csv", kinds={"z": "number"}) == (
        "a kind is given for unknown role 'z'; roles are: x, y"
    )


def test_a_multiline_cell_stays_on_one_line_in_the_message(tmp_path):
    write(tmp_path, 'compute,loss\n1e20,"3.1\nabc"\n2e20,2.9\n')
    assert error("a.csv") == (
        "column 'loss' of 'a.csv' has a non-numeric value '3.1\\nabc' in data row 1 (line 2); "
        "give plain numbers such as 2.5 or 1e22"
    )


def test_data_hash_depends_on_content_only():
    a = pd.DataFrame({"x": [1.0, 2.0], "t": pd.to_datetime(["2024-01-01", "2024-07-02"])})
    b = a.copy()
    b.index = [10, 11]
    b.attrs["source"] = "elsewhere"
    assert data_hash(a) == data_hash(b)
    assert len(data_hash(a)) == 64 and int(data_hash(a), 16) >= 0
    c = a.copy()
    c.loc[0, "x"] = 1.0000000000000002  # one ulp apart
    assert data_hash(c) != data_hash(a)
    assert data_hash(a.rename(columns={"x": "y"})) != data_hash(a)


# --- what a fit needs to identify its parameters (takeoff fit --data) ---------------------------


def _rows(header, rows):
    return header + "\n" + "\n".join(rows) + "\n"


ONE_DATE = _rows(
    "date,compute,metric",
    [f"2024-01-01,{10 ** (20 + i / 2):g},{3.0 - 0.1 * i:g}" for i in range(10)],
)
TWO_X = _rows("C,loss", [f"{1e20 if i < 5 else 1e21:g},{3.0 - 0.1 * i:g}" for i in range(10)])
FLAT_Y = _rows("C,loss", [f"{10 ** (18 + i):g},2.5" for i in range(10)])
GOOD_CURVE = _rows(
    "C,loss", [f"{10 ** (18 + i):g},{2 + 3 * 10 ** (-0.1 * i):.4f}" for i in range(10)]
)


@pytest.mark.parametrize(
    ("fit", "content", "message"),
    [
        (
            "algorithmic_progress",
            ONE_DATE,
            "error: column 'date' of 'a.csv' holds one value (2024-01-01) in every row; fit "
            "algorithmic_progress needs at least 2 different values of the publication or release "
            "date to identify its parameters; add rows that differ in it",
        ),
        (
            "returns_curve",
            TWO_X,
            "error: column 'C' of 'a.csv' holds 2 distinct values; fit returns_curve needs at "
            "least 3 different values of the compute (or any positive input) to identify its "
            "parameters; add rows that differ in it",
        ),
        (
            "returns_curve",
            FLAT_Y,
            "error: column 'loss' of 'a.csv' holds one value (2.5) in every row; fit returns_curve "
            "needs at least 2 different values of the loss or error (or a score in [0, 1] with "
            "--bounded) to identify its parameters; add rows that differ in it",
        ),
        (
            "returns_curve",
            "C,loss\n1e20,3.0\n",
            "error: file 'a.csv' has 1 data row but fitting 5 parameters needs at least 6 rows; "
            "add data rows",
        ),
        (
            "returns_curve",
            "C,loss\n",
            "error: file 'a.csv' has a header but no data rows; add data rows below the header",
        ),
        (
            "returns_curve",
            "C,C\n1,2\n",
            "error: column 'C' appears twice in the header of 'a.csv'; rename one of them",
        ),
        (
            "returns_curve",
            GOOD_CURVE.replace("1e+18", "nan", 1),
            "error: column 'C' of 'a.csv' has a missing value 'nan' in data row 1 (line 2); fill "
            "it in or delete the row",
        ),
        (
            "returns_curve",
            GOOD_CURVE.replace("1e+18", "inf", 1),
            "error: column 'C' of 'a.csv' has a non-finite value 'inf' in data row 1 (line 2); "
            "give finite numbers",
        ),
        (
            "returns_curve",
            GOOD_CURVE.replace("1e+18", "-1e18", 1),
            "error: column 'C' of 'a.csv' must be positive because its logarithm is taken, but "
            "data row 1 (line 2) has -1e18; remove the row or correct the value",
        ),
        (
            "returns_curve",
            GOOD_CURVE.encode("utf-16"),
            "error: file 'a.csv' is not a text CSV file (it holds binary data); export it as CSV "
            "(comma-separated, UTF-8)",
        ),
        (
            "returns_curve",
            GOOD_CURVE.replace("C,loss", "C,los\xdf").encode("latin-1"),
            "error: file 'a.csv' is not a text CSV file (it is not UTF-8 text); export it as CSV "
            "(comma-separated, UTF-8)",
        ),
    ],
    ids=[
        "dates-all-equal",
        "two-compute-values",
        "all-equal-y",
        "one-row",
        "header-only",
        "duplicated-header",
        "nan",
        "inf",
        "negative-under-a-log",
        "utf-16",
        "latin-1",
    ],
)
def test_a_table_the_fit_cannot_identify_from_is_refused(tmp_path, capsys, fit, content, message):
    from takeoff.cli import main

    write(tmp_path, content)
    out = tmp_path / "fit.nc"
    code = main(["fit", fit, "--data", "a.csv", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == message
    assert err.count("\n") == 1
    assert not out.exists()


def test_date_or_year_reads_years_as_numbers_and_dates_as_dates(tmp_path):
    """A column of kind date_or_year: plain years (integers or decimals) come back as decimal
    years, ISO dates as dates with a decimal-year column; either must not go back in time."""
    columns, kinds = {"t": "when", "y": "loss"}, {"t": "date_or_year"}
    write(tmp_path, "when,loss\n2019,3.1\n2020.5,2.9\n")
    df = read_user_csv("a.csv", columns, kinds)
    assert list(df.columns) == ["t", "y"] and list(df["t"]) == [2019.0, 2020.5]
    write(tmp_path, "when,loss\n2019-01-01,3.1\n2020-07-02,2.9\n")
    df = read_user_csv("a.csv", columns, kinds)
    assert list(df.columns) == ["t", "t_year", "y"] and df["t_year"].iloc[0] == 2019.0
    write(tmp_path, "when,loss\n2019,3.1\n2018,2.9\n")
    assert error("a.csv", columns, kinds) == (
        "column 'when' of 'a.csv' is not in time order: data row 2 (line 3) has 2018, earlier "
        "than 2019 in the row above; sort the rows by date"
    )
    write(tmp_path, "when,loss\n2019,3.1\nlater,2.9\n")
    assert error("a.csv", columns, kinds).startswith(
        "column 'when' of 'a.csv' has a non-numeric value 'later' in data row 2 (line 3)"
    )


def test_nullable_roles_may_have_empty_cells(tmp_path):
    write(tmp_path, "compute,loss\n1e20,\n2e20,2.9\n")
    df = read_user_csv("a.csv", XY, nullable={"y"})
    assert np.isnan(df["y"].iloc[0]) and df["y"].iloc[1] == 2.9
    assert error("a.csv") == (
        "column 'loss' of 'a.csv' has an empty cell in data row 1 (line 2); fill it in or "
        "delete the row"
    )

"""Decimal years are exact: year + (time since 1 January) / (length of that year)."""

import numpy as np
import pandas as pd
import pytest

from takeoff.data import to_decimal_year
from takeoff.errors import TakeoffError


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2024-07-02", 2024.5),  # leap year: 183 of 366 days
        ("2023-07-02T12:00", 2023.5),  # 182.5 of 365 days
        ("2023-01-01", 2023.0),
        ("2024-12-31", 2024 + 365 / 366),
        ("2000-03-01", 2000 + 60 / 366),  # 2000 is a leap year (divisible by 400)
        ("1900-03-01", 1900 + 59 / 365),  # 1900 is not
        ("1970-01-01", 1970.0),
        ("1950-07-02", 1950 + 182 / 365),
    ],
)
def test_exact_values(date, expected):
    assert to_decimal_year(date) == expected
    assert to_decimal_year(np.datetime64(date)) == expected
    assert to_decimal_year(pd.Timestamp(date)) == expected


def test_arrays_series_and_shapes():
    dates = ["2024-07-02", "2023-01-01"]
    np.testing.assert_array_equal(to_decimal_year(dates), [2024.5, 2023.0])
    series = pd.Series(pd.to_datetime(dates))
    out = to_decimal_year(series)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == (2,)
    np.testing.assert_array_equal(out, [2024.5, 2023.0])
    grid = np.array(dates * 2, dtype="datetime64[D]").reshape(2, 2)
    assert to_decimal_year(grid).shape == (2, 2)


def test_missing_date_is_an_error():
    with pytest.raises(TakeoffError) as exc:
        to_decimal_year(np.array(["2024-01-01", "NaT"], dtype="datetime64[ns]"))
    assert str(exc.value) == (
        "to_decimal_year got a missing date (NaT) at position 1; drop missing dates first"
    )


def test_unparseable_text_is_an_error():
    with pytest.raises(TakeoffError, match=r"^to_decimal_year needs dates such as 2024-07-02; "):
        to_decimal_year(["not a date"])

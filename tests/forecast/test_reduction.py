"""The shared exact reduction (takeoff.forecast.reduction) and the declarative scenario tables
(takeoff.forecast.schema) on their own."""

from dataclasses import dataclass, field

import numpy as np
import pytest

from takeoff.errors import TakeoffError
from takeoff.forecast import reduction
from takeoff.forecast.scenario import Lines
from takeoff.forecast.schema import REQUIRED, Key, Schema, Table, integer, positive_number
from takeoff.units import QUANTILES


def test_integer_quantiles_are_the_inverted_cdf():
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 100, 1001):
        values = rng.integers(0, 40, size=n)
        counts = reduction.integer_counts(values, 64)
        got = reduction.histogram_quantiles(counts, int(counts.sum()))
        expected = np.quantile(values, QUANTILES, method="inverted_cdf")
        assert np.array_equal(got, expected)


def test_values_beyond_the_histogram_give_inf_and_no_draws_nan():
    counts = np.array([1, 1, 0, 0])
    assert reduction.histogram_quantiles(counts, 4, (0.25, 0.5, 0.75))[-1] == np.inf
    assert np.isnan(reduction.histogram_quantiles(counts, 0)).all()


def test_interpolated_quantiles_read_bins_and_overflow():
    edges = np.arange(0.0, 10.5, 1.0)
    values = np.array([[0.5], [1.5], [2.5], [np.inf]])
    counts = reduction.bin_rows(values, edges)
    assert counts.shape == (1, len(edges) + 1)
    q = reduction.interpolated_quantiles(counts, edges, (0.25, 0.5, 0.99))[0]
    assert q[0] == pytest.approx(1.0) and q[1] == pytest.approx(2.0) and q[2] == np.inf


def test_counts_merge_adds_and_keeps_exact_extremes():
    @dataclass
    class Acc(reduction.Counts):
        n: int
        counts: np.ndarray
        low: np.ndarray = field(metadata={"merge": "min"})
        high: np.ndarray = field(metadata={"merge": "max"})
        optional: np.ndarray | None = None

    a = Acc(1, np.array([1, 0]), np.array([2.0]), np.array([2.0]))
    b = Acc(2, np.array([0, 3]), np.array([1.0]), np.array([1.0]))
    m = a.merge(b)
    assert m.n == 3 and m.counts.tolist() == [1, 3]
    assert m.low.tolist() == [1.0] and m.high.tolist() == [2.0] and m.optional is None


SCHEMA = Schema(
    (
        Table(
            "scenario",
            (
                Key("years", positive_number, REQUIRED),
                Key("points", integer(2), lambda values: round(values["years"] * 24) + 1),
            ),
            unknown="unknown key; use: {keys}",
        ),
    ),
)


def _read(text):
    import tomllib

    lines = Lines(text, "t.toml")
    doc = tomllib.loads(text)
    SCHEMA.check_tables(doc, lines)
    return SCHEMA.read(doc, "scenario", lines)


def test_schema_reads_defaults_and_refuses_with_the_line():
    assert _read("[scenario]\nyears = 2\n") == {"years": 2.0, "points": 49}
    with pytest.raises(TakeoffError, match=r"t.toml: scenario.years \(line 2\): must be positive"):
        _read("[scenario]\nyears = -1\n")
    with pytest.raises(TakeoffError, match=r"scenario.colour \(line 3\): unknown key; use: years"):
        _read("[scenario]\nyears = 1\ncolour = 2\n")
    with pytest.raises(TakeoffError, match=r"\[scenario\] lacks the key 'years'"):
        _read("[scenario]\n")
    with pytest.raises(TakeoffError, match=r"\[other\] \(line 1\): unknown table; use: scenario"):
        _read("[other]\nx = 1\n")

"""The track record's figures: the fan at an origin (its bands ordered, the data split at the
origin) and the PIT histogram (its bars the counts, the calibrated line their mean)."""

import numpy as np
import pandas as pd

from takeoff.plots import track_charts


def _fans():
    dates = np.linspace(2024.0, 2026.5, 6)
    rows = []
    for model, shift in (("loop", 0.0), ("exponential_trend", -0.5)):
        for d in dates:
            m = 2.0 + (d - 2024.0) + shift
            quantiles = dict(
                zip(("q05", "q25", "q50", "q75", "q95"), m + np.arange(-2, 3), strict=True)
            )
            rows.append({"origin": 2024.0, "model": model, "date": d, **quantiles})
    return pd.DataFrame(rows)


def test_origin_fan_draws_each_model_band_and_splits_the_data_at_the_origin():
    observed = pd.DataFrame({"date": [2022.0, 2023.5, 2024.5, 2025.5], "observed": [0, 1, 3, 4]})
    fig = track_charts.origin_fan(_fans(), observed, 2024.0, labels={"loop": "the loop"})
    data = fig.to_dict()["data"]
    medians = [t for t in data if t.get("name", "").endswith("(median, 50%, 90%)")]
    assert medians[0]["name"].startswith("the loop")
    assert len(medians) == 2
    np.testing.assert_allclose(medians[0]["y"][0], np.exp(2.0))  # ln minutes -> minutes
    before = next(t for t in data if t.get("name") == "data before the origin (fitted)")
    after = next(t for t in data if t.get("name") == "data after the origin (scored)")
    assert list(before["x"]) == [2022.0, 2023.5] and list(after["x"]) == [2024.5, 2025.5]
    shapes = fig.to_dict()["layout"]["shapes"]
    assert shapes[0]["x0"] == 2024.0  # the origin


def test_pit_histogram_bars_are_the_counts_and_the_line_their_expectation():
    counts = pd.DataFrame({"loop": [1, 2, 3, 4], "exponential_trend": [2, 2, 3, 3]},
                          index=["0-.25", ".25-.5", ".5-.75", ".75-1"])  # fmt: skip
    fig = track_charts.pit_histogram(counts)
    data = fig.to_dict()["data"]
    bars = [t for t in data if t["type"] == "bar"]
    assert [list(b["y"]) for b in bars] == [[1, 2, 3, 4], [2, 2, 3, 3]]
    np.testing.assert_allclose(bars[0]["x"], [0.125, 0.375, 0.625, 0.875])
    line = next(t for t in data if t.get("name") == "calibrated (flat)")
    assert line["y"][0] == 2.5  # 10 points over 4 bins

import numpy as np

from takeoff.plots import static as plots


def test_interval_comparison_draws_one_row_per_set_at_its_quantiles():
    rng = np.random.default_rng(0)
    draws = {"a": rng.lognormal(5, 0.1, 4000), "b": rng.lognormal(6, 0.2, 4000)}
    fig = plots.interval_comparison(draws, "days")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    segment = ax.lines[2].get_xdata()  # row b's 94% interval
    np.testing.assert_allclose(segment, np.quantile(draws["b"], [0.03, 0.97]))
    assert ax.get_xscale() == "log"

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


# --- charts for a room ------------------------------------------------------------------------

import math  # noqa: E402

import pytest  # noqa: E402

from takeoff.data import load  # noqa: E402
from takeoff.forecast import forecast, kinds  # noqa: E402
from takeoff.forecast.loading import load_scenario, parse_scenario  # noqa: E402
from takeoff.forecast.scenario import builtin_names  # noqa: E402
from takeoff.plots import interactive, layout, plotly_parts, style  # noqa: E402


@pytest.fixture(scope="module")
def metr():
    sc = load_scenario("metr_trend")
    return forecast(sc, draws=1000, seed=0).summary, kinds.observations(sc)


def test_horizon_scenarios_carry_the_metr_points_they_were_fitted_to(metr):
    _, observations = metr
    (obs,) = observations
    data = load("metr_horizons")
    data = data[data["version"].astype(str) == "1.1"]
    assert obs.fit == "horizon_dynamics" and obs.dataset == "metr_horizons"
    np.testing.assert_allclose(np.sort(obs.observed), np.sort(data["p50_minutes"]), rtol=1e-9)
    np.testing.assert_allclose(np.sort(obs.x), np.sort(data["release_date_year"]), atol=1e-6)
    (readout,) = kinds.observations(load_scenario("loss_to_horizon"))
    assert readout.fit == "horizon_readout" and readout.observed.size == obs.observed.size


def test_fits_that_only_lend_a_parameter_put_no_data_on_the_fan():
    # compute_feedback draws from compute_trend (FLOP) and chinchilla, but watches capability
    assert kinds.observations(load_scenario("compute_feedback")) == ()
    assert kinds.observations(load_scenario("software_explosion")) == ()
    # a scenario of the horizon family taking one parameter from the fit still shows its data
    text = load_scenario("foom").text.replace('family = "power_law"', 'family = "horizon"')
    text = text.replace("[initial]\nI = 1.0", "[initial]\nH = 30.0").replace('watch = "I"', "")
    text = text.replace(
        'k = { dist = "loguniform", low = 1.0, high = 100.0 }\nalpha = '
        '{ dist = "uniform", low = 1.0, high = 2.0 }',
        'T0 = { posterior = "horizon_dynamics", variable = "T0" }\neps = 0.0\nH0 = 30.0',
    )
    (obs,) = kinds.observations(parse_scenario(text, "h.toml"))
    assert obs.fit == "horizon_dynamics"


def test_the_fan_ends_where_the_bands_leave_the_chart(metr):
    summary, observations = metr
    view = layout.fan_window(summary, observations)
    t = summary["time"].values
    assert view.x1 < t[-1] - 5  # metr_trend's bands leave the chart years before 2041
    q05 = summary["watch"].sel(quantile=0.05).values
    assert q05[t <= view.x1][-1] >= view.y1  # every band is above the top by then ...
    assert (q05[t < view.x1 - 0.5] < view.y1).any()  # ... and not long before
    assert view.x0 < min(observations[0].x)  # the data from 2019 are in view
    keyhole = forecast("keyhole", draws=500).summary
    assert layout.fan_window(keyhole).x1 == keyhole["time"].values[-1]


def _outside(fig) -> list[str]:
    """The texts a matplotlib figure draws that reach beyond its edges (cut off in the PNG):
    titles, axis labels, tick labels in view, legends, annotations."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for legend in fig.legends for t in legend.get_texts()]
    for ax in fig.axes:
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            texts += [t.label1 for t in axis.get_major_ticks() if lo <= t.get_loc() <= hi]
    box = fig.bbox
    cut = []
    for text in texts:
        if not text.get_visible() or not text.get_text():
            continue
        b = text.get_window_extent(renderer)
        if b.x0 < box.x0 - 1 or b.x1 > box.x1 + 1 or b.y0 < box.y0 - 1 or b.y1 > box.y1 + 1:
            cut.append(text.get_text())
    return cut


def test_static_charts_cut_no_label(metr):
    import matplotlib.pyplot as plt

    summary, observations = metr
    sie = forecast("sie_published", draws=500).summary
    summaries = {n: forecast(n, draws=300).summary for n in builtin_names()}
    trajectories = {n: s for n, s in summaries.items() if kinds.kind_of(s).name == "trajectory"}
    for fig in (
        plots.class_bars(trajectories),
        plots.fan_chart(summary, observations=observations),
        plots.milestone_cdfs(summary),
        plots.sie_runs(sie),
    ):
        assert _outside(fig) == []
        plt.close(fig)


def test_static_fan_in_words_with_the_data(metr):
    summary, observations = metr
    fig = plots.fan_chart(summary, observations=observations)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "50% task time horizon (human-expert time)"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "8 h" in labels and "2,000 h" in labels
    points = [c for c in ax.collections if c.get_offsets().shape[0] == 25]
    assert len(points) == 1  # the 25 METR points
    band = ax.collections[0].get_facecolor()[0][:3]
    expected = tuple(
        int(style.scenario_colour("metr_trend")[i : i + 2], 16) / 255 for i in (1, 3, 5)
    )
    np.testing.assert_allclose(band, expected, atol=1e-6)


def test_interactive_fan_in_words_with_the_data(metr):
    summary, observations = metr
    fig = interactive.fan_chart(summary, observations=observations)
    observed = [t for t in fig.data if t.name and t.name.startswith("observed")]
    assert len(observed) == 1 and len(observed[0].x) == 25
    assert fig.layout.yaxis.title.text == "50% task time horizon (human-expert time)"
    assert "8 h" in fig.layout.yaxis.ticktext
    median = next(t for t in fig.data if t.name == "median")
    assert median.line.color == style.scenario_colour("metr_trend")
    view = layout.fan_window(summary, observations)
    assert tuple(fig.layout.xaxis.range) == pytest.approx((view.x0, view.x1))


def test_every_builtin_has_its_own_colour_and_keeps_it():
    names = builtin_names()
    colours = [style.scenario_colour(n, names) for n in names]
    assert len(set(colours)) == min(len(names), len(style.PALETTE))
    assert colours[0] == style.PALETTE[0] and colours[1] == style.PALETTE[1]  # by place
    assert style.scenario_colour("my_scenario") == style.scenario_colour("my_scenario", names)
    assert style.rgba("#1f77b4", 0.5) == "rgba(31, 119, 180, 0.5)"


def test_minute_ticks_read_as_durations():
    ticks, labels = style.minute_ticks(0.5, 3e6)
    assert labels == ["1 min", "10 min", "1 h", "8 h", "40 h", "167 h", "2,000 h", "20,000 h"]
    assert ticks[labels.index("8 h")] == 480 and ticks[-1] == 1.2e6
    assert math.isclose(ticks[labels.index("2,000 h")], 120_000)
    assert style.minute_ticks(1.0, 1e30) is None  # a path racing to a blow-up: powers of ten
    result = plotly_parts.minute_axis({"title": {"text": "horizon"}}, 1.0, 1e30)
    assert result["title"]["text"] == "horizon [minutes]" and "tickvals" not in result


def test_sie_figure_puts_each_metric_on_its_windows_curve():
    sie = forecast("sie_published", draws=2000).summary
    fig = interactive.sie_runs(sie)
    metrics = fig.data[-1]
    for x, y, label in zip(metrics.x, metrics.y, metrics.text, strict=True):
        months = float(sie["months"].sel(metric=label))
        curve = next(t for t in fig.data if t.name == f"within {months:g} months")
        k = round(x * 8)  # a metric is a run of k doublings: x = k / 8 years of progress
        assert k == int(sie["doublings"].sel(metric=label))
        assert curve.y[
            list(np.round(np.asarray(curve.x) * 8).astype(int)).index(k)
        ] == pytest.approx(y, abs=1e-6)

"""Sobol indices and tornado swings of scenario forecasts, checked against closed forms.

The analytic scenario is power_law with alpha = 1 (exponential): I(t) = I0 e^(k t), so the
level L is reached at t = ln(L / I0) / k. With I0 and k independent and log-uniform, the
takeoff date is start + X Y with X = ln(L / I0) uniform and Y = 1 / k log-uniform, a product
of independent inputs whose Sobol indices are known exactly:

    V = E[X²] E[Y²] - E[X]² E[Y]²,  S1_X = Var(X) E[Y]² / V,  ST_X = 1 - Var(Y) E[X]² / V.

The takeoff duration from level 1 to 1000 is ln(1000) / k: it does not depend on I0 at all.
"""

import math

import numpy as np
import pandas as pd
import pytest

from takeoff import TakeoffError
from takeoff.cli import main
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.sensitivity import (
    COLUMNS,
    TORNADO_COLUMNS,
    format_tornado,
    sobol,
    tornado_table,
)
from takeoff.forecast.sources import load_posterior_draws

START, L = 2030.0, 1000.0
I_LOW, I_HIGH = 1e-6, 0.1
K_LOW, K_HIGH = 0.5, 2.0


def scenario_text(
    years=50,
    initial=f'{{ dist = "loguniform", low = {I_LOW}, high = {I_HIGH} }}',
    k=f'{{ dist = "loguniform", low = {K_LOW}, high = {K_HIGH} }}',
    extra="",
):
    return f"""
[scenario]
name = "exponential"
family = "power_law"
start = {START}
years = {years}
watch = "I"

[initial]
I = {initial}

[parameters]
k = {k}
alpha = 1.0

[milestones]
human_level = 1.0
strongly_superhuman = {L}
{extra}
"""


def write(tmp_path, text, name="scenario.toml"):
    path = tmp_path / name
    path.write_text(text)
    return load_scenario(path)


def test_parsed_text_and_loaded_file_agree(tmp_path):
    text = scenario_text()
    a = sobol(parse_scenario(text, where="text"), n=32, seed=5)
    b = sobol(write(tmp_path, text), n=32, seed=5)
    pd.testing.assert_frame_equal(a.indices, b.indices)


@pytest.fixture
def exponential(tmp_path):
    return write(tmp_path, scenario_text())


def true_indices():
    """Exact S1, ST of start + X Y: X = ln(L / I0) ~ U[ln(L/I_HIGH), ln(L/I_LOW)], Y = 1/k."""
    x_lo, x_hi = math.log(L / I_HIGH), math.log(L / I_LOW)
    ex, vx = (x_lo + x_hi) / 2, (x_hi - x_lo) ** 2 / 12
    span = math.log(K_HIGH / K_LOW)
    ey = (1 / K_LOW - 1 / K_HIGH) / span
    ey2 = (1 / K_LOW**2 - 1 / K_HIGH**2) / (2 * span)
    vy = ey2 - ey**2
    v = (vx + ex**2) * ey2 - ex**2 * ey**2
    return {
        "initial.I": (vx * ey**2 / v, 1 - vy * ex**2 / v),
        "k": (vy * ex**2 / v, 1 - vx * ey**2 / v),
    }


def test_takeoff_date_indices_match_the_closed_form(exponential):
    """Truth: S1 = 0.232, ST = 0.268 for I0; S1 = 0.732, ST = 0.768 for k. Each estimate must
    lie inside its own 95% interval and within 0.01 of the truth. (Over seeds 0-29 the largest
    error was 0.0023 while the bootstrap half-widths averaged 0.05: the bootstrap assumes
    independent samples and is conservative for the scrambled Sobol design.)"""
    result = sobol(exponential, n=1024, seed=0, outputs=["takeoff_date"])
    truth = true_indices()
    assert list(result.indices.columns) == list(COLUMNS)
    assert sorted(result.indices["parameter"]) == ["initial.I", "k"]
    for row in result.indices.itertuples():
        s1, st = truth[row.parameter]
        assert abs(row.S1 - s1) <= row.S1_conf, (row, s1)
        assert abs(row.ST - st) <= row.ST_conf, (row, st)
        assert abs(row.S1 - s1) < 0.01, (row, s1)
        assert abs(row.ST - st) < 0.01, (row, st)
    assert result.censored == {"takeoff_date": 0.0}
    assert result.evaluations == 1024 * 4
    assert result.caveats == ()


def test_duration_ignores_the_initial_level(exponential):
    """log10 duration = log10(ln 1000) - log10 k: k explains everything, I0 nothing."""
    result = sobol(exponential, n=512, seed=3, outputs=["duration"])
    by = result.indices.set_index("parameter")
    assert by.loc["initial.I", "ST"] < 0.02
    assert abs(by.loc["initial.I", "S1"]) < 0.02
    assert by.loc["k", "ST"] > 0.8
    assert by.loc["k", "S1"] == pytest.approx(1.0, abs=0.02)


def test_additive_log_duration_with_superlinear_returns(tmp_path):
    """FOOM's construction: dI/dt = k I^alpha from I0 = 1, alpha ~ U(1, 2), k log-uniform on
    [1, 100]. The time from 1 to 1000 is g(alpha) / k with g(a) = (1 - 1000^(1 - a)) / (a - 1),
    so log10 duration = log10 g(alpha) - log10 k is additive: S1 = ST, and the truth is
    Var(log10 g(alpha)) and Var(log10 k) = 4 / 12 over their sum (alpha 0.1453, k 0.8547)."""
    from scipy import integrate

    text = scenario_text(years=30, initial="1.0", k='{ dist = "loguniform", low = 1, high = 100 }')
    text = text.replace("alpha = 1.0", 'alpha = { dist = "uniform", low = 1.0, high = 2.0 }')

    def log_g(a):
        return math.log10(math.log(L) if a == 1 else (1 - L ** (1 - a)) / (a - 1))

    mean = integrate.quad(log_g, 1, 2)[0]
    v_alpha = integrate.quad(lambda a: (log_g(a) - mean) ** 2, 1, 2)[0]
    v_k = 4 / 12
    truth = {"alpha": v_alpha / (v_alpha + v_k), "k": v_k / (v_alpha + v_k)}
    result = sobol(write(tmp_path, text), n=512, seed=0, outputs=["duration"])
    for row in result.indices.itertuples():
        for value, conf in ((row.S1, row.S1_conf), (row.ST, row.ST_conf)):
            assert abs(value - truth[row.parameter]) <= conf, (row, truth)
            assert abs(value - truth[row.parameter]) < 0.01, (row, truth)


def test_same_seed_same_indices_and_different_seed_different(exponential):
    a = sobol(exponential, n=256, seed=7)
    b = sobol(exponential, n=256, seed=7)
    c = sobol(exponential, n=256, seed=8)
    pd.testing.assert_frame_equal(a.indices, b.indices)
    assert not np.allclose(a.indices["S1"], c.indices["S1"])
    assert a.format() == b.format()


def test_seed_zero_does_not_use_the_global_rng(exponential):
    """SALib seeds its bootstrap only for a truthy seed; seed 0 must still be reproducible."""
    np.random.seed(1)  # noqa: NPY002 (the legacy global state, deliberately)
    a = sobol(exponential, n=64, seed=0)
    np.random.seed(2)  # noqa: NPY002
    b = sobol(exponential, n=64, seed=0)
    pd.testing.assert_frame_equal(a.indices, b.indices)


def test_censored_share_is_reported(tmp_path):
    """I0 = 1 and a 10-year horizon: 1000 is reached iff k >= ln(1000) / 10, so with k
    log-uniform on [0.5, 2] the share not reached is ln(ln(1000) / 5) / ln 4 = 0.233."""
    scenario = write(tmp_path, scenario_text(years=10, initial="1.0"))
    result = sobol(scenario, n=1024, seed=0)
    expected = math.log(math.log(L) / 10 / K_LOW) / math.log(K_HIGH / K_LOW)
    for output in ("takeoff_date", "duration"):
        assert result.censored[output] == pytest.approx(expected, abs=0.01)
    assert result.notes == {}
    assert "censored at the horizon: 23.3% of runs" in result.format()
    # the only input explains the censored output entirely
    assert result.indices["ST"].to_list() == pytest.approx([1.0, 1.0], abs=0.02)


def test_censored_everywhere_gives_a_note_not_nan(tmp_path):
    scenario = write(tmp_path, scenario_text(years=1, initial="1.0"))
    result = sobol(scenario, n=64, seed=0)
    assert result.indices.empty
    assert result.censored == {"takeoff_date": 1.0, "duration": 1.0}
    assert result.notes == {
        "takeoff_date": "strongly_superhuman is not reached within the horizon (2031) in any "
        "run; extend the scenario's years or lower the milestone",
        "duration": "the takeoff human_level -> strongly_superhuman does not complete within "
        "the horizon (2031) in any run; extend the scenario's years or lower the milestone",
    }
    assert "no indices: strongly_superhuman is not reached" in result.format()
    assert "nan" not in result.format().lower()


def test_constant_output_gives_a_note(tmp_path):
    """k fixed: the duration ln(1000) / k is the same whatever I0; the date still moves."""
    scenario = write(tmp_path, scenario_text(k="1.0"))
    result = sobol(scenario, n=256, seed=0)
    value = math.log10(math.log(L))
    assert result.notes == {
        "duration": f"duration is {value:.6g} in every run; the uncertain inputs do not move it"
    }
    assert result.indices["output"].to_list() == ["takeoff_date"]
    assert result.indices["ST"].iloc[0] == pytest.approx(1.0, abs=0.02)  # the only input


def test_no_uncertain_inputs_is_refused(tmp_path):
    scenario = write(tmp_path, scenario_text(initial="0.01", k="1.0"))
    message = (
        "scenario exponential has no uncertain inputs (every parameter and initial state is a "
        "fixed number); give at least one a distribution or a posterior"
    )
    with pytest.raises(TakeoffError) as err:
        sobol(scenario, n=64)
    assert str(err.value) == message
    with pytest.raises(TakeoffError) as err:
        tornado_table(scenario)
    assert str(err.value) == message


def test_unknown_output_and_bad_n_are_refused(exponential):
    with pytest.raises(TakeoffError) as err:
        sobol(exponential, n=64, outputs=["takeoff_date", "date"])
    assert str(err.value) == "unknown output 'date'; choose one of: takeoff_date, duration"
    with pytest.raises(TakeoffError) as err:
        tornado_table(exponential, output="speed")
    assert str(err.value) == "unknown output 'speed'; choose one of: takeoff_date, duration"
    with pytest.raises(TakeoffError) as err:
        sobol(exponential, n=1000)
    assert str(err.value) == ("n must be a power of 2 of at least 16 (e.g. 512, 1024); got 1000")
    with pytest.raises(TakeoffError, match="seed must be a non-negative integer"):
        sobol(exponential, n=64, seed=-1)


def test_tornado_matches_the_closed_form_and_k_speeds_takeoff(exponential):
    """Medians: I0 = sqrt(I_LOW I_HIGH), k = 1 (log-uniform medians are geometric means);
    date = start + ln(L / I0) / k exactly (milestones are pinned on the closed form)."""

    def date(i0, k):
        return START + math.log(L / i0) / k

    def loguniform_q(lo, hi, q):
        return lo * (hi / lo) ** q

    for qs in [(0.05, 0.95), (0.25, 0.75)]:
        table = tornado_table(exponential, "takeoff_date", quantiles=qs)
        assert list(table.columns) == list(TORNADO_COLUMNS)
        i_med, k_med = math.sqrt(I_LOW * I_HIGH), 1.0
        assert table.attrs["base"] == pytest.approx(date(i_med, k_med), abs=1e-9)
        by = table.set_index("parameter")
        k_lo, k_hi = (loguniform_q(K_LOW, K_HIGH, q) for q in qs)
        assert by.loc["k", "low_value"] == pytest.approx(k_lo)
        assert by.loc["k", "output_at_low"] == pytest.approx(date(i_med, k_lo), abs=1e-9)
        assert by.loc["k", "output_at_high"] == pytest.approx(date(i_med, k_hi), abs=1e-9)
        # larger k: earlier; larger I0: earlier
        assert by.loc["k", "output_at_high"] < table.attrs["base"] < by.loc["k", "output_at_low"]
        assert by.loc["k", "swing"] < 0
        assert by.loc["initial.I", "swing"] < 0
        swings = table["swing"].abs().to_numpy()
        assert np.all(np.diff(swings) <= 0)
        assert table.attrs["censored"] == []
        assert table.attrs["note"] == ""

    duration = tornado_table(exponential, "duration")
    assert duration.attrs["units"] == "log10 yr"
    assert duration.set_index("parameter").loc["initial.I", "swing"] == pytest.approx(0.0, abs=1e-9)
    assert duration["parameter"].to_list() == ["k", "initial.I"]


def test_tornado_censors_and_marks(tmp_path):
    scenario = write(tmp_path, scenario_text(years=10, initial="1.0"))
    table = tornado_table(scenario)
    row = table.iloc[0]
    assert row["output_at_low"] == START + 10  # k at its 5% quantile: not reached in 10 years
    assert table.attrs["censored"] == ["k low"]
    assert "not reached within the horizon: censored at it" in format_tornado(table)


def test_posterior_inputs_use_their_marginals_and_say_so(tmp_path):
    text = scenario_text(
        k='{ posterior = "hardware_trend", variable = "slope", scale = 2.302585 }',
        extra="",
    )
    scenario = write(tmp_path, text)
    draws = load_posterior_draws(scenario.all_sources())["hardware_trend"]["slope"] * 2.302585
    table = tornado_table(scenario).set_index("parameter")
    assert table.loc["k", "low_value"] == pytest.approx(np.quantile(draws, 0.05))
    assert table.loc["k", "high_value"] == pytest.approx(np.quantile(draws, 0.95))
    result = sobol(scenario, n=64, seed=0, outputs=["takeoff_date"])
    assert result.caveats == (
        "posterior inputs (k) are sampled from their marginals: Sobol indices assume "
        "independent inputs, so any posterior correlation is dropped",
    )
    assert "note: posterior inputs (k)" in result.format()


def test_correlations_are_dropped_and_say_so(tmp_path):
    text = scenario_text(extra='[correlations]\npairs = [["k", "alpha", -0.3]]').replace(
        "alpha = 1.0", 'alpha = { dist = "uniform", low = 1.0, high = 1.2 }'
    )
    result = sobol(write(tmp_path, text), n=64, seed=0)
    assert result.caveats == (
        "the scenario's correlations k~alpha (-0.3) are dropped: Sobol indices assume "
        "independent inputs",
    )


def test_tornado_figure(exponential, tmp_path):
    from takeoff.plots import static as plots

    table = tornado_table(exponential)
    fig = plots.tornado(table, title="swings")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith(table["parameter"].iloc[0])
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # first row (largest swing) on top
    assert len(ax.patches) == 2 * len(table)
    assert ax.get_title() == "swings"
    plots.save(fig, tmp_path / "tornado.png")
    assert (tmp_path / "tornado.png").stat().st_size > 0


def test_entry_point_prints_both_tables(tmp_path, capsys):
    path = tmp_path / "exp.toml"
    path.write_text(scenario_text())
    assert main(["sensitivity", str(path), "--n", "32", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Sobol indices for exponential: n = 32 base samples, 128 runs, seed 1" in out
    assert "One-at-a-time swings of takeoff_date [decimal year]" in out
    assert "One-at-a-time swings of duration [log10 yr]" in out
    assert main(["sensitivity", str(path), "--n", "100"]) == 2
    assert capsys.readouterr().err == (
        "error: n must be a power of 2 of at least 16 (e.g. 512, 1024); got 100\n"
    )


def test_doubling_scenarios_are_refused_with_one_line():
    from takeoff import TakeoffError
    from takeoff.forecast.sensitivity import sobol

    with pytest.raises(TakeoffError) as info:
        sobol("sie_published", n=16)
    assert str(info.value) == (
        "scenario sie_published is a sie_doublings recursion, which has no milestones or "
        "takeoff date to analyse; sensitivity takes the ODE-family scenarios"
    )


def test_groups_by_source_split_data_from_assumptions():
    """Two groups of inputs: posterior draws (data) and distributions (assumptions), with
    indices per group; a scenario with one kind only is refused with one line."""
    from takeoff.forecast.sensitivity import source_group
    from takeoff.forecast.sources import FromDistribution, FromPosterior, Transform
    from takeoff.models.distributions import Distribution

    assert source_group(FromPosterior("compute_trend", "slope", Transform())) == "data"
    assert source_group(FromDistribution(Distribution("normal", mu=0.0, sigma=1.0))) == (
        "assumption"
    )
    sc = load_scenario("metr_trend")
    with pytest.raises(TakeoffError, match=r"every uncertain input is identified by data"):
        sobol(sc, n=16, by="source")
    with pytest.raises(TakeoffError, match=r"^by must be 'parameter' or 'source'; got 'x'$"):
        sobol(sc, n=16, by="x")
    grouped = sobol("software_explosion", n=64, seed=1, by="source")
    rows = grouped.indices[grouped.indices["output"] == "takeoff_date"].set_index("parameter")
    assert set(rows.index) == {"data", "assumption"}
    # software_explosion's data inputs are the hardware growth and the returns (beta, lambda
    # from the LM path with compute in R, r wide: 0.4 to 4.9); its assumptions are rho, research
    # productivity, AI labour and the ceiling. Either group may carry more of the date's
    # variance; the indices are shares of it: each in [0, 1] within its interval, and the two
    # totals together cover at least the whole variance (interactions count in both)
    lo = rows["ST"] - rows["ST_conf"]
    assert ((lo <= 1.0) & (rows["ST"] + rows["ST_conf"] >= 0.0)).all()
    assert rows["ST"].sum() + rows["ST_conf"].sum() >= 1.0


# --- groups by pick-freeze, each posterior drawn jointly ---------------------------------------


def _correlated_design(n, seed, joint=True):
    """A and B: x1, x2 from one "posterior" (x2 = x1 + 0.1 noise, correlation 0.995) and z
    from a prior; ``joint=False`` draws x2 independently of x1 (its marginal only)."""
    from takeoff.forecast.group_sobol import design

    rng = np.random.default_rng(seed)

    def draws():
        x1 = rng.standard_normal(n)
        x2 = x1 + 0.1 * rng.standard_normal(n)
        if not joint:
            x2 = rng.permutation(x2)  # the same marginal, the correlation broken
        return {"x1": x1, "x2": x2, "z": rng.standard_normal(n)}

    groups = {"x1": "data", "x2": "data", "z": "assumption"}
    return design(draws(), draws(), groups, ["data", "assumption"])


def test_group_indices_keep_a_posteriors_correlation():
    """Y = x1 - x2 + z with x1, x2 strongly correlated in one posterior: Var(x1 - x2) = 0.01,
    Var(z) = 1, so exactly S_data = ST_data = 0.01 / 1.01 and S_assumption = ST_assumption =
    1 / 1.01. Drawn jointly the estimator finds them; drawn from the marginals x1 - x2 has
    variance 2 and the data would take two thirds of the variance."""
    from takeoff.forecast.group_sobol import group_indices

    n, order = 16384, ["data", "assumption"]
    cols = _correlated_design(n, seed=3)
    y = cols["x1"] - cols["x2"] + cols["z"]
    rows = {r[0]: r[1:] for r in group_indices(y, n, order, np.random.default_rng(0))}
    exact = {"data": 0.01 / 1.01, "assumption": 1 / 1.01}
    for g in order:
        s1, s1_conf, st, st_conf = rows[g]
        tol = 0.01 if g == "data" else 0.05
        assert s1 == pytest.approx(exact[g], abs=tol)
        assert st == pytest.approx(exact[g], abs=tol)
        assert 0 < s1_conf < 0.1 and 0 < st_conf < 0.1
        assert s1 == pytest.approx(st, abs=tol)  # additive: first order = total
    marginal = _correlated_design(n, seed=3, joint=False)
    y = marginal["x1"] - marginal["x2"] + marginal["z"]
    rows = {r[0]: r[1:] for r in group_indices(y, n, order, np.random.default_rng(0))}
    assert rows["data"][0] == pytest.approx(2 / 3, abs=0.05)  # the inflated data share
    assert rows["data"][0] > 0.5


def test_group_indices_with_an_interaction():
    """Y = (1 + x1 / 2) z: V = 1.25, S_x = 0, ST_x = 0.2, S_z = 0.8, ST_z = 1; first order
    never exceeds total beyond the interval."""
    from takeoff.forecast.group_sobol import group_indices

    n, order = 16384, ["data", "assumption"]
    cols = _correlated_design(n, seed=4)
    y = (1 + cols["x1"] / 2) * cols["z"]
    rows = {r[0]: r[1:] for r in group_indices(y, n, order, np.random.default_rng(0))}
    exact = {"data": (0.0, 0.2), "assumption": (0.8, 1.0)}
    for g in order:
        s1, s1_conf, st, st_conf = rows[g]
        assert s1 == pytest.approx(exact[g][0], abs=0.05)
        assert st == pytest.approx(exact[g][1], abs=0.05)
        assert s1 <= st + s1_conf + st_conf


def test_joint_draws_are_the_forecasts_draws_with_whole_posterior_draws():
    """A is the forecast's first draws with the seed, B the next ones; every row takes all the
    variables of a fit from one of its posterior draws."""
    from takeoff.forecast.group_sobol import joint_draws
    from takeoff.forecast.sources import FromPosterior, draw_block

    sc = load_scenario("software_explosion")
    n = 64
    a, b = joint_draws(sc, n, seed=5)
    sources = sc.all_sources()
    posteriors = load_posterior_draws(sources)
    first = draw_block(sources, sc.correlations, posteriors, 5, 0)
    for key in sources:
        np.testing.assert_array_equal(a[key], first[key][:n])
        assert len(b[key]) == n
    fits = {}
    for key, src in sources.items():
        if isinstance(src, FromPosterior):
            fits.setdefault(src.source, []).append(key)
    assert any(len(keys) > 1 for keys in fits.values())
    for fit, keys in fits.items():
        table = np.column_stack(
            [sources[k].transform(posteriors[fit][sources[k].variable]) for k in keys]
        )
        whole = {tuple(row) for row in table}
        for rows in (a, b):
            assert all(tuple(r) in whole for r in np.column_stack([rows[k] for k in keys]))
    assert not np.array_equal(a[next(iter(fits.values()))[0]], b[next(iter(fits.values()))[0]])


def test_groups_say_posterior_draws_are_kept_joint():
    grouped = sobol("software_explosion", n=32, seed=0, by="source")
    assert grouped.evaluations == 32 * 4
    assert "posterior draws kept joint within each fit" in grouped.format()
    assert set(grouped.censored) == {"takeoff_date", "duration", "hard_or_fast"}
    plain = sobol("software_explosion", n=16, seed=0)
    assert set(plain.censored) == {"takeoff_date", "duration"}

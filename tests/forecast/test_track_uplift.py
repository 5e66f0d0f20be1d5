"""The uplift measurements in the track record and the slot of the joint loop fit: the held-out
rows are measurements only, the measurement model's predictive against closed forms (a normal
case by hand; the Student-t mixture against scipy), the loop's implied uplift against its
closed form at the start, the no-uplift baseline's row, and the joint fit skipped when it is
not registered and scored (on a stated stub posterior, against the no-feedback closed form)
when it is."""

import math

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from takeoff.data.ai_uplift import load_uplift
from takeoff.forecast import scoring, track_joint
from takeoff.forecast import track_context as tc
from takeoff.forecast import track_record as tr
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.track_models import MODELS
from takeoff.forecast.track_uplift import loop_log_uplift, prior_noise, uplift_predictive
from takeoff.models import uplift

BY_NAME = {m.name: m for m in MODELS}


def test_only_measurements_are_held_out_never_anchors_or_model_outputs():
    frame = load_uplift()
    held = tc.held_out(tc.UPLIFT, 2022.0)
    measured = frame[frame["role"] == "measurement"]
    assert sorted(held.extra["id"]) == sorted(measured["id"])
    assert not set(held.extra["id"]) & set(frame.loc[frame["role"] != "measurement", "id"])
    assert not set(held.extra["kind"]) & {"forecaster_anchor", "model_output"}
    assert "aifm_q25_uplift" not in set(held.extra["id"])  # the forecaster's anchor
    # dated at or after the origin; sd from the reported 95% interval, 0 where none is given
    late = tc.held_out(tc.UPLIFT, 2025.5)
    assert (late.dates >= 2025.5).all() and late.n == int((measured["date"] >= 2025.5).sum())
    row = list(held.extra["id"]).index("rct2025")
    assert held.observed[row] == pytest.approx(math.log(0.84))
    assert held.sigma[row] == pytest.approx((math.log(0.98) - math.log(0.719)) / 3.92)
    assert held.sigma[list(held.extra["id"]).index("metr_survey_now_2026")] == 0.0


def test_a_normal_case_scores_as_its_closed_form():
    """One draw, df = inf: the predictive of rct2025 is N(ln U + b, s^2 + sigma_u^2)."""
    held = tc.held_out(tc.UPLIFT, 2025.0)
    i = list(held.extra["id"]).index("rct2025")
    one = tc.HeldOut(tc.UPLIFT, held.dates[[i]], held.observed[[i]], held.sigma[[i]])
    log_u, b, sigma_u = 0.1, -0.1, 0.2  # the location is exactly 0
    pred = uplift_predictive(np.full((1, 1), log_u), np.full((1, 1), b), [[sigma_u]],
                             one.sigma, df=math.inf)  # fmt: skip
    s = (math.log(0.98) - math.log(0.719)) / 3.92
    sd = math.sqrt(sigma_u**2 + s**2)
    y = math.log(0.84)
    lpd = -0.5 * math.log(2 * math.pi * sd**2) - y**2 / (2 * sd**2)  # by hand
    z = y / sd
    phi, cdf = math.exp(-z * z / 2) / math.sqrt(2 * math.pi), 0.5 * (1 + math.erf(z / 2**0.5))
    crps = sd * (z * (2 * cdf - 1) + 2 * phi - 1 / math.sqrt(math.pi))  # Gneiting & Raftery
    rows = tr.score_points(2025.0, "x", one, pred, np.random.default_rng(0))
    assert rows["lpd"].iloc[0] == pytest.approx(lpd, abs=1e-12)
    elpd, _ = scoring.elpd(rows["lpd"].to_numpy())
    assert elpd == pytest.approx(lpd, abs=1e-12)
    # from 4000 samples: the fair estimator's sd is ~1% of the CRPS here
    assert rows["crps"].iloc[0] == pytest.approx(crps, rel=0.05)
    assert rows["pit"].iloc[0] == pytest.approx(cdf, abs=0.03)


def test_the_student_t_mixture_density_is_scipys():
    log_u = np.array([[0.0, 0.3], [0.2, 0.5], [0.1, 0.0]])
    bias = np.array([[-0.1, 0.4], [0.0, 0.2], [-0.2, 0.6]])
    scatter = np.array([[0.1], [0.3], [0.2]])
    sigma = np.array([0.05, 0.0])
    y = np.array([math.log(0.84), math.log(2.0)])
    pred = uplift_predictive(log_u, bias, scatter, sigma)
    scale = np.sqrt(scatter**2 + sigma[None, :] ** 2)
    dens = stats.t.pdf(y[None, :], df=5, loc=log_u + bias, scale=scale)
    np.testing.assert_allclose(scoring.log_density(pred, y), np.log(dens.mean(0)), rtol=1e-10)


def test_prior_noise_shares_a_kinds_bias_and_follows_its_prior():
    kinds = ["rct", "self_report", "rct", "telemetry"]
    bias, scatter = prior_noise(kinds, 20000, np.random.default_rng(1))
    assert bias.shape == (20000, 4) and scatter.shape == (20000, 1)
    np.testing.assert_array_equal(bias[:, 0], bias[:, 2])  # one bias per kind and draw
    for col, kind in ((0, "rct"), (1, "self_report"), (3, "telemetry")):
        prior = uplift.BIASES[kind][0].params
        # the mean within 5 standard errors of the prior's
        assert abs(bias[:, col].mean() - prior["mu"]) < 5 * prior["sigma"] / math.sqrt(20000)
        assert bias[:, col].std() == pytest.approx(prior["sigma"], rel=0.03)
    # half-normal(0.3): mean 0.3 sqrt(2/pi)
    assert scatter.mean() == pytest.approx(0.3 * math.sqrt(2 / math.pi), rel=0.03)
    assert (scatter > 0).all()


@pytest.fixture(scope="module")
def loop_run():
    from takeoff.forecast.monte_carlo import forecast

    return forecast("takeoff_from_data", draws=200, seed=0, keep_draws=True)


def test_the_loops_uplift_at_its_start_is_its_closed_form(loop_run):
    """At the start S = S_ai = 1: R = L0 + A_ai / (1 + (H_half/H0)^(1/w)), U = R^lambda."""
    d = loop_run.draws
    start = float(d["time"].values[0])
    log_u = loop_log_uplift(loop_run.scenario, d, np.array([start, start + 0.3]))
    a = 1 / (1 + (d["H_half"].values / d["H0"].values) ** (1 / d["w"].values))
    expected = d["lambda"].values * np.log1p(d["A_ai"].values * a / d["L0"].values)
    np.testing.assert_allclose(log_u[:, 0], expected, rtol=1e-6, atol=1e-12)
    assert (log_u >= 0).all()  # U >= 1: AI labour only adds research input


def test_without_feedback_the_loops_uplift_is_one_to_rounding(loop_run):
    d = loop_run.draws.copy()
    d["A_ai"] = d["A_ai"] * 0.0
    log_u = loop_log_uplift(loop_run.scenario, d, np.array([2026.0, 2026.2]))
    np.testing.assert_allclose(log_u, 0.0, atol=1e-12)
    with_ai = loop_log_uplift(loop_run.scenario, loop_run.draws, np.array([2026.2]))
    assert np.median(with_ai) > 1e-3  # the labelled priors put some AI labour in at the start


def _baseline_only(monkeypatch, registered: bool):
    """The track record at 2025 of the joint fit and the no-uplift baseline (no refit: the
    baseline needs none; the joint fit's refit is a stub, see below)."""
    from takeoff.models.fits import registry

    fits = dict(registry.FITS)
    if registered:
        from takeoff.models.fits.research_loop_fit import RESEARCH_LOOP_FIT

        fits["research_loop"] = RESEARCH_LOOP_FIT
    else:
        fits.pop("research_loop", None)
    monkeypatch.setattr(registry, "FITS", fits)
    models = (BY_NAME["joint_loop_fit"], BY_NAME["no_uplift"])
    return tr.run_track_record("takeoff_from_data", [2025.0], tc.Settings(forecast_draws=400),
                               models=models)  # fmt: skip


def test_the_joint_fit_is_listed_and_skipped_when_not_registered(monkeypatch):
    record = _baseline_only(monkeypatch, registered=False)
    assert track_joint.missing() == "the joint fit is not shipped"
    assert record.meta["not_available"] == "joint_loop_fit: the joint fit is not shipped"
    assert set(record.points["model"]) == {"no_uplift"}
    assert "not available: the joint fit is not shipped" in record.format()
    # the baseline's row: every measurement after 2025, the reference of its series
    held = tc.held_out(tc.UPLIFT, 2025.0)
    s = record.scores().set_index(["series", "model", "origin"])
    row = s.loc[(tc.UPLIFT, "no_uplift", "2025")]
    assert row["n"] == held.n == 8
    assert math.isnan(row["elpd_vs_ref"]) or row["elpd_vs_ref"] == 0.0
    assert np.isfinite(row["elpd"]) and np.isfinite(row["crps"])


def _stub_posterior(n=40, seed=0):
    """A research_loop posterior with AI labour off (A_ai = 0, no ceiling): the loop's path is
    then the Jones law with human labour only, whose closed form is known. A stub of the
    fit's output (its variable names), not the fit."""
    rng = np.random.default_rng(seed)
    v = {
        "g_S": rng.uniform(0.5, 0.9, n), "beta": rng.uniform(0.2, 0.5, n),
        "lambda": rng.uniform(0.5, 0.9, n), "g_L": rng.uniform(0.2, 0.4, n),
        "g_C": rng.uniform(1.3, 1.6, n), "log10_C0": np.full(n, 26.5),
        "H0": rng.uniform(200, 600, n), "gamma": np.full(n, 0.17), "kappa": np.full(n, 3.0),
        "dkappa": np.zeros(n), "log_E_change": np.zeros(n), "nu_size": np.full(n, 0.5),
        "A_ai": np.zeros(n), "H_half": np.full(n, 1e4), "w": np.ones(n), "rho": np.full(n, 0.5),
        "S_max": np.full(n, np.inf), "g_I": np.full(n, 0.9), "scatter_h": np.full(n, 0.5),
        "nu_h": np.full(n, 10.0), "scatter_c": np.full(n, 0.3), "nu_c": np.full(n, 5.0),
        "scatter_u": np.full(n, 0.3), "b_rct": rng.normal(-0.1, 0.2, n),
        "b_self_report": rng.normal(0.35, 0.25, n), "b_telemetry": rng.normal(0.7, 0.5, n),
    }  # fmt: skip
    post = xr.Dataset({k: (("chain", "draw"), x[None, :]) for k, x in v.items()})
    post.attrs.update({"const_t_ref": 2026.0, "const_log_K": math.log(1e4),
                       "fit_name": "research_loop"})  # fmt: skip
    return post


def test_the_joint_fit_is_scored_when_registered(monkeypatch):
    """With research_loop registered, each origin refits it (here a stub, recorded) and its
    forecasts follow the loop's path both ways from its 2026 start: with A_ai = 0, ln S =
    ln(1 + beta g_S (e^(lambda g_L tau) − 1) / (lambda g_L)) / beta, ln H = ln H0 + kappa gamma
    (ln S + g_C tau), and the uplift is the bias of each row's kind alone."""
    from types import SimpleNamespace

    post = _stub_posterior()
    asked = []

    def fit(self, name, fixed=None):
        asked.append((self.origin, name))
        return SimpleNamespace(posterior=post)

    monkeypatch.setattr(tc.Origin, "fit", fit)
    record = _baseline_only(monkeypatch, registered=True)
    assert record.meta["not_available"] == "none"
    assert set(asked) == {(2025.0, "research_loop")}
    pts = record.points.set_index(["series", "model"])
    assert set(pts.loc[tc.METR].index) == {"joint_loop_fit"}
    ctx = SimpleNamespace(fit=lambda name: SimpleNamespace(posterior=post),
                          settings=tc.Settings(), index=0)  # fmt: skip
    held = tc.held_out(tc.METR, 2025.0)
    loc = track_joint.horizons(ctx, held).loc
    g = {k: post[k].values.reshape(-1)[:, None] for k in post.data_vars}
    tau = held.dates[None, :] - 2026.0
    bracket = 1 + g["beta"] * g["g_S"] * np.expm1(g["lambda"] * g["g_L"] * tau) / (
        g["lambda"] * g["g_L"]
    )
    log_s = np.log(bracket) / g["beta"]
    expected = np.log(g["H0"]) + g["kappa"] * g["gamma"] * (log_s + g["g_C"] * tau)
    assert (tau < 0).any()  # held-out dates before the fit's start: the path run backwards
    np.testing.assert_allclose(loc, expected, atol=1e-6)  # RK4 at 1/24 yr
    up = tc.held_out(tc.UPLIFT, 2025.0)
    u = track_joint.uplift(ctx, up)
    kinds = list(up.extra["kind"])
    np.testing.assert_allclose(u.loc, np.stack([g[f"b_{k}"][:, 0] for k in kinds], axis=1))
    c = track_joint.compute(ctx, tc.held_out(tc.COMPUTE, 2025.0))
    assert np.isfinite(c.loc).all() and (c.scale == 0.3).all()


def test_the_joint_refit_is_shared_only_by_origins_with_the_same_rows_of_every_series(
    monkeypatch,
):
    """Its key counts the compute rows and uplift measurements before the origin too: two
    origins with the same METR rows but a new uplift measurement between them do not share."""
    from takeoff.models.fits import registry
    from takeoff.models.fits.research_loop_fit import RESEARCH_LOOP_FIT

    monkeypatch.setattr(registry, "FITS", {**registry.FITS, "research_loop": RESEARCH_LOOP_FIT})
    sc = load_scenario("takeoff_from_data")
    key = {o: tc.Origin(o, sc, tc.Settings(), 0, None).training_key("research_loop")
           for o in (2025.0, 2025.25, 2025.5)}  # fmt: skip
    assert "+uplift@0" in key[2025.0] and "+uplift@1" in key[2025.25]
    assert "+uplift@2" in key[2025.5] and len(set(key.values())) == 3


@pytest.mark.slow
def test_the_real_joint_fit_refitted_before_2025_forecasts_every_series(monkeypatch, tmp_path):
    """The slot with the real research_loop fit (a tiny, unconverged refit: wiring, not a
    score; ~6 min on 2 shared cores with its upstream refits). The reduced version CI runs is
    the stub test above."""
    from takeoff.models.fits import registry
    from takeoff.models.fits.research_loop_fit import RESEARCH_LOOP_FIT

    monkeypatch.setattr(registry, "FITS", {**registry.FITS, "research_loop": RESEARCH_LOOP_FIT})
    settings = tc.Settings(draws=100, tune=150, chains=2, forecast_draws=500)
    ctx = tc.Origin(2025.0, load_scenario("takeoff_from_data"), settings, 0, tmp_path)
    for series, predict in (
        (tc.METR, track_joint.horizons),
        (tc.COMPUTE, track_joint.compute),
        (tc.UPLIFT, track_joint.uplift),
    ):
        held = tc.held_out(series, 2025.0)
        pred = predict(ctx, held)
        assert pred.n == held.n and np.isfinite(pred.loc).all(), series
        assert np.isfinite(scoring.log_density(pred, held.observed)).all(), series

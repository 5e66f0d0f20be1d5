"""The models a rolling-origin backtest scores, one entry each: a name, a label and, per series
it predicts, a function (origin context, held-out points) -> ``Predictive`` (a Student-t
mixture over posterior or forecast draws; see ``scoring``).

Adding a model is one more ``Model`` in ``MODELS``: its predictors refit what they need through
``Origin.fit`` (on the data before the origin) and return the predictive at the held-out dates;
the engine scores it on the same points as every other model, and a new series is one more
``track_context.held_out`` branch. A model whose ``missing`` returns a reason is listed as not
available and skipped: the joint loop fit ``research_loop`` (``track_joint``) until it is in the
fit registry. A model that predicts nothing of a series has no row for it (never a zero score):
the METR trends, loss-to-horizon and the compute trend say nothing about uplift.

The uplift measurements (``track_uplift``) are predicted by the loop with and without feedback
and by the baseline "no uplift" (U = 1), each under the measurement model's bias and scatter
priors (``takeoff.models.uplift``), the same draws for all three.

Every predictive is the fit's own: the law's value at each draw plus the fit's observation
noise (Student-t with its posterior scatter and nu; for METR also each point's reported
measurement sd, as in the horizon fits' likelihood). The loop's noise is that of the fits its
links are (``effective_readout`` for horizons, ``compute_trend`` for compute), drawn at random
posterior draws, the same for the loop with and without feedback so that their difference is
the trajectories'.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from takeoff.forecast import track_joint
from takeoff.forecast.scoring import Predictive
from takeoff.forecast.track_context import COMPUTE, LM, LN_CAP, METR, UPLIFT, HeldOut, Origin

Predictor = Callable[[Origin, HeldOut], Predictive]


@dataclass(frozen=True)
class Model:
    """One model of the track record: ``predicts`` maps each series it forecasts to its
    predictor; ``missing`` (if given) says why the model cannot run now (None: it can)."""

    name: str
    label: str
    predicts: dict[str, Predictor] = field(default_factory=dict)
    missing: Callable[[], str | None] | None = None

    def unavailable(self) -> str | None:
        """Why this model is skipped (None: it runs)."""
        return None if self.missing is None else self.missing()


def _finite_log(values) -> np.ndarray:
    """ln-scale values with blown-up (inf/NaN) draws placed at the cap."""
    v = np.asarray(values, float)
    return np.clip(np.where(np.isnan(v), LN_CAP, v), -LN_CAP, LN_CAP)


def _col(values) -> np.ndarray:
    v = np.asarray(values, float)
    return v.reshape(-1, 1) if v.ndim else v


def loop_horizons(feedback: bool) -> Predictor:
    def predict(ctx: Origin, held: HeldOut) -> Predictive:
        d = ctx.loop(feedback).draws
        t = d["time"].values
        with np.errstate(divide="ignore"):
            log_h = _finite_log(np.log(d[ctx.scenario.watch].values))
        loc = np.stack([np.interp(held.dates, t, row) for row in log_h])
        scatter, nu = ctx.noise(ctx.fit("effective_readout"), loc.shape[0], salt=1)
        return Predictive(loc, np.sqrt(scatter**2 + held.sigma[None, :] ** 2), nu)

    return predict


def loop_compute(feedback: bool) -> Predictor:
    """The loop's physical compute C0 e^(g_C (t − origin)), log10, with compute_trend's noise."""

    def predict(ctx: Origin, held: HeldOut) -> Predictive:
        d = ctx.loop(feedback).draws
        tau = held.dates[None, :] - ctx.origin
        loc = np.log10(_col(d["C0"].values)) + _col(d["g_C"].values) * tau / math.log(10.0)
        scale, nu = ctx.noise(ctx.fit("compute_trend"), loc.shape[0], salt=2)
        return Predictive(loc, scale, nu)

    return predict


def _uplift_noise(ctx: Origin, held: HeldOut, draws: int):
    """The bias and scatter prior draws at an origin: the same for every uplift model there."""
    from takeoff.forecast.track_uplift import NOISE_SALT, prior_noise

    rng = np.random.default_rng([ctx.settings.seed, ctx.index, NOISE_SALT])
    return prior_noise(held.extra["kind"], draws, rng)


def loop_uplift(feedback: bool) -> Predictor:
    """The loop's implied uplift (R/R_human)^lambda at each measurement's date, times its kind's
    bias, with the measurement model's scatter (``track_uplift``)."""

    def predict(ctx: Origin, held: HeldOut) -> Predictive:
        from takeoff.forecast.track_uplift import loop_log_uplift, uplift_predictive

        run = ctx.loop(feedback)
        log_u = loop_log_uplift(run.scenario, run.draws, held.dates)
        bias, scatter = _uplift_noise(ctx, held, log_u.shape[0])
        return uplift_predictive(log_u, bias, scatter, held.sigma)

    return predict


def no_uplift(ctx: Origin, held: HeldOut) -> Predictive:
    """The baseline: U = 1 at every date, under the same biases and scatter as the loop."""
    from takeoff.forecast.track_uplift import uplift_predictive

    bias, scatter = _uplift_noise(ctx, held, ctx.settings.forecast_draws)
    return uplift_predictive(np.zeros_like(bias), bias, scatter, held.sigma)


def horizon_fit(name: str, fixed: dict[str, float] | None = None) -> Predictor:
    """A horizon-family fit (``horizon_dynamics``, ``horizon_readout``) refitted before the
    origin, carried forward by the family's law from its reference date."""

    def predict(ctx: Origin, held: HeldOut) -> Predictive:
        from takeoff.models.fits import get_fit
        from takeoff.models.fits.reading import family_draws
        from takeoff.models.horizon import log_horizon

        idata = ctx.fit(name, fixed)
        params, initial, start = family_draws(idata.posterior, get_fit(name))
        h = _col(initial["H"])
        with np.errstate(all="ignore"):
            loc = log_horizon(
                held.dates[None, :] - start,
                np.log(h),
                _col(params["T0"]),
                _col(params["H0"]),
                _col(params["eps"]),
            )
        loc = _finite_log(np.broadcast_to(loc, (h.shape[0], held.n)))
        post = idata.posterior
        scatter = _col(post["scatter"].values.reshape(-1))
        nu = _col(post["nu"].values.reshape(-1))
        return Predictive(loc, np.sqrt(scatter**2 + held.sigma[None, :] ** 2), nu)

    return predict


def compute_trend(ctx: Origin, held: HeldOut) -> Predictive:
    """The log-linear compute trend refitted before the origin."""
    from takeoff.models import trend

    post = ctx.fit("compute_trend").posterior
    level, slope = (_col(post[v].values.reshape(-1)) for v in ("level", "slope"))
    loc = trend.log10_value(held.dates[None, :] - float(post.attrs["const_t_ref"]), level, slope)
    return Predictive(loc, _col(post["sigma"].values.reshape(-1)), _col(post["nu"].values))


def lm_progress(ctx: Origin, held: HeldOut) -> Predictive:
    """The algorithmic_progress fit refitted before the origin at the held-out LM rows."""
    from takeoff.forecast.loop_backtest import lm_predictive_parts

    loc, sigma, nu = lm_predictive_parts(ctx.fit("algorithmic_progress"), held.extra)
    return Predictive(loc, sigma, nu)


MODELS: tuple[Model, ...] = (
    Model(
        "loop",
        "the loop, AI feedback on (takeoff_from_data)",
        {METR: loop_horizons(True), COMPUTE: loop_compute(True), UPLIFT: loop_uplift(True)},
    ),
    Model(
        "loop_no_feedback",
        "the loop, AI feedback off (A_ai = 0)",
        {METR: loop_horizons(False), COMPUTE: loop_compute(False), UPLIFT: loop_uplift(False)},
    ),
    Model(
        "joint_loop_fit",
        "the loop fitted as one posterior (research_loop, refitted at each origin)",
        {
            METR: track_joint.horizons,
            COMPUTE: track_joint.compute,
            UPLIFT: track_joint.uplift,
        },
        missing=track_joint.missing,
    ),
    Model(
        "exponential_trend",
        "exponential METR trend (horizon_dynamics, eps = 0)",
        {METR: horizon_fit("horizon_dynamics", {"eps": 0.0})},
    ),
    Model(
        "superexponential_trend",
        "superexponential METR trend (horizon_dynamics, free eps)",
        {METR: horizon_fit("horizon_dynamics")},
    ),
    Model(
        "loss_to_horizon",
        "loss-to-horizon read-out on physical compute (horizon_readout)",
        {METR: horizon_fit("horizon_readout")},
    ),
    Model("compute_trend", "log-linear compute trend (compute_trend)", {COMPUTE: compute_trend}),
    Model(
        "algorithmic_progress",
        "algorithmic_progress: the loop's LM link (the same with feedback on or off)",
        {LM: lm_progress},
    ),
    Model(
        "no_uplift",
        "no uplift (U = 1) under the measurement model's biases and scatter",
        {UPLIFT: no_uplift},
    ),
)
# skill is measured against
REFERENCE = {METR: "exponential_trend", COMPUTE: "compute_trend", UPLIFT: "no_uplift"}
FEEDBACK_PAIR = ("loop", "loop_no_feedback")

"""The joint loop fit (``research_loop``: the loop fitted as ONE posterior to METR horizons,
frontier compute and the uplift measurements) as a track-record model.

When ``research_loop`` is in the fit registry, each origin refits it on the data before the
origin (``Origin.fit``: ``FitOptions(until=origin)``) and forecasts from it: its posterior read
as the research_loop family's parameters at the fit's start (its ``FamilyLink``), the loop's
ln S path integrated from the start BOTH WAYS to the held-out dates (RK4 on the family's own
vector field, ``STEP`` years: the fit's path runs both ways from its start, 2026, so a held-out
date may lie before it), and the fit's own observation noise:

- METR horizons: ln H from the family's read-out, Student-t with ``scatter_h``, ``nu_h`` and the
  row's reported sd (the fit's horizon likelihood);
- frontier compute: log10 C0 + g_C tau / ln 10 with ``scatter_c``, ``nu_c``;
- uplift: ln U = lambda (ln R − ln R_human) plus the posterior bias ``b_<kind>`` (its prior where
  the fit has none), ``scatter_u`` and the row's sd, nu = 5 (``track_uplift``).

When it is not registered (not shipped: the sampler did not converge), ``missing`` says so and
the engine lists the model as not available and skips it.
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.forecast.scoring import Predictive
from takeoff.forecast.track_context import JOINT as FIT

STEP = 1 / 24  # RK4 step of the path [years] (the fit's own is 1/4: finer here)
NOT_SHIPPED = "the joint fit is not shipped"


def missing() -> str | None:
    """Why the joint fit cannot be scored (None when it is in the fit registry)."""
    from takeoff.models.fits.registry import FITS

    return None if FIT in FITS else NOT_SHIPPED


def _draws(post, name: str) -> np.ndarray:
    return post[name].values.reshape(-1).astype(float)


def log_path(params, initial, start: float, dates) -> np.ndarray:
    """ln S (draws, n) of the research_loop family at ``dates`` from ``params`` (draws,) and
    the ``initial`` state S at ``start`` (1 when not given: the family's unit), integrated by
    RK4 from the start backwards to the earlier dates and forwards to the later ones, through
    each date exactly, in equal steps of at most ``STEP`` years between consecutive dates."""
    from takeoff.models.family import resolve_parameters
    from takeoff.models.integrate import integrate_fixed
    from takeoff.models.registry import get_family

    family = get_family("research_loop")
    n = np.size(next(iter(params.values())))
    p = resolve_parameters(family, params, n)
    p_run = {**p, **family.prepare(p)}
    log_y0 = np.log(np.broadcast_to(np.asarray(initial.get("S", 1.0), float), (n,)))[:, None]
    tau = np.asarray(dates, float) - start
    out = np.zeros((n, tau.size))  # ln S = ln S0 at the start itself
    out[:] = log_y0
    for sign in (-1.0, 1.0):
        ahead = np.unique(np.abs(tau[np.sign(tau) == sign]))
        if ahead.size == 0:
            continue
        grid = sign * np.r_[0.0, ahead]  # away from the start, in the direction of time run
        substeps = max(1, math.ceil(np.diff(np.abs(grid)).max() / STEP - 1e-9))
        states = integrate_fixed(family.growth_rate, grid, log_y0, p_run, substeps=substeps)
        log_s = np.log(states.states[0])
        for k, value in enumerate(grid[1:], start=1):
            out[:, tau == value] = log_s[:, [k]]
    return out


def _family(ctx):
    """(posterior, the family's parameters with its defaults filled (draws,), initial state,
    start date) of the joint fit refitted before the origin."""
    from takeoff.models.family import resolve_parameters
    from takeoff.models.fits import get_fit
    from takeoff.models.fits.reading import family_draws
    from takeoff.models.registry import get_family

    post = ctx.fit(FIT).posterior
    params, initial, start = family_draws(post, get_fit(FIT))
    n = post.sizes.get("chain", 1) * post.sizes.get("draw", 1)
    return post, resolve_parameters(get_family("research_loop"), params, n), initial, start


def _derived(name: str, log_s, params, tau) -> np.ndarray:
    from takeoff.models.registry import get_family

    family = get_family("research_loop")
    d = next(d for d in family.derived if d.name == name)
    return d.log_value(log_s[None, :, :], params, tau)


def horizons(ctx, held) -> Predictive:
    post, params, initial, start = _family(ctx)
    log_s = log_path(params, initial, start, held.dates)
    loc = _derived("H", log_s, params, held.dates[None, :] - start)
    scatter, nu = _draws(post, "scatter_h")[:, None], _draws(post, "nu_h")[:, None]
    return Predictive(loc, np.sqrt(scatter**2 + held.sigma[None, :] ** 2), nu)


def compute(ctx, held) -> Predictive:
    post, params, _, start = _family(ctx)
    tau = held.dates[None, :] - start
    loc = np.log10(params["C0"])[:, None] + params["g_C"][:, None] * tau / math.log(10.0)
    return Predictive(loc, _draws(post, "scatter_c")[:, None], _draws(post, "nu_c")[:, None])


def uplift(ctx, held) -> Predictive:
    from takeoff.forecast.track_uplift import prior_noise, uplift_predictive
    from takeoff.models.uplift import KINDS, kind_codes

    post, params, initial, start = _family(ctx)
    log_s = log_path(params, initial, start, held.dates)
    tau = held.dates[None, :] - start
    log_r = _derived("R", log_s, params, tau)
    log_human = np.log(params["L0"])[:, None] + params["g_L"][:, None] * tau
    log_u = np.maximum(params["lambda"][:, None] * (log_r - log_human), 0.0)
    n = log_u.shape[0]
    rng = np.random.default_rng([ctx.settings.seed, ctx.index, 4])
    prior_bias, _ = prior_noise(held.extra["kind"], n, rng)
    codes = kind_codes(held.extra["kind"]).astype(int)
    bias = np.stack(
        [
            _draws(post, f"b_{KINDS[c]}") if f"b_{KINDS[c]}" in post else prior_bias[:, i]
            for i, c in enumerate(codes)
        ],
        axis=1,
    )
    return uplift_predictive(log_u, bias, _draws(post, "scatter_u")[:, None], held.sigma)

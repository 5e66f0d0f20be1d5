"""The predictive of the held-out AI uplift measurements in the track record.

A measurement i of kind k (randomised trial, self-report, telemetry; ``takeoff.models.uplift``)
reads ln y_i = ln U(t_i) + b_k + e_i, e_i ~ Student-t(5, 0, sqrt(s_i^2 + sigma_u^2)): the
research_loop fit's uplift likelihood, with s_i from the row's reported 95% interval. Here, at a
backtest origin, no uplift measurement lies before any origin the data allow (the first is
dated 2025.21), so the bias b_k of each kind and the scatter sigma_u are DRAWN FROM THEIR PRIORS
in ``takeoff.models.uplift`` (each with its stated reason), one draw of each per predictive
draw (the biases of one kind shared by its points), and only ln U comes from the model:

- the loop (``takeoff_from_data`` at the origin): U(t) = (R / R_human)^lambda at the
  measurement's date, from the loop's own draws (``loop_log_uplift``); with AI labour off
  (A_ai = 0) R = R_human and U = 1 exactly;
- the baseline "no uplift": U = 1 under the same biases and scatter.

The three share the same bias and scatter draws (common random numbers: their differences are
the uplift's alone), so the loop without feedback and the no-uplift baseline are the same
predictive by construction; the table says so.
"""

from __future__ import annotations

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.forecast.scoring import Predictive

NOISE_SALT = 3  # the rng stream of the bias and scatter draws at an origin


def prior_noise(kinds, draws: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(bias (draws, n) on the log scale: each kind's b_k drawn from its prior, shared by the
    points of that kind; scatter sigma_u (draws, 1) from its prior)."""
    from takeoff.models import uplift

    b = np.stack([uplift.BIASES[k][0].sample(rng, draws) for k in uplift.KINDS], axis=1)
    codes = uplift.kind_codes(kinds).astype(int)
    scatter = uplift.SCATTER[0].sample(rng, draws)
    return b[:, codes], scatter[:, None]


def uplift_predictive(log_uplift, bias, scatter, sigma, df: float | None = None) -> Predictive:
    """The measurement model's predictive: location ln U + b_k, scale sqrt(s_i^2 + sigma_u^2),
    Student-t with ``df`` (default the fit's fixed 5) degrees of freedom."""
    from takeoff.models.uplift import NU_UPLIFT

    loc = np.asarray(log_uplift, float) + np.asarray(bias, float)
    scale = np.sqrt(np.asarray(scatter, float) ** 2 + np.asarray(sigma, float)[None, :] ** 2)
    return Predictive(loc, scale, NU_UPLIFT if df is None else df)


def loop_log_uplift(scenario, draws, dates) -> np.ndarray:
    """ln U = lambda (ln R − ln R_human) of each kept draw of a loop forecast (``Forecast.draws``)
    at ``dates`` (draws, n): the loop re-solved on its own time grid with the same parameters
    and initial state (the forecast keeps only the watched path), R_human = L0 e^(g_L tau)."""
    from takeoff.models.registry import get_family
    from takeoff.models.solve import solve

    dates = np.asarray(dates, float)
    if scenario.switch_at is not None and dates.size and dates.max() >= scenario.switch_at:
        raise TakeoffError(
            f"{scenario.name} switches at {scenario.switch_at:g}, before the last uplift "
            "measurement; backtest a scenario without a switch (e.g. takeoff_from_data)"
        )
    t = draws["time"].values
    keep = t <= max(dates.max(), t[0]) + (t[1] - t[0])
    grid = t[keep] if keep.sum() >= 2 else t[:2]
    params = {k: draws[k].values for k in scenario.parameters}
    initial = {k: draws[f"initial_{k}"].values for k in scenario.initial}
    ds = solve(get_family(scenario.family), params, initial, grid, derived=("R",))
    tau = grid - grid[0]
    log_human = np.log(params["L0"])[:, None] + params["g_L"][:, None] * tau[None, :]
    with np.errstate(divide="ignore"):
        log_u = params["lambda"][:, None] * (np.log(ds["R"].values) - log_human)
    log_u = np.maximum(log_u, 0.0)  # U >= 1 by construction: only rounding lies below
    return np.stack([np.interp(dates, grid, row) for row in log_u])

"""Does a scenario reproduce the data its fits were fitted to? The data-period check.

A scenario that starts from fitted links (e.g. ``takeoff_from_data``: the read-out's horizon and
compute moved along its fitted law to the start) is run again, the same draws of the same model,
from the date of the first observation of the quantity it watches (METR horizons for the loop):
its state and exogenous inputs moved back there along the fitted links, its calibration (theta,
the effective compute at which AI labour is defined) kept at the start, and each observation
is compared with the scenario's predictive distribution
at its date: the trajectory of each draw plus the fit's own observation noise (its ``scatter``
and Student-t ``nu``, drawn from the same posterior). A scenario whose dynamics bend away from
what the fit saw (e.g. Jones-law software growth instead of the read-out's constant rate)
shows it here as low coverage or a biased median error, on the natural log of the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import Scenario
from takeoff.models import research_loop

BACKDATED = {"research_loop": research_loop.backdated}  # families that can run back to the data
NOISE = ("scatter", "nu")  # the observation model of the METR fits: ln H + scatter * t_nu
RECENT = 12  # the check also scores the latest observations alone (where a forecast starts)


def recent_coverage(points: pd.DataFrame, n: int = RECENT) -> tuple[float, float, int]:
    """Coverage of the 50% and 90% predictive intervals on the ``n`` latest observations (by
    date; all of them when there are fewer), and how many that is."""
    last = points.sort_values("date", kind="stable").tail(n)
    return float(last["in50"].mean()), float(last["in90"].mean()), len(last)


@dataclass(frozen=True)
class DataCheck:
    """Per observation (``points``: date, observed, median, lo50, hi50, lo90, hi90, in50,
    in90, error on the natural log) and pooled: coverage of the 50% and 90% predictive
    intervals and the median error (predicted − observed, ln units)."""

    scenario: str
    fit: str
    start: float
    points: pd.DataFrame
    coverage50: float
    coverage90: float
    median_error: float

    def format(self) -> str:
        n = len(self.points)
        c50, c90, k = recent_coverage(self.points)
        return (
            f"   data-period check ({self.fit}, {n} observations from {self.start:.2f}): "
            f"{self.coverage50:.0%} inside the 50% and {self.coverage90:.0%} inside the 90% "
            f"predictive intervals; median error {self.median_error:+.2f} ln units "
            f"(x{math.exp(self.median_error):.2f}); the last {k}: {c50:.0%} and {c90:.0%}"
        )


def data_period_check(scenario: Scenario, draws: int = 1000, seed: int = 0) -> DataCheck:
    """Run ``scenario`` over the period of its observed data and score it on them."""
    from takeoff.data.posteriors import load_posterior
    from takeoff.forecast.observations import trajectory_observations
    from takeoff.forecast.sources import draw_block, load_posterior_draws
    from takeoff.models.family import resolve_parameters
    from takeoff.models.fits.exports import resolve
    from takeoff.models.registry import get_family
    from takeoff.models.solve import solve

    observations = trajectory_observations(scenario)
    if not observations:
        raise TakeoffError(
            f"scenario {scenario.name} has no observed data on {scenario.watch}; the data-period "
            "check needs a fit whose data measure the watched quantity on a calendar"
        )
    data = observations[0]
    dates, observed = np.asarray(data.x, float), np.asarray(data.observed, float)
    t0 = float(dates.min())
    years = float(dates.max() - t0) + 1e-3
    if scenario.family not in BACKDATED:
        raise TakeoffError(
            f"the data-period check runs {', '.join(BACKDATED)} back along its fitted links; "
            f"{scenario.name} is a {scenario.family} scenario"
        )
    family = get_family(scenario.family)
    sources = {k: v for k, v in scenario.all_sources().items() if k in scenario.parameters}
    drawn = draw_block(
        sources, scenario.correlations, load_posterior_draws(sources), seed, 0, draws
    )
    params = resolve_parameters(family, drawn, draws)
    back, log_s = BACKDATED[scenario.family](params, scenario.start - t0)
    t = np.linspace(t0, float(dates.max()) + 1e-3, max(2, round(years * 24) + 1))
    derived = [d.name for d in family.derived if d.name == scenario.watch]
    path = solve(family, back, {"S": np.exp(log_s)}, t, derived=derived)
    log_at = np.stack([np.interp(dates, t, row) for row in np.log(path[scenario.watch].values)])
    noise = resolve(load_posterior(data.fit), NOISE, data.fit)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, noise["scatter"].size, size=log_at.shape[0])
    scatter, nu = noise["scatter"][pick, None], noise["nu"][pick, None]
    predicted = log_at + scatter * rng.standard_t(nu, size=log_at.shape)
    q = np.quantile(predicted, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    y = np.log(observed)
    points = pd.DataFrame(
        {
            "date": dates,
            "observed": observed,
            "median": np.exp(q[2]),
            "lo50": np.exp(q[1]),
            "hi50": np.exp(q[3]),
            "lo90": np.exp(q[0]),
            "hi90": np.exp(q[4]),
            "in50": (q[1] <= y) & (y <= q[3]),
            "in90": (q[0] <= y) & (y <= q[4]),
            "error": q[2] - y,
        }
    )
    return DataCheck(
        scenario=scenario.name,
        fit=data.fit,
        start=t0,
        points=points,
        coverage50=float(points["in50"].mean()),
        coverage90=float(points["in90"].mean()),
        median_error=float(np.median(points["error"])),
    )

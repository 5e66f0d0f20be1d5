"""Many draws of one family around chosen parameter values, reduced to what a figure shows, and
regime grids of blow-up times over two parameters. Used by the dynamics explorer and the demo;
the simulation, regimes, blow-up times and doubling times all come from the family itself.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from takeoff.models.family import Family
from takeoff.models.integrate import PARALLEL_MIN_ROWS
from takeoff.models.registry import get_family
from takeoff.models.solve import doubling_time, solve, time_grid
from takeoff.units import QUANTILES

POINTS = 101  # time points of a trajectory
# A sweep is for looking at: families without a closed form are integrated in arc length (a
# blow-up in ~20 steps instead of ~350), to 1e-5 of their log-states: the bands' quantiles
# move by at most ~0.004 decades (measured on jones_software and compute_feedback draws
# against rtol 1e-10), far below a pixel.
RTOL, ATOL = 1e-5, 1e-7


def _solve(family: Family, params, y0, t, derived=None, rtol: float = RTOL):
    """``derived``: the derived quantities wanted on the grid (default all; a band needs one:
    the loop's seven derived grids over 10,000 draws cost more than integrating them).
    ``rtol`` (families without a closed form; atol = rtol / 100) defaults to RTOL."""
    if family.log_closed_form is not None:
        return solve(family, params, y0, t, derived=derived)
    atol = ATOL * rtol / RTOL
    return solve(family, params, y0, t, method="arclength", rtol=rtol, atol=atol, derived=derived)


def spread_draws(
    family: Family,
    centre: dict[str, float],
    spread: float,
    n: int,
    seed: int,
    log_scale: Collection[str] = (),
) -> dict[str, np.ndarray]:
    """``n`` draws per parameter around ``centre``: the default prior's draws, moved to be
    centred on the value and scaled by ``spread`` (on a log scale for the parameters named in
    ``log_scale``), kept inside the parameter's valid range."""
    rng = np.random.default_rng(seed)
    out = {}
    for p in family.parameters:
        v = float(centre[p.name])
        if spread == 0 or not math.isfinite(v):
            out[p.name] = np.full(n, v)
            continue
        z = p.prior.sample(rng, n)
        median = _median(p.prior)
        if p.name in log_scale and v > 0:
            x = v * np.exp(spread * (np.log(z) - math.log(median)))
        else:
            x = v + spread * (z - median)
        lo = p.valid.low if p.valid.low_closed else np.nextafter(p.valid.low, np.inf)
        hi = p.valid.high if p.valid.high_closed else np.nextafter(p.valid.high, -np.inf)
        out[p.name] = np.clip(x, lo, hi)
    return out


@functools.lru_cache(maxsize=512)
def _median(prior) -> float:
    """A prior's median (scipy's ppf: ~0.15 ms, a tenth of a slider move's band for a
    24-parameter family if asked anew on every move)."""
    return float(prior.ppf(np.array([0.5]))[0])


@dataclass
class Sweep:
    """One trajectory at the chosen values and, optionally, the bands of draws around them."""

    time: np.ndarray  # years since start
    quantity: str
    unit: str
    central: np.ndarray
    stop: float  # years since start at which the central trajectory blew up (inf: never)
    exact_blowup: bool  # whether ``stop`` is the family's exact t* (else: the numerical cap)
    regime: str
    indicators: dict[str, float]
    indicator_notes: dict[str, str]
    level: np.ndarray  # the doubling-time curve: level of the first state ...
    doubling_years: np.ndarray  # ... and its doubling time
    level_label: str
    bands: dict[float, np.ndarray] | None = None
    draws: int = 0
    share_blowup: float = 0.0  # share of draws that blew up within the horizon
    statuses: dict[str, int] = field(default_factory=dict)


def sweep(
    family_name: str,
    centre: dict[str, float],
    y0: dict[str, float],
    years: float,
    quantity: str,
    spread: float = 0.0,
    draws: int = 10_000,
    seed: int = 0,
    log_scale: Collection[str] = (),
    rtol: float = RTOL,
) -> Sweep:
    """Simulate ``centre`` (and, with ``spread`` > 0, ``draws`` draws around it) for ``years``
    and reduce to the trajectory, its bands, regime, indicators and doubling times. ``rtol``:
    the integrator's tolerance on the log-states for families without a closed form."""
    family = get_family(family_name)
    t = time_grid(years, POINTS)
    if spread > 0:
        # the slider values ride along as draw 0 of the band's solve: one integration instead
        # of two (for a family without a closed form, its per-step overhead is most of the
        # cost of a 1,000-draw band)
        params = spread_draws(family, centre, spread, draws, seed, log_scale)
        params = {k: np.concatenate([[float(centre[k])], v]) for k, v in params.items()}
        one, values, t_caps, status = _band(family, params, y0, t, quantity, rtol)
    else:
        one = _solve(family, centre, y0, t, rtol=rtol)
    state = quantity if quantity in family.state_names else family.state_names[0]
    dt = doubling_time(family, one, state)
    t_cap = float(one["t_cap"][0])
    exact = "t_blowup" in one and math.isfinite(float(one["t_blowup"][0]))
    stop = float(one["t_blowup"][0]) if exact else t_cap
    keep = one["time"].values < t_cap
    ds_unit = one[quantity].attrs.get("units", "")
    indicators = {
        name: float(one[name][0])
        for name in (family.indicator_notes or {})
        if name in one and np.ndim(one[name].values) == 1
    }
    result = Sweep(
        time=t,
        quantity=quantity,
        unit=ds_unit,
        central=one[quantity].values[0],
        stop=stop,
        exact_blowup=exact,
        regime=str(one["regime"].values[0]),
        indicators=indicators,
        indicator_notes=dict(family.indicator_notes or {}),
        level=one[state].values[0][keep],
        doubling_years=dt.values[0][keep],
        level_label=f"{state} [{one[state].attrs.get('units', '')}]",
    )
    if spread > 0:
        result.bands = dict(zip(QUANTILES, band_quantiles(values, QUANTILES), strict=True))
        result.draws = draws
        result.share_blowup = float(np.isfinite(t_caps).mean())
        names, counts = np.unique(status, return_counts=True)
        result.statuses = {str(k): int(c) for k, c in zip(names, counts, strict=True)}
    return result


def band_quantiles(values: np.ndarray, quantiles) -> np.ndarray:
    """np.quantile(values, quantiles, axis=1) (linear interpolation) by one sort of each row:
    for 10,000 draws at 101 times, 3x faster than numpy's selection of ten order statistics."""
    ordered = np.sort(values, axis=1)
    position = np.asarray(quantiles, float) * (values.shape[1] - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, values.shape[1] - 1)
    weight = position - below
    a, b = ordered[:, below], ordered[:, above]
    return (a + (b - a) * weight).T


BAND_THREADS_MIN_DRAWS = 2_000  # below this, waking a second thread costs more than it saves


def _band(family: Family, params, y0, t, quantity: str, rtol: float = RTOL):
    """Draw 0's solve (a Dataset of one draw), then the other draws' ``quantity`` as (time,
    draw), their cap times and statuses. With two cores and enough draws, the two halves are
    solved on two threads (numpy releases the GIL in its array loops; the draws are integrated
    independently, so the numbers are those of one block)."""
    shown = [d.name for d in family.derived if d.name == quantity]
    n = len(next(iter(params.values())))
    # halves big enough for numba's own threads stay one block (its workqueue threading layer
    # must not be entered from two threads at once)
    threads = BAND_THREADS_MIN_DRAWS <= n < 2 * PARALLEL_MIN_ROWS and (os.cpu_count() or 1) >= 2

    def run(rows: slice):
        return _solve(family, {k: v[rows] for k, v in params.items()}, y0, t, shown, rtol)

    if threads:
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = list(pool.map(run, (slice(0, n // 2), slice(n // 2, None))))
    else:
        done = [run(slice(None))]
    first = done[0].isel(draw=[0])
    parts = [(ds.isel(draw=slice(1, None)) if i == 0 else ds) for i, ds in enumerate(done)]
    values = np.ascontiguousarray(np.concatenate([d[quantity].values for d in parts]).T)
    t_cap = np.concatenate([d["t_cap"].values for d in parts])
    return first, values, t_cap, np.concatenate([d["status"].values for d in parts])


@dataclass
class RegimeGrid:
    """Blow-up times over a grid of two parameters."""

    family: str
    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    years: np.ndarray  # (len(y), len(x)): time to blow-up, inf where there is none
    exact: bool  # exact t* (closed form) or the time the numerical solution hit the cap
    horizon: float  # years simulated (where the blow-up time is numerical)
    log_x: bool = False
    log_y: bool = False
    keyhole_x: float | None = None  # the x value where the regime changes (e.g. alpha = 1)


def regime_grid(
    family_name: str,
    x_name: str,
    y_name: str,
    x: np.ndarray,
    y: np.ndarray,
    others: dict[str, float],
    y0: dict[str, float],
    years: float,
    log_x: bool = False,
    log_y: bool = False,
) -> RegimeGrid:
    """Blow-up times over ``x`` (values of ``x_name``) by ``y`` (of ``y_name``), the other
    parameters at ``others``: the family's exact t* where it has one, else the time the solver
    stopped at the cap within ``years``."""
    family = get_family(family_name)
    exact = family.blowup_time is not None
    X, Y = np.meshgrid(np.asarray(x, float), np.asarray(y, float))
    params = {k: v for k, v in others.items() if k not in (x_name, y_name)}
    params[x_name], params[y_name] = X.ravel(), Y.ravel()
    ds = solve(family, params, y0, np.array([0.0, float(years)]))
    t = ds["t_blowup"].values if exact else ds["t_cap"].values
    return RegimeGrid(
        family=family.name,
        x_name=x_name,
        y_name=y_name,
        x=np.asarray(x, float),
        y=np.asarray(y, float),
        years=t.reshape(X.shape),
        exact=exact,
        horizon=float(years),
        log_x=log_x,
        log_y=log_y,
        keyhole_x=family.keyhole.get(x_name),
    )

"""The trajectory kind's simulation: integrate a block of scenario draws and measure them
(milestone dates, takeoff duration and class, finite-time singularities, doubling times).
Everything here is per draw (``per_draw``: the local engine's blocks as one Dataset over
draws); the reduction over draws lives in ``summary``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import Scenario
from takeoff.models.family import Family, resolve_parameters
from takeoff.models.registry import get_family
from takeoff.models.solve import solve
from takeoff.units import DAY

CLASSES = ("hard", "fast", "moderate", "slow", "not reached")
CLASS_LIMITS = (30 * DAY, 1.0, 10.0)  # hard < 30 days <= fast < 1 yr <= moderate < 10 yr


@dataclass
class Block:
    """One block of simulated draws: the watched variable on the grid, and per-draw numbers."""

    time: np.ndarray  # (T,)
    watch: np.ndarray  # (n, T)
    doubling_time: np.ndarray  # (n, T), years; inf where the watched variable does not grow
    milestone_dates: np.ndarray  # (n, m), decimal years; inf where not reached
    duration: np.ndarray  # (n,), years; inf where not reached
    takeoff_class: np.ndarray  # (n,), index into CLASSES
    singularity_date: np.ndarray  # (n,), decimal year; inf where none within the horizon
    values: dict[str, np.ndarray]  # the drawn parameters and initial states
    # with a [counterfactual]: its milestone dates (n, m), decimal years; inf where not reached
    counterfactual_dates: np.ndarray | None = None


def simulate_block(scenario: Scenario, draws: dict[str, np.ndarray]) -> Block:
    """Integrate every draw of the block at once and measure it (and, with a counterfactual,
    the same draws again with its parameters)."""
    family = get_family(scenario.family)
    t = scenario.time_grid()
    params = {k: draws[k] for k in scenario.parameters}
    initial = {k: draws[f"initial.{k}"] for k in scenario.initial}
    _check_ranges(scenario, family, params, "parameters")
    ds, milestone_dates = _simulate(scenario, family, params, initial, draws, t)
    counterfactual = None
    if scenario.counterfactual is not None:
        changed = {k: draws[f"counterfactual.{k}"] for k in scenario.counterfactual.parameters}
        _check_ranges(scenario, family, changed, "counterfactual.parameters")
        _, counterfactual = _simulate(scenario, family, {**params, **changed}, initial, draws, t)
    watch = ds[scenario.watch].values
    duration = takeoff_duration(scenario, milestone_dates)
    return Block(
        time=t,
        watch=watch,
        doubling_time=_doubling_time(scenario, family, ds),
        milestone_dates=milestone_dates,
        duration=duration,
        takeoff_class=classify(duration),
        singularity_date=_singularity(scenario, ds),
        values=draws,
        counterfactual_dates=counterfactual,
    )


def takeoff_duration(scenario: Scenario, milestone_dates: np.ndarray) -> np.ndarray:
    """Years from the takeoff's ``from`` to its ``to`` milestone per draw (inf: not both
    reached), from milestone dates (n, m) in the scenario's order."""
    names = [m[0] for m in scenario.milestones]
    t_from, t_to = (milestone_dates[:, names.index(m)] for m in scenario.takeoff)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(t_from) & np.isfinite(t_to), t_to - t_from, np.inf)


def measured(scenario, family: Family) -> tuple[str, ...]:
    """The derived quantities a trajectory forecast measures: the watched one and those its
    milestones watch (the others are not computed on the grid)."""
    names = {scenario.watch, *(scenario.watched(m) for m, _ in scenario.milestones)}
    return tuple(d.name for d in family.derived if d.name in names)


def _simulate(scenario, family: Family, params, initial, draws, t):
    """The solution on the grid and each milestone's date (n, m)."""
    if scenario.switch_at is None:
        ds = solve(family, params, initial, t, derived=measured(scenario, family))
        exact = {
            q: _exact_watch(scenario, family, params, initial, q)
            for q in dict.fromkeys(scenario.watched(m) for m, _ in scenario.milestones)
        }
    else:
        ds = _solve_switched(scenario, family, params, initial, draws, t)
        exact = {}
    dates = np.stack(
        [
            _crossing(
                t,
                ds[scenario.watched(name)].values,
                ds["t_cap"].values,
                level,
                exact.get(scenario.watched(name)),
            )
            for name, level in scenario.milestones
        ],
        axis=1,
    )
    return ds, dates


def classify(duration: np.ndarray) -> np.ndarray:
    """hard (< 30 days), fast (< 1 yr), moderate (1-10 yr), slow (> 10 yr), not reached (inf)."""
    d = np.asarray(duration, dtype=float)
    cls = np.searchsorted(np.array(CLASS_LIMITS), d, side="right")
    return np.where(np.isfinite(d), cls, len(CLASSES) - 1).astype(np.int8)


def _check_ranges(scenario, family: Family, params, where):
    for name, values in params.items():
        p = family.parameter(name)
        bad = np.isnan(values) | ~p.valid.contains(values)
        if bad.any():
            raise TakeoffError(
                f"scenario {scenario.name}: {where} {name} drew {values[bad][0]:g}, outside its "
                f"valid range {p.valid}; use a distribution or transform that stays inside it"
            )


def _solve_switched(scenario, family: Family, params, initial, draws, t) -> xr.Dataset:
    """Two phases: the scenario's parameters until ``switch.at``, then the switched ones,
    continuing from the state reached (exogenous inputs re-based to the switch date)."""
    t_sw = scenario.switch_at
    before = t[t < t_sw]
    first = solve(
        family, params, initial, np.append(before, t_sw), derived=measured(scenario, family)
    )
    state_sw = {s: first[s].values[:, -1] for s in family.state_names}
    for s in scenario.switch_jumps:  # a one-time jump of a state at the switch
        state_sw[s] = state_sw[s] * draws[f"jump.{s}"]
    dt = np.full(next(iter(state_sw.values())).shape, t_sw - scenario.start)
    log_state_sw = np.log(np.stack([state_sw[s] for s in family.state_names], axis=1))
    second_params = family.restarted(resolve_parameters(family, params), dt, log_state_sw)
    second_params.update({k: draws[f"switch.{k}"] for k in scenario.switch_parameters})
    _check_ranges(
        scenario,
        family,
        {k: second_params[k] for k in scenario.switch_parameters},
        "switch.parameters",
    )
    after = t[t >= t_sw]
    grid2 = after if after[0] == t_sw else np.insert(after, 0, t_sw)
    second = solve(family, second_params, state_sw, grid2, derived=measured(scenario, family))
    if after[0] != t_sw:
        second = second.isel(time=slice(1, None))
    out = xr.concat(
        [first.isel(time=slice(0, before.size)), second],
        dim="time",
        data_vars="minimal",
        coords="minimal",
        compat="override",
    )
    stopped_first = np.isfinite(first["t_cap"].values)
    out["t_cap"] = ("draw", np.where(stopped_first, first["t_cap"].values, second["t_cap"].values))
    if "t_blowup" in first:
        b1, b2 = first["t_blowup"].values, second["t_blowup"].values
        out["t_blowup"] = ("draw", np.where(b1 <= t_sw, b1, b2))
    return out


def _exact_watch(scenario, family: Family, params, initial, quantity: str):
    """ln of ``quantity`` at one time per draw from the closed form (None if the family has
    none): used to pin milestone crossings between grid points exactly."""
    if family.log_closed_form is None:
        return None
    from takeoff.models.family import resolve_initial_state, resolve_parameters

    n = next(iter(params.values())).shape[0] if params else 1
    p = resolve_parameters(family, params, n)
    log_y0 = np.log(resolve_initial_state(family, initial, n))
    derived = {d.name: d for d in family.derived}

    def at(tau: np.ndarray, rows: np.ndarray) -> np.ndarray:
        sub = {k: v[rows] for k, v in p.items()}
        log_states = family.log_closed_form(tau[:, None], log_y0[rows], sub)  # (n, s, 1)
        if quantity in derived:
            log_states = np.transpose(log_states, (1, 0, 2))
            return derived[quantity].log_value(log_states, sub, tau[:, None])[:, 0]
        return log_states[:, family.state_names.index(quantity), 0]

    return at


def _crossing(t, watch, t_cap, level, log_watch_at) -> np.ndarray:
    """First time each draw's watched variable reaches ``level`` (inf if it never does)."""
    n = watch.shape[0]
    above = watch >= level
    reached = above.any(axis=1)
    j = np.argmax(above, axis=1)
    out = np.full(n, np.inf)
    at_start = reached & (j == 0)
    out[at_start] = t[0]
    rows = np.flatnonzero(reached & (j > 0))
    if rows.size == 0:
        return out
    jj = j[rows]
    t0, t1 = t[jj - 1], t[jj].copy()
    # a draw that stopped at the cap inside the interval reached the level by t_cap
    stop = t_cap[rows]
    t1 = np.where(np.isfinite(stop) & (stop < t1) & (stop > t0), stop, t1)
    lo_val = np.log(watch[rows, jj - 1])
    hi_val = np.log(watch[rows, jj])
    if log_watch_at is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = (math.log(level) - lo_val) / (hi_val - lo_val)
        out[rows] = t0 + np.clip(np.nan_to_num(frac, nan=1.0), 0.0, 1.0) * (t1 - t0)
        return out
    lo, hi = t0.copy(), t1.copy()
    for _ in range(60):  # bisection on the exact solution, to ~1e-18 of the grid step
        mid = 0.5 * (lo + hi)
        with np.errstate(invalid="ignore", over="ignore"):
            up = log_watch_at(mid - t[0], rows) >= math.log(level)
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    out[rows] = hi
    return out


def _singularity(scenario, ds) -> np.ndarray:
    """Date of a finite-time singularity within the horizon (inf where none): the exact blow-up
    date where the family has one, otherwise where the integrator found the state diverging."""
    end = scenario.end
    if "t_blowup" in ds:
        b = ds["t_blowup"].values
        return np.where(b <= end, b, np.inf)
    singular = ds["status"].values == "singular"
    return np.where(singular, ds["t_cap"].values, np.inf)


def _doubling_time(scenario, family: Family, ds) -> np.ndarray:
    """ln 2 / growth rate of the watched variable; inf where it does not grow. Exact from the
    family's growth rate for a state; finite differences of ln w for a derived quantity."""
    from takeoff.models.solve import doubling_time

    if scenario.watch in family.state_names and scenario.switch_at is None:
        return doubling_time(family, ds, scenario.watch).values
    log_w = np.log(ds[scenario.watch].values)
    rate = np.gradient(log_w, ds["time"].values, axis=1)
    with np.errstate(divide="ignore"):
        return np.where(rate > 0, math.log(2.0) / np.where(rate > 0, rate, 1.0), np.inf)


def per_draw(scenario: Scenario, blocks: list[Block]) -> xr.Dataset:
    names = [m[0] for m in scenario.milestones]
    watch = np.concatenate([b.watch for b in blocks])
    ds = xr.Dataset(
        {
            scenario.watch: (("draw", "time"), watch),
            "doubling_time": (
                ("draw", "time"),
                np.concatenate([b.doubling_time for b in blocks]),
                {"units": "yr"},
            ),
            "milestone_date": (
                ("draw", "milestone"),
                np.concatenate([b.milestone_dates for b in blocks]),
                {"units": "decimal year", "long_name": "inf: not reached"},
            ),
            "duration": ("draw", np.concatenate([b.duration for b in blocks]), {"units": "yr"}),
            "takeoff_class": (
                "draw",
                np.array(CLASSES)[np.concatenate([b.takeoff_class for b in blocks])],
            ),
            "singularity_date": ("draw", np.concatenate([b.singularity_date for b in blocks])),
        },
        coords={"draw": np.arange(watch.shape[0]), "time": blocks[0].time, "milestone": names},
    )
    for key in blocks[0].values:
        ds[key.replace(".", "_")] = ("draw", np.concatenate([b.values[key] for b in blocks]))
    return ds

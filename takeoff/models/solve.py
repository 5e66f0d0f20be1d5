"""One entry point to simulate a model family over many parameter draws at once.

``solve(family, params, y0, t)`` validates the inputs, uses the family's closed form where it
exists (exact) and the vectorised adaptive integrator otherwise, and returns an
``xarray.Dataset`` over (draw, time):

- one variable per state and per derived quantity, in natural units (attrs carry units);
- per draw: ``status`` ("ok"; "capped": a state reached the cap; "singular": the adaptive
  integrator's step collapsed while the state kept accelerating, a numerically detected
  finite-time singularity; "exhausted": the step budget ran out), ``t_cap`` (decimal year at
  which the draw stopped; inf if it never did),
  ``t_blowup`` (exact finite-time-singularity date where the family has one; inf if none),
  ``regime`` (label), the family's indicators (e.g. ``r``) and the parameters themselves.

A draw that blows up stops at the cap (default 1e300, "numerically infinite") and its states
hold their values at the crossing from then on: the output never holds inf or NaN.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

import numpy as np
import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.models.family import Family, resolve_initial_state, resolve_parameters
from takeoff.models.integrate import (
    CAPPED,
    OK,
    STATUS_NAMES,
    Integration,
    integrate_adaptive,
    integrate_arclength,
    integrate_fixed,
)
from takeoff.models.registry import get_family

METHODS = ("auto", "exact", "adaptive", "arclength", "fixed-rk4", "fixed-dopri5")
DEFAULT_CAP = 1e300


def time_grid(years: float = 10.0, points: int = 101, start: float = 0.0) -> np.ndarray:
    """An evenly spaced grid of ``points`` decimal years from ``start`` to ``start + years``."""
    if not (isinstance(years, numbers.Real) and math.isfinite(years) and years > 0):
        raise TakeoffError(f"years must be a positive number; got {years!r}")
    if not (isinstance(points, numbers.Integral) and points >= 2):
        raise TakeoffError(f"points must be an integer >= 2; got {points!r}")
    return start + np.linspace(0.0, float(years), int(points))


def solve(
    family: str | Family,
    params: Mapping[str, float | np.ndarray] | None = None,
    y0: Mapping[str, float | np.ndarray] | None = None,
    t: np.ndarray | None = None,
    *,
    method: str = "auto",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    cap: float = DEFAULT_CAP,
    substeps: int = 1,
    derived: Iterable[str] | None = None,
) -> xr.Dataset:
    """Simulate ``family`` for every draw of ``params`` / ``y0`` on the time grid ``t``.

    ``params`` and ``y0`` map names to a number or a 1-D array with one value per draw
    (missing names take the family's defaults). ``t`` is an increasing array of decimal years
    (default: 10 years from 0 in 100 steps); the model's clock starts at ``t[0]``.
    ``method``: "auto" (closed form if the family has one, else "adaptive"), "exact",
    "adaptive" (Dormand–Prince 5(4), per-draw steps, tolerances ``rtol``/``atol`` on the
    log-states), "arclength" (the same in the arc length of the path: through a blow-up in a
    few steps, which it follows to the cap, so such draws end "capped", never "singular"),
    "fixed-rk4" or "fixed-dopri5" (``substeps`` equal steps per output interval).
    ``derived``: the derived quantities to put on the grid (default: all of the family's;
    a forecast asks only for those it measures, which for a many-quantity family is most of
    the cost of a solve).
    """
    family = get_family(family)
    known = [d.name for d in family.derived]
    wanted = tuple(known) if derived is None else tuple(dict.fromkeys(derived))
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise TakeoffError(
            f"{family.name} has no derived quantity '{unknown[0]}'; it has: {', '.join(known)}"
        )
    if method not in METHODS:
        raise TakeoffError(f"unknown method '{method}'; choose one of: {', '.join(METHODS)}")
    if method == "exact" and family.log_closed_form is None:
        raise TakeoffError(
            f"family {family.name} has no closed form; use method 'adaptive' or 'auto'"
        )
    if not (isinstance(cap, numbers.Real) and math.isfinite(cap) and cap > 0):
        raise TakeoffError(f"cap must be a positive finite number; got {cap!r}")
    if not (isinstance(substeps, numbers.Integral) and substeps >= 1):
        raise TakeoffError(f"substeps must be an integer >= 1; got {substeps!r}")
    t = _check_times(time_grid() if t is None else t)
    n = _draw_count(params, y0) or 1
    p = resolve_parameters(family, params, n)
    log_y0 = np.log(resolve_initial_state(family, y0, n))
    tau = t - t[0]
    log_cap = math.log(cap)

    if method == "auto":
        method = "exact" if family.log_closed_form is not None else "adaptive"
    if method == "exact":
        result = _exact(family, tau, log_y0, p, log_cap)
    else:
        p_run = {**p, **family.prepare(p)} if family.prepare else p
        if method in ("adaptive", "arclength"):
            ceiling = family.log_ceiling(p) if family.log_ceiling else None
            integrate = integrate_adaptive if method == "adaptive" else integrate_arclength
            result = integrate(
                family.growth_rate,
                tau,
                log_y0,
                p_run,
                rtol=rtol,
                atol=atol,
                log_cap=log_cap,
                log_ceiling=ceiling,
            )
        else:
            result = integrate_fixed(
                family.growth_rate,
                tau,
                log_y0,
                p_run,
                method=method.removeprefix("fixed-"),
                substeps=substeps,
                log_cap=log_cap,
            )
    return _to_dataset(
        family, t, p, log_y0, result, wanted, method=method, cap=cap, rtol=rtol, atol=atol
    )


def doubling_time(family: str | Family, ds: xr.Dataset, state: str | None = None) -> xr.DataArray:
    """Instantaneous doubling time ln 2 / (d ln y/dt) of a state along each trajectory, in years.

    Derived from the family's growth rate, so zero or negative growth gives an infinite
    doubling time (never a wrong finite one). Defaults to the first state.
    """
    family = get_family(family)
    state = state or family.state_names[0]
    if state not in family.state_names:
        raise TakeoffError(
            f"unknown state '{state}' for family {family.name}; valid states: "
            f"{', '.join(family.state_names)}"
        )
    n, T = ds.sizes["draw"], ds.sizes["time"]
    tau = np.tile(ds["time"].values - ds["time"].values[0], n)
    log_y = np.stack([np.log(ds[s].values).ravel() for s in family.state_names], axis=1)
    p = {name: np.repeat(ds[name].values, T) for name in family.parameter_names}
    if family.prepare:
        p.update(family.prepare(p))
    with np.errstate(over="ignore"):
        rate = family.growth_rate(tau, log_y, p)[:, family.state_names.index(state)]
    with np.errstate(divide="ignore"):
        value = np.where(rate > 0, np.log(2.0) / np.where(rate > 0, rate, 1.0), np.inf)
    return xr.DataArray(
        value.reshape(n, T),
        dims=("draw", "time"),
        coords={"draw": ds.draw, "time": ds.time},
        name=f"doubling_time_{state}",
        attrs={"units": "yr", "long_name": f"doubling time of {state}"},
    )


def _check_times(t) -> np.ndarray:
    try:
        t = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        raise TakeoffError("t must be an array of decimal years") from None
    if t.ndim != 1 or t.size < 2:
        raise TakeoffError("t must be a 1-D array of at least 2 decimal years")
    if not np.all(np.isfinite(t)):
        raise TakeoffError("t must contain only finite decimal years (no NaN or inf)")
    if not np.all(np.diff(t) > 0):
        raise TakeoffError("t must be strictly increasing")
    return t


def _draw_count(*inputs) -> int | None:
    """The common number of draws of all array inputs (None if every input is a scalar)."""
    lengths = {
        np.size(v)
        for mapping in inputs
        if mapping
        for v in mapping.values()
        if np.ndim(v) == 1 and np.size(v) != 1
    }
    if len(lengths) > 1:
        raise TakeoffError(
            f"inputs have different numbers of draws ({', '.join(map(str, sorted(lengths)))}); "
            "give one value or the same number of draws everywhere"
        )
    return lengths.pop() if lengths else None


def _exact(family: Family, tau, log_y0, p, log_cap: float) -> Integration:
    """The closed form on the grid, stopped exactly where a state first reaches the cap."""
    log_states = np.transpose(family.log_closed_form(tau, log_y0, p), (1, 0, 2))  # (s, n, T)
    over = np.any(log_states >= log_cap, axis=0)  # (n, T)
    crossed = over.any(axis=1)
    status = np.where(crossed, CAPPED, OK).astype(np.int8)
    t_stop = np.full(log_y0.shape[0], np.inf)
    if crossed.any():
        rows = np.flatnonzero(crossed)
        j = np.argmax(over[rows], axis=1)
        sub = {k: v[rows] for k, v in p.items()}
        t_hit = _bisect_cap(family, tau, j, log_y0[rows], sub, log_cap)
        t_stop[rows] = t_hit
        held = np.minimum(
            family.log_closed_form(t_hit[:, None], log_y0[rows], sub)[:, :, 0], log_cap
        )
        after = np.arange(tau.size)[None, :] >= j[:, None]
        for i in range(log_states.shape[0]):
            log_states[i, rows] = np.where(after, held[:, i, None], log_states[i, rows])
    states = np.exp(np.minimum(log_states, log_cap))
    return Integration(states, status, t_stop, steps=0)


def _bisect_cap(family, tau, j, log_y0, p, log_cap) -> np.ndarray:
    """Time since start at which the closed form first reaches the cap, for draws that do:
    bisection until no float lies between the bracket's ends (the midpoint is then one of them,
    so the bracket can move no more: stopping there gives the times of running on)."""
    lo = np.where(j > 0, tau[np.maximum(j - 1, 0)], 0.0)
    hi = tau[j].astype(float)
    for _ in range(80):
        if np.all(np.nextafter(lo, np.inf) >= hi):
            break
        mid = 0.5 * (lo + hi)
        above = np.any(family.log_closed_form(mid[:, None], log_y0, p)[:, :, 0] >= log_cap, axis=1)
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return hi


def _to_dataset(family, t, p, log_y0, result: Integration, wanted, **attrs) -> xr.Dataset:
    """The Dataset of a solve, built in one constructor call (adding ~15 variables one by one
    costs an alignment each: tens of ms for a slider's 10,000 draws)."""
    from takeoff import __version__

    log_cap = math.log(attrs["cap"])
    dims = ("draw", "time")
    variables: dict[str, tuple] = {}
    for i, state in enumerate(family.states):
        variables[state.name] = (
            dims,
            result.states[i],
            {"units": state.unit, "long_name": state.description, "role": "state"},
        )
    if wanted:
        log_states = np.log(result.states)
        for d in (d for d in family.derived if d.name in wanted):
            variables[d.name] = (
                dims,
                np.exp(np.minimum(d.log_value(log_states, p, (t - t[0])[None, :]), log_cap)),
                {"units": d.unit, "long_name": d.description, "role": "derived"},
            )
    names = np.array([STATUS_NAMES[c] for c in sorted(STATUS_NAMES)])
    variables["status"] = (
        "draw",
        names[result.status],
        {"long_name": "ok | capped | singular | exhausted (see takeoff.models.solve)"},
    )
    variables["t_cap"] = (
        "draw",
        t[0] + result.t_stop,
        {"units": "decimal year", "long_name": "when the draw stopped at the cap (inf: never)"},
    )
    if family.blowup_time is not None:
        variables["t_blowup"] = (
            "draw",
            t[0] + family.blowup_time(log_y0, p),
            {"units": "decimal year", "long_name": "exact finite-time singularity (inf: none)"},
        )
    variables["regime"] = ("draw", np.asarray(family.regime(log_y0, p)).astype(str))
    if family.indicators is not None:
        for name, value in family.indicators(log_y0, p).items():
            variables[name] = (
                "draw",
                value,
                {"long_name": family.indicator_notes.get(name, name), "role": "indicator"},
            )
    for param in family.parameters:
        variables[param.name] = (
            "draw",
            p[param.name],
            {"units": param.unit, "long_name": param.description, "role": "parameter"},
        )
    n = log_y0.shape[0]
    ds = xr.Dataset(
        variables,
        coords={"draw": np.arange(n), "time": ("time", t, {"units": "decimal year"})},
    )
    ds.attrs.update(
        family=family.name,
        equation=family.equation,
        takeoff_version=__version__,
        steps=int(result.steps),
        **attrs,
    )
    return ds

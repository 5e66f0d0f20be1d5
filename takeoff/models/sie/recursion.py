"""The recursion itself, stepped one software doubling at a time over every draw at once
(:func:`simulate_doublings`), and the paper's measure of a run: the most doublings (years of
progress) within any window of T months (:func:`years_within`, :func:`max_run`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.sie.parameters import (
    DOUBLINGS_PER_YEAR,
    MAX_STEPS,
    RECENT_SOFTWARE_DOUBLINGS_PER_YEAR,
    SC,
    T_MAX_MONTHS,
)


@dataclass(frozen=True)
class Doublings:
    """Simulated draws: ``times`` (n, steps) months at the end of each (sub-)step, +inf after a
    draw stopped; ``steps`` (n,) steps done; ``stop`` (n,) index into STOP_REASONS."""

    times: np.ndarray
    steps: np.ndarray
    stop: np.ndarray


def ceiling_doublings(L: np.ndarray, sc: float = SC) -> np.ndarray:
    """N = (4 / sc) L: doublings from automation to the effective limits (not rounded)."""
    return (RECENT_SOFTWARE_DOUBLINGS_PER_YEAR / sc) * np.asarray(L, dtype=float)


def simulate_doublings(
    f,
    r0,
    L,
    p,
    *,
    constant_r: bool = False,
    sc: float = SC,
    t_max_months: float = T_MAX_MONTHS,
    substeps: int = 1,
) -> Doublings:
    """The published recursion for every draw at once (a loop over steps, never over draws).

    ``substeps = 1`` is the published model. ``substeps = s > 1`` splits each doubling into s
    equal steps of h = 1/s doublings: t += Δ h; r -= (r0/N) h; if r > 0: Δ *= 2^(p (1/r - 1) h);
    stop at t >= t_max, after N/h steps, or at r <= 0. As h -> 0 it converges (first order) to
    the continuous-time model :func:`continuous_time_to`; at h = 1 it is the published recursion
    operation for operation.
    """
    f, r0, L, p = (np.atleast_1d(np.asarray(a, dtype=float)) for a in (f, r0, L, p))
    try:
        f, r0, L, p = np.broadcast_arrays(f, r0, L, p)
    except ValueError:
        raise TakeoffError(
            "f, r0, L and p must be numbers or arrays of one common length (one value per draw)"
        ) from None
    for name, a in (("f", f), ("r0", r0), ("L", L), ("p", p)):
        bad = ~np.isfinite(a) | (a <= 0)
        if bad.any():
            raise TakeoffError(
                f"{name} must be finite and positive; got {a[bad][0]:g}; "
                "check the parameter's distribution or value"
            )
    if not (0 < sc <= 1):
        raise TakeoffError(f"sc must be in (0, 1]; got {sc:g}")
    if not (isinstance(substeps, int) and substeps >= 1):
        raise TakeoffError(f"substeps must be a positive integer; got {substeps!r}")
    if not (math.isfinite(t_max_months) and t_max_months > 0):
        raise TakeoffError(f"t_max_months must be a positive number; got {t_max_months!r}")
    n = f.shape[0]
    h = 1.0 / substeps
    N = ceiling_doublings(L, sc)
    limit = N / h  # steps to the ceiling
    total = math.ceil(float(limit.max())) if n else 0
    if total > MAX_STEPS:
        raise TakeoffError(
            f"N = (4/sc) L / h needs {total:,} steps, more than {MAX_STEPS:,}; "
            "use a smaller L, a larger sc or fewer substeps"
        )
    times = np.full((n, total), np.inf)
    steps = np.zeros(n, dtype=np.int64)
    t = np.zeros(n)
    dt = 3.0 / f
    r = r0.copy()
    dr = r0 / N
    if substeps > 1:
        dr = dr * h
    rows = np.arange(n)
    with np.errstate(over="ignore"):
        for j in range(total):
            if rows.size == 0:
                break
            t[rows] += dt[rows] * h if substeps > 1 else dt[rows]
            times[rows, j] = t[rows]
            if not constant_r:
                r[rows] -= dr[rows]
            rr = r[rows]
            up = rows[rr > 0]
            exponent = p[up] * (1.0 / r[up] - 1.0)
            dt[up] *= 2.0 ** (exponent * h if substeps > 1 else exponent)
            steps[rows] = j + 1
            go = (t[rows] < t_max_months) & (j + 1 < limit[rows]) & (rr > 0)
            rows = rows[go]
    ceiling = (steps >= limit) | (r <= 0)
    return Doublings(times, steps, np.where(ceiling, 1, 0).astype(np.int8))


def doublings_for(months: float, years: float, doublings_per_year: float = DOUBLINGS_PER_YEAR):
    """k = floor((T / 12) · 8 · m): the doublings in m years of progress, exactly (rationals)."""
    for name, value in (("months", months), ("years", years)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
            raise TakeoffError(f"{name} must be a positive number; got {value!r}")
    k = math.floor(
        Fraction(months)
        / 12
        * Fraction(doublings_per_year).limit_denominator(10**6)
        * Fraction(years)
    )
    if k < 1:
        raise TakeoffError(
            f"{years:g} years of progress within {months:g} months is k = floor((T/12) "
            f"{doublings_per_year:g} m) = 0 doublings; use a larger m or T"
        )
    return k


def _with_origin(times: np.ndarray) -> np.ndarray:
    """tau_0 = 0 followed by the doubling times: (n, steps + 1)."""
    times = np.asarray(times, dtype=float)
    return np.concatenate([np.zeros((times.shape[0], 1)), times], axis=1)


def years_within(
    times: np.ndarray, months: float, years: float, doublings_per_year: float = DOUBLINGS_PER_YEAR
) -> np.ndarray:
    """Per draw: did some run of k = floor((T/12) 8 m) consecutive doublings take < T months?

    A vectorised sliding difference over the doubling times (n, steps), +inf after a draw
    stopped (such runs never count)."""
    k = doublings_for(months, years, doublings_per_year)
    tau = _with_origin(times)
    if k >= tau.shape[1]:
        return np.zeros(tau.shape[0], dtype=bool)
    with np.errstate(invalid="ignore"):  # inf - inf after a draw stopped: NaN, never < T
        span = tau[:, k:] - tau[:, :-k]
        return (span < months).any(axis=1)


def max_run(times: np.ndarray, months: float) -> np.ndarray:
    """Per draw: the largest k such that some run of k consecutive doublings took < T months.

    A run inside a faster run is faster, so "m years within T months" holds iff max_run >=
    floor((T/12) 8 m). Computed with a sliding window moved for every draw at once (at most
    2 (steps + 1) vector steps): the end of the window advances while the run stays under T
    months, else the start advances; a draw is done once its window reaches its last doubling.
    It uses the same subtraction as :func:`years_within`, so the two agree exactly."""
    tau = _with_origin(times)
    n, width = tau.shape
    flat = tau.ravel()
    best = np.zeros(n, dtype=np.int64)
    rows = np.arange(n)  # draws whose window still moves
    first = rows * width  # flat index of tau[row, 0]
    last = first + width - 1
    a = first.copy()  # the run starts at flat[a] ...
    b = first.copy()  # ... and ends at flat[b]: b - a doublings
    run = np.zeros(n, dtype=np.int64)  # the longest so far, for the rows still moving
    step = 0
    with np.errstate(invalid="ignore"):  # inf - inf after a draw stopped: NaN, never < T
        while rows.size:
            nxt = np.minimum(b + 1, last)
            can = b < last
            end = flat[nxt]
            grow = can & (end - flat[a] < months)
            b += grow
            np.maximum(run, b - a, out=run)
            a += ~grow & (a < last)
            np.maximum(b, a, out=b)
            step += 1
            if step % 8 == 0:  # drop the draws whose window cannot grow any more
                live = can & np.isfinite(end)  # later windows are shorter: the best is found
                if not live.all():
                    best[rows[~live]] = run[~live]
                    rows, a, b, last, run = rows[live], a[live], b[live], last[live], run[live]
        best[rows] = run
    return best

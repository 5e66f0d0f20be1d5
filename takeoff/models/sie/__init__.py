"""The ``sie_doublings`` model: the software-intelligence-explosion recursion of Davidson &
Houlden (2025), "How quick and big would a software intelligence explosion be?", reproduced
exactly.

The published model is a discrete recursion over doublings of software, not a differential
equation, so it is not a :class:`~takeoff.models.family.Family`: it is a small declarative spec
(:data:`SIE_DOUBLINGS`: parameters with units, ranges and the published priors) plus a simulator
vectorised over draws (:func:`simulate_doublings`) and the (T, m) metrics
(:func:`years_within`, :func:`max_run`). Its continuous-time counterpart is a Family
(:data:`SIE_CONTINUOUS`) that :func:`takeoff.models.solve` integrates like any other.

Parameters per simulation (the names are the paper's): ``f`` the initial speed-up of software
progress once AI R&D is automated; ``r0`` the initial returns to software R&D; ``L`` the
distance to the effective limits in years of progress at the recent pace; ``p`` the
parallelisation penalty exponent. Fixed: ``sc = 0.5``, the share of recent progress that came
from software. Before automation software doubled every 3 months (4 doublings a year), so a
year of progress at the recent pace is ``4 / sc = 8`` doublings and the ceiling is
``N = (4 / sc) L`` doublings away.

The recursion, in months, from t = 0, Δ = Δ0 = 3 / f, r = r0 (one step = one doubling of S)::

    t += Δ;  S *= 2;  r -= r0 / N          (no decrement in the "constant r" variant)
    if r > 0:  Δ <- Δ · 2^(p (1/r - 1))
    stop when t >= 48 months, when N doublings are done, or when r <= 0

Every choice the text leaves open, taken literally and tested by hand:

1. The stop test follows the step. The doubling that takes t to 48 months or past is done and
   recorded, and it counts in the metrics (a run ending after 48 months still counts if it took
   less than T months). No step starts at t >= 48.
2. N = (4 / sc) L is not rounded. "N doublings are done" is k >= N after the k-th doubling, so a
   simulation does at most ceil(N) doublings (N when N is an integer). With the decrement,
   r = r0 - k r0/N (repeated subtraction, as written) reaches r <= 0 at the same k; floating
   rounding can stop it one doubling earlier only when N is within ~1e-13 of an integer from
   above. Both count as reaching the ceiling (also when that last doubling ended after 48
   months).
3. The doubling time is updated with r after this step's decrement, and only if r > 0. The first
   doubling takes Δ0 = 3 / f months.
4. Just below the ceiling r can be tiny and 2^(p (1/r - 1)) overflows: the next doubling then
   takes forever. It is recorded at t = inf (and never falls inside a window).
5. The metric for a pair (T months, m years): k = floor((T / 12) · 8 · m) consecutive doublings,
   computed in exact rational arithmetic (in floating point (13/12) 8 13.5 is 116.99999999999999
   and would floor to 116 instead of 117; the published pairs are exact either way); a run of k
   doublings starting at step i takes tau_(i+k-1) - tau_(i-1) months (tau_0 = 0, tau_j the end of
   the j-th doubling) and counts if that is strictly less than T.

Continuous time. With x = log2 S the doublings done, the recursion raises log2 Δ by
p (1/r - 1) per doubling and spends Δ on each, so its continuous counterpart is

    d log2 S / dt = 1 / Δ(x),   d log2 Δ / dx = p (1/r(x) - 1),   r(x) = r0 (1 - x/N),
    log2 Δ(x) = log2 Δ0 + p (-(N/r0) ln(1 - x/N) - x)      (constant r: p (1/r0 - 1) x).

Splitting each doubling into s steps of h = 1/s doublings (``simulate_doublings(substeps=s)``:
t += Δ h, r -= (r0/N) h, Δ *= 2^(p (1/r - 1) h)) makes log2 Δ a right Riemann sum and t a
left Riemann sum of these integrals, so the time to reach x doublings converges to
t(x) = ∫_0^x Δ(u) du with an O(h) error. The published model is h = 1: it differs from its
continuous counterpart by that first-order discretisation error (3.5% in the time to 20
doublings for f = 4, r0 = 1.5, L = 10, p = 0.3). :data:`SIE_CONTINUOUS` is the continuous model
as a Family (time in years, like every family), :func:`continuous_time_to` its t(x).

Arrays: parameters are (n,) arrays (one value per draw); times are (n, steps) arrays of months
at the end of each doubling, +inf after a draw stopped.

The package, by role: :mod:`~takeoff.models.sie.parameters` (the constants of the recursion,
its parameters and variants: :data:`SIE_DOUBLINGS`), :mod:`~takeoff.models.sie.recursion` (the
recursion stepped over draws and its runs of doublings within a window) and
:mod:`~takeoff.models.sie.continuous` (the continuous-time counterpart as a Family). This module
exports the public names of those.
"""

from __future__ import annotations

from takeoff.models.sie.continuous import (
    SIE_CONTINUOUS,
    continuous_time_to,
    log2_doubling_time,
)
from takeoff.models.sie.parameters import (
    DOUBLINGS_PER_YEAR,
    MAX_STEPS,
    PUBLISHED_PAIRS,
    RECENT_SOFTWARE_DOUBLINGS_PER_YEAR,
    SC,
    SIE_DOUBLINGS,
    STOP_REASONS,
    T_MAX_MONTHS,
    VARIANTS,
)
from takeoff.models.sie.recursion import (
    Doublings,
    ceiling_doublings,
    doublings_for,
    max_run,
    simulate_doublings,
    years_within,
)

__all__ = [
    "DOUBLINGS_PER_YEAR",
    "MAX_STEPS",
    "PUBLISHED_PAIRS",
    "RECENT_SOFTWARE_DOUBLINGS_PER_YEAR",
    "SC",
    "SIE_CONTINUOUS",
    "SIE_DOUBLINGS",
    "STOP_REASONS",
    "T_MAX_MONTHS",
    "VARIANTS",
    "Doublings",
    "ceiling_doublings",
    "continuous_time_to",
    "doublings_for",
    "log2_doubling_time",
    "max_run",
    "simulate_doublings",
    "years_within",
]

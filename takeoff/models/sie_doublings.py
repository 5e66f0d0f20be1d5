"""``sie_doublings``: the software-intelligence-explosion recursion of Davidson & Houlden (2025),
"How quick and big would a software intelligence explosion be?", reproduced exactly.

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution
from takeoff.models.family import POSITIVE, Family, Interval, Parameter, State

SC = 0.5  # share of recent AI progress that came from software
RECENT_SOFTWARE_DOUBLINGS_PER_YEAR = 4.0  # software doubled every 3 months: Δ0 = 3 / f
DOUBLINGS_PER_YEAR = RECENT_SOFTWARE_DOUBLINGS_PER_YEAR / SC  # 8: one year of progress
T_MAX_MONTHS = 48.0
VARIANTS = ("decaying_r", "constant_r")
PUBLISHED_PAIRS = ((12.0, 3.0), (4.0, 10.0), (12.0, 10.0), (4.0, 30.0))
STOP_REASONS = ("time limit", "ceiling")  # ceiling: N doublings done (or r <= 0)
MAX_STEPS = 100_000  # refuse draws that would need more doublings than this
LN2 = math.log(2.0)


@dataclass(frozen=True)
class DoublingsModel:
    """A model stepped one doubling at a time: its parameters (units, ranges, priors) and rules."""

    name: str
    summary: str
    equation: str
    parameters: tuple[Parameter, ...]
    variants: tuple[str, ...]

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise TakeoffError(
            f"unknown parameter '{name}' for {self.name}; "
            f"valid parameters: {', '.join(self.parameter_names)}"
        )

    def describe(self) -> str:
        lines = [f"{self.name}: {self.summary}", f"  {self.equation}", "  parameters:"]
        lines += [f"    {p.describe()}" for p in self.parameters]
        lines.append(f"  variants: {', '.join(self.variants)}")
        return "\n".join(lines)


SIE_DOUBLINGS = DoublingsModel(
    name="sie_doublings",
    summary="the software intelligence explosion of Davidson & Houlden (2025), one step per "
    "software doubling",
    equation="t += Δ; S *= 2; r -= r0/N; if r > 0: Δ *= 2^(p(1/r - 1)); Δ0 = 3/f months, "
    "N = (4/sc) L, stop at 48 months, N doublings or r <= 0",
    parameters=(
        Parameter(
            "f",
            "",
            "initial speed-up of software progress once AI R&D is automated",
            8.0,
            POSITIVE,
            Distribution("loguniform", low=2.0, high=32.0),
        ),
        Parameter(
            "r0",
            "",
            "initial returns to software R&D (software doublings per doubling of research input)",
            1.2,
            POSITIVE,
            Distribution("loguniform", low=0.4, high=3.6),
        ),
        Parameter(
            "L",
            "years of progress",
            "distance to the effective limits, in years of progress at the recent pace",
            11.0,
            POSITIVE,
            Distribution("uniform", low=6.0, high=16.0),
        ),
        Parameter(
            "p",
            "",
            "parallelisation penalty exponent",
            0.3,
            POSITIVE,
            Distribution("loguniform", low=0.15, high=0.6),
        ),
    ),
    variants=VARIANTS,
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


# --- the continuous-time counterpart ------------------------------------------------------------


def _integral_inverse_r(x, r0, N, decay):
    """∫_0^x du / r(u) for r(u) = r0 (1 - decay u/N): x/r0 at decay 0, else
    -(N / (decay r0)) ln(1 - decay x/N); +inf at and past the ceiling when decay = 1."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = decay * x / N
        decayed = -np.log1p(-np.minimum(z, 1.0)) * N / np.where(decay > 0, decay, 1.0) / r0
        return np.where(decay > 0, decayed, x / r0)


def log2_doubling_time(x, f, r0, L, p, *, constant_r: bool = False, sc: float = SC):
    """log2 of the doubling time Δ(x) in months after x doublings, in continuous time:

        d log2 Δ / dx = p (1/r(x) - 1),  r(x) = r0 (1 - x/N)  (r0 for constant r),
        log2 Δ(x) = log2(3/f) + p (∫_0^x du/r(u) - x).

    It is +inf at the ceiling x = N with the decrement (the last doublings take forever)."""
    N = ceiling_doublings(L, sc)
    decay = 0.0 if constant_r else 1.0
    return np.log2(3.0 / np.asarray(f, dtype=float)) + p * (
        _integral_inverse_r(x, r0, N, decay) - x
    )


def continuous_time_to(x, f, r0, L, p, *, constant_r: bool = False, sc: float = SC):
    """Months to reach x doublings in continuous time: t(x) = ∫_0^x Δ(u) du, d log2 S/dt = 1/Δ.

    Scalar parameters; ``x`` a number or an array (each below the ceiling N). Constant r has a
    closed form, Δ0 (2^(c x) - 1) / (c ln 2) with c = p (1/r0 - 1) (Δ0 x at c = 0); the decaying
    variant is integrated by adaptive quadrature (scipy)."""
    from scipy.integrate import quad

    x = np.atleast_1d(np.asarray(x, dtype=float))
    N = float(ceiling_doublings(L, sc))
    if (x < 0).any() or (not constant_r and (x >= N).any()):
        raise TakeoffError(f"x must lie in [0, N) with N = {N:g} doublings; got {x.max():g}")
    dt0 = 3.0 / f
    if constant_r:
        c = p * (1.0 / r0 - 1.0)
        if c == 0:
            return dt0 * x
        return dt0 * np.expm1(c * LN2 * x) / (c * LN2)

    def delta(u):
        return 2.0 ** float(log2_doubling_time(u, f, r0, L, p, sc=sc))

    out = np.empty_like(x)
    for i, xi in enumerate(x):  # scalar quadrature: this is the reference, not the simulator
        out[i] = quad(delta, 0.0, xi, epsabs=0.0, epsrel=1e-12, limit=200)[0]
    return out


def _continuous_growth_rate(tau, log_y, params):
    """d ln S / dt in 1/yr: ln 2 / Δ(log2 S), zero at and above the ceiling."""
    x = log_y[:, 0] / LN2
    N = ceiling_doublings(params["L"])
    with np.errstate(over="ignore", invalid="ignore"):
        inside = x < N
        log2_delta_years = np.log2(0.25 / params["f"]) + params["p"] * (
            _integral_inverse_r(np.where(inside, x, 0.0), params["r0"], N, params["decay"]) - x
        )
        rate = LN2 * np.exp2(-np.where(inside, log2_delta_years, np.inf))
    return rate[:, None]


def _continuous_regime(log_y0, params):
    label = np.where(params["r0"] > 1.0, "accelerating (r > 1)", "decelerating or steady (r <= 1)")
    return np.where(params["decay"] > 0, np.char.add(label, " while r decays"), label)


SIE_CONTINUOUS = Family(
    name="sie_continuous",
    summary="continuous-time counterpart of sie_doublings: d log2 S/dt = 1/Δ(S)",
    equation="d log2 S/dt = 1/Δ;  d log2 Δ / d log2 S = p (1/r(S) - 1);  "
    "r(S) = r0 (1 - decay log2 S / N);  Δ(0) = 0.25/f yr;  N = (4/sc) L",
    states=(
        State("S", "software level (S0 = 1)", "software, in units of its level at automation"),
    ),
    parameters=(
        *SIE_DOUBLINGS.parameters,
        Parameter(
            "decay",
            "",
            "1: r falls linearly to 0 at the ceiling (published); 0: constant r",
            1.0,
            Interval(0.0, 1.0, low_closed=True, high_closed=True),
            Distribution("uniform", low=0.0, high=1.0),
        ),
    ),
    growth_rate=_continuous_growth_rate,
    regime=_continuous_regime,
    log_ceiling=lambda params: (ceiling_doublings(params["L"]) * LN2)[:, None],
)

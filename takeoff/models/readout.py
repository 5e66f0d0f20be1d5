"""From loss to horizons: a capability read-out (not a growth law), exact and vectorised.

Scaling laws measure single-step prediction loss; useful autonomy is multi-step. The read-out
turns reducible loss into a task horizon through compounding per-step reliability:

    eps_step = c (L − E)^kappa                 per-step failure (clipped below 1)
    P(success on an n-step task) = (1 − eps_step)^n
    n50 = ln 0.5 / ln(1 − eps_step)            steps at 50% success (≈ ln 2 / eps_step)
    H50 = step_minutes · n50                   the 50% horizon in human minutes

and links it to compute through the Chinchilla law under compute-optimal allocation
(:mod:`takeoff.models.scaling`: L − E = K (C/6)^−gamma, gamma = alpha beta / (alpha + beta))
and to dates through the compute trend log10 C(t) = level + slope (t − t_ref)
(:mod:`takeoff.models.trend`). With eps_step
small, H50 ∝ (L − E)^−kappa ∝ C^(kappa gamma): horizons grow exponentially in time, with the
constant doubling time

    T = ln 2 / (kappa gamma slope ln 10) years = log10(2) / (kappa gamma slope) years.

kappa = 1 is the plain "p^n compounding" null: per-step error proportional to reducible loss,
so the horizon grows as 1 / (L − E), no faster than loss falls.

Assumptions and limits (each a hypothesis, not a result):
- steps fail independently with one rate; real tasks have steps of unequal difficulty,
  recoveries from errors and correlated failures;
- per-step failure is a power of reducible loss on text, a mapping nobody has measured; kappa
  absorbs everything between pre-training loss and agentic reliability (post-training,
  scaffolding, tools), which does not all scale with pre-training compute;
- frontier labs are assumed to train compute-optimally on the Chinchilla law's data
  distribution, and the law is extrapolated several orders of magnitude past its data;
- c and step_minutes are nearly degenerate: when eps_step is small only step_minutes / c
  matters (H50 ≈ step_minutes ln 2 / eps_step), so one of them must be fixed or given a
  prior; they separate only through the bend of n50 where eps_step is not small.
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.arrays import is_symbolic

LN_HALF = math.log(0.5)
EPS_CAP = 1.0 - 1e-12  # eps_step is clipped below 1 (every step failing: a zero horizon)


def per_step_failure(reducible, c, kappa):
    """eps_step = c (L − E)^kappa, clipped to [0, 1 − 1e-12]."""
    reducible = np.asarray(reducible, dtype=float)
    if np.any(reducible < 0):
        raise TakeoffError("reducible loss L − E must be non-negative")
    return np.clip(np.asarray(c, dtype=float) * reducible**kappa, 0.0, EPS_CAP)


def success(eps_step, n_steps):
    """P(success on an n-step task) = (1 − eps_step)^n for independent steps."""
    return np.exp(np.asarray(n_steps, dtype=float) * np.log1p(-np.asarray(eps_step, float)))


def n50(eps_step):
    """The 50% horizon in steps, ln 0.5 / ln(1 − eps_step) (infinite at eps_step = 0)."""
    eps_step = np.asarray(eps_step, dtype=float)
    with np.errstate(divide="ignore"):
        return LN_HALF / np.log1p(-eps_step)


def horizon_minutes(reducible, c, kappa, step_minutes):
    """The 50% horizon in minutes: step_minutes · n50(c (L − E)^kappa)."""
    return np.asarray(step_minutes, float) * n50(per_step_failure(reducible, c, kappa))


def doubling_time_years(kappa, gamma, slope):
    """The small-eps_step horizon doubling time log10(2) / (kappa gamma slope) in years
    (numpy or PyTensor; numpy refuses non-positive rates)."""
    if is_symbolic(kappa) or is_symbolic(gamma) or is_symbolic(slope):
        return math.log10(2.0) / (kappa * gamma * slope)
    rate = np.asarray(kappa, float) * np.asarray(gamma, float) * np.asarray(slope, float)
    if np.any(rate <= 0):
        raise TakeoffError("kappa, gamma and the compute slope must be positive")
    return math.log10(2.0) / rate


def n50_elasticity(eps_step):
    """−d ln n50 / d ln eps_step = eps / ((1 − eps)(−ln(1 − eps))): 1 as eps → 0, larger where
    eps_step is not small (horizons there grow faster than the small-eps doubling time)."""
    eps_step = np.asarray(eps_step, dtype=float)
    small = eps_step < 1e-8
    safe = np.where(small, 0.5, eps_step)
    exact = safe / ((1.0 - safe) * -np.log1p(-safe))
    return np.where(small, 1.0 + eps_step / 2.0, exact)


# The read-out against effective compute, with a change of exponent ------------------------------
#
# ln H = ln H0 + h (ln E − ln E0) + dh (ramp(ln E − ln E_c) − ramp(ln E0 − ln E_c))
#
# H ∝ E^h below the change and E^(h + dh) above it: the straight law H = H0 (E/E0)^h when dh = 0
# (exactly: the ramp term is multiplied by zero). ``ramp`` is a smooth max(z, 0) of width
# CHANGE_WIDTH e-folds of effective compute (a few months of effective-compute growth, narrower
# than the spacing of the METR models, smooth so that NUTS can move the change's location).

CHANGE_WIDTH = 0.5  # e-folds of effective compute over which the exponent changes


def ramp(z, width=CHANGE_WIDTH, xp=None):
    """A smooth max(z, 0): width · softplus(z / width), stable for large |z| (numpy or PyTensor)."""
    from takeoff.models.arrays import namespace_of

    xp = xp or namespace_of(z)
    s = z / width
    return width * (xp.maximum(s, 0.0) + xp.log1p(xp.exp(-xp.abs(s))))


def log_horizon_changed(log_e, log_e0, log_h0, h, dh, log_e_change, width=CHANGE_WIDTH, xp=None):
    """ln H [ln minutes] at ln effective compute ``log_e``: H = H0 at E0, d ln H / d ln E = h
    below E_change and h + dh above it (over ~``width`` e-folds). Elementwise and broadcasting;
    numpy arrays or PyTensor tensors alike (``xp``: the namespace of
    :mod:`takeoff.models.arrays`, picked from the arguments when None)."""
    from takeoff.models.arrays import namespace_of

    xp = xp or namespace_of(log_e, log_e0, log_h0, h, dh, log_e_change)
    bend = ramp(log_e - log_e_change, width, xp) - ramp(log_e0 - log_e_change, width, xp)
    return log_h0 + h * (log_e - log_e0) + dh * bend

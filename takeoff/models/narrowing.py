"""How far data narrowed an assumption: the width of a central interval of draws, and the ratio
posterior over prior (near 1: the data did not narrow it, a labelled prior; well below 1: the
data identified it). One definition for the fits' printouts, the scenario details and the
figures."""

from __future__ import annotations

import numpy as np


def finite_draws(x, log: bool = False) -> np.ndarray:
    """The finite draws of ``x`` (flattened), and only the positive ones when ``log``."""
    x = np.asarray(x, float).ravel()
    x = x[np.isfinite(x)]
    return x[x > 0] if log else x


def interval_width(x, log: bool = False, prob: float = 0.9) -> float:
    """Width of the central ``prob`` interval of the draws, of ln x when ``log`` (scale
    parameters, whose linear width a long right tail sets)."""
    x = finite_draws(x, log)
    lo, hi = np.quantile(np.log(x) if log else x, [(1 - prob) / 2, (1 + prob) / 2])
    return float(hi - lo)


def width_ratio(prior, posterior, log: bool = False, prob: float = 0.9) -> float:
    """Posterior over prior width of the central ``prob`` interval (NaN for a prior of no
    width)."""
    prior_width = interval_width(prior, log, prob)
    return interval_width(posterior, log, prob) / prior_width if prior_width > 0 else float("nan")

"""The closed forms of takeoff.models.bernoulli written for PyTensor, for use inside PyMC.

Both branches of a ``switch`` are evaluated (and differentiated), so each branch gets inputs
where it is finite: no NaN gradients from the branch that is not taken.
"""

from __future__ import annotations

import pytensor.tensor as pt


def log1p_ratio(x):
    """φ(x) = ln(1+x)/x, φ(0) = 1. Past a blow-up (x <= -1) x is clipped just above -1, so the
    value is large but finite and the likelihood, not a NaN, tells the sampler to go back."""
    x = pt.maximum(x, -1.0 + 1e-12)
    small = pt.abs(x) < 1e-6
    safe = pt.switch(small, 1.0, x)
    return pt.switch(small, 1.0 - 0.5 * x + x * x / 3.0, pt.log1p(safe) / safe)


def power_law_log_path(tau, log_y0, rate, excess):
    """ln y(τ) for dy/dτ = rate · y (y/y0)^excess, y(0) = y0: the power law with alpha =
    1 + excess written around its value y0 at τ = 0 (τ may be negative: back in time)."""
    return log_y0 + rate * tau * log1p_ratio(-excess * rate * tau)

"""A posterior variable's draws and their central interval as text: the pieces each fit's
report lines are written with (numpy only)."""

from __future__ import annotations

import numpy as np


def interval(values: np.ndarray, unit: str = "", digits: int = 4) -> str:
    """Median with its central 94% interval."""
    lo, mid, hi = np.quantile(values, [0.03, 0.5, 0.97])
    u = f" {unit}" if unit else ""
    return f"{mid:.{digits}g}{u} (94% interval {lo:.{digits}g} to {hi:.{digits}g})"


def draws(idata, name: str) -> np.ndarray:
    """A posterior variable's draws, flattened over chains."""
    return idata.posterior[name].values.reshape(-1)

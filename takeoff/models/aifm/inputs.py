"""The AI Futures Model's exogenous inputs: the peer's input series (human AI-research labour,
inference and experiment compute, training-compute growth), loaded through the data layer
(``takeoff.data.load("aifutures_progress")``), checked, and interpolated at per-draw or shared
times (log-linearly; the growth rate linearly, floored at 0, with its exact integral)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from takeoff.data import load
from takeoff.errors import TakeoffError
from takeoff.models.aifm.parameters import TIME_SERIES_PARAMETERS


@dataclass(frozen=True)
class AifmInputs:
    """The exogenous series on their input years (K,): human labour, inference compute,
    experiment compute (all > 0) and the training-compute growth rate in OOMs/yr."""

    time: np.ndarray
    L_HUMAN: np.ndarray
    inference_compute: np.ndarray
    experiment_compute: np.ndarray
    training_compute_growth_rate: np.ndarray


INPUT_COLUMNS = (
    "time",
    "L_HUMAN",
    "inference_compute",
    "experiment_compute",
    "training_compute_growth_rate",
)


@functools.lru_cache(maxsize=1)
def _input_table() -> dict[str, np.ndarray]:
    frame = load("aifutures_progress")
    return {k: frame[k].to_numpy(dtype=float) for k in INPUT_COLUMNS}


def load_inputs() -> AifmInputs:
    """The peer's default ``input_data.csv`` (the bundled data set ``aifutures_progress``,
    unmodified; see its PROVENANCE.md), each call its own arrays."""
    table = _input_table()
    return check_inputs(AifmInputs(**{k: table[k].copy() for k in INPUT_COLUMNS}))


def check_inputs(inputs: AifmInputs) -> AifmInputs:
    t = np.asarray(inputs.time, dtype=float)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0) or not np.all(np.isfinite(t)):
        raise TakeoffError("input times must be at least two finite, strictly increasing years")
    for name in ("L_HUMAN", "inference_compute", "experiment_compute"):
        a = np.asarray(getattr(inputs, name), dtype=float)
        if a.shape != t.shape or np.any(~np.isfinite(a) | (a <= 0)):
            raise TakeoffError(f"input {name} must be finite and positive at every input year")
    g = np.asarray(inputs.training_compute_growth_rate, dtype=float)
    if g.shape != t.shape or not np.all(np.isfinite(g)):
        raise TakeoffError("input training_compute_growth_rate must be finite at every input year")
    return inputs


def training_growth_table(inputs: AifmInputs, n: int, ts: Mapping | None = None) -> np.ndarray:
    """(n, K) growth rates at the input years: the input series, or (the peer's Monte Carlo)
    ``constant_training_compute_growth_rate`` before ``slowdown_year`` and
    ``post_slowdown_training_compute_growth_rate`` from it on."""
    if not ts:
        return np.broadcast_to(inputs.training_compute_growth_rate, (n, inputs.time.size))
    c1, y, c2 = (
        np.broadcast_to(np.asarray(ts[k], dtype=float), (n,)) for k in TIME_SERIES_PARAMETERS
    )
    return np.where(inputs.time[None, :] < y[:, None], c1[:, None], c2[:, None])


class InputSeries:
    """Interpolation of the inputs at per-draw or shared times, and int_{t0}^t g exactly."""

    def __init__(self, inputs: AifmInputs, g: np.ndarray, t0: np.ndarray):
        self.tk = np.asarray(inputs.time, dtype=float)
        self.logs = np.stack(
            [
                np.log(inputs.L_HUMAN),
                np.log(inputs.inference_compute),
                np.log(inputs.experiment_compute),
            ]
        )  # (3, K)
        self.g = np.asarray(g, dtype=float)  # (n, K)
        n = self.g.shape[0]
        dt = np.diff(self.tk)
        seg = _positive_linear_integral(self.g[:, :-1], self.g[:, 1:], dt[None, :], dt[None, :])
        self.gcum = np.concatenate([np.zeros((n, 1)), np.cumsum(seg, axis=1)], axis=1)
        self.G0 = self._gint(t0, np.arange(n))

    def segment(self, t):
        k = np.clip(np.searchsorted(self.tk, t, side="right") - 1, 0, self.tk.size - 2)
        frac = np.clip((t - self.tk[k]) / (self.tk[k + 1] - self.tk[k]), 0.0, 1.0)
        return k, frac

    def log_inputs(self, t):
        """ln H, ln C, ln X at t (any shape) and their d/dt on the segment (right-derivatives)."""
        k, frac = self.segment(t)
        lo, hi = self.logs[:, k], self.logs[:, k + 1]
        vals = lo + (hi - lo) * frac
        inside = (t >= self.tk[0]) & (t < self.tk[-1])
        slopes = np.where(inside, (hi - lo) / (self.tk[k + 1] - self.tk[k]), 0.0)
        return vals, slopes

    def growth(self, t, rows):
        k, frac = self.segment(t)
        a, b = self.g[rows, k], self.g[rows, k + 1]
        return np.maximum(a + (b - a) * frac, 0.0)

    def _gint(self, t, rows):
        k, _ = self.segment(t)
        a, b = self.g[rows, k], self.g[rows, k + 1]
        L = self.tk[k + 1] - self.tk[k]
        x = np.clip(t - self.tk[k], 0.0, L)
        extra = np.where(t > self.tk[-1], (t - self.tk[-1]) * np.maximum(self.g[rows, -1], 0), 0.0)
        extra = extra + np.where(
            t < self.tk[0], (t - self.tk[0]) * np.maximum(self.g[rows, 0], 0), 0.0
        )
        return self.gcum[rows, k] + _positive_linear_integral(a, b, L, x) + extra

    def G(self, t, rows):
        """int_{t0}^t max(g, 0) ds (OOMs of training compute since the start)."""
        return self._gint(t, rows) - self.G0[rows]


def _positive_linear_integral(a, b, L, x):
    """int_0^x max(0, a + (b - a) s / L) ds for 0 <= x <= L (exact)."""
    m = (b - a) / L
    with np.errstate(divide="ignore", invalid="ignore"):
        s0 = np.where(m != 0, -a / np.where(m != 0, m, 1.0), np.inf)
    lo = np.where(m > 0, np.clip(s0, 0.0, x), 0.0)
    hi = np.where(m < 0, np.clip(s0, 0.0, x), x)
    hi = np.where((m == 0) & (a <= 0), 0.0, hi)
    hi = np.maximum(hi, lo)
    return a * (hi - lo) + 0.5 * m * (hi * hi - lo * lo)

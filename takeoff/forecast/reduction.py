"""Exact reduction over draws: integer histograms and the quantiles read off them.

Every forecast kind reduces its blocks of simulated draws to fixed-size integer counts, so the
counts of different chunks (and Dask workers) add exactly, the local and the Dask engine give
identical summaries for the same seed, and memory does not grow with the number of draws. This
module holds what the kinds share:

- ``Counts``: a base for a kind's accumulator (a dataclass of counts): ``merge`` adds two of
  them field by field; a field whose ``metadata["merge"]`` is ``"min"`` or ``"max"`` (exact
  extremes of the counted values) takes the smaller or larger; a field that is None stays None;
- counting: ``bin_rows`` (values against bin edges, with under- and overflow bins),
  ``uniform_bins`` (the bin index of each value in bins of equal width, clamped to the range),
  ``integer_counts`` (integer values 0, 1, ... with the last bin holding the rest);
- quantiles: ``interpolated_quantiles`` (linear within a bin, -inf / +inf in the under- and
  overflow: continuous quantities, the trajectory kind) and ``histogram_quantiles`` (the inverted
  CDF: the smallest value whose share reaches q, at its bin's middle clamped to the exact
  extremes; integer values with ``low=-0.5, width=1``: the doublings and aifm kinds);
- ``standard_error``: the Monte Carlo standard error of a share.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from takeoff.units import QUANTILES

MERGE = {"min": np.minimum, "max": np.maximum}


class Counts:
    """A base for accumulators (dataclasses of exact counts): ``merge`` adds field by field."""

    def merge(self, other):
        """The counts of ``self`` and ``other`` together: a new accumulator."""
        values = {}
        for f in dataclasses.fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            how = f.metadata.get("merge")
            values[f.name] = None if a is None else (MERGE[how](a, b) if how else a + b)
        return type(self)(**values)


def bin_rows(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin for each column of ``values`` (n, T) -> (T, bins + 2): under, bins, over.
    Non-finite values: -inf under, +inf/NaN over."""
    idx = np.searchsorted(edges, values, side="right")  # 0 = under, len(edges) = over
    idx = np.where(np.isnan(values), len(edges), idx)
    T = values.shape[1]
    flat = idx + (len(edges) + 1) * np.arange(T)[None, :]
    return np.bincount(flat.ravel(), minlength=T * (len(edges) + 1)).reshape(T, len(edges) + 1)


def uniform_bins(values: np.ndarray, low: float, width: float, bins: int) -> np.ndarray:
    """The index of each value's bin [low + i width, low + (i+1) width), values beyond the range
    in the first or last bin (±inf included; no NaN)."""
    return np.clip(np.floor((values - low) / width), 0, bins - 1).astype(np.int64)


def integer_counts(values: np.ndarray, bins: int) -> np.ndarray:
    """Counts of integer values 0 .. bins - 1; the last bin also holds the larger ones."""
    return np.bincount(np.minimum(values, bins - 1), minlength=bins).astype(np.int64)


def interpolated_quantiles(counts: np.ndarray, edges: np.ndarray, qs=QUANTILES) -> np.ndarray:
    """Quantiles from histogram rows (..., bins + 2 incl. under/over, as ``bin_rows`` counts),
    linear within a bin; -inf / +inf where the quantile falls in the under/overflow."""
    counts = np.atleast_2d(counts)
    total = counts.sum(axis=1, keepdims=True)
    cum = np.cumsum(counts, axis=1)
    out = np.empty((counts.shape[0], len(qs)))
    for k, q in enumerate(qs):
        target = q * total[:, 0]
        idx = np.argmax(cum >= target[:, None] - 1e-9, axis=1)
        prev = np.where(idx > 0, cum[np.arange(len(idx)), idx - 1], 0)
        inside = counts[np.arange(len(idx)), idx]
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.clip(np.where(inside > 0, (target - prev) / inside, 1.0), 0, 1)
        value = np.full(len(idx), np.nan)
        interior = (idx >= 1) & (idx <= len(edges) - 1)
        left = edges[np.clip(idx - 1, 0, len(edges) - 1)]
        right = edges[np.clip(idx, 0, len(edges) - 1)]
        value[interior] = (left + frac * (right - left))[interior]
        value[idx == 0] = -np.inf
        value[idx >= len(edges)] = np.inf
        out[:, k] = value
    return out


def histogram_quantiles(
    counts,
    total,
    qs=QUANTILES,
    low: float = -0.5,
    width: float = 1.0,
    vmin: float = -math.inf,
    vmax: float = math.inf,
    edges: bool = False,
) -> np.ndarray:
    """Quantiles (the inverted CDF: the smallest value whose share of ``total`` reaches q) of
    values counted in bins [low + i width, low + (i+1) width); values not in the histogram
    (``total - counts.sum()`` of them) lie above it (+inf). Each quantile is its bin's middle
    clamped to the exact extremes [vmin, vmax] of the counted values; NaN if total is 0.
    ``edges``: the first and last bins also hold the values beyond the range, and a quantile
    there is the range's edge (a bound), clamped likewise. The defaults count integer values
    0, 1, ... (``integer_counts``): a quantile is then the value itself."""
    counts = np.asarray(counts)
    if total == 0:
        return np.full(len(qs), np.nan)
    cum = np.cumsum(counts)
    out = []
    for q in qs:
        rank = max(math.ceil(q * total - 1e-9), 1)
        if rank > cum[-1]:
            out.append(math.inf)
            continue
        b = int(np.searchsorted(cum, rank))
        x = low + (b + 0.5) * width
        if edges and b == 0:
            x = low + width
        elif edges and b == counts.size - 1:
            x = low + b * width
        out.append(min(max(x, vmin), vmax))
    return np.array(out, dtype=float)


def standard_error(p, n: int):
    """Monte Carlo standard error of a share p of n independent draws: sqrt(p (1 - p) / n);
    NaN where there are no draws."""
    p = np.asarray(p, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(p * (1.0 - p) / n) if n > 0 else np.full(p.shape, np.nan)

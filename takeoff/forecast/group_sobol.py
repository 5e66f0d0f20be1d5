"""Sobol indices of groups of inputs by pick-freeze, with each group drawn jointly.

A "column" of the design is a whole group of inputs. Two matrices A and B each hold N joint
draws of every input, drawn exactly as the forecast draws them (``draw_block``: one posterior
draw index per fit and draw, so the variables of one fit keep their correlations; different
fits independently; distributions through the scenario's copula). A is the scenario's first N
draws with the seed, B the next N. ``A_B^(g)`` is A with the inputs of group g taken from B.
Because groups are drawn independently of each other (a fit's variables all sit in one group),
the group indices are well defined even though inputs within a group are correlated:

- first order (Saltelli 2010): ``S_g = mean(f(B) (f(A_B^g) - f(A))) / V``, the share of the
  output's variance explained by the group alone, ``V[E(Y | X_g)] / V(Y)``;
- total (Jansen 1999): ``ST_g = mean((f(A) - f(A_B^g))^2) / (2 V)``;

with f centred on its mean and ``V`` its variance over the 2N runs of A and B, and 95%
intervals from a bootstrap over the N rows (half-width 1.96 standard deviations of the
resampled indices, as SALib).

``joint_draws`` draws A and B for a scenario, ``design`` stacks the runs, ``group_indices``
estimates the indices from the outputs of those runs; ``takeoff.forecast.sensitivity`` runs
them for ``sobol(..., by="source")``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import BLOCK, draw_block, load_posterior_draws

Z95 = 1.959963984540054
RESAMPLES = 500


def joint_draws(
    scenario: Scenario, n: int, seed: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Two independent blocks of ``n`` joint draws of every input (A, B), as the forecast draws
    them: A is draws 0..n-1 of the scenario with ``seed``, B draws n..2n-1 (whole blocks on)."""
    sources = scenario.all_sources()
    posteriors = load_posterior_draws(sources)
    blocks = math.ceil(n / BLOCK)

    def draws(first: int) -> dict[str, np.ndarray]:
        parts = [
            draw_block(sources, scenario.correlations, posteriors, seed, first + b)
            for b in range(blocks)
        ]
        return {k: np.concatenate([p[k] for p in parts])[:n] for k in sources}

    return draws(0), draws(blocks)


def design(
    a: Mapping[str, np.ndarray],
    b: Mapping[str, np.ndarray],
    groups: Mapping[str, str],
    order: Sequence[str],
) -> dict[str, np.ndarray]:
    """The stacked runs A, B, then A_B^(g) for each group g in ``order`` (``groups``: input
    -> its group; inputs not in ``groups`` come from A everywhere)."""
    out = {}
    for key in a:
        parts = [a[key], b[key]]
        parts += [b[key] if groups.get(key) == g else a[key] for g in order]
        out[key] = np.concatenate(parts)
    return out


def group_indices(
    y: np.ndarray, n: int, order: Sequence[str], rng: np.random.Generator
) -> list[tuple[str, float, float, float, float]]:
    """(group, S1, S1_conf, ST, ST_conf) from the outputs ``y`` of ``design``'s runs."""
    y = np.asarray(y, dtype=float)
    if y.shape != (n * (len(order) + 2),):
        raise ValueError(f"expected {n * (len(order) + 2)} outputs, got {y.shape}")
    y = y - y[: 2 * n].mean()  # centred: the first-order estimator is not shift-invariant
    y_a, y_b = y[:n], y[n : 2 * n]
    y_ab = [y[(2 + j) * n : (3 + j) * n] for j in range(len(order))]
    resample = rng.integers(0, n, (RESAMPLES, n))
    rows = []
    for g, y_g in zip(order, y_ab, strict=True):
        s1, st = _estimates(y_a, y_b, y_g)
        boot = np.array([_estimates(y_a[i], y_b[i], y_g[i]) for i in resample])
        with np.errstate(invalid="ignore"):
            conf = Z95 * np.nanstd(boot, axis=0, ddof=1)
        rows.append((g, s1, float(conf[0]), st, float(conf[1])))
    return rows


def _estimates(y_a: np.ndarray, y_b: np.ndarray, y_g: np.ndarray) -> tuple[float, float]:
    variance = np.var(np.concatenate([y_a, y_b]))
    if variance <= 0:
        return math.nan, math.nan
    s1 = np.mean(y_b * (y_g - y_a)) / variance
    st = 0.5 * np.mean((y_a - y_g) ** 2) / variance
    return float(s1), float(st)

"""Where a scenario's uncertain numbers come from: a fixed value, a named distribution, or draws
from a saved posterior (shipped or a user's .nc), each with an optional transform.

A transform is data, never code: ``shift + scale * f(x)`` with f one of a few named functions,
so ``alpha = 1 + eps`` is ``{ posterior = "horizon_dynamics", variable = "eps", shift = 1 }``.
A posterior source's variable may be the fit's own or what the fit derives from it in code with
units (its family's parameters, e.g. ``T0`` in years, its initial states as ``initial.H``, and
its exports, e.g. a trend's ``growth_rate``): unit conversions live in the fit, not in scenarios.

Draws are made block by block (``BLOCK`` draws per block, each block with its own seed derived
from the scenario seed and the block index), so the numbers for draw i are the same however the
draws are split into chunks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.formatting import source_name
from takeoff.models.distributions import Distribution

BLOCK = 1000
FUNCTIONS = {
    "identity": lambda x: x,
    "exp": np.exp,
    "log": np.log,
    "log10": np.log10,
    "pow10": lambda x: 10.0**x,
    "reciprocal": lambda x: 1.0 / x,
}


@dataclass(frozen=True)
class Transform:
    shift: float = 0.0
    scale: float = 1.0
    function: str = "identity"

    def __call__(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return self.shift + self.scale * FUNCTIONS[self.function](np.asarray(x, dtype=float))

    def describe(self, inner: str) -> str:
        core = inner if self.function == "identity" else f"{self.function}({inner})"
        if self.scale != 1.0:
            core = f"{self.scale:g} * {core}"
        if self.shift != 0.0:
            core = f"{self.shift:g} + {core}"
        return core


@dataclass(frozen=True)
class Fixed:
    value: float

    def describe(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class FromDistribution:
    distribution: Distribution
    transform: Transform = field(default_factory=Transform)

    def describe(self) -> str:
        return self.transform.describe(self.distribution.describe())


@dataclass(frozen=True)
class FromPosterior:
    source: str  # a shipped posterior's name or a path to a .nc file
    variable: str
    transform: Transform = field(default_factory=Transform)

    def describe(self) -> str:
        return self.transform.describe(f"posterior {source_name(self.source)}:{self.variable}")


Source = Fixed | FromDistribution | FromPosterior


def probability_above(source: Source, threshold: float, n: int = 100_000) -> float:
    """P(value > threshold) of a fixed or distribution source, exactly up to 1/n (the
    transformed quantile function on an even grid of n probabilities); a posterior source
    has no prior of its own and is refused."""
    if isinstance(source, Fixed):
        return float(source.value > threshold)
    if isinstance(source, FromPosterior):
        raise TakeoffError(f"{source.describe()} is a posterior, not a prior; name a prior")
    u = (np.arange(n) + 0.5) / n
    return float(np.mean(source.transform(source.distribution.ppf(u)) > threshold))


def block_rng(seed: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, block]))


def draw_block(
    sources: Mapping[str, Source],
    correlations: Sequence[tuple[str, str, float]],
    posteriors: Mapping[str, dict[str, np.ndarray]],
    seed: int,
    block: int,
    size: int = BLOCK,
) -> dict[str, np.ndarray]:
    """``size`` draws of every source for block number ``block``.

    Distribution sources are drawn through a Gaussian copula (so ``correlations`` between them
    hold, with their marginals intact); every posterior source draws one posterior sample index
    per draw and file, so variables of the same posterior keep their joint distribution.
    """
    rng = block_rng(seed, block)
    names = sorted(sources)
    dists = [n for n in names if isinstance(sources[n], FromDistribution)]
    out: dict[str, np.ndarray] = {}
    if dists:
        z = rng.standard_normal((size, len(dists))) @ _cholesky(dists, correlations).T
        u = np.clip(0.5 * (1.0 + _erf(z / math.sqrt(2.0))), 1e-12, 1 - 1e-12)
        for j, name in enumerate(dists):
            src = sources[name]
            out[name] = src.transform(src.distribution.ppf(u[:, j]))
    index = {
        path: rng.integers(0, next(iter(draws.values())).size, size)
        for path, draws in sorted(posteriors.items())
    }
    for name in names:
        src = sources[name]
        if isinstance(src, Fixed):
            out[name] = np.full(size, src.value)
        elif isinstance(src, FromPosterior):
            out[name] = src.transform(posteriors[src.source][src.variable][index[src.source]])
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return erf(x)


def _cholesky(names: list[str], correlations: Sequence[tuple[str, str, float]]) -> np.ndarray:
    corr = np.eye(len(names))
    position = {n: i for i, n in enumerate(names)}
    for a, b, rho in correlations:
        if a not in position or b not in position:
            missing = a if a not in position else b
            raise TakeoffError(
                f"correlation names '{missing}', which is not a parameter drawn from a "
                "distribution; correlate distribution parameters only"
            )
        corr[position[a], position[b]] = corr[position[b], position[a]] = rho
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        raise TakeoffError(
            "the correlations are not a valid correlation matrix (not positive definite); "
            "reduce their magnitudes"
        ) from None


def load_posterior_draws(sources: Mapping[str, Source]) -> dict[str, dict[str, np.ndarray]]:
    """For every posterior the sources name: each named quantity's draws, flattened
    (chain x draw). A quantity is a posterior variable or what the fit derives from it in
    code: its family's parameters and initial states (``initial.H``) and its exports."""
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.fits.exports import resolve

    wanted: dict[str, set[str]] = {}
    for src in sources.values():
        if isinstance(src, FromPosterior):
            wanted.setdefault(src.source, set()).add(src.variable)
    return {
        source: resolve(load_posterior(source), sorted(variables), str(source))
        for source, variables in wanted.items()
    }

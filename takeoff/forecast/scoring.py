"""Proper scores of probabilistic forecasts at held-out points (pure numpy).

A forecast of n held-out points is a ``Predictive``: a mixture over S draws, each draw a
location-scale Student-t (degrees of freedom ``df``; ``inf`` = Gaussian) per point. That is
exactly the posterior predictive of a fit whose likelihood is a Student-t around its law (every
fit scored here): each posterior draw gives the law's value and the fit's own observation noise.

- ``log_density``: the log predictive density of each observation,
  ln[(1/S) sum_s t_df_s(y; loc_s, scale_s)] (log-sum-exp over the draws; exact for the mixture,
  a Monte Carlo estimate of the posterior predictive with error O(1/sqrt(S)));
- ``elpd``: its sum over points with the standard error sqrt(n var(lpd_i)) (as for LOO);
  ``paired_difference`` the same for the pointwise difference of two models on the same points;
- ``crps``: the continuous ranked probability score from predictive samples,
  E|X − y| − E|X − X'| / 2 with the fair (unbiased) estimator of E|X − X'|, S(S−1) pairs, in
  O(S log S) per point from the sorted sample; ``crps_gaussian`` its closed form for a normal;
- ``pit``: the probability integral transform F(y) from the samples (share of samples at or
  below y), uniform on [0, 1] for a calibrated forecast; ``chi_square_uniform`` bins it;
- ``central_interval`` / ``covered``: the central 50% and 90% intervals from the samples.

Lower CRPS is better; higher ELPD is better. Skill against a reference: 1 − CRPS/CRPS_ref and
the ELPD difference with its paired standard error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LEVELS = (0.5, 0.9)  # central predictive intervals scored (coverage)


@dataclass(frozen=True)
class Predictive:
    """A mixture over S draws at n points: ``loc``, ``scale`` (S, n), ``df`` (S, n) (inf:
    Gaussian). Broadcasting shapes such as (S, 1) are accepted and expanded."""

    loc: np.ndarray
    scale: np.ndarray
    df: np.ndarray

    def __post_init__(self):
        loc, scale, df = np.broadcast_arrays(
            np.asarray(self.loc, float), np.asarray(self.scale, float), np.asarray(self.df, float)
        )
        if loc.ndim != 2:
            raise ValueError(f"a Predictive is (draws, points); got shape {loc.shape}")
        if not (np.all(scale > 0) and np.all(df > 0)):
            raise ValueError("a Predictive needs positive scales and degrees of freedom")
        object.__setattr__(self, "loc", loc.copy())
        object.__setattr__(self, "scale", scale.copy())
        object.__setattr__(self, "df", df.copy())

    @property
    def n(self) -> int:
        return self.loc.shape[1]

    def sample(self, rng: np.random.Generator, per_draw: int = 1) -> np.ndarray:
        """``per_draw`` observations from each draw: (S * per_draw, n)."""
        loc, scale, df = (np.repeat(a, per_draw, axis=0) for a in (self.loc, self.scale, self.df))
        z = np.where(np.isinf(df), rng.standard_normal(loc.shape), 0.0)
        finite = np.isfinite(df)
        if finite.any():
            z[finite] = rng.standard_t(df[finite])
        return loc + scale * z


_lgamma = np.vectorize(math.lgamma, otypes=[float])


def student_t_logpdf(y, loc, scale, df) -> np.ndarray:
    """ln of the location-scale Student-t density (df = inf: the normal), elementwise."""
    y, loc, scale, df = np.broadcast_arrays(*(np.asarray(a, float) for a in (y, loc, scale, df)))
    z = (y - loc) / scale
    out = -0.5 * z**2 - 0.5 * math.log(2 * math.pi) - np.log(scale)
    t = np.isfinite(df)
    if t.any():
        nu, zt = df[t], z[t]
        out[t] = (
            _lgamma((nu + 1) / 2)
            - _lgamma(nu / 2)
            - 0.5 * np.log(nu * math.pi)
            - np.log(scale[t])
            - (nu + 1) / 2 * np.log1p(zt**2 / nu)
        )
    return out


def log_density(predictive: Predictive, observed) -> np.ndarray:
    """ln p(y_i) of each observation under the mixture (see the module docstring): (n,)."""
    y = np.asarray(observed, float)[None, :]
    lp = student_t_logpdf(y, predictive.loc, predictive.scale, predictive.df)
    top = lp.max(axis=0)
    return top + np.log(np.mean(np.exp(lp - top), axis=0))


def elpd(lpd) -> tuple[float, float]:
    """(sum of the pointwise log predictive densities, its standard error sqrt(n var))."""
    lpd = np.asarray(lpd, float)
    n = lpd.size
    se = math.sqrt(n * np.var(lpd, ddof=1)) if n > 1 else math.nan
    return float(lpd.sum()), se


def paired_difference(a, b) -> tuple[float, float]:
    """ELPD(a) − ELPD(b) over the same points and its standard error from the pointwise
    differences, sqrt(n var(a_i − b_i)) (paired: what the two share cancels)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("a paired difference needs the same points in both")
    return elpd(a - b)


def crps(samples, observed) -> np.ndarray:
    """CRPS of each observation from predictive ``samples`` (S, n), the fair estimator
    mean|x − y| − sum_{i,j}|x_i − x_j| / (2 S (S − 1)): (n,)."""
    x = np.sort(np.asarray(samples, float), axis=0)
    y = np.asarray(observed, float)
    s = x.shape[0]
    if s < 2:
        raise ValueError("CRPS from samples needs at least 2 samples")
    first = np.mean(np.abs(x - y[None, :]), axis=0)
    weights = 2 * np.arange(1, s + 1) - s - 1  # sum_{i<j} (x_j - x_i) = sum_k w_k x_(k)
    spread = (weights[:, None] * x).sum(axis=0)  # = sum_{i<j} |x_i - x_j|
    return first - spread / (s * (s - 1))


def _normal_cdf(z):
    return 0.5 * (1 + np.vectorize(math.erf, otypes=[float])(np.asarray(z, float) / math.sqrt(2)))


def crps_gaussian(observed, mu, sigma) -> np.ndarray:
    """Closed-form CRPS of N(mu, sigma^2) at y: sigma [z (2 Phi(z) − 1) + 2 phi(z) − 1/sqrt(pi)]."""
    z = (np.asarray(observed, float) - mu) / sigma
    phi = np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
    return sigma * (z * (2 * _normal_cdf(z) - 1) + 2 * phi - 1 / math.sqrt(math.pi))


def pit(samples, observed) -> np.ndarray:
    """F(y) from the samples: the share at or below each observation, (n,)."""
    return np.mean(np.asarray(samples, float) <= np.asarray(observed, float)[None, :], axis=0)


def central_interval(samples, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The central ``level`` interval of the samples at each point."""
    lo, hi = np.quantile(np.asarray(samples, float), [(1 - level) / 2, (1 + level) / 2], axis=0)
    return lo, hi


def covered(samples, observed, level: float) -> np.ndarray:
    """Whether each observation falls inside the central ``level`` interval."""
    lo, hi = central_interval(samples, level)
    y = np.asarray(observed, float)
    return (lo <= y) & (y <= hi)


def pit_histogram(values, bins: int = 10) -> np.ndarray:
    """Counts of PIT values in ``bins`` equal bins of [0, 1]."""
    counts, _ = np.histogram(np.clip(np.asarray(values, float), 0, 1), bins=bins, range=(0, 1))
    return counts


def chi_square_uniform(values, bins: int = 10) -> tuple[float, float]:
    """Pearson's statistic of the PIT histogram against uniform and its upper-tail p-value
    (chi-square with bins − 1 degrees of freedom, by the Wilson-Hilferty normal approximation,
    good to ~0.01 in p at these degrees of freedom)."""
    counts = pit_histogram(values, bins)
    n = counts.sum()
    expected = n / bins
    stat = float(((counts - expected) ** 2 / expected).sum())
    k = bins - 1
    z = ((stat / k) ** (1 / 3) - (1 - 2 / (9 * k))) / math.sqrt(2 / (9 * k))
    return stat, float(1 - _normal_cdf(z))

"""The AI Futures Model's published Monte Carlo priors (``aifm_priors.toml`` beside this
module, transcribed from the peer's ``config/sampling_config.yaml``): each marginal a
:class:`~takeoff.models.distributions.Distribution` read as the peer's sampler reads it (80%
intervals; a shifted lognormal is a lognormal with a ``shift``; choices; the peer's ``clip`` to
its parameter bounds), the fixed values and the Spearman correlations through a Gaussian copula
(latent 2 sin(pi rho_s / 6)). The draws follow the same distribution as the peer's, not its
random stream."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy import special

from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution


@dataclass(frozen=True)
class Priors:
    """The published priors: a Distribution per sampled parameter (in the file's order), the
    fixed values, the correlated parameters and their Spearman matrix, the file's source."""

    marginals: dict[str, Distribution]
    fixed: dict
    correlated: tuple[str, ...]
    spearman: np.ndarray
    source: dict

    @property
    def latent_correlation(self) -> np.ndarray:
        """The Gaussian-copula correlation, 2 sin(pi rho_s / 6) (diagonal 1)."""
        m = np.clip(2.0 * np.sin(np.pi * self.spearman / 6.0), -0.9999, 0.9999)
        np.fill_diagonal(m, 1.0)
        return m

    def sample(self, n: int, seed: int) -> dict[str, np.ndarray]:
        """n draws of every published prior (correlated ones through the Gaussian copula); the
        other parameters keep their defaults (not returned). Seeded, no global state."""
        if not (isinstance(n, int) and n >= 1):
            raise TakeoffError(f"the number of draws must be a positive integer; got {n!r}")
        rng = np.random.default_rng(seed)
        chol = np.linalg.cholesky(self.latent_correlation)
        z = rng.standard_normal((n, len(self.correlated))) @ chol.T
        u_corr = special.ndtr(z)
        out = {}
        for name, m in self.marginals.items():
            if name in self.correlated:
                q = u_corr[:, self.correlated.index(name)]
            else:
                q = rng.uniform(0.0, 1.0, n)
            out[name] = m.ppf(q)
        for k, v in self.fixed.items():
            out[k] = np.full(n, float(v))
        return out


_Z90 = 1.2815515655446004
ORIGIN = "published"  # named before each prior's description


PRIORS_FILE = "aifm_priors.toml"


def _read() -> dict:
    return tomllib.loads((resources.files(__package__) / PRIORS_FILE).read_text())


def marginal(spec: dict) -> Distribution:
    """One entry of ``[parameters]`` as a Distribution (see the file's header for how the
    peer's sampler reads each kind)."""
    kind = spec["kind"]
    clip = tuple(spec["clip"]) if "clip" in spec else None
    if kind == "choice":
        return Distribution(
            "choice", values=tuple(spec["values"]), p=tuple(spec["p"]), clip=clip, origin=ORIGIN
        )
    shift = float(spec.get("shift", 0.0))
    if kind == "beta":
        return Distribution("beta", a=spec["a"], b=spec["b"], shift=shift, clip=clip, origin=ORIGIN)
    if kind == "uniform":
        return Distribution(
            "uniform", low=spec["low"], high=spec["high"], shift=shift, clip=clip, origin=ORIGIN
        )
    lo, hi = sorted(spec["ci80"])
    if kind == "normal":
        mu, sigma = 0.5 * (lo + hi), (hi - lo) / (2 * _Z90)
        return Distribution("normal", mu=mu, sigma=sigma, shift=shift, clip=clip, origin=ORIGIN)
    ll, lh = math.log(lo), math.log(hi)  # lognormal, shifted or not
    mu, sigma = 0.5 * (ll + lh), (lh - ll) / (2 * _Z90)
    return Distribution("lognormal", mu=mu, sigma=sigma, shift=shift, clip=clip, origin=ORIGIN)


def published_marginals() -> dict[str, Distribution]:
    """Each published prior's Distribution, by parameter name (the file's order)."""
    return {name: marginal(spec) for name, spec in _read()["parameters"].items()}


def load_priors() -> Priors:
    """The published Monte Carlo priors (``aifm_priors.toml``)."""
    data = _read()
    corr = data["correlation"]
    return Priors(
        {name: marginal(spec) for name, spec in data["parameters"].items()},
        dict(data.get("fixed", {})),
        tuple(corr["parameters"]),
        np.asarray(corr["matrix"], dtype=float),
        dict(data["source"]),
    )

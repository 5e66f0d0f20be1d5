"""Named probability distributions for parameters: default priors of the model families and,
later, the uncertain parameters of scenarios.

A distribution is a frozen value (kind + arguments); sampling takes an explicit
``numpy.random.Generator`` and never touches global random state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from takeoff.errors import TakeoffError

# kind -> (argument names, human description of the support)
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "normal": (("mu", "sigma"), "sigma > 0"),
    "lognormal": (("mu", "sigma"), "sigma > 0; mu, sigma are the mean and sd of log(x)"),
    "uniform": (("low", "high"), "low < high"),
    "loguniform": (("low", "high"), "0 < low < high"),
    "beta": (("a", "b"), "a > 0, b > 0"),
    "halfnormal": (("sigma",), "sigma > 0; |x| of a normal with mean 0"),
    "gamma": (("alpha", "beta"), "alpha > 0, beta > 0; shape alpha and rate beta"),
}


@dataclass(frozen=True)
class Distribution:
    """A named distribution, e.g. ``Distribution("loguniform", low=2, high=32)``."""

    kind: str
    args: tuple[tuple[str, float], ...]

    def __init__(self, kind: str, **args: float) -> None:
        if kind not in KINDS:
            raise TakeoffError(f"unknown distribution '{kind}'; choose one of: {', '.join(KINDS)}")
        names, support = KINDS[kind]
        if set(args) != set(names):
            raise TakeoffError(
                f"distribution '{kind}' takes arguments {', '.join(names)}; "
                f"got {', '.join(sorted(args)) or 'none'}"
            )
        values = {}
        for name in names:
            value = args[name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TakeoffError(
                    f"distribution '{kind}' argument {name} must be a number; got {value!r}"
                )
            if not math.isfinite(value):
                raise TakeoffError(
                    f"distribution '{kind}' argument {name} must be finite; got {value}"
                )
            values[name] = float(value)
        if not _valid(kind, values):
            raise TakeoffError(f"invalid arguments for '{kind}' {_format(values)}: need {support}")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "args", tuple((n, values[n]) for n in names))

    @property
    def params(self) -> dict[str, float]:
        return dict(self.args)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws as a float array."""
        p = self.params
        if self.kind == "normal":
            return rng.normal(p["mu"], p["sigma"], size)
        if self.kind == "lognormal":
            return rng.lognormal(p["mu"], p["sigma"], size)
        if self.kind == "uniform":
            return rng.uniform(p["low"], p["high"], size)
        if self.kind == "loguniform":
            return np.exp(rng.uniform(math.log(p["low"]), math.log(p["high"]), size))
        if self.kind == "halfnormal":
            return np.abs(rng.normal(0.0, p["sigma"], size))
        if self.kind == "gamma":
            return rng.gamma(p["alpha"], 1.0 / p["beta"], size)
        return rng.beta(p["a"], p["b"], size)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Quantile function (inverse CDF), for quasi-random designs such as Sobol samples."""
        from scipy import stats

        p = self.params
        q = np.asarray(q, dtype=float)
        if self.kind == "normal":
            return stats.norm.ppf(q, p["mu"], p["sigma"])
        if self.kind == "lognormal":
            return np.exp(stats.norm.ppf(q, p["mu"], p["sigma"]))
        if self.kind == "uniform":
            return p["low"] + q * (p["high"] - p["low"])
        if self.kind == "loguniform":
            lo, hi = math.log(p["low"]), math.log(p["high"])
            return np.exp(lo + q * (hi - lo))
        if self.kind == "halfnormal":
            return stats.halfnorm.ppf(q, scale=p["sigma"])
        if self.kind == "gamma":
            return stats.gamma.ppf(q, p["alpha"], scale=1.0 / p["beta"])
        return stats.beta.ppf(q, p["a"], p["b"])

    def describe(self) -> str:
        return f"{self.kind}{_format(self.params)}"


def _valid(kind: str, p: dict[str, float]) -> bool:
    if kind in ("normal", "lognormal", "halfnormal"):
        return p["sigma"] > 0
    if kind == "gamma":
        return p["alpha"] > 0 and p["beta"] > 0
    if kind == "uniform":
        return p["low"] < p["high"]
    if kind == "loguniform":
        return 0 < p["low"] < p["high"]
    return p["a"] > 0 and p["b"] > 0


def _format(p: dict[str, float]) -> str:
    return "(" + ", ".join(f"{k}={v:g}" for k, v in p.items()) + ")"

"""Named probability distributions for parameters: default priors of the model families and,
later, the uncertain parameters of scenarios.

A distribution is a frozen value (kind + arguments); sampling takes an explicit
``numpy.random.Generator`` and never touches global random state.

Beyond its kind a distribution may carry what published priors need (the AI Futures Model's,
:mod:`takeoff.models.aifm.priors`): a ``shift`` added to every value (a shifted lognormal is
``Distribution("lognormal", mu=..., sigma=..., shift=1.0)``), a ``clip`` to [low, high]
applied after the shift, and an ``origin`` named before its description ("published ...").
The kind ``choice`` is a discrete distribution over ``values`` with probabilities ``p``; the
quantile q picks the first value whose cumulative probability reaches q.
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
# the discrete kind (not offered by name in scenario tables and fit priors, which take KINDS)
CHOICE = "choice"
CHOICE_ARGS = (("values", "p"), "as many probabilities p > 0 as values, summing to 1")


@dataclass(frozen=True)
class Distribution:
    """A named distribution, e.g. ``Distribution("loguniform", low=2, high=32)``; optionally
    shifted (``shift``: added to every value), clipped (``clip``: (low, high), after the shift)
    and named by its ``origin`` in its description."""

    kind: str
    args: tuple[tuple[str, float | tuple[float, ...]], ...]
    shift: float = 0.0
    clip: tuple[float, float] | None = None
    origin: str = ""

    def __init__(
        self,
        kind: str,
        *,
        shift: float = 0.0,
        clip: tuple[float, float] | None = None,
        origin: str = "",
        **args: float,
    ) -> None:
        if kind not in KINDS and kind != CHOICE:
            raise TakeoffError(f"unknown distribution '{kind}'; choose one of: {', '.join(KINDS)}")
        names, support = CHOICE_ARGS if kind == CHOICE else KINDS[kind]
        if set(args) != set(names):
            raise TakeoffError(
                f"distribution '{kind}' takes arguments {', '.join(names)}; "
                f"got {', '.join(sorted(args)) or 'none'}"
            )
        if kind == CHOICE:
            values = _choice_args(args["values"], args["p"], support)
        else:
            values = {}
            for name in names:
                values[name] = _number(kind, name, args[name])
            if not _valid(kind, values):
                raise TakeoffError(
                    f"invalid arguments for '{kind}' {_format(values)}: need {support}"
                )
        shift = _number(kind, "shift", shift)
        if clip is not None:
            if len(clip) != 2:
                raise TakeoffError(f"distribution '{kind}' clip must be (low, high); got {clip!r}")
            clip = (_number(kind, "clip", clip[0]), _number(kind, "clip", clip[1]))
            if not clip[0] <= clip[1]:
                raise TakeoffError(f"distribution '{kind}' clip must have low <= high; got {clip}")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "args", tuple((n, values[n]) for n in names))
        object.__setattr__(self, "shift", shift)
        object.__setattr__(self, "clip", clip)
        object.__setattr__(self, "origin", str(origin))

    @property
    def params(self) -> dict[str, float]:
        return dict(self.args)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` independent draws as a float array."""
        if self.kind == CHOICE:
            return self._finish(self._choice(rng.uniform(0.0, 1.0, size)))
        return self._finish(self._sample(rng, size))

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Quantile function (inverse CDF), for quasi-random designs such as Sobol samples."""
        q = np.asarray(q, dtype=float)
        if self.kind == CHOICE:
            return self._finish(self._choice(q))
        return self._finish(self._ppf(q))

    def _finish(self, x: np.ndarray) -> np.ndarray:
        """The shift, then the clip (each only where given)."""
        if self.shift != 0.0:
            x = self.shift + x
        if self.clip is not None:
            x = np.clip(x, *self.clip)
        return x

    def _choice(self, q: np.ndarray) -> np.ndarray:
        p = self.params
        values = np.asarray(p["values"], dtype=float)
        index = np.minimum(np.searchsorted(np.cumsum(p["p"]), q), values.size - 1)
        return values[index]

    def _sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
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

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        from scipy import stats

        p = self.params
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
        p = self.params
        if self.kind == CHOICE:
            text = "choice of " + ", ".join(
                f"{v:g} (p {q:g})" for v, q in zip(p["values"], p["p"], strict=True)
            )
        else:
            text = f"{self.kind}{_format(p)}"
        if self.shift:
            text = f"{self.shift:g} + {text}"
        if self.clip is not None:
            text += f" clipped to [{self.clip[0]:g}, {self.clip[1]:g}]"
        return f"{self.origin} {text}" if self.origin else text


def _number(kind: str, name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TakeoffError(f"distribution '{kind}' argument {name} must be a number; got {value!r}")
    if not math.isfinite(value):
        raise TakeoffError(f"distribution '{kind}' argument {name} must be finite; got {value}")
    return float(value)


def _choice_args(values, probs, support: str) -> dict[str, tuple[float, ...]]:
    """The values and probabilities of a ``choice``, checked."""
    if isinstance(values, str | bytes) or not hasattr(values, "__len__"):
        raise TakeoffError(f"distribution 'choice' argument values must be a list; got {values!r}")
    if isinstance(probs, str | bytes) or not hasattr(probs, "__len__"):
        raise TakeoffError(f"distribution 'choice' argument p must be a list; got {probs!r}")
    v = tuple(_number("choice", "values", x) for x in values)
    q = tuple(_number("choice", "p", x) for x in probs)
    if not v or len(v) != len(q) or min(q) <= 0 or abs(sum(q) - 1.0) > 1e-9:
        raise TakeoffError(f"invalid arguments for 'choice' (values={v}, p={q}): need {support}")
    return {"values": v, "p": q}


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

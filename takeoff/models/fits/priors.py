"""A fit's priors as objects: declared once, used to build the PyMC model, printed by
``takeoff fits`` and checked by prior-predictive tests.

A ``Prior`` names a free parameter, its distribution (a :class:`takeoff.models.distributions.
Distribution`, or a ``DataScaled`` one whose arguments name constants of the prepared data, for
priors scaled to the data or taken from an upstream fit) and the reason for it.
``pymc_variable`` turns it into the PyMC random variable, so the distribution printed and the
one sampled are the same object. A data-scaled prior's arguments enter the graph as the data
containers of those constants, so a compiled model refitted on other data uses the new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from takeoff.errors import TakeoffError
from takeoff.models.distributions import KINDS, Distribution

# Distribution kinds -> (PyMC class name, its argument names in the order of KINDS' arguments)
_PYMC = {
    "normal": ("Normal", ("mu", "sigma")),
    "lognormal": ("LogNormal", ("mu", "sigma")),
    "halfnormal": ("HalfNormal", ("sigma",)),
    "gamma": ("Gamma", ("alpha", "beta")),
    "uniform": ("Uniform", ("lower", "upper")),
    "beta": ("Beta", ("alpha", "beta")),
}


@dataclass(frozen=True)
class DataScaled:
    """A distribution whose arguments are numbers or names of the prepared data's constants,
    e.g. ``DataScaled("uniform", low="x_min", high="x_max")``."""

    kind: str
    args: tuple[tuple[str, float | str], ...]

    def __init__(self, kind: str, **args: float | str) -> None:
        names = KINDS[kind][0] if kind in KINDS else ()
        if set(args) != set(names):
            raise TakeoffError(f"distribution '{kind}' takes arguments {', '.join(names)}")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "args", tuple(args.items()))

    def resolve(self, constants: Mapping[str, float]) -> Distribution:
        return Distribution(
            self.kind, **{k: float(constants[v]) if isinstance(v, str) else v for k, v in self.args}
        )

    def symbolic(self, tensors: Mapping) -> dict:
        """The arguments with constant names replaced by their graph tensors."""
        return {k: tensors[v] if isinstance(v, str) else v for k, v in self.args}

    def describe(self) -> str:
        inner = ", ".join(f"{k}={v}" if isinstance(v, str) else f"{k}={v:g}" for k, v in self.args)
        return f"{self.kind}({inner})"


@dataclass(frozen=True)
class Prior:
    """One free parameter's prior.

    ``distribution`` is a Distribution, or a DataScaled one set from the prepared constants
    (then ``text`` may say in words what the constants are, e.g. "y_min: the smallest y").
    ``variant`` limits the prior to one variant of a fit (returns_curve's "bounded").
    """

    name: str
    distribution: Distribution | DataScaled
    reason: str
    text: str = ""
    variant: str = ""

    def resolve(self, constants: Mapping[str, float]) -> Distribution:
        if isinstance(self.distribution, Distribution):
            return self.distribution
        return self.distribution.resolve(constants)

    def describe(self) -> str:
        """The distribution as declared (data-scaled ones with their constants named)."""
        text = self.distribution.describe()
        return f"{text}, {self.text}" if self.text else text


def pymc_variable(name: str, distribution: Distribution | DataScaled, tensors: Mapping = {}):
    """The PyMC random variable of ``distribution`` (inside a model context); a data-scaled
    one takes its constants from ``tensors`` (their data containers)."""
    import pymc as pm

    if distribution.kind not in _PYMC:
        raise TakeoffError(
            f"prior {name}: distribution '{distribution.kind}' has no PyMC counterpart here; "
            f"use one of: {', '.join(_PYMC)}"
        )
    cls, names = _PYMC[distribution.kind]
    if isinstance(distribution, DataScaled):
        values = list(distribution.symbolic(tensors).values())
    else:
        values = [v for _, v in distribution.args]
    return getattr(pm, cls)(name, **dict(zip(names, values, strict=True)))


def free_or_fixed(prior: Prior, tensors: Mapping, fixed: Mapping[str, float]):
    """The parameter as its prior's random variable, or as a constant Deterministic when fixed
    (so the posterior always has the variable, e.g. ``eps`` = 0 in the nested model)."""
    import pymc as pm

    if prior.name in fixed:
        return pm.Deterministic(prior.name, pm.math.constant(float(fixed[prior.name])))
    return pymc_variable(prior.name, prior.distribution, tensors)

"""A fit's priors as objects: declared once, used to build the PyMC model, printed by
``takeoff fits`` and checked by prior-predictive tests.

A ``Prior`` names a free parameter, its distribution (a :class:`takeoff.models.distributions.
Distribution`, or a function of the prepared data's constants for priors scaled to the data or
taken from an upstream fit) and the reason for it. ``pymc_variable`` turns the resolved
distribution into the PyMC random variable, so the distribution printed and the one sampled are
the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution

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
class Prior:
    """One free parameter's prior.

    ``distribution`` is a Distribution, or a function of the prepared constants returning one
    (then ``text`` says in words how it is set, e.g. "halfnormal(sigma = smallest y)").
    ``variant`` limits the prior to one variant of a fit (returns_curve's "bounded").
    """

    name: str
    distribution: Distribution | Callable[[Mapping[str, float]], Distribution]
    reason: str
    text: str = ""
    variant: str = ""

    def resolve(self, constants: Mapping[str, float]) -> Distribution:
        if isinstance(self.distribution, Distribution):
            return self.distribution
        return self.distribution(constants)

    def describe(self) -> str:
        """The distribution as declared (data-dependent ones in words)."""
        if isinstance(self.distribution, Distribution):
            return self.distribution.describe()
        return self.text


def pymc_variable(name: str, distribution: Distribution):
    """The PyMC random variable of ``distribution`` (inside a model context)."""
    import pymc as pm

    if distribution.kind not in _PYMC:
        raise TakeoffError(
            f"prior {name}: distribution '{distribution.kind}' has no PyMC counterpart here; "
            f"use one of: {', '.join(_PYMC)}"
        )
    cls, names = _PYMC[distribution.kind]
    values = [v for _, v in distribution.args]
    return getattr(pm, cls)(name, **dict(zip(names, values, strict=True)))


def free_or_fixed(prior: Prior, constants: Mapping[str, float], fixed: Mapping[str, float]):
    """The parameter as its prior's random variable, or as a constant Deterministic when fixed
    (so the posterior always has the variable, e.g. ``eps`` = 0 in the nested model)."""
    import pymc as pm

    if prior.name in fixed:
        return pm.Deterministic(prior.name, pm.math.constant(float(fixed[prior.name])))
    return pymc_variable(prior.name, prior.resolve(constants))

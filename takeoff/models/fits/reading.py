"""Read a fit's posterior through its ``FitSpec`` (given, not looked up by name): a model
family's parameters and initial states (through the fit's ``FamilyLink``), its exports (derived
quantities with units) and its own variables. Below the registry, so a fit module may read an
upstream fit's posterior through that fit's spec; :mod:`takeoff.models.fits.exports` finds the
spec from the posterior's ``fit_name``. numpy only: no PyMC import.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.models.fits.fitspec import Draws, Export, FitSpec

CONSTANT = "const_"  # "const_t_ref": a constant of the fit (a posterior attribute), per draw


def _flat(posterior: xr.Dataset, names: Iterable[str]) -> Draws:
    size = posterior.sizes.get("chain", 1) * posterior.sizes.get("draw", 1)
    for n in names:
        if n.startswith(CONSTANT) and n not in posterior and n not in posterior.attrs:
            fit = posterior.attrs.get("fit_name", "the fit")
            raise TakeoffError(
                f"the posterior of {fit} lacks the constant {n.removeprefix(CONSTANT)} (saved "
                f"by an older version); refit it (takeoff ship --only {fit})"
            )
    return {
        n: np.full(size, float(posterior.attrs[n]))
        if n not in posterior and n.startswith(CONSTANT) and n in posterior.attrs
        else posterior[n].values.reshape(-1).astype(float)
        for n in names
    }


def available(spec: FitSpec | None) -> dict[str, Export]:
    """Every derived name a scenario may read from the fit: family parameters, initial states
    as ``initial.<state>`` and exports."""
    if spec is None:
        return {}
    out: dict[str, Export] = {}
    if spec.family is not None:
        out.update(spec.family.parameters)
        out.update({f"initial.{k}": v for k, v in spec.family.initial.items()})
    out.update(spec.exports)
    return out


def needed_variables(spec: FitSpec | None, names: Iterable[str]) -> list[str]:
    """The posterior variables to load to resolve ``names`` (derived or the posterior's own)."""
    derived = available(spec)
    out: list[str] = []
    for name in names:
        for v in derived[name].variables if name in derived else (name,):
            if v not in out:
                out.append(v)
    return out


AT = "@"  # "H0@2019.5": a family parameter or initial state of the fit at another start date


def at_date(name: str, date: float) -> str:
    """The name of a family quantity of a fit at ``date``."""
    return f"{name}{AT}{date!r}"


def resolve_with(
    posterior: xr.Dataset, spec: FitSpec | None, names: Iterable[str], where: str
) -> dict[str, np.ndarray]:
    """Draws of each name: a derived quantity of the fit ``spec`` if it declares one, a family
    quantity at another date (``at_date``), else the posterior's own variable; a missing name
    is an error naming what is there."""
    derived = available(spec)
    names = list(names)
    dated = [n for n in names if AT in n]
    out = {}
    for date in {n.split(AT, 1)[1] for n in dated}:
        params, initial, _ = family_draws(posterior, spec, float(date))
        values = {**params, **{f"initial.{k}": v for k, v in initial.items()}}
        for n in dated:
            base, d = n.split(AT, 1)
            if d == date:
                if base not in values:
                    raise TakeoffError(f"fit {spec.name} has no family quantity '{base}'")
                out[n] = values[base]
    names = [n for n in names if AT not in n]
    missing = [n for n in names if n not in derived and n not in posterior]
    if missing:
        choices = sorted(set(derived) | {str(v) for v in posterior.data_vars})
        raise TakeoffError(
            f"posterior {where} has no variable '{missing[0]}'; it has: {', '.join(choices)}"
        )
    raw = _flat(posterior, needed_variables(spec, names))
    out.update(
        {n: np.asarray(derived[n].value(raw), float) if n in derived else raw[n] for n in names}
    )
    return out


def family_draws(posterior: xr.Dataset, spec: FitSpec, date: float | None = None):
    """The fit's posterior as its family's (parameters, initial states, start date), at the
    fit's own start date or (where its link can shift) at ``date``."""
    link = spec.family
    if link is None:
        raise TakeoffError(f"fit {spec.name} is not a growth law of a model family")
    names = [*link.parameters, *(f"initial.{k}" for k in link.initial)]
    values = resolve_with(posterior, spec, names, spec.name)
    params = {k: values[k] for k in link.parameters}
    initial = {k: values[f"initial.{k}"] for k in link.initial}
    start = start_date(posterior, spec)
    if date is None or date == start:
        return params, initial, start
    if link.shift is None:
        raise TakeoffError(
            f"fit {spec.name}'s {link.family} parameters hold at {start:g} only; start the "
            f'scenario there (start = "fit")'
        )
    params, initial = link.shift(params, initial, date - start)
    return params, initial, date


def start_date(posterior: xr.Dataset, spec: FitSpec) -> float:
    """The decimal year at which the fit's family parameters hold (the family's t = 0)."""
    key = f"const_{spec.family.start}" if spec.family is not None else ""
    if key not in posterior.attrs:
        raise TakeoffError(
            f"the {spec.name} posterior does not record its reference date ({key}); refit it"
        )
    return float(posterior.attrs[key])

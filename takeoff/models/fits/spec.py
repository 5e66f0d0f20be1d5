"""What a fit is: a named statistical model over a table of data.

A ``FitSpec`` names its data set and the column roles it needs, documents its priors, turns a
validated table into arrays (``prepare``) and those arrays into a PyMC model (``build``). The
same spec serves the bundled data, a user's CSV, simulation-based calibration and the CLI.

This module does not import PyMC: the heavy import happens when a model is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError


@dataclass(frozen=True)
class Role:
    """A column the fit needs: its role name, the bundled data set's column that plays it, its
    kind for validation ("positive", "number", "date", "bool") and what it means."""

    name: str
    column: str
    kind: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class Prior:
    """Documentation of one free parameter's prior: the distribution and why."""

    name: str
    distribution: str
    reason: str


@dataclass(frozen=True)
class FitOptions:
    """Data selection shared by the fits (each fit reads the ones it supports)."""

    since: float | None = None  # keep rows dated at or after this decimal year
    frontier: bool = False  # keep only frontier (state-of-the-art) rows
    bounded: bool = False  # returns_curve: logistic curve for scores in [0, 1]


@dataclass(frozen=True)
class Prepared:
    """Arrays a model is built from, the observed variable's name, coords and constants that
    must be saved with the fit (e.g. centring means, reference dates)."""

    arrays: Mapping[str, np.ndarray]
    observed: str
    n: int
    constants: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class FitSpec:
    name: str
    title: str
    dataset: str | None
    roles: tuple[Role, ...]
    priors: tuple[Prior, ...]
    prepare: Callable[[pd.DataFrame, FitOptions], Prepared]
    build: Callable  # (Prepared, fixed: Mapping[str, float]) -> pm.Model
    summary_vars: tuple[str, ...]
    nested: Mapping[str, float] = field(default_factory=dict)  # regime comparison: name -> value
    options: tuple[str, ...] = ()  # which FitOptions fields this fit reads
    select_bundled: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # rows of the bundled set
    target_accept: float = 0.8  # NUTS step-size adaptation target; raise for awkward geometry
    tune: int = 1000  # default tuning steps per chain
    default_since: float | None = None  # --since when none is given (a documented era break)
    notes: str = ""

    @property
    def free_parameters(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.priors)

    def check_fixed(self, fixed: Mapping[str, float]) -> None:
        for name, value in fixed.items():
            if name not in self.free_parameters:
                raise TakeoffError(
                    f"cannot fix '{name}' in fit {self.name}; fixable parameters: "
                    f"{', '.join(self.free_parameters)}"
                )
            if not np.isfinite(value):
                raise TakeoffError(f"--fix {name} must be a finite number; got {value}")


def free_or_fixed(name: str, fixed: Mapping[str, float], make_prior: Callable):
    """The parameter as a prior random variable, or as a constant Deterministic when fixed (so
    the posterior always has the variable, e.g. ``eps`` = 0 in the nested model)."""
    import pymc as pm

    if name in fixed:
        return pm.Deterministic(name, pm.math.constant(float(fixed[name])))
    return make_prior(name)


def observed_data(prepared: Prepared):
    """The observations as a PyMC data container (``<observed>_data``), so a compiled model can
    be re-run on simulated data (calibration) without recompiling."""
    import pymc as pm

    name = prepared.observed
    return pm.Data(f"{name}_data", prepared.arrays[name], dims="obs")


def require_rows(frame: pd.DataFrame, n_params: int, what: str) -> None:
    if len(frame) <= n_params:
        raise TakeoffError(
            f"{what}: {len(frame)} rows left after selection, but the fit has {n_params} "
            f"parameters; it needs at least {n_params + 1} rows (relax --since or --frontier)"
        )

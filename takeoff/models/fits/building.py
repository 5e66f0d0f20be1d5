"""Build a fit's PyMC model: data containers, the declared priors, the fit's likelihood.

Every array of the prepared data enters the graph as a data container (``pm.Data``): the
observed values as ``<observed>_data``, the covariates under their own names (grid arrays on
their own dimension), and every
constant (centring means, data-scaled prior arguments, upstream prior moments) as a scalar
container under its own name. Nothing data-dependent is a constant of the graph, so a compiled
model re-runs on other data of the same model, of any length (another --since, a user's CSV,
simulated data in calibration, held-out dates in backtests) without compiling again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from takeoff.models.fits.priors import free_or_fixed

if TYPE_CHECKING:  # annotations only: fitspec imports this module to build a spec's model
    from takeoff.models.fits.fitspec import FitSpec, Prepared


def observed_name(prepared: Prepared) -> str:
    """The data container holding the observations."""
    return f"{prepared.observed}_data"


def build_model(spec: FitSpec, prepared: Prepared, fixed: Mapping[str, float]):
    """The PyMC model of ``spec`` on ``prepared`` with the parameters in ``fixed`` held."""
    import pymc as pm

    with pm.Model(coords=coordinates(prepared)) as model:
        data = {
            name: pm.Data(name, values, dims="obs")
            for name, values in prepared.arrays.items()
            if name != prepared.observed
        }
        for name, values in prepared.grid.items():
            data[name] = pm.Data(name, np.asarray(values, float), dims="grid")
        data[prepared.observed] = pm.Data(
            observed_name(prepared), prepared.arrays[prepared.observed], dims="obs"
        )
        for name, value in prepared.constants.items():
            data[name] = pm.Data(name, np.asarray(float(value)))
        params = {p.name: free_or_fixed(p, data, fixed) for p in spec.priors_for(prepared)}
        spec.likelihood(prepared, data, params)
    return model


def coordinates(prepared: Prepared) -> dict[str, object]:
    """The model's coordinates: the observations, the grid (if any) and each factor's levels."""
    coords: dict[str, object] = {"obs": np.arange(prepared.n)}
    if prepared.grid:
        coords["grid"] = np.arange(prepared.grid_size)
    coords.update({name: list(levels) for name, levels in prepared.levels.items()})
    return coords


def data_values(prepared: Prepared) -> dict[str, np.ndarray]:
    """Every data container's value for ``prepared``: what a built model of the same fit is
    set to before it samples these data."""
    out = {
        (observed_name(prepared) if name == prepared.observed else name): np.asarray(v, float)
        for name, v in prepared.arrays.items()
    }
    out.update({name: np.asarray(v, float) for name, v in prepared.grid.items()})
    out.update({name: np.asarray(float(v)) for name, v in prepared.constants.items()})
    return out

"""Build a fit's PyMC model: data containers, the declared priors, the fit's likelihood.

Every array of the prepared data enters the graph as a data container (``pm.Data``): the
observed values as ``<observed>_data``, the covariates under their own names. A compiled model
can therefore be re-run on other data of the same model (simulated data in calibration,
held-out dates in backtests) without rebuilding it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from takeoff.models.fits.fitspec import FitSpec, Prepared
from takeoff.models.fits.priors import free_or_fixed


def observed_name(prepared: Prepared) -> str:
    """The data container holding the observations."""
    return f"{prepared.observed}_data"


def build_model(spec: FitSpec, prepared: Prepared, fixed: Mapping[str, float]):
    """The PyMC model of ``spec`` on ``prepared`` with the parameters in ``fixed`` held."""
    import pymc as pm

    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        data = {
            name: pm.Data(name, values, dims="obs")
            for name, values in prepared.arrays.items()
            if name != prepared.observed
        }
        data[prepared.observed] = pm.Data(
            observed_name(prepared), prepared.arrays[prepared.observed], dims="obs"
        )
        params = {
            p.name: free_or_fixed(p, prepared.constants, fixed) for p in spec.priors_for(prepared)
        }
        spec.likelihood(prepared, data, params)
    return model

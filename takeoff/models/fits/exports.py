"""Read a fit's posterior in the terms other parts of takeoff use: a model family's parameters
and initial states (through the fit's ``FamilyLink``), its exports (derived quantities with
units) and its own variables, the fit found by the posterior's ``fit_name`` in the registry.
Scenarios draw from here, so a family's parameters come from a fit with no constants copied by
hand. The reading itself, given the spec, is :mod:`takeoff.models.fits.reading` (below the
registry). numpy only: no PyMC import.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import xarray as xr

from takeoff.models.fits.fitspec import FitSpec
from takeoff.models.fits.reading import (  # noqa: F401  (read from here by scenarios and tests)
    AT,
    CONSTANT,
    at_date,
    available,
    family_draws,
    needed_variables,
    resolve_with,
    start_date,
)
from takeoff.models.fits.registry import FITS


def spec_of(posterior: xr.Dataset) -> FitSpec | None:
    """The fit a posterior came from (its ``fit_name`` attribute), if it is a known fit."""
    return FITS.get(str(posterior.attrs.get("fit_name", "")))


def resolve(posterior: xr.Dataset, names: Iterable[str], where: str) -> dict[str, np.ndarray]:
    """Draws of each name: a derived quantity of the posterior's fit if it declares one, a
    family quantity at another date (``at_date``), else the posterior's own variable; a missing
    name is an error naming what is there."""
    return resolve_with(posterior, spec_of(posterior), names, where)

"""Bayesian fits (PyMC) of scaling laws, trends and growth dynamics to real data.

Importing this package does not import PyMC; building or sampling a model does.

    >>> from takeoff.models.fits import fit, diagnose          # doctest: +SKIP
    >>> idata = fit("horizon_dynamics", fixed={"eps": 0.0})      # doctest: +SKIP
"""

from takeoff.models.fits import quiet  # noqa: F401  (first: filters and flags before PyMC)
from takeoff.models.fits.compare import compare, format_comparison
from takeoff.models.fits.diagnostics import Diagnostics, diagnose, format_diagnostics
from takeoff.models.fits.fitspec import FitOptions, FitSpec
from takeoff.models.fits.fitting import fit
from takeoff.models.fits.io import load_fit, save_fit
from takeoff.models.fits.registry import FITS, get_fit

__all__ = [
    "FITS",
    "Diagnostics",
    "FitOptions",
    "FitSpec",
    "compare",
    "diagnose",
    "fit",
    "format_comparison",
    "format_diagnostics",
    "get_fit",
    "load_fit",
    "save_fit",
]

"""The fits by name."""

from __future__ import annotations

from takeoff.errors import TakeoffError
from takeoff.models.fits.algorithmic_progress import ALGORITHMIC_PROGRESS
from takeoff.models.fits.capability import CAPABILITY_VS_COMPUTE
from takeoff.models.fits.chinchilla import CHINCHILLA
from takeoff.models.fits.effective_readout import EFFECTIVE_READOUT
from takeoff.models.fits.fitspec import FitSpec
from takeoff.models.fits.gwp_hyperbolic import GWP_HYPERBOLIC
from takeoff.models.fits.horizon_dynamics import HORIZON_DYNAMICS
from takeoff.models.fits.horizon_readout import HORIZON_READOUT
from takeoff.models.fits.returns_curve import RETURNS_CURVE
from takeoff.models.fits.returns_domains import RETURNS_DOMAINS
from takeoff.models.fits.software_returns import SOFTWARE_RETURNS
from takeoff.models.fits.software_returns_lm import SOFTWARE_RETURNS_LM
from takeoff.models.fits.trends import COMPUTE_TREND, HARDWARE_TREND

FITS: dict[str, FitSpec] = {
    f.name: f
    for f in (
        CHINCHILLA,
        RETURNS_CURVE,
        COMPUTE_TREND,
        HARDWARE_TREND,
        CAPABILITY_VS_COMPUTE,
        HORIZON_DYNAMICS,
        HORIZON_READOUT,
        EFFECTIVE_READOUT,
        GWP_HYPERBOLIC,
        ALGORITHMIC_PROGRESS,
        SOFTWARE_RETURNS,
        SOFTWARE_RETURNS_LM,
        RETURNS_DOMAINS,
    )
}


def get_fit(name: str | FitSpec) -> FitSpec:
    if isinstance(name, FitSpec):
        return name
    try:
        return FITS[name]
    except KeyError:
        raise TakeoffError(f"unknown fit '{name}'; choose one of: {', '.join(FITS)}") from None

"""Saving and loading fits as NetCDF (never pickle): a fit is read by the package's one NetCDF
reader (:func:`takeoff.data.posteriors.read_netcdf`) and made an ArviZ InferenceData here."""

from __future__ import annotations

from pathlib import Path

from takeoff.data.posteriors import read_netcdf
from takeoff.errors import TakeoffError


def save_fit(idata, path) -> Path:
    """Write the InferenceData to ``path`` (.nc) through a temporary file, so a failure leaves
    nothing half-written."""
    path = Path(path)
    if path.suffix != ".nc":
        raise TakeoffError(
            f"a fit is saved as NetCDF: give a file name ending in .nc, not '{path}'"
        )
    if not path.parent.exists():
        raise TakeoffError(
            f"folder '{path.parent}' does not exist; create it or choose another --out"
        )
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        idata.to_netcdf(str(tmp))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def load_fit(path, expected: str | None = None):
    """Read a fit written by ``save_fit``; ``expected`` checks which fit it is."""
    import arviz as az

    path = Path(path)
    if not path.is_file():
        raise TakeoffError(f"fit file '{path}' not found; check the path")
    try:
        groups, attrs = read_netcdf(path)
        idata = az.InferenceData(attrs=attrs, **groups)
    except Exception as exc:  # netCDF4/h5netcdf raise many types for a corrupt file
        raise TakeoffError(
            f"'{path}' is not a readable NetCDF fit ({type(exc).__name__}); "
            "re-create it with takeoff fit --out"
        ) from None
    if "posterior" not in idata.groups() or "fit_name" not in idata.posterior.attrs:
        raise TakeoffError(f"'{path}' is not a takeoff fit (no posterior with a fit_name)")
    name = idata.posterior.attrs["fit_name"]
    if expected is not None and name != expected:
        raise TakeoffError(f"'{path}' holds a {name} fit, not {expected}")
    return idata

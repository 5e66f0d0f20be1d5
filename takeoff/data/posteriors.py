"""The small posteriors shipped with the package (regenerate: python -m takeoff.models.fits.ship),
and the one reader of fits saved as NetCDF (shipped or a user's).

Read with xarray alone, so forecasting from them never imports PyMC or ArviZ;
:func:`takeoff.models.fits.io.load_fit` builds an ArviZ InferenceData from :func:`read_netcdf`.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import xarray as xr

from takeoff.errors import TakeoffError


def posteriors_dir() -> Path:
    return Path(str(resources.files("takeoff.data") / "posteriors"))


def shipped_names() -> list[str]:
    return sorted(p.stem for p in posteriors_dir().glob("*.nc"))


def shipped_group(stem: str, group: str = "posterior") -> xr.Dataset:
    """One group of a shipped fit's file (by stem), loaded (the file is closed)."""
    path = posteriors_dir() / f"{stem}.nc"
    if not path.is_file():
        raise TakeoffError(f"no shipped posterior '{stem}'; reinstall takeoff or run takeoff fit")
    return read_group(path, group)


def load_posterior(name_or_path: str | Path, variables: list[str] | None = None) -> xr.Dataset:
    """The posterior group of a shipped fit (by name) or of a user's .nc file, as an xarray
    Dataset over (chain, draw); ``variables`` must all be present."""
    path = Path(name_or_path)
    if path.suffix != ".nc":
        if name_or_path not in shipped_names():
            raise TakeoffError(
                f"unknown shipped posterior '{name_or_path}'; choose one of: "
                f"{', '.join(shipped_names())} or give a .nc file"
            )
        path = posteriors_dir() / f"{name_or_path}.nc"
    if not path.is_file():
        raise TakeoffError(f"posterior file '{path}' not found; check the path")
    try:
        posterior = read_group(path)
    except Exception as exc:  # corrupt or not NetCDF: many exception types
        raise TakeoffError(
            f"'{path}' is not a readable posterior (NetCDF with a posterior group): "
            f"{type(exc).__name__}"
        ) from None
    missing = [v for v in variables or [] if v not in posterior]
    if missing:
        raise TakeoffError(
            f"posterior '{path.name}' has no variable {missing[0]}; it has: "
            f"{', '.join(map(str, posterior.data_vars))}"
        )
    return posterior


def read_group(path: str | Path, group: str = "posterior") -> xr.Dataset:
    """One group of a NetCDF file, loaded (the file is closed), read once per version of the
    file (reading NetCDF costs ~0.1 s; forecasts, sensitivity and the report read the same few
    files many times). A shallow copy: the caller may change its attributes."""
    path = Path(path)
    return _read(str(path.resolve()), *_stamp(path), group).copy(deep=False)


def read_netcdf(path: str | Path) -> tuple[dict[str, xr.Dataset], dict]:
    """Every group of a NetCDF file (an InferenceData as ArviZ writes it: posterior,
    sample_stats, ...) by name, each loaded, and the attributes of the file's root."""
    import h5netcdf

    with h5netcdf.File(str(path), mode="r") as handle:
        names = list(handle.groups)
    groups = {name: _open(str(path), f"/{name}") for name in names}
    return groups, dict(_open(str(path), "/").attrs)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=32)
def _read(path: str, mtime_ns: int, size: int, group: str) -> xr.Dataset:
    return _open(path, group)


def _open(path: str, group: str) -> xr.Dataset:
    with xr.open_dataset(path, group=group, engine="h5netcdf") as ds:
        return ds.load()

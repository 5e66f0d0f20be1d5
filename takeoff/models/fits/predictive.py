"""A fit's data and posterior predictive on the axes the data were measured on: the fit's
declared predictor (e.g. release date = tau + t_ref) and response (e.g. horizon in minutes =
exp(log_h)) instead of its internal centred or logged variables.

``fit_data(idata)`` reads an ArviZ InferenceData; ``fit_data_file(path)`` reads the same
groups of a saved fit with xarray alone (no ArviZ, no PyMC), which is what forecasts use to put
a fit's observations on their fan charts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from takeoff.models.fits.registry import get_fit


@dataclass(frozen=True)
class FitData:
    """Observations (and posterior-predictive draws, samples x observations) of one fit in data
    units, with axis titles; ``log_x`` / ``log_y``: shown on log axes."""

    fit: str
    dataset: str | None
    x: np.ndarray
    xlabel: str
    x_unit: str
    log_x: bool
    observed: np.ndarray
    ylabel: str
    y_unit: str
    log_y: bool
    predictive: np.ndarray | None = None
    data_hash: str = ""


def _constants(attrs) -> dict[str, float]:
    return {k.removeprefix("const_"): float(v) for k, v in attrs.items() if k.startswith("const_")}


def _from_groups(attrs, observed, constant, predictive) -> FitData:
    """FitData from the posterior's attrs and the observed_data, constant_data (or None) and
    posterior_predictive (or None) groups as xarray Datasets."""
    spec = get_fit(str(attrs["fit_name"]))
    name = next(iter(observed.data_vars))
    raw = np.asarray(observed[name].values, dtype=float).reshape(-1)
    n = raw.size
    constants = _constants(attrs)
    p = spec.predictor
    usable = (
        p is not None
        and constant is not None
        and p.array in constant
        and (p.offset is None or p.offset in constants)
    )
    if usable:
        x = p.values({p.array: constant[p.array].values}, constants)
        xlabel, x_unit, log_x = p.title, p.unit, p.exp
    else:
        x, xlabel, x_unit, log_x = np.arange(n, dtype=float), "observation", "", False
    r = spec.response
    if r is not None and r.array == name:

        def to_units(v):
            return r.values({r.array: v}, constants)

        ylabel, y_unit, log_y = r.title, r.unit, r.exp
    else:

        def to_units(v):
            return np.asarray(v, dtype=float)

        ylabel, y_unit, log_y = name, "", False
    draws = None
    if predictive is not None and name in predictive:
        pp = predictive[name]
        draws = to_units(pp.values.reshape(-1, n))
    if spec.observed_rows is not None and constant is not None:
        rows = np.asarray(spec.observed_rows({k: constant[k].values for k in constant}), bool)
        x, raw = np.asarray(x)[rows], raw[rows]
        draws = None if draws is None else draws[:, rows]
    return FitData(
        fit=spec.name,
        dataset=spec.dataset,
        x=np.asarray(x, dtype=float),
        xlabel=xlabel,
        x_unit=x_unit,
        log_x=bool(log_x),
        observed=to_units(raw),
        ylabel=ylabel,
        y_unit=y_unit,
        log_y=bool(log_y),
        predictive=draws,
        data_hash=str(attrs.get("data_hash", "")),
    )


def fit_data(idata) -> FitData:
    """The data and posterior predictive of a fit (ArviZ InferenceData) in data units."""
    groups = idata.groups()
    return _from_groups(
        idata.posterior.attrs,
        idata.observed_data,
        idata.constant_data if "constant_data" in groups else None,
        idata.posterior_predictive if "posterior_predictive" in groups else None,
    )


def fit_data_file(path: Path | str, predictive: bool = False) -> FitData:
    """``fit_data`` of a saved fit (.nc), read with xarray only (once per version of the
    file)."""
    path = Path(path)
    stat = path.stat()
    return _fit_data_file(str(path.resolve()), stat.st_mtime_ns, stat.st_size, predictive)


@functools.lru_cache(maxsize=32)
def _fit_data_file(path: str, mtime_ns: int, size: int, predictive: bool) -> FitData:
    from takeoff.data.posteriors import read_group

    def group(name):
        try:
            return read_group(path, name)
        except OSError:
            return None

    attrs = dict(read_group(path, "posterior").attrs)
    return _from_groups(
        attrs,
        group("observed_data"),
        group("constant_data"),
        group("posterior_predictive") if predictive else None,
    )


def x_axis(idata) -> tuple[np.ndarray, str]:
    """Values and label of the x axis of the fit's data: its predictor in data units, or the
    observation index where the fit declares none (or the file lacks the covariate)."""
    data = fit_data(idata)
    return data.x, data.xlabel


def is_log_axis(idata) -> bool:
    """Whether the predictor spans orders of magnitude (shown on a log axis)."""
    spec = get_fit(idata.posterior.attrs["fit_name"])
    return bool(spec.predictor is not None and spec.predictor.exp)

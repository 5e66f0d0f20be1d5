"""A fit's data and posterior predictive on the axis the data were measured on: the fit's
declared predictor (e.g. release date = tau + t_ref) instead of its internal centred variable."""

from __future__ import annotations

import numpy as np

from takeoff.models.fits.registry import get_fit


def x_axis(idata) -> tuple[np.ndarray, str]:
    """Values and label of the x axis of the fit's data: its predictor in data units, or the
    observation index where the fit declares none (or the file lacks the covariate)."""
    observed = next(iter(idata.observed_data.data_vars))
    n = idata.observed_data[observed].size
    spec = get_fit(idata.posterior.attrs["fit_name"])
    p = spec.predictor
    groups = idata.groups()
    if p is None or "constant_data" not in groups or p.array not in idata.constant_data:
        return np.arange(n), "observation"
    attrs = idata.posterior.attrs
    constants = {k.removeprefix("const_"): v for k, v in attrs.items() if k.startswith("const_")}
    if p.offset is not None and p.offset not in constants:
        return np.arange(n), "observation"
    values = p.values({p.array: idata.constant_data[p.array].values}, constants)
    return values, f"{p.label} [{p.unit}]"


def is_log_axis(idata) -> bool:
    """Whether the predictor spans orders of magnitude (shown on a log axis)."""
    spec = get_fit(idata.posterior.attrs["fit_name"])
    return bool(spec.predictor is not None and spec.predictor.exp)

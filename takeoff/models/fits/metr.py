"""METR 50% time horizons as the horizon fits see them: the columns they read, the rows of the
bundled set they use, and the arrays (time from the reference date, ln horizon, measurement
error) they are fitted on. Shared by ``horizon_dynamics`` and ``horizon_readout``, which are
fitted to the same observations so that they compare by LOO.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from takeoff.models.fits.fitspec import (
    FitOptions,
    Predictor,
    Prepared,
    Role,
    require_rows,
    select_dates,
)

ROLES = (
    Role("date", "release_date_year", "date", "release date (decimal year)", varies=2),
    Role("h50", "p50_minutes", "positive", "50% time horizon [minutes]", varies=2),
    Role("ci_low", "p50_ci_low", "number", "lower end of its 95% interval [minutes]"),
    Role("ci_high", "p50_ci_high", "positive", "upper end of its 95% interval [minutes]"),
    Role("frontier", "is_sota", "bool", "state of the art at release", required=False),
)
RELEASE_DATE = Predictor("tau", "release date", "decimal year", offset="t_ref")
HORIZON_MINUTES = Predictor("log_h", "50% task time horizon", "minutes", exp=True)


def time_horizon_1_1(frame: pd.DataFrame) -> pd.DataFrame:
    """METR Time Horizon 1.1 (the current methodology); 1.0 rows are the same models remeasured."""
    return frame[frame["version"].astype(str) == "1.1"]


def prepare_horizons(
    frame: pd.DataFrame, options: FitOptions, what: str, free_parameters: int = 5
) -> Prepared:
    """tau = date − t_ref (t_ref the mean date, saved), ln H and its measurement sd; at least
    ``free_parameters`` + 1 rows.

    The sd on the log scale comes from the reported 95% interval, (ln hi − ln lo) / 3.92; a zero
    lower bound falls back to the upper half, ln(hi / h) / 1.96, and a missing one to the median.
    """
    frame = select_dates(frame, options)
    if options.frontier:
        frame = frame[frame["frontier"].astype(bool)]
    require_rows(frame, free_parameters, what)
    t = frame["date"].to_numpy(float)
    h = frame["h50"].to_numpy(float)
    lo = frame["ci_low"].to_numpy(float)
    hi = frame["ci_high"].to_numpy(float)
    with np.errstate(divide="ignore"):
        sigma = np.where(lo > 0, (np.log(hi) - np.log(lo)) / 3.92, np.log(hi / h) / 1.96)
    sigma = np.where(np.isfinite(sigma) & (sigma > 0), sigma, np.nanmedian(sigma))
    t_ref = round(float(np.mean(t)), 2)
    return Prepared(
        arrays={"tau": t - t_ref, "log_h": np.log(h), "sigma_obs": sigma},
        observed="log_h",
        n=len(t),
        constants={"t_ref": t_ref},
    )


def student_t_on_log_horizon(data, params, mu) -> None:
    """The horizon fits' likelihood: Student-t on ln H whose scale combines each model's
    measurement error and the scatter of models around the law."""
    import pymc as pm

    pm.StudentT(
        "log_h",
        nu=params["nu"],
        mu=mu,
        sigma=pm.math.sqrt(data["sigma_obs"] ** 2 + params["scatter"] ** 2),
        observed=data["log_h"],
        dims="obs",
    )

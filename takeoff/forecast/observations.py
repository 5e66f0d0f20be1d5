"""The observed data behind a trajectory scenario, to draw on its charts.

A scenario draws parameters from fits (``[parameters] posterior = "FIT"`` or single posterior
sources). A fit's observations belong on the scenario's fan chart when they measure the
quantity the fan shows on a calendar: the fit's predictor is a date and its response has the
unit of the watched state (e.g. METR horizons in minutes on a ``horizon`` fan; frontier training
compute in FLOP on a path of physical compute in FLOP). Fits that only lend a parameter (a
scaling exponent, a growth rate) measure something else, and their data stay off the chart.
The observations are the rows the fit was fitted to, read from its saved posterior in data
units (``takeoff.models.fits.predictive``), with xarray only.
"""

from __future__ import annotations

from pathlib import Path

from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import FromPosterior

DATE_UNITS = ("decimal year", "year")


def fit_sources(scenario: Scenario) -> list[str]:
    """The posteriors a scenario draws from (shipped names or .nc paths), each once: the fit
    named by ``[parameters] posterior`` first."""
    names = [scenario.fit] if scenario.fit else []
    for src in scenario.all_sources().values():
        if isinstance(src, FromPosterior) and src.source not in names:
            names.append(src.source)
    return names


def watch_unit(scenario: Scenario) -> str:
    """The unit of the quantity a trajectory scenario watches."""
    from takeoff.models.registry import get_family

    family = get_family(scenario.family)
    quantities = {q.name: q for q in (*family.states, *family.derived)}
    return quantities[scenario.watch].unit


def _path(source: str) -> Path:
    from takeoff.data.posteriors import posteriors_dir

    path = Path(source)
    return path if path.suffix == ".nc" else posteriors_dir() / f"{source}.nc"


def trajectory_observations(scenario: Scenario) -> tuple:
    """The fits' observations that measure the watched quantity on a calendar (``FitData``),
    one per distinct data set (a fit and its nested variant share their data)."""
    from takeoff.models.fits.predictive import fit_data_file
    from takeoff.models.fits.registry import FITS

    unit = watch_unit(scenario)
    out, seen = [], set()
    for source in fit_sources(scenario):
        path = _path(source)
        if not path.is_file():
            continue
        data = fit_data_file(path)
        spec = FITS.get(data.fit)
        if spec is None or spec.predictor is None or spec.response is None:
            continue
        if spec.predictor.unit not in DATE_UNITS or spec.response.unit != unit:
            continue
        key = (data.fit, data.data_hash, data.observed.size)
        if key not in seen:
            seen.add(key)
            out.append(data)
    return tuple(out)

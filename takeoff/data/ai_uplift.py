"""Measured and reported AI uplift to AI research (``takeoff/data/ai_uplift/``), validated.

Two files: the measurements as collected (``ai_uplift_measurements.csv``, copied unchanged) and
how the ``research_loop`` fit reads each of them (``ai_uplift_readings.csv``: the date of the
work, the kind of evidence, the uplift as a speed factor with its 95% interval where reported,
and its role). Only rows whose role is ``measurement`` enter a likelihood; forecaster anchors,
model outputs and self-forecasts are ``comparison`` rows (shown beside the fit, never fitted).
PROVENANCE.md says where every number comes from.

``read_uplift`` puts any readings table (the bundled one or a user's CSV) through the same
checks, with one-line messages.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.data.validate import Check, convert, read_table
from takeoff.errors import TakeoffError

EVIDENCE = ("rct", "self_report", "telemetry", "task_eval")  # kinds that can be measurements
NOT_EVIDENCE = ("forecaster_anchor", "model_output")  # never in a likelihood
ROLES = ("measurement", "comparison", "excluded")
READINGS = "ai_uplift/ai_uplift_readings.csv"
MEASUREMENTS = "ai_uplift/ai_uplift_measurements.csv"

_CHECKS = (
    Check("id", "id", "text"),
    Check("date", "date", "number", valid=(2015.0, 2035.0)),
    Check("kind", "kind", "text"),
    Check("uplift", "uplift", "positive", valid=(0.01, 1000.0)),
    Check("uplift_low", "uplift_low", "positive", nullable=True),
    Check("uplift_high", "uplift_high", "positive", nullable=True),
    Check("role", "role", "text"),
    Check("reason", "reason", "text", nullable=True),
)


def _resource(relative: str):
    node = resources.files("takeoff.data")
    for part in relative.split("/"):
        node = node / part
    return node


def read_uplift(path: Path | None = None, data: bytes | None = None) -> pd.DataFrame:
    """A readings table (the bundled one when ``path`` and ``data`` are None) as a validated
    DataFrame: ids unique; kinds and roles from the lists above; an interval either whole
    (low <= uplift <= high) or absent; forecaster anchors and model outputs never
    ``measurement``."""
    label = f"'{path}'" if path is not None else "'ai_uplift_readings.csv'"
    if data is None:
        data = (Path(path) if path is not None else _resource(READINGS)).read_bytes()
    frame = convert(read_table(Path(label), label, data), _CHECKS)
    _check(frame, label)
    return frame


def _check(frame: pd.DataFrame, label: str) -> None:
    dup = frame["id"][frame["id"].duplicated()]
    if len(dup):
        raise TakeoffError(f"id '{dup.iloc[0]}' appears twice in {label}; give each row its own id")
    for column, allowed in (("kind", EVIDENCE + NOT_EVIDENCE), ("role", ROLES)):
        bad = frame[~frame[column].isin(allowed)]
        if len(bad):
            raise TakeoffError(
                f"row '{bad['id'].iloc[0]}' of {label} has {column} '{bad[column].iloc[0]}'; "
                f"choose one of: {', '.join(allowed)}"
            )
    lo, hi, x = (frame[c].to_numpy(float) for c in ("uplift_low", "uplift_high", "uplift"))
    half = np.isnan(lo) != np.isnan(hi)
    if half.any():
        raise TakeoffError(
            f"row '{frame['id'][half].iloc[0]}' of {label} gives one end of its interval; give "
            "both uplift_low and uplift_high or neither"
        )
    with np.errstate(invalid="ignore"):
        unordered = (lo > x) | (x > hi)
    if unordered.any():
        raise TakeoffError(
            f"row '{frame['id'][unordered].iloc[0]}' of {label} has uplift outside its interval; "
            "it needs uplift_low <= uplift <= uplift_high"
        )
    fitted_anchor = frame["kind"].isin(NOT_EVIDENCE) & (frame["role"] == "measurement")
    if fitted_anchor.any():
        raise TakeoffError(
            f"row '{frame['id'][fitted_anchor].iloc[0]}' of {label} is a "
            f"{frame['kind'][fitted_anchor].iloc[0]}, not a measurement; give it role comparison"
        )
    if not (frame["role"] == "measurement").any():
        raise TakeoffError(f"{label} has no row with role measurement; mark the measured rows")


def load_uplift() -> pd.DataFrame:
    """The bundled readings, joined with the source columns of the measurements file (metric,
    population, source), every id of one in the other."""
    readings = read_uplift()
    source = pd.read_csv(_resource(MEASUREMENTS).open("rb"), dtype=str)
    missing = set(readings["id"]) ^ set(source["id"])
    if missing:
        raise TakeoffError(f"ai_uplift: id '{sorted(missing)[0]}' is in one file only; fix both")
    out = readings.merge(source[["id", "metric", "population", "source"]], on="id")
    out.attrs["units"] = {"date": "decimal year", "uplift": "time without AI / time with AI"}
    return out


def measurements(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a likelihood takes (role measurement)."""
    return frame[frame["role"] == "measurement"].reset_index(drop=True)


def comparisons(frame: pd.DataFrame) -> pd.DataFrame:
    """Forecaster anchors, model outputs and other rows shown only for comparison."""
    return frame[frame["role"] == "comparison"].reset_index(drop=True)

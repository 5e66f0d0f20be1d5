"""The NanoGPT speedrun (bundled ``nanogpt_speedrun``) as a progress series: its records on one
clock, and the people credited on them as a daily research input.

Rows, track 1: re-timings are not records (dropped); the first measures the timing-rule change
after record 21 (+0.064 min, a fixed number of seconds), so records 1-21 are put on the new
clock; pure library upgrades (records 7, 25, 66: PyTorch releases, progress made outside the
community) have their gain divided out of every later record and are dropped; of records set on
the same day the last (the day's frontier) is kept. Track 2 is not fitted but its credits count
in the research input. The fit on these rows is
:mod:`takeoff.models.fits.software_returns`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.units import DAYS_PER_YEAR

DAY = 1.0 / DAYS_PER_YEAR
TRACK = "gpt2_small_3.28"
RULE_CHANGE_MINUTES = 2.997 - 2.933  # the re-timing of record 21 under the new timing rule
LIBRARY_UPGRADES = (7, 25, 66)  # track-1 records that only upgraded PyTorch
WINDOW_DAYS = 180.0  # trailing window of the main research-input series
LEAD_DAYS = 90.0  # active span: work before a person's first credit


def speedrun_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The bundled speedrun table as the fit's roles: every dated row (both tracks) with its
    credits, ``record`` true for the track-1 records fitted (treatments in the module
    docstring), ``performance`` = 1 / minutes on the new clock with library gains divided out."""
    d = frame[frame["date"].notna()].copy()
    track1 = (d["track"] == TRACK).to_numpy()
    retime = d["retime"].astype(bool).to_numpy()
    minutes = d["minutes"].to_numpy(float).copy()
    record_no = d["record"].to_numpy(float)
    minutes[track1 & (record_no <= 21) & ~retime] += RULE_CHANGE_MINUTES
    fitted = track1 & ~retime
    order = np.flatnonzero(fitted)  # track-1 records in file (date) order
    gain = np.ones(len(d))
    for k in LIBRARY_UPGRADES:
        hit = order[record_no[order] == k]
        if hit.size:
            i = int(hit[0])
            before = order[order < i][-1]
            gain[order[order >= i]] *= minutes[before] / minutes[i]
    minutes[fitted] *= gain[fitted]
    upgrade = track1 & np.isin(record_no, LIBRARY_UPGRADES)
    contributors = d["contributors"].where(record_no > 1, None)  # the baselines: not research
    out = pd.DataFrame(
        {
            "date": d["date_year"].to_numpy(float),
            "performance": 1.0 / minutes,
            "contributors": contributors.fillna("").to_numpy(object),
            "record": fitted & ~upgrade,
        }
    )
    # of records set on one day keep the last: the frontier at the end of the day
    rec = out[out["record"]]
    earlier = rec.index[rec.duplicated("date", keep="last")]
    out.loc[earlier, "record"] = False
    return out.sort_values("date", kind="stable").reset_index(drop=True)


# --- research input: the people credited -------------------------------------------------------


def credits(frame: pd.DataFrame) -> pd.DataFrame:
    """(person, date) for every credit in the ``contributors`` column (';'-separated)."""
    rows = [
        (name.strip(), t)
        for text, t in zip(frame["contributors"], frame["date"], strict=True)
        if isinstance(text, str)
        for name in text.split(";")
        if name.strip()
    ]
    return pd.DataFrame(rows, columns=["person", "date"])


def people_series(frame: pd.DataFrame, t0: float, t_end: float, kind: str):
    """Daily research input from the credits on [t0, t_end]: (day edges, people per day).
    ``trailing``: distinct people credited in the trailing 180 days; ``active_span``: a person
    counts from 90 days before their first credit to their last. Floored at 1."""
    edges = np.arange(t0, t_end + DAY, DAY)
    edges[-1] = max(edges[-1], t_end)
    mids = 0.5 * (edges[:-1] + edges[1:])
    c = credits(frame)
    if c.empty:
        raise TakeoffError(
            "the contributors column credits nobody; give people credited per row "
            "(';'-separated) or a research column"
        )
    if kind == "active_span":
        span = c.groupby("person")["date"].agg(["min", "max"])
        first = span["min"].to_numpy() - LEAD_DAYS * DAY
        last = span["max"].to_numpy()
        people = ((mids[:, None] >= first) & (mids[:, None] <= last)).sum(axis=1)
    else:
        when, who = c["date"].to_numpy(float), c["person"].to_numpy()
        window = WINDOW_DAYS * DAY
        people = np.array([len(set(who[(when > m - window) & (when <= m)])) for m in mids])
    return edges, np.maximum(people, 1).astype(float)

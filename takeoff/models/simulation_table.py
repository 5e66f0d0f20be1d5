"""Plain-text and tabular views of simulation results, shared by the CLI and notebooks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from takeoff.models.family import Family


def trajectory_table(family: Family, ds: xr.Dataset) -> pd.DataFrame:
    """``time`` plus one column per state and derived quantity (and ``draw`` if several)."""
    columns = [*family.state_names, *(d.name for d in family.derived)]
    frame = ds[columns].to_dataframe().reset_index()
    if ds.sizes["draw"] == 1:
        frame = frame.drop(columns="draw")
    return frame


def _num(x: float) -> str:
    return f"{x:.6g}" if math.isfinite(x) else str(x)


def format_simulation(family: Family, ds: xr.Dataset, rows: int = 11) -> str:
    """A short report of draw 0: parameters, regime, singularity or indicators, trajectory."""
    d = ds.isel(draw=0)
    t0 = float(ds.time[0])
    params = ", ".join(
        f"{p.name} = {_num(float(d[p.name]))}" + (f" [{p.unit}]" if p.unit else "")
        for p in family.parameters
    )
    initial = ", ".join(f"{s.name}(0) = {_num(float(d[s.name][0]))}" for s in family.states)
    lines = [
        f"{family.name}: {family.summary}",
        f"  {family.equation}",
        f"  parameters: {params}",
        f"  initial state: {initial}",
        f"regime: {d['regime'].item()}",
    ]
    if "t_blowup" in d:
        t_star = float(d["t_blowup"]) - t0
        if math.isfinite(t_star):
            lines.append(f"finite-time singularity at t* = {_num(t_star)} yr (exact)")
        else:
            lines.append("no finite-time singularity")
    for name, note in family.indicator_notes.items():
        lines.append(f"{name} = {_num(float(d[name]))}  ({note})")
    status = d["status"].item()
    t_cap = float(d["t_cap"]) - t0
    cap = ds.attrs["cap"]
    if status == "capped":
        lines.append(
            f"the trajectory reached the cap ({cap:.0e}) at t = {_num(t_cap)} yr; "
            "later values are held at the cap"
        )
    elif status == "singular":
        lines.append(
            f"numerical blow-up at t = {_num(t_cap)} yr (the state leaves every bound); "
            f"later values are held at the cap ({cap:.0e})"
        )
    elif status == "exhausted":
        lines.append(f"the integrator ran out of steps at t = {_num(t_cap)} yr; values held")

    table = trajectory_table(family, ds.isel(draw=[0]))
    pick = np.unique(np.linspace(0, len(table) - 1, min(rows, len(table))).round().astype(int))
    table = table.iloc[pick]
    table["time"] = table["time"] - t0
    header = "".join(f"{c:>14}" for c in table.columns)
    lines += ["", header.replace("          time", "    time [yr]")]
    for _, row in table.iterrows():
        cells = [f"{row['time']:>14.4g}"] + [f"{row[c]:>14.4e}" for c in table.columns[1:]]
        lines.append("".join(cells))
    return "\n".join(lines)

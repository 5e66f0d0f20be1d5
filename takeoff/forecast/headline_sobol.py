"""The headline scenario's grouped Sobol indices, for its details (printed and on the Loop page).

How much of the spread of the takeoff date, of the takeoff duration (log10 years) and of
hard-or-fast (whose mean is P(hard or fast)) comes from the inputs identified by data
(posterior draws) and how much from the labelled priors (assumptions): first-order and total
indices by pick-freeze with each group drawn jointly, as the forecast draws it
(``sensitivity.sobol(..., by="source")``, :mod:`takeoff.forecast.group_sobol`), so the
correlations within each posterior are kept. A scenario with ``prior_range = true`` gets them
in its summary (the forecast runs them and ``add_group_sobol`` stores them), at ``N`` base
samples (``N * 4`` runs) so that the main job stays quick; ``takeoff sensitivity NAME
--groups`` runs the same with more. Display only here (no sensitivity import: the printed
details read this module).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

N = 512  # base samples: 2,048 runs of the loop; the 95% half-widths are then ~0.05-0.1
LABELS = {
    "takeoff_date": "takeoff date",
    "duration": "takeoff duration (log10 yr)",
    "hard_or_fast": "hard or fast (mean: P(hard or fast))",
}


def add_group_sobol(summary: xr.Dataset, result) -> xr.Dataset:
    """``summary`` with S1, ST and their 95% half-widths per (output, group); an output with no
    indices (constant or all censored) is NaN with its note in ``sobol_notes``."""
    outputs = list(result.censored)
    groups = list(dict.fromkeys(result.indices["parameter"]))
    values = np.full((4, len(outputs), len(groups)), np.nan)
    for row in result.indices.itertuples(index=False):
        i, j = outputs.index(row.output), groups.index(row.parameter)
        values[:, i, j] = (row.S1, row.S1_conf, row.ST, row.ST_conf)
    ds = summary.assign_coords(sobol_output=outputs, sobol_group=groups)
    dims = ("sobol_output", "sobol_group")
    for k, name in enumerate(("sobol_S1", "sobol_S1_conf", "sobol_ST", "sobol_ST_conf")):
        ds[name] = (dims, values[k])
    ds.attrs.update(
        sobol_n=int(result.n),
        sobol_runs=int(result.evaluations),
        sobol_notes="; ".join(f"{k}: {v}" for k, v in result.notes.items()),
    )
    return ds


def group_sobol_lines(summary: xr.Dataset) -> list[str]:
    """The details' lines: per output, each group's first-order and total index ± 95%."""
    if "sobol_S1" not in summary:
        return []
    a = summary.attrs
    groups = [str(g) for g in summary["sobol_group"].values]
    out = [
        f"   grouped Sobol indices (pick-freeze, each posterior's draws kept joint; "
        f"{a['sobol_n']} base samples, {a['sobol_runs']:,} runs): first order S1 / total ST "
        "± 95%, per group (data: posterior draws; assumption: labelled priors)"
    ]
    for output in summary["sobol_output"].values:
        cells = []
        for g in groups:
            pick = {"sobol_output": output, "sobol_group": g}
            s1, s1c, st, stc = (
                float(summary[v].sel(pick)) for v in ("sobol_S1", "sobol_S1_conf", "sobol_ST",
                                                       "sobol_ST_conf")
            )  # fmt: skip
            cells.append(
                f"{g} S1 {s1:.2f} ± {s1c:.2f}, ST {st:.2f} ± {stc:.2f}"
                if np.isfinite(s1)
                else f"{g}: no indices"
            )
        out.append(f"     {LABELS.get(str(output), str(output))}: " + "; ".join(cells))
    if a.get("sobol_notes"):
        out.append(f"     ({a['sobol_notes']})")
    return out


def sobol_frame(summary: xr.Dataset):
    """The indices as a table: output (in words), group, S1, S1_conf, ST, ST_conf (for the
    figure and the downloads); empty when the summary has none."""
    import pandas as pd

    columns = ["output", "group", "S1", "S1_conf", "ST", "ST_conf"]
    if "sobol_S1" not in summary:
        return pd.DataFrame(columns=columns)
    rows = []
    for output in summary["sobol_output"].values:
        for g in summary["sobol_group"].values:
            pick = {"sobol_output": output, "sobol_group": g}
            values = [float(summary[f"sobol_{k}"].sel(pick)) for k in columns[2:]]
            rows.append([LABELS.get(str(output), str(output)), str(g), *values])
    return pd.DataFrame(rows, columns=columns)

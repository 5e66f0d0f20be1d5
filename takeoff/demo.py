"""The demo of the model families on the positions of the seed essays: a regime table and
figures of the keyhole (``takeoff demo``; the main job is ``takeoff forecast``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from takeoff.models import get_family, solve, time_grid
from takeoff.models.sweep import RegimeGrid, regime_grid

YEARS = 20.0

# (label, family, parameters): each a position from ../shared/seeds in its simplest form
CASES: tuple[tuple[str, str, dict[str, float]], ...] = (
    ("FOOM: superlinear returns (Yudkowsky)", "power_law", {"k": 0.5, "alpha": 1.5}),
    ("keyhole: exactly exponential", "power_law", {"k": 0.5, "alpha": 1.0}),
    ("sublinear returns (seed 002)", "power_law", {"k": 0.5, "alpha": 0.5}),
    ("compute feedback, gamma*eta = 0.5", "compute_feedback", {}),
    ("compute feedback, gamma*eta = 1.2", "compute_feedback", {"gamma": 1.2}),
    ("software explosion, r = 1.2", "jones_software", {}),
    ("software explosion to a ceiling", "jones_software", {"S_max": 1e6}),
    ("software, r = 0.8", "jones_software", {"beta": 0.75}),
    ("METR trend, constant doubling", "horizon", {"T0": 0.5, "eps": 0.0}),
    ("horizons superexponential", "horizon", {"T0": 0.5, "eps": 0.1}),
    ("hyperbolic world output", "hyperbolic_growth", {"s": 0.03, "B": 0.5}),
)


def _row(label: str, family_name: str, params: dict[str, float]) -> tuple[list[str], object]:
    family = get_family(family_name)
    ds = solve(family, params, t=time_grid(YEARS, 401))
    d = ds.isel(draw=0)
    state = family.state_names[0]
    stop = float(d["t_cap"])
    if "t_blowup" in d and math.isfinite(float(d["t_blowup"])):
        singular = f"t* = {float(d['t_blowup']):.3g} yr"
    elif d["status"].item() in ("capped", "singular"):
        singular = f"blow-up ~ {stop:.3g} yr"
    else:
        singular = "none in 20 yr" if "t_blowup" not in d else "never"
    indicator = ", ".join(f"{n} = {float(d[n]):.3g}" for n in family.indicator_notes)
    end = "blew up" if math.isfinite(stop) else f"{float(d[state][-1]):.3g}"
    return [label, family_name, d["regime"].item(), singular, indicator, end], ds


def keyhole_grid(resolution: int = 200, I0: float = 1.0) -> RegimeGrid:
    """power_law's blow-up times over alpha in [0.5, 2] and k in [0.05, 5] (log), I(0) = I0."""
    return regime_grid(
        "power_law",
        "alpha",
        "k",
        np.linspace(0.5, 2.0, resolution),
        np.geomspace(0.05, 5.0, resolution),
        {},
        {"I": I0},
        YEARS,
        log_y=True,
    )


def run_demo(out: Path) -> tuple[str, list[Path]]:
    """Simulate every case, return the regime table as text and the figure paths written."""
    from takeoff.plots import static as plots

    rows, results = [], {}
    for label, family_name, params in CASES:
        row, ds = _row(label, family_name, params)
        rows.append(row)
        results[label] = ds
    header = ["case", "family", "regime", "singularity", "indicator", f"state at {YEARS:g} yr"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))

    keyhole = [
        (f"α = {a:g}", solve("power_law", {"k": 0.5, "alpha": a}, t=time_grid(YEARS, 801)), "I")
        for a in (0.5, 0.8, 1.0, 1.2, 1.5)
    ]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    figures = {
        "keyhole_trajectories.png": plots.trajectories(
            keyhole,
            "dI/dt = 0.5 I^α: flatline, keyhole or FOOM (dotted: blow-up)",
            "capability I",
            ymax=1e5,
        ),
        "keyhole_doubling_times.png": plots.doubling_times(
            [(label, ds, "power_law", "I") for label, ds, _ in keyhole],
            "Doubling time vs capability: only α = 1 keeps it constant",
            "capability I",
            xmax=1e5,
        ),
        "regime_map.png": plots.regime_map(
            keyhole_grid(),
            "dI/dt = k I^α, I(0) = 1: FOOM or flatline",
            "returns exponent α",
            "rate k [1/yr]",
        ),
        "families.png": plots.trajectories(
            [
                (label, results[label], get_family(f).state_names[0])
                for label, f, _ in CASES
                if f != "horizon"
            ],
            "The families on the seeds' positions (dotted: blow-up)",
            "state (start = 1)",
            ymax=1e9,
        ),
    }
    for name, fig in figures.items():
        path = out / name
        plots.save(fig, path)
        written.append(path)
    return "\n".join(lines), written

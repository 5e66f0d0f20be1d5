"""The doublings kind's simulation: run the recursion for a block of draws at once and measure
each run (for each (T, m) metric: did some run of k doublings take less than T months; for each
window T: the most consecutive doublings within it), and the per-draw results of the local
engine as one Dataset."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.forecast.scenario import Scenario
from takeoff.models.sie import (
    SIE_DOUBLINGS,
    STOP_REASONS,
    max_run,
    simulate_doublings,
    years_within,
)


def metric_label(months: float, years: float) -> str:
    return f"{years:g} yr in {months:g} mo"


def windows(scenario: Scenario) -> list[float]:
    """The distinct window lengths T (months) of the scenario's metrics, increasing."""
    return sorted({months for months, _ in scenario.metrics})


@dataclass
class SieBlock:
    """One block of simulated draws."""

    times: np.ndarray  # (n, steps) months at the end of each doubling; inf after stopping
    steps: np.ndarray  # (n,) doublings done
    stop: np.ndarray  # (n,) index into STOP_REASONS
    hits: np.ndarray  # (n, pairs) bool: m years of progress within T months
    runs: np.ndarray  # (n, windows) most consecutive doublings within T months
    values: dict[str, np.ndarray]  # every parameter of the model, drawn or default


def simulate_sie_block(scenario: Scenario, draws: dict[str, np.ndarray]) -> SieBlock:
    """Run the recursion for every draw of the block at once and measure it."""
    n = next(iter(draws.values())).shape[0] if draws else 1
    params = {}
    for p in SIE_DOUBLINGS.parameters:
        values = draws[p.name] if p.name in scenario.parameters else np.full(n, p.default)
        bad = np.isnan(values) | ~p.valid.contains(values)
        if bad.any():
            raise TakeoffError(
                f"scenario {scenario.name}: parameters {p.name} drew {values[bad][0]:g}, outside "
                f"its valid range {p.valid}; use a distribution or transform that stays inside it"
            )
        params[p.name] = values
    d = simulate_doublings(
        params["f"],
        params["r0"],
        params["L"],
        params["p"],
        constant_r=scenario.variant == "constant_r",
        t_max_months=12.0 * scenario.years,
    )
    hits = np.stack([years_within(d.times, t, m) for t, m in scenario.metrics], axis=1)
    runs = np.stack([max_run(d.times, t) for t in windows(scenario)], axis=1)
    return SieBlock(d.times, d.steps, d.stop, hits, runs, params)


def per_draw_sie(scenario: Scenario, blocks: list[SieBlock]) -> xr.Dataset:
    """Per-draw results (local engine, keep_draws=True): doubling times, metrics, parameters."""
    width = max(b.times.shape[1] for b in blocks)
    times = np.concatenate(
        [
            np.pad(b.times, ((0, 0), (0, width - b.times.shape[1])), constant_values=np.inf)
            for b in blocks
        ]
    )
    labels = [metric_label(m, y) for m, y in scenario.metrics]
    ds = xr.Dataset(
        {
            "t_doubling": (
                ("draw", "step"),
                times,
                {"units": "months", "long_name": "end of each doubling (inf: not done)"},
            ),
            "doublings_done": ("draw", np.concatenate([b.steps for b in blocks])),
            "stop_reason": (
                "draw",
                np.array(STOP_REASONS)[np.concatenate([b.stop for b in blocks])],
            ),
            "years_within": (("draw", "metric"), np.concatenate([b.hits for b in blocks])),
            "max_run": (
                ("draw", "window"),
                np.concatenate([b.runs for b in blocks]),
                {"long_name": "most consecutive doublings that took less than `window` months"},
            ),
        },
        coords={
            "draw": np.arange(times.shape[0]),
            "step": np.arange(1, width + 1),
            "metric": labels,
            "window": ("window", np.array(windows(scenario)), {"units": "months"}),
        },
    )
    for key in blocks[0].values:
        ds[key] = ("draw", np.concatenate([b.values[key] for b in blocks]))
    return ds

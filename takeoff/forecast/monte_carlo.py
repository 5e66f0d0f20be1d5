"""Run a scenario forecast: draw parameters block by block, simulate, reduce.

``forecast(scenario, draws, seed)`` runs locally (in this process) or on Dask
(``engine="dask"``: a LocalCluster of 2 single-threaded workers by default, or the cluster at
``scheduler``). Both engines simulate the same blocks with the same seeds and reduce them with
the same exact histogram arithmetic, so their summaries are identical; only the local engine can
also return the per-draw results (``keep_draws=True``), for small runs.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.forecast.kind import ForecastKind
from takeoff.forecast.kinds import kinds
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import BLOCK, draw_block, load_posterior_draws

ENGINES = ("local", "dask")
MAX_KEPT_DRAWS = 200_000


@dataclass
class Forecast:
    scenario: Scenario
    summary: xr.Dataset
    draws: xr.Dataset | None = None  # per draw (local engine, keep_draws=True)


def _blocks(draws: int) -> list[tuple[int, int]]:
    """(block index, size) covering ``draws``; the last block may be partial."""
    return [(b, min(BLOCK, draws - b * BLOCK)) for b in range(math.ceil(draws / BLOCK))]


def kind(scenario: Scenario) -> ForecastKind:
    """The forecast kind of a scenario."""
    return kinds()[scenario.kind]


def run_blocks(scenario: Scenario, blocks, seed: int, posteriors=None, keep=False):
    """Simulate the given blocks; returns the accumulator (and the blocks if ``keep``)."""
    posteriors = load_posterior_draws(scenario.all_sources()) if posteriors is None else posteriors
    k = kind(scenario)
    acc = k.accumulator(scenario)
    kept = []
    pending = []  # a kind that batches: the blocks' draws, simulated together
    for index, size in blocks:
        values = draw_block(scenario.all_sources(), scenario.correlations, posteriors, seed, index)
        values = {name: v[:size] for name, v in values.items()}
        if k.batch_blocks:
            pending.append(values)
            continue
        block = k.simulate(scenario, values)
        acc.add(scenario, block)
        if keep:
            kept.append(block)
    if pending:
        block = k.simulate(
            scenario, {name: np.concatenate([v[name] for v in pending]) for name in pending[0]}
        )
        acc.add(scenario, block)
        if keep:
            kept.append(block)
    return acc, kept


def _chunk_task(scenario_text: str, where: str, blocks, seed: int):
    """A Dask task: parse the scenario (plain TOML text travels to workers), run its blocks."""
    scenario = parse_scenario(scenario_text, where=where)
    return run_blocks(scenario, blocks, seed)[0]


def forecast(
    scenario: Scenario | str,
    draws: int = 10_000,
    seed: int = 0,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    chunk_blocks: int = 10,
    keep_draws: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Forecast:
    """Forecast ``scenario`` (a Scenario, a built-in name or a .toml path) over ``draws``."""
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise TakeoffError(f"draws must be a positive integer; got {draws!r}")
    if engine not in ENGINES:
        raise TakeoffError(f"unknown engine '{engine}'; choose one of: {', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise TakeoffError("--scheduler needs --engine dask")
    if keep_draws and (engine != "local" or draws > MAX_KEPT_DRAWS):
        raise TakeoffError(
            f"per-draw results are kept only by the local engine and up to {MAX_KEPT_DRAWS:,} "
            "draws; use the summary for larger runs"
        )
    if isinstance(chunk_blocks, bool) or not isinstance(chunk_blocks, int) or chunk_blocks < 1:
        raise TakeoffError(f"chunk_blocks must be a positive integer; got {chunk_blocks!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise TakeoffError(f"the seed must be an integer from 0 to {2**32 - 1}; got {seed!r}")
    k = kind(scenario)
    k.check_memory(scenario)  # before anything is allocated
    blocks = _blocks(draws)
    chunks = [blocks[i : i + chunk_blocks] for i in range(0, len(blocks), chunk_blocks)]
    if engine == "local":
        posteriors = load_posterior_draws(scenario.all_sources())
        acc = k.accumulator(scenario)
        kept: list = []
        for i, chunk in enumerate(chunks):
            part, blocks_kept = run_blocks(scenario, chunk, seed, posteriors, keep=keep_draws)
            acc = acc.merge(part)
            kept += blocks_kept
            if progress:
                progress(i + 1, len(chunks))
    else:
        acc = _run_dask(scenario, chunks, seed, scheduler, progress)
        kept = []
    summary = k.summarize(scenario, acc, seed, engine)
    from takeoff.forecast.returns_source import returns_statement

    returns = returns_statement(scenario.all_sources())
    if returns is not None:
        summary.attrs["returns"] = returns
    if scenario.check_data:
        from takeoff.forecast.kinds.trajectory.data_check import (
            data_period_check,
            recent_coverage,
        )

        check = data_period_check(scenario, draws=min(draws, 1000), seed=seed)
        recent50, recent90, _ = recent_coverage(check.points)
        summary.attrs.update(
            data_check_recent_coverage50=recent50,
            data_check_recent_coverage90=recent90,
            data_check=check.format(),
            data_check_coverage50=check.coverage50,
            data_check_coverage90=check.coverage90,
            data_check_median_error=check.median_error,
        )
    if scenario.prior_range:
        from takeoff.forecast.prior_range import MAX_DRAWS, add_prior_range, prior_range

        summary = add_prior_range(
            summary, prior_range(scenario, draws=min(draws, MAX_DRAWS), seed=seed)
        )
        # how much data narrowed each declared prior, and the grouped Sobol indices
        from takeoff.forecast.headline_sobol import N, add_group_sobol
        from takeoff.forecast.prior_posterior import add_prior_posterior, prior_against_draws
        from takeoff.forecast.sensitivity import sobol

        summary = add_prior_posterior(summary, prior_against_draws(scenario, seed=seed))
        summary = add_group_sobol(summary, sobol(scenario, n=N, seed=seed, by="source"))
    return Forecast(scenario, summary, k.per_draw(scenario, kept) if keep_draws else None)


def _run_dask(scenario, chunks, seed, scheduler, progress):
    from distributed import Client, LocalCluster, as_completed

    load_posterior_draws(scenario.all_sources())  # fail here, not on a worker, if one is missing
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                dashboard_address=None,
                processes=True,
                silence_logs=40,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise TakeoffError(f"cannot reach the Dask scheduler '{scheduler}': {exc}") from None
    try:
        futures = [
            client.submit(_chunk_task, scenario.text, scenario.name, chunk, seed, pure=False)
            for chunk in chunks
        ]
        acc = kind(scenario).accumulator(scenario)
        for i, future in enumerate(as_completed(futures), start=1):
            acc = acc.merge(future.result())
            future.release()
            if progress:
                progress(i, len(chunks))
        return acc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def text_progress(label: str) -> Callable[[int, int], None]:
    """A minimal progress bar on stderr: label [#####.....] i/n."""

    def show(i: int, n: int) -> None:
        width = 30
        filled = int(width * i / n)
        end = "\n" if i == n else ""
        sys.stderr.write(f"\r  {label} [{'#' * filled}{'.' * (width - filled)}] {i}/{n}{end}")
        sys.stderr.flush()

    return show

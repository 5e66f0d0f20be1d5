"""Benchmark: the closed loop ``takeoff_from_data``, 10,000 draws end to end.

1. The forecast end to end: ``forecast("takeoff_from_data", draws)``: parse, seeded block
   draws (joint posterior draws of the fitted links, the labelled priors), the vectorised
   adaptive Dormand-Prince solve of every draw at once (``research_loop`` has no closed form),
   milestone dates, the counterfactual run of the same draws with AI labour off, the exact-count
   summary and the data-period check (1,000 draws over the METR period). Wall time: median of 3
   after a warm-up run.
2. The solve alone: ``solve("research_loop", params)`` for the same draws on the scenario's grid
   (with the derived quantities the forecast measures: H, automation, speedup).
3. The baseline: a per-draw loop of the same model, each draw's d ln S / dt (the family's own
   growth rate, prepared once per draw) integrated by ``scipy.integrate.solve_ivp`` (RK45, the
   same tolerances) on the same grid. Timed on a subset of the draws and extrapolated (mean time
   per draw x draws). The two agree on ln S at the horizon (printed).

It prints draws/s and the ratios (baseline per-draw solve_ivp loop = 1).

    python benchmarks/bench_loop.py [--draws 10000] [--subset 100] [--seed 0]
                                    [--out benchmarks/last_run_loop.txt]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

from takeoff.forecast import forecast
from takeoff.forecast.kinds.trajectory.measures import measured
from takeoff.forecast.loading import load_scenario
from takeoff.models.family import resolve_parameters
from takeoff.models.registry import get_family
from takeoff.models.solve import solve

RTOL, ATOL = 1e-8, 1e-10  # the family solver's defaults


def timed(fn, repeat=3):
    fn()  # warm-up: imports, posterior files, compiled kernels
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def scenario_draws(name: str, draws: int, seed: int):
    """The scenario's own draws of the family parameters (kept per draw by the forecast)."""
    scenario = load_scenario(name)
    kept = forecast(scenario, draws=min(draws, 20_000), seed=seed, keep_draws=True).draws
    family = get_family(scenario.family)
    params = {k: kept[k].values for k in scenario.parameters}
    return scenario, family, resolve_parameters(family, params, kept.sizes["draw"])


def per_draw(family, p, i, tau):
    one = {k: v[i : i + 1] for k, v in p.items()}
    one.update(family.prepare(one))

    def rhs(t, u):
        return family.growth_rate(np.asarray(t), np.array([[u[0]]]), one)[0]

    sol = solve_ivp(rhs, (tau[0], tau[-1]), [0.0], t_eval=tau, rtol=RTOL, atol=ATOL)
    return sol.y[0]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--subset", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    n = args.draws
    wall, run = timed(lambda: forecast("takeoff_from_data", draws=n, seed=args.seed))
    say(f"takeoff_from_data, {n:,} draws end to end (forecast, counterfactual, data check):")
    say(f"  wall {wall:.2f} s (median of 3), {n / wall:,.0f} draws/s")

    scenario, family, p = scenario_draws("takeoff_from_data", n, args.seed)
    t = scenario.time_grid()
    wanted = measured(scenario, family)  # the derived quantities the forecast measures
    solve_wall, sol = timed(lambda: solve(family, p, {"S": 1.0}, t, derived=wanted))
    say(f"  solve alone: {solve_wall:.2f} s, {n / solve_wall:,.0f} draws/s")

    tau = t - t[0]
    k = min(args.subset, n)
    t0 = time.perf_counter()
    paths = [per_draw(family, p, i, tau) for i in range(k)]
    per = (time.perf_counter() - t0) / k
    baseline = per * n
    say(f"baseline: per-draw solve_ivp (RK45, rtol {RTOL:g}) on {k} draws: {per * 1e3:.1f} ms")
    say(f"  per draw, {baseline:.1f} s extrapolated to {n:,} draws, {1 / per:,.0f} draws/s")
    say(
        f"ratio (draws/s, ours / baseline): end to end {baseline / wall:,.0f}x, solve alone "
        f"{baseline / solve_wall:,.0f}x"
    )
    ours_end = np.log(sol["S"].values[:k, -1])
    theirs_end = np.array([path[-1] for path in paths])
    ok = np.isfinite(ours_end) & np.isfinite(theirs_end)
    diff = np.abs(ours_end[ok] - theirs_end[ok])
    say(
        f"agreement on ln S at {t[-1]:.0f}: max |difference| {diff.max():.2e} over {ok.sum()} "
        f"draws (median {np.median(diff):.1e})"
    )
    median = float(run.summary["milestone_date"].sel(milestone="work_year", quantile=0.5))
    say(f"(work_year median date in the timed run: {median:.2f})")
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

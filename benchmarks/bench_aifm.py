"""Benchmark: the AI Futures Model's published Monte Carlo (``aifm``), 10,000 draws end to end.

1. takeoff's implementation: seeded draws from the published priors and correlations
   (aifm_priors.toml), then ``aifm.simulate`` for the whole block: calibration of every draw
   (experiment capacity, the human-only quadrature, r, the horizon anchor, the automation
   anchor), the milestone thresholds, one ODE per draw (compiled Dormand-Prince, threads over
   draws), milestone dates and yearly paths. Wall time: median of 3 after a warm-up run.
2. The forecast end to end: ``forecast("aifm_published_mc", draws)``, the built-in scenario
   through the forecast engine (parse, seeded block draws of the published priors through the
   engine's Gaussian copula, the simulation, the exact-count reduction, the summary). Wall
   time: median of 3 after a warm-up run.
3. The baseline: a per-draw loop of the same equations, each draw calibrated on its own and
   its ODE du/dt = RE / min(RS, 1e30) integrated by ``scipy.integrate.solve_ivp`` (RK45, the
   same tolerances, the same compiled right-hand side called for one draw, milestone dates as
   solve_ivp events, the yearly paths by t_eval). It is timed on a subset of the same draws and
   extrapolated to all of them (the subset's mean time per draw, times the number of draws).

It prints draws/s, the ratio, the statuses of the draws and how the two agree on the dates.

    python benchmarks/bench_aifm.py [--draws 10000] [--subset 100] [--seed 0]
                                    [--out benchmarks/last_run_aifm.txt]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

from takeoff.models import aifm
from takeoff.models.aifm import kernels as K
from takeoff.models.aifm import simulation

TIMES = np.arange(2012.0, 2050.5, 1.0)


def ours(draws):
    return aifm.simulate(draws, times=TIMES)


def per_draw(draws, i, rtol=1e-7, atol=1e-7):
    """One draw with solve_ivp: its own calibration, thresholds and integration."""
    one = {k: v[i : i + 1] for k, v in draws.items()}
    ts = {k: one.pop(k) for k in aifm.TIME_SERIES_PARAMETERS}
    p = aifm.resolve(one)
    cal, inp, am = aifm.calibrate(p, ts=ts)
    c = cal.values
    c["human_only"] = False
    if cal.status[0] != aifm.OK:
        return np.full(len(aifm.MILESTONES), np.nan), cal.status[0], 0.0
    c["u0"] = simulation.main_initial_stock(c, am, inp)
    simulation._pack(c, am, inp)
    thresholds = simulation._thresholds(c, am)[0]
    rows = np.zeros(1, dtype=np.int64)
    out, P = np.empty(1), np.empty(1)

    def rhs(t, y):
        K.rhs_rows(
            am.A, c["_R"], c["_S"], rows, np.array([t]), y, c["_tk"], c["_logs"], c["_g"],
            c["_gcum"], aifm.LOG_RESEARCH_STOCK_CLAMP, out, P,
        )  # fmt: skip
        return out.copy()

    def event(j):
        def crossing(t, y):
            return simulation._progress(np.array([t]), y, c, inp, rows)[0] - thresholds[j]

        crossing.terminal = False
        crossing.direction = 1
        return crossing

    events = [event(j) for j in range(len(thresholds)) if np.isfinite(thresholds[j])]
    t_ode = time.perf_counter()
    sol = solve_ivp(
        rhs, (2012.0, 2050.0), c["u0"], method="RK45", rtol=rtol, atol=atol,
        t_eval=TIMES, events=events,
    )  # fmt: skip
    t_ode = time.perf_counter() - t_ode
    dates = np.full(len(thresholds), np.inf)
    finite = np.flatnonzero(np.isfinite(thresholds))
    P0 = simulation._progress(np.array([2012.0]), c["u0"], c, inp, rows)[0]
    for k, j in enumerate(finite):
        if thresholds[j] <= P0:
            dates[j] = 2012.0
        elif sol.t_events[k].size:
            dates[j] = sol.t_events[k][0]
    return dates, aifm.OK if sol.success else aifm.EXHAUSTED, t_ode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--subset", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="benchmarks/last_run_aifm.txt")
    args = ap.parse_args()
    priors = aifm.load_priors()
    lines = [f"aifm published Monte Carlo: {args.draws:,} draws, seed {args.seed}"]

    def say(s=""):
        print(s, flush=True)
        lines.append(s)

    ours(priors.sample(50, args.seed + 1))  # warm-up: compiled kernels load from the cache
    walls = []
    for _ in range(3):
        t0 = time.perf_counter()
        draws = priors.sample(args.draws, args.seed)
        run = ours(draws)
        walls.append(time.perf_counter() - t0)
    wall = statistics.median(walls)
    say(f"takeoff (aifm.simulate, one block): median {wall:.2f} s of 3 "
        f"({', '.join(f'{w:.2f}' for w in walls)}), {args.draws / wall:,.0f} draws/s")  # fmt: skip
    say(f"  statuses: {run.status_counts()}; research stock held at the 1e30 clamp by 2050: "
        f"{int(run.calibration['rs_clamped'].sum())}")  # fmt: skip
    failed = int((run.status != aifm.OK).sum())
    say(f"  failed draws: {failed}")
    for j, name in enumerate(run.milestone_names):
        d = run.milestones[:, j]
        reached = np.isfinite(d)
        x = np.sort(np.where(reached, d, np.inf))
        q = [x[int(p * (x.size - 1))] for p in (0.1, 0.5, 0.9)]  # lower quantiles; inf: not by 2050
        fmt = ", ".join("not by 2050" if np.isinf(x) else f"{x:.2f}" for x in q)
        say(f"  {name:10s} P(by 2030/2035/2040) = "
            f"{np.mean(d <= 2030):.3f}/{np.mean(d <= 2035):.3f}/{np.mean(d <= 2040):.3f}; "
            f"10/50/90%: {fmt}")  # fmt: skip

    from takeoff.forecast import forecast

    forecast("aifm_published_mc", draws=50, seed=args.seed + 1)  # warm-up
    ends = []
    for _ in range(3):
        t0 = time.perf_counter()
        summary = forecast("aifm_published_mc", draws=args.draws, seed=args.seed).summary
        ends.append(time.perf_counter() - t0)
    end_to_end = statistics.median(ends)
    say()
    say(f"forecast('aifm_published_mc', draws={args.draws:,}) end to end: median "
        f"{end_to_end:.2f} s of 3 ({', '.join(f'{w:.2f}' for w in ends)}), "
        f"{args.draws / end_to_end:,.0f} draws/s; failed {summary.attrs['failed']}")  # fmt: skip
    ac = summary["milestone_date"].sel(milestone="AC")
    say(f"  AC median {float(ac.sel(quantile=0.5)):.2f}, P(AC by 2030) = "
        f"{float(summary['p_by'].sel(milestone='AC', year=2030.0)):.3f} ± "
        f"{float(summary['p_by_se'].sel(milestone='AC', year=2030.0)):.3f}")  # fmt: skip

    sub = np.linspace(0, args.draws - 1, args.subset).astype(int)
    per, dates, statuses, ode = [], [], [], []
    for i in sub:
        t0 = time.perf_counter()
        d, st, t_ode = per_draw(draws, int(i))
        per.append(time.perf_counter() - t0)
        dates.append(d)
        statuses.append(st)
        ode.append(t_ode)
    per, ode = np.array(per), np.array(ode)
    dates = np.array(dates)
    loop_total = per.mean() * args.draws
    say()
    say(f"baseline (per-draw loop, solve_ivp RK45): {per.mean() * 1e3:.1f} ms/draw "
        f"(median {np.median(per) * 1e3:.1f}, max {per.max() * 1e3:.0f}) on {args.subset} of the "
        f"draws; extrapolated to {args.draws:,}: {loop_total:,.0f} s; of which solve_ivp "
        f"{ode.mean() * 1e3:.1f} ms/draw, the rest its calibration and thresholds")  # fmt: skip
    say(f"  baseline statuses: ok {sum(s == aifm.OK for s in statuses)}, "
        f"solve_ivp not successful (step size collapse in a burst) "
        f"{sum(s != aifm.OK for s in statuses)}")  # fmt: skip
    say(f"ratio (extrapolated loop / takeoff): {loop_total / wall:,.0f}x")
    say(f"ratio (extrapolated loop / the forecast end to end): {loop_total / end_to_end:,.0f}x")
    a, b = run.milestones[sub], dates
    both = np.isfinite(a) & np.isfinite(b)
    same = np.mean(np.isfinite(a) == np.isfinite(b))
    say(f"agreement on the subset: reached by the same draws {same:.4f}; "
        f"max |date difference| {np.max(np.abs(a[both] - b[both])):.2e} years")  # fmt: skip
    Path(args.out).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

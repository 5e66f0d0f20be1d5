"""Benchmark: takeoff's vectorised solver against scipy's solve_ivp called once per draw.

Problem: ``jones_software`` (no closed form), 100,000 draws from its default priors (ceiling
S_max included), 10 years on a grid of 1,001 points (1,000 steps), in log-states for both.
Accuracy: the max relative error of S over all grid points of a random subset of draws against
a fine reference (scipy Radau, rtol 1e-12). solve_ivp (RK45) gets the tightest of a ladder of
tolerances whose error is no worse than ours ("matched accuracy"); its per-draw time is measured
on a subset and scaled to all draws. Run in one process:

    python benchmarks/bench_solver.py [--draws 100000] [--subset 200] [--seed 0]

Prints draw-steps/s for both and their ratio (targets: >= 200x, 1e5 x 1e3 in <= 2 s).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

from takeoff.models import get_family, solve, time_grid

TOLERANCES = (1e-6, 1e-8)  # takeoff's rtol on ln S (atol = rtol / 100); 1e-8 is the default


def scipy_path(fam, values, t, method, rtol, atol):
    """One draw with solve_ivp, in log-states like takeoff, stopped at the end or on failure."""
    p = {k: np.array([v]) for k, v in values.items()}
    p.update(fam.prepare(p))

    def rhs(tt, u):
        with np.errstate(over="ignore", invalid="ignore"):  # rejected trial steps may overflow
            return fam.growth_rate(np.array([tt]), u[None, :], p)[0]

    sol = solve_ivp(rhs, (t[0], t[-1]), [0.0], t_eval=t, method=method, rtol=rtol, atol=atol)
    u = np.full(t.size, sol.y[0, -1] if sol.y.size else 0.0)
    u[: sol.y.shape[1]] = sol.y[0]
    return np.exp(np.minimum(u, np.log(values["S_max"])))


def max_rel_error(paths, reference):
    return float(np.max(np.abs(paths / reference - 1.0)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    fam = get_family("jones_software")
    rng = np.random.default_rng(args.seed)
    params = {p.name: p.prior.sample(rng, args.draws) for p in fam.parameters}
    t = time_grid(10.0, 1001)
    steps = t.size - 1
    subset = rng.choice(args.draws, size=args.subset, replace=False)

    def draw_values(i):
        return {k: float(v[i]) for k, v in params.items()}

    print(f"reference: scipy Radau (rtol 1e-12) on {args.subset} random draws ...", flush=True)
    reference = np.array(
        [scipy_path(fam, draw_values(i), t, "Radau", 1e-12, 1e-14) for i in subset]
    )
    scipy_ladder = []
    for rtol in (1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11):
        start = time.perf_counter()
        paths = np.array(
            [scipy_path(fam, draw_values(i), t, "RK45", rtol, rtol * 1e-2) for i in subset]
        )
        per_draw = (time.perf_counter() - start) / args.subset
        scipy_ladder.append((rtol, per_draw, max_rel_error(paths, reference)))
        print(
            f"  solve_ivp RK45 rtol {rtol:.0e}: max relative error {scipy_ladder[-1][2]:.2e}, "
            f"{per_draw * 1e3:.2f} ms per draw",
            flush=True,
        )

    cold = time.perf_counter()
    solve(fam, {k: v[:10] for k, v in params.items()}, t=t)
    cold = time.perf_counter() - cold
    print(f"first call (numba kernels load from cache or compile): {cold:.2f} s")
    for rtol in TOLERANCES:
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            ds = solve(fam, params, t=t, rtol=rtol, atol=rtol * 1e-2)
            walls.append(time.perf_counter() - start)
            error = max_rel_error(ds["S"].values[subset], reference)
            statuses = dict(zip(*np.unique(ds["status"].values, return_counts=True), strict=True))
            del ds  # free the 800 MB output before the next run
        wall = float(np.median(walls))
        ours = args.draws * steps / wall
        matched = next((x for x in scipy_ladder if x[2] <= error), scipy_ladder[-1])
        theirs = steps / matched[1]
        print(
            f"\ntakeoff solve, rtol {rtol:.0e}: {args.draws:,} draws x {steps:,} steps in "
            f"{wall:.2f} s (median; runs {', '.join(f'{w:.2f}' for w in walls)}; the first "
            "touches fresh memory)"
        )
        print(f"  statuses {statuses}; max relative error {error:.2e} on {args.subset} draws")
        print(
            f"  solve_ivp loop at matched accuracy (RK45 rtol {matched[0]:.0e}, error "
            f"{matched[2]:.2e}): {matched[1] * args.draws:.0f} s for {args.draws:,} draws "
            f"(scaled from {args.subset})"
        )
        print(f"  throughput: takeoff {ours:.3g} draw-steps/s, solve_ivp loop {theirs:.3g}")
        print(f"  ratio: {ours / theirs:.0f}x (target >= 200x); wall {wall:.2f} s (target <= 2 s)")


if __name__ == "__main__":
    main()

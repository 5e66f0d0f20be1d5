"""Benchmark: 30,000 simulations of the published software-intelligence-explosion scenario
(Davidson & Houlden 2025, ``sie_published``).

1. End to end, as ``takeoff forecast sie_published --draws 30000`` runs it: seeded draws from
   the published priors, the recursion for all draws at once, the four (T, m) metrics, the
   fastest-run curves and the exact reduction. Wall time (median of 3 after a warm-up run) and
   simulations/s.
2. The model alone on 30,000 draws: ``simulate_doublings`` and the four ``years_within``
   metrics, against a naive loop (one plain Python loop per simulation, as the model is usually
   written) on the same draws; the two must give the same metric for every draw.

    python benchmarks/bench_sie.py [--draws 30000] [--seed 0] [--out benchmarks/last_run_sie.txt]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

import numpy as np

from takeoff.forecast import forecast
from takeoff.models.sie import simulate_doublings, years_within

PAIRS = ((12, 3), (4, 10), (12, 10), (4, 30))


def naive(f, r0, L, p):
    """One simulation of the published recursion and its four metrics, plain Python."""
    N = 8 * L
    t, delta, r, times = 0.0, 3 / f, r0, []
    while True:
        t += delta
        r -= r0 / N
        if r > 0:
            try:
                delta *= 2 ** (p * (1 / r - 1))
            except OverflowError:
                delta = math.inf
        times.append(t)
        if t >= 48 or len(times) >= N or r <= 0:
            break
    starts = [0.0, *times]
    out = []
    for T, m in PAIRS:
        k = math.floor(T * 8 * m / 12)
        out.append(any(times[i + k - 1] - starts[i] < T for i in range(len(times) - k + 1)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("last_run_sie.txt"))
    args = parser.parse_args()
    n = args.draws
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"sie_published, {n:,} simulations (published priors; stop at 48 months)")
    t0 = time.perf_counter()
    forecast("sie_published", draws=n, seed=args.seed)
    say(f"warm-up run (imports, first touches): {time.perf_counter() - t0:.2f} s")
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = forecast("sie_published", draws=n, seed=args.seed)
        runs.append(time.perf_counter() - t0)
    wall = statistics.median(runs)
    say(
        f"1. takeoff forecast, end to end: {wall:.2f} s (median; runs "
        f"{', '.join(f'{r:.2f}' for r in runs)}), {n / wall:,.0f} simulations/s"
    )
    s = result.summary
    for i, label in enumerate(s["metric"].values):
        say(
            f"   P({label}) = {float(s['p_years_within'][i]):.3f} "
            f"± {float(s['p_years_within_se'][i]):.3f}"
        )

    rng = np.random.default_rng(args.seed)
    f = np.exp(rng.uniform(math.log(2), math.log(32), n))
    r0 = np.exp(rng.uniform(math.log(0.4), math.log(3.6), n))
    L = rng.uniform(6, 16, n)
    p = np.exp(rng.uniform(math.log(0.15), math.log(0.6), n))
    model_runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        d = simulate_doublings(f, r0, L, p)
        hits = np.stack([years_within(d.times, T, m) for T, m in PAIRS], axis=1)
        model_runs.append(time.perf_counter() - t0)
    model = statistics.median(model_runs)
    t0 = time.perf_counter()
    ref = np.array([naive(*map(float, x)) for x in zip(f, r0, L, p, strict=True)])
    loop = time.perf_counter() - t0
    same = bool(np.array_equal(hits, ref))
    say(
        f"2. model alone (simulate_doublings + 4 metrics): {model:.3f} s, "
        f"{n / model:,.0f} simulations/s"
    )
    say(f"   naive Python loop per simulation: {loop:.2f} s, {n / loop:,.0f} simulations/s")
    say(f"   ratio: {loop / model:.0f}x; identical metrics on every draw: {same}")
    if not same:
        raise SystemExit("the vectorised and the naive metrics differ")
    args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

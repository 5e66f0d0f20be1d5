"""Benchmark: scenario forecasts, local engine against Dask on 2 workers, and memory at scale.

1. The built-in scenario set, 100,000 draws each, end to end (draws, simulation, reduction):
   local engine vs Dask LocalCluster (2 single-threaded worker processes); draws/s and the
   peak resident memory of the whole process tree (sampled every 50 ms with psutil).
2. One scenario through Dask at 1e5, 1e6 and 1e7 draws: wall time and peak memory, which stays
   flat because chunks reduce to fixed-size histograms as they complete.

    python benchmarks/bench_forecast.py [--draws 100000] [--scale-scenario metr_trend]
                                        [--max-draws 10000000]
"""

from __future__ import annotations

import argparse
import threading
import time

import psutil

from takeoff.forecast import forecast
from takeoff.forecast.scenario import builtin_names


class PeakMemory:
    """Peak RSS of this process and all its descendants (Dask workers included)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def timed(fn):
    with PeakMemory() as mem:
        start = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - start
    return result, wall, mem.peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--scale-scenario", default="metr_trend")
    parser.add_argument("--max-draws", type=int, default=10_000_000)
    args = parser.parse_args()
    names = builtin_names()
    forecast("foom", draws=1000)  # warm up numba kernels and imports

    print(f"1. built-in set ({len(names)} scenarios) x {args.draws:,} draws, end to end")
    results = {}
    for engine in ("local", "dask"):

        def run(engine=engine):
            if engine == "local":
                return {n: forecast(n, args.draws, seed=0).summary for n in names}
            # one cluster for the whole set: start-up is paid once, as in a sweep
            from distributed import LocalCluster

            with LocalCluster(
                n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=40
            ) as cluster:
                address = cluster.scheduler_address
                return {
                    n: forecast(n, args.draws, seed=0, engine="dask", scheduler=address).summary
                    for n in names
                }

        summaries, wall, peak = timed(run)
        results[engine] = summaries
        total = args.draws * len(names)
        print(
            f"   {engine:>5}: {wall:7.1f} s, {total / wall:9.0f} draws/s, peak memory "
            f"{peak:6.0f} MiB"
        )
    same = all(
        results["local"][n].drop_attrs().identical(results["dask"][n].drop_attrs()) for n in names
    )
    print(f"   local and dask summaries identical: {same}")

    print(f"\n2. {args.scale_scenario} through Dask (2 workers): memory vs draws")
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=None, silence_logs=40
    ) as cluster:
        n = 100_000
        while n <= args.max_draws:
            f, wall, peak = timed(
                lambda n=n: forecast(
                    args.scale_scenario,
                    n,
                    seed=0,
                    engine="dask",
                    scheduler=cluster.scheduler_address,
                    chunk_blocks=50,
                )
            )
            print(
                f"   {n:>11,} draws: {wall:7.1f} s, {n / wall:9.0f} draws/s, peak memory "
                f"{peak:6.0f} MiB (summary {f.summary.nbytes / 2**20:.1f} MiB)"
            )
            n *= 10


if __name__ == "__main__":
    main()

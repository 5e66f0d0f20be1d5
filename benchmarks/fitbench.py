"""Shared machinery of the fit benchmarks (bench_fits.py, bench_fit_startup.py): seconds spent
in compilers, a child process with its own caches (cold: empty; warm: kept), the report.

A child runs ``<script> --child ...`` with HOME, XDG_CACHE_HOME, MPLCONFIGDIR, PyTensor's
compile directory (PYTENSOR_FLAGS base_compiledir), numba's cache (NUMBA_CACHE_DIR) and JAX's
persistent compilation cache (JAX_COMPILATION_CACHE_DIR, in case JAX is present) all under one
root directory. "Cold" is that root freshly emptied (what a new user or CI sees), "warm" the
same command again with the root kept. The parent measures the whole process's wall and reads
the child's result from its last ``RESULT {json}`` line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Counters:
    """Seconds in compilers: PyTensor function building (rewrites, linking, gcc) and numba."""

    def __init__(self):
        self.pt_seconds = self.gcc_seconds = self.numba_seconds = 0.0
        self.gcc_runs = self.numba_compiles = 0
        self._pt_depth = self._nb_depth = 0
        self._nb_start = 0.0

    def snapshot(self) -> dict:
        return {
            "compile_seconds": self.pt_seconds + self.numba_seconds,
            "gcc_runs": self.gcc_runs,
            "gcc_seconds": self.gcc_seconds,
            "numba_compiles": self.numba_compiles,
        }

    def install(self) -> None:
        from numba.core import event
        from pytensor.compile.function import types
        from pytensor.link.c import cmodule

        counters = self

        def timed(method):
            def wrapper(*a, **k):
                counters._pt_depth += 1
                start = time.perf_counter()
                try:
                    return method(*a, **k)
                finally:
                    counters._pt_depth -= 1
                    if counters._pt_depth == 0:
                        counters.pt_seconds += time.perf_counter() - start

            return wrapper

        # building a function: graph rewrites (__init__), then linking and compiling (create)
        types.FunctionMaker.__init__ = timed(types.FunctionMaker.__init__)
        types.FunctionMaker.create = timed(types.FunctionMaker.create)
        gcc = cmodule.GCC_compiler.compile_str

        def counted_gcc(*a, **k):
            counters.gcc_runs += 1
            start = time.perf_counter()
            try:
                return gcc(*a, **k)
            finally:
                counters.gcc_seconds += time.perf_counter() - start

        cmodule.GCC_compiler.compile_str = staticmethod(counted_gcc)

        class Listener(event.Listener):
            def on_start(self, ev):
                if counters._nb_depth == 0 and counters._pt_depth == 0:
                    counters._nb_start = time.perf_counter()
                counters._nb_depth += 1

            def on_end(self, ev):
                counters._nb_depth -= 1
                if counters._nb_depth == 0:
                    counters.numba_compiles += 1
                    if counters._pt_depth == 0:  # not already counted inside PyTensor's time
                        counters.numba_seconds += time.perf_counter() - counters._nb_start

        event.register("numba:compile", Listener())


def min_ess(idata, names) -> tuple[float, str]:
    import arviz as az

    ess = az.ess(idata, var_names=list(names), method="bulk")
    values = {n: float(ess[n]) for n in names}
    worst = min(values, key=values.get)
    return values[worst], worst


def cache_env(root: Path) -> dict[str, str]:
    """The environment of a child whose every cache lives under ``root``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTENSOR", "NUMBA", "XDG", "MPL", "JAX"))
    }
    (root / "home").mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(root / "home"),
        XDG_CACHE_HOME=str(root / "home" / ".cache"),
        MPLCONFIGDIR=str(root / "matplotlib"),
        NUMBA_CACHE_DIR=str(root / "numba"),
        JAX_COMPILATION_CACHE_DIR=str(root / "jax"),
        PYTENSOR_FLAGS=f"base_compiledir={root / 'pytensor'},blas__ldflags=",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_child(script: str, args: list[str], root: Path) -> dict:
    """``script --child args`` in a fresh process with its caches under ``root``; returns its
    result plus the process wall and the 1-minute load average when it started."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, script, "--child", *args],
        env=cache_env(root),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    result["wall"] = wall
    result["load"] = load
    result["notes"] = [line for line in done.stdout.splitlines() if line.startswith("  ")]
    return result


def cold_and_warm(script: str, args: list[str], scratch: Path, label: str) -> tuple[dict, dict]:
    """The child run twice: on an emptied cache root (cold), then again on it (warm)."""
    root = scratch / label
    shutil.rmtree(root, ignore_errors=True)
    return run_child(script, args, root), run_child(script, args, root)


class Report:
    """Lines printed as they come and kept for the output file."""

    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

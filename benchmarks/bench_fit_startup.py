"""Benchmark: how long a user waits for a small fit, `takeoff fit NAME`, on a new machine (cold)
and in a second process (warm), per sampler route, with the shares spent importing and
compiling (issue 26: warm <= 8 s, cold <= 20 s for compute_trend, hardware_trend,
horizon_dynamics and returns_curve on a user's CSV).

Every run is a fresh process running the CLI's own ``fit`` command in-process (the same code
path as ``takeoff fit NAME --sampler ROUTE``), at the fit's defaults (4 chains x (tune + 1000
draws)). The wall is the parent's clock around the whole process (interpreter start, imports,
data, model build, compilation, sampling, log-likelihood, posterior predictive, printing).
"imports" is the time the child spends importing the CLI, PyMC and nutpie before it starts;
"compile" the seconds inside PyTensor's function building (graph rewrites, linking, gcc) and
numba's compiler (fitbench.Counters).

How the cold run empties the caches: each (fit, route) gets a fresh temporary root; the child
runs with HOME and XDG_CACHE_HOME in it (no ~/.pytensor, no ~/.cache), MPLCONFIGDIR,
PYTENSOR_FLAGS=base_compiledir=<root>/pytensor, NUMBA_CACHE_DIR=<root>/numba and
JAX_COMPILATION_CACHE_DIR=<root>/jax all pointing into it (fitbench.cache_env), in a
subprocess. The warm run is the same command again on the same root.

Routes (FitSpec.sampler; takeoff.models.fits.fitting):
  nutpie-c  nutpie's NUTS on PyTensor's C backend (compiled once per machine), gcc at -O1 with
            the modules' headers precompiled (takeoff.models.fits.quick_c); the trace,
            log-likelihood and posterior predictive over all draws at once, nothing in C
            (takeoff.models.fits.batched)
  nutpie-c-O3  the same with PyTensor's default gcc flags (-O3, no precompiled header): what
            quick_c saves, measured in full processes
  nutpie    nutpie's NUTS on numba (compiled in every process)
  pymc-1    PyMC's own NUTS on PyTensor's C backend, the chains in one process (cores=1:
            the benchmark's child sets os.cpu_count to 1 before ``--sampler pymc``)
JAX is not a dependency, so it is not a route here. Measured once by hand (jax 0.10.2 installed
into a temporary directory, nutpie's jax backend with JAX's persistent compilation cache,
compute_trend, load 7-8): compilation 3.0 s cold / 2.0 s warm, but sampling 13-16 s (one
Python->JAX dispatch per gradient) and importing JAX ~+2 s: process 36.7 s cold / 33.5 s warm.
A route that jits the whole chain (numpyro, blackjax) was not measured.

The machine is shared: each figure is printed with the 1-minute load average at its start.
Run (one command, ~3-5 minutes on 2 quiet cores):

    python benchmarks/bench_fit_startup.py [--fits compute_trend,...] [--routes nutpie-c,...]
        [--compare-fits compute_trend]

By default every small fit runs on its own route (its FitSpec.sampler) cold and warm, and the
other routes are measured on --compare-fits only. Output: benchmarks/last_run_fit_startup.txt.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from fitbench import ROOT, Counters, Report, cold_and_warm

HERE = Path(__file__).resolve().parent
START = time.perf_counter()
FITS = ("compute_trend", "hardware_trend", "horizon_dynamics", "returns_curve")
ROUTES = ("nutpie-c", "nutpie-c-O3", "nutpie", "pymc-1")
CSV = "nine_points.csv"  # returns_curve on a user's table: issue 26's nine clean points
WARM_TARGET, COLD_TARGET = 8.0, 20.0


def nine_points(path: Path) -> None:
    """Issue 26's table: nine near-noiseless points of loss over 1e18-1e22 FLOP."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = np.logspace(18, 22, 9)
    y = (1.69 + 4.0e3 * x**-0.2) * np.exp(rng.normal(0.0, 0.003, 9))
    lines = ["x,y", *(f"{a:.6g},{b:.8g}" for a, b in zip(x, y, strict=True))]
    path.write_text("\n".join(lines) + "\n")


def diagnostics(text: str) -> dict:
    """Worst R-hat and bulk ESS from the CLI's diagnostics table, and its verdict."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if "ess_bulk" in line)
    rhat, ess = [], []
    for line in lines[head + 1 :]:
        if not line.strip() or line.startswith("divergences"):
            break
        parts = line.split()
        if parts[-3] != "nan":
            rhat.append(float(parts[-3]))
            ess.append(float(parts[-2]))
    converged = next((x for x in lines if x.startswith(("converged", "NOT CONVERGED"))), "?")
    return {"rhat": max(rhat), "ess": min(ess), "converged": converged.startswith("converged")}


def child(route: str, name: str, csv: str) -> dict:
    """`takeoff fit NAME --sampler ROUTE [--data CSV]` in this process, timed."""
    import nutpie  # noqa: F401
    import pymc  # noqa: F401

    from takeoff.cli import main

    imported = time.perf_counter() - START
    counters = Counters()
    counters.install()
    sampler = route
    if route == "pymc-1":
        os.cpu_count = lambda: 1  # PyMC's NUTS with its chains in this process
        sampler = "pymc"
    if route == "nutpie-c-O3":  # PyTensor's own gcc flags, no precompiled header
        from takeoff.models.fits import quick_c

        quick_c.OPTIMISE = ""
        quick_c.precompiled_header = lambda extra: None
        sampler = "nutpie-c"
    data = ["--data", csv, "--column", "x=x", "--column", "y=y"] if csv else []
    args = ["fit", name, "--sampler", sampler, *data]
    out, err = io.StringIO(), io.StringIO()  # results on stdout, progress on stderr
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    seconds = time.perf_counter() - start
    text = out.getvalue()
    if status:
        raise SystemExit(f"takeoff {' '.join(args)} exited {status}:\n{text}")
    return {
        "imports": imported,
        "fit": seconds,
        "message": "once per machine" in err.getvalue(),
        **counters.snapshot(),
        **diagnostics(text),
    }


def row(say, name: str, route: str, cold: dict, warm: dict) -> None:
    def cell(r):
        return (
            f"{r['wall']:5.1f} s (load {r['load']:4.1f}; imports {r['imports'] / r['wall']:3.0%}, "
            f"compile {r['compile_seconds'] / r['wall']:3.0%})"
        )

    gcc = (
        f"gcc runs cold/warm {cold['gcc_runs']}/{warm['gcc_runs']} "
        f"({cold['gcc_seconds']:.1f} s cold)"
    )
    ok = "yes" if warm["wall"] <= WARM_TARGET and cold["wall"] <= COLD_TARGET else "NO"
    say(
        f"{name:<17} {route:<11} cold {cell(cold)}  warm {cell(warm)}  "
        f"R-hat {max(cold['rhat'], warm['rhat']):.3f} ESS {min(cold['ess'], warm['ess']):5.0f}  "
        f"message cold/warm {'yes' if cold['message'] else 'no'}/"
        f"{'yes' if warm['message'] else 'no'}; {gcc}  targets {ok}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", default=",".join(FITS))
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--compare-fits", default="compute_trend")
    parser.add_argument("--out", type=Path, default=HERE / "last_run_fit_startup.txt")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    opts = parser.parse_args()
    if opts.child:
        route, name, *csv = opts.child
        print("RESULT " + json.dumps(child(route, name, csv[0] if csv else "")))
        return
    sys.path.insert(0, str(ROOT))  # this checkout's takeoff, as the children get it
    from takeoff.models.fits.registry import get_fit

    say = Report()
    say(
        f"bench_fit_startup: {os.cpu_count()} cores, load average at start "
        f"{os.getloadavg()[0]:.2f}; targets warm <= {WARM_TARGET:g} s, cold <= {COLD_TARGET:g} s"
    )
    say(
        "each figure: process wall (1-min load average at its start; shares of the wall in "
        "imports and in compilers); R-hat / bulk ESS: the worst of the fit's summary"
    )
    fits = [f for f in opts.fits.split(",") if f]
    compare = {f for f in opts.compare_fits.split(",") if f}
    routes = [r for r in opts.routes.split(",") if r]
    say(
        "route chosen per fit (FitSpec.sampler): "
        + ", ".join(f"{f} {get_fit(f).sampler}" for f in fits)
    )
    script = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory(prefix="bench-fit-startup-") as tmp:
        scratch = Path(tmp)
        nine_points(scratch / CSV)
        for name in fits:
            own = get_fit(name).sampler
            here = [own] + [r for r in routes if r != own and name in compare]
            for route in here:
                csv = [str(scratch / CSV)] if name == "returns_curve" else []
                cold, warm = cold_and_warm(script, [route, name, *csv], scratch, f"{name}-{route}")
                row(say, name + ("" if route != own else "*"), route, cold, warm)
    say("* the fit's own route (FitSpec.sampler); returns_curve on issue 26's nine-point CSV")
    say(f"load average at end {os.getloadavg()[0]:.2f}; {time.perf_counter() - START:.0f} s")
    opts.out.write_text("\n".join(say.lines) + "\n")


if __name__ == "__main__":
    main()

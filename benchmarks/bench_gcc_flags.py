"""Benchmark: seconds per gcc run of PyTensor's C modules under PyTensor's default flags (-O3,
headers parsed every time) and under takeoff.models.fits.quick_c's (-O1 or -O0, the common
headers precompiled), in ONE process on the same modules, interleaved, so that a loaded
machine inflates all variants alike; and the cost per log-density + gradient call of the
function compiled at -O3, -O1 and -O0 (one process, interleaved).

The modules are those of a fit's log-density and gradient (returns_curve on issue 26's nine
points by default), captured from a compilation into a fresh compile directory.

    python benchmarks/bench_gcc_flags.py [--fit returns_curve] [--repeats 2]

Output: benchmarks/last_run_gcc_flags.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fitbench import ROOT, Report, cache_env

HERE = Path(__file__).resolve().parent
VARIANTS = {  # label: (extra -O flag, precompiled header)
    "default -O3": ("", False),
    "-O1": ("-O1", False),
    "-O1 + header": ("-O1", True),
    "-O0 + header": ("-O0", True),
}


def child(fit: str, csv: str, out: str) -> None:
    """Compile ``fit``'s log-density and gradient (cnuts' graph) at -O3, -O1 and -O0 in this
    process, record the gcc commands of the -O3 compile and the µs per call of each, timed
    interleaved (blocks of calls, the median block)."""
    import pytensor
    import pytensor.link.c.cmodule as cmodule

    from takeoff.models.fits import cnuts, quick_c
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import load_table, prepare

    commands = []
    original = cmodule.output_subprocess_Popen

    def logged(command, **kwargs):
        commands.append(list(command))
        return original(command, **kwargs)

    cmodule.output_subprocess_Popen = logged
    quick_c.OPTIMISE = ""  # the flags given, nothing added
    quick_c.precompiled_header = lambda extra: None
    spec = get_fit(fit)
    table = load_table(spec, csv or None, {"x": "x", "y": "y"} if csv else None)
    model = spec.build(prepare(spec, table.frame, spec_options()))
    functions = {}
    for opt in ("-O3", "-O1", "-O0"):
        with pytensor.config.change_flags(gcc__cxxflags="" if opt == "-O3" else opt):
            functions[opt] = cnuts.compile_model(model)
        if opt == "-O3":
            modules = [c for c in commands if "-O3" in c]  # the operations' (not PyTensor's)
    x = cnuts_point(functions["-O3"])
    blocks = {opt: [] for opt in functions}
    for _ in range(7):
        for opt, compiled in functions.items():
            start = time.perf_counter()
            for i in range(1000):
                compiled.logp(x + 1e-3 * (i % 7))
            blocks[opt].append((time.perf_counter() - start) * 1e3)  # µs per call
    per_call = {opt: statistics.median(v) for opt, v in blocks.items()}
    Path(out).write_text(json.dumps({"modules": modules, "us_per_call": per_call}))


def spec_options():
    from takeoff.models.fits.fitspec import FitOptions

    return FitOptions()


def cnuts_point(compiled):
    import numpy as np

    values = compiled.initial(0)
    return np.concatenate([np.ravel(values[n]).astype("float64") for n in compiled.names])


def run_child(root: Path, fit: str, csv: str) -> dict:
    out = root / "result.json"
    env = cache_env(root)
    script = str(Path(__file__).resolve())
    subprocess.run(
        [sys.executable, script, "--child", fit, csv, str(out)],
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def with_flags(command: list[str], opt: str, header: Path | None, target: Path) -> list[str]:
    command = [str(target) if c.endswith(".so") else c for c in command]
    at = command.index("-O3") + 1
    command = command[:at] + ([opt] if opt else []) + command[at:]
    if header is not None:
        command = [*command[:2], "-include", str(header), *command[2:]]
    return command


def build_header(command: list[str], opt: str, folder: Path) -> Path:
    from takeoff.models.fits.quick_c import PRELUDE

    header = folder / f"prelude{opt}.h"
    header.write_text(PRELUDE)
    flags = with_flags(command, opt, None, folder / "x.so")
    cut = flags.index("-o")
    build = [c for c in flags[:cut] if c != "-shared"]
    build += ["-x", "c++-header", "-o", f"{header}.gch", str(header)]
    subprocess.run(build, check=True)
    return header


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", default="returns_curve")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "last_run_gcc_flags.txt")
    parser.add_argument("--child", nargs=3)
    opts = parser.parse_args()
    if opts.child:
        child(*opts.child)
        return
    sys.path.insert(0, str(ROOT))
    from bench_fit_startup import nine_points

    say = Report()
    say(f"bench_gcc_flags: {opts.fit}; load average at start {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-gcc-flags-") as tmp:
        scratch = Path(tmp)
        csv = ""
        if opts.fit == "returns_curve":
            csv = str(scratch / "nine.csv")
            nine_points(Path(csv))
        result = run_child(scratch / "root", opts.fit, csv)
        calls, modules = result["us_per_call"], result["modules"]
        say(f"{len(modules)} modules of {opts.fit}'s log-density and gradient")
        headers = {}
        for opt, pch in VARIANTS.values():
            if pch and opt not in headers:
                headers[opt] = build_header(modules[0], opt, scratch)
        seconds = {label: [] for label in VARIANTS}
        for _ in range(opts.repeats):
            for command in modules:
                for label, (opt, pch) in VARIANTS.items():
                    flags = with_flags(
                        command, opt, headers.get(opt) if pch else None, scratch / "m.so"
                    )
                    start = time.perf_counter()
                    subprocess.run(flags, check=True, capture_output=True)
                    seconds[label].append(time.perf_counter() - start)
        base = statistics.median(seconds["default -O3"])
        for label, values in seconds.items():
            median = statistics.median(values)
            say(f"  {label:<14} {median:5.2f} s per module (median)  ratio {median / base:4.2f}")
        say(
            "  per log-density + gradient call: "
            + ", ".join(f"{k} {v:.1f} µs" for k, v in calls.items())
            + " (one process, interleaved blocks of 1,000 calls, median)"
        )
    say(f"load average at end {os.getloadavg()[0]:.2f}")
    opts.out.write_text("\n".join(say.lines) + "\n")


if __name__ == "__main__":
    main()

"""Faster first compilations for the ``nutpie-c`` route: PyTensor's C modules compiled at -O1
(not -O3) with the headers every module starts with precompiled once per machine.

Why: a small fit's first run on a machine is mostly gcc, once per C operation of its
log-density and gradient (returns_curve: 32 modules). Each run spends most of its time
parsing Python's and NumPy's headers and the C++ library (~50,000 lines) and optimising at
-O3. Measured in one process on returns_curve's modules, interleaved (python
benchmarks/bench_gcc_flags.py, load 3-5): seconds per module -O1 0.87 of -O3's, -O1 with the
precompiled header 0.49, -O0 with it 0.36; per log-density + gradient call -O3 19.1 µs, -O1
19.7 µs, -O0 39.6 µs. -O0 would double the sampling's share of every later fit for a quarter
less compiling once, so -O1.

The flags enter PyTensor's module keys, so these modules are cached apart from -O3 ones. A
precompiled header that gcc cannot use (another compiler version, other flags) is ignored by
gcc, which then reads the header text: slower, never wrong. Only g++ is given one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

# the includes every PyTensor C module starts with (pytensor.link.c.cmodule), in its order
PRELUDE = """#include <Python.h>
#include "pytensor_mod_helper.h"
#include <math.h>
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>
#include <numpy/npy_math.h>
#include <vector>
#include <algorithm>
"""
OPTIMISE = "-O1"
# CLinker.compile_args' own flags (before the compiler's); those that change macros must
# match for gcc to use the precompiled header
CLINKER_FLAGS = [
    "-O3",
    "-fno-math-errno",
    "-Wno-unused-label",
    "-Wno-unused-variable",
    "-Wno-write-strings",
]


def _module_flags(extra: str) -> list[str]:
    """The flags PyTensor compiles an operation's module with, given gcc__cxxflags ``extra``."""
    import pytensor
    from pytensor.link.c.cmodule import GCC_compiler

    with pytensor.config.change_flags(gcc__cxxflags=extra):
        return ["-g", *CLINKER_FLAGS, *GCC_compiler.compile_args()]


def precompiled_header(extra: str) -> Path | None:
    """The prelude header whose precompiled form (``.gch`` beside it) matches PyTensor's module
    flags with gcc__cxxflags ``extra``, built on first use; None where g++ is not the compiler
    or the build fails (compilation then goes on without it)."""
    import pytensor
    from pytensor.link.c.cmodule import GCC_compiler, std_include_dirs

    cxx = pytensor.config.cxx
    if not cxx or "g++" not in Path(cxx).name:
        return None
    flags = _module_flags(extra)
    includes = [f"-I{d}" for d in std_include_dirs()]
    # gcc does not check that the headers behind a precompiled header are unchanged: the
    # versions of what provides them are part of its key (an upgrade in place builds anew)
    versions = (sys.version, np.__version__, pytensor.__version__)
    key = repr((GCC_compiler.version_str(), versions, flags, includes, PRELUDE))
    folder = (
        Path(pytensor.config.compiledir)
        / "takeoff_pch"
        / hashlib.sha256(key.encode()).hexdigest()[:16]
    )
    header, compiled = folder / "prelude.h", folder / "prelude.h.gch"
    if " " in str(folder):  # gcc__cxxflags is split on spaces
        return None
    if compiled.exists():
        return header
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not header.exists():
            scratch = folder / f"prelude.{os.getpid()}.h"
            scratch.write_text(PRELUDE)
            os.replace(scratch, header)
        scratch = folder / f"prelude.{os.getpid()}.gch"
        command = [cxx, *flags, *includes, "-x", "c++-header", "-o", str(scratch), str(header)]
        done = subprocess.run(command, capture_output=True, timeout=300)
        if done.returncode != 0:
            scratch.unlink(missing_ok=True)
            return None
        os.replace(scratch, compiled)  # whole or absent: another process may build it too
    except (OSError, subprocess.SubprocessError):
        return None
    return header


@contextlib.contextmanager
def quick_compile():
    """PyTensor C compilations inside run gcc at -O0 with the prelude precompiled."""
    import pytensor

    extra = " ".join(f for f in (pytensor.config.gcc__cxxflags, OPTIMISE) if f)
    header = precompiled_header(extra)
    if header is not None:
        extra = f"{extra} -include {header}"
    with pytensor.config.change_flags(gcc__cxxflags=extra):
        yield

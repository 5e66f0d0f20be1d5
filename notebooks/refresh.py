"""Re-execute the notebooks and store them with their outputs (the repository shows them as
documentation: every table and figure in place).

    python notebooks/refresh.py [NOTEBOOK ...] [--quick] [--timeout 3600]

Runs each notebook from the top in a fresh kernel (full draws; ``--quick`` uses the small
draws CI uses), with figures as PNG at a modest resolution so that the repository stays small,
without timing metadata, and writes it back only when every cell succeeded. CI executes the
same notebooks again under ``pytest --nbmake`` (with TAKEOFF_NOTEBOOK_QUICK=1, see
conftest.py); the outputs stored here are not compared, they are documentation.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DPI = 72  # PNG figures: ~20-40 kB each
SETUP = (
    "import matplotlib as _mpl\n"
    f"_mpl.rcParams['figure.dpi'] = {DPI}\n"
    f"_mpl.rcParams['savefig.dpi'] = {DPI}\n"
    "%config InlineBackend.figure_formats = ['png']\n"
    "%config InlineBackend.rc = {}\n"
)


def refresh(path: Path, quick: bool, timeout: int) -> int:
    """Execute ``path`` and store it with its outputs; returns its new size in bytes."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = dict(
        os.environ,
        PYTENSOR_FLAGS="blas__ldflags=",
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    env.pop("TAKEOFF_NOTEBOOK_QUICK", None)
    if quick:
        env["TAKEOFF_NOTEBOOK_QUICK"] = "1"
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel inherits the environment of this process
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP))  # run first, not stored
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        nb.cells.pop(0)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code" and cell.execution_count:
            cell.execution_count -= 1  # numbered from 1 without the setup cell
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = cell.execution_count
    nbformat.write(nb, path)
    return path.stat().st_size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook here")
    parser.add_argument("--quick", action="store_true", help="the small draws CI uses")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(HERE.glob("*.ipynb"))
    total = 0
    for path in paths:
        start = time.perf_counter()
        size = refresh(path.resolve(), args.quick, args.timeout)
        total += size
        print(f"{path.name}: executed in {time.perf_counter() - start:.0f} s, {size / 1e3:.0f} kB")
    print(f"{len(paths)} notebooks, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

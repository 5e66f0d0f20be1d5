"""Root pytest configuration: notebooks run with small draws under pytest (nbmake)."""

import os

os.environ.setdefault("TAKEOFF_NOTEBOOK_QUICK", "1")
os.environ.setdefault("PYTENSOR_FLAGS", "blas__ldflags=")
os.environ.setdefault("MPLBACKEND", "Agg")

"""Root pytest configuration: notebooks run with small draws under pytest (nbmake)."""

import os
import tempfile

os.environ.setdefault("TAKEOFF_NOTEBOOK_QUICK", "1")
os.environ.setdefault("PYTENSOR_FLAGS", "blas__ldflags=")
os.environ.setdefault("MPLBACKEND", "Agg")
# computed forecast summaries are kept in a cache of their own per test run, never the user's
os.environ.setdefault("TAKEOFF_CACHE", tempfile.mkdtemp(prefix="takeoff-test-cache-"))

"""Keep the fits' output to what matters: no third-party banners, and PyTensor told up front
that it needs no BLAS. Imported by ``takeoff.models.fits`` before anything imports PyMC, ArviZ
or PyTensor. Each filter names one specific warning and why; nothing is silenced wholesale,
and the samplers' own diagnostics still print."""

from __future__ import annotations

import os
import sys
import warnings

# ArviZ 0.23 announces its 1.0 refactor on `import arviz` (once a day per user cache dir, so on
# every fresh machine and CI run); it is about ArviZ's future API, nothing our users can act on.
warnings.filterwarnings(
    "ignore",
    message=r"\s*ArviZ is undergoing a major refactor",  # the message starts with "\n"
    category=FutureWarning,
    module=r"arviz\Z",
)
# ArviZ 0.23's LOO comparison calls DataFrame.sort_values(inplace=True), which pandas 3
# deprecates; it is ArviZ's call, the result is unaffected.
warnings.filterwarnings(
    "ignore",
    message=r"The inplace keyword in DataFrame\.sort_values is deprecated",
    module=r"arviz\.stats\.stats\Z",
)
# Fallback only (the flag below is the fix): PyTensor's BLAS notice, when PyTensor was
# configured before takeoff could set blas__ldflags. Our graphs contain no BLAS operation.
warnings.filterwarnings(
    "ignore",
    message=r"PyTensor could not link to a BLAS installation",
    category=UserWarning,
    module=r"pytensor\.link\.c\.cmodule\Z",
)


def no_blas() -> None:
    """Tell PyTensor not to look for a BLAS (our models are elementwise): it skips a ~0.6 s
    detection per process and its warning. Keeps the user's other PyTensor flags."""
    flags = os.environ.get("PYTENSOR_FLAGS", "")
    if "blas__ldflags" in flags:
        return
    os.environ["PYTENSOR_FLAGS"] = ",".join(f for f in (flags, "blas__ldflags=") if f)
    if "pytensor" in sys.modules:  # imported before us: the option is mutable until first use
        import pytensor

        pytensor.config.blas__ldflags = ""


no_blas()

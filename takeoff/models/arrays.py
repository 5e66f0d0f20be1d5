"""One array namespace for the growth laws: numpy in forecasts, PyTensor inside PyMC.

The closed forms, log-paths and blow-up times of the families are written once, as elementwise
functions of arrays that take a namespace ``xp`` (``namespace_of(*arrays)`` picks it). The two
namespaces differ only where numbers and gradients need different care:

- ``where``: ``numpy.where`` / ``pytensor.tensor.switch``;
- ``series_below``: below this |x| the ratios ln(1+x)/x and (e^x − 1)/x switch to their series.
  numpy only evaluates values, accurate down to 1e-8; PyTensor also differentiates them, and the
  gradient of ln(1+x)/x loses accuracy as 1/x, so the series takes over at 1e-6 there;
- past a finite-time blow-up (ln(1+x) with x <= −1) numpy returns +inf (a forecast stops there),
  while PyTensor clips x just above −1 so the value is large but finite and the likelihood, not a
  NaN gradient, tells the sampler to go back (``clip_blowup``).

Nothing here imports PyTensor unless a PyTensor variable is passed in.
"""

from __future__ import annotations

import contextlib
import math
from types import SimpleNamespace

import numpy as np


def _numpy_namespace() -> SimpleNamespace:
    return SimpleNamespace(
        name="numpy",
        symbolic=False,
        series_below=1e-8,
        inf=math.inf,
        asarray=lambda x: np.asarray(x, dtype=float),
        where=np.where,
        exp=np.exp,
        log=np.log,
        log1p=np.log1p,
        expm1=np.expm1,
        abs=np.abs,
        maximum=np.maximum,
        minimum=np.minimum,
        sqrt=np.sqrt,
        sum=np.sum,
        isinf=np.isinf,
        isnan=np.isnan,
        isfinite=np.isfinite,
        errstate=np.errstate,
        clip_blowup=lambda x: x,
        # +inf at and after a blow-up; NaN only where e^x overflowed, i.e. astronomically far
        # past any cap
        past_blowup=lambda value, phi: np.where(np.isinf(phi) | np.isnan(value), np.inf, value),
    )


NUMPY = _numpy_namespace()
_PYTENSOR: SimpleNamespace | None = None


def pytensor_namespace() -> SimpleNamespace:
    """The PyTensor namespace (built on first use: it imports pytensor)."""
    global _PYTENSOR
    if _PYTENSOR is None:
        import pytensor.tensor as pt

        _PYTENSOR = SimpleNamespace(
            name="pytensor",
            symbolic=True,
            series_below=1e-6,
            inf=math.inf,
            asarray=pt.as_tensor_variable,
            where=pt.switch,
            exp=pt.exp,
            log=pt.log,
            log1p=pt.log1p,
            expm1=pt.expm1,
            abs=pt.abs,
            maximum=pt.maximum,
            minimum=pt.minimum,
            sqrt=pt.sqrt,
            sum=pt.sum,
            isinf=pt.isinf,
            isnan=pt.isnan,
            isfinite=lambda x: ~(pt.isinf(x) | pt.isnan(x)),
            errstate=lambda **_: contextlib.nullcontext(),
            clip_blowup=lambda x: pt.maximum(x, -1.0 + 1e-12),
            past_blowup=lambda value, phi: value,  # clipped: large but finite
        )
    return _PYTENSOR


def is_symbolic(x) -> bool:
    """Whether ``x`` is a PyTensor variable (checked without importing PyTensor)."""
    return type(x).__module__.startswith("pytensor")


def namespace_of(*arrays) -> SimpleNamespace:
    """PyTensor's namespace if any argument is a PyTensor variable, numpy's otherwise."""
    return pytensor_namespace() if any(is_symbolic(a) for a in arrays) else NUMPY

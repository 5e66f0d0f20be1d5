"""The ``nutpie-c`` sampler route: nutpie's NUTS (Rust: step-size and mass-matrix adaptation,
the same algorithm as the ``nutpie`` route) driven by a log-density and gradient that PyTensor
compiles with its C backend.

Why: nutpie's own route compiles the log-density with numba into C callbacks that numba cannot
cache, so every process spends ~20 s compiling even a four-parameter trend (issue 26).
PyTensor's C backend keeps what it compiles in its compile directory (``pytensor.config.
compiledir``, per user): the first fit on a machine compiles (a few gcc runs), every later
process only rewrites the graph and loads the modules. Each gradient is one Python call into
the compiled function (~10-30 µs), negligible for the small fits, where compiling dominated;
a large model whose sampling dominates is better served by the ``nutpie`` route.

The log-density is the model's own (``model.logp()`` with its gradient, the same graph the other
routes compile), the initial points are PyMC's (support point + jitter, as nutpie's), so results
are equal in distribution to the other routes. The trace holds each free variable on its own
(constrained) scale and the model's Deterministics, as PyMC's NUTS stores them.

The compiled functions read the model's data containers (shared variables): a model refitted
on other data (``pm.set_data``) samples the new data with no compilation. ``first_on_machine``
tells whether a model's compilation has run under this compile directory before (a marker file
written after it), so the CLI can say "compiling the model, once per machine" only when true.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class CModel:
    """A model's compiled functions: log-density and gradient on the flat unconstrained point,
    the trace values from it, PyMC's initial points, and the layout of the flat point."""

    logp: object  # pytensor Function: x -> (logp, grad)
    expand: object  # pytensor Function: x -> trace values
    initial: object  # PyMC initial point function: seed -> {value var: array}
    names: list[str]  # value variables in the flat point, in order
    shapes: list[tuple[int, ...]]
    trace: list[str]  # trace variable names, in the order of ``expand``'s outputs
    ndim: int


def compile_model(model) -> CModel:
    """Compile ``model``'s log-density, gradient and trace with PyTensor's C backend."""
    import pytensor
    import pytensor.tensor as pt
    from pymc.initial_point import make_initial_point_fn
    from pymc.pytensorf import compile as compile_pymc

    initial = make_initial_point_fn(
        model=model,
        default_strategy="support_point",
        jitter_rvs=set(model.free_RVs),
        return_transformed=True,
    )
    point = initial(0)
    value_vars = [model.rvs_to_values[rv] for rv in model.free_RVs]
    names = [v.name for v in value_vars]
    shapes = [tuple(np.shape(point[n])) for n in names]
    sizes = [int(np.prod(s)) for s in shapes]
    ndim = int(sum(sizes))
    x = pt.TensorType("float64", shape=(ndim,))("x")
    replace, start = {}, 0
    for var, shape, size in zip(value_vars, shapes, sizes, strict=True):
        replace[var] = x[start : start + size].reshape(shape).astype(var.dtype)
        start += size
    logp = model.logp()
    grad = pt.concatenate([g.ravel() for g in pytensor.grad(logp, value_vars)])
    logp, grad = pytensor.clone_replace([logp, grad], replace)
    keep = {rv.name for rv in model.free_RVs} | {d.name for d in model.deterministics}
    outputs = [v for v in model.unobserved_value_vars if v.name in keep]
    with model:
        logp_fn = compile_pymc([x], [logp, grad])
        expand_fn = compile_pymc([x], outputs, givens=list(replace.items()))
    logp_fn.trust_input = True
    expand_fn.trust_input = True
    trace = [v.name for v in outputs]
    return CModel(logp_fn, expand_fn, initial, names, shapes, trace, ndim)


def sample(cmodel: CModel, model, *, draws, tune, chains, seed, target_accept, progress):
    """nutpie's NUTS on the compiled model at the model's current data; InferenceData."""
    import nutpie
    import pandas as pd
    from nutpie.compiled_pyfunc import from_pyfunc

    lock = threading.Lock()  # the functions keep their storage: one call at a time

    def make_logp():
        fn = cmodel.logp

        def logp(x):
            with lock:
                value, grad = fn(x)
            return float(value), grad

        return logp

    def make_expand(seed1, seed2, chain):
        fn = cmodel.expand

        def expand(x):
            with lock:
                values = fn(x)
            pairs = zip(cmodel.trace, values, strict=True)
            return {n: np.asarray(v, dtype="float64") for n, v in pairs}

        return expand

    def initial_point(seed):
        values = cmodel.initial(seed)
        return np.concatenate([np.ravel(values[n]).astype("float64") for n in cmodel.names])

    here = cmodel.expand(initial_point(seed))  # trace shapes at these data
    shapes = [tuple(np.shape(v)) for v in here]
    dims = {k: tuple(v) for k, v in model.named_vars_to_dims.items() if k in cmodel.trace}
    coords = {}
    for name in {d for v in dims.values() for d in v}:
        values = model.coords.get(name)
        length = int(model.dim_lengths[name].eval())
        coords[name] = pd.Index(values if values is not None else range(length))
    compiled = from_pyfunc(
        ndim=cmodel.ndim,
        make_logp_fn=make_logp,
        make_expand_fn=make_expand,
        make_initial_point_fn=initial_point,
        expanded_dtypes=[np.dtype("float64")] * len(cmodel.trace),
        expanded_shapes=shapes,
        expanded_names=list(cmodel.trace),
        dims=dims,
        coords=coords,
    )
    return nutpie.sample(
        compiled,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        save_warmup=False,
        progress_bar=progress,
    )


def _marker(key: tuple) -> Path:
    import pytensor

    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:20]
    return Path(pytensor.config.compiledir) / "takeoff_compiled" / digest


def first_on_machine(key: tuple) -> bool:
    """Whether the model named by ``key`` has not been compiled under this compile directory
    (e.g. a new machine, a new user, or an emptied cache)."""
    return not _marker(key).exists()


def mark_compiled(key: tuple) -> None:
    """Record that the model named by ``key`` is now in the compile directory."""
    path = _marker(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(repr(key) + "\n")
    except OSError:  # a read-only cache: the message will show again, nothing else changes
        pass

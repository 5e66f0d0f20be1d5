"""The ``nutpie-c`` sampler route: nutpie's NUTS (Rust: step-size and mass-matrix adaptation,
the same algorithm as the ``nutpie`` route) driven by a log-density and gradient that PyTensor
compiles with its C backend.

Why: nutpie's own route compiles the log-density with numba into C callbacks that numba cannot
cache, so every process spends ~20 s compiling even a four-parameter trend (issue 26).
PyTensor's C backend keeps what it compiles in its compile directory (``pytensor.config.
compiledir``, per user): the first fit on a machine compiles (one gcc run per C operation,
at -O1 with the common headers precompiled: :mod:`takeoff.models.fits.quick_c`), every later
process only rewrites the graph and loads the modules. Each gradient is one Python call into
the compiled function (~10-30 µs), negligible for the small fits, where compiling dominated;
a large model whose sampling dominates is better served by the ``nutpie`` route.

The log-density is the model's own (``model.logp()`` with its gradient, the same graph the other
routes compile), the initial points are PyMC's (support point + jitter, as nutpie's), so results
are equal in distribution to the other routes. The trace holds each free variable on its own
(constrained) scale and the model's Deterministics, as PyMC's NUTS stores them: the sampler
keeps only its flat unconstrained points, and the trace is computed from all of them at once
after sampling (:mod:`takeoff.models.fits.batched`, nothing compiled in C), so the C compiler
runs for the log-density and gradient only (returns_curve: 34 gcc runs, was 39 with a
per-draw trace function).

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
    PyMC's initial points, and the layout of the flat point."""

    logp: object  # pytensor Function: x -> (logp, grad)
    initial: object  # PyMC initial point function: seed -> {value var: array}
    names: list[str]  # value variables in the flat point, in order
    shapes: list[tuple[int, ...]]
    ndim: int


POINT = "_unconstrained_point"  # what the sampler stores per draw: the flat point


def compile_model(model) -> CModel:
    """Compile ``model``'s log-density and gradient with PyTensor's C backend."""
    import pytensor
    import pytensor.tensor as pt
    from pymc.initial_point import make_initial_point_fn
    from pymc.pytensorf import compile as compile_pymc

    from takeoff.models.fits.quick_c import quick_compile

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
    with model, quick_compile():  # -O0, headers precompiled: a first compile ~4x faster
        logp_fn = compile_pymc([x], [logp, grad])
    logp_fn.trust_input = True
    return CModel(logp_fn, initial, names, shapes, ndim)


def sample(cmodel: CModel, model, *, draws, tune, chains, seed, target_accept, progress):
    """nutpie's NUTS on the compiled model at the model's current data; InferenceData whose
    posterior holds the trace (free variables on their own scale and Deterministics)."""
    import arviz as az
    import nutpie
    from nutpie.compiled_pyfunc import from_pyfunc

    from takeoff.models.fits import batched

    lock = threading.Lock()  # the function keeps its storage: one call at a time

    def make_logp():
        fn = cmodel.logp

        def logp(x):
            with lock:
                value, grad = fn(x)
            return float(value), grad

        return logp

    def make_expand(seed1, seed2, chain):
        def expand(x):
            return {POINT: np.array(x, dtype="float64")}

        return expand

    def initial_point(seed):
        values = cmodel.initial(seed)
        return np.concatenate([np.ravel(values[n]).astype("float64") for n in cmodel.names])

    compiled = from_pyfunc(
        ndim=cmodel.ndim,
        make_logp_fn=make_logp,
        make_expand_fn=make_expand,
        make_initial_point_fn=initial_point,
        expanded_dtypes=[np.dtype("float64")],
        expanded_shapes=[(cmodel.ndim,)],
        expanded_names=[POINT],
    )
    idata = nutpie.sample(
        compiled,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        save_warmup=False,
        progress_bar=progress,
    )
    points = np.asarray(idata.posterior[POINT].transpose("chain", "draw", ...).values)
    n_chains, n_draws = points.shape[:2]
    flat = points.reshape((n_chains * n_draws, cmodel.ndim))
    values = batched.trace_values(model, flat, cmodel.names, cmodel.shapes)
    values = {k: v.reshape((n_chains, n_draws, *v.shape[1:])) for k, v in values.items()}
    posterior = batched.dataset(model, values, n_chains, n_draws)
    posterior.attrs.update(idata.posterior.attrs)
    others = {g: idata[g] for g in idata.groups() if g != "posterior"}
    return az.InferenceData(posterior=posterior, **others)


def _marker(key: tuple) -> Path:
    import pytensor

    from takeoff.models.fits.quick_c import OPTIMISE

    # the compile recipe is part of the key: modules built under other flags are not reused
    digest = hashlib.sha256(repr((key, "quick_c", OPTIMISE)).encode()).hexdigest()[:20]
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

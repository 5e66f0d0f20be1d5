"""A model's graphs evaluated over all posterior draws at once, with no C compiler: the trace
values (free variables on their own scale and Deterministics) from the sampler's flat
unconstrained points, the pointwise log-likelihood and the posterior predictive.

Why: PyMC computes these one draw at a time through functions its C backend compiles; on a
new machine that is a dozen gcc runs per fit (13 for returns_curve's posterior predictive
alone) for functions each called a few thousand times (issue 26). Here each graph is
vectorised over a leading draw axis (``pytensor.graph.vectorize_graph``) and run ONCE by
PyTensor's Python linker, i.e. numpy on arrays of all draws: nothing to compile, the same
maths (the model's own graphs, the same rewrites bar elementwise fusion, which would turn
numpy calls into Python loops). The values equal PyMC's to rounding; the posterior
predictive draws are new draws from the same distributions (equal in distribution).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

TWO_TERMS = "takeoff_two_terms"  # the rewrite's name in PyTensor's optdb (a query includes it)


def _register_two_terms() -> None:
    """Register (once per process) a rewrite making every elementwise sum or product of more
    than two terms a chain of two-term ones, applied only where a query includes its tag."""
    import functools

    import pytensor.tensor as pt
    from pytensor.compile.mode import optdb
    from pytensor.graph.rewriting.basic import in2out, node_rewriter
    from pytensor.scalar.basic import Add, Mul
    from pytensor.tensor.elemwise import Elemwise

    if TWO_TERMS in optdb:
        return

    @node_rewriter([Elemwise])
    def two_terms(fgraph, node):
        scalar = node.op.scalar_op
        if len(node.inputs) <= 2 or not isinstance(scalar, Add | Mul):
            return None
        combine = pt.add if isinstance(scalar, Add) else pt.mul
        out = functools.reduce(combine, node.inputs)
        return [pt.cast(out, node.outputs[0].dtype)]

    optdb.register(TWO_TERMS, in2out(two_terms), position=48.9)  # no tag: only when named


def python_mode():
    """PyTensor's FAST_RUN rewrites without elementwise fusion and with sums and products of
    more than two terms made chains of two-term ones, run by the Python linker: each
    elementwise operation is then one NumPy call (a fused or n-ary one would run element by
    element in Python: 4 s for hardware_trend's log-likelihood at 4,000 draws, 0.15 s so)."""
    from pytensor.compile.mode import Mode, get_mode

    _register_two_terms()
    query = get_mode("FAST_RUN").provided_optimizer.excluding("fusion", "inplace")
    return Mode(linker="py", optimizer=query.including(TWO_TERMS))


def _batched_inputs(variables, values: Mapping[str, np.ndarray], n: int):
    """Symbolic inputs with a leading draw axis for ``variables`` and their replacements."""
    import pytensor.tensor as pt

    inputs, replace, given = [], {}, []
    for var in variables:
        value = np.asarray(values[var.name], dtype=var.dtype)
        if value.shape[:1] != (n,):
            raise ValueError(f"{var.name}: {value.shape} has no leading axis of {n} draws")
        batched = pt.tensor(var.name, dtype=var.dtype, shape=(None, *var.type.shape))
        inputs.append(batched)
        replace[var] = batched
        given.append(value)
    return inputs, replace, given


def evaluate(outputs: Sequence, variables: Sequence, values: Mapping[str, np.ndarray], n: int):
    """``outputs`` (graphs of ``variables``) at ``n`` draws of each variable (arrays with a
    leading axis of n), as numpy arrays with that leading axis."""
    import pytensor
    from pytensor.graph.replace import vectorize_graph

    inputs, replace, given = _batched_inputs(variables, values, n)
    batched = vectorize_graph(list(outputs), replace=replace)
    fn = pytensor.function(inputs, batched, mode=python_mode(), on_unused_input="ignore")
    results = fn(*given)
    return [
        r if b.type.ndim > o.type.ndim else np.broadcast_to(r, (n, *np.shape(r)))
        for r, b, o in zip(results, batched, outputs, strict=True)
    ]


def trace_values(model, points: np.ndarray, names: Sequence[str], shapes: Sequence[tuple]):
    """The trace (free variables on their own scale and Deterministics, as PyMC's NUTS stores
    them) at flat unconstrained points ``points`` (draws x ndim, laid out as ``names`` with
    ``shapes``): {name: array (draws, *shape)}."""
    keep = {rv.name for rv in model.free_RVs} | {d.name for d in model.deterministics}
    outputs = [v for v in model.unobserved_value_vars if v.name in keep]
    value_vars = [model.rvs_to_values[rv] for rv in model.free_RVs]
    by_name = {v.name: v for v in value_vars}
    n = points.shape[0]
    values, start = {}, 0
    for name, shape in zip(names, shapes, strict=True):
        size = int(np.prod(shape))
        values[name] = points[:, start : start + size].reshape((n, *shape))
        start += size
    results = evaluate(outputs, [by_name[k] for k in names], values, n)
    return {v.name: np.asarray(r, dtype="float64") for v, r in zip(outputs, results, strict=True)}


def _draws(posterior, names):
    """{name: (chain * draw, *shape) array} of posterior variables, and (chains, draws)."""
    chains, draws = posterior.sizes["chain"], posterior.sizes["draw"]
    out = {}
    for name in names:
        value = np.asarray(posterior[name].transpose("chain", "draw", ...).values)
        out[name] = value.reshape((chains * draws, *value.shape[2:]))
    return out, (chains, draws)


def log_likelihood(model, posterior) -> dict[str, np.ndarray]:
    """Each observed variable's pointwise log density at every posterior draw:
    {observed name: array (chain, draw, *observed shape)} (PyMC's compute_log_likelihood)."""
    from pymc.model.transform.conditioning import remove_value_transforms

    umodel = remove_value_transforms(model)
    value_vars = [umodel.rvs_to_values[rv] for rv in umodel.free_RVs]
    observed = list(umodel.observed_RVs)
    outputs = umodel.logp(vars=observed, sum=False)
    values, (chains, draws) = _draws(posterior, [v.name for v in value_vars])
    results = evaluate(outputs, value_vars, values, chains * draws)
    return {
        rv.name: np.asarray(r, float).reshape((chains, draws, *np.shape(r)[1:]))
        for rv, r in zip(observed, results, strict=True)
    }


def posterior_predictive(model, posterior, names: Sequence[str], seed: int):
    """New draws of the observed variables ``names`` at every posterior draw:
    {name: array (chain, draw, *shape)}, seeded (PyMC's sample_posterior_predictive)."""
    import pytensor
    from pymc.pytensorf import compile as compile_pymc
    from pytensor.graph.replace import vectorize_graph

    free = list(model.free_RVs)
    values, (chains, draws) = _draws(posterior, [rv.name for rv in free])
    n = chains * draws
    inputs, replace, given = _batched_inputs(free, values, n)
    outputs = [model[name] for name in names]
    batched = vectorize_graph(outputs, replace=replace)
    with pytensor.config.change_flags(compute_test_value="off"):
        fn = compile_pymc(
            inputs, batched, random_seed=seed, mode=python_mode(), on_unused_input="ignore"
        )
    results = fn(*given)
    return {
        name: np.asarray(r, float).reshape((chains, draws, *np.shape(r)[1:]))
        for name, r in zip(names, results, strict=True)
    }


def dataset(model, values: Mapping[str, np.ndarray], chains: int, draws: int):
    """An InferenceData group (xarray Dataset over chain, draw and each variable's model dims,
    PyMC's default ``<name>_dim_<i>`` where it has none) from {name: (chain, draw, *shape)}."""
    import xarray as xr

    data, coords = {}, {"chain": np.arange(chains), "draw": np.arange(draws)}
    for name, value in values.items():
        dims = tuple(model.named_vars_to_dims.get(name) or ())
        extra = np.ndim(value) - 2
        if len(dims) != extra:
            dims = tuple(f"{name}_dim_{i}" for i in range(extra))
        for dim, length in zip(dims, np.shape(value)[2:], strict=True):
            labels = model.coords.get(dim)
            coords[dim] = np.asarray(labels) if labels is not None else np.arange(length)
        data[name] = (("chain", "draw", *dims), value)
    return xr.Dataset(data, coords=coords)


def observed_data(model):
    """The observed values of the model's observed variables (the InferenceData group)."""
    import xarray as xr
    from pymc.pytensorf import extract_obs_data

    data, coords = {}, {}
    for rv in model.observed_RVs:
        value = np.asarray(extract_obs_data(model.rvs_to_values[rv]))
        dims = tuple(model.named_vars_to_dims.get(rv.name) or ())
        if len(dims) != value.ndim:
            dims = tuple(f"{rv.name}_dim_{i}" for i in range(value.ndim))
        for dim, length in zip(dims, value.shape, strict=True):
            labels = model.coords.get(dim)
            coords[dim] = np.asarray(labels) if labels is not None else np.arange(length)
        data[rv.name] = (dims, value)
    return xr.Dataset(data, coords=coords)

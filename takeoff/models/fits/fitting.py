"""Run a fit: data -> model -> posterior, posterior predictive and log-likelihood, with attrs;
and the nested-regime comparison (the fit with and without its nested parameters fixed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import OrderedDict
from collections.abc import Callable, Mapping

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.fits.fitspec import FitOptions, FitSpec, Prepared
from takeoff.models.fits.registry import get_fit
from takeoff.models.fits.tables import Table, load_table, prepare

# The sampler routes a FitSpec.sampler names (measured in benchmarks/bench_fit_startup.py):
#   "nutpie-c": nutpie's NUTS on a log-density compiled by PyTensor's C backend, cached per
#               machine: a small model fits in seconds after its first fit (cnuts.py);
#   "nutpie":   nutpie's NUTS on a log-density compiled with numba, compiled again in every
#               process (~20 s): for a model whose sampling, not compiling, dominates;
#   "pymc":     PyMC's own NUTS on PyTensor's C backend (cached), chains in worker processes.
SAMPLERS = ("nutpie-c", "nutpie", "pymc")
MAX_COMPILED = 16  # compiled models kept per process
FIRST_COMPILE = "compiling the model, once per machine ..."


@dataclasses.dataclass
class Compiled:
    """A fit's model built once per process, and (for nutpie) its compiled log-density: reused
    for every data set of the same fit, variant and fixed parameters, whatever their length."""

    model: object  # pm.Model
    nutpie: object | None = None  # nutpie's compiled model
    c: object | None = None  # the nutpie-c route's compiled functions (cnuts.CModel)
    key: tuple = ()
    first: bool = False  # compiled for the first time under this machine's compile cache


_COMPILED: OrderedDict[tuple, Compiled] = OrderedDict()


def compiled_model(
    spec: FitSpec,
    prepared: Prepared,
    fixed: Mapping[str, float],
    sampler: str,
    announce: Callable[[str], None] | None = None,
):
    """The process's compiled model for (fit, variant, fixed parameters, sampler, factor
    levels), its data containers set to ``prepared`` (built and compiled on first use only).
    ``announce`` hears ``FIRST_COMPILE`` before a compilation that the machine's caches do
    not hold yet (the routes that cache: nutpie-c, pymc)."""
    import pymc as pm

    from takeoff.models.fits.building import coordinates, data_values

    levels = tuple((k, tuple(v)) for k, v in sorted(prepared.levels.items()))  # shapes, names
    key = (spec.name, prepared.variant, tuple(sorted(fixed.items())), sampler, levels)
    entry = _COMPILED.get(key)
    if entry is None:
        from takeoff.models.fits import cnuts

        first = sampler != "nutpie" and cnuts.first_on_machine(key)
        if first and announce is not None:
            announce(FIRST_COMPILE)
        entry = Compiled(spec.build(prepared, fixed), key=key, first=first)
        if sampler == "nutpie":
            import nutpie

            entry.nutpie = nutpie.compile_pymc_model(entry.model)
        elif sampler == "nutpie-c":
            entry.c = cnuts.compile_model(entry.model)
        _COMPILED[key] = entry
        while len(_COMPILED) > MAX_COMPILED:
            _COMPILED.popitem(last=False)
    else:
        _COMPILED.move_to_end(key)
        coords = coordinates(prepared)
        with entry.model:
            pm.set_data(
                data_values(prepared), coords={k: coords[k] for k in ("obs", "grid") if k in coords}
            )
    return entry


def sample(
    spec: FitSpec,
    prepared: Prepared,
    *,
    fixed: Mapping[str, float] | None = None,
    draws: int = 1000,
    tune: int | None = None,
    chains: int = 4,
    seed: int = 0,
    sampler: str | None = None,
    progress: bool = True,
    posterior_predictive: bool = True,
    log_likelihood: bool = True,
    announce: Callable[[str], None] | None = None,
):
    """Sample the fit's model on ``prepared`` (compiled once per process and fit, reused for
    other data); returns InferenceData with (by default) log_likelihood and
    posterior_predictive groups. The log-likelihood and posterior predictive are compiled in
    the route's backend (C, cached per machine; numba for the nutpie route). A caller that
    only reads the posterior (a backtest's refits) turns both off and skips their
    compilation. The nutpie-c route computes both over all draws at once with nothing
    compiled in C (:mod:`takeoff.models.fits.batched`; the same values and, seeded, the same
    predictive draws as PyMC's). ``announce`` hears a line before a first compilation on this
    machine (see ``compiled_model``)."""
    import logging

    import pymc as pm

    from takeoff.models.fits.building import data_values

    if not progress:  # PyMC logs its sampler choices at INFO; keep quiet runs quiet
        logging.getLogger("pymc").setLevel(logging.WARNING)
    fixed = dict(fixed or {})
    spec.check_fixed(fixed)
    tune = spec.tune if tune is None else tune
    sampler = spec.sampler if sampler is None else sampler
    for name, value in (("draws", draws), ("tune", tune), ("chains", chains)):
        if not (isinstance(value, int) and value >= 1):
            raise TakeoffError(f"--{name} must be a positive integer; got {value}")
    if sampler not in SAMPLERS:
        raise TakeoffError(f"unknown sampler '{sampler}'; choose one of: {', '.join(SAMPLERS)}")
    entry = compiled_model(spec, prepared, fixed, sampler, announce)
    model = entry.model
    # the C-backed routes compute the log-likelihood and predictive in C too (cached per
    # machine); numba's route keeps numba (no C compiler on its way)
    mode = {"mode": "NUMBA"} if sampler == "nutpie" else {}
    with model:
        if sampler == "nutpie-c":
            from takeoff.models.fits import cnuts

            idata = cnuts.sample(
                entry.c,
                model,
                draws=draws,
                tune=tune,
                chains=chains,
                seed=seed,
                target_accept=spec.target_accept,
                progress=progress,
            )
        elif sampler == "nutpie":
            import nutpie

            values = data_values(prepared)
            shared = entry.nutpie.shared_data
            compiled = entry.nutpie.with_data(**{k: v for k, v in values.items() if k in shared})
            idata = nutpie.sample(
                compiled,
                draws=draws,
                tune=tune,
                chains=chains,
                seed=seed,
                target_accept=spec.target_accept,
                save_warmup=False,
                progress_bar=progress,
            )
        else:
            idata = pm.sample(
                draws,
                tune=tune,
                chains=chains,
                cores=min(chains, os.cpu_count() or 1),
                random_seed=seed,
                progressbar=progress,
                compute_convergence_checks=False,
                target_accept=spec.target_accept,
            )
        if log_likelihood and spec.pointwise_log_likelihood is not None:
            pointwise = spec.pointwise_log_likelihood(prepared, idata.posterior)
            add_log_likelihood(idata, prepared, pointwise)
        elif log_likelihood and sampler == "nutpie-c":  # all draws at once, no C compiler
            from takeoff.models.fits import batched

            values = batched.log_likelihood(model, idata.posterior)
            idata.add_groups(log_likelihood=_group(model, idata, values))
        elif log_likelihood:
            pm.compute_log_likelihood(idata, progressbar=False, compile_kwargs=mode)
        if "constant_data" not in idata.groups():
            # nutpie's result has none; without it PyMC takes every data container for changed
            # and redraws each parameter whose prior is scaled by the data (a too-wide band)
            idata.add_groups(constant_data=_constant_data(model))
        if posterior_predictive and sampler == "nutpie-c":  # PyMC's draws, all at once
            from takeoff.models.fits import batched

            names = [prepared.observed]
            values = batched.posterior_predictive(model, idata.posterior, names, seed)
            idata.add_groups(posterior_predictive=_group(model, idata, values))
            if "observed_data" not in idata.groups():
                idata.add_groups(observed_data=batched.observed_data(model))
        elif posterior_predictive:
            pm.sample_posterior_predictive(
                idata,
                var_names=[prepared.observed],  # without it PyMC 5.28 re-adds the observed var
                extend_inferencedata=True,
                random_seed=seed,
                progressbar=False,
                compile_kwargs=mode,
            )
    if entry.first:  # everything this fit compiles is in the machine's cache now
        from takeoff.models.fits import cnuts

        cnuts.mark_compiled(entry.key)
        entry.first = False
    return idata


def _group(model, idata, values):
    """An InferenceData group over the posterior's chains and draws from {name: array}."""
    from takeoff.models.fits import batched

    post = idata.posterior
    group = batched.dataset(model, values, post.sizes["chain"], post.sizes["draw"])
    return group.assign_coords(chain=post.chain, draw=post.draw)


def _constant_data(model):
    """The model's data containers as an xarray Dataset (the InferenceData constant_data)."""
    import xarray as xr

    out = {}
    for var in model.data_vars:
        value = np.asarray(var.get_value())
        dims = model.named_vars_to_dims.get(var.name) or tuple(
            f"{var.name}_dim_{i}" for i in range(value.ndim)
        )
        out[var.name] = (tuple(dims), value)
    return xr.Dataset(out)


def applicable(spec: FitSpec, table: Table, options: FitOptions, regime, upstream=None):
    """(fixed values, options) of ``regime`` for these data, or None where it does not apply:
    a regime applies through the parameters it fixes that the data's variant of the model has
    (others are dropped), or through a structural variant that changes the model on these
    data (a fit's prepare may keep its own variant where a structural one does not apply)."""
    main = prepare(spec, table.frame, options, upstream)
    opts = dataclasses.replace(options, variant=regime.variant or options.variant)
    here = prepare(spec, table.frame, opts, upstream) if regime.variant else main
    names = {p.name for p in spec.priors_for(here)}
    fixed = {k: v for k, v in regime.fixed.items() if k in names}
    structural = bool(regime.variant) and here.variant != main.variant
    if not (fixed or structural):
        return None
    return fixed, opts


def add_log_likelihood(idata, prepared: Prepared, values: np.ndarray) -> None:
    """Store a fit's own pointwise log densities (chain, draw, obs) as the log_likelihood
    group, under the observed variable's name (as PyMC would)."""
    import xarray as xr

    post = idata.posterior
    values = np.asarray(values, float)
    want = (post.sizes["chain"], post.sizes["draw"], prepared.n)
    if values.shape != want or not np.isfinite(values).all():
        raise TakeoffError(
            f"the pointwise log-likelihood has shape {values.shape} (want {want}) or is not "
            "finite; the fit's pointwise_log_likelihood is wrong"
        )
    group = xr.Dataset(
        {prepared.observed: (("chain", "draw", "obs"), values)},
        coords={"chain": post.chain, "draw": post.draw, "obs": np.arange(prepared.n)},
    )
    idata.add_groups(log_likelihood=group)


def fit(
    name: str | FitSpec,
    data=None,
    *,
    columns: Mapping[str, str] | None = None,
    options: FitOptions | None = None,
    fixed: Mapping[str, float] | None = None,
    upstream: Mapping | None = None,
    draws: int = 1000,
    tune: int | None = None,
    chains: int = 4,
    seed: int = 0,
    sampler: str | None = None,
    progress: bool = True,
    posterior_predictive: bool = True,
    log_likelihood: bool = True,
    announce: Callable[[str], None] | None = None,
):
    """Fit ``name`` to its bundled data set (or to ``data``: a CSV path, a DataFrame whose
    columns are the fit's roles, or a ``Table``) and return an ArviZ InferenceData whose
    posterior attrs record the fit name, package version, data hash, seed, sampler, creation
    time, fixed parameters and the constants the model was built with. A chained fit takes
    its upstream posteriors from ``upstream`` ({fit name: InferenceData or posterior}),
    defaulting to the shipped ones. ``posterior_predictive`` / ``log_likelihood``: False
    leaves those groups out; ``announce`` hears a line before a first compilation on this
    machine (see ``sample``)."""
    from takeoff import __version__

    spec = get_fit(name)
    options = options or FitOptions()
    table = data if isinstance(data, Table) else load_table(spec, data, columns)
    frame, data_hash, source = table.frame, table.data_hash, table.source
    if options.since is None and spec.default_since is not None:
        options = dataclasses.replace(options, since=spec.default_since)
    prepared = prepare(spec, frame, options, upstream)
    idata = sample(
        spec,
        prepared,
        fixed=fixed,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        sampler=sampler,
        progress=progress,
        posterior_predictive=posterior_predictive,
        log_likelihood=log_likelihood,
        announce=announce,
    )
    attrs = {
        "fit_name": spec.name,
        "takeoff_version": __version__,
        "data_source": source,
        "data_hash": data_hash,
        "n_observations": int(prepared.n),
        "seed": int(seed),
        "sampler": sampler or spec.sampler,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fixed": ", ".join(f"{k}={v:g}" for k, v in sorted((fixed or {}).items())) or "none",
        "options": ", ".join(
            f"{k}={v}" for k, v in vars(options).items() if v not in (None, False, "")
        )
        or "none",
        "variant": prepared.variant,
    }
    attrs.update({f"const_{k}": float(v) for k, v in prepared.constants.items()})
    for group in idata.groups():
        idata[group].attrs.update(attrs)
    return idata


@dataclasses.dataclass(frozen=True)
class Regimes:
    """A fit and, when compared, its constrained regimes: the fits by label and the LOO table."""

    fits: dict  # label -> InferenceData ("" for the fit as asked, then each Regime's name)
    comparison: object | None = None  # pandas DataFrame (takeoff.models.fits.compare)

    @property
    def main(self):
        return self.fits[""]


def fit_regimes(
    name: str | FitSpec,
    data=None,
    *,
    compare: bool = False,
    fixed: Mapping[str, float] | None = None,
    announce: Callable[[str], None] | None = None,
    **kwargs,
) -> Regimes:
    """Fit ``name`` as asked and, with ``compare``, once more per constrained regime (e.g.
    eps = 0; ``FitSpec.compared_regimes``), then compare them all by LOO. ``announce``
    receives a line before each fit and after it (progress for a terminal or a page); other
    arguments are those of ``fit``."""
    import time

    from takeoff.models.fits.compare import compare as loo_compare
    from takeoff.models.fits.compare import label

    spec = get_fit(name)
    fixed = dict(fixed or {})
    spec.check_fixed(fixed)
    if compare and not spec.compared_regimes:
        raise TakeoffError(f"fit {spec.name} has no nested regime to compare")
    options = kwargs.pop("options", None) or FitOptions()
    runs = {"": (fixed, options)}
    if data is None or not isinstance(data, Table):
        data = load_table(spec, data, kwargs.pop("columns", None))
    if compare:
        for regime in spec.compared_regimes:
            here = applicable(spec, data, options, regime, kwargs.get("upstream"))
            if here is None:
                if announce:
                    announce(f"regime {regime.name} does not apply to these data; skipped")
                continue
            runs[regime.name] = ({**fixed, **here[0]}, here[1])
        if len(runs) == 1:
            raise TakeoffError(f"no regime of fit {spec.name} applies to these data")
    fits = {}
    for key, (fixed_here, options_here) in runs.items():
        what = ", ".join(f"{k}={v:g}" for k, v in fixed_here.items()) or "all parameters free"
        if options_here.variant:
            what += f"; variant {options_here.variant}"
        if announce:
            tune = kwargs.get("tune")
            announce(
                f"fitting {spec.name} ({what}): {kwargs.get('chains', 4)} chains x "
                f"{tune if tune is not None else spec.tune} tune + {kwargs.get('draws', 1000)} "
                "draws ..."
            )
        start = time.perf_counter()
        fits[key] = fit(
            spec, data, fixed=fixed_here, options=options_here, announce=announce, **kwargs
        )
        if key:
            for group in fits[key].groups():
                fits[key][group].attrs["regime"] = key
        if announce:
            announce(f"  sampled in {time.perf_counter() - start:.1f} s")
    table = loo_compare({label(i): i for i in fits.values()}) if compare else None
    return Regimes(fits, table)

"""Run a fit: data -> model -> posterior, posterior predictive and log-likelihood, with attrs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Mapping

import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models.fits.registry import get_fit
from takeoff.models.fits.spec import FitOptions, FitSpec, Prepared

SAMPLERS = ("pymc", "nutpie")


def bundled_table(spec: FitSpec) -> tuple[pd.DataFrame, str]:
    """The fit's bundled data set with its columns renamed to the fit's roles, and its hash."""
    from takeoff.data import load

    if spec.dataset is None:
        raise TakeoffError(f"fit {spec.name} has no bundled data; give --data FILE")
    frame = load(spec.dataset)
    data_hash = str(frame.attrs.get("hash", ""))
    if spec.select_bundled is not None:
        frame = spec.select_bundled(frame)
    columns = {r.column: r.name for r in spec.roles if r.column in frame.columns}
    missing = [r.column for r in spec.roles if r.required and r.column not in frame.columns]
    if missing:
        raise TakeoffError(f"bundled data set {spec.dataset} lacks column(s) {', '.join(missing)}")
    frame = frame.rename(columns=columns)[list(columns.values())]
    required = [r.name for r in spec.roles if r.required]
    return frame.dropna(subset=required).reset_index(drop=True), data_hash


def user_table(spec: FitSpec, path, columns: Mapping[str, str]) -> tuple[pd.DataFrame, str]:
    """A user's CSV, validated, with the columns named by ``columns`` (role -> column; roles not
    given use the role's default column name) renamed to the fit's roles."""
    from takeoff.data import read_user_csv

    unknown = set(columns) - {r.name for r in spec.roles}
    if unknown:
        raise TakeoffError(
            f"unknown role '{sorted(unknown)[0]}' for fit {spec.name}; roles: "
            f"{', '.join(r.name for r in spec.roles)} (give --column ROLE=COLUMN)"
        )
    wanted = {r.name: columns.get(r.name, r.column) for r in spec.roles if r.required}
    wanted.update({k: v for k, v in columns.items() if k not in wanted})
    kinds = {r.name: r.kind for r in spec.roles if r.name in wanted}
    n_params = len(spec.priors)
    frame = read_user_csv(path, wanted, kinds, min_rows=n_params + 1, n_params=n_params)
    for r in spec.roles:
        if r.kind == "date" and f"{r.name}_year" in frame:
            frame[r.name] = frame[f"{r.name}_year"]  # dates as decimal years
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return frame, digest


def check_options(spec: FitSpec, options: FitOptions) -> None:
    for name in ("since", "frontier", "bounded"):
        value = getattr(options, name)
        if value not in (None, False) and name not in spec.options:
            raise TakeoffError(f"fit {spec.name} does not take --{name}")


@dataclasses.dataclass(frozen=True)
class Table:
    """A validated table whose columns are a fit's roles, with its hash and where it came from."""

    frame: pd.DataFrame
    data_hash: str
    source: str


def load_table(spec: FitSpec, data=None, columns: Mapping[str, str] | None = None) -> Table:
    """The fit's bundled data (``data`` None), a user's CSV (a path) or a role-named DataFrame."""
    if data is None:
        frame, data_hash = bundled_table(spec)
        return Table(frame, data_hash, str(spec.dataset))
    if isinstance(data, pd.DataFrame):
        digest = hashlib.sha256(data.to_csv(index=False).encode()).hexdigest()
        return Table(data, digest, "DataFrame")
    frame, data_hash = user_table(spec, data, columns or {})
    return Table(frame, data_hash, str(data))


def prepare(spec: FitSpec, frame: pd.DataFrame, options: FitOptions) -> Prepared:
    check_options(spec, options)
    if options.since is None and spec.default_since is not None:
        options = dataclasses.replace(options, since=spec.default_since)
    if options.frontier and "frontier" not in frame:
        raise TakeoffError(f"--frontier needs a frontier column for fit {spec.name}")
    return spec.prepare(frame, options)


def sample(
    spec: FitSpec,
    prepared: Prepared,
    *,
    fixed: Mapping[str, float] | None = None,
    draws: int = 1000,
    tune: int | None = None,
    chains: int = 4,
    seed: int = 0,
    sampler: str = "pymc",
    progress: bool = True,
    posterior_predictive: bool = True,
):
    """Build the model and sample it; returns InferenceData with log_likelihood and (by
    default) posterior_predictive groups."""
    import logging

    import pymc as pm

    if not progress:  # PyMC logs its sampler choices at INFO; keep quiet runs quiet
        logging.getLogger("pymc").setLevel(logging.WARNING)
    fixed = dict(fixed or {})
    spec.check_fixed(fixed)
    tune = spec.tune if tune is None else tune
    for name, value in (("draws", draws), ("tune", tune), ("chains", chains)):
        if not (isinstance(value, int) and value >= 1):
            raise TakeoffError(f"--{name} must be a positive integer; got {value}")
    if sampler not in SAMPLERS:
        raise TakeoffError(f"unknown sampler '{sampler}'; choose one of: {', '.join(SAMPLERS)}")
    model = spec.build(prepared, fixed)
    with model:
        if sampler == "nutpie":
            idata = pm.sample(
                draws,
                tune=tune,
                chains=chains,
                random_seed=seed,
                nuts_sampler="nutpie",
                progressbar=progress,
                target_accept=spec.target_accept,
            )
            pm.compute_log_likelihood(idata, progressbar=False)
        else:
            idata = pm.sample(
                draws,
                tune=tune,
                chains=chains,
                cores=min(chains, os.cpu_count() or 1),
                random_seed=seed,
                progressbar=progress,
                idata_kwargs={"log_likelihood": True},
                compute_convergence_checks=False,
                target_accept=spec.target_accept,
            )
        if posterior_predictive:
            pm.sample_posterior_predictive(
                idata, extend_inferencedata=True, random_seed=seed, progressbar=False
            )
    return idata


def fit(
    name: str | FitSpec,
    data=None,
    *,
    columns: Mapping[str, str] | None = None,
    options: FitOptions | None = None,
    fixed: Mapping[str, float] | None = None,
    draws: int = 1000,
    tune: int | None = None,
    chains: int = 4,
    seed: int = 0,
    sampler: str = "pymc",
    progress: bool = True,
):
    """Fit ``name`` to its bundled data set (or to ``data``: a CSV path, a DataFrame whose
    columns are the fit's roles, or a ``Table``) and return an ArviZ InferenceData whose
    posterior attrs record the fit name, package version, data hash, seed, sampler, creation
    time, fixed parameters and the constants the model was built with."""
    from takeoff import __version__

    spec = get_fit(name)
    options = options or FitOptions()
    table = data if isinstance(data, Table) else load_table(spec, data, columns)
    frame, data_hash, source = table.frame, table.data_hash, table.source
    if options.since is None and spec.default_since is not None:
        options = dataclasses.replace(options, since=spec.default_since)
    prepared = prepare(spec, frame, options)
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
    )
    attrs = {
        "fit_name": spec.name,
        "takeoff_version": __version__,
        "data_source": source,
        "data_hash": data_hash,
        "n_observations": int(prepared.n),
        "seed": int(seed),
        "sampler": sampler,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fixed": ", ".join(f"{k}={v:g}" for k, v in sorted((fixed or {}).items())) or "none",
        "options": ", ".join(f"{k}={v}" for k, v in vars(options).items() if v not in (None, False))
        or "none",
    }
    attrs.update({f"const_{k}": float(v) for k, v in prepared.constants.items()})
    for group in idata.groups():
        idata[group].attrs.update(attrs)
    return idata

"""The table a fit is fitted on: its bundled data set or a user's CSV, with columns renamed to
the fit's roles and a hash, validated, and the selection (--since, --until, --frontier) applied
when it is prepared."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping

import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models.fits.fitspec import FitOptions, FitSpec, Prepared


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


def fewest_parameters(spec: FitSpec) -> int:
    """The number of parameters of the fit's smallest variant (every parameter if it has no
    variants): which variant runs is known only once the table is read (e.g. the roles given
    choose algorithmic_progress's compute-only form)."""
    variants = {v for p in spec.priors for v in p.variants}
    if not variants:
        return len(spec.free_parameters)
    return min(sum(p.applies(v) for p in spec.priors) for v in variants)


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
    n_params = fewest_parameters(spec)  # the fit's own row check then knows the variant
    nullable = {r.name for r in spec.roles if r.nullable}
    frame = read_user_csv(
        path, wanted, kinds, min_rows=n_params + 1, n_params=n_params, nullable=nullable
    )
    check_variation(spec, frame, wanted, f"'{path}'")
    for r in spec.roles:
        if r.kind in ("date", "date_sorted", "date_or_year") and f"{r.name}_year" in frame:
            frame[r.name] = frame[f"{r.name}_year"]  # dates as decimal years
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return frame, digest


def check_variation(spec: FitSpec, frame: pd.DataFrame, columns: Mapping[str, str], label) -> None:
    """Each role the fit must see vary (``Role.varies``) holds that many distinct values: a
    table whose rows share one date gives no rate over time, one compute value no slope. A
    nullable role (given on some rows only) is the fit's own to count: it says what it needs."""
    for role in spec.roles:
        if not role.varies or role.nullable or role.name not in frame:
            continue
        values = frame[role.name].dropna()
        distinct = int(values.nunique())
        if distinct >= role.varies:
            continue
        held = f"{distinct} distinct value" + ("" if distinct == 1 else "s")
        if distinct == 1:
            first = values.iloc[0]
            shown = str(first)[:10] if isinstance(first, pd.Timestamp) else f"{first:g}"
            held = f"one value ({shown}) in every row"
        raise TakeoffError(
            f"column '{columns[role.name]}' of {label} holds {held}; fit {spec.name} needs at "
            f"least {role.varies} different values of the {role.description} to identify its "
            "parameters; add rows that differ in it"
        )


def check_options(spec: FitSpec, options: FitOptions) -> None:
    for name in ("since", "until", "frontier", "bounded"):
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


def prepare(
    spec: FitSpec, frame: pd.DataFrame, options: FitOptions, upstream: Mapping | None = None
) -> Prepared:
    """The arrays the fit is built from; a chained fit's priors are made from ``upstream``
    ({fit name: posterior Dataset}; the shipped posteriors for any not given)."""
    check_options(spec, options)
    if options.since is None and spec.default_since is not None:
        options = dataclasses.replace(options, since=spec.default_since)
    if options.since is not None and options.until is not None and options.until <= options.since:
        raise TakeoffError(
            f"--until {options.until:g} must be after --since {options.since:g}; widen the window"
        )
    if options.frontier and "frontier" not in frame:
        raise TakeoffError(f"--frontier needs a frontier column for fit {spec.name}")
    prepared = spec.prepare(frame, options)
    if options.variant and not prepared.variant:  # a fit that names its variants decides
        prepared = dataclasses.replace(prepared, variant=options.variant)
    if spec.upstream:
        posteriors = upstream_posteriors(spec, upstream)
        constants = {**prepared.constants, **spec.upstream_constants(prepared, posteriors)}
        prepared = dataclasses.replace(prepared, constants=constants)
    return prepared


def upstream_posteriors(spec: FitSpec, given: Mapping | None = None) -> dict:
    """The posteriors of a chained fit's upstream fits: those given (InferenceData or a
    posterior Dataset), the shipped ones for the rest."""
    from takeoff.data.posteriors import load_posterior

    given = dict(given or {})
    unknown = set(given) - set(spec.upstream)
    if unknown:
        raise TakeoffError(
            f"fit {spec.name} takes upstream posteriors of {', '.join(spec.upstream)}; "
            f"got {', '.join(sorted(unknown))}"
        )
    out = {}
    for name in spec.upstream:
        value = given.get(name)
        if value is None:
            value = load_posterior(name)
        elif hasattr(value, "posterior"):  # InferenceData
            value = value.posterior
        if value.attrs.get("fit_name", name) != name:
            raise TakeoffError(
                f"the upstream posterior given for {name} is a {value.attrs['fit_name']} fit; "
                f"give a {name} posterior"
            )
        out[name] = value
    return out

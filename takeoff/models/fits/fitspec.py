"""What a fit is: a named statistical model over a table of data.

A ``FitSpec`` names its data set and the column roles it needs, declares its priors (objects,
:mod:`takeoff.models.fits.priors`), turns a validated table into arrays (``prepare``) and those
arrays, as data containers, into a likelihood (``likelihood``, called inside the PyMC model that
:func:`takeoff.models.fits.building.build_model` makes). Where the model is a growth law of a
family in :mod:`takeoff.models`, ``family`` maps the posterior onto that family's parameters in
code, units included, so scenarios take parameters straight from the fit. ``exports`` are
further derived quantities with units (e.g. a trend's growth rate per year in natural log
units). A chained fit names its ``upstream`` fits; their posteriors are passed in (defaulting
to the shipped ones) and turned into constants of the prepared data by ``upstream_constants``.

The same spec serves the bundled data, a user's CSV, simulation-based calibration, backtests
and the CLI. This module does not import PyMC: the heavy import happens when a model is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models.fits.priors import Prior

Draws = Mapping[str, np.ndarray]  # posterior variable -> flattened draws (chain x draw)


@dataclass(frozen=True)
class Role:
    """A column the fit needs: its role name, the bundled data set's column that plays it, its
    kind for validation ("positive", "number", "date", "bool", ...) and what it means. ``varies``:
    the least number of distinct values a user's table must hold in it for the fit to identify
    its parameters (2: a rate over time or a slope needs two dates or two inputs; 3: a curve
    with a floor and an exponent needs three; 0: no check). ``nullable``: a user's table may
    leave cells of it empty (e.g. a level known on some rows)."""

    name: str
    column: str
    kind: str
    description: str
    required: bool = True
    varies: int = 0
    nullable: bool = False


@dataclass(frozen=True)
class FitOptions:
    """Data selection shared by the fits (each fit reads the ones it supports)."""

    since: float | None = None  # keep rows dated at or after this decimal year
    until: float | None = None  # keep rows dated before this decimal year (backtests)
    frontier: bool = False  # keep only frontier (state-of-the-art) rows
    bounded: bool = False  # returns_curve: logistic curve for scores in [0, 1]
    variant: str = ""  # a structural variant of the model (a Regime's), "" for the fit's own


@dataclass(frozen=True)
class Regime:
    """A constrained version of a fit compared with it by LOO (``--compare``): parameters held
    at values (e.g. eps = 0) and/or a structural variant of the model (e.g. one exponent
    shared by two terms: the fit's prepare and priors read ``Prepared.variant``)."""

    name: str
    fixed: Mapping[str, float] = field(default_factory=dict)
    variant: str = ""
    description: str = ""


@dataclass(frozen=True)
class Prepared:
    """Arrays a model is built from (one value per observation each; every array but the
    observed one becomes a data container of that name), the observed variable's name, and
    constants that must be saved with the fit (e.g. centring means, reference dates).

    ``grid`` holds arrays on a second axis of their own (dimension "grid", any length, e.g.
    a research-input series in time), data containers like the others. ``levels`` names the
    levels of a factor of the data (e.g. {"benchmark": ("wt103", "wt2", "ptb")}): priors
    with ``dims`` of that name are vectors over them, and the observations refer to a level
    by a code array (0, 1, ...). A compiled model is reused for data with the same levels,
    whatever the lengths of the observation and grid arrays.
    """

    arrays: Mapping[str, np.ndarray]
    observed: str
    n: int
    constants: Mapping[str, float] = field(default_factory=dict)
    variant: str = ""  # which of a fit's variants the data asked for (returns_curve)
    grid: Mapping[str, np.ndarray] = field(default_factory=dict)
    levels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def grid_size(self) -> int:
        sizes = {len(v) for v in self.grid.values()}
        if len(sizes) > 1:
            raise ValueError("the grid arrays of a prepared data set differ in length")
        return sizes.pop() if sizes else 0


@dataclass(frozen=True)
class Export:
    """A quantity derived from posterior draws in numpy, with its unit: what a scenario can
    read from the fit beside the posterior's own variables."""

    unit: str
    description: str
    value: Callable[[Draws], np.ndarray]
    variables: tuple[str, ...]  # the posterior variables ``value`` reads


@dataclass(frozen=True)
class FamilyLink:
    """The model family a fit's model is, and its posterior in that family's parameters.

    ``parameters`` and ``initial`` give each family parameter / initial state as an
    ``Export`` (units converted in code); the family's clock starts at the fit's constant
    ``start`` (a decimal year saved with the fit, e.g. its reference date t_ref).
    """

    family: str
    parameters: Mapping[str, Export]
    initial: Mapping[str, Export] = field(default_factory=dict)
    start: str = "t_ref"
    # Optional: the same parameters and initial states ``dt`` years from ``start`` under the
    # fit's own law, (params, initial, dt) -> (params, initial): scenarios may then start at
    # any date (e.g. the first observation, to check the model over the data period).
    shift: Callable | None = None


@dataclass(frozen=True)
class Predictor:
    """An axis of the fit's data in data units: a data array plus an optional constant
    (``offset``), e.g. release date = tau + t_ref, exponentiated where the array is a (centred)
    logarithm (``exp``, to the ``base`` of that logarithm: then shown on a log axis), with a
    label and a unit. A fit's ``predictor`` is its x axis, its ``response`` the observed
    variable (e.g. horizon in minutes = exp(log_h))."""

    array: str
    label: str
    unit: str
    offset: str | None = None
    exp: bool = False
    base: float = math.e

    def values(self, arrays: Mapping[str, np.ndarray], constants: Mapping[str, float]):
        x = np.asarray(arrays[self.array], dtype=float)
        if self.offset is not None:
            x = x + float(constants[self.offset])
        if not self.exp:
            return x
        with np.errstate(over="ignore"):  # extreme predictive draws of heavy tails: inf
            return np.exp(x) if self.base == math.e else np.power(self.base, x)

    @property
    def title(self) -> str:
        """An axis title in words with the unit."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label


@dataclass(frozen=True)
class Shipped:
    """A posterior of the fit shipped with the package (takeoff/data/posteriors/<stem>.nc): the
    parameters it holds fixed and its structural variant (a Regime's, "" for the fit's own),
    i.e. the fit as run or one of its compared regimes."""

    stem: str
    fixed: Mapping[str, float] = field(default_factory=dict)
    variant: str = ""


@dataclass(frozen=True)
class Target:
    """What a backtestable fit predicts: the model's data container holding time since t_ref
    [years], the log scale of its observed variable and what one unit of error means."""

    time: str
    scale: str
    unit: str


@dataclass(frozen=True)
class FitSpec:
    name: str
    title: str
    dataset: str | None
    roles: tuple[Role, ...]
    priors: tuple[Prior, ...]
    prepare: Callable[[pd.DataFrame, FitOptions], Prepared]
    likelihood: Callable  # (prepared, data: {name: tensor}, params: {name: tensor}) -> None
    summary_vars: tuple[str, ...]
    nested: Mapping[str, float] = field(default_factory=dict)  # regime comparison: name -> value
    regimes: tuple[Regime, ...] = ()  # several constrained versions (default: ``nested``)
    options: tuple[str, ...] = ()  # which FitOptions fields this fit reads
    select_bundled: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # rows of the bundled set
    target_accept: float = 0.8  # NUTS step-size adaptation target; raise for awkward geometry
    # the sampler route the fit runs by default (--sampler overrides; fitting.SAMPLERS):
    # "nutpie-c" (nutpie's NUTS on PyTensor's C backend, compiled once per machine: small
    # models, seconds per fit), "nutpie" (nutpie's NUTS on numba, compiled in every process:
    # models whose sampling dominates), "pymc" (PyMC's NUTS); benchmarks/bench_fit_startup.py
    sampler: str = "nutpie"
    tune: int = 1000  # default tuning steps per chain
    default_since: float | None = None  # --since when none is given (a documented era break)
    notes: str = ""
    family: FamilyLink | None = None
    exports: Mapping[str, Export] = field(default_factory=dict)
    upstream: tuple[str, ...] = ()  # fits whose posteriors this fit's priors are made from
    # (prepared, {upstream fit: its posterior as an xarray Dataset}) -> constants for the priors
    upstream_constants: Callable[[Prepared, Mapping], dict[str, float]] | None = None
    predictor: Predictor | None = None
    response: Predictor | None = None  # the observed variable in data units
    # (constant arrays by name) -> bool mask: the observations the response describes, for a
    # joint fit whose observed vector stacks other series (research_loop: its horizon rows);
    # None: every observation
    observed_rows: Callable[[Mapping[str, np.ndarray]], np.ndarray] | None = None
    # (prepared, posterior Dataset) -> (chain, draw, obs) log densities for LOO, for a
    # likelihood whose observations are not conditionally independent given the parameters
    # (e.g. an autocorrelated residual): the exact leave-one-out predictive densities
    # log p(y_i | y_-i, params) per draw, on which PSIS-LOO is the LOO of a non-factorised
    # model (Bürkner, Gabry & Vehtari 2021). None: each observation's own log density (PyMC).
    pointwise_log_likelihood: Callable | None = None
    # (scenario, its parameter, the fit's variable, threshold): the quantity a published prior
    # of a built-in scenario sets by hand; the CLI prints P(variable > threshold) beside the
    # scenario prior's P(parameter > threshold), e.g. ("sie_published", "r0", "r", 1.0)
    published_prior: tuple[str, str, str, float] | None = None
    # the posteriors of this fit shipped with the package (takeoff ship writes them)
    shipped: tuple[Shipped, ...] = ()
    # what a rolling-origin backtest of the fit predicts (None: not backtestable)
    backtest_target: Target | None = None
    # (posterior draw {name: value}, prepared arrays) -> the likelihood's scale per
    # observation: what a growth law's closed form is checked against (tests)
    likelihood_scale: Callable | None = None

    @property
    def compared_regimes(self) -> tuple[Regime, ...]:
        """The constrained versions ``--compare`` fits: ``regimes``, or the one ``nested``."""
        if self.regimes:
            return self.regimes
        if self.nested:
            fixed = ", ".join(f"{k} = {v:g}" for k, v in self.nested.items())
            return (Regime("nested", dict(self.nested), description=fixed),)
        return ()

    @property
    def free_parameters(self) -> tuple[str, ...]:
        """Every parameter with a prior (over all variants), each once."""
        return tuple(dict.fromkeys(p.name for p in self.priors))

    def priors_for(self, prepared: Prepared) -> tuple[Prior, ...]:
        """The priors of the variant the prepared data asked for."""
        return tuple(p for p in self.priors if p.applies(prepared.variant))

    def check_fixed(self, fixed: Mapping[str, float]) -> None:
        for name, value in fixed.items():
            if name not in self.free_parameters:
                raise TakeoffError(
                    f"cannot fix '{name}' in fit {self.name}; fixable parameters: "
                    f"{', '.join(self.free_parameters)}"
                )
            if not np.isfinite(value):
                raise TakeoffError(f"--fix {name} must be a finite number; got {value}")

    def build(self, prepared: Prepared, fixed: Mapping[str, float] | None = None):
        """The PyMC model of this fit on ``prepared`` (PyMC is imported here)."""
        from takeoff.models.fits.building import build_model

        return build_model(self, prepared, fixed or {})


def require_rows(frame: pd.DataFrame, n_params: int, what: str) -> None:
    if len(frame) <= n_params:
        raise TakeoffError(
            f"{what}: {len(frame)} rows left after selection, but the fit has {n_params} "
            f"parameters; it needs at least {n_params + 1} rows (relax --since or --frontier)"
        )


def select_dates(frame: pd.DataFrame, options: FitOptions, column: str = "date") -> pd.DataFrame:
    """Rows dated in [--since, --until) (either bound optional)."""
    if options.since is not None:
        frame = frame[frame[column] >= options.since]
    if options.until is not None:
        frame = frame[frame[column] < options.until]
    return frame

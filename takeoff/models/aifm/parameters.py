"""The AI Futures Model's parameters, declared as every family's are
(:class:`~takeoff.models.family.Parameter`): the peer's name, unit, meaning, published default,
valid range and prior. A parameter's prior is its published Monte Carlo prior where the peer
publishes one (:mod:`takeoff.models.aifm.priors`), otherwise a point mass at its default. The
three time-series parameters of the peer's Monte Carlo (training-compute growth before and after
a slowdown year) replace the input series' growth rate; :func:`resolve` checks and broadcasts a
block of draws."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.aifm.priors import published_marginals
from takeoff.models.distributions import Distribution
from takeoff.models.family import Interval, Parameter, PeerModel

_PUBLISHED = published_marginals()


def _prior(name: str, default: float) -> Distribution:
    """The published Monte Carlo prior of a parameter, or a point mass at its default."""
    if name in _PUBLISHED:
        return _PUBLISHED[name]
    return Distribution("choice", values=(default,), p=(1.0,))


def _closed(lo, hi):
    return Interval(lo, hi, low_closed=True, high_closed=True)


def _P(name, unit, description, default, valid) -> Parameter:
    return Parameter(name, unit, description, default, valid, _prior(name, default))


PARAMETERS: tuple[Parameter, ...] = (
    _P(
        "rho_coding_labor",
        "",
        "CES substitution across coding tasks",
        -2.0,
        Interval(-50.0, 0.0, low_closed=True),
    ),
    _P(
        "parallel_penalty",
        "",
        "serial coding labour = parallel labour^pp",
        0.5,
        Interval(0.0, 1.0, high_closed=True),
    ),
    _P(
        "coding_labor_normalization",
        "",
        "multiplier on serial coding labour",
        1.0,
        _closed(1e-5, 10),
    ),
    _P(
        "inf_labor_asymptote",
        "x",
        "experiment capacity with infinite coding labour, relative to 2024.8",
        15.0,
        Interval(1.0, math.inf),
    ),
    _P(
        "inf_compute_asymptote",
        "x",
        "experiment capacity with infinite experiment compute, relative to 2024.8",
        5000.0,
        Interval(1.0, math.inf),
    ),
    _P(
        "inv_compute_anchor_exp_cap",
        "x",
        "1 / (experiment capacity after a 10x cut in experiment compute)",
        3.33,
        Interval(0.0, math.inf),
    ),
    _P(
        "software_progress_rate_at_reference_year",
        "OOMs/yr",
        "human-only software progress rate at 2023.0 (sets r)",
        0.79,
        Interval(0.0, math.inf),
    ),
    _P(
        "automation_fraction_at_coding_automation_anchor",
        "",
        "automation fraction at the Automated Coder",
        1.0,
        Interval(0.0, 1.0, high_closed=True),
    ),
    _P(
        "swe_multiplier_at_present_day",
        "x",
        "coding labour / human labour at present_day",
        1.6,
        Interval(1.0, math.inf, low_closed=True),
    ),
    _P(
        "coding_automation_efficiency_slope",
        "OOMs per present-day progress-year",
        "growth of automated tasks' compute efficiency with progress",
        3.0,
        Interval(0.0, math.inf),
    ),
    _P(
        "optimal_ces_eta_init",
        "",
        "compute efficiency of a task when it becomes automatable",
        0.05,
        Interval(0.0, math.inf),
    ),
    _P(
        "optimal_ces_grid_size",
        "task indices",
        "the peer's task grid (4096); 0 = the exact continuum",
        4096.0,
        _closed(0.0, 16384.0),
    ),
    _P(
        "ai_research_taste_at_coding_automation_anchor_sd",
        "SD",
        "AI research taste at AC, in human standard deviations",
        0.5,
        Interval(-math.inf, math.inf),
    ),
    _P(
        "ai_research_taste_slope",
        "SD per present-day progress-year",
        "growth of AI research taste with progress",
        2.5,
        Interval(0.0, math.inf),
    ),
    _P(
        "median_to_top_taste_multiplier",
        "x",
        "human taste at the 99.9th percentile / median",
        3.25,
        Interval(1.0, math.inf),
    ),
    _P(
        "aa_time_horizon_minutes",
        "minutes",
        "80% time horizon of the Automated Coder",
        6224000.0,
        Interval(0.0, math.inf),
    ),
    _P(
        "pre_gap_aa_time_horizon",
        "minutes",
        "gap mode: horizon at which the gap starts",
        124600.0,
        Interval(0.0, math.inf),
    ),
    _P("include_gap", "", "1: gap mode, 0: no gap", 0.0, _closed(0.0, 1.0)),
    _P(
        "gap_years",
        "present-day progress-years",
        "gap length",
        1.5,
        Interval(0.0, math.inf, low_closed=True),
    ),
    _P("present_day", "yr", "anchor date of the horizon law", 2025.6, _closed(2020.0, 2030.0)),
    _P("present_horizon", "minutes", "80% horizon at present_day", 26.0, Interval(0.0, math.inf)),
    _P(
        "present_doubling_time",
        "yr",
        "horizon doubling time at present_day",
        0.408,
        Interval(0.0, math.inf),
    ),
    _P(
        "doubling_difficulty_growth_factor",
        "",
        "each doubling's doubling time / the previous (1: exponential)",
        0.92,
        Interval(0.0, math.inf),
    ),
    _P(
        "initial_progress",
        "OOMs",
        "progress at the start (2012)",
        0.0,
        Interval(-1e3, 1e3, low_closed=True, high_closed=True),
    ),
)
PARAMETER_NAMES = tuple(p.name for p in PARAMETERS)
DEFAULTS = {p.name: p.default for p in PARAMETERS}
# The time-series parameters of the peer's Monte Carlo (training-compute growth before and
# after a slowdown year; no default: without them the input series' growth rate is used).
TIME_SERIES: tuple[Parameter, ...] = (
    _P(
        "constant_training_compute_growth_rate",
        "OOMs/yr",
        "training-compute growth before slowdown_year (replaces the input series)",
        math.nan,
        Interval(-math.inf, math.inf),
    ),
    _P(
        "slowdown_year",
        "yr",
        "year the training-compute growth changes",
        math.nan,
        Interval(-math.inf, math.inf),
    ),
    _P(
        "post_slowdown_training_compute_growth_rate",
        "OOMs/yr",
        "training-compute growth from slowdown_year on",
        math.nan,
        Interval(-math.inf, math.inf),
    ),
)
TIME_SERIES_PARAMETERS = tuple(p.name for p in TIME_SERIES)


AIFM_MODEL = PeerModel(
    name="aifm",
    summary="the core of the AI Futures Model (ai-progress-rates @ 786c6655)",
    equation="software progress from AI-augmented coding labour and experiment compute; "
    "milestones AC, SAR, SIAR, ... on its coding time horizon",
    parameters=PARAMETERS,
    inputs=TIME_SERIES,
)


def resolve(values: Mapping[str, float | np.ndarray] | None = None, n: int | None = None):
    """Defaults filled in, names and ranges checked, every parameter broadcast to (n,)."""
    values = dict(values or {})
    for name in values:
        if name not in TIME_SERIES_PARAMETERS:
            AIFM_MODEL.parameter(name)
    arrays = {}
    for p in PARAMETERS:
        try:
            a = np.asarray(values.get(p.name, p.default), dtype=float)
        except (TypeError, ValueError):
            raise TakeoffError(f"parameter {p.name} must be a number or an array") from None
        if a.ndim > 1:
            raise TakeoffError(f"parameter {p.name} must be a number or a 1-D array")
        arrays[p.name] = a
    lengths = {a.shape[0] for a in arrays.values() if a.ndim == 1 and a.shape[0] != 1}
    if len(lengths) > 1 or (n is not None and lengths and lengths != {n}):
        raise TakeoffError(
            "aifm parameters have different numbers of draws "
            f"({', '.join(str(x) for x in sorted(lengths))}); give one value or n for each"
        )
    n = n if n is not None else (lengths.pop() if lengths else 1)
    out = {}
    for p in PARAMETERS:
        a = np.broadcast_to(arrays[p.name], (n,)).astype(float)
        bad = ~np.isfinite(a) | ~p.valid.contains(a)
        if bad.any():
            i = int(np.argmax(bad))
            raise TakeoffError(
                f"parameter {p.name} of aifm must be in {p.valid}; got {a[i]:g}"
                + (f" (draw {i})" if n > 1 else "")
            )
        out[p.name] = a
    grid = out["optimal_ces_grid_size"]
    if np.any((grid != 0) & ((grid < 256) | (grid != np.round(grid)))):
        raise TakeoffError("optimal_ces_grid_size must be 0 (continuum) or an integer >= 256")
    return out

"""The aifm kind: forecasts of the AI Futures Model's core (``takeoff.models.aifm``).

The model produces, per draw, the dates of its milestones (Automated Coder, AI2027-SC, the AI
R&D speed-ups AIR-5x ... AIR-10000x, SAR, SIAR) and paths on a yearly grid; this kind reduces
them to milestone-date quantiles, P(milestone by a year) with its Monte Carlo standard error
sqrt(p (1 - p) / n), the status of every draw (a draw that fails says why) and fan charts of
the 80% coding time horizon, the software progress rate and the AI R&D speed-up.

Scenario tables::

    [scenario]
    name = "aifm_published_mc"
    family = "aifm"
    end = 2050                        # the model runs from 2012 (its inputs') to `end`
    probability_by = [2030, 2035, 2040]

    [priors]
    published = true                  # the peer's Monte Carlo priors and correlations
                                      # (aifm_priors.toml, from its sampling_config.yaml)

    [parameters]                      # any aifm parameter (or the three time-series ones):
    present_day = 2025.6              # a number, a distribution or a posterior; given here
                                      # it overrides the published prior

    [links]                           # parameters from takeoff's fits, mapped in code
    horizon = "horizon_dynamics"      # present_horizon, present_doubling_time,
    horizon_percent = 50              #   doubling_difficulty_growth_factor (below)
    training_compute = "compute_trend"  # constant_training_compute_growth_rate

    [correlations]                    # optional, between distribution parameters
    pairs = [["a", "b", 0.3]]

Without ``[priors]`` every parameter not given is the published default (``model_config.py``)
and the input series is the published one (``input_data.csv``); a scenario whose inputs are
all fixed numbers is one trajectory (its draws are identical and simulated once).

Links (what the issue calls replacing the hand-set links by takeoff's posteriors) are mapped in
:func:`horizon_link`, :func:`training_compute_link` and :func:`software_rate_link` (the software
progress rate at 2023 from ``algorithmic_progress``); r from ``software_returns`` is listed in
:data:`LINKS` without a mapping, because the model calibrates r from that software rate (a
fitted r would over-determine it), and every summary says which links are still the peer's.
Where a link or an explicit parameter replaces a parameter
that the published priors correlate with others, those correlations are dropped (the summary
names them).

The accumulator holds integer counts (date histograms of 1/256 year, per-milestone counts by
each year, status counts, histograms of log10 paths of 0.02 decades per output year) plus
exact minima and maxima, so chunks and Dask workers add up identically; a quantile is the
middle of its histogram bin clamped to the observed range, so a scenario whose draws are all
the same reports its exact dates and paths.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff import formatting
from takeoff.errors import TakeoffError
from takeoff.forecast.kind import ForecastKind, SensitivityOutput
from takeoff.forecast.kinds.aifm import presentation as aifm_report
from takeoff.forecast.scenario import (
    Scenario,
    builtin_names,
    read_correlations,
    read_key,
    read_number,
    read_source,
    read_table,
)
from takeoff.forecast.sources import Fixed, FromDistribution, FromPosterior, Source
from takeoff.models import aifm
from takeoff.models.family import Parameter

NAME = "aifm"
TABLES = ("correlations", "links", "parameters", "priors", "scenario")
HEAD_KEYS = ("name", "title", "rationale", "family", "end", "probability_by")
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
PROBABILITY_BY = (2030.0, 2035.0, 2040.0)
DATE_BINS_PER_YEAR = 256  # milestone-date histogram resolution: 1/256 yr (~1.4 days)
CDF_STEP = 8  # CDF points every 8 bins: 1/32 yr
LOG10_LOW, LOG10_HIGH, LOG10_BIN = -12.0, 40.0, 0.02  # path histograms (edges count beyond)
PATHS = (
    ("horizon_minutes", "80% coding time horizon", "minutes"),
    ("software_progress_rate", "software progress rate", "OOMs/yr"),
    ("ai_rd_speedup", "AI R&D speed-up", "x"),
)
MILESTONE_LABELS = {
    "AC": "Automated Coder",
    "AI2027-SC": "AI 2027 superhuman coder",
    "AIR-5x": "AI R&D speed-up 5x",
    "AIR-25x": "AI R&D speed-up 25x",
    "AIR-250x": "AI R&D speed-up 250x",
    "AIR-2000x": "AI R&D speed-up 2000x",
    "AIR-10000x": "AI R&D speed-up 10000x",
    "SAR": "superhuman AI researcher",
    "SIAR": "superintelligent AI researcher",
}
SENSITIVITY_MILESTONES = ("AC", "SAR", "SIAR")
LINK_FAILED = max(aifm.STATUS_NAMES) + 1
STATUSES = {
    **aifm.STATUS_NAMES,
    LINK_FAILED: "the fitted horizon law has blown up by present_day (no finite horizon there)",
}
assert list(STATUSES) == list(range(len(STATUSES)))  # a status code is its index
HORIZON_PERCENTS = (50, 80)

_TS = {p.name: p for p in aifm.TIME_SERIES}


def _parameter(name: str) -> Parameter:
    return _TS[name] if name in _TS else aifm.parameter(name)


# --- links: takeoff's fits in the model's parameters ------------------------------------------


@dataclass(frozen=True)
class LinkSpec:
    """A link the issue names: the aifm parameters it sets, the fit it reads, the mapping
    (None: not written, because takeoff has no such fit yet)."""

    name: str
    label: str
    fit: str
    sets: tuple[str, ...]
    mapping: str | None  # the function in this module that maps the fit, or None


LINKS = {
    "horizon": LinkSpec(
        "horizon",
        "METR horizon at present_day, its next doubling time and the doubling difficulty",
        "horizon_dynamics",
        ("present_horizon", "present_doubling_time", "doubling_difficulty_growth_factor"),
        "horizon_link",
    ),
    "training_compute": LinkSpec(
        "training_compute",
        "training-compute growth",
        "compute_trend",
        ("constant_training_compute_growth_rate",),
        "training_compute_link",
    ),
    "software_rate": LinkSpec(
        "software_rate",
        "software progress rate at 2023",
        "algorithmic_progress",
        ("software_progress_rate_at_reference_year",),
        "software_rate_link",
    ),
    "returns": LinkSpec(
        "returns",
        "r (returns to software research)",
        "software_returns",
        ("r",),
        None,
    ),
}
# r is not an input of the model: it calibrates r from the human-only software rate at its
# reference year (the software_rate link), so a fitted r would over-determine it.
NOT_AN_INPUT = {
    "returns": "the model derives r from the software rate at 2023 (link software_rate)"
}


@dataclass(frozen=True)
class LinkUse:
    """A link a scenario uses: which fit (a shipped name or a .nc path), the sources it adds,
    and the constants of its mapping read when the scenario was parsed."""

    name: str
    fit: str
    sources: tuple[str, ...]  # keys of the scenario's sources the mapping reads
    t_ref: float = math.nan  # horizon: the fit's reference date
    ratio: float = 1.0  # horizon: the model's 80% horizon / the fitted horizon
    percent: int = 50

    @property
    def spec(self) -> LinkSpec:
        return LINKS[self.name]

    def describe(self) -> str:
        out = f"{self.spec.label} <- {self.fit} ({', '.join(self.spec.sets)})"
        if self.name == "horizon" and self.percent == 50:
            out += f"; 80% horizon = {self.ratio:.3f} x the fitted 50% horizon (METR p80/p50)"
        return out


def missing_link_reason(spec: LinkSpec) -> str:
    """Why a link of :data:`LINKS` is not available (empty if it is)."""
    from takeoff.models.fits.registry import FITS

    if spec.mapping is not None:
        return ""
    if spec.name in NOT_AN_INPUT:
        return NOT_AN_INPUT[spec.name]
    if spec.fit not in FITS:
        return f"no {spec.fit} fit in takeoff yet"
    return f"its mapping from {spec.fit} onto aifm is not written yet"


@functools.lru_cache(maxsize=1)
def metr_p80_over_p50() -> tuple[float, int, float]:
    """The METR data's ratio of 80% to 50% time horizons: exp(mean ln(p80/p50)) over the rows
    ``horizon_dynamics`` fits (Time Horizon 1.1), their number and the sd of ln(p80/p50).

    The AI Futures Model's horizon is METR's 80% horizon (its present_horizon of 26 minutes at
    2025.6 is GPT-5's); ``horizon_dynamics`` fits the 50% horizon. Within a model the two are
    read off one logistic fit of success against log task length, so their ratio is set by
    that fit's slope; across the bundled models ln(p80/p50) has mean -1.6 and sd 0.3 (0.20x),
    with no clear trend in time, so a constant ratio is applied and the doubling time and its
    change per doubling carry over unchanged."""
    from takeoff.data import load
    from takeoff.models.fits import metr

    frame = metr.time_horizon_1_1(load("metr_horizons"))
    log_ratio = np.log(frame["p80_minutes"].to_numpy(float) / frame["p50_minutes"].to_numpy(float))
    return float(np.exp(log_ratio.mean())), int(log_ratio.size), float(log_ratio.std(ddof=1))


def horizon_link(T0, H0, eps, log_h_start, t_ref, present_day, ratio):
    """The horizon law of a ``horizon``-family fit (dH/dt = (ln 2/T0) H (H/H0)^eps from H =
    e^log_h_start at t_ref; T0 in years, H in minutes) as the AI Futures Model's parameters.

    The model's law, h(P) = h0 (1 - A0 (P - P_pd)/T_pd)^(ln 2 / ln(1 - A0)) in progress P, is
    a sequence of doublings: the first after present_day takes T_pd present-day progress-years
    (calendar years at the present-day progress rate), each later one 1 - A0 times the one
    before. The fitted law's doublings from any horizon form the same kind of sequence: from
    H_pd = H(present_day) the next doubling takes T_inst (1 - 2^-eps) / (eps ln 2), with
    T_inst = T0 (H_pd/H0)^-eps its instantaneous doubling time (ln 2 / d ln H/dt), and each
    later one 2^-eps times the one before. So, exactly:

    - present_horizon = ratio * H_pd (``ratio``: :func:`metr_p80_over_p50` for a fit of 50%
      horizons, 1 for one of 80%);
    - present_doubling_time = T_inst (1 - 2^-eps) / (eps ln 2) (T_inst at eps = 0);
    - doubling_difficulty_growth_factor = 2^-eps.

    With these the model's horizon, read at a constant progress rate, is the fitted law's from
    present_day on (``h`` and H coincide at every time, not only at doublings; a test checks
    it). The fit is in calendar time and the model in progress, so the mapping is exact as far
    as progress grew at a constant rate, which is what the model itself assumes when it reads
    its present-day doubling time in present-day progress-years. Returns the three arrays and
    where they are defined (the fitted law has not blown up by present_day)."""
    from takeoff.models.horizon import doubling_time, log_horizon

    eps = np.asarray(eps, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        log_h = log_horizon(present_day - t_ref, log_h_start, T0, H0, eps)
        instantaneous = doubling_time(log_h, T0, H0, eps)
        x = eps * math.log(2.0)
        first = np.where(x == 0.0, 1.0, -np.expm1(-x) / np.where(x == 0.0, 1.0, x))
        doubling = instantaneous * first
        horizon = ratio * np.exp(log_h)
        ok = np.isfinite(log_h) & np.isfinite(doubling) & (doubling > 0) & np.isfinite(horizon)
    return horizon, doubling, np.exp2(-eps), ok


def software_rate_link(rate):
    """software_progress_rate_at_reference_year [OOMs/yr] from ``algorithmic_progress``: its
    ``algorithmic_rate`` g is the growth rate (e-folds a year) of the effective-compute
    multiplier from algorithms (the physical compute needed for a fixed loss falls as e^-gt),
    so the rate in orders of magnitude a year is g / ln 10. The fit's rate is constant over its
    data (2012 to 2023), which ends at the model's reference year. It is a rate of software
    progress with the human research of those years, as the model's human-only rate is."""
    return np.asarray(rate, dtype=float) / math.log(10.0)


def training_compute_link(slope):
    """constant_training_compute_growth_rate [OOMs/yr] from ``compute_trend``: its slope is in
    log10 FLOP per year, which is the model's unit (orders of magnitude per year) as it is.
    The peer's Monte Carlo applies this rate at every input year before slowdown_year (2012
    on), which is what a log-linear trend fitted from 2010 measures; the slowdown year and the
    rate after it are not in the data and stay the published priors."""
    return np.asarray(slope, dtype=float)


# --- scenarios ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AifmScenario(Scenario):
    """A scenario of the aifm kind: the common fields, plus the years of P(milestone by year),
    whether the published priors are used, the links and the correlations they dropped."""

    probability_by: tuple[float, ...] = PROBABILITY_BY
    published: bool = False
    links: tuple[LinkUse, ...] = ()
    dropped_correlations: tuple[str, ...] = ()

    def output_times(self) -> np.ndarray:
        times = np.arange(self.start, self.end + 1e-9, 1.0)
        return times if times[-1] >= self.end - 1e-9 else np.append(times, self.end)

    def linked(self) -> dict[str, str]:
        """parameter -> the link that sets it."""
        return {p: use.name for use in self.links for p in use.spec.sets}


def _published_sources():
    priors = aifm.load_priors()
    sources: dict[str, Source] = {name: FromDistribution(m) for name, m in priors.marginals.items()}
    sources.update({k: Fixed(float(v)) for k, v in priors.fixed.items()})
    latent = priors.latent_correlation
    names = priors.correlated
    pairs = [
        (names[i], names[j], float(latent[i, j]))
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if priors.spearman[i, j] != 0.0
    ]
    return sources, pairs


def parse(doc, head, lines, text) -> AifmScenario:
    for table in doc:
        if table not in TABLES:
            raise lines.error(table, None, f"unknown table for {NAME}; use: {', '.join(TABLES)}")
    for key in head:
        if key not in HEAD_KEYS:
            raise lines.error(
                "scenario", key, f"unknown key for {NAME}; use: {', '.join(HEAD_KEYS)}"
            )
    start = aifm.T_START
    last_input = float(aifm.load_inputs().time[-1])
    end = read_number(head, "end", lines, "scenario") if "end" in head else aifm.T_END
    if not start + 1.0 <= end <= last_input:
        raise lines.error(
            "scenario",
            "end",
            f"must be in [{start + 1:g}, {last_input:g}] (the model runs from {start:g}, its "
            f"input series ends in {last_input:g}); got {end:g}",
        )
    by = _probability_by(head, lines, start, end)

    priors = read_table(doc, "priors", lines)
    for key in priors:
        if key != "published":
            raise lines.error("priors", key, "unknown key; use published = true")
    published = priors.get("published", False)
    if not isinstance(published, bool):
        raise lines.error("priors", "published", f"must be true or false; got {published!r}")

    given: dict[str, Source] = {}
    for key, value in read_table(doc, "parameters", lines).items():
        if key not in aifm.PARAMETER_NAMES and key not in _TS:
            raise lines.error(
                "parameters",
                key,
                f"unknown parameter for {NAME}; parameters: "
                f"{', '.join([*aifm.PARAMETER_NAMES, *_TS])}",
            )
        given[key] = read_source(value, "parameters", key, lines)
        src = given[key]
        p = _parameter(key)
        if isinstance(src, Fixed) and not p.valid.contains(src.value):
            raise lines.error("parameters", key, f"must be in {p.valid}; got {src.value:g}")

    links, link_sources = _links(doc, lines, given)

    sources: dict[str, Source] = {}
    correlated: list[tuple[str, str, float]] = []
    if published:
        sources, correlated = _published_sources()
    sources.update(given)
    for use in links:
        for name in use.spec.sets:
            sources.pop(name, None)
    sources.update(link_sources)
    replaced = set(given) | {p for use in links for p in use.spec.sets}
    kept = [(a, b, r) for a, b, r in correlated if a not in replaced and b not in replaced]
    dropped = tuple(f"{a}~{b}" for a, b, r in correlated if a in replaced or b in replaced)
    for p in aifm.PARAMETERS:  # every model parameter is a source: the draws carry all of them
        if p.name not in sources and p.name not in {q for u in links for q in u.spec.sets}:
            sources[p.name] = Fixed(p.default)
    series = [k for k in _TS if k in sources or k in {q for u in links for q in u.spec.sets}]
    if series and len(series) != len(_TS):
        missing = [k for k in _TS if k not in series]
        raise lines.error(
            "parameters",
            None,
            f"the training-compute time series needs all of {', '.join(_TS)} or none; "
            f"missing {', '.join(missing)}",
        )
    own = read_correlations(doc, sources, lines)
    mine = {frozenset(pair[:2]) for pair in own}
    correlations = tuple([pair for pair in kept if frozenset(pair[:2]) not in mine] + list(own))
    return AifmScenario(
        name=read_key(head, "name", str, lines, "scenario"),
        title=head.get("title", ""),
        rationale=" ".join(str(head.get("rationale", "")).split()),
        family=NAME,
        kind=NAME,
        start=start,
        years=end - start,
        parameters=sources,
        correlations=correlations,
        text=text,
        probability_by=by,
        published=published,
        links=tuple(links),
        dropped_correlations=dropped,
    )


def _probability_by(head, lines, start, end) -> tuple[float, ...]:
    if "probability_by" not in head:
        return tuple(y for y in PROBABILITY_BY if y <= end) or (end,)
    value = head["probability_by"]
    ok = (
        isinstance(value, list)
        and value
        and all(isinstance(y, int | float) and not isinstance(y, bool) for y in value)
    )
    if not ok:
        raise lines.error(
            "scenario", "probability_by", f"must be a non-empty list of years; got {value!r}"
        )
    years = [float(y) for y in value]
    for y in years:
        if not start < y <= end:
            raise lines.error(
                "scenario",
                "probability_by",
                f"years must be in ({start:g}, {end:g}] (the model's run); got {y:g}",
            )
    if sorted(set(years)) != years:
        raise lines.error(
            "scenario", "probability_by", f"years must increase, each once; got {value!r}"
        )
    return tuple(years)


def _links(doc, lines, given):
    """The [links] table: (LinkUse per link, the sources they add)."""
    from takeoff.models.fits.exports import start_date

    table = dict(read_table(doc, "links", lines))
    percent = table.pop("horizon_percent", 50)
    if "horizon_percent" in read_table(doc, "links", lines) and "horizon" not in table:
        raise lines.error("links", "horizon_percent", "applies to the horizon link; add horizon")
    if isinstance(percent, bool) or percent not in HORIZON_PERCENTS:
        raise lines.error(
            "links",
            "horizon_percent",
            f"the success rate of the fitted horizons: 50 (METR's p50, converted to the "
            f"model's 80%) or 80; got {percent!r}",
        )
    uses, sources = [], {}
    for key, fit in table.items():
        if key not in LINKS:
            raise lines.error("links", key, f"unknown link; links: {', '.join(LINKS)}")
        spec = LINKS[key]
        reason = missing_link_reason(spec)
        if reason:
            raise lines.error(
                "links", key, f"not available: {reason}; the peer's value is kept without it"
            )
        if not isinstance(fit, str):
            raise lines.error("links", key, f"must name a fit or a .nc file; got {fit!r}")
        for p in spec.sets:
            if p in given:
                raise lines.error(
                    "parameters", p, f"is set by [links] {key} too; give it in one place"
                )
        posterior, fit_spec = _load_fit(fit, key, lines)
        if key == "horizon":
            if fit_spec is None or fit_spec.family is None or fit_spec.family.family != "horizon":
                raise lines.error(
                    "links",
                    key,
                    f"'{fit}' is not a fit of the horizon family; use horizon_dynamics or a "
                    "saved fit of it",
                )
            names = {
                "T0": "T0",
                "H0": "H0",
                "eps": "eps",
                "H": "initial.H",
            }
            keys = tuple(f"link.horizon.{k}" for k in names)
            for k, variable in names.items():
                sources[f"link.horizon.{k}"] = FromPosterior(fit, variable)
            ratio = metr_p80_over_p50()[0] if percent == 50 else 1.0
            uses.append(
                LinkUse(key, fit, keys, start_date(posterior, fit_spec), ratio, int(percent))
            )
        elif key == "software_rate":
            if fit_spec is None or fit_spec.name != "algorithmic_progress":
                raise lines.error(
                    "links",
                    key,
                    f"'{fit}' is not an algorithmic_progress fit; use algorithmic_progress or a "
                    "saved fit of it",
                )
            (name,) = spec.sets
            sources[f"link.software_rate.{name}"] = FromPosterior(fit, "algorithmic_rate")
            uses.append(LinkUse(key, fit, (f"link.software_rate.{name}",)))
        else:  # training_compute
            if fit_spec is None or fit_spec.name != "compute_trend":
                raise lines.error(
                    "links",
                    key,
                    f"'{fit}' is not a compute_trend fit (training compute of frontier models); "
                    "use compute_trend or a saved fit of it",
                )
            (name,) = spec.sets
            sources[name] = FromPosterior(fit, "slope")
            uses.append(LinkUse(key, fit, (name,)))
    return uses, sources


def _load_fit(name: str, key: str, lines):
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.fits.exports import spec_of

    try:
        posterior = load_posterior(name)
    except TakeoffError as exc:
        raise lines.error("links", key, str(exc)) from None
    return posterior, spec_of(posterior)


# --- simulation ----------------------------------------------------------------------------------


@dataclass
class AifmBlock:
    """One block of simulated draws."""

    dates: np.ndarray  # (n, milestones): decimal years; inf not reached by the end; NaN failed
    status: np.ndarray  # (n,) codes of STATUSES
    paths: np.ndarray  # (len(PATHS), n, times), NaN for failed draws
    clamped: np.ndarray  # (n,) research stock held at the 1e30 clamp (as the peer) by the end
    times: np.ndarray
    values: dict[str, np.ndarray]  # every source, and the parameters the links set


def model_parameters(scenario: AifmScenario, draws: dict[str, np.ndarray]):
    """The model's parameters of a block of draws (links mapped) and the draws a link could not
    map (their parameters at the published defaults, to be marked failed)."""
    n = next(iter(draws.values())).shape[0]
    params = {k: np.asarray(v, dtype=float) for k, v in draws.items() if not k.startswith("link.")}
    link_failed = np.zeros(n, dtype=bool)
    for use in scenario.links:
        if use.name == "horizon":
            T0, H0, eps, H = (draws[k] for k in use.sources)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_h = np.log(H)
            horizon, doubling, factor, ok = horizon_link(
                T0, H0, eps, log_h, use.t_ref, params["present_day"], use.ratio
            )
            link_failed |= ~ok
            params["present_horizon"] = np.where(ok, horizon, aifm.DEFAULTS["present_horizon"])
            params["present_doubling_time"] = np.where(
                ok, doubling, aifm.DEFAULTS["present_doubling_time"]
            )
            params["doubling_difficulty_growth_factor"] = factor
        elif use.name == "software_rate":
            (key,) = use.sources
            (name,) = use.spec.sets
            params[name] = software_rate_link(draws[key])
        else:
            (name,) = use.sources
            params[name] = training_compute_link(draws[name])
    return params, link_failed


def simulate_aifm_block(scenario: AifmScenario, draws: dict[str, np.ndarray]) -> AifmBlock:
    """Run the model for every draw of the block: the distinct draws once each (every draw is
    simulated on its own, so the result of a draw does not depend on the others)."""
    params, link_failed = model_parameters(scenario, draws)
    n = link_failed.shape[0]
    for key, values in params.items():
        p = _parameter(key)
        bad = np.isnan(values) | ~p.valid.contains(values)
        if bad.any():
            raise TakeoffError(
                f"scenario {scenario.name}: parameters {key} drew {values[bad][0]:g}, outside "
                f"its valid range {p.valid}; use a distribution or transform that stays inside it"
            )
    names = sorted(params)
    matrix = np.stack([params[k] for k in names], axis=1)
    unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    times = scenario.output_times()
    try:
        run = aifm.simulate(
            {k: unique[:, j] for j, k in enumerate(names)},
            times=times,
            t_start=scenario.start,
            t_end=scenario.end,
        )
    except TakeoffError as exc:
        raise TakeoffError(f"scenario {scenario.name}: {exc}") from None
    dates = run.milestones[inverse]
    status = run.status[inverse].astype(np.int64)
    status[link_failed] = LINK_FAILED
    paths = np.stack([run.paths[p][inverse] for p, _, _ in PATHS])
    failed = status != aifm.OK
    dates[failed] = np.nan
    paths[:, failed] = np.nan
    clamped = np.asarray(run.calibration["rs_clamped"], dtype=bool)[inverse] & ~failed
    values = dict(draws)
    values.update({k: params[k] for u in scenario.links for k in u.spec.sets})
    assert dates.shape[0] == n
    return AifmBlock(dates, status, paths, clamped, times, values)


# --- exact reduction -------------------------------------------------------------------------


def _date_bins(scenario) -> int:
    return round(scenario.years * DATE_BINS_PER_YEAR)


PATH_BINS = round((LOG10_HIGH - LOG10_LOW) / LOG10_BIN)


@dataclass
class AifmAccumulator:
    n: int
    status: np.ndarray  # (statuses,)
    clamped: int
    reached: np.ndarray  # (milestones,) ok draws that reach it by the end
    by: np.ndarray  # (milestones, years) ok draws that reach it by each year
    dates: np.ndarray  # (milestones, date bins)
    date_min: np.ndarray  # (milestones,) exact extremes of the reached dates
    date_max: np.ndarray
    paths: np.ndarray  # (paths, times, PATH_BINS) of log10 values
    path_min: np.ndarray  # (paths, times) exact extremes of the log10 values
    path_max: np.ndarray

    @classmethod
    def empty(cls, scenario: AifmScenario) -> AifmAccumulator:
        m, T = len(aifm.MILESTONES), scenario.output_times().size
        return cls(
            n=0,
            status=np.zeros(len(STATUSES), np.int64),
            clamped=0,
            reached=np.zeros(m, np.int64),
            by=np.zeros((m, len(scenario.probability_by)), np.int64),
            dates=np.zeros((m, _date_bins(scenario)), np.int64),
            date_min=np.full(m, np.inf),
            date_max=np.full(m, -np.inf),
            paths=np.zeros((len(PATHS), T, PATH_BINS), np.int64),
            path_min=np.full((len(PATHS), T), np.inf),
            path_max=np.full((len(PATHS), T), -np.inf),
        )

    def add(self, scenario: AifmScenario, block: AifmBlock) -> None:
        codes = list(STATUSES)
        self.n += block.status.shape[0]
        self.status += np.array([(block.status == c).sum() for c in codes], np.int64)
        self.clamped += int(block.clamped.sum())
        ok = block.status == aifm.OK
        bins = self.dates.shape[1]
        for j in range(self.dates.shape[0]):
            d = block.dates[ok, j]
            d = d[np.isfinite(d)]
            self.reached[j] += d.size
            for k, year in enumerate(scenario.probability_by):
                self.by[j, k] += int((d <= year).sum())
            if d.size:
                index = np.clip(
                    np.floor((d - scenario.start) * DATE_BINS_PER_YEAR).astype(np.int64),
                    0,
                    bins - 1,
                )
                self.dates[j] += np.bincount(index, minlength=bins)
                self.date_min[j] = min(self.date_min[j], d.min())
                self.date_max[j] = max(self.date_max[j], d.max())
        T = self.paths.shape[1]
        for q in range(len(PATHS)):
            with np.errstate(divide="ignore", invalid="ignore"):
                x = np.log10(block.paths[q][ok])  # (n_ok, T); -inf where a value is 0
            if not x.size:
                continue
            valid = ~np.isnan(x)
            index = np.clip(
                np.floor((np.clip(np.where(valid, x, 0.0), LOG10_LOW, LOG10_HIGH) - LOG10_LOW)
                         / LOG10_BIN),
                0,
                PATH_BINS - 1,
            ).astype(np.int64)  # fmt: skip
            flat = np.arange(T)[None, :] * PATH_BINS + index
            self.paths[q] += np.bincount(flat[valid], minlength=T * PATH_BINS).reshape(T, PATH_BINS)
            self.path_min[q] = np.minimum(self.path_min[q], np.where(valid, x, np.inf).min(axis=0))
            self.path_max[q] = np.maximum(self.path_max[q], np.where(valid, x, -np.inf).max(axis=0))

    def merge(self, other: AifmAccumulator) -> AifmAccumulator:
        return AifmAccumulator(
            self.n + other.n,
            self.status + other.status,
            self.clamped + other.clamped,
            self.reached + other.reached,
            self.by + other.by,
            self.dates + other.dates,
            np.minimum(self.date_min, other.date_min),
            np.maximum(self.date_max, other.date_max),
            self.paths + other.paths,
            np.minimum(self.path_min, other.path_min),
            np.maximum(self.path_max, other.path_max),
        )


def standard_error(p, n: int):
    """Monte Carlo standard error of a share p of n independent draws: sqrt(p (1 - p) / n)."""
    p = np.asarray(p, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(p * (1.0 - p) / n) if n > 0 else np.full(p.shape, np.nan)


def histogram_quantiles(counts, total, qs, low, width, vmin, vmax, edges=False):
    """Quantiles (the inverted CDF: the smallest value whose share of ``total`` reaches q) of
    values counted in bins [low + i width, low + (i+1) width); values not in the histogram
    (``total - counts.sum()`` of them) lie above it (+inf). Each quantile is its bin's middle
    clamped to the exact extremes [vmin, vmax] of the counted values; NaN if total is 0.
    ``edges``: the first and last bins also hold the values beyond the range, and a quantile
    there is the range's edge (a bound), clamped likewise."""
    counts = np.asarray(counts)
    if total == 0:
        return np.full(len(qs), np.nan)
    cum = np.cumsum(counts)
    out = []
    for q in qs:
        rank = max(math.ceil(q * total - 1e-9), 1)
        if rank > cum[-1]:
            out.append(math.inf)
            continue
        b = int(np.searchsorted(cum, rank))
        x = low + (b + 0.5) * width
        if edges and b == 0:
            x = low + width
        elif edges and b == counts.size - 1:
            x = low + b * width
        out.append(min(max(x, vmin), vmax))
    return np.array(out, dtype=float)


def summarize_aifm(scenario: AifmScenario, acc: AifmAccumulator, seed: int, engine: str):
    """The forecast summary of an aifm scenario (see the variables' long_name attrs)."""
    n_ok = int(acc.status[list(STATUSES).index(aifm.OK)])
    names = list(aifm.MILESTONES)
    width = 1.0 / DATE_BINS_PER_YEAR
    dates = np.stack(
        [
            histogram_quantiles(
                acc.dates[j],
                n_ok,
                QUANTILES,
                scenario.start,
                width,
                acc.date_min[j],
                acc.date_max[j],
            )
            for j in range(len(names))
        ]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        p_by = acc.by / n_ok if n_ok else np.full(acc.by.shape, np.nan)
        p_reached = acc.reached / n_ok if n_ok else np.full(acc.reached.shape, np.nan)
    edges = np.arange(0, acc.dates.shape[1] + 1, CDF_STEP)
    if edges[-1] != acc.dates.shape[1]:
        edges = np.append(edges, acc.dates.shape[1])
    cum = np.concatenate([np.zeros((len(names), 1)), np.cumsum(acc.dates, axis=1)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cdf = cum[:, edges] / n_ok if n_ok else np.full((len(names), edges.size), np.nan)
    cdf[:, -1] = p_reached  # the last bin holds dates up to the end itself
    times = scenario.output_times()
    paths = np.empty((len(PATHS), times.size, len(QUANTILES)))
    for q in range(len(PATHS)):
        for t in range(times.size):
            paths[q, t] = 10.0 ** histogram_quantiles(
                acc.paths[q, t],
                int(acc.paths[q, t].sum()),
                QUANTILES,
                LOG10_LOW,
                LOG10_BIN,
                acc.path_min[q, t],
                acc.path_max[q, t],
                edges=True,
            )
    status_names = list(STATUSES.values())
    ds = xr.Dataset(
        {
            "milestone_date": (
                ("milestone", "quantile"),
                dates,
                {
                    "units": "decimal year",
                    "long_name": "quantiles of the milestone date over the draws that ran "
                    "(inf: not reached by the end)",
                    "resolution": f"1/{DATE_BINS_PER_YEAR} yr (exact when the draws agree)",
                },
            ),
            "p_by": (
                ("milestone", "year"),
                p_by,
                {"long_name": "P(milestone reached by the year), over the draws that ran"},
            ),
            "p_by_se": (
                ("milestone", "year"),
                standard_error(p_by, n_ok),
                {"long_name": "Monte Carlo standard error sqrt(p (1 - p) / n)"},
            ),
            "p_reached": (
                "milestone",
                p_reached,
                {"long_name": "P(milestone reached by the end)"},
            ),
            "p_reached_se": (
                "milestone",
                standard_error(p_reached, n_ok),
                {"long_name": "Monte Carlo standard error sqrt(p (1 - p) / n)"},
            ),
            "reached": ("milestone", acc.reached, {"long_name": "draws that reach it by the end"}),
            "milestone_cdf": (
                ("milestone", "date"),
                cdf,
                {"long_name": "P(milestone reached by date)"},
            ),
            "status_count": (
                "status",
                acc.status,
                {"long_name": "draws by status (every status but ok is a failed draw)"},
            ),
            "path_quantile": (
                ("path", "time", "quantile"),
                paths,
                {
                    "long_name": "quantiles of each path over the draws that ran",
                    "resolution": f"{LOG10_BIN} decades (exact when the draws agree), values "
                    f"outside 1e{LOG10_LOW:g}..1e{LOG10_HIGH:g} counted at the edges",
                },
            ),
        },
        coords={
            "milestone": names,
            "milestone_label": ("milestone", [MILESTONE_LABELS[m] for m in names]),
            "quantile": list(QUANTILES),
            "year": ("year", np.array(scenario.probability_by), {"units": "decimal year"}),
            "status": status_names,
            "time": ("time", times, {"units": "decimal year"}),
            "path_label": ("path", [label for _, label, _ in PATHS]),
            "path_unit": ("path", [unit for _, _, unit in PATHS]),
            "date": (
                "date",
                scenario.start + edges / DATE_BINS_PER_YEAR,
                {"units": "decimal year"},
            ),
        },
    )
    ds = ds.assign_coords(path=[p for p, _, _ in PATHS])
    from_data, still_peer = link_report(scenario)
    ds.attrs.update(
        scenario=scenario.name,
        title=scenario.title,
        kind=NAME,
        family=NAME,
        peer=f"{aifm.PEER} @ {aifm.PEER_COMMIT[:8]}",
        start=float(scenario.start),
        end=float(scenario.end),
        draws=int(acc.n),
        draws_ok=n_ok,
        failed=int(acc.n - n_ok),
        rs_clamped=int(acc.clamped),
        deterministic=int(not scenario.uncertain()),
        published_priors=int(scenario.published),
        seed=int(seed),
        engine=engine,
        rationale=scenario.rationale,
        parameters="; ".join(
            f"{k} = {src.describe()}" for k, src in sorted(scenario.parameters.items())
        ),
        sources=sources_line(scenario),
        from_data=from_data,
        still_peer=still_peer,
        dropped_correlations=", ".join(scenario.dropped_correlations),
    )
    return ds


def sources_line(scenario: AifmScenario) -> str:
    """Where the scenario's numbers come from, in one line."""
    parts = []
    if scenario.published:
        parts.append(
            "the published Monte Carlo priors and correlations (sampling_config.yaml, "
            "aifm_priors.toml)"
        )
    else:
        parts.append("the published defaults (model_config.py)")
    series = "constant_training_compute_growth_rate" in scenario.parameters or any(
        u.name == "training_compute" for u in scenario.links
    )
    parts.append(
        "training compute growth from the time-series parameters"
        if series
        else "the published input series (input_data.csv)"
    )
    uncertain = [
        k
        for k, v in scenario.parameters.items()
        if not k.startswith("link.") and not isinstance(v, Fixed)
    ]
    if not scenario.published and uncertain:
        parts.append(f"uncertain: {', '.join(sorted(uncertain))}")
    return "; ".join(parts)


def link_report(scenario: AifmScenario) -> tuple[str, str]:
    """(the links from data, the links still the peer's) as text."""
    used = {u.name: u for u in scenario.links}
    posterior = sorted(
        f"{k} <- {v.source}:{v.variable}"
        for k, v in scenario.parameters.items()
        if isinstance(v, FromPosterior) and not k.startswith("link.") and k not in scenario.linked()
    )
    from_data = [u.describe() for u in scenario.links] + posterior
    peer = [
        f"{spec.label} ({', '.join(spec.sets)}: {missing_link_reason(spec) or 'not linked here'})"
        for name, spec in LINKS.items()
        if name not in used
    ]
    return "; ".join(from_data) or "none", "; ".join(peer)


def per_draw_aifm(scenario: AifmScenario, blocks: list[AifmBlock]) -> xr.Dataset:
    """Per-draw results (local engine, keep_draws=True): dates, statuses, paths, parameters."""
    ds = xr.Dataset(
        {
            "milestone_date": (
                ("draw", "milestone"),
                np.concatenate([b.dates for b in blocks]),
                {"units": "decimal year", "long_name": "inf: not reached; NaN: the draw failed"},
            ),
            "status": (
                "draw",
                np.array(list(STATUSES.values()))[np.concatenate([b.status for b in blocks])],
            ),
            "rs_clamped": ("draw", np.concatenate([b.clamped for b in blocks])),
            "path_value": (
                ("path", "draw", "time"),
                np.concatenate([b.paths for b in blocks], axis=1),
            ),
        },
        coords={
            "draw": np.arange(sum(b.status.shape[0] for b in blocks)),
            "milestone": list(aifm.MILESTONES),
            "path": [p for p, _, _ in PATHS],
            "time": blocks[0].times,
        },
    )
    for key in blocks[0].values:
        ds[key.replace(".", "_")] = ("draw", np.concatenate([b.values[key] for b in blocks]))
    return ds


# --- reports -----------------------------------------------------------------------------------


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        ("   " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))).rstrip()
        for r in rows
    ]


def _date(summary, x: float, decimals: int = 2) -> str:
    if math.isnan(x):
        return "-"
    if math.isinf(x):
        return f"after {summary.attrs['end']:g}"
    return f"{x:.{decimals}f}"


def _value(x: float) -> str:
    """A path quantile; at the edges of the histograms' range, the bound it is."""
    if x >= 10.0 ** (LOG10_HIGH - LOG10_BIN):
        return f">={10.0**LOG10_HIGH:.0e}"
    if 0 < x <= 10.0 ** (LOG10_LOW + LOG10_BIN):
        return f"<={10.0**LOG10_LOW:.0e}"
    return formatting.number(x)


def _p(p: float, se: float) -> str:
    return "-" if math.isnan(p) else f"{p:.3f} ± {se:.3f}"


def _status_line(summary) -> str:
    counts = [
        (str(s), int(c))
        for s, c in zip(summary["status"].values, summary["status_count"].values, strict=True)
    ]
    text = ", ".join(f"{s} {c:,}" for s, c in counts if c)
    failed = summary.attrs["failed"]
    if summary.attrs["deterministic"]:
        text = ", ".join(s for s, c in counts if c)
    line = f"   status{'' if summary.attrs['deterministic'] else 'es'}: {text}"
    if failed:
        line += f" ({failed:,} failed: their dates are left out of every number above)"
    if summary.attrs.get("rs_clamped"):
        line += (
            f"; research stock held at the 1e30 clamp before {summary.attrs['end']:g} (as the "
            f"peer does): {summary.attrs['rs_clamped']:,}"
        )
    return line


def _header(summary) -> list[str]:
    a = summary.attrs
    draws = (
        "one trajectory (every input is a fixed number)"
        if a["deterministic"]
        else f"{a['draws']:,} draws"
    )
    lines = [
        f"== {a['scenario']}: {a['title']}",
        f"   aifm (the AI Futures Model's core, {a['peer']}), {draws}, seed {a['seed']}, "
        f"engine {a['engine']}; {a['start']:g} to {a['end']:g}",
        f"   sources: {a['sources']}",
        f"   links from data: {a['from_data']}",
    ]
    if a["from_data"] != "none" and a["still_peer"]:
        lines.append(f"   links still the peer's: {a['still_peer']}")
    if a.get("dropped_correlations"):
        lines.append(
            f"   published correlations dropped (a parameter no longer the published prior): "
            f"{a['dropped_correlations']}"
        )
    return lines


def format_aifm_summary(summary: xr.Dataset) -> str:
    """The table printed for an aifm scenario: milestone dates (quantiles, or the date of the
    one trajectory), P(by year) ± s.e., statuses, and the paths on a yearly grid."""
    a = summary.attrs
    lines = _header(summary)
    names = list(summary["milestone"].values)
    if a["deterministic"]:
        rows = [["milestone", "", "date"]]
        for m in names:
            d = float(summary["milestone_date"].sel(milestone=m, quantile=0.5))
            rows.append([m, str(summary["milestone_label"].sel(milestone=m).values), _date(
                summary, d, 3)])  # fmt: skip
        lines += _table(rows)
        lines.append(_status_line(summary))
        lines.append("   paths on a yearly grid:")
        rows = [["year", *(f"{label} [{unit}]" for _, label, unit in PATHS)]]
        for t in summary["time"].values:
            rows.append(
                [f"{t:g}"]
                + [
                    formatting.number(
                        float(summary["path_quantile"].sel(path=p, time=t, quantile=0.5)), 4
                    )
                    for p, _, _ in PATHS
                ]
            )
        lines += _table(rows)
        return "\n".join(lines)
    years = [float(y) for y in summary["year"].values]
    rows = [["milestone", "10%", "median", "90%", *(f"P(by {y:g})" for y in years)]]
    rows[0].append(f"P(by {a['end']:g})")
    for m in names:
        q = summary["milestone_date"].sel(milestone=m)
        row = [m] + [_date(summary, float(q.sel(quantile=x))) for x in (0.1, 0.5, 0.9)]
        for y in years:
            row.append(
                _p(
                    float(summary["p_by"].sel(milestone=m, year=y)),
                    float(summary["p_by_se"].sel(milestone=m, year=y)),
                )
            )
        row.append(
            _p(
                float(summary["p_reached"].sel(milestone=m)),
                float(summary["p_reached_se"].sel(milestone=m)),
            )
        )
        rows.append(row)
    lines += _table(rows)
    lines.append(_status_line(summary))
    shown = [t for t in summary["time"].values if t in (2025, 2027, 2030, 2035, 2040, 2045, 2050)]
    if shown:
        lines.append("   paths, median [10%, 90%] of the draws:")
        rows = [["year", *(f"{label} [{unit}]" for _, label, unit in PATHS)]]
        for t in shown:
            cells = [f"{t:g}"]
            for p, _, _ in PATHS:
                v = summary["path_quantile"].sel(path=p, time=t)
                cells.append(
                    f"{_value(float(v.sel(quantile=0.5)))} "
                    f"[{_value(float(v.sel(quantile=0.1)))}, {_value(float(v.sel(quantile=0.9)))}]"
                )
            rows.append(cells)
        lines += _table(rows)
    return "\n".join(lines)


def _interval(summary, m: str) -> str:
    q = summary["milestone_date"].sel(milestone=m)
    if summary.attrs["deterministic"]:
        return _date(summary, float(q.sel(quantile=0.5)))
    return (
        f"{_date(summary, float(q.sel(quantile=0.5)))} "
        f"[{_date(summary, float(q.sel(quantile=0.1)))}, "
        f"{_date(summary, float(q.sel(quantile=0.9)))}]"
    )


def _moved(base, other, m: str) -> str:
    out = []
    for x in (0.1, 0.5, 0.9):
        a = float(base["milestone_date"].sel(milestone=m, quantile=x))
        b = float(other["milestone_date"].sel(milestone=m, quantile=x))
        if math.isfinite(a) and math.isfinite(b):
            out.append(f"{b - a:+.2f}")
        elif a == b:
            out.append("=")
        elif math.isinf(b) and b > 0:
            out.append("later")
        elif math.isinf(a) and a > 0:
            out.append("earlier")
        else:
            out.append("-")
    return "/".join(out)


def format_comparison(summaries: list[xr.Dataset]) -> str:
    """Side by side: milestone medians and 10-90% intervals per scenario, how the 10%, median
    and 90% dates moved against the first scenario, and P(by year) ± s.e."""
    base = summaries[0]
    names = [str(s.attrs["scenario"]) for s in summaries]
    draws = ", ".join(
        f"{s.attrs['scenario']} "
        + ("one trajectory" if s.attrs["deterministic"] else f"{s.attrs['draws']:,}")
        for s in summaries
    )
    out = [f"== comparison of aifm scenarios (draws: {draws}; ± one Monte Carlo standard error)"]
    for s in summaries:
        out.append(f"   {s.attrs['scenario']}: links from data: {s.attrs['from_data']}")
        if s.attrs["from_data"] != "none" and s.attrs["still_peer"]:
            indent = " " * len(str(s.attrs["scenario"]))
            out.append(f"   {indent}  still the peer's: {s.attrs['still_peer']}")
    rows = [["milestone", *(f"{n}: median [10%, 90%]" for n in names)]]
    rows[0] += [f"{n} - {names[0]} (10%/50%/90%, yr)" for n in names[1:]]
    milestones = list(base["milestone"].values)
    for m in milestones:
        rows.append(
            [m, *(_interval(s, m) for s in summaries), *(_moved(base, s, m) for s in summaries[1:])]
        )
    out += _table(rows)
    years = sorted({float(y) for s in summaries for y in s["year"].values})
    rows = [["P(milestone by year)", *names]]
    for m in milestones:
        for y in years:
            row = [f"{m} by {y:g}"]
            for s in summaries:
                if y in s["year"].values:
                    row.append(
                        _p(
                            float(s["p_by"].sel(milestone=m, year=y)),
                            float(s["p_by_se"].sel(milestone=m, year=y)),
                        )
                    )
                else:
                    row.append("-")
            rows.append(row)
    out += _table(rows)
    return "\n".join(out)


def aifm_summary_row(summary: xr.Dataset) -> dict:
    """One CSV row: per milestone its 10%/median/90% dates (inf: not reached by the end),
    P(by each year) and its standard error, P(reached by the end); the statuses."""
    a = summary.attrs
    row = {
        "scenario": a["scenario"],
        "family": a["family"],
        "draws": a["draws"],
        "seed": a["seed"],
        "engine": a["engine"],
        "draws_failed": a["failed"],
    }
    for m in summary["milestone"].values:
        q = summary["milestone_date"].sel(milestone=m)
        for x, label in ((0.1, "q10"), (0.5, "median"), (0.9, "q90")):
            row[f"{m}_date_{label}"] = float(q.sel(quantile=x))
        for y in summary["year"].values:
            row[f"{m}_p_by_{y:g}"] = float(summary["p_by"].sel(milestone=m, year=y))
            row[f"{m}_se_by_{y:g}"] = float(summary["p_by_se"].sel(milestone=m, year=y))
        row[f"{m}_p_reached"] = float(summary["p_reached"].sel(milestone=m))
    row["links_from_data"] = a["from_data"]
    return row


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    """(column, label, value): the Automated Coder, SAR and SIAR dates, P(AC by the first
    year), P(SIAR by the last year), and which links came from data."""
    years = [float(y) for y in summary["year"].values]
    what = "date" if summary.attrs["deterministic"] else "median date"
    out = [("milestone", "milestone", "AC, SAR, SIAR")]
    for m in ("AC", "SAR", "SIAR"):
        d = float(summary["milestone_date"].sel(milestone=m, quantile=0.5))
        out.append((f"{m} median", f"{m}: {what}", _date(summary, d, 1)))
        if m == "AC":
            out.append(
                (
                    "P(AC by first year)",
                    f"P(AC by {years[0]:g})",
                    formatting.probability(float(summary["p_by"].sel(milestone=m, year=years[0]))),
                )
            )
    out.append(
        (
            "P(SIAR by last year)",
            f"P(SIAR by {years[-1]:g})",
            formatting.probability(float(summary["p_by"].sel(milestone="SIAR", year=years[-1]))),
        )
    )
    n_links = summary.attrs["from_data"].count("<-")
    out.append(("links from data", "links from data", f"{n_links} of {len(LINKS)}"))
    return out


def caption(summary: xr.Dataset) -> str:
    a = summary.attrs
    text = (
        "AC: Automated Coder; SAR / SIAR: superhuman / superintelligent AI researcher; AIR-Nx: "
        "AI R&D N times faster than with humans alone. "
    )
    if a["failed"]:
        text += f"{a['failed']:,} draws failed (see the summary table) and are left out. "
    return text + f"Links from data: {a['from_data']}."


def figures(summaries: list[xr.Dataset], observations=None) -> dict:
    """Milestone CDFs and the horizon fan per scenario (and the milestones side by side when
    there are two or more), each as a function that draws it."""
    from takeoff.plots import aifm_charts

    out = {}
    observations = observations or {}
    for s in summaries:
        name = s.attrs["scenario"]
        shown = tuple(observations.get(name, ()))
        out[f"milestones_{name}.png"] = lambda s=s: aifm_charts.milestone_cdfs(s)
        out[f"fan_{name}.png"] = lambda s=s, o=shown: aifm_charts.path_fan(
            s, "horizon_minutes", observations=o, names=builtin_names()
        )
    if len(summaries) >= 2:
        out["aifm_milestones_compared.png"] = lambda: aifm_charts.milestones_compared(
            summaries, names=builtin_names()
        )
    return out


def interactive_figures(summary: xr.Dataset, observations=()) -> list:
    """(key, plotly figure): milestone CDFs, then fans of the horizon, the AI R&D speed-up and
    the software progress rate."""
    from takeoff.plots import aifm_charts

    return [
        ("aifm_cdfs", aifm_charts.interactive_milestone_cdfs(summary)),
        (
            "aifm_horizon",
            aifm_charts.interactive_path_fan(
                summary, "horizon_minutes", observations=tuple(observations), names=builtin_names()
            ),
        ),
        (
            "aifm_speedup",
            aifm_charts.interactive_path_fan(summary, "ai_rd_speedup", names=builtin_names()),
        ),
        (
            "aifm_rate",
            aifm_charts.interactive_path_fan(
                summary, "software_progress_rate", names=builtin_names()
            ),
        ),
    ]


def interactive_comparison(summaries: list[xr.Dataset]):
    """Milestone medians and 10-90% intervals of the scenarios side by side."""
    from takeoff.plots import aifm_charts

    return aifm_charts.interactive_milestones_compared(summaries, names=builtin_names())


def sensitivity_outputs(scenario: AifmScenario) -> tuple[SensitivityOutput, ...]:
    """The dates of AC, SAR and SIAR; not reached by the end is censored at the end."""

    def date_of(m: str):
        j = aifm.MILESTONES.index(m)
        return lambda block: block.dates[:, j]

    return tuple(
        SensitivityOutput(
            f"{m}_date",
            "decimal year",
            f"the {MILESTONE_LABELS[m]} ({m}) date",
            date_of(m),
            censor_at=scenario.end,
            never=f"{m} is not reached",
        )
        for m in SENSITIVITY_MILESTONES
    )


AIFM = ForecastKind(
    name=NAME,
    description="the AI Futures Model's core (AI Futures Project, 2025): milestone dates "
    "(Automated Coder, SAR, SIAR, AI R&D speed-ups)",
    families=lambda: (NAME,),
    parse=parse,
    simulate=simulate_aifm_block,
    accumulator=AifmAccumulator.empty,
    summarize=summarize_aifm,
    per_draw=per_draw_aifm,
    format=format_aifm_summary,
    row=aifm_summary_row,
    long_rows=aifm_report.long_rows,
    headline=headline,
    figures=figures,
    interactive_figures=interactive_figures,
    interactive_comparison=interactive_comparison,
    comparison_figures=aifm_report.comparison_figures,
    headline_table=aifm_report.headline_table,
    observations=aifm_report.observations,
    report_sections=aifm_report.report_sections,
    caption=caption,
    sensitivity_outputs=sensitivity_outputs,
    compare=format_comparison,
    batch_blocks=True,  # every draw is integrated on its own: the batch does not change a result
)


__all__ = [
    "AIFM",
    "LINKS",
    "AifmScenario",
    "horizon_link",
    "metr_p80_over_p50",
    "software_rate_link",
    "training_compute_link",
]

"""What the dynamics explorer needs, shaped for widgets: a slider grid per parameter, draws
spread around the slider values, one simulation reduced to what the page shows, and the grid
of a regime map. Simulation, regimes, blow-up times and doubling times come from
``takeoff.models``; this module only chooses grids and reduces the results for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from takeoff.models import doubling_time, get_family, solve, time_grid
from takeoff.models.spec import Family, Parameter, State

SPREADS = (0.0, 0.1, 0.25, 0.5, 1.0)  # band width: a fraction of each default prior's spread
DRAWS = (1_000, 10_000, 100_000)
YEARS = (1, 2, 5, 10, 15, 20, 30, 50, 75, 100, 150, 200)
POINTS = 101  # time points of a trajectory
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
MAP_AXES = {  # regime map: (x, y) parameters per family
    "power_law": ("alpha", "k"),
    "compute_feedback": ("gamma", "eta"),
    "jones_software": ("beta", "rho"),
    "horizon": ("eps", "T0"),
    "hyperbolic_growth": ("B", "s"),
}
KEYHOLE = {("power_law", "alpha"): 1.0, ("horizon", "eps"): 0.0, ("hyperbolic_growth", "B"): 0.0}
DEFAULT_YEARS = {"hyperbolic_growth": 100}


@dataclass(frozen=True)
class Slider:
    """A slider's choices for one parameter or initial state."""

    name: str
    label: str
    help: str
    options: tuple[float, ...]
    default: float
    log: bool


def _round(x: float, digits: int = 3) -> float:
    return float(f"{x:.{digits}g}") if math.isfinite(x) and x != 0 else float(x)


def _nice_step(width: float) -> float:
    raw = width / 100
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _options(lo: float, hi: float, default: float, log: bool) -> tuple[float, ...]:
    if log:
        values = {_round(v) for v in np.geomspace(lo, hi, 81)}
    else:
        step = _nice_step(hi - lo)
        start, stop = math.ceil(lo / step), math.floor(hi / step)
        decimals = max(0, -math.floor(math.log10(step)) + 1)
        values = {round(i * step, decimals) for i in range(start, stop + 1)}
    if math.isfinite(default):
        values.add(float(default))
    return tuple(sorted(values))


def parameter_slider(p: Parameter) -> Slider:
    """Choices spanning the parameter's default prior (0.1% to 99.9%) and its default, inside
    its valid range; log-spaced when the span is wide and positive."""
    lo, hi = (float(v) for v in p.prior.ppf(np.array([0.001, 0.999])))
    if math.isfinite(p.default):
        lo, hi = min(lo, p.default), max(hi, p.default)
    if lo <= p.valid.low:
        lo = p.valid.low if p.valid.low_closed else _above(p.valid.low, hi)
    if hi >= p.valid.high:
        hi = p.valid.high if p.valid.high_closed else hi * (1 - 1e-9)
    log = lo > 0 and hi / lo >= 20
    options = _options(lo, hi, p.default, log)
    if not math.isfinite(p.default):  # e.g. no ceiling (S_max = inf)
        options = (*options, p.default)
    unit = f" [{p.unit}]" if p.unit else ""
    return Slider(p.name, f"{p.name}{unit}", p.description, options, p.default, log)


def _above(low: float, hi: float) -> float:
    return low + 1e-3 * (hi - low)


def state_slider(s: State) -> Slider:
    """Initial value of a state: two decades either side of its default, log-spaced."""
    d = s.default
    options = tuple(sorted({_round(v) for v in np.geomspace(d / 100, d * 100, 41)} | {d}))
    unit = f" [{s.unit}]" if s.unit else ""
    return Slider(s.name, f"initial {s.name}{unit}", s.description, options, d, True)


def snap(options: tuple[float, ...], value: float) -> float:
    """The option nearest ``value`` (options from a URL or an older session may not match)."""
    return min(options, key=lambda o: abs(o - value) if math.isfinite(o) else math.inf)


def map_axes(family: Family) -> tuple[str, str]:
    names = family.parameter_names
    return MAP_AXES.get(family.name, (names[0], names[1] if len(names) > 1 else names[0]))


# --- simulation ------------------------------------------------------------------------------


def spread_draws(
    family: Family, centre: dict[str, float], spread: float, n: int, seed: int
) -> dict[str, np.ndarray]:
    """``n`` draws per parameter around the slider values: the default prior's draws, moved to
    be centred on the slider value and scaled by ``spread`` (on a log scale for parameters
    whose slider is log-spaced), kept inside the parameter's valid range."""
    rng = np.random.default_rng(seed)
    out = {}
    for p in family.parameters:
        v = float(centre[p.name])
        if spread == 0 or not math.isfinite(v):
            out[p.name] = np.full(n, v)
            continue
        z = p.prior.sample(rng, n)
        median = float(p.prior.ppf(np.array([0.5]))[0])
        if parameter_slider(p).log and v > 0:
            x = v * np.exp(spread * (np.log(z) - math.log(median)))
        else:
            x = v + spread * (z - median)
        lo = p.valid.low if p.valid.low_closed else np.nextafter(p.valid.low, np.inf)
        hi = p.valid.high if p.valid.high_closed else np.nextafter(p.valid.high, -np.inf)
        out[p.name] = np.clip(x, lo, hi)
    return out


@dataclass
class Explored:
    """One view of the explorer: the trajectory at the slider values and the draws' bands."""

    time: np.ndarray  # years since start
    quantity: str
    unit: str
    central: np.ndarray
    stop: float  # years since start at which the central trajectory blew up (inf: never)
    exact_blowup: bool  # whether ``stop`` is the family's exact t* (else: the numerical cap)
    regime: str
    indicators: dict[str, float]
    indicator_notes: dict[str, str]
    level: np.ndarray  # the doubling-time curve: level of the first state ...
    doubling_years: np.ndarray  # ... and its doubling time
    level_label: str
    bands: dict[float, np.ndarray] | None = None
    draws: int = 0
    share_blowup: float = 0.0  # share of draws that blew up within the horizon
    statuses: dict[str, int] = field(default_factory=dict)


def explore(
    family_name: str,
    centre: dict[str, float],
    y0: dict[str, float],
    years: float,
    quantity: str,
    spread: float = 0.0,
    draws: int = 10_000,
    seed: int = 0,
) -> Explored:
    """Simulate the slider values (and, with ``spread`` > 0, ``draws`` draws around them) for
    ``years`` and reduce to what the explorer shows."""
    family = get_family(family_name)
    t = time_grid(years, POINTS)
    one = solve(family, centre, y0, t)
    state = quantity if quantity in family.state_names else family.state_names[0]
    dt = doubling_time(family, one, state)
    t_cap = float(one["t_cap"][0])
    exact = "t_blowup" in one and math.isfinite(float(one["t_blowup"][0]))
    stop = float(one["t_blowup"][0]) if exact else t_cap
    keep = one["time"].values < t_cap
    ds_unit = one[quantity].attrs.get("units", "")
    indicators = {
        name: float(one[name][0])
        for name in (family.indicator_notes or {})
        if name in one and np.ndim(one[name].values) == 1
    }
    result = Explored(
        time=t,
        quantity=quantity,
        unit=ds_unit,
        central=one[quantity].values[0],
        stop=stop,
        exact_blowup=exact,
        regime=str(one["regime"].values[0]),
        indicators=indicators,
        indicator_notes=dict(family.indicator_notes or {}),
        level=one[state].values[0][keep],
        doubling_years=dt.values[0][keep],
        level_label=f"{state} [{one[state].attrs.get('units', '')}]",
    )
    if spread > 0:
        many = solve(family, spread_draws(family, centre, spread, draws, seed), y0, t)
        values = np.ascontiguousarray(many[quantity].values.T)  # (time, draw): fast rows
        q = np.quantile(values, QUANTILES, axis=1)
        result.bands = dict(zip(QUANTILES, q, strict=True))
        result.draws = draws
        result.share_blowup = float(np.isfinite(many["t_cap"].values).mean())
        names, counts = np.unique(many["status"].values, return_counts=True)
        result.statuses = {str(k): int(c) for k, c in zip(names, counts, strict=True)}
    return result


@dataclass
class RegimeGrid:
    x: np.ndarray
    y: np.ndarray
    years: np.ndarray  # (len(y), len(x)): time to blow-up, inf where there is none
    exact: bool  # exact t* (closed form) or the time the numerical solution hit the cap
    log_x: bool
    log_y: bool
    keyhole_x: float | None


def regime_grid(
    family_name: str,
    x_name: str,
    y_name: str,
    others: dict[str, float],
    y0: dict[str, float],
    years: float,
    resolution: int | None = None,
) -> RegimeGrid:
    """Blow-up times over a grid of two parameters (their slider ranges), the others at their
    slider values: the family's exact t* where it has one, else the time the solver stopped at
    the cap within ``years``."""
    family = get_family(family_name)
    sx, sy = (parameter_slider(family.parameter(n)) for n in (x_name, y_name))
    exact = family.blowup_time is not None
    resolution = resolution or (100 if family.log_closed_form is not None else 40)
    axes = []
    for s in (sx, sy):
        finite = [o for o in s.options if math.isfinite(o)]
        lo, hi = finite[0], finite[-1]
        axes.append(np.geomspace(lo, hi, resolution) if s.log else np.linspace(lo, hi, resolution))
    X, Y = np.meshgrid(*axes)
    params = {k: v for k, v in others.items() if k not in (x_name, y_name)}
    params[x_name], params[y_name] = X.ravel(), Y.ravel()
    ds = solve(family, params, y0, np.array([0.0, float(years)]))
    t = ds["t_blowup"].values if exact else ds["t_cap"].values
    return RegimeGrid(
        x=axes[0],
        y=axes[1],
        years=t.reshape(X.shape),
        exact=exact,
        log_x=sx.log,
        log_y=sy.log,
        keyhole_x=KEYHOLE.get((family.name, x_name)),
    )

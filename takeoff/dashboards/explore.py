"""What the dynamics explorer needs, shaped for widgets: the slider choices of each parameter
and initial state, and the axes of the regime map from them. Simulation, bands, regimes, blow-up
times and doubling times come from ``takeoff.models.sweep``; this module only chooses grids.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from takeoff.models import get_family
from takeoff.models.family import Parameter, State
from takeoff.models.sweep import RTOL, RegimeGrid, Sweep, sweep
from takeoff.models.sweep import regime_grid as _regime_grid

SPREADS = (0.0, 0.1, 0.25, 0.5, 1.0)  # band width: a fraction of each default prior's spread
DRAWS = (1_000, 10_000, 100_000)
# A slider move first draws the band of LIVE_DRAWS draws (families with a closed form) or
# LIVE_DRAWS_INTEGRATED (without one: research_loop's 1,000 took ~100 ms of a 150 ms budget at a
# load of 3-8; 500 took 48 ms, 250 35 ms at a load of 4, most of the rest the integrator's cost
# per step, not per draw: what a move waits for before its chart is sent), then the band of all
# the draws asked for once the browser has drawn it.
LIVE_DRAWS = 1_000
LIVE_DRAWS_INTEGRATED = 250
LIVE_RTOL = 1e-4  # ... integrated to this tolerance (families without a closed form; else 1e-5)
YEARS = (1, 2, 5, 10, 15, 20, 30, 50, 75, 100, 150, 200)


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


@functools.cache
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


@functools.cache
def state_slider(s: State) -> Slider:
    """Initial value of a state: two decades either side of its default, log-spaced."""
    d = s.default
    options = tuple(sorted({_round(v) for v in np.geomspace(d / 100, d * 100, 41)} | {d}))
    unit = f" [{s.unit}]" if s.unit else ""
    return Slider(s.name, f"initial {s.name}{unit}", s.description, options, d, True)


def snap(options: tuple[float, ...], value: float) -> float:
    """The option nearest ``value`` (options from a URL or an older session may not match)."""
    return min(options, key=lambda o: abs(o - value) if math.isfinite(o) else math.inf)


def shown_quantities(family_name: str) -> tuple[list[str], str]:
    """What the explorer can show for a family (its states, then its derived quantities) and
    what it shows by default (the last derived quantity, else the first state)."""
    family = get_family(family_name)
    quantities = list(family.state_names) + [d.name for d in family.derived]
    return quantities, quantities[-1] if family.derived else quantities[0]


@functools.cache
def log_scaled(family_name: str) -> tuple[str, ...]:
    """The parameters whose sliders (and bands) are log-spaced."""
    family = get_family(family_name)
    return tuple(p.name for p in family.parameters if parameter_slider(p).log)


def live_draws(draws: int, spread: float, family_name: str = "power_law") -> int:
    """How many draws the band of a slider move has before it is refined to ``draws``: the
    first run after a move draws LIVE_DRAWS, or LIVE_DRAWS_INTEGRATED for a family without a
    closed form (a 5% quantile of 250 draws is within ~0.13 standard deviations of the 10,000
    draws' one for a normal spread: sqrt(0.05 0.95 / 250) / 0.103; redrawn within a second),
    the rerun the browser asks for once it has drawn them has all of them. No band (spread 0)
    or few draws: no refinement."""
    closed = get_family(family_name).log_closed_form is not None
    return min(draws, LIVE_DRAWS if closed else LIVE_DRAWS_INTEGRATED) if spread > 0 else draws


def explore(
    family_name: str,
    centre: dict[str, float],
    y0: dict[str, float],
    years: float,
    quantity: str,
    spread: float = 0.0,
    draws: int = 10_000,
    seed: int = 0,
    live: bool = False,
) -> Sweep:
    """The explorer's view: the sweep at the slider values, bands spread on the sliders' scales.
    ``live``: the quick first answer to a slider move (integrated to LIVE_RTOL)."""
    rtol = LIVE_RTOL if live else RTOL
    scales = log_scaled(family_name)
    return sweep(family_name, centre, y0, years, quantity, spread, draws, seed, scales, rtol)


def regime_grid(
    family_name: str,
    x_name: str,
    y_name: str,
    others: dict[str, float],
    y0: dict[str, float],
    years: float,
    resolution: int | None = None,
) -> RegimeGrid:
    """The regime map over the two parameters' slider ranges, the others at their values."""
    family = get_family(family_name)
    sx, sy = (parameter_slider(family.parameter(n)) for n in (x_name, y_name))
    resolution = resolution or (100 if family.log_closed_form is not None else 40)
    axes = []
    for s in (sx, sy):
        finite = [o for o in s.options if math.isfinite(o)]
        lo, hi = finite[0], finite[-1]
        axes.append(np.geomspace(lo, hi, resolution) if s.log else np.linspace(lo, hi, resolution))
    return _regime_grid(
        family_name, x_name, y_name, axes[0], axes[1], others, y0, years, sx.log, sy.log
    )

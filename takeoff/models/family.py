"""What a model family is: the declarative pieces every family is made of.

A family is data plus a few pure functions: its states, its parameters (units, valid range,
default value, default prior), the growth rate of each state, and where the maths allows a
closed form and a blow-up time. One definition serves simulation, fitting and tests.

All states of the families here are positive quantities (capability, compute, software level,
task horizon, output), so a family writes its dynamics as *growth rates* d ln y / dt of the
log-states. The integrator works in log-states (stable over hundreds of orders of magnitude);
the ordinary vector field f(t, y, theta) = y * growth_rate(t, ln y, theta) is derived from it.

Array conventions: ``params`` maps each parameter name to an array of shape (n,) (one value per
draw); state arrays have shape (n, s), draws on the leading axis; ``tau`` is time since the
start of the simulation in years, a scalar, an (n,) array or anything that broadcasts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution

Params = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Interval:
    """A range of valid values; open or closed at each end (inf allowed as a closed end)."""

    low: float = -math.inf
    high: float = math.inf
    low_closed: bool = False
    high_closed: bool = False

    def contains(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return above & below

    def __str__(self) -> str:
        lo = "[" if self.low_closed else "("
        hi = "]" if self.high_closed else ")"
        return f"{lo}{self.low:g}, {self.high:g}{hi}"


POSITIVE = Interval(0.0, math.inf)
NON_NEGATIVE = Interval(0.0, math.inf, low_closed=True)
REAL = Interval()


@dataclass(frozen=True)
class Parameter:
    """A model parameter: symbol, units, meaning, valid range, default value and prior."""

    name: str
    unit: str
    description: str
    default: float
    valid: Interval
    prior: Distribution

    def describe(self) -> str:
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{self.name}{unit}: {self.description} (default {self.default:g}, in {self.valid})"


@dataclass(frozen=True)
class State:
    """A state variable (always positive); ``default`` is its default initial value; ``axis``
    the title of a figure's axis showing it, in words with its unit (default: the description
    and the unit)."""

    name: str
    unit: str
    description: str
    default: float = 1.0
    axis: str = ""

    @property
    def axis_title(self) -> str:
        return self.axis or f"{self.description} [{self.unit}]"

    def describe(self) -> str:
        unit = f" [{self.unit}]" if self.unit else ""
        return f"{self.name}{unit}: {self.description} (default initial value {self.default:g})"


@dataclass(frozen=True)
class Derived:
    """A quantity computed from the log-states (and the time since start), e.g. capability
    I = a C^gamma. ``log_value(log_states, params, tau)``: log_states (s, n, T), params (n,)
    arrays, tau broadcasting against (n, T) -> ln of the quantity, (n, T)."""

    name: str
    unit: str
    description: str
    log_value: Callable[[np.ndarray, Params, np.ndarray], np.ndarray]
    axis: str = ""  # a figure's axis title, in words with the unit (as for State)

    @property
    def axis_title(self) -> str:
        return self.axis or f"{self.description} [{self.unit}]"


@dataclass(frozen=True)
class Family:
    """A model family of recursive self-improvement dynamics.

    ``growth_rate(tau, log_y, params)`` returns d ln y / dt with the shape of ``log_y`` (n, s).
    ``log_closed_form(tau, log_y0, params)``, where the solution is known exactly, returns
    ln y with shape (n, s, T) for ``tau`` of shape (T,) (or (n, 1) for one time per draw);
    it is +inf at and after a blow-up. ``blowup_time(log_y0, params)`` returns the exact
    finite-time-singularity time in years since start (inf where there is none).
    ``regime(log_y0, params)`` labels each draw; ``indicators`` returns named per-draw numbers
    that characterise it (e.g. the effective returns exponent).
    """

    name: str
    summary: str
    equation: str
    states: tuple[State, ...]
    parameters: tuple[Parameter, ...]
    growth_rate: Callable[[np.ndarray, np.ndarray, Params], np.ndarray]
    regime: Callable[[np.ndarray, Params], np.ndarray]
    log_closed_form: Callable[[np.ndarray, np.ndarray, Params], np.ndarray] | None = None
    blowup_time: Callable[[np.ndarray, Params], np.ndarray] | None = None
    indicators: Callable[[np.ndarray, Params], dict[str, np.ndarray]] | None = None
    indicator_notes: Mapping[str, str] = field(default_factory=dict)
    derived: tuple[Derived, ...] = ()
    # Optional: per-draw constants the growth rate needs (e.g. logs of parameters), computed
    # once per solve and merged into the params the integrator passes to ``growth_rate``.
    prepare: Callable[[Params], dict[str, np.ndarray]] | None = None
    # Optional: ln of an upper bound no state can pass, (n, s), inf where there is none.
    log_ceiling: Callable[[Params], np.ndarray] | None = None
    # Optional, for families with exogenous inputs growing in time (hardware, labour) or with
    # quantities defined relative to the start: the parameters of the same dynamics with the
    # clock restarted ``dt`` years later (n,), from the log-states reached then (n, s).
    rebase: Callable[[Params, np.ndarray, np.ndarray], dict[str, np.ndarray]] | None = None
    # Facts the explorer shows: the two parameters of the regime map (x, y), the value of a
    # parameter at which the regime changes (the "keyhole", e.g. alpha = 1), and the default
    # span of years to simulate.
    map_axes: tuple[str, str] | None = None
    keyhole: Mapping[str, float] = field(default_factory=dict)
    default_years: float = 20.0

    def regime_map_axes(self) -> tuple[str, str]:
        """The (x, y) parameters of the regime map: declared, else the first two."""
        if self.map_axes is not None:
            return self.map_axes
        names = self.parameter_names
        return (names[0], names[1] if len(names) > 1 else names[0])

    def restarted(self, params: Params, dt: np.ndarray, log_y: np.ndarray) -> dict[str, np.ndarray]:
        """Parameters for continuing a simulation from time ``dt`` (with the log-states
        ``log_y`` reached then) with the clock at zero."""
        return dict(params) if self.rebase is None else self.rebase(params, dt, log_y)

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise TakeoffError(
            f"unknown parameter '{name}' for family {self.name}; "
            f"valid parameters: {', '.join(self.parameter_names)}"
        )

    def vector_field(self, t: np.ndarray, y: np.ndarray, params: Params) -> np.ndarray:
        """dy/dt for positive states y of shape (n, s)."""
        y = np.asarray(y, dtype=float)
        return y * self.growth_rate(t, np.log(y), params)

    def describe(self) -> str:
        lines = [f"{self.name}: {self.summary}", f"  {self.equation}", "  states:"]
        lines += [f"    {s.describe()}" for s in self.states]
        lines.append("  parameters:")
        lines += [f"    {p.describe()}" for p in self.parameters]
        return "\n".join(lines)


@dataclass(frozen=True)
class PeerModel:
    """A reproduced peer model that is not an ODE family: it is stepped its own way (the
    software-intelligence-explosion recursion, one doubling at a time; the AI Futures Model's
    own core) but declares its parameters like every family (``Parameter``: unit, valid range,
    default, prior as a ``Distribution``). ``inputs`` are the parameters of its exogenous input
    series (found by name like the others, listed apart); ``variants`` its structural variants.
    """

    name: str
    summary: str
    equation: str
    parameters: tuple[Parameter, ...]
    inputs: tuple[Parameter, ...] = ()
    variants: tuple[str, ...] = ()

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for p in (*self.inputs, *self.parameters):
            if p.name == name:
                return p
        raise TakeoffError(
            f"unknown parameter '{name}' for {self.name}; "
            f"valid parameters: {', '.join(self.parameter_names)}"
        )

    def describe(self) -> str:
        lines = [f"{self.name}: {self.summary}", f"  {self.equation}", "  parameters:"]
        lines += [f"    {p.describe()}" for p in self.parameters]
        if self.inputs:
            lines.append("  input series:")
            lines += [f"    {p.describe()}" for p in self.inputs]
        if self.variants:
            lines.append(f"  variants: {', '.join(self.variants)}")
        return "\n".join(lines)


def resolve_parameters(
    family: Family, values: Mapping[str, float | np.ndarray] | None, n: int | None = None
) -> dict[str, np.ndarray]:
    """Fill defaults, check names, values and ranges, and broadcast every parameter to (n,)."""
    values = dict(values or {})
    for name in values:
        family.parameter(name)  # raises for an unknown name
    arrays = {
        p.name: _as_float_array(values.get(p.name, p.default), f"parameter {p.name}")
        for p in family.parameters
    }
    n = _common_length(arrays, n)
    out = {}
    for p in family.parameters:
        a = np.broadcast_to(arrays[p.name], (n,)).astype(float)
        _check(a, p.valid, f"parameter {p.name} of {family.name}", p.unit)
        out[p.name] = a
    return out


def resolve_initial_state(
    family: Family, values: Mapping[str, float | np.ndarray] | None, n: int
) -> np.ndarray:
    """Initial states as an (n, s) array; every state must be finite and positive."""
    values = dict(values or {})
    unknown = set(values) - set(family.state_names)
    if unknown:
        raise TakeoffError(
            f"unknown state '{sorted(unknown)[0]}' for family {family.name}; "
            f"valid states: {', '.join(family.state_names)}"
        )
    columns = []
    for s in family.states:
        a = _as_float_array(values.get(s.name, s.default), f"initial state {s.name}")
        if a.ndim == 1 and a.shape[0] not in (1, n):
            raise TakeoffError(
                f"initial state {s.name} has {a.shape[0]} values but there are {n} draws; "
                "give one value or one per draw"
            )
        a = np.broadcast_to(a, (n,)).astype(float)
        _check(a, POSITIVE, f"initial state {s.name} of {family.name}", s.unit)
        columns.append(a)
    return np.stack(columns, axis=1)


def _as_float_array(value, what: str) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TakeoffError(
            f"{what} must be a number or an array of numbers; got {value!r}"
        ) from None
    if a.ndim > 1:
        raise TakeoffError(f"{what} must be a number or a 1-D array (one value per draw)")
    return a


def _common_length(arrays: Mapping[str, np.ndarray], n: int | None) -> int:
    lengths = {name: a.shape[0] for name, a in arrays.items() if a.ndim == 1 and a.shape[0] != 1}
    target = n if n is not None else max(lengths.values(), default=1)
    for name, length in lengths.items():
        if length != target:
            raise TakeoffError(
                f"parameter {name} has {length} values but other inputs have {target}; "
                "give one value or the same number of draws for every parameter"
            )
    return target


def _check(a: np.ndarray, valid: Interval, what: str, unit: str) -> None:
    bad = np.isnan(a) | ~valid.contains(a)
    if bad.any():
        i = int(np.argmax(bad))
        where = f" (draw {i})" if a.shape[0] > 1 else ""
        unit = f" [{unit}]" if unit else ""
        raise TakeoffError(f"{what}{unit} must be in {valid}; got {a[i]:g}{where}")

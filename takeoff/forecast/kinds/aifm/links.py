"""The aifm kind's links: takeoff's fits in the AI Futures Model's parameters (:data:`LINKS`,
what a scenario uses of them, :class:`LinkUse`) and the mappings, each exact in its own
terms: :func:`horizon_link` (``horizon_dynamics``), :func:`software_rate_link`
(``algorithmic_progress``) and :func:`training_compute_link` (``compute_trend``)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np


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

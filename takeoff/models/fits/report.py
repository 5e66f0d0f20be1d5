"""Plain-text summaries of a fit: every summary variable with its 94% interval, then the
quantities a reader comes for (doubling times, P(eps > 0), singularity dates, allocations)."""

from __future__ import annotations

import math

import numpy as np

from takeoff.models.fits.registry import get_fit


def _interval(values: np.ndarray, unit: str = "", digits: int = 4) -> str:
    lo, mid, hi = np.quantile(values, [0.03, 0.5, 0.97])
    u = f" {unit}" if unit else ""
    return f"{mid:.{digits}g}{u} (94% interval {lo:.{digits}g} to {hi:.{digits}g})"


def _draws(idata, name: str) -> np.ndarray:
    return idata.posterior[name].values.reshape(-1)


def headline(idata) -> list[str]:
    """The fit's key results as lines of text."""
    attrs = idata.posterior.attrs
    name = attrs["fit_name"]
    lines = [
        f"{name}: {get_fit(name).title}",
        f"data: {attrs.get('data_source')} ({attrs.get('n_observations')} observations); "
        f"fixed: {attrs.get('fixed', 'none')}; sampler {attrs.get('sampler')}, "
        f"seed {attrs.get('seed')}",
    ]
    extra = _EXTRAS.get(name)
    if extra is not None:
        lines += extra(idata, attrs)
    return lines


def _horizon(idata, attrs):
    t_ref = float(attrs["const_t_ref"])
    eps = _draws(idata, "eps")
    T_days = _draws(idata, "doubling_time_days")
    lines = [
        f"doubling time at {t_ref:.2f}: {_interval(T_days, 'days')}",
        f"eps (change of doubling time per doubling, 2^-eps): {_interval(eps)}",
    ]
    if np.ptp(eps) > 0:
        lines.append(
            f"P(eps > 0) = {np.mean(eps > 0):.3f}  (superexponential: finite-time blow-up)"
        )
        up = eps > 0
        if up.any():
            blowup = t_ref + (T_days[up] / 365.25) / (eps[up] * math.log(2))
            lines.append(f"implied blow-up date given eps > 0: {_interval(blowup, '', 6)}")
    return lines


def _gwp(idata, attrs):
    B = _draws(idata, "B")
    lines = [f"B: {_interval(B)}"]
    if np.ptp(B) > 0:
        lines.append(f"P(B > 0) = {np.mean(B > 0):.3f}")
        t = _draws(idata, "t_singularity")
        if np.isfinite(t).any():
            lines.append(f"singularity year (where B > 0): {_interval(t[np.isfinite(t)], '', 6)}")
    return lines


def _chinchilla(idata, attrs):
    from takeoff.models.fits.chinchilla import compute_optimal

    lines = [f"{v}: {_interval(_draws(idata, v))}" for v in ("E", "alpha", "beta", "a")]
    for c in (5.76e23, 1e25):
        opt = compute_optimal(idata.posterior, np.array([c]))
        n, d = opt["N_opt"][:, 0], opt["D_opt"][:, 0]
        lines.append(
            f"compute-optimal at C = {c:.3g} FLOP: N = {_interval(n, '', 3)}, "
            f"D = {_interval(d, '', 3)}, D/N = {_interval(d / n, '', 3)}"
        )
    return lines


def _trend(idata, attrs):
    return [
        f"growth per year: {_interval(_draws(idata, 'growth_per_year'), 'x')}",
        f"doubling time: {_interval(_draws(idata, 'doubling_time_months'), 'months')}",
    ]


def _capability(idata, attrs):
    return [
        f"ECI points per 10x compute: {_interval(_draws(idata, 'slope'))}",
        f"after the knee: {_interval(_draws(idata, 'slope_after_knee'))}",
        f"knee at log10 FLOP: {_interval(_draws(idata, 'knee_log10_compute'))}",
    ]


def _returns(idata, attrs):
    names = ("E", "A", "alpha") if "alpha" in idata.posterior else ("floor", "slope", "mid")
    return [f"{v}: {_interval(_draws(idata, v))}" for v in names]


def _readout(idata, attrs):
    """The chain's doubling times (kappa = 1 and fitted kappa) beside the directly fitted one."""
    from takeoff.data.posteriors import load_posterior, shipped_names

    t_ref = float(attrs["const_t_ref"])
    lines = [
        f"kappa (per-step failure ∝ (L − E)^kappa): {_interval(_draws(idata, 'kappa'))}",
        "horizon doubling time implied by the Chinchilla law + compute trend:",
        f"  kappa = 1 (p^n compounding null): "
        f"{_interval(_draws(idata, 'null_doubling_days'), 'days')}",
        f"  fitted kappa:                      "
        f"{_interval(_draws(idata, 'readout_doubling_days'), 'days')}",
    ]
    for stem, what in (("horizon_dynamics", "free eps"), ("horizon_dynamics_eps0", "eps = 0")):
        if stem in shipped_names():
            post = load_posterior(stem, ["doubling_time_days"])
            t = post["doubling_time_days"].values.reshape(-1)
            lines.append(
                f"  fitted directly ({stem}, {what}, at {t_ref:.2f}): {_interval(t, 'days')}"
            )
    return lines + _readout_loo(idata)


def _readout_loo(idata) -> list[str]:
    """LOO of the read-out against the shipped horizon trends, when fitted to the same data."""
    from takeoff.data.posteriors import posteriors_dir, shipped_names
    from takeoff.errors import TakeoffError
    from takeoff.models.fits.compare import compare, format_comparison
    from takeoff.models.fits.io import load_fit

    if "log_likelihood" not in idata.groups():
        return []
    fits = {"horizon_readout": idata}
    for stem in ("horizon_dynamics", "horizon_dynamics_eps0"):
        if stem in shipped_names():
            fits[stem] = load_fit(posteriors_dir() / f"{stem}.nc")
    try:
        table = compare(fits)
    except TakeoffError:  # other data (a user's CSV, --since): nothing to compare with
        return []
    return ["LOO against the shipped horizon trends (same observations):", format_comparison(table)]


_EXTRAS = {
    "horizon_readout": _readout,
    "horizon_dynamics": _horizon,
    "gwp_hyperbolic": _gwp,
    "chinchilla": _chinchilla,
    "compute_trend": _trend,
    "hardware_trend": _trend,
    "capability_vs_compute": _capability,
    "returns_curve": _returns,
}

"""Regenerate the small posteriors shipped inside the package (takeoff/data/posteriors/).

    takeoff ship [--draws 1000] [--seed 0] [--only STEM ...]

Each default fit (and the nested regimes used for comparisons) is sampled on its bundled data,
checked for convergence (a fit that did not converge is not shipped), thinned to 400 posterior
draws (100 posterior-predictive draws, float32 log-likelihood) and written as NetCDF, so that
forecasts and the dashboard work at once after install without PyMC sampling anything. A chained
fit (horizon_readout) is fitted on the upstream posteriors fitted in the same run (the shipped
ones where its upstream fits are not part of the run).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np


class Shipped(NamedTuple):
    """A shipped posterior: the fit, the parameters it holds fixed and its structural variant
    (a Regime's, "" for the fit's own): the fit as run, or one of its compared regimes."""

    fit: str
    fixed: dict[str, float]
    variant: str = ""

    @property
    def is_regime(self) -> bool:
        return bool(self.fixed or self.variant)


SHIPPED: dict[str, Shipped] = {
    "chinchilla": Shipped("chinchilla", {}),
    "compute_trend": Shipped("compute_trend", {}),
    "hardware_trend": Shipped("hardware_trend", {}),
    "capability_vs_compute": Shipped("capability_vs_compute", {}),
    "horizon_dynamics": Shipped("horizon_dynamics", {}),
    "horizon_dynamics_eps0": Shipped("horizon_dynamics", {"eps": 0.0}),
    "gwp_hyperbolic": Shipped("gwp_hyperbolic", {}),
    "gwp_hyperbolic_B0": Shipped("gwp_hyperbolic", {"B": 0.0}),
    "horizon_readout": Shipped("horizon_readout", {}),
    "algorithmic_progress": Shipped("algorithmic_progress", {}),
    "software_returns": Shipped("software_returns", {}),
    "software_returns_lm": Shipped("software_returns_lm", {}),
}
POSTERIOR_DRAWS = 400
PREDICTIVE_DRAWS = 100


def thin(idata, posterior_draws: int = POSTERIOR_DRAWS, predictive_draws: int = PREDICTIVE_DRAWS):
    """A small copy: evenly spaced draws per chain; predictive and log-likelihood as float32."""
    chains = idata.posterior.sizes["chain"]
    per_chain = max(1, posterior_draws // chains)
    n = idata.posterior.sizes["draw"]
    keep = np.linspace(0, n - 1, per_chain).astype(int)
    small = idata.isel(draw=keep)
    pp_keep = np.linspace(0, per_chain - 1, max(1, predictive_draws // chains)).astype(int)
    small.posterior_predictive = small.posterior_predictive.isel(draw=pp_keep).astype("float32")
    small.log_likelihood = small.log_likelihood.astype("float32")
    # the log density is "lp" from PyMC's NUTS, "logp" from nutpie
    kept = [v for v in ("diverging", "lp", "logp") if v in small.sample_stats]
    small.sample_stats = small.sample_stats[kept]
    return small


def ship(
    out_dir: Path,
    draws: int = 1000,
    seed: int = 0,
    only: list[str] | None = None,
    say: Callable[[str], None] = print,
) -> list[Path]:
    """Fit, check and write every shipped posterior (or the stems in ``only``) into
    ``out_dir``; a fit that did not converge stops the run with its problems named."""
    from takeoff.errors import TakeoffError
    from takeoff.models.fits import FitOptions, diagnose, fit, get_fit, save_fit

    unknown = sorted(set(only or ()) - set(SHIPPED))
    if unknown:
        raise TakeoffError(
            f"unknown shipped posterior '{unknown[0]}'; choose from: {', '.join(SHIPPED)}"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    written, fitted = [], {}
    for stem, (name, fixed, variant) in SHIPPED.items():
        if only and stem not in only:
            continue
        spec = get_fit(name)
        say(f"fitting {stem} ...")
        upstream = {u: fitted[u] for u in spec.upstream if u in fitted}
        idata = fit(
            spec,
            fixed=fixed,
            options=FitOptions(variant=variant),
            upstream=upstream,
            draws=draws,
            seed=seed,
            progress=False,
        )
        diagnostics = diagnose(idata, spec.summary_vars)
        if not diagnostics.converged:
            raise TakeoffError(
                f"{stem} did not converge ({'; '.join(diagnostics.problems)}): not shipped"
            )
        if not (fixed or variant):
            fitted[name] = idata
        path = save_fit(thin(idata), out_dir / f"{stem}.nc")
        say(f"  wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")
        written.append(path)
    return written

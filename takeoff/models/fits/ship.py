"""Regenerate the small posteriors shipped inside the package (takeoff/data/posteriors/).

    takeoff ship [--draws 1000] [--seed 0] [--only STEM ...]

Each default fit (and the nested regimes used for comparisons) is sampled on its bundled data,
checked for convergence (a fit that did not converge is not shipped), thinned to 400 posterior
draws (100 posterior-predictive draws, float32 log-likelihood) and written as NetCDF, so that
forecasts and the dashboard work at once after install without PyMC sampling anything. A chained
fit (horizon_readout) is fitted on the upstream posteriors fitted in the same run (the shipped
ones where its upstream fits are not part of the run). Which posteriors ship is declared by
each fit (``FitSpec.shipped``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from takeoff.models.fits.registry import FITS


class ShippedEntry(NamedTuple):
    """A shipped posterior: the fit, the parameters it holds fixed and its structural variant
    (a Regime's, "" for the fit's own): the fit as run, or one of its compared regimes."""

    fit: str
    fixed: dict[str, float]
    variant: str = ""

    @property
    def is_regime(self) -> bool:
        return bool(self.fixed or self.variant)


def shipped_posteriors() -> dict[str, ShippedEntry]:
    """Every shipped posterior by file stem, as each fit declares them (``FitSpec.shipped``):
    the fits in registry order, a chained fit (``upstream``) deferred to a later pass until the
    fits it reads are placed, so that ``takeoff ship`` fits the upstream posteriors first."""
    order: list[str] = []
    while len(order) < len(FITS):
        placed = len(order)
        for name, spec in FITS.items():
            if name not in order and set(spec.upstream) <= set(order):
                order.append(name)
        if len(order) == placed:
            raise ValueError("the fits' upstream chains name an unknown fit or form a loop")
    return {
        s.stem: ShippedEntry(name, dict(s.fixed), s.variant)
        for name in order
        for s in FITS[name].shipped
    }


SHIPPED: dict[str, ShippedEntry] = shipped_posteriors()
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

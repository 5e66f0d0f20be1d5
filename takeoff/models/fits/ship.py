"""Regenerate the small posteriors shipped inside the package (takeoff/data/posteriors/).

    python -m takeoff.models.fits.ship [--draws 1000] [--seed 0] [--only STEM ...]

Each default fit (and the nested regimes used for comparisons) is sampled on its bundled data,
checked for convergence (a fit that did not converge is not shipped), thinned to 400 posterior
draws (100 posterior-predictive draws, float32 log-likelihood) and written as NetCDF, so that
forecasts and the dashboard work at once after install without PyMC sampling anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

SHIPPED: dict[str, tuple[str, dict[str, float]]] = {
    # file stem: (fit name, fixed parameters)
    "chinchilla": ("chinchilla", {}),
    "compute_trend": ("compute_trend", {}),
    "hardware_trend": ("hardware_trend", {}),
    "capability_vs_compute": ("capability_vs_compute", {}),
    "horizon_dynamics": ("horizon_dynamics", {}),
    "horizon_dynamics_eps0": ("horizon_dynamics", {"eps": 0.0}),
    "gwp_hyperbolic": ("gwp_hyperbolic", {}),
    "gwp_hyperbolic_B0": ("gwp_hyperbolic", {"B": 0.0}),
    "horizon_readout": ("horizon_readout", {}),
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
    small.sample_stats = small.sample_stats[["diverging", "lp"]]
    return small


def ship(
    out_dir: Path, draws: int = 1000, seed: int = 0, only: list[str] | None = None
) -> list[Path]:
    from takeoff.models.fits import diagnose, fit, get_fit, save_fit

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, (name, fixed) in SHIPPED.items():
        if only and stem not in only:
            continue
        spec = get_fit(name)
        print(f"fitting {stem} ...", flush=True)
        idata = fit(spec, fixed=fixed, draws=draws, seed=seed, progress=False)
        diagnostics = diagnose(idata, spec.summary_vars)
        if not diagnostics.converged:
            raise SystemExit(
                f"{stem} did not converge ({'; '.join(diagnostics.problems)}): not shipped"
            )
        path = save_fit(thin(idata), out_dir / f"{stem}.nc")
        print(f"  wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")
        written.append(path)
    return written


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    default = Path(__file__).resolve().parents[2] / "data" / "posteriors"
    parser.add_argument("--out", type=Path, default=default)
    parser.add_argument("--only", nargs="+", help="ship only these stems")
    args = parser.parse_args(argv)
    ship(args.out, args.draws, args.seed, args.only)


if __name__ == "__main__":
    main()

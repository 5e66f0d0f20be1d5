"""Benchmark: the joint ``research_loop`` fit with its PyTensor RK4 path against the same model
with the path from ``pm.ode.DifferentialEquation`` (scipy odeint with forward sensitivities).

Both models are the fit's own (same data, priors and likelihood: ``likelihood_with`` swaps only
the function that returns ln S at the path's nodes); pm.ode integrates the same two legs from
the start (backwards by reversing time, forwards) and reports ln S at the same nodes. The RK4
model is sampled with the fit's default sampler (nutpie, numba) cold (build, compile and sample
in a fresh process) and warm (the compiled model re-run); pm.ode's op has no numba form, so it
runs with PyMC's NUTS at small settings. ESS/s is the smallest bulk ESS over the fit's free
parameters divided by the sampling wall time. Run in one process:

    python benchmarks/bench_loop_fit.py [--draws 200] [--tune 300] [--ode-draws 20]

Target: ESS/s ratio >= 50x. Timings on a shared machine: read them with the load average.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

import numpy as np


def ode_path_nodes(p, tau_min, tau_max, step, readout, forward_substeps=1):
    """loop_path.path_nodes's result from pm.ode (on the same nodes): backwards (time
    reversed) and forwards."""
    import pymc as pm
    import pytensor.tensor as pt

    from takeoff.models import loop_path

    back, fwd = loop_path.node_grid(tau_min, tau_max, step, forward_substeps)
    keys = sorted(p)
    log_th = loop_path.log_theta(p, readout)
    theta = pt.stack([log_th, *(pt.as_tensor_variable(p[k]) for k in keys)])

    def field(sign):
        def f(y, t, th):
            q = {k: th[i + 1] for i, k in enumerate(keys)}
            return [sign * loop_path.software_rate(y[0], sign * t, q, th[0], readout)]

        return f

    legs = []
    for sign, grid in ((-1.0, -back[1:]), (1.0, fwd[1:])):
        ode = pm.ode.DifferentialEquation(
            func=field(sign), times=grid, n_states=1, n_theta=len(keys) + 1, t0=0
        )
        legs.append(ode(y0=[0.0], theta=theta)[:, 0])
    nodes = np.r_[back[::-1], fwd[1:]]
    zero = pt.zeros((1,))
    return nodes, pt.concatenate([legs[0][::-1], zero, legs[1]])


def min_ess_per_s(idata, names, seconds):
    import arviz as az

    ess = az.ess(idata, var_names=list(names))
    low = min(float(ess[n].min()) for n in names)
    return low, low / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--tune", type=int, default=300)
    parser.add_argument("--ode-draws", type=int, default=20)
    args = parser.parse_args()

    from takeoff.models.fits.fitting import sample
    from takeoff.models.fits.research_loop_fit import RESEARCH_LOOP_FIT, likelihood_with
    from takeoff.models.fits.tables import bundled_table, prepare

    print(f"load average at start: {os.getloadavg()}")
    spec = RESEARCH_LOOP_FIT
    frame, _ = bundled_table(spec)
    prepared = prepare(spec, frame, spec_options())
    free = [p.name for p in spec.priors_for(prepared)]
    runs = {}
    for label, seed in (("cold", 1), ("warm", 2)):
        t0 = time.perf_counter()
        idata = sample(
            spec, prepared, draws=args.draws, tune=args.tune, chains=2, seed=seed,
            progress=False, posterior_predictive=False, log_likelihood=False,
        )  # fmt: skip
        runs[label] = (time.perf_counter() - t0, idata)
        div = int(idata.sample_stats["diverging"].sum())
        ess, rate = min_ess_per_s(idata, free, runs[label][0])
        print(
            f"RK4 + nutpie {label}: {runs[label][0]:.1f} s wall ({args.tune}+{args.draws} x 2 "
            f"chains), min bulk ESS {ess:.0f}, ESS/s {rate:.2f}, divergences {div}"
        )
    warm_rate = min_ess_per_s(runs["warm"][1], free, runs["warm"][0])[1]

    import pymc as pm

    ode_spec = dataclasses.replace(spec, likelihood=likelihood_with(ode_path_nodes))
    t0 = time.perf_counter()
    model = ode_spec.build(prepared)
    with model:
        idata = pm.sample(
            draws=args.ode_draws, tune=args.ode_draws, chains=1, random_seed=3,
            progressbar=False, compute_convergence_checks=False,
        )  # fmt: skip
    seconds = time.perf_counter() - t0
    ess, rate = min_ess_per_s(idata, free, seconds)
    print(
        f"pm.ode + PyMC NUTS: {seconds:.1f} s wall ({args.ode_draws}+{args.ode_draws} x 1 "
        f"chain), min bulk ESS {ess:.1f}, ESS/s {rate:.4f}"
    )
    print(f"ESS/s ratio RK4 (warm) / pm.ode: {warm_rate / rate:.0f}x (target >= 50x)")
    print(f"load average at end: {os.getloadavg()}")


def spec_options():
    from takeoff.models.fits import FitOptions

    return FitOptions()


if __name__ == "__main__":
    main()

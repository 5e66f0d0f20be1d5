"""Benchmark: takeoff's PyMC fits against the usual ways of fitting the same models.

1. ``horizon_dynamics`` (closed form inside PyMC) against THE SAME statistical model written with
   ``pm.ode.DifferentialEquation``: same priors, same Student-t likelihood on ln H with scale
   sqrt(sigma_obs^2 + scatter^2), same data (bundled METR table, ``prepare``), same sampler
   settings (``spec.build`` / the ODE model, then ``pm.sample``; jitter+adapt_diag NUTS).

   ODE formulation. In log-space relative to the reference, u(τ) = ln H − ln H_ref with
   τ = t − t_ref, the law dH/dt = (ln 2/T) H (H/H_ref)^eps is

       du/dτ = k exp(eps u),   u(0) = 0,   k = ln 2 · 365.25 / T_days  [1/year],

   an initial-value problem at the reference date, so no initial state has to be solved for.
   It is integrated both ways from τ = 0 with two ``DifferentialEquation`` ops (state u,
   theta = (k, eps), t0 = 0): one forward over the data's τ >= 0 in increasing order, one
   backward over τ < 0 in decreasing order (odeint integrates backward when its output times
   decrease). ln H_i = ln H_ref + u(τ_i), reordered to the data's order. The script checks it
   against the closed form ``takeoff.models.bernoulli.log_path`` (K = k H_ref^-eps, m = 1 + eps)
   at several parameter points (max |Δ ln H| must be < 1e-4) and checks that both PyMC models
   give the same log-density there.

   One change to pm.ode: where the solution blows up inside the data span (eps > 0 forward,
   eps < 0 backward, past t_ref ± T/(|eps| ln 2)), it does not exist there, and odeint stops
   with "excess work done" and returns partial, meaningless numbers that pm.ode passes on as
   a finite log-density. The op here returns NaN instead (NUTS rejects the point as a
   divergence); the closed form clips φ there and returns a finite, enormous misfit. Both
   exclude that region; with unchecked pm.ode a trial run had one chain stall for over
   15 minutes among slow failing solves.

   Figure of merit: ESS per second, the min bulk ESS over the free parameters (bulk ESS is
   rank-based, so log_doubling_days stands for doubling_time_days) divided by the wall time
   from building the model to the end of ``pm.sample``, compilation included. pm.ode runs fewer
   draws (default 2 chains x (500 tune + 500 draws), the two chains on the two cores, as ours).
   Ours runs at the fit's defaults (4 chains x (1000 + 1000)) and at pm.ode's settings.
   Target: ours >= 50x pm.ode's ESS/s.

2. ``chinchilla``: wall time of ``takeoff.models.fits.fitting.fit`` (model build, compilation,
   sampling, log-likelihood and posterior predictive) to a posterior with min bulk ESS >= 1000
   over (E, A, B, alpha, beta), with the default PyMC sampler and with nutpie. Target: <= 20 s.
   Baseline: Hoffmann et al.'s approach as replicated by Besiroglu et al. (2024), a bootstrap of
   1,000 refits, each on a resample (with replacement) of the 245 points, minimising the Huber
   loss (delta = 1e-3) of the residuals on ln L in the log-sum-exp form
       ln L̂ = LSE(a − alpha x, b − beta y, e),   x, y = ln N, ln D centred on their means,
   (A = exp(a + alpha mean ln N), B = exp(b + beta mean ln D), E = exp(e)) with
   ``scipy.optimize.least_squares(loss="huber", f_scale=1e-3)``, which is exactly that Huber
   loss, and an analytic Jacobian. The start is the best of 32 refits of the full data from a
   2^5 grid; every bootstrap refit starts from the full-data optimum. All 245 points are used
   (the same as the Bayesian fit; Epoch's notebook drops 5 high-loss points). The bootstrap
   runs serially in this process; its time includes the grid. 94% intervals: central (3%, 97%)
   quantiles for both the posterior and the bootstrap. For reference the script also prints the
   Huber fit with Epoch's outlier rule (the 5 highest-loss points dropped).

Run in one process (takes ~3-4 minutes on 2 cores):

    python benchmarks/bench_fits.py [--seed 0] [--ode-draws 500] [--ode-tune 500] [--boot 1000]
                                    [--pymc-draws 1000] [--nutpie-draws 1250] [--cold-cache]

PyTensor caches compiled C code across runs (its compiledir); the figures are for a warm cache
unless ``--cold-cache`` (a fresh, temporary compiledir) is given. Even then, C code shared by
several runs (e.g. the Student-t log-density) is compiled once, by the first run that needs it:
ours, before pm.ode, so the cold figures are conservative for ours.
"""

from __future__ import annotations

import argparse
import atexit
import itertools
import math
import os
import shutil
import tempfile
import time
import warnings

import numpy as np

HORIZON_FREE = ("log_h_ref", "log_doubling_days", "eps", "scatter", "nu")
CHINCHILLA_VARS = ("E", "A", "B", "alpha", "beta")
ESS_TARGET = 1000
HUBER_DELTA = 1e-3


# --------------------------------------------------------------------------- horizon, pm.ode


def _checked_ode_class():
    """pm.ode.DifferentialEquation returning NaN when odeint fails (see the module docstring)."""
    import pymc as pm
    import scipy.integrate

    class CheckedODE(pm.ode.DifferentialEquation):
        def _simulate(self, y0, theta):
            s0 = np.concatenate([y0, self._sens_ic])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", scipy.integrate.ODEintWarning)
                sol, info = scipy.integrate.odeint(
                    func=self._system,
                    y0=s0,
                    t=self._augmented_times,
                    args=(np.concatenate([y0, theta]),),
                    full_output=True,
                )
            if info["message"] != "Integration successful.":
                sol = np.full_like(sol, np.nan)
            y = sol[1:, : self.n_states]
            sens = sol[1:, self.n_states :].reshape(self.n_times, self.n_states, self.n_p)
            return y, sens

    return CheckedODE


def ode_log_h(tau, log_h_ref, rate, eps):
    """ln H at the data's τ by two pm.ode solves of du/dτ = k exp(eps u), u(0) = 0: forward over
    τ >= 0 (increasing), backward over τ < 0 (decreasing)."""
    import pytensor.tensor as pt

    ode = _checked_ode_class()

    def rhs(y, t, theta):
        return [theta[0] * pt.exp(theta[1] * y[0])]

    fwd = np.flatnonzero(tau >= 0)
    bwd = np.flatnonzero(tau < 0)
    fwd = fwd[np.argsort(tau[fwd], kind="stable")]
    bwd = bwd[np.argsort(-tau[bwd], kind="stable")]
    theta = pt.stack([rate, eps])
    y0 = pt.zeros(1)
    parts = []
    for idx in (fwd, bwd):
        if idx.size:
            op = ode(func=rhs, times=tau[idx], n_states=1, n_theta=2, t0=0.0)
            parts.append(op(y0=y0, theta=theta)[:, 0])
    order = np.argsort(np.concatenate([fwd, bwd]))
    return log_h_ref + pt.concatenate(parts)[order]


def build_ode_model(prepared):
    """horizon_dynamics with the closed-form path replaced by pm.ode; priors and likelihood as in
    takeoff.models.fits.horizon_dynamics._build (checked: same log-density)."""
    import pymc as pm

    from takeoff.units import DAYS_PER_YEAR

    a = prepared.arrays
    with pm.Model(coords={"obs": np.arange(prepared.n)}) as model:
        sigma_obs = pm.Data("sigma_obs", a["sigma_obs"], dims="obs")
        log_h_ref = pm.Normal("log_h_ref", math.log(30.0), 3.0)
        log_T = pm.Normal("log_doubling_days", math.log(200.0), 0.75)
        eps = pm.Normal("eps", 0.0, 0.3)
        scatter = pm.HalfNormal("scatter", 0.5)
        nu = pm.Gamma("nu", 2.0, 0.1)
        T_days = pm.Deterministic("doubling_time_days", pm.math.exp(log_T))
        pm.Deterministic("H_ref_minutes", pm.math.exp(log_h_ref))
        rate = math.log(2.0) * DAYS_PER_YEAR / T_days
        mu = ode_log_h(a["tau"], log_h_ref, rate, eps)
        pm.StudentT(
            "log_h",
            nu=nu,
            mu=mu,
            sigma=pm.math.sqrt(sigma_obs**2 + scatter**2),
            observed=pm.Data(f"{prepared.observed}_data", a[prepared.observed], dims="obs"),
            dims="obs",
        )
    return model


def verify_ode(prepared, closed_model, ode_model) -> None:
    """pm.ode against the closed form: ln H paths and the two models' log-densities."""
    import pytensor
    import pytensor.tensor as pt

    from takeoff.models.bernoulli import log_path
    from takeoff.models.fits.horizon_dynamics import DAYS_PER_YEAR

    tau = prepared.arrays["tau"]
    lh, lt, ep = pt.dscalars("log_h_ref", "log_T", "eps")
    path = pytensor.function(
        [lh, lt, ep], ode_log_h(tau, lh, math.log(2.0) * DAYS_PER_YEAR / pt.exp(lt), ep)
    )
    logp_closed = closed_model.compile_logp()
    logp_ode = ode_model.compile_logp()
    # (ln H_ref [ln min], T [days], eps): near the posterior, then sub- and superexponential
    points = ((2.9, 148.0, 0.15), (3.4, 200.0, 0.0), (3.0, 250.0, -0.1), (3.0, 120.0, 0.3))
    path_err, logp_err = 0.0, 0.0
    for log_h_ref, t_days, eps in points:
        k = math.log(2.0) * DAYS_PER_YEAR / t_days
        exact = log_path(tau, [log_h_ref], [k * math.exp(-eps * log_h_ref)], [1.0 + eps])[0]
        path_err = max(
            path_err, float(np.max(np.abs(path(log_h_ref, math.log(t_days), eps) - exact)))
        )
        point = closed_model.initial_point()
        point.update(
            log_h_ref=np.array(log_h_ref),
            log_doubling_days=np.array(math.log(t_days)),
            eps=np.array(eps),
            scatter_log__=np.array(math.log(0.2)),
            nu_log__=np.array(math.log(10.0)),
        )
        logp_err = max(logp_err, abs(float(logp_closed(point)) - float(logp_ode(point))))
    ok = "ok" if path_err < 1e-4 else "FAILED"
    print(
        f"  pm.ode vs closed form (bernoulli.log_path) at {len(points)} parameter points: "
        f"max |d ln H| = {path_err:.1e} (must be < 1e-4: {ok}); max |d logp| = {logp_err:.1e}"
    )
    point = closed_model.initial_point()  # T = 200 d (the prior's centre), eps = -0.3
    point.update(eps=np.array(-0.3))
    blowup = 200.0 / (0.3 * math.log(2.0) * DAYS_PER_YEAR)  # years before t_ref
    print(
        f"  past a backward blow-up (eps -0.3, T 200 d: {blowup:.1f} years before t_ref, data "
        f"from {-tau.min():.1f}): closed-form logp "
        f"{float(logp_closed(point)):.1f} (clipped), pm.ode logp {float(logp_ode(point)):.1f} "
        "(odeint fails -> NaN)"
    )


def timed_sample(make_model, *, draws, tune, chains, seed, target_accept):
    """Build and sample; returns (idata, wall incl. build and compilation, sampling-only)."""
    import pymc as pm

    start = time.perf_counter()
    model = make_model()
    with model:
        idata = pm.sample(
            draws,
            tune=tune,
            chains=chains,
            cores=min(chains, os.cpu_count() or 1),
            random_seed=seed,
            progressbar=False,
            compute_convergence_checks=False,
            target_accept=target_accept,
        )
    wall = time.perf_counter() - start
    return idata, wall, float(idata.posterior.attrs.get("sampling_time", float("nan")))


def min_ess(idata, names) -> tuple[float, str]:
    import arviz as az

    ess = az.ess(idata, var_names=list(names), method="bulk")
    values = {n: float(ess[n]) for n in names}
    worst = min(values, key=values.get)
    return values[worst], worst


def horizon_benchmark(args) -> None:
    from takeoff.models.fits.fitspec import FitOptions
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import bundled_table, prepare

    spec = get_fit("horizon_dynamics")
    frame, _ = bundled_table(spec)
    prepared = prepare(spec, frame, FitOptions())
    tau = prepared.arrays["tau"]
    print(
        f"\n== horizon_dynamics: closed form vs pm.ode ({prepared.n} METR models, "
        f"tau {tau.min():.2f} .. {tau.max():.2f} years around t_ref "
        f"{prepared.constants['t_ref']}) =="
    )

    runs = {}
    settings = {
        "ours (fit defaults)": (
            lambda: spec.build(prepared, {}),
            args.chains,
            spec.tune,
            args.draws,
        ),
        "ours (pm.ode's settings)": (
            lambda: spec.build(prepared, {}),
            args.ode_chains,
            args.ode_tune,
            args.ode_draws,
        ),
        "pm.ode": (
            lambda: build_ode_model(prepared),
            args.ode_chains,
            args.ode_tune,
            args.ode_draws,
        ),
    }
    for label, (make, chains, tune, draws) in settings.items():
        print(
            f"  sampling {label}: {chains} chains x ({tune} tune + {draws} draws) ...", flush=True
        )
        idata, wall, sampling = timed_sample(
            make,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=args.seed,
            target_accept=spec.target_accept,
        )
        ess, worst = min_ess(idata, HORIZON_FREE)
        ess_et, _ = min_ess(idata, ("eps", "doubling_time_days"))
        post = idata.posterior
        divergences = int(idata.sample_stats["diverging"].sum())
        runs[label] = ess / wall
        print(
            f"    wall {wall:.1f} s incl. build + compilation (sampling only {sampling:.1f} s); "
            f"min bulk ESS {ess:.0f} ({worst}; over eps, doubling_time_days: {ess_et:.0f}); "
            f"ESS/s {ess / wall:.1f} (sampling only {ess / sampling:.1f}); "
            f"divergences {divergences}"
        )
        eps_draws, t_draws = post["eps"].values, post["doubling_time_days"].values
        print(
            f"    posterior: eps {eps_draws.mean():.3f} +- {eps_draws.std():.3f}, "
            f"doubling time {t_draws.mean():.1f} +- {t_draws.std():.1f} days"
        )
    # after the timed runs, so that with --cold-cache its compilations do not warm their cache
    verify_ode(prepared, spec.build(prepared, {}), build_ode_model(prepared))
    for label in ("ours (fit defaults)", "ours (pm.ode's settings)"):
        print(
            f"  ratio ESS/s {label} / pm.ode: {runs[label] / runs['pm.ode']:.1f}x (target >= 50x)"
        )


# --------------------------------------------------------------------------- chinchilla


def _terms(p, x, y):
    a, b, e, alpha, beta = p
    return np.stack([a - alpha * x, b - beta * y, np.full_like(x, e)], axis=1)


def _residuals(p, x, y, log_loss):
    from scipy.special import logsumexp

    return logsumexp(_terms(p, x, y), axis=1) - log_loss


def _jacobian(p, x, y, log_loss):
    from scipy.special import softmax

    w = softmax(_terms(p, x, y), axis=1)
    return np.stack([w[:, 0], w[:, 1], w[:, 2], -w[:, 0] * x, -w[:, 1] * y], axis=1)


def huber_fit(p0, x, y, log_loss):
    """Huber(delta) on ln L residuals: least_squares' "huber" loss with f_scale = delta is
    0.5 r^2 for |r| <= delta and delta (|r| - delta/2) beyond, i.e. exactly Huber's loss."""
    from scipy.optimize import least_squares

    return least_squares(
        _residuals, p0, jac=_jacobian, args=(x, y, log_loss), loss="huber", f_scale=HUBER_DELTA
    )


def log_arrays(frame):
    """Centred ln N, ln D, ln L and the centring means."""
    ln_n = np.log(frame["N"].to_numpy(float))
    ln_d = np.log(frame["D"].to_numpy(float))
    ln_l = np.log(frame["loss"].to_numpy(float))
    return ln_n - ln_n.mean(), ln_d - ln_d.mean(), ln_l, (ln_n.mean(), ln_d.mean())


def grid_fit(x, y, ln_l):
    """The best of 32 Huber fits started from a 2^5 grid over (alpha, beta, e, a, b)."""
    best = None
    for alpha, beta, e, a, b in itertools.product(
        (0.2, 0.5), (0.2, 0.5), (0.0, 0.5), (-2, -1), (-2, -1)
    ):
        fit = huber_fit(np.array([a, b, e, alpha, beta], float), x, y, ln_l)
        if best is None or fit.cost < best.cost:
            best = fit
    return best.x


def natural(p, means) -> str:
    a, b, e, alpha, beta = p
    return (
        f"E {math.exp(e):.3f}, A {math.exp(a + alpha * means[0]):.4g}, "
        f"B {math.exp(b + beta * means[1]):.4g}, alpha {alpha:.4f}, beta {beta:.4f}"
    )


def bootstrap(frame, n_boot, seed):
    """Grid start on the full data, then n_boot refits on resamples; returns (draws of centred
    (a, b, e, alpha, beta), full-data fit, wall time, failed refits)."""
    x, y, ln_l, _ = log_arrays(frame)
    start = time.perf_counter()
    best = grid_fit(x, y, ln_l)
    rng = np.random.default_rng(seed)
    draws, failed = [], 0
    for _ in range(n_boot):
        idx = rng.integers(0, len(x), len(x))
        fit = huber_fit(best, x[idx], y[idx], ln_l[idx])
        failed += int(fit.status <= 0)
        draws.append(fit.x)
    wall = time.perf_counter() - start
    return np.array(draws), best, wall, failed


def chinchilla_benchmark(args) -> None:
    import arviz as az

    from takeoff.models.fits.fitting import fit
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import bundled_table

    spec = get_fit("chinchilla")
    frame, _ = bundled_table(spec)
    print(f"\n== chinchilla: posterior with min bulk ESS >= {ESS_TARGET} ({len(frame)} points) ==")
    walls, intervals = {}, {}
    for sampler, draws in (("pymc", args.pymc_draws), ("nutpie", args.nutpie_draws)):
        print(
            f"  run.fit sampler={sampler}: {args.chains} chains x ({spec.tune} tune + {draws} "
            "draws), incl. log-likelihood and posterior predictive ...",
            flush=True,
        )
        start = time.perf_counter()
        idata = fit(
            "chinchilla",
            sampler=sampler,
            draws=draws,
            chains=args.chains,
            seed=args.seed,
            progress=False,
        )
        wall = time.perf_counter() - start
        walls[sampler] = wall
        ess, worst = min_ess(idata, CHINCHILLA_VARS)
        rhat = float(az.rhat(idata, var_names=list(CHINCHILLA_VARS)).to_array().max())
        divergences = int(idata.sample_stats["diverging"].sum())
        sampling = float(idata.posterior.attrs.get("sampling_time", float("nan")))
        reached = "yes" if ess >= ESS_TARGET else "NO"
        print(
            f"    wall {wall:.1f} s incl. compilation (sampling only {sampling:.1f} s) "
            f"(target <= 20 s); min bulk ESS {ess:.0f} ({worst}; >= {ESS_TARGET}: {reached}); "
            f"max R-hat {rhat:.3f}; divergences {divergences}"
        )
        post = idata.posterior
        intervals[f"posterior ({sampler})"] = {
            name: np.quantile(post[name].values, [0.03, 0.5, 0.97])
            for name in ("alpha", "beta", "a")
        }

    print(
        f"  bootstrap: {args.boot} Huber (delta {HUBER_DELTA:g}) least-squares refits on "
        "resamples of the 245 points ...",
        flush=True,
    )
    draws, best, wall, failed = bootstrap(frame, args.boot, args.seed)
    print(f"    wall {wall:.1f} s (serial, incl. the 32-start grid); failed refits {failed}")
    print(f"    full-data fit (245 points): {natural(best, log_arrays(frame)[3])}")
    kept = frame[frame["loss"].rank(method="first") <= len(frame) - 5]
    x, y, ln_l, means = log_arrays(kept)
    print(
        "    for reference, Epoch's outlier rule (5 highest-loss points dropped, 240 left): "
        f"{natural(grid_fit(x, y, ln_l), means)}"
    )
    boot_alpha, boot_beta = draws[:, 3], draws[:, 4]
    intervals["bootstrap"] = {
        name: np.quantile(v, [0.03, 0.5, 0.97])
        for name, v in (
            ("alpha", boot_alpha),
            ("beta", boot_beta),
            ("a", boot_beta / (boot_alpha + boot_beta)),
        )
    }
    print("  median [94% interval]       alpha                  beta                   a")
    for label, table in intervals.items():
        cells = "  ".join(f"{q[1]:.3f} [{q[0]:.3f}, {q[2]:.3f}]" for q in table.values())
        print(f"    {label:22s}  {cells}")
    for sampler, ours in walls.items():
        print(
            f"  ratio wall bootstrap / ours ({sampler}): {wall / ours:.2f} "
            f"(ours {ours:.1f} s, target <= 20 s; bootstrap {wall:.1f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chains", type=int, default=4)
    parser.add_argument("--draws", type=int, default=1000, help="ours, horizon_dynamics")
    parser.add_argument("--ode-chains", type=int, default=2)
    parser.add_argument("--ode-tune", type=int, default=500)
    parser.add_argument("--ode-draws", type=int, default=500)
    parser.add_argument("--pymc-draws", type=int, default=1000)
    parser.add_argument("--nutpie-draws", type=int, default=1250)
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--cold-cache", action="store_true", help="fresh PyTensor compiledir")
    args = parser.parse_args()

    if args.cold_cache:  # must precede the first import of pytensor
        tmp = tempfile.mkdtemp(prefix="pytensor-cold-")
        flags = os.environ.get("PYTENSOR_FLAGS", "")
        os.environ["PYTENSOR_FLAGS"] = f"{flags},compiledir={tmp}".lstrip(",")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    cache = "cold (fresh compiledir)" if args.cold_cache else "as left by earlier runs"
    print(
        f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}; "
        f"PyTensor compile cache: {cache}"
    )
    start = time.perf_counter()
    import logging

    import pymc as pm

    logging.getLogger("pymc").setLevel(logging.WARNING)
    print(f"import pymc {pm.__version__}: {time.perf_counter() - start:.1f} s (not counted below)")
    horizon_benchmark(args)
    chinchilla_benchmark(args)
    print(
        f"\nload average at end {os.getloadavg()[0]:.2f}; total {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()

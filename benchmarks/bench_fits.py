"""Benchmark: takeoff's fits on a cold machine and a warm one, against the usual ways of fitting
the same models. Every measured run is a fresh process; "cold" is a fresh, empty HOME, PyTensor
compile directory and numba cache (what a new user and CI see), "warm" the same command again
with those caches kept. Walls are of the whole process (interpreter start, imports, model
build, compilation, sampling, log-likelihood, posterior predictive); the compile share is the
time in compilers (PyTensor function building incl. gcc, numba) over that wall.

1. How long a small fit takes cold and warm per sampler route, with the shares spent importing
   and compiling, is measured by bench_fit_startup.py (split from this file); the child
   machinery both share (compile counters, cache roots, the report) is in fitbench.py.

2. ``horizon_dynamics`` (the horizon family's closed form inside PyMC) against THE SAME
   statistical model written with ``pm.ode.DifferentialEquation``: same priors, same Student-t
   likelihood on ln H with scale sqrt(sigma_obs^2 + scatter^2), same data. ODE formulation: in
   log-space relative to the reference, u(τ) = ln H − ln H_ref with τ = t − t_ref, the law
   dH/dt = (ln 2/T) H (H/H_ref)^eps is du/dτ = k exp(eps u), u(0) = 0, k = ln 2 · 365.25 /
   T_days, integrated both ways from τ = 0 with two ``DifferentialEquation`` ops (forward over
   τ >= 0, backward over τ < 0). It is checked against the closed form at several parameter
   points (max |Δ ln H| < 1e-4) and both models' log-densities are compared. Where the solution
   blows up inside the data span odeint stops with "excess work done"; the op returns NaN
   there (NUTS rejects the point) instead of pm.ode's partial numbers. pm.ode runs 2 chains x
   (500 tune + 500 draws) with pm.sample (it has no other route); ours runs its default
   sampler at the fit's defaults and at pm.ode's settings. Figure of merit: min bulk ESS over
   the free parameters per second of the process wall. Target: ours >= 50x pm.ode, judged COLD.

3. ``chinchilla`` with min bulk ESS >= 1000 (1250 draws x 4 chains), per sampler route: cold and
   warm walls
   (target < 10 s cold), against Hoffmann et al.'s approach as replicated by Besiroglu et al.
   (2024): a bootstrap of 1,000 Huber (delta 1e-3) least-squares refits on resamples of the
   245 points (log-sum-exp form, analytic Jacobian, ``scipy.optimize.least_squares``), run
   serially in this process.

4. ``software_returns`` (the Jones law dS/dt = theta S^(1-beta) R(t)^lambda on the NanoGPT
   speedrun, solved exactly by the family's separable solution) against THE SAME model with the
   path of S from ``pm.ode.DifferentialEquation``: the fit's own FitSpec built with only its
   likelihood swapped, so priors, sampled variables (beta, lambda, log_S_end, log_S0, sigma,
   ell_days), data containers and the AR(1) residual are shared by construction. ODE: dS/dt =
   theta S^(1-beta) R(t)^lambda from S(0) = S0 at the first record, R(t) the fit's step series
   (looked up in the rhs), theta from the end level as in the fit (the quadrature I_end of
   R^lambda, a sum over the steps). Checked: both models' log-densities agree at several points
   (odeint tolerance). One pm.ode log-density gradient costs ~seconds (forward sensitivities
   across the ~66 jumps of R), so pm.ode runs only 1 chain x (--sr-ode-tune + --sr-ode-draws),
   cold and warm: its ESS from so short a run is noisy, and the per-gradient cost ratio (timed
   on the compiled logp+gradient of both models at the same points) is the robust figure.
   Ours runs its default sampler at the fit's defaults and at pm.ode's settings.

Run (in one process that starts the others; ~30-60 minutes on 2 cores, mostly pm.ode cold):

    python benchmarks/bench_fits.py [--skip-ode]
        [--sections horizon,chinchilla,software_returns] [--seed 0] [--boot 1000]
        [--sr-ode-tune 30 --sr-ode-draws 30]

The output is also written to benchmarks/last_run_fits.txt (``--out``); section 4 alone:
``--sections software_returns --out benchmarks/last_run_software_returns.txt``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import os
import tempfile
import time
import warnings
from pathlib import Path

import fitbench
import numpy as np
from fitbench import Counters, min_ess

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HORIZON_FREE = ("log_h_ref", "log_doubling_days", "eps", "scatter", "nu")
CHINCHILLA_VARS = ("E", "A", "B", "alpha", "beta")
ESS_TARGET = 1000
HUBER_DELTA = 1e-3
SECTIONS = ("horizon", "chinchilla", "software_returns")
SAMPLERS = ("nutpie-c", "nutpie", "pymc")
SECOND_SINCE = {"compute_trend": 2016.0, "hardware_trend": 2010.0, "horizon_dynamics": 2023.0}
START = time.perf_counter()


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
    from takeoff.units import DAYS_PER_YEAR

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


def _free(idata, spec) -> list[str]:
    return [p.name for p in spec.priors if p.name in idata.posterior]


def child_fit(name: str, sampler: str, draws: int, seed: int) -> dict:
    """One fit as the CLI does it, then (where the fit has dates) a second on other rows."""
    import pymc  # noqa: F401  (imports count in the process wall, not in the phases below)

    from takeoff.models.fits import FitOptions, fit, get_fit

    imported = time.perf_counter() - START
    counters = Counters()
    counters.install()
    spec = get_fit(name)
    start = time.perf_counter()
    idata = fit(name, sampler=sampler, draws=draws, seed=seed, progress=False)
    first = time.perf_counter() - start
    out = {"imports": imported, "first": first, **counters.snapshot()}
    out["ess"], out["ess_var"] = min_ess(idata, _free(idata, spec))
    out["divergences"] = int(idata.sample_stats["diverging"].sum())
    out["means"] = {v: float(idata.posterior[v].mean()) for v in spec.summary_vars[:2]}
    if name in SECOND_SINCE:
        before = counters.snapshot()
        start = time.perf_counter()
        fit(name, options=FitOptions(since=SECOND_SINCE[name]), sampler=sampler, draws=draws,
            seed=seed + 1, progress=False)  # fmt: skip
        after = counters.snapshot()
        out["second"] = time.perf_counter() - start
        out["second_compiles"] = (after["gcc_runs"] - before["gcc_runs"]) + (
            after["numba_compiles"] - before["numba_compiles"]
        )
    return out


def child_horizon(kind: str, seed: int, chains: int, tune: int, draws: int) -> dict:
    """horizon_dynamics sampled once: ours (default sampler) or pm.ode (pm.sample)."""
    import pymc as pm

    from takeoff.models.fits import FitOptions, get_fit
    from takeoff.models.fits.fitting import sample
    from takeoff.models.fits.tables import bundled_table, prepare

    spec = get_fit("horizon_dynamics")
    prepared = prepare(spec, bundled_table(spec)[0], FitOptions())
    counters = Counters()
    counters.install()
    start = time.perf_counter()
    if kind == "ode":
        with build_ode_model(prepared):
            idata = pm.sample(
                draws,
                tune=tune,
                chains=chains,
                cores=min(chains, os.cpu_count() or 1),
                random_seed=seed,
                progressbar=False,
                compute_convergence_checks=False,
                target_accept=spec.target_accept,
            )
    else:
        idata = sample(
            spec, prepared, draws=draws, tune=tune, chains=chains, seed=seed, progress=False,
            posterior_predictive=False,
        )  # fmt: skip
    out = {"sample": time.perf_counter() - start, **counters.snapshot()}
    out["ess"], out["ess_var"] = min_ess(idata, HORIZON_FREE)
    out["divergences"] = int(idata.sample_stats["diverging"].sum())
    out["eps"] = float(idata.posterior["eps"].mean())
    out["T_days"] = float(idata.posterior["doubling_time_days"].mean())
    if kind == "ode":
        verify_ode(prepared, spec.build(prepared, {}), build_ode_model(prepared))
    return out


# --------------------------------------------------------------------------- the driver


def cold_and_warm(args: list[str], scratch: Path, label: str) -> tuple[dict, dict]:
    return fitbench.cold_and_warm(__file__, args, scratch, label)


def horizon_section(say, opts, scratch) -> None:
    say("")
    say("== 2. horizon_dynamics: closed form (ours) vs pm.ode, ESS per second of process wall ==")
    runs = {
        "ours (fit defaults)": ["horizon", "ours", str(opts.seed), "4", "1000", "1000"],
        "ours (pm.ode's settings)": ["horizon", "ours", str(opts.seed), "2", "500", "500"],
        "pm.ode": ["horizon", "ode", str(opts.seed), "2", "500", "500"],
    }
    rates = {}
    for label, args in runs.items():
        cold, warm = cold_and_warm(args, scratch, f"horizon-{args[1]}-{args[3]}")
        for state, r in (("cold", cold), ("warm", warm)):
            rates[label, state] = r["ess"] / r["wall"]
            say(
                f"  {label:<25} {state}: wall {r['wall']:6.1f} s (sampling call {r['sample']:.1f} "
                f"s, compile share {r['compile_seconds'] / r['wall']:.0%}), min bulk ESS "
                f"{r['ess']:.0f} ({r['ess_var']}), ESS/s {rates[label, state]:.2f}, divergences "
                f"{r['divergences']}; eps {r['eps']:.3f}, T {r['T_days']:.0f} d"
            )
        for note in cold["notes"]:
            say(note)
    for label in ("ours (fit defaults)", "ours (pm.ode's settings)"):
        for state in ("cold", "warm"):
            say(
                f"  ratio ESS/s {label} / pm.ode, {state}: "
                f"{rates[label, state] / rates['pm.ode', state]:.1f}x (target >= 50x, cold)"
            )


# --------------------------------------------------------------------------- software_returns


SR_FREE = ("beta", "lambda", "log_S_end", "log_S0", "sigma", "ell_days")
SR_POINTS = (  # (beta, lambda, log_S_end, log_S0, sigma, ell_days): near the posterior and off
    (1.6, 0.87, 3.45, 0.0, 0.27, 114.0),
    (1.0, 0.5, 3.3, 0.1, 0.3, 60.0),
    (2.5, 0.95, 3.6, -0.1, 0.2, 200.0),
)


def _sr_ode_likelihood(prepared, data, params) -> None:
    """software_returns's likelihood with ln S at the records from pm.ode (see the module
    docstring, section 4); theta and r as the fit's Deterministics."""
    import pymc as pm
    import pytensor.tensor as pt

    from takeoff.models.fits.ar1 import ar1_observed
    from takeoff.models.jones_software import research_integral, theta_from_end
    from takeoff.units import DAYS_PER_YEAR

    grid = {k: np.asarray(v, float) for k, v in prepared.grid.items()}
    tau = prepared.arrays["tau"]
    beta, lam, log_s0 = params["beta"], params["lambda"], params["log_S0"]
    integral_end = research_integral(
        data["tau_end"], data["seg_start"], data["seg_end"], data["seg_log_r"],
        data["seg_growth"], lam,
    )  # fmt: skip
    theta = pm.Deterministic(
        "theta", theta_from_end(log_s0, params["log_S_end"], beta, integral_end)
    )
    pm.Deterministic("r", lam / beta)
    starts = pt.as_tensor(grid["seg_start"])
    log_r = pt.as_tensor(grid["seg_log_r"])
    last = grid["seg_start"].size - 1

    def rhs(y, t, p):  # p = (theta, beta, lambda); R is a step series (growth 0)
        k = pt.clip(pt.extra_ops.searchsorted(starts, t, side="right") - 1, 0, last)
        return [p[0] * y[0] ** (1.0 - p[1]) * pt.exp(p[2] * log_r[k])]

    ode = _checked_ode_class()(func=rhs, times=tau[1:], n_states=1, n_theta=3, t0=float(tau[0]))
    path = ode(y0=pt.atleast_1d(pt.exp(log_s0)), theta=pt.stack([theta, beta, lam]))
    log_s = pt.concatenate([pt.atleast_1d(log_s0), pt.log(path[:, 0])])
    ar1_observed(
        "log_speedup", log_s, params["sigma"], params["ell_days"] / DAYS_PER_YEAR, data["gap"],
        data["log_speedup"],
    )  # fmt: skip


def _sr_points(model):
    for beta, lam, log_s_end, log_s0, sigma, ell in SR_POINTS:
        point = model.initial_point()
        point.update(
            beta_log__=np.array(math.log(beta)),
            lambda_interval__=np.array(math.log(lam / (1.0 - lam))),
            log_S_end=np.array(log_s_end),
            log_S0=np.array(log_s0),
            sigma_log__=np.array(math.log(sigma)),
            ell_days_log__=np.array(math.log(ell)),
        )
        yield point


def gradient_seconds(model, repeats: int) -> tuple[float, list[float]]:
    """Seconds per log-density + gradient evaluation of ``model`` (PyTensor's default backend,
    as pm.sample's NUTS uses it; compiled and called once before timing), averaged over
    ``repeats`` calls at each of SR_POINTS; and the log-densities there."""
    from pymc.blocking import DictToArrayBijection

    fn = model.logp_dlogp_function(ravel_inputs=True)
    fn.set_extra_values({})
    logps, total, calls = [], 0.0, 0
    for point in _sr_points(model):
        x = DictToArrayBijection.map({v.name: point[v.name] for v in model.value_vars})
        logps.append(float(fn(x)[0]))
        start = time.perf_counter()
        for _ in range(repeats):
            fn(x)
        total += time.perf_counter() - start
        calls += repeats
    return total / calls, logps


def child_software_returns(kind: str, seed: int, chains: int, tune: int, draws: int) -> dict:
    """software_returns sampled once: ours (the fit's default sampler) or pm.ode (pm.sample);
    then the per-gradient cost of the model (timed after sampling; the section takes this phase,
    ``grad_phase``, off the process wall)."""
    import pymc as pm

    from takeoff.models.fits import FitOptions, get_fit
    from takeoff.models.fits.fitting import sample
    from takeoff.models.fits.tables import bundled_table, prepare

    spec = get_fit("software_returns")
    prepared = prepare(spec, bundled_table(spec)[0], FitOptions())
    counters = Counters()
    counters.install()
    start = time.perf_counter()
    if kind == "ode":
        model = dataclasses.replace(spec, likelihood=_sr_ode_likelihood).build(prepared)
        with model:
            idata = pm.sample(
                draws, tune=tune, chains=chains, cores=min(chains, os.cpu_count() or 1),
                random_seed=seed, progressbar=False, compute_convergence_checks=False,
                target_accept=spec.target_accept,
            )  # fmt: skip
    else:
        idata = sample(
            spec, prepared, draws=draws, tune=tune, chains=chains, seed=seed, progress=False,
            posterior_predictive=False,
        )  # fmt: skip
    out = {"sample": time.perf_counter() - start, **counters.snapshot()}
    out["ess"], out["ess_var"] = min_ess(idata, SR_FREE)
    out["divergences"] = int(idata.sample_stats["diverging"].sum())
    for name in ("beta", "lambda", "r"):
        out[name] = float(idata.posterior[name].median())
    start = time.perf_counter()  # not part of the fit: taken off the process wall
    model = model if kind == "ode" else spec.build(prepared)
    out["grad_seconds"], out["logps"] = gradient_seconds(model, 2 if kind == "ode" else 200)
    out["grad_phase"] = time.perf_counter() - start
    return out


def software_returns_section(say, opts, scratch) -> None:
    say("")
    say(
        "== 4. software_returns: exact separable solution (ours) vs pm.ode, ESS per second of "
        "process wall =="
    )
    ode_settings = ["1", str(opts.sr_ode_tune), str(opts.sr_ode_draws)]
    runs = {
        "ours (fit defaults)": ["software_returns", "ours", str(opts.seed), "4", "1000", "1000"],
        "ours (pm.ode's settings)": ["software_returns", "ours", str(opts.seed), *ode_settings],
        "pm.ode": ["software_returns", "ode", str(opts.seed), *ode_settings],
    }
    rates, grads, logps = {}, {}, {}
    for label, args in runs.items():
        cold, warm = cold_and_warm(args, scratch, f"sr-{args[1]}-{args[3]}-{args[5]}")
        grads[label] = warm["grad_seconds"]
        logps[label] = cold["logps"]
        for state, r in (("cold", cold), ("warm", warm)):
            r["wall"] -= r["grad_phase"]  # the gradient timing after the fit is not its wall
            rates[label, state] = r["ess"] / r["wall"]
            say(
                f"  {label:<25} {state}: wall {r['wall']:7.1f} s (sampling call {r['sample']:.1f} "
                f"s, compile share {r['compile_seconds'] / r['wall']:.0%}), min bulk ESS "
                f"{r['ess']:.0f} ({r['ess_var']}), ESS/s {rates[label, state]:.4g}, divergences "
                f"{r['divergences']}; medians beta {r['beta']:.2f}, lambda {r['lambda']:.2f}, "
                f"r {r['r']:.2f}"
            )
    diff = max(
        abs(a - b) for a, b in zip(logps["pm.ode"], logps["ours (fit defaults)"], strict=True)
    )
    say(
        f"  log-density, pm.ode vs ours at {len(SR_POINTS)} parameter points: max |d logp| = "
        f"{diff:.1e} (odeint tolerance; values {', '.join(f'{v:.3f}' for v in logps['pm.ode'])})"
    )
    say(
        f"  one log-density + gradient (warm process, compiled): ours "
        f"{grads['ours (fit defaults)'] * 1e3:.3f} ms, pm.ode {grads['pm.ode'] * 1e3:.0f} ms: "
        f"ratio {grads['pm.ode'] / grads['ours (fit defaults)']:,.0f}x (the robust figure)"
    )
    say(
        f"  pm.ode ran 1 chain x ({opts.sr_ode_tune} tune + {opts.sr_ode_draws} draws): its ESS "
        "from so short a run is NOISY (an order of magnitude either way); read the ESS/s ratios "
        "below with the per-gradient ratio above"
    )
    for label in ("ours (fit defaults)", "ours (pm.ode's settings)"):
        for state in ("cold", "warm"):
            say(
                f"  ratio ESS/s {label} / pm.ode, {state}: "
                f"{rates[label, state] / rates['pm.ode', state]:,.0f}x (target >= 50x, cold)"
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


def chinchilla_section(say, opts, scratch) -> None:
    from takeoff.models.fits.registry import get_fit
    from takeoff.models.fits.tables import bundled_table

    say("")
    say(f"== 3. chinchilla: min bulk ESS >= {ESS_TARGET} against a 1,000-refit bootstrap ==")
    results = {
        ("chinchilla", sampler): cold_and_warm(
            ["fit", "chinchilla", sampler, "1250", str(opts.seed)], scratch, f"chinchilla-{sampler}"
        )
        for sampler in SAMPLERS
    }
    for sampler in SAMPLERS:
        if ("chinchilla", sampler) in results:
            cold, warm = results["chinchilla", sampler]
            say(
                f"  {sampler}: cold {cold['wall']:.1f} s, warm {warm['wall']:.1f} s (target < 10 s "
                f"cold); min bulk ESS {cold['ess']:.0f} / {warm['ess']:.0f} (>= {ESS_TARGET}: "
                f"{'yes' if min(cold['ess'], warm['ess']) >= ESS_TARGET else 'NO'})"
            )
    frame, _ = bundled_table(get_fit("chinchilla"))
    _, best, wall, failed = bootstrap(frame, opts.boot, opts.seed)
    say(
        f"  bootstrap ({opts.boot} Huber refits, serial, in this process): {wall:.1f} s; "
        f"failed refits {failed}; full-data fit {natural(best, log_arrays(frame)[3])}"
    )
    for sampler in SAMPLERS:
        if ("chinchilla", sampler) in results:
            cold, warm = results["chinchilla", sampler]
            say(
                f"  ratio wall bootstrap / ours ({sampler}): cold {wall / cold['wall']:.2f}, "
                f"warm {wall / warm['wall']:.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-ode", action="store_true")
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--sr-ode-tune", type=int, default=30)
    parser.add_argument("--sr-ode-draws", type=int, default=30)
    parser.add_argument("--out", type=Path, default=HERE / "last_run_fits.txt")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    opts = parser.parse_args()
    if opts.child:
        kind, *rest = opts.child
        if kind == "fit":
            result = child_fit(rest[0], rest[1], int(rest[2]), int(rest[3]))
        elif kind == "software_returns":
            result = child_software_returns(rest[0], *(int(x) for x in rest[1:]))
        else:
            result = child_horizon(rest[0], *(int(x) for x in rest[1:]))
        print("RESULT " + json.dumps(result))
        return
    sections = {x for x in opts.sections.split(",") if x}
    if sections - set(SECTIONS):
        raise SystemExit(f"unknown --sections {sorted(sections - set(SECTIONS))}; of {SECTIONS}")
    say = fitbench.Report()
    say(
        f"bench_fits: {os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.2f}; "
        "every run a fresh process; cold = empty HOME, PyTensor compiledir and numba cache"
    )
    with tempfile.TemporaryDirectory(prefix="bench-fits-") as tmp:
        scratch = Path(tmp)
        if not opts.skip_ode and "horizon" in sections:
            horizon_section(say, opts, scratch)
        if "software_returns" in sections:
            software_returns_section(say, opts, scratch)
        if "chinchilla" in sections:
            chinchilla_section(say, opts, scratch)
    say(f"\nload average at end {os.getloadavg()[0]:.2f}; {time.perf_counter() - START:.0f} s")
    opts.out.write_text("\n".join(say.lines) + "\n")


if __name__ == "__main__":
    main()

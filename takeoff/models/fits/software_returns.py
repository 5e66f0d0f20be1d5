"""``software_returns`` and ``software_returns_lm``: the Jones law of motion fitted to software
progress, with research input exogenous (human research only; hardware fixed or out of S):

    dS/dt = theta S^(1-beta) R(t)^lambda       (the ``jones_software`` family with kappa = 0)

solved exactly by the family's own separable solution
(:func:`takeoff.models.jones_software.log_software` of
:func:`~takeoff.models.jones_software.research_integral`): S^beta = S0^beta + beta theta
∫ R^lambda dt, exact for the piecewise log-linear research inputs used here. The fits sample
the level reached at the end of the data, ln S_end (what the data pin down), and derive theta
(:func:`~takeoff.models.jones_software.theta_from_end`). Derived: r = lambda / beta, the
returns to software R&D once research labour scales with the software level (rho = 1): a
software intelligence explosion needs r > 1, and P(r > 1) is reported.

**software_returns** — the NanoGPT speedrun (bundled ``nanogpt_speedrun``): time to a fixed
validation loss on fixed hardware (8x H100), so the falling record time is software progress.
S = record speed relative to the first record (baseline time / record time). Rows, track 1:
re-timings are not records (dropped); the first measures the timing-rule change after record
21 (+0.064 min, a fixed number of seconds), so records 1-21 are put on the new clock; pure
library upgrades (records 7, 25, 66: PyTorch releases, progress made outside the community)
have their gain divided out of every later record and are dropped; of records set on the same
day the last (the day's frontier) is kept. 83 records. Track 2 is not fitted (14 usable rows:
nothing identified) but its credits count in R.

Research input R(t): the people credited on records (both tracks: one community; the
baselines excluded), on a daily grid: main, the distinct people credited in the trailing 180
days, floored at 1 (whoever runs the series is at work; R = 0 would freeze S). It depends only
on the past (no undercount at the end of the sample, the most informative period) and 180 days
spans a typical contributor's burst of records. Alternative (regime ``active_span``): a person
counts from 90 days before their first credit to their last. Both count successful record
setters only: R is measured from the outputs (endogenous), a proxy for people, not hours.

Likelihood — records are a running minimum of noisy attempts, so the record path wanders
around the smooth law for months (plateaus, then bursts; independent residuals have lag-1
autocorrelation ~0.9). The residual of ln S at the record dates is an Ornstein-Uhlenbeck
process (an AR(1) with phi_i = exp(−Δt_i / ell)): e_i | e_{i−1} ~ N(phi_i e_{i−1},
sigma^2 (1 − phi_i^2)), exact and O(n). Its observations are not independent, so the fit
stores as log-likelihood the exact Gaussian leave-one-out densities log p(y_i | y_−i)
(``pointwise_log_likelihood``): PSIS-LOO on them is the LOO of the non-factorised model
(Bürkner, Gabry & Vehtari 2021). Compared by LOO (``--compare``): a plain exponential in time
(``exponential``), lambda = 0 (R plays no role), and the active-span R.

*What is identified.* beta and lambda are not separately identified: the posterior is a ridge
along which both grow, and lambda presses on its upper bound 1 (the family's range, a labelled
prior that matters: with lambda <= 2 or <= 5 the issue-12 prototypes gave r 0.69 and 0.83,
still below 1). r is identified only together with lambda <= 1.

**software_returns_lm** — the same law on the language-model effective-compute path: S(t) is
the effective-compute multiplier from algorithms (S = 1 at 2012.0) in the scaling law of
:mod:`takeoff.models.fits.algorithmic_progress` (Ho form, progress shared equally by N and D':
N_e = N S^(1/2), D_e = D' S^(1/2)), and R(t) is human AI-software-R&D labour L_HUMAN from the
bundled ``aifutures_progress`` series (an ESTIMATE by the AI Futures Project, a model input,
not a measurement; log-linear between its annual points, in units of its 2012 level). Student-t
on ln perplexity. Compared by LOO with a constant rate (``const``: the shared-rate algorithmic
progress model) and lambda = 0. What is identified is essentially r ~ (growth of S) / (growth
of R) on a balanced path; labour-only R leaves out the experiment compute that grew much
faster, which biases r up. Read it as an estimate beside the speedrun's, not pooled with it.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models import scaling
from takeoff.models.distributions import Distribution
from takeoff.models.fits.algorithmic_progress import ALGORITHMIC_PROGRESS, lm_observations
from takeoff.models.fits.fitspec import (
    Export,
    FamilyLink,
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Regime,
    Role,
    require_rows,
    select_dates,
)
from takeoff.models.fits.priors import DataScaled, Prior
from takeoff.models.jones_software import log_software, research_integral, theta_from_end
from takeoff.units import DAYS_PER_YEAR

DAY = 1.0 / DAYS_PER_YEAR
TRACK = "gpt2_small_3.28"
RULE_CHANGE_MINUTES = 2.997 - 2.933  # the re-timing of record 21 under the new timing rule
LIBRARY_UPGRADES = (7, 25, 66)  # track-1 records that only upgraded PyTorch
WINDOW_DAYS = 180.0  # trailing window of the main research-input series
LEAD_DAYS = 90.0  # active span: work before a person's first credit
FIRST_GAP_YEARS = 1e3  # the first residual has no predecessor: phi = exp(-1e3 / ell) = 0
JONES = ("jones", "active_span")
LM_T0 = 2012.0  # S = 1 here in software_returns_lm


# --- the speedrun's rows ------------------------------------------------------------------------


def speedrun_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The bundled speedrun table as the fit's roles: every dated row (both tracks) with its
    credits, ``record`` true for the track-1 records fitted (treatments in the module
    docstring), ``performance`` = 1 / minutes on the new clock with library gains divided out."""
    d = frame[frame["date"].notna()].copy()
    track1 = (d["track"] == TRACK).to_numpy()
    retime = d["retime"].astype(bool).to_numpy()
    minutes = d["minutes"].to_numpy(float).copy()
    record_no = d["record"].to_numpy(float)
    minutes[track1 & (record_no <= 21) & ~retime] += RULE_CHANGE_MINUTES
    fitted = track1 & ~retime
    order = np.flatnonzero(fitted)  # track-1 records in file (date) order
    gain = np.ones(len(d))
    for k in LIBRARY_UPGRADES:
        hit = order[record_no[order] == k]
        if hit.size:
            i = int(hit[0])
            before = order[order < i][-1]
            gain[order[order >= i]] *= minutes[before] / minutes[i]
    minutes[fitted] *= gain[fitted]
    upgrade = track1 & np.isin(record_no, LIBRARY_UPGRADES)
    contributors = d["contributors"].where(record_no > 1, None)  # the baselines: not research
    out = pd.DataFrame(
        {
            "date": d["date_year"].to_numpy(float),
            "performance": 1.0 / minutes,
            "contributors": contributors.fillna("").to_numpy(object),
            "record": fitted & ~upgrade,
        }
    )
    # of records set on one day keep the last: the frontier at the end of the day
    rec = out[out["record"]]
    earlier = rec.index[rec.duplicated("date", keep="last")]
    out.loc[earlier, "record"] = False
    return out.sort_values("date", kind="stable").reset_index(drop=True)


# --- research input -----------------------------------------------------------------------------


def credits(frame: pd.DataFrame) -> pd.DataFrame:
    """(person, date) for every credit in the ``contributors`` column (';'-separated)."""
    rows = [
        (name.strip(), t)
        for text, t in zip(frame["contributors"], frame["date"], strict=True)
        if isinstance(text, str)
        for name in text.split(";")
        if name.strip()
    ]
    return pd.DataFrame(rows, columns=["person", "date"])


def people_series(frame: pd.DataFrame, t0: float, t_end: float, kind: str):
    """Daily research input from the credits on [t0, t_end]: (day edges, people per day).
    ``trailing``: distinct people credited in the trailing 180 days; ``active_span``: a person
    counts from 90 days before their first credit to their last. Floored at 1."""
    edges = np.arange(t0, t_end + DAY, DAY)
    edges[-1] = max(edges[-1], t_end)
    mids = 0.5 * (edges[:-1] + edges[1:])
    c = credits(frame)
    if c.empty:
        raise TakeoffError(
            "the contributors column credits nobody; give people credited per row "
            "(';'-separated) or a research column"
        )
    if kind == "active_span":
        span = c.groupby("person")["date"].agg(["min", "max"])
        first = span["min"].to_numpy() - LEAD_DAYS * DAY
        last = span["max"].to_numpy()
        people = ((mids[:, None] >= first) & (mids[:, None] <= last)).sum(axis=1)
    else:
        when, who = c["date"].to_numpy(float), c["person"].to_numpy()
        window = WINDOW_DAYS * DAY
        people = np.array([len(set(who[(when > m - window) & (when <= m)])) for m in mids])
    return edges, np.maximum(people, 1).astype(float)


def step_segments(edges: np.ndarray, values: np.ndarray, t0: float) -> dict[str, np.ndarray]:
    """A step series (value k on [edges_k, edges_k+1)) as segments of equal value, in years
    since ``t0``: start, end, ln R, growth 0."""
    change = np.r_[True, values[1:] != values[:-1]]
    first = np.flatnonzero(change)
    start, end = edges[first], np.r_[edges[first[1:]], edges[-1]]
    return {
        "seg_start": start - t0,
        "seg_end": end - t0,
        "seg_log_r": np.log(values[first]),
        "seg_growth": np.zeros(first.size),
    }


def ramp_segments(times: np.ndarray, values: np.ndarray, t0: float, t_end: float):
    """A series known at ``times`` (increasing), log-linear between them, as segments on
    [t0, t_end] in years since t0."""
    log_v = np.log(values)
    if times[0] > t0 + 1e-9 or times[-1] < t_end - 1e-9:
        raise TakeoffError(
            f"the research input covers {times[0]:.2f}-{times[-1]:.2f} but the records run "
            f"{t0:.2f}-{t_end:.2f}; give research input over the whole span"
        )
    growth = np.diff(log_v) / np.diff(times)
    start = np.maximum(times[:-1], t0)
    end = np.minimum(times[1:], t_end)
    keep = end > start
    log_r = log_v[:-1] + growth * (start - times[:-1])
    return {
        "seg_start": start[keep] - t0,
        "seg_end": end[keep] - t0,
        "seg_log_r": log_r[keep],
        "seg_growth": growth[keep],
    }


def research_segments(frame: pd.DataFrame, t0: float, t_end: float, kind: str):
    """The research input of a table as segments: from its ``research`` column (log-linear
    between rows) or from its ``contributors`` (people credited; ``kind`` as in
    :func:`people_series`). Returns (segments, description, daily series for figures)."""
    if "research" in frame:
        rows = frame.groupby("date", sort=True)["research"].last()
        seg = ramp_segments(rows.index.to_numpy(float), rows.to_numpy(float), t0, t_end)
        return seg, "the research column, log-linear between rows", None
    edges, people = people_series(frame, t0, t_end, kind)
    what = (
        "people credited from 90 days before their first to their last credit"
        if kind == "active_span"
        else f"distinct people credited in the trailing {WINDOW_DAYS:.0f} days"
    )
    return step_segments(edges, people, t0), what + " (at least 1)", (edges, people)


def _check_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The bad inputs of a progress series, one line each (a DataFrame skips the CSV checks)."""
    if "research" not in frame and "contributors" not in frame:
        raise TakeoffError(
            "software_returns needs a research input: give --column research=COLUMN (research "
            "input per row, e.g. people working) or --column contributors=COLUMN (people "
            "credited per row, ';'-separated)"
        )
    for role in ("performance", "research"):
        if role in frame:
            values = frame[role].to_numpy(float)
            bad = np.flatnonzero(~(values > 0) | ~np.isfinite(values))
            if bad.size:
                what = "a research input of zero freezes the law" if role == "research" else ""
                raise TakeoffError(
                    f"{role} must be positive: data row {bad[0] + 1} has {values[bad[0]]:g}"
                    + (f" ({what}); give the people or effort at work then" if what else "")
                )
    dates = frame["date"].to_numpy(float)
    back = np.flatnonzero(np.diff(dates) < 0)
    if back.size:
        raise TakeoffError(
            f"the dates are out of order: data row {back[0] + 2} is earlier than the row above; "
            "sort the rows by date"
        )
    return frame


def _records(frame: pd.DataFrame) -> pd.DataFrame:
    records = frame[frame["record"].astype(bool)] if "record" in frame else frame
    twice = records["date"].duplicated(keep=False).to_numpy()
    if twice.any():
        i = int(np.flatnonzero(twice)[0])
        raise TakeoffError(
            f"two records share the date {records['date'].iloc[i]:.4f}; keep one per date (the "
            "best of the day) or mark the others record=false"
        )
    return records


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    frame = _check_table(frame.reset_index(drop=True))
    records = _records(select_dates(frame, options))
    require_rows(records, 6, "software_returns")
    t = records["date"].to_numpy(float)
    t0, t_end = float(t[0]), float(t[-1])
    if options.variant == "exp":
        variant = "exp"
    elif options.variant == "active_span" and "contributors" in frame and "research" not in frame:
        variant = "active_span"
    elif options.variant in ("", "jones", "exp", "active_span"):
        variant = "jones"
    else:
        raise TakeoffError(f"software_returns has no variant '{options.variant}'")
    kind = "active_span" if variant == "active_span" else "trailing"
    seg, _, _ = research_segments(frame, t0, t_end, kind)
    log_perf = np.log(records["performance"].to_numpy(float))
    y = log_perf - log_perf[0]
    tau = t - t0
    gap = np.r_[FIRST_GAP_YEARS, np.diff(tau)]
    return Prepared(
        arrays={"tau": tau, "gap": gap, "log_speedup": y},
        observed="log_speedup",
        n=len(records),
        constants={"t_ref": t0, "tau_end": t_end - t0, "log_s_last": float(y[-1])},
        variant=variant,
        grid=seg,
    )


# --- the likelihood -----------------------------------------------------------------------------


def _ar1_logp(value, mu, sigma, ell, gap):
    """log p of each residual given the one before (an OU process at the record dates)."""
    import pymc as pm
    import pytensor.tensor as pt

    e = value - mu
    previous = pt.concatenate([pt.zeros((1,)), e[:-1]])
    phi = pt.exp(-gap / ell)
    sd = sigma * pt.sqrt(-pt.expm1(-2.0 * gap / ell))
    return pm.logp(pm.Normal.dist(phi * previous, sd), e)


def _ar1_draw(mu, sigma, ell, gap, size):
    """Draws of the OU residual path: e = L (sd z), L_ij = exp(-(T_i - T_j)/ell) for j <= i."""
    import pymc as pm
    import pytensor.tensor as pt

    T = pt.concatenate([pt.zeros((1,)), pt.cumsum(gap[1:])])
    lag = T[:, None] - T[None, :]
    L = pt.exp(-pt.abs(lag) / ell) * (lag >= 0)
    sd = sigma * pt.sqrt(-pt.expm1(-2.0 * gap / ell))
    z = pm.Normal.dist(0.0, 1.0, shape=mu.shape)
    return mu + pt.dot(L, sd * z)


def ar1_observed(name: str, mu, sigma, ell, gap, observed) -> None:
    import pymc as pm

    pm.CustomDist(
        name, mu, sigma, ell, gap, logp=_ar1_logp, dist=_ar1_draw, observed=observed, dims="obs"
    )


def _jones_log_s(data, params, log_s0):
    """ln S at the observations by the family's law, and theta (a Deterministic); also r."""
    import pymc as pm

    lam, beta = params["lambda"], params["beta"]
    grid = (data["seg_start"], data["seg_end"], data["seg_log_r"], data["seg_growth"])
    integral = research_integral(data["tau"], *grid, lam)
    integral_end = research_integral(data["tau_end"], *grid, lam)
    theta = pm.Deterministic(
        "theta", theta_from_end(log_s0, params["log_S_end"], beta, integral_end)
    )
    pm.Deterministic("r", lam / beta)
    return log_software(integral, log_s0, beta, theta), theta


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm

    log_s0 = params["log_S0"]
    ell_days = params["ell_days"]
    if prepared.variant == "exp":
        g = params["g"]
        pm.Deterministic("doubling_months", 12.0 * math.log(2.0) / g)
        log_s = log_s0 + g * data["tau"]
    else:
        log_s, _ = _jones_log_s(data, params, log_s0)
    ar1_observed(
        "log_speedup",
        log_s,
        params["sigma"],
        ell_days / DAYS_PER_YEAR,
        data["gap"],
        data["log_speedup"],
    )


# --- numpy: the law over posterior draws, leave-one-out densities ------------------------------


def _flat(posterior, name: str) -> np.ndarray:
    return np.asarray(posterior[name].values, float).reshape(-1)


def log_s_draws(posterior, grid: dict, tau: np.ndarray, chunk: int = 200) -> np.ndarray:
    """ln S at ``tau`` (years since t_ref) for every draw of a software_returns posterior, by the
    same law as the fit (numpy): shape (draws, len(tau))."""
    log_s0 = _flat(posterior, "log_S0")
    tau = np.asarray(tau, float)
    if "g" in posterior:
        return log_s0[:, None] + _flat(posterior, "g")[:, None] * tau[None, :]
    beta, lam, theta = (_flat(posterior, k) for k in ("beta", "lambda", "theta"))
    seg = tuple(np.asarray(grid[k], float) for k in ("seg_start", "seg_end", "seg_log_r",
                                                     "seg_growth"))  # fmt: skip
    out = np.empty((beta.size, tau.size))
    for a in range(0, beta.size, chunk):
        b = slice(a, a + chunk)
        integral = research_integral(tau[None, :], *seg, lam[b, None, None])
        out[b] = log_software(integral, log_s0[b, None], beta[b, None], theta[b, None])
    return out


def ar1_loo(residual: np.ndarray, gap: np.ndarray, sigma: np.ndarray, ell: np.ndarray):
    """Exact leave-one-out log densities of Gaussian AR(1)/OU residuals, per draw.

    ``residual`` (S, n), ``gap`` (n,) years to the previous observation (the first: none),
    ``sigma``, ``ell`` (S,) in the residual's and the gap's units. The precision matrix Q of
    e_i | e_{i-1} ~ N(phi_i e_{i-1}, s_i^2) is tridiagonal: Q_ii = 1/s_i^2 + phi_{i+1}^2 /
    s_{i+1}^2, Q_{i,i-1} = -phi_i / s_i^2; with g = Q e, y_i | y_-i ~ N(y_i - g_i / Q_ii,
    1 / Q_ii) (Bürkner, Gabry & Vehtari 2021), so log p = ½ ln(Q_ii / 2π) − ½ g_i² / Q_ii.
    """
    e = np.asarray(residual, float)
    ratio = np.asarray(gap, float)[None, :] / np.asarray(ell, float)[:, None]
    phi = np.exp(-ratio)
    s2 = np.asarray(sigma, float)[:, None] ** 2 * -np.expm1(-2.0 * ratio)
    inv = 1.0 / s2
    diag = inv.copy()
    diag[:, :-1] += phi[:, 1:] ** 2 * inv[:, 1:]
    off = -phi[:, 1:] * inv[:, 1:]  # Q_{i, i-1} for i = 1..n-1
    g = diag * e
    g[:, 1:] += off * e[:, :-1]
    g[:, :-1] += off * e[:, 1:]
    return 0.5 * np.log(diag / (2.0 * np.pi)) - 0.5 * g**2 / diag


def _pointwise(prepared: Prepared, posterior) -> np.ndarray:
    a = prepared.arrays
    log_s = log_s_draws(posterior, prepared.grid, a["tau"])
    loo = ar1_loo(
        a["log_speedup"][None, :] - log_s,
        a["gap"],
        _flat(posterior, "sigma"),
        _flat(posterior, "ell_days") / DAYS_PER_YEAR,
    )
    return loo.reshape(posterior.sizes["chain"], posterior.sizes["draw"], prepared.n)


# --- reports ------------------------------------------------------------------------------------


def _interval(values, digits=3):
    from takeoff.models.fits.headline import interval

    return interval(np.asarray(values)[np.isfinite(values)], "", digits)


def prior_draws(spec: FitSpec, constants, n: int = 20000, seed: int = 0) -> dict[str, np.ndarray]:
    """Draws of beta, lambda and r = lambda / beta from the fit's declared priors."""
    rng = np.random.default_rng(seed)
    out = {
        p.name: p.resolve(constants).sample(rng, n)
        for p in spec.priors
        if p.name in ("beta", "lambda") and p.applies("jones")
    }
    out["r"] = out["lambda"] / out["beta"]
    return out


def _width_ratio(prior: np.ndarray, post: np.ndarray, log: bool = False) -> float:
    """Posterior over prior 94% width; on the log scale for scale parameters (beta, r: a
    log-normal prior's width in linear units is set by its long right tail)."""
    if log:
        prior, post = np.log(prior[prior > 0]), np.log(post[post > 0])
    lo, hi = np.quantile(prior, [0.03, 0.97])
    plo, phi = np.quantile(post, [0.03, 0.97])
    return float((phi - plo) / (hi - lo))


def _constants(idata) -> dict[str, float]:
    attrs = idata.posterior.attrs
    return {k.removeprefix("const_"): float(v) for k, v in attrs.items() if k.startswith("const_")}


def returns_lines(idata, spec: FitSpec) -> list[str]:
    """beta, lambda and r with their priors beside (width ratios), and P(r > 1)."""
    from takeoff.models.fits.headline import draws

    post = idata.posterior
    lam = draws(idata, "lambda")
    if np.ptp(lam) == 0:
        return [f"beta: {_interval(draws(idata, 'beta'))}; lambda fixed at {lam[0]:g}"]
    prior = prior_draws(spec, _constants(idata))
    lines = []
    for name, meaning in (
        ("beta", "ideas get harder to find"),
        ("lambda", "returns to research input"),
        ("r", "= lambda / beta, returns to software R&D"),
    ):
        x = draws(idata, name)
        ratio = _width_ratio(prior[name], x, log=name != "lambda")
        verdict = (
            "identified"
            if ratio < 0.5
            else "weakly identified"
            if ratio < 0.85
            else ("NOT identified: a labelled prior")
        )
        lines.append(
            f"{name} ({meaning}): {_interval(x)}; posterior/prior width {ratio:.2f}"
            + (" on a log scale" if name != "lambda" else "")
            + f" ({verdict})"
        )
    r = draws(idata, "r")
    favoured = np.mean(r > 1) > 0.5
    lines.append(
        f"P(r > 1) = {np.mean(r > 1):.4f} (prior {np.mean(prior['r'] > 1):.3f}): "
        + ("the data favour" if favoured else "the data do not favour")
        + " a software intelligence explosion (r > 1)"
    )
    if float(np.quantile(lam, 0.97)) > 0.95 and "lambda" in post:
        lines.append(
            "lambda presses on its upper bound 1 (the family's range): beta and lambda lie on "
            "a ridge and r is identified given lambda <= 1"
        )
    return lines


def _report(idata) -> list[str]:
    from takeoff.models.fits.headline import draws

    post = idata.posterior
    t_ref = float(post.attrs.get("const_t_ref", float("nan")))
    variant = post.attrs.get("variant", "")
    if variant == "exp":
        return [
            f"plain exponential in time from {t_ref:.2f}: growth rate "
            f"{_interval(draws(idata, 'g'))} /yr, doubling every "
            f"{_interval(draws(idata, 'doubling_months'))} months"
        ]
    what = "active span" if variant == "active_span" else f"trailing {WINDOW_DAYS:.0f} days"
    lines = [f"research input R: people credited ({what}); law dS/dt = theta S^(1-beta) R^lambda"]
    lines += returns_lines(idata, SOFTWARE_RETURNS)
    lines.append(
        f"theta: {_interval(draws(idata, 'theta'))} /yr per person^lambda (S = 1 at the first "
        f"record, {t_ref:.2f}); residual: sigma {_interval(draws(idata, 'sigma'))}, "
        f"correlation time ell {_interval(draws(idata, 'ell_days'))} days"
    )
    return lines


def _regime_summary(idata) -> dict[str, str]:
    from takeoff.models.fits.headline import draws

    post = idata.posterior
    out = {}
    for name in ("beta", "lambda", "r", "g"):
        if name in post:
            x = draws(idata, name)
            lo, mid, hi = np.quantile(x, [0.03, 0.5, 0.97])
            out[name] = f"{mid:.3g} [{lo:.3g}, {hi:.3g}]" if np.ptp(x) > 0 else f"{x[0]:g}"
    if "r" in post and np.ptp(draws(idata, "r")) > 0:
        out["P(r > 1)"] = f"{np.mean(draws(idata, 'r') > 1):.4f}"
    return out


def _figures(fits) -> dict:
    from takeoff.models.fits.calibration import bundled_prepared
    from takeoff.plots import static

    main = fits[""]
    post = main.posterior
    if main.posterior.attrs.get("data_source") != SOFTWARE_RETURNS.dataset:
        return {}  # a user's table: the bundled research series below would not be its own
    prepared = bundled_prepared(SOFTWARE_RETURNS, FitOptions(variant=post.attrs.get("variant")))
    t_ref = prepared.constants["t_ref"]
    frame = speedrun_rows(_bundled_frame())
    t_end = t_ref + prepared.constants["tau_end"]
    edges, people = people_series(frame, t_ref, t_end, "trailing")
    _, span = people_series(frame, t_ref, t_end, "active_span")
    grid = np.linspace(0.0, prepared.constants["tau_end"], 200)
    keep = np.linspace(0, post.sizes["chain"] * post.sizes["draw"] - 1, 400).astype(int)
    thin = post.stack(s=("chain", "draw")).isel(s=keep)
    paths = np.exp(log_s_draws(thin, prepared.grid, grid))
    predictive = None
    if "posterior_predictive" in main.groups():
        pp = main.posterior_predictive["log_speedup"].stack(s=("chain", "draw"))
        predictive = np.exp(pp.transpose("s", ...).values)
    out = {
        "records": static.records_band(
            t_ref + prepared.arrays["tau"],
            np.exp(prepared.arrays["log_speedup"]),
            t_ref + grid,
            paths,
            predictive,
            edges[:-1],
            people,
            ylabel="speed-up over the first record (S)",
            research_label=f"people credited, trailing {WINDOW_DAYS:.0f} days (fitted)",
            alternative=("active span (alternative)", span),
            title="NanoGPT speedrun records and the Jones law "
            f"(r = {np.median(_flat(post, 'r')):.2f})"
            if "r" in post
            else "NanoGPT speedrun records",
        )
    }
    if "r" in post:
        prior = prior_draws(SOFTWARE_RETURNS, prepared.constants)
        out["prior_posterior"] = static.prior_posterior(
            prior,
            {k: _flat(post, k) for k in ("beta", "lambda", "r")},
            title="software_returns (NanoGPT speedrun): prior against posterior",
            log=("beta", "r"),
            marks={"r": 1.0},
        )
    return out


def _bundled_frame():
    from takeoff.data import load

    return load(SOFTWARE_RETURNS.dataset)


JONES_PRIORS = (
    Prior(
        "beta",
        Distribution("lognormal", mu=0.0, sigma=1.0),
        "ideas get harder to find: growth slows as S^-beta (median 1, 90% in [0.19, 5.2])",
        variant=JONES,
    ),
    Prior(
        "lambda",
        Distribution("uniform", low=0.0, high=1.0),
        "returns to research input, on the family's range (0, 1]: a LABELLED PRIOR that "
        "matters (lambda and beta lie on a ridge; r moves with this bound)",
        variant=JONES,
    ),
)


def _family_link(unit_r: str, initial_s) -> FamilyLink:
    return FamilyLink(
        family="jones_software",
        parameters={
            "beta": Export("", "ideas get harder to find", lambda d: d["beta"], ("beta",)),
            "lambda": Export("", "returns to research input", lambda d: d["lambda"], ("lambda",)),
            "theta": Export(
                f"1/yr per ({unit_r})^lambda",
                "research productivity, with S = 1 at the fit's t_ref",
                lambda d: d["theta"],
                ("theta",),
            ),
        },
        initial={"S": initial_s},
        start="t_ref",
    )


SOFTWARE_RETURNS = FitSpec(
    name="software_returns",
    title="Returns to software R&D: NanoGPT speedrun records under dS/dt = theta S^(1-beta) "
    "R(t)^lambda",
    dataset="nanogpt_speedrun",
    roles=(
        Role("date", "date", "date_sorted", "date of the record"),
        Role(
            "performance",
            "performance",
            "positive",
            "performance, higher is better (e.g. 1 / time to a fixed target)",
        ),
        Role(
            "research",
            "research",
            "positive",
            "research input in effect at the row's date (e.g. people working); log-linear "
            "between rows",
            required=False,
        ),
        Role(
            "contributors",
            "contributors",
            "text",
            "people credited on the row, ';'-separated (research input: distinct people "
            "credited in the trailing 180 days)",
            required=False,
        ),
        Role(
            "record",
            "record",
            "bool",
            "false: not a record of the series (its credits still count as research input)",
            required=False,
        ),
    ),
    priors=(
        *JONES_PRIORS,
        Prior(
            "log_S_end",
            DataScaled("normal", mu="log_s_last", sigma=1.0),
            "ln of the software level at the last record, near the last record's",
            text="log_s_last: ln of the last record's speed-up",
            variant=JONES,
        ),
        Prior(
            "g",
            Distribution("normal", mu=0.0, sigma=5.0),
            "exponential variant: growth rate of ln S [1/yr], wide",
            variant="exp",
        ),
        Prior(
            "log_S0",
            Distribution("normal", mu=0.0, sigma=0.2),
            "ln S at the first record: the baseline is S = 1 up to its own noise",
        ),
        Prior(
            "sigma",
            Distribution("halfnormal", sigma=0.3),
            "stationary sd of the records' ln-speed residual around the law",
        ),
        Prior(
            "ell_days",
            Distribution("lognormal", mu=math.log(30.0), sigma=1.0),
            "correlation time of the residual [days] (median 30: a plateau or burst lasts weeks "
            "to months)",
        ),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("beta", "lambda", "r", "theta", "g", "log_S0", "log_S_end", "sigma", "ell_days"),
    regimes=(
        Regime("exponential", variant="exp", description="ln S = ln S0 + g t: no law of motion"),
        Regime("no_research", {"lambda": 0.0}, description="lambda = 0: R plays no role"),
        Regime(
            "active_span",
            variant="active_span",
            description="R: people from 90 days before their first credit to their last",
        ),
    ),
    options=("since", "until"),
    select_bundled=speedrun_rows,
    target_accept=0.9,
    notes=(
        "What the speedrun identifies is r = lambda / beta given lambda <= 1 (the family's "
        "range, a labelled prior): beta and lambda lie on a ridge. R is people credited "
        "(trailing 180 days); the active-span alternative (--compare) moves r and does not "
        "identify lambda. Hardware and the target loss are fixed, so S is software alone; the "
        "task is bounded (training time has a floor), which looks like a large beta."
    ),
    family=_family_link(
        "people",
        Export("speed-up", "S at the first record", lambda d: np.exp(d["log_S0"]), ("log_S0",)),
    ),
    predictor=Predictor("tau", "date", "year", offset="t_ref"),
    report=_report,
    pointwise_log_likelihood=_pointwise,
    regime_summary=_regime_summary,
    figures=_figures,
    published_prior=("sie_published", "r0", "r", 1.0),
)


# --- the language-model path --------------------------------------------------------------------


def labour_series() -> tuple[np.ndarray, np.ndarray]:
    """Human AI-software-R&D labour L_HUMAN of the bundled AI Futures inputs (an estimate), in
    units of its 2012 level, at its annual points."""
    from takeoff.data import load

    s = load("aifutures_progress")
    t, labour = s["time"].to_numpy(float), s["L_HUMAN"].to_numpy(float)
    return t, labour / float(np.interp(LM_T0, t, labour))


def _prepare_lm(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    from takeoff.models.fits.algorithmic_progress import _form
    from takeoff.models.fits.algorithmic_progress import _prepare as prepare_ap

    if _form(frame) != "lm":
        raise TakeoffError(
            "software_returns_lm fits the N, D form: give parameters, data and perplexity"
        )
    base = prepare_ap(frame, FitOptions(since=options.since, until=options.until))
    t = base.arrays["tau"] + base.constants["t_ref"]
    times, labour = labour_series()
    if t.min() < LM_T0:
        raise TakeoffError(
            f"software_returns_lm measures S from {LM_T0:g} (the labour series' start); keep "
            f"rows dated {LM_T0:g} or later (--since {LM_T0:g})"
        )
    t_end = float(t.max())
    seg = ramp_segments(times, labour, LM_T0, t_end)
    log_r_end = float(np.interp(t_end, times, np.log(labour)))
    window = (times >= LM_T0) & (times <= t_end)  # the labour path the returns are fitted on
    labour_growth = float(np.polyfit(times[window], np.log(labour[window]), 1)[0])
    if options.variant not in ("", "jones", "const"):
        raise TakeoffError(f"software_returns_lm has no variant '{options.variant}'")
    arrays = dict(base.arrays)
    arrays["tau"] = t - LM_T0
    return Prepared(
        arrays=arrays,
        observed="loss",
        n=base.n,
        constants={
            **{k: v for k, v in base.constants.items() if k != "t_ref"},
            "t_ref": LM_T0,
            "tau_end": t_end - LM_T0,
            "log_r_end": log_r_end,
            "labour_growth": labour_growth,
        },
        variant=options.variant or "jones",
        grid=seg,
        levels=base.levels,
    )


def _likelihood_lm(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    if prepared.variant == "const":
        g = params["g"]
        log_s = g * data["tau"]
        pm.Deterministic("compute_halving_months", 12.0 * math.log(2.0) / g)
    else:
        log_s, theta = _jones_log_s(data, params, 0.0)
        beta, lam = params["beta"], params["lambda"]
        # d ln S / dt at the last date: theta S_end^-beta R_end^lambda
        rate = theta * pm.math.exp(-beta * params["log_S_end"] + lam * data["log_r_end"])
        pm.Deterministic("growth_rate_at_end", rate)
        pm.Deterministic("compute_halving_months_at_end", 12.0 * math.log(2.0) / rate)
    half = 0.5 * log_s
    alpha_n, alpha_d = params["alpha_n"], params["alpha_d"]
    bench = pt.cast(data["benchmark"], "int64")
    mu = scaling.loss_centred(
        data["log_n_c"],
        data["log_d_c"],
        0.0,
        params["log_term_n"][bench] - alpha_n * half,
        params["log_term_d"][bench] - alpha_d * half,
        alpha_n,
        alpha_d,
    )
    pm.StudentT(
        "loss", nu=params["nu"], mu=mu, sigma=params["sigma"], observed=data["loss"], dims="obs"
    )


def _report_lm(idata) -> list[str]:
    from takeoff.models.fits.headline import draws

    post = idata.posterior
    lines = [
        "ESTIMATE: research input R = L_HUMAN of the AI Futures Project's model inputs (human "
        "labour on AI software R&D, an estimate, labour only), S = 1 at 2012.0"
    ]
    if post.attrs.get("variant") == "const":
        g = draws(idata, "g")
        return [
            *lines,
            f"constant rate: g {_interval(g)} /yr, compute halving "
            f"{_interval(draws(idata, 'compute_halving_months'))} months",
        ]
    lines += returns_lines(idata, SOFTWARE_RETURNS_LM)
    t_end = float(post.attrs.get("const_tau_end", float("nan"))) + LM_T0
    lines.append(
        f"growth rate of S at the last date ({t_end:.2f}): "
        f"{_interval(draws(idata, 'growth_rate_at_end'))} /yr (compute halving "
        f"{_interval(draws(idata, 'compute_halving_months_at_end'))} months)"
    )
    return lines


def _figures_lm(fits) -> dict:
    from takeoff.models.fits.calibration import bundled_prepared
    from takeoff.plots import static

    main = fits[""]
    post = main.posterior
    if "beta" not in post:
        return {}
    prepared = bundled_prepared(SOFTWARE_RETURNS_LM)
    years = np.linspace(2014.0, LM_T0 + prepared.constants["tau_end"], 60)
    keep = np.linspace(0, post.sizes["chain"] * post.sizes["draw"] - 1, 400).astype(int)
    flat = post.stack(s=("chain", "draw")).reset_index("s", drop=True)  # a plain draw axis
    thin = flat.isel(s=keep).assign(log_S0=lambda p: 0.0 * p["beta"])
    log_s = log_s_draws(thin, prepared.grid, years - LM_T0)
    return {
        "compute_needed": static.compute_needed(
            years,
            np.exp(-(log_s - log_s[:, :1])),
            title="Compute needed for a fixed loss (Jones law, R = L_HUMAN estimate)",
        ),
        "prior_posterior": static.prior_posterior(
            prior_draws(SOFTWARE_RETURNS_LM, prepared.constants),
            {k: _flat(post, k) for k in ("beta", "lambda", "r")},
            title="software_returns_lm (LM path, labour estimate): prior against posterior",
            log=("beta", "r"),
            marks={"r": 1.0},
        ),
    }


SOFTWARE_RETURNS_LM = FitSpec(
    name="software_returns_lm",
    title="Returns to software R&D (ESTIMATE): the LM effective-compute path under dS/dt = "
    "theta S^(1-beta) L_HUMAN(t)^lambda",
    dataset="lm_algorithmic_progress",
    roles=tuple(r for r in ALGORITHMIC_PROGRESS.roles if r.name not in ("compute", "metric")),
    priors=(
        *(dataclasses.replace(p, variant="jones") for p in JONES_PRIORS),  # no active span here
        Prior(
            "log_S_end",
            Distribution("normal", mu=5.0, sigma=5.0),
            "ln of the effective-compute multiplier from algorithms at the last date (S = 1 at "
            "2012.0), wide",
            variant="jones",
        ),
        Prior(
            "g",
            Distribution("halfnormal", sigma=1.0),
            "constant-rate variant: growth rate of ln S [1/yr], as algorithmic_progress's g_total",
            variant="const",
        ),
        Prior(
            "log_term_n",
            Distribution("normal", mu=math.log(1.5), sigma=1.5),
            "ln of the parameter term at the data's centre, per benchmark",
            dims="benchmark",
        ),
        Prior(
            "log_term_d",
            Distribution("normal", mu=math.log(1.5), sigma=1.5),
            "ln of the data term at the data's centre, per benchmark",
            dims="benchmark",
        ),
        Prior(
            "alpha_n",
            Distribution("lognormal", mu=math.log(0.15), sigma=0.75),
            "scaling exponent of N (as algorithmic_progress's alpha)",
        ),
        Prior(
            "alpha_d",
            Distribution("lognormal", mu=math.log(0.15), sigma=0.75),
            "scaling exponent of D' (as algorithmic_progress's beta; renamed: beta is the "
            "Jones law's here)",
        ),
        Prior("sigma", Distribution("halfnormal", sigma=0.3), "scatter of ln perplexity"),
        Prior("nu", Distribution("gamma", alpha=2.0, beta=0.1), "Student-t degrees of freedom"),
    ),
    prepare=_prepare_lm,
    likelihood=_likelihood_lm,
    summary_vars=(
        "beta",
        "lambda",
        "r",
        "theta",
        "log_S_end",
        "growth_rate_at_end",
        "g",
        "alpha_n",
        "alpha_d",
        "sigma",
        "nu",
    ),
    regimes=(
        Regime("const", variant="const", description="constant rate ln S = g (t - 2012)"),
        Regime("no_research", {"lambda": 0.0}, description="lambda = 0: R plays no role"),
    ),
    options=("since", "until"),
    select_bundled=lm_observations,
    target_accept=0.95,
    tune=1500,
    notes=(
        "An ESTIMATE: R is the AI Futures Project's estimated human AI-R&D labour (labour only, "
        "not experiment compute), so r here is doublings of LM software per doubling of that "
        "labour; the data identify r roughly as the ratio of growth rates and cannot tell the "
        "Jones path from a constant rate by LOO. Shown beside the speedrun's r, not pooled."
    ),
    family=_family_link(
        "L_HUMAN / L_HUMAN(2012)",
        Export(
            "effective-compute multiplier",
            "S = 1 at 2012.0",
            lambda d: np.ones_like(d["beta"]),
            ("beta",),
        ),
    ),
    exports={
        "growth_rate_at_end": Export(
            "1/yr",
            "growth rate of S (algorithmic progress) at the last data date (const tau_end + "
            "2012), from the Jones path",
            lambda d: d["growth_rate_at_end"],
            ("growth_rate_at_end",),
        ),
        "r": Export("", "returns to software R&D, lambda / beta", lambda d: d["r"], ("r",)),
        "labour_growth": Export(
            "1/yr",
            "trend growth rate of the human labour series R the fit used (L_HUMAN, an "
            "estimate): the log-linear slope over its points in the fitted window",
            lambda d: d["const_labour_growth"],
            ("const_labour_growth",),
        ),
    },
    predictor=Predictor("tau", "publication date", "year", offset="t_ref"),
    report=_report_lm,
    regime_summary=_regime_summary,
    figures=_figures_lm,
    published_prior=("sie_published", "r0", "r", 1.0),
)

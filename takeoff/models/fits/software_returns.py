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

The same law on the language-model path is :mod:`takeoff.models.fits.software_returns_lm`;
the speedrun's rows and credits are read by :mod:`takeoff.data.speedrun`, the AR(1)
likelihood is :mod:`takeoff.models.fits.ar1`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.data.speedrun import WINDOW_DAYS, people_series, speedrun_rows
from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution
from takeoff.models.fits.ar1 import FIRST_GAP_YEARS, ar1_loo, ar1_observed
from takeoff.models.fits.fitspec import (
    Export,
    FamilyLink,
    FitOptions,
    FitSpec,
    Predictor,
    Prepared,
    Regime,
    Role,
    Shipped,
    require_rows,
    select_dates,
)
from takeoff.models.fits.priors import DataScaled, Prior
from takeoff.models.jones_software import log_software, research_integral, theta_from_end
from takeoff.models.narrowing import width_ratio
from takeoff.units import DAYS_PER_YEAR

JONES = ("jones", "active_span")


# --- research input -----------------------------------------------------------------------------


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
            given = ~np.isnan(values) if role == "performance" else True  # levels may be empty
            bad = np.flatnonzero((~(values > 0) | ~np.isfinite(values)) & given)
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
    return _check_variation(frame, dates)


def _check_variation(frame: pd.DataFrame, dates: np.ndarray) -> pd.DataFrame:
    """A research column gives one input per date, and both it and the software levels change
    (a constant research input says nothing of the returns to it; a constant level, no growth)."""
    if "research" in frame:
        twice = np.flatnonzero(np.diff(dates) == 0)
        if twice.size:
            i = int(twice[0])
            raise TakeoffError(
                f"data rows {i + 1} and {i + 2} have the same date ({dates[i]:g}); give one row "
                "per date with its research input and software level"
            )
        research = frame["research"].to_numpy(float)
        if np.ptp(research) == 0:
            raise TakeoffError(
                f"the research input is {research[0]:g} on every row: returns to research "
                "cannot be measured from an input that never changes; give a research input "
                "that varies over the dates"
            )
    levels = frame["performance"].dropna().to_numpy(float)
    if levels.size >= 2 and np.ptp(levels) == 0:
        raise TakeoffError(
            f"the software level (performance) is {levels[0]:g} on every row that gives one: "
            "the law needs a software level that grew; give levels that change"
        )
    return frame


def _records(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows carrying a software level (rows with research input only are not records):
    at least two, each date once."""
    records = frame[frame["record"].astype(bool)] if "record" in frame else frame
    records = records[records["performance"].notna()]
    if len(records) < 2:
        what = "no row has" if records.empty else "only one row has"
        raise TakeoffError(
            f"software_returns: {what} a software level (performance) in the dates selected; "
            "give it on at least two rows (e.g. the first and the last date)"
        )
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
    if frame["performance"].notna().all():  # a series of levels: as many as parameters
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
        constants={
            "t_ref": t0,
            "tau_end": t_end - t0,
            "log_s_last": float(y[-1]),
            **({"research_column": 1.0} if "research" in frame else {}),  # R as given
        },
        variant=variant,
        grid=seg,
    )


# --- the likelihood -----------------------------------------------------------------------------


def jones_log_s(data, params, log_s0):
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
        log_s, _ = jones_log_s(data, params, log_s0)
    ar1_observed(
        "log_speedup",
        log_s,
        params["sigma"],
        ell_days / DAYS_PER_YEAR,
        data["gap"],
        data["log_speedup"],
    )


# --- numpy: the law over posterior draws, leave-one-out densities ------------------------------


def flat(posterior, name: str) -> np.ndarray:
    return np.asarray(posterior[name].values, float).reshape(-1)


def log_s_draws(posterior, grid: dict, tau: np.ndarray, chunk: int = 200) -> np.ndarray:
    """ln S at ``tau`` (years since t_ref) for every draw of a software_returns posterior, by the
    same law as the fit (numpy): shape (draws, len(tau))."""
    log_s0 = flat(posterior, "log_S0")
    tau = np.asarray(tau, float)
    if "g" in posterior:
        return log_s0[:, None] + flat(posterior, "g")[:, None] * tau[None, :]
    beta, lam, theta = (flat(posterior, k) for k in ("beta", "lambda", "theta"))
    seg = tuple(np.asarray(grid[k], float) for k in ("seg_start", "seg_end", "seg_log_r",
                                                     "seg_growth"))  # fmt: skip
    out = np.empty((beta.size, tau.size))
    for a in range(0, beta.size, chunk):
        b = slice(a, a + chunk)
        integral = research_integral(tau[None, :], *seg, lam[b, None, None])
        out[b] = log_software(integral, log_s0[b, None], beta[b, None], theta[b, None])
    return out


def _pointwise(prepared: Prepared, posterior) -> np.ndarray:
    a = prepared.arrays
    log_s = log_s_draws(posterior, prepared.grid, a["tau"])
    loo = ar1_loo(
        a["log_speedup"][None, :] - log_s,
        a["gap"],
        flat(posterior, "sigma"),
        flat(posterior, "ell_days") / DAYS_PER_YEAR,
    )
    return loo.reshape(posterior.sizes["chain"], posterior.sizes["draw"], prepared.n)


# --- reports ------------------------------------------------------------------------------------


def finite_interval(values, digits=3):
    from takeoff.models.fits.intervals import interval

    return interval(np.asarray(values)[np.isfinite(values)], "", digits)


def prior_draws(
    spec: FitSpec, constants, n: int = 20000, seed: int = 0, variant: str = "jones"
) -> dict[str, np.ndarray]:
    """Draws of beta, lambda and r = lambda / beta from the fit's declared priors (those of
    ``variant``)."""
    rng = np.random.default_rng(seed)
    out = {
        p.name: p.resolve(constants).sample(rng, n)
        for p in spec.priors
        if p.name in ("beta", "lambda") and p.applies(variant)
    }
    out["r"] = out["lambda"] / out["beta"]
    return out


def _width_ratio(prior: np.ndarray, post: np.ndarray, log: bool = False) -> float:
    """Posterior over prior 94% width; on the log scale for scale parameters (beta, r: a
    log-normal prior's width in linear units is set by its long right tail)."""
    return width_ratio(prior, post, log=log, prob=0.94)


def _constants(idata) -> dict[str, float]:
    attrs = idata.posterior.attrs
    return {k.removeprefix("const_"): float(v) for k, v in attrs.items() if k.startswith("const_")}


def returns_lines(idata, spec: FitSpec) -> list[str]:
    """beta, lambda and r with their priors beside (width ratios), and P(r > 1)."""
    from takeoff.models.fits.intervals import draws

    post = idata.posterior
    lam = draws(idata, "lambda")
    if np.ptp(lam) == 0:
        return [f"beta: {finite_interval(draws(idata, 'beta'))}; lambda fixed at {lam[0]:g}"]
    prior = prior_draws(spec, _constants(idata), variant=post.attrs.get("variant") or "jones")
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
            f"{name} ({meaning}): {finite_interval(x)}; posterior/prior width {ratio:.2f}"
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


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws

    post = idata.posterior
    t_ref = float(post.attrs.get("const_t_ref", float("nan")))
    variant = post.attrs.get("variant", "")
    if variant == "exp":
        return [
            f"plain exponential in time from {t_ref:.2f}: growth rate "
            f"{finite_interval(draws(idata, 'g'))} /yr, doubling every "
            f"{finite_interval(draws(idata, 'doubling_months'))} months"
        ]
    what = "active span" if variant == "active_span" else f"trailing {WINDOW_DAYS:.0f} days"
    if post.attrs.get("const_research_column"):
        what = "the table's research column, log-linear between rows"
    else:
        what = f"people credited ({what})"
    lines = [f"research input R: {what}; law dS/dt = theta S^(1-beta) R^lambda"]
    n = int(post.attrs.get("n_observations", 0))
    if 0 < n < 7:
        lines.append(
            f"only {n} software levels: the law's theta absorbs them, so beta, lambda and r "
            "stay near their priors; on a balanced path such a table informs r ~ g_S / g_R "
            "(the ratio of growth rates: see the returns_domains fit)"
        )
    lines += returns_lines(idata, SOFTWARE_RETURNS)
    lines.append(
        f"theta: {finite_interval(draws(idata, 'theta'))} /yr per person^lambda (S = 1 at the "
        f"first record, {t_ref:.2f}); residual: sigma {finite_interval(draws(idata, 'sigma'))}, "
        f"correlation time ell {finite_interval(draws(idata, 'ell_days'))} days"
    )
    return lines


def regime_summary(idata) -> dict[str, str]:
    from takeoff.models.fits.intervals import draws

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


def bundled_frame():
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


def family_link(unit_r: str, initial_s) -> FamilyLink:
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
        Role(
            "date",
            "date",
            "date_or_year",
            "date of the row (an ISO date, or a year as a number, e.g. 2019 or 2019.5)",
            varies=2,
        ),
        Role(
            "performance",
            "performance",
            "positive",
            "performance (the software level), higher is better (e.g. 1 / time to a fixed "
            "target); may be empty on rows that give research input only (at least two levels)",
            nullable=True,
            varies=2,
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
    family=family_link(
        "people",
        Export("speed-up", "S at the first record", lambda d: np.exp(d["log_S0"]), ("log_S0",)),
    ),
    predictor=Predictor("tau", "date", "year", offset="t_ref"),
    pointwise_log_likelihood=_pointwise,
    published_prior=("sie_published", "r0", "r", 1.0),
    shipped=(Shipped("software_returns"),),
)

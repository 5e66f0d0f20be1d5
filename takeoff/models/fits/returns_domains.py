"""``returns_domains``: the returns to research r = lambda / beta of the Jones law
dS/dt = theta S^(1-beta) R^lambda, pooled hierarchically across software domains.

Domains: the four of the bundled ``returns_domains`` (Erdil, Besiroglu & Ho 2024: ``CV + DL``,
``SAT``, ``LP``, ``Atari (RL)``), the language-model path (``language models``, the fit
``software_returns_lm``) and the NanoGPT speedrun (``NanoGPT speedrun``, ``software_returns``).

Population (partial pooling of ln r, non-centred):

    ln r_d = mu + tau z_d,   z_d ~ Normal(0, 1)         (so ln r_d ~ Normal(mu, tau))
    r_population = exp(mu + tau z_new),   z_new ~ Normal(0, 1)

``r_population`` is the predictive r of a new software domain (z_new is touched by no data: its
posterior is its prior, so the draw of ln r ~ Normal(mu, tau) is taken inside the sampler), with
P(r > 1) reported.

**What each domain identifies.** The four endpoint domains carry a research-input series I_t
(authors publishing, per year) and only the endpoints of the software level A (A(0) = 1 and
A(T)). The law's theta absorbs any level, so beta and lambda are not identified separately: on a
balanced path ln A grows at g_A = r g_I, and a domain identifies (roughly) the ratio of growth
rates r_d = g_A / g_I. Likelihood per endpoint domain d:

    ln I_t - mean(ln I) = c_d + g_I,d (t - mean t) + Normal(0, sigma_I,d)   (the I series)
    ln(ln A_T / T)      = ln r_d + ln g_I,d + delta_d,   delta_d ~ Normal(0, balance_sd)

delta_d is the domain's departure from balanced growth over its window, on the log scale of the
growth rate: a transient off the balanced path, the proxy I (authors) growing at another rate
than effective research effort, and the error of the published A(T). Its scale is FIXED at
``BALANCE_SD`` = 0.5 (a factor e^0.5 = 1.65 at one sd, 2.3 at 90%) and not learned: with one
endpoint per domain it cannot be told from tau (only the two summary domains, which have no
delta, separate them). I must grow (g_I > 0, a log-normal prior): with a falling research input
the balanced-growth link has no meaning.

The **language-model path** and the **speedrun** have full fits of their own. Each enters as a
summary likelihood, its shipped posterior of ln r approximated by a normal (mean m, sd s): a
two-stage meta-analysis, ln r_d ~ Normal(m, s) read as a likelihood of ln r_d. The
approximation ignores the skew of their ln r and counts their own priors on r once more (those
priors are much wider than the posteriors, so this is small). The posteriors are the fit's
``upstream`` (the shipped ones unless others are passed: ``fit("returns_domains",
upstream={"software_returns_lm": idata})``). In the model these rows are observed as 0 with mean
ln r_d - m, so simulations (calibration) treat m and s as covariates.

All observations are one vector ``y`` (arrays ``kind``: 0 ln I, 1 endpoint, 2 summary;
``dom``: the domain; ``rdom``: the endpoint domain), so calibration and the generic fit tests
see one observed variable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import Export, FitOptions, FitSpec, Prepared, Role, Shipped
from takeoff.models.fits.priors import Prior

BALANCE_SD = 0.5  # sd of a domain's departure from balanced growth, ln scale (docstring)
# the domains entered as summaries of their own fits: (domain name, fit, its constant prefix)
SUMMARIES = (
    ("language models", "software_returns_lm", "lm"),
    ("NanoGPT speedrun", "software_returns", "speedrun"),
)
KIND_I, KIND_ENDPOINT, KIND_SUMMARY = 0, 1, 2


# --- the table ------------------------------------------------------------------------------


def _endpoint(rows: pd.DataFrame, domain: str) -> tuple[float, float]:
    """A domain's growth factor A(T)/A(0) and window T: on exactly one row, both given."""
    if "growth" not in rows or "window" not in rows:
        raise TakeoffError(
            "returns_domains needs the software-level growth over the window: give --column "
            "growth=COLUMN (A(T)/A(0)) and --column window=COLUMN (T in years), on one row per "
            "domain"
        )
    given = rows.dropna(subset=["growth"])
    if len(given) != 1:
        raise TakeoffError(
            f"domain '{domain}' has {len(given)} rows with a growth factor; give it on exactly "
            "one row of the domain"
        )
    growth, window = float(given["growth"].iloc[0]), float(given["window"].iloc[0])
    if not np.isfinite(window) or window <= 0:
        raise TakeoffError(
            f"domain '{domain}' has no positive window T beside its growth factor; give T in "
            "years on the same row"
        )
    if growth <= 1.0:
        raise TakeoffError(
            f"domain '{domain}' has a growth factor {growth:g} <= 1: the balanced-growth link "
            "ln A(T) / T = r g_I needs a software level that grew"
        )
    return growth, window


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    names = list(dict.fromkeys(frame["domain"].astype(str)))
    clash = [n for n in names if n in {s[0] for s in SUMMARIES}]
    if clash:
        raise TakeoffError(
            f"domain '{clash[0]}' is the name of a fitted domain; rename it in the table"
        )
    if not names:
        raise TakeoffError("returns_domains: the table has no rows; give at least one domain")
    arrays: dict[str, list] = {k: [] for k in ("kind", "dom", "rdom", "t", "is_lm", "is_sr", "y")}
    constants = {"balance_sd": BALANCE_SD}

    def add(kind, dom, rdom, t, y, lm=0.0, sr=0.0):
        for key, value in zip(arrays, (kind, dom, rdom, t, lm, sr, y), strict=True):
            arrays[key].append(value)

    for k, name in enumerate(names):
        rows = frame[frame["domain"].astype(str) == name]
        growth, window = _endpoint(rows, name)
        years = rows["year"].to_numpy(float)
        log_i = np.log(rows["research"].to_numpy(float))
        if len(years) < 3 or np.ptp(years) <= 0:
            raise TakeoffError(
                f"domain '{name}' has {len(years)} research-input row(s); give research input "
                "in at least 3 different years"
            )
        if np.unique(years).size != years.size:
            raise TakeoffError(f"domain '{name}' repeats a year; give one research input a year")
        t = years - years.mean()
        for ti, yi in zip(t, log_i - log_i.mean(), strict=True):
            add(KIND_I, k, k, ti, yi)
        add(KIND_ENDPOINT, k, k, 0.0, math.log(math.log(growth) / window))
        constants[f"growth_A_{k}"] = math.log(growth) / window
        constants[f"window_{k}"] = window
        constants[f"slope_I_{k}"] = float(np.polyfit(t, log_i, 1)[0])
    for j in range(len(SUMMARIES)):
        add(KIND_SUMMARY, len(names) + j, 0, 0.0, 0.0, lm=float(j == 0), sr=float(j == 1))
    out = {key: np.asarray(values, float) for key, values in arrays.items()}
    return Prepared(
        arrays=out,
        observed="y",
        n=len(out["y"]),
        constants=constants,
        levels={
            "domain": (*names, *(s[0] for s in SUMMARIES)),
            "research_domain": tuple(names),
        },
    )


def summary_of(posterior, fit: str) -> tuple[float, float]:
    """Mean and sd of ln r over a posterior's draws (its normal approximation)."""
    if "r" not in posterior:
        raise TakeoffError(f"the {fit} posterior has no r; give a posterior of the Jones law fit")
    r = np.asarray(posterior["r"].values, float).reshape(-1)
    r = r[np.isfinite(r) & (r > 0)]
    if r.size < 10 or np.ptp(r) == 0:
        raise TakeoffError(
            f"the {fit} posterior has no spread of r to summarise; give a fitted one"
        )
    return float(np.mean(np.log(r))), float(np.std(np.log(r)))


def _upstream_constants(prepared: Prepared, upstream: Mapping) -> dict[str, float]:
    out = {}
    for _, fit, prefix in SUMMARIES:
        mean, sd = summary_of(upstream[fit], fit)
        out[f"{prefix}_log_r_mean"], out[f"{prefix}_log_r_sd"] = mean, sd
    return out


# --- the likelihood -------------------------------------------------------------------------


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    mu, tau = params["mu"], params["tau"]
    log_r = pm.Deterministic("log_r", mu + tau * params["z"], dims="domain")
    pm.Deterministic("r", pt.exp(log_r), dims="domain")
    pm.Deterministic("r_population", pt.exp(mu + tau * params["z_new"]))
    kind = data["kind"]
    dom = pt.cast(data["dom"], "int64")
    rd = pt.cast(data["rdom"], "int64")
    g_i = params["g_I"]
    mu_i = params["c"][rd] + g_i[rd] * data["t"]
    mu_a = log_r[dom] + pt.log(g_i[rd])
    is_lm, is_sr = data["is_lm"], data["is_sr"]
    mean_s = is_lm * data["lm_log_r_mean"] + is_sr * data["speedrun_log_r_mean"]
    sd_s = is_lm * data["lm_log_r_sd"] + is_sr * data["speedrun_log_r_sd"]
    mean = pt.switch(
        pt.eq(kind, KIND_I), mu_i, pt.switch(pt.eq(kind, KIND_ENDPOINT), mu_a, log_r[dom] - mean_s)
    )
    sd = pt.switch(
        pt.eq(kind, KIND_I),
        params["sigma_I"][rd],
        pt.switch(pt.eq(kind, KIND_ENDPOINT), data["balance_sd"], sd_s),
    )
    pm.Normal("y", mu=mean, sigma=sd, observed=data["y"], dims="obs")


# --- reports --------------------------------------------------------------------------------


def _q(x: np.ndarray, digits: int = 3) -> str:
    lo, mid, hi = np.quantile(x, [0.05, 0.5, 0.95])
    return f"{mid:.{digits}g} (90% interval {lo:.{digits}g} to {hi:.{digits}g})"


def _flat(variable) -> np.ndarray:
    return np.asarray(variable.values, float).reshape(-1)


def identifies(idata) -> dict[str, str]:
    """What each domain's data identify, in words, by domain name."""
    post = idata.posterior
    attrs = post.attrs
    out = {}
    research = [str(v) for v in post["research_domain"].values]
    for k, name in enumerate(research):
        g_a = float(attrs.get(f"const_growth_A_{k}", float("nan")))
        window = float(attrs.get(f"const_window_{k}", float("nan")))
        g_i = float(np.median(_flat(post["g_I"].isel(research_domain=k))))
        out[name] = (
            f"the ratio g_A / g_I = {g_a:.3g} / {g_i:.3g} = {g_a / g_i:.3g} (ln A(T) / T over "
            f"{window:g} years, I's trend), up to a departure from balanced growth of sd "
            f"{float(attrs.get('const_balance_sd', BALANCE_SD)):g} in ln r; not beta, lambda"
        )
    for name, fit, prefix in SUMMARIES:
        m = float(attrs.get(f"const_{prefix}_log_r_mean", float("nan")))
        s = float(attrs.get(f"const_{prefix}_log_r_sd", float("nan")))
        out[name] = (
            f"its own fit {fit}: ln r ~ Normal({m:.3f}, {s:.3f}) (r {math.exp(m):.3g}), a normal "
            "approximation of its posterior entered as a likelihood (two-stage meta-analysis)"
        )
    return out


def key_results(idata) -> list[str]:
    post = idata.posterior
    what = identifies(idata)
    lines = [
        "per-domain returns r = lambda / beta (partially pooled, ln r_d ~ Normal(mu, tau)); "
        "what each domain identifies:"
    ]
    for d in post["domain"].values:
        r = _flat(post["r"].sel(domain=d))
        lines.append(f"  {d}: r {_q(r)}, P(r > 1) = {np.mean(r > 1):.3f}")
        lines.append(f"    identifies {what.get(str(d), '')}")
    mu, tau = _flat(post["mu"]), _flat(post["tau"])
    new = _flat(post["r_population"])
    lines += [
        f"population: median r exp(mu) {_q(np.exp(mu))}; tau (sd of ln r across domains) {_q(tau)}",
        f"r_population (a new software domain): {_q(new)}; P(r > 1) = {np.mean(new > 1):.3f}",
        "summary likelihoods: the LM path's and the speedrun's posteriors of ln r approximated "
        "by normals (two-stage meta-analysis; their skew is ignored)",
    ]
    return lines


ROLES = (
    Role("domain", "domain", "text", "the software domain of the row"),
    Role("year", "year_index", "number", "year of the row (any origin, per domain)"),
    Role("research", "research_input_I", "positive", "research input in that year (e.g. authors)"),
    Role(
        "growth",
        "A_total_growth_over_T",
        "positive",
        "software-level growth factor A(T)/A(0) over the window, on one row per domain",
        required=False,
    ),
    Role(
        "window",
        "T_years",
        "number",
        "the window T in years, on the row with the growth factor",
        required=False,
    ),
)

RETURNS_DOMAINS = FitSpec(
    name="returns_domains",
    title="Returns to research r = lambda / beta across software domains (hierarchical: LM path, "
    "speedrun, CV, SAT, LP, Atari)",
    dataset="returns_domains",
    roles=ROLES,
    priors=(
        Prior(
            "mu",
            Distribution("normal", mu=0.0, sigma=1.0),
            "population mean of ln r: median r 1 (explosion neither favoured nor ruled out), "
            "90% of medians in [0.19, 5.2], spanning economy-wide TFP (~0.3) to fast software",
        ),
        Prior(
            "tau",
            Distribution("halfnormal", sigma=1.0),
            "sd of ln r across domains: prior median 0.67 (domains' r typically within a factor "
            "2 of the population's), a factor 7 at two sd; only six domains, so it matters",
        ),
        Prior(
            "z",
            Distribution("normal", mu=0.0, sigma=1.0),
            "standardised domain effect, ln r_d = mu + tau z_d (non-centred)",
            dims="domain",
        ),
        Prior(
            "z_new",
            Distribution("normal", mu=0.0, sigma=1.0),
            "standardised effect of a new domain (no data): r_population = exp(mu + tau z_new)",
        ),
        Prior(
            "c",
            Distribution("normal", mu=0.0, sigma=1.0),
            "ln I at the domain's mean year, less the domain's mean ln I (0 on a straight line)",
            dims="research_domain",
        ),
        Prior(
            "g_I",
            Distribution("lognormal", mu=math.log(0.2), sigma=1.5),
            "trend growth rate of the research input [1/yr]: median 0.2, 90% in [0.017, 2.4] "
            "(fields grow by a few % to doubling a year)",
            dims="research_domain",
        ),
        Prior(
            "sigma_I",
            Distribution("halfnormal", sigma=0.5),
            "scatter of ln I around its log-linear trend (year-to-year noise and curvature)",
            dims="research_domain",
        ),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=("r", "mu", "tau", "r_population", "g_I", "sigma_I"),
    target_accept=0.95,
    notes=(
        "Endpoint domains identify r ~ g_A / g_I on a balanced path (ln A(T)/T = r g_I, "
        f"departure sd {BALANCE_SD:g} on ln r, fixed), not beta and lambda; the LM path and the "
        "speedrun enter as normal approximations of their shipped posteriors of ln r (a "
        "two-stage meta-analysis). r_population: the predictive r of a new software domain."
    ),
    exports={
        "r_population": Export(
            "",
            "returns to research of a new software domain, a draw of ln r ~ Normal(mu, tau)",
            lambda d: d["r_population"],
            ("r_population",),
        ),
    },
    upstream=tuple(s[1] for s in SUMMARIES),
    upstream_constants=_upstream_constants,
    shipped=(Shipped("returns_domains"),),
)

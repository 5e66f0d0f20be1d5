"""``algorithmic_progress``: how fast the compute needed for a fixed loss falls (Ho et al. 2024).

**The N, D form** (the bundled language-model data, or a user's table with parameters, data
and perplexity): algorithmic progress multiplies effective parameters and effective data,
N_e = N e^(g_N τ), D_e = D' e^(g_D τ), τ = t − t_ref (t_ref the data's mean date), D' the data
seen (D × epochs), in the scaling law of Ho et al. (2024) with benchmark-specific term scales:

    ln perplexity = A_b N_e^−alpha + B_b D_e^−beta                     (b: the benchmark)

written centred, ln(A_b N_e^−alpha) = a_b − alpha (ln N − mean ln N) − alpha g_N τ, through the
Chinchilla law of :mod:`takeoff.models.scaling` (E = 0). Student-t likelihood on ln perplexity.

*Why this form and not an additive benchmark offset* (E_b + A N_e^−alpha + B D_e^−beta, the
form issue 12 first named): on these data the offsets are not identified (the exponent of N is
~0.07, so the law has almost no curvature over the data and only E_b + term is seen; E_WT103
piles on its boundary at 0 with divergences) and, compared by PSIS-LOO on the same 261
observations, the Ho form is better by 13 ± 5.6 elpd (measured in the issue-12 prototypes:
best Ho variant elpd −2.9 vs best offset variant −14.9; see the fit's notes).

*What the data identify.* Left free, g_N and g_D trade against the exponents: a vanishing data
exponent times a fast rate is just a time trend (beta g_D is seen, not beta and g_D), so the
halving time is not identified. The model therefore samples the exponents alpha, beta, the
total rate g_total = g_N + g_D (what sets the halving time) and the share phi = g_N / g_total
of it that goes through parameters (a LABELLED PRIOR: Beta(1, 1); the data barely move it);
c_N = alpha phi g_total and c_D = beta (1 − phi) g_total are the time trends of the terms.

**compute_halving_months** — the time in which the physical compute needed to reach a fixed
loss halves. Derivation: at date t the loss is L = E + A N_e^−alpha + B D_e^−beta (E = 0 and
benchmark scales in the Ho form, which changes nothing below). Physical compute C = 6 N D'
gives 6 N_e D_e = C e^((g_N + g_D) τ) =: C_e. For fixed t, minimising L over the allocation
of C between N and D' is the Chinchilla problem in (N_e, D_e) at compute C_e (the map
N -> N_e, D' -> D_e is a fixed rescaling at fixed t), whose optimum is
L*(C_e) = E + K (C_e / 6)^−alpha beta/(alpha + beta) (Hoffmann et al. 2022, eq. 4; K > 0 a
constant of A, B, alpha, beta), strictly decreasing in C_e. So the compute-optimal loss depends
on (C, t) only through C e^((g_N + g_D) τ): holding the loss fixed, the compute needed is
C_req(t) = C_req(t_ref) e^−(g_N + g_D)(t − t_ref), for every target loss. Hence

    compute_halving_months = 12 ln 2 / g_total,   effective_compute_gain_per_year = e^g_total,

exactly, independent of E, A, B, alpha and beta (the same holds off the compute-optimal
allocation for any fixed allocation rule that scales with C).

**The compute-only form** for any domain (a user's table with date, compute and metric, e.g.
image-classification top-1 error against training compute and release date):

    metric = E + A (C e^(g_total τ))^−alpha      (metric lower-is-better, E >= 0)

Student-t on ln metric. Sampled: the metric's level at the data's centre (mean ln C, t_ref),
which the data pin down, and the share of it that is reducible, so E = (1 − share) level and
the term is share × level there (scale-free across domains; a floor E that the data do not
identify then sits along one bounded parameter instead of a ridge between two). Holding the
metric fixed, C_req ∝ e^(−g_total τ): the same compute_halving_months = 12 ln 2 / g_total.
Which form runs is chosen by the roles given.

Compared by LOO (``--compare``): no algorithmic progress (g_total = 0), progress through N
only (phi = 1), through D' only (phi = 0), a shared rate (phi = 1/2: g_N = g_D), a shared
exponent (alpha = beta) and the free model (c_N, c_D free: the degenerate ridge). Exports for
scenarios: ``algorithmic_rate`` (g_total, 1/yr), ``compute_halving_months``,
``effective_compute_gain_per_year``; the rate is constant over the data span (2012-2023), its
reference date t_ref is saved with the fit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models import scaling
from takeoff.models.distributions import Distribution
from takeoff.models.fits.fitspec import (
    Export,
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

LN2 = math.log(2.0)
BENCHMARKS = ("wt103", "wt2", "ptb")  # the bundled perplexity columns ppl_<benchmark>
# rows the authors exclude as fine-tuned (PROVENANCE: their selection rules)
FINE_TUNED = (
    "GPT3-6.7B + muP",
    "LLaMA-7B (LoRA finetuned)",
    "LLaMA-13B (LoRA finetuned)",
    "LLaMA-65B (LoRA finetuned)",
)
LM_ROLES = ("parameters", "data", "perplexity")
COMPUTE_ROLES = ("compute", "metric")
LM = ("lm", "shared_exp", "free")  # the N, D form and its structural variants
SHARE = ("lm", "shared_exp")  # variants that sample g_total and phi


def lm_observations(frame: pd.DataFrame) -> pd.DataFrame:
    """The bundled LM table selected by the authors' rules as PROVENANCE states them (N and D
    present, include not false, outlier false, uncertain false, a perplexity; minus the four
    fine-tuned rows), one row per (model, benchmark) with the fit's role columns; D' = D x
    epochs with empty epochs read as 1 (as the authors)."""
    ppl = frame[[f"ppl_{b}" for b in BENCHMARKS]]
    keep = (
        frame["parameters"].notna()
        & frame["dataset_tokens"].notna()
        & frame["include"].fillna(True).astype(bool)
        & ~frame["outlier"].astype(bool)
        & ~frame["uncertain"].astype(bool)
        & ppl.notna().any(axis=1)
        & ~frame["system"].isin(FINE_TUNED)
    )
    rows = frame[keep]
    parts = []
    for bench in BENCHMARKS:
        s = rows[rows[f"ppl_{bench}"].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "date": s["publication_date_year"].to_numpy(float),
                    "parameters": s["parameters"].to_numpy(float),
                    "data": s["dataset_tokens"].to_numpy(float),
                    "epochs": s["epochs"].fillna(1.0).to_numpy(float),
                    "benchmark": bench,
                    "perplexity": s[f"ppl_{bench}"].to_numpy(float),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _form(frame: pd.DataFrame) -> str:
    have = set(frame.columns)
    lm, compute = set(LM_ROLES) & have, set(COMPUTE_ROLES) & have
    if lm and compute:
        raise TakeoffError(
            "algorithmic_progress takes either parameters, data and perplexity (the N, D form) "
            "or compute and metric (the compute-only form), not both; map one set of roles"
        )
    if compute:
        missing = [r for r in COMPUTE_ROLES if r not in have]
        if missing:
            raise TakeoffError(
                f"the compute-only form of algorithmic_progress needs a {missing[0]} column; "
                f"give --column {missing[0]}=COLUMN"
            )
        return "compute"
    missing = [r for r in LM_ROLES if r not in have]
    if missing:
        raise TakeoffError(
            "algorithmic_progress needs the roles date, compute and metric (compute-only form) "
            f"or date, parameters, data and perplexity (N, D form); missing {', '.join(missing)}: "
            "give --column ROLE=COLUMN"
        )
    return "lm"


def _prepare(frame: pd.DataFrame, options: FitOptions) -> Prepared:
    form = _form(frame)
    frame = select_dates(frame, options)
    t = frame["date"].to_numpy(float)
    if form == "compute":
        require_rows(frame, 6, "algorithmic_progress (compute-only form)")
        log_c = np.log(frame["compute"].to_numpy(float))
        metric = frame["metric"].to_numpy(float)
        mean_c, t_ref = float(np.mean(log_c)), float(np.mean(t))
        return Prepared(
            arrays={"log_c_c": log_c - mean_c, "tau": t - t_ref, "log_metric": np.log(metric)},
            observed="log_metric",
            n=len(frame),
            constants={
                "mean_log_c": mean_c,
                "t_ref": t_ref,
                "log_median_metric": math.log(float(np.median(metric))),
            },
            variant="compute",
        )
    if options.variant not in ("", *LM):
        raise TakeoffError(f"algorithmic_progress has no variant '{options.variant}'")
    require_rows(frame, 11, "algorithmic_progress")
    epochs = frame["epochs"].to_numpy(float) if "epochs" in frame else np.ones(len(frame))
    log_n = np.log(frame["parameters"].to_numpy(float))
    log_d = np.log(frame["data"].to_numpy(float) * epochs)
    if "benchmark" in frame:
        names = [str(b) for b in frame["benchmark"]]
        levels = tuple(dict.fromkeys(b for b in BENCHMARKS if b in names)) + tuple(
            sorted(set(names) - set(BENCHMARKS))
        )
    else:
        names, levels = ["all"] * len(frame), ("all",)
    code = np.array([levels.index(b) for b in names], float)
    mean_n, mean_d, t_ref = float(np.mean(log_n)), float(np.mean(log_d)), float(np.mean(t))
    return Prepared(
        arrays={
            "log_n_c": log_n - mean_n,
            "log_d_c": log_d - mean_d,
            "tau": t - t_ref,
            "benchmark": code,
            "loss": np.log(frame["perplexity"].to_numpy(float)),
        },
        observed="loss",
        n=len(frame),
        constants={"mean_log_n": mean_n, "mean_log_d": mean_d, "t_ref": t_ref},
        variant=options.variant or "lm",
        levels={"benchmark": levels},
    )


def _derived(g_total, pm) -> None:
    pm.Deterministic("compute_halving_months", 12.0 * LN2 / g_total)
    pm.Deterministic("effective_compute_gain_per_year", pm.math.exp(g_total))


def _likelihood(prepared: Prepared, data, params) -> None:
    import pymc as pm
    import pytensor.tensor as pt

    alpha = params["alpha"]
    if prepared.variant == "compute":
        g, share, log_level = params["g_total"], params["reducible"], params["log_level"]
        E = pm.Deterministic("E", (1.0 - share) * pm.math.exp(log_level))
        log_term = pm.math.log(share) + log_level  # ln(A C^-alpha) at the centre
        c = alpha * g  # decline rate of ln(reducible metric) per year at fixed compute
        pm.Deterministic("A", pm.math.exp(log_term + alpha * data["mean_log_c"]))
        _derived(g, pm)
        term = pm.math.exp(log_term - alpha * data["log_c_c"] - c * data["tau"])
        pm.StudentT(
            "log_metric",
            nu=params["nu"],
            mu=pm.math.log(E + term),
            sigma=params["sigma"],
            observed=data["log_metric"],
            dims="obs",
        )
        return
    if prepared.variant == "shared_exp":
        beta = pm.Deterministic("beta", alpha)
    else:
        beta = params["beta"]
    if prepared.variant == "free":
        c_n, c_d = params["c_N"], params["c_D"]
        g_n = pm.Deterministic("g_N", c_n / alpha)
        g_d = pm.Deterministic("g_D", c_d / beta)
        g_total = pm.Deterministic("g_total", g_n + g_d)
        pm.Deterministic("phi", g_n / g_total)
    else:
        g_total, phi = params["g_total"], params["phi"]
        g_n = pm.Deterministic("g_N", phi * g_total)
        g_d = pm.Deterministic("g_D", (1.0 - phi) * g_total)
        c_n = pm.Deterministic("c_N", alpha * g_n)
        c_d = pm.Deterministic("c_D", beta * g_d)
    _derived(g_total, pm)
    bench = pt.cast(data["benchmark"], "int64")
    tau = data["tau"]
    log_term_n = params["log_term_n"][bench] - c_n * tau
    log_term_d = params["log_term_d"][bench] - c_d * tau
    mu = scaling.loss_centred(
        data["log_n_c"], data["log_d_c"], 0.0, log_term_n, log_term_d, alpha, beta
    )
    pm.StudentT(
        "loss", nu=params["nu"], mu=mu, sigma=params["sigma"], observed=data["loss"], dims="obs"
    )


# --- reading the posterior ---------------------------------------------------------------------


def compute_needed(posterior, years: np.ndarray, since: float) -> np.ndarray:
    """Draws (S, T) of the physical compute needed for a fixed loss at ``years`` relative to
    the compute needed at ``since``: e^(−g_total (t − since)) (the derivation above)."""
    g = np.asarray(posterior["g_total"].values, float).reshape(-1, 1)
    return np.exp(-g * (np.asarray(years, float)[None, :] - since))


def _share_prior_posterior(idata):
    from takeoff.models.fits.intervals import draws

    prior = Distribution("beta", a=1.0, b=1.0).sample(np.random.default_rng(0), 20000)
    post = draws(idata, "phi")
    lo, hi = np.quantile(prior, [0.03, 0.97])
    plo, phi_ = np.quantile(post, [0.03, 0.97])
    return (phi_ - plo) / (hi - lo)


def key_results(idata) -> list[str]:
    from takeoff.models.fits.intervals import draws, interval

    post = idata.posterior
    t_ref = float(post.attrs.get("const_t_ref", float("nan")))
    g = draws(idata, "g_total")
    lines = []
    if np.ptp(g) == 0:
        return [f"no algorithmic progress in this regime (g_total = {g[0]:g})"]
    halving = draws(idata, "compute_halving_months")
    lines.append(
        "compute_halving_months (physical compute for a fixed loss halves every): "
        + interval(halving, "months", 3)
    )
    lines.append(
        "effective_compute_gain_per_year: "
        + interval(draws(idata, "effective_compute_gain_per_year"), "x", 3)
    )
    lines.append(
        f"algorithmic_rate g_total (constant over the data, reference date {t_ref:.2f}): "
        + interval(g, "/yr", 3)
    )
    if post.attrs.get("variant") == "compute":
        lines.append(f"alpha (compute exponent): {interval(draws(idata, 'alpha'), '', 3)}")
        lines.append(f"E (floor of the metric): {interval(draws(idata, 'E'), '', 3)}")
        return lines
    lines.append(
        f"alpha (parameter exponent): {interval(draws(idata, 'alpha'), '', 3)}; beta (data "
        f"exponent): {interval(draws(idata, 'beta'), '', 3)}"
    )
    phi = draws(idata, "phi")
    if np.ptp(phi) > 0 and post.attrs.get("variant") != "free":
        lines.append(
            f"phi = g_N / g_total (share through parameters): {interval(phi, '', 3)}; "
            f"posterior/prior width {_share_prior_posterior(idata):.2f}: a LABELLED PRIOR "
            "(Beta(1, 1)), the data do not say whether progress came through N or D'"
        )
    if post.attrs.get("variant") == "free":
        lines.append(f"P(g_total > 0) = {np.mean(g > 0):.3f} (free rates: the degenerate ridge)")
    return lines


def _compact(values: np.ndarray, digits: int = 3) -> str:
    values = values[np.isfinite(values)]
    lo, mid, hi = np.quantile(values, [0.03, 0.5, 0.97])
    return f"{mid:.{digits}g} [{lo:.{digits}g}, {hi:.{digits}g}]"


def regime_summary(idata) -> dict[str, str]:
    from takeoff.models.fits.intervals import draws

    g = draws(idata, "g_total")
    out = {"g_total [1/yr]": _compact(g)}
    if np.ptp(g) == 0:
        out["compute_halving_months"] = "none (no progress)"
    else:
        out["compute_halving_months"] = _compact(draws(idata, "compute_halving_months"))
    for name in ("phi", "alpha", "beta"):
        if name == "phi" and np.ptp(g) == 0:
            out[name] = "-"
        elif name in idata.posterior:
            x = draws(idata, name)
            out[name] = _compact(x) if np.ptp(x) > 0 else f"{x[0]:g} (fixed)"
    return out


NOTES = (
    "Ho et al. (2024) form with benchmark-specific term scales, not the additive benchmark "
    "offset: by PSIS-LOO on the 261 bundled observations the Ho form is better by 13 +- 5.6 "
    "elpd (best Ho variant -2.9, best offset variant -14.9) and its offsets E_b would not be "
    "identified (they pile on their boundary at 0 with divergences). What the data identify is "
    "the total rate g_total and the exponents; the share phi of progress through parameters is "
    "a labelled prior (Beta(1, 1)), and the halving time moves with it (compare: n_only, "
    "shared_rate, d_only). The compute-only form (roles date, compute, metric) works on any "
    "table of a lower-is-better metric against training compute and date."
)

REGIMES = (
    Regime("none", {"g_total": 0.0}, description="no algorithmic progress (g_total = 0)"),
    Regime("n_only", {"phi": 1.0}, description="progress through parameters only (g_D = 0)"),
    Regime("d_only", {"phi": 0.0}, description="progress through data only (g_N = 0)"),
    Regime("shared_rate", {"phi": 0.5}, description="one rate for N and D' (g_N = g_D)"),
    Regime("shared_exponent", variant="shared_exp", description="one exponent (alpha = beta)"),
    Regime("free", variant="free", description="c_N, c_D free (the degenerate ridge)"),
)

ALGORITHMIC_PROGRESS = FitSpec(
    name="algorithmic_progress",
    title="Algorithmic progress: ln ppl = A_b (N e^(g_N t))^-alpha + B_b (D' e^(g_D t))^-beta "
    "(or metric = E + A (C e^(g t))^-alpha)",
    dataset="lm_algorithmic_progress",
    roles=(
        Role("date", "date", "date", "publication or release date", varies=2),
        Role(
            "parameters", "parameters", "positive", "model parameters N", required=False, varies=2
        ),
        Role("data", "data", "positive", "training data size D [tokens]", required=False, varies=2),
        Role("epochs", "epochs", "positive", "passes over the data (default 1)", required=False),
        Role("benchmark", "benchmark", "text", "evaluation benchmark", required=False),
        Role("perplexity", "perplexity", "positive", "test perplexity", required=False, varies=2),
        Role("compute", "compute", "positive", "training compute [FLOP]", required=False, varies=2),
        Role(
            "metric",
            "metric",
            "positive",
            "a loss or error rate, lower is better (compute-only form)",
            required=False,
            varies=2,
        ),
    ),
    priors=(
        Prior(
            "log_term_n",
            Distribution("normal", mu=math.log(1.5), sigma=1.5),
            "ln of the parameter term at the data's centre, per benchmark (~0.3-7 nats)",
            variant=LM,
            dims="benchmark",
        ),
        Prior(
            "log_term_d",
            Distribution("normal", mu=math.log(1.5), sigma=1.5),
            "ln of the data term at the data's centre, per benchmark (~0.3-7 nats)",
            variant=LM,
            dims="benchmark",
        ),
        Prior(
            "alpha",
            Distribution("lognormal", mu=math.log(0.15), sigma=0.75),
            "scaling exponent (of N; of C in the compute-only form), 90% in [0.044, 0.52]: "
            "covers power laws in the whole loss (Kaplan et al. 2020, ~0.07-0.1) and in the "
            "reducible loss (Chinchilla, ~0.3)",
        ),
        Prior(
            "beta",
            Distribution("lognormal", mu=math.log(0.15), sigma=0.75),
            "data exponent, as alpha",
            variant=("lm", "free"),
        ),
        Prior(
            "g_total",
            Distribution("halfnormal", sigma=1.0),
            "total rate of algorithmic progress g_N + g_D [1/yr]: effective compute x1-5 per "
            "year (90%), halving times from ~5 months to decades; algorithms do not regress",
            variant=(*SHARE, "compute"),
        ),
        Prior(
            "phi",
            Distribution("beta", a=1.0, b=1.0),
            "share of the progress through parameters, g_N / g_total: LABELLED PRIOR, uniform "
            "(the data do not identify it)",
            variant=SHARE,
        ),
        Prior(
            "c_N",
            Distribution("normal", mu=0.0, sigma=0.3),
            "free variant: yearly decline of ln(parameter term) at fixed N, alpha g_N [1/yr]",
            variant="free",
        ),
        Prior(
            "c_D",
            Distribution("normal", mu=0.0, sigma=0.3),
            "free variant: yearly decline of ln(data term) at fixed D', beta g_D [1/yr]",
            variant="free",
        ),
        Prior(
            "log_level",
            DataScaled("normal", mu="log_median_metric", sigma=1.0),
            "ln of the metric at the data's centre (mean ln C, mean date)",
            text="log_median_metric: ln of the median metric",
            variant="compute",
        ),
        Prior(
            "reducible",
            Distribution("beta", a=1.0, b=1.0),
            "share of the metric at the centre that compute and algorithms can still reduce, "
            "1 - E/level: uniform, any floor from 0 to the metric itself",
            variant="compute",
        ),
        Prior("sigma", Distribution("halfnormal", sigma=0.3), "scatter of ln perplexity/metric"),
        Prior(
            "nu",
            Distribution("gamma", alpha=2.0, beta=0.1),
            "Student-t degrees of freedom (Juárez & Steel 2010): robust to outlying models",
        ),
    ),
    prepare=_prepare,
    likelihood=_likelihood,
    summary_vars=(
        "compute_halving_months",
        "effective_compute_gain_per_year",
        "g_total",
        "phi",
        "alpha",
        "beta",
        "E",
        "sigma",
        "nu",
    ),
    regimes=REGIMES,
    options=("since", "until"),
    select_bundled=lm_observations,
    target_accept=0.95,  # the (phi, g_total) posterior is curved where phi nears 0
    tune=1500,
    notes=NOTES,
    exports={
        "algorithmic_rate": Export(
            "1/yr",
            "g_total: the compute needed for a fixed loss falls as e^(-g t) (constant over the "
            "data span; the fit's t_ref is its reference date)",
            lambda d: d["g_total"],
            ("g_total",),
        ),
        "compute_halving_months": Export(
            "months",
            "time in which the compute needed for a fixed loss halves",
            lambda d: d["compute_halving_months"],
            ("compute_halving_months",),
        ),
        "effective_compute_gain_per_year": Export(
            "x per yr",
            "effective-compute multiplier from algorithms per year, e^g_total",
            lambda d: d["effective_compute_gain_per_year"],
            ("effective_compute_gain_per_year",),
        ),
    },
    predictor=Predictor("tau", "publication date", "year", offset="t_ref"),
    shipped=(Shipped("algorithmic_progress"),),
)

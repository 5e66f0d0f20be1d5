"""What the Loop page ("The loop", ``views/chain_page.py``) shows of the takeoff_from_data
chain, shaped for the screen: the links in order with their shipped fits, a fit's data on the
axis a presenter talks about (Chinchilla's loss against training compute 6 N D; the compute a
fixed loss needs, from algorithmic progress's halving time), the labelled priors on AI labour
as a table with their reasons and the automation curve they imply, and the scenario with the
feedback switched off (its ``[counterfactual]`` parameters applied, e.g. A_ai = 0).

numpy and xarray only (no PyMC, no ArviZ): the shipped posteriors are read as NetCDF groups
(:func:`takeoff.data.posteriors.shipped_group`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from takeoff.data.posteriors import shipped_group
from takeoff.errors import TakeoffError
from takeoff.models.research_loop import log_automation
from takeoff.units import QUANTILES

SCENARIO = "takeoff_from_data"
VARIANTS = (
    "takeoff_from_data",
    "takeoff_from_data_compute_slowdown",
    "takeoff_from_data_data_wall",
    "takeoff_from_data_continual_learning",
    "takeoff_from_data_overhang",
)
PRIORS = ("H_half", "w", "rho", "A_ai", "S_max")  # the labelled priors on AI labour


@dataclass(frozen=True)
class Link:
    """One link of the chain: its section key, the shipped fit (file stem) and what it says."""

    key: str
    stem: str
    title: str
    says: str


LINKS = (
    Link(
        "compute",
        "compute_trend",
        "1. Compute: frontier training compute grows on a trend",
        "Physical training compute of frontier models against their publication date (Epoch "
        "AI), fitted log-linear with a robust (Student-t) likelihood. In the loop, physical "
        "compute C(t) grows at this rate (drawn with the read-out below).",
    ),
    Link(
        "algorithmic",
        "algorithmic_progress",
        "2. Algorithmic progress: the compute a fixed loss needs keeps halving",
        "Language models' loss against publication date (Ho et al. 2024), fitted with "
        "parameters and data that grow more effective each year; the halving time of the "
        "physical compute needed for a fixed loss is the algorithmic-progress rate. In the "
        "loop, software S (the efficiency multiplier) grows at this rate at the start.",
    ),
    Link(
        "chinchilla",
        "chinchilla",
        "3. Chinchilla: loss falls as a power of compute",
        "Final training loss of the Chinchilla runs against their training compute 6 N D "
        "(Hoffmann et al. 2022, the Besiroglu et al. replication), fitted L = E + A N^-alpha "
        "+ B D^-beta. In the loop, the compute-optimal loss at effective compute E = S C.",
    ),
    Link(
        "readout",
        "effective_readout",
        "4. The read-out: METR horizons from effective compute",
        "METR's 50% task time horizons against release date, read out from the loss that "
        "effective compute (physical x algorithmic) buys. Fitted against effective compute, "
        "not physical compute alone, so progress is not counted twice. Frontier models only; "
        "the exponent may change once (a prior on the date in the reasoning-model era), "
        "compared by LOO with one straight law. In the loop, this turns effective compute "
        "into the horizon H.",
    ),
    Link(
        "returns",
        "software_returns_lm",
        "5. Returns to research: how research input buys software progress",
        "The same language-model path fitted to the Jones law dS/dt = theta S^(1-beta) "
        "R^lambda. AN ESTIMATE: the research input R is labour only, the AI Futures Project's "
        "estimate of human labour on AI software R&D; compute for experiments is not in it. "
        "r = lambda / beta > 1 would mean software progress that feeds itself explodes.",
    ),
)


def draws_of(stem: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Posterior draws (all chains, flattened) of a shipped fit's variables."""
    post = shipped_group(stem)
    missing = [n for n in names if n not in post]
    if missing:
        raise TakeoffError(f"the shipped posterior '{stem}' has no {', '.join(missing)}")
    return {n: post[n].values.reshape(-1).astype(float) for n in names}


def chinchilla_on_compute(data):
    """Chinchilla's FitData with training compute C = 6 N D [FLOP] on the x axis (N and D of
    each run from the fit's constant data), instead of the parameter count."""
    const = shipped_group("chinchilla", "constant_data")
    attrs = shipped_group("chinchilla").attrs
    log_n = const["log_n_c"].values + float(attrs["const_mean_log_n"])
    log_d = const["log_d_c"].values + float(attrs["const_mean_log_d"])
    compute = 6.0 * np.exp(log_n + log_d)
    if compute.size != data.observed.size:
        raise TakeoffError("chinchilla's constant data do not match its observations")
    return dataclasses.replace(
        data, x=compute, xlabel="training compute 6 N D [FLOP]", x_unit="FLOP", log_x=True
    )


def fixed_loss_compute(t0: float, t1: float, points: int = 60) -> tuple[np.ndarray, dict]:
    """The physical compute a fixed loss needs, relative to its need at ``t0``, from ``t0`` to
    ``t1``: 2^-((t - t0) / halving), one curve per posterior draw of algorithmic_progress's
    halving time (``compute_halving_months``); returns (t, {quantile: values})."""
    months = draws_of("algorithmic_progress", ("compute_halving_months",))
    halving = months["compute_halving_months"] / 12.0
    t = np.linspace(t0, t1, points)
    curves = np.exp2(-(t[None, :] - t0) / halving[:, None])
    return t, {q: np.quantile(curves, q, axis=0) for q in QUANTILES}


def automation_band(scenario, horizons: np.ndarray, n: int = 4000, seed: int = 0) -> dict:
    """The share of AI-research tasks automatable at each horizon (minutes) under the
    scenario's priors on H_half and w, by the loop's own law (``research_loop.log_automation``)
    per prior draw, as {quantile: values}."""
    from takeoff.forecast.sources import Fixed, FromDistribution

    rng = np.random.default_rng(seed)
    values = {}
    for name in ("H_half", "w"):
        src = scenario.parameters.get(name)
        if isinstance(src, Fixed):
            values[name] = np.full(n, float(src.value))
        elif isinstance(src, FromDistribution):
            values[name] = src.transform(src.distribution.sample(rng, n))
        else:
            raise TakeoffError(f"{scenario.name}: {name} is not a labelled prior")
    share = np.exp(
        log_automation(
            np.log(horizons)[None, :], np.log(values["H_half"])[:, None], values["w"][:, None]
        )
    )
    return {q: np.quantile(share, q, axis=0) for q in QUANTILES}


def prior_rows(scenario, summary) -> list[dict]:
    """One row per labelled prior on AI labour: the distribution, its 5%, median and 95%, and
    the scenario's reason (``summary['input_reason']``, the file's comments)."""
    from takeoff.forecast.sources import Fixed, FromDistribution

    reasons = dict(
        zip(
            (str(v) for v in summary["input"].values),
            (str(v) for v in summary["input_reason"].values),
            strict=True,
        )
    )
    rows = []
    for name in PRIORS:
        src = scenario.parameters.get(name)
        if isinstance(src, FromDistribution):
            lo, mid, hi = src.transform(src.distribution.ppf(np.array([0.05, 0.5, 0.95])))
            spread = f"{lo:.3g} / {mid:.3g} / {hi:.3g}"
        elif isinstance(src, Fixed):
            spread = f"fixed at {src.value:.3g}"
        else:
            continue
        rows.append(
            {
                "parameter": name,
                "prior": src.describe(),
                "5% / median / 95%": spread,
                "why": reasons.get(name, scenario.reasons.get(name, "")),
            }
        )
    return rows


def fit_table(data):
    """A fit's observations with its posterior predictive's median and 90% interval at each,
    in data units (a link's data download)."""
    import pandas as pd

    frame = pd.DataFrame({data.xlabel: data.x, f"observed {data.ylabel}": data.observed})
    if data.predictive is not None:
        q05, q50, q95 = np.quantile(data.predictive, [0.05, 0.5, 0.95], axis=0)
        frame["predictive median"] = q50
        frame["predictive 5%"] = q05
        frame["predictive 95%"] = q95
    return frame


def without_feedback(scenario):
    """The scenario with its ``[counterfactual]`` parameters applied (takeoff_from_data: AI
    labour A_ai = 0, software grows with human research only), as a scenario of its own named
    ``<name>_<counterfactual>``; no counterfactual, data-period check or prior range of its own."""
    cf = scenario.counterfactual
    if cf is None:
        raise TakeoffError(f"scenario '{scenario.name}' has no [counterfactual] to switch off")
    return dataclasses.replace(
        scenario,
        name=f"{scenario.name}_{cf.name}",
        title=f"{scenario.title} ({cf.title})",
        parameters={**scenario.parameters, **cf.parameters},
        counterfactual=None,
        check_data=False,
        prior_range=False,
    )


PULLED = "feedback pulls it forward (median, 90%)"


def milestone_rows(summary, feedback: bool) -> list[dict]:
    """The milestone table: with feedback, the scenario's dates and how far the feedback
    pulls each forward; without, the counterfactual's dates from the same draws."""
    rows = []
    prefix = "" if feedback else "counterfactual_"
    for name in summary["milestone"].values:
        q = summary[f"{prefix}milestone_date"].sel(milestone=name)
        p = float(summary[f"{prefix}p_reached"].sel(milestone=name))
        pulled = summary["pulled_forward"].sel(milestone=name)
        rows.append(
            {
                "milestone": str(name).replace("_", " "),
                "median": _date(float(q.sel(quantile=0.5))),
                "90% interval": f"{_date(float(q.sel(quantile=0.05)))} to "
                f"{_date(float(q.sel(quantile=0.95)))}",
                "P(reached)": f"{p:.0%}",
                PULLED: f"{years_text(float(pulled.sel(quantile=0.5)))} "
                f"({years_text(float(pulled.sel(quantile=0.05)))} to "
                f"{years_text(float(pulled.sel(quantile=0.95)))})",
            }
        )
    return rows


def _date(value: float) -> str:
    return f"{value:.1f}" if np.isfinite(value) else "not reached"


def years_text(value: float) -> str:
    """Years pulled forward as text: "+1.3 yr", "only with feedback", "n/a"."""
    if np.isnan(value):
        return "n/a"
    if not np.isfinite(value):
        return "only with feedback" if value > 0 else "only without"
    return f"{value:+.1f} yr"


# --- figures (plotly, from plain dicts like takeoff.plots.interactive) -------------------------


def _band_figure(x, bands: dict, *, title: str, xaxis: dict, yaxis: dict, name: str):
    from takeoff.plots import plotly_parts as pp

    traces = pp.band_traces(x, bands, names=("90% of posterior draws", "50%"))
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": bands[0.5],
            "mode": "lines",
            "line": {"color": "rgb(31, 119, 180)", "width": 2.5},
            "name": name,
        }
    )
    return pp.plotly_figure(traces, pp.layout_spec(title, 400, xaxis=xaxis, yaxis=yaxis))


def fixed_loss_figure(t0: float, t1: float):
    """The compute a fixed loss needs, relative to ``t0``, with the posterior's 50% and 90%
    bands (log y)."""
    from takeoff.plots import plotly_parts as pp

    t, bands = fixed_loss_compute(t0, t1)
    return _band_figure(
        t,
        bands,
        title=f"algorithmic_progress: physical compute needed for a fixed loss, relative to "
        f"{t0:.0f}",
        xaxis=pp.axis("year"),
        yaxis=pp.axis(f"compute needed / compute needed in {t0:.0f}", log=True),
        name="median over the posterior",
    )


def automation_figure(scenario, seed: int = 0):
    """The prior share of AI-research tasks automatable against the 50% horizon (minutes, on
    a log axis labelled as durations)."""
    from takeoff.plots import plotly_parts as pp

    horizons = np.logspace(0, 7, 120)  # 1 minute to ~19 years of work
    bands = automation_band(scenario, horizons, seed=seed)
    axis = pp.minute_axis(pp.axis("50% task time horizon", log=True), 1.0, 1e7)
    fig = _band_figure(
        horizons,
        bands,
        title=f"{scenario.name}: share of AI-research tasks automatable (prior on H_half, w)",
        xaxis=axis,
        yaxis=pp.axis("share automatable", range=[0, 1]),
        name="median over the prior",
    )
    return fig

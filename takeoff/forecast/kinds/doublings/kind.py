"""The doublings kind: forecasts of the ``sie_doublings`` family. Parse its scenario tables,
simulate a block of draws, reduce it to exact counts, summarise and report.

The family is the published software-intelligence-explosion recursion (Davidson & Houlden
2025; ``takeoff.models.sie_doublings``). Its forecast metrics are the paper's: for each pair
(T months, m years) the probability that some run of k = floor((T/12) 8 m) consecutive software
doublings took less than T months ("m years of progress within T months"), with its Monte Carlo
standard error sqrt(p (1 - p) / n). Beside them: for each window T, P(some run of j doublings
took < T months) for every j (the whole curve the pairs are points of), the doublings done
before the simulation stopped, and why it stopped (48 months, or the ceiling: N doublings).

Milestones, takeoff durations, classes and singularity dates do not apply: the recursion has no
levels to reach on a calendar, only compressed progress, and it never blows up (it stops at the
ceiling). The summary says so instead of inventing them.

The accumulator holds integer counts only, so chunks (and Dask workers) add exactly and the
summary is the same whatever the chunking.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff import formatting
from takeoff.errors import TakeoffError
from takeoff.forecast.kind import ForecastKind
from takeoff.forecast.kinds.doublings import presentation as doublings_report
from takeoff.forecast.scenario import (
    Scenario,
    check_fixed_in_range,
    check_years,
    read_correlations,
    read_key,
    read_source,
    read_table,
)
from takeoff.models.sie import (
    DOUBLINGS_PER_YEAR,
    PUBLISHED_PAIRS,
    SC,
    SIE_DOUBLINGS,
    STOP_REASONS,
    VARIANTS,
    doublings_for,
    max_run,
    simulate_doublings,
    years_within,
)
from takeoff.units import QUANTILES

RUN_BINS = 4096  # histogram bins of doublings (0 .. RUN_BINS - 1; the last bin holds more)
TABLES = ("correlations", "metrics", "parameters", "scenario")


def parse(doc, head, lines, text) -> Scenario:
    """A scenario of the sie_doublings family: parameters, variant, horizon and metrics."""
    model = SIE_DOUBLINGS
    for table in doc:
        if table not in TABLES:
            raise lines.error(
                table,
                None,
                f"does not apply to {model.name}, which measures years of progress within T "
                f"months (no states, milestones or switch); use: {', '.join(TABLES)}",
            )
    allowed = ("name", "title", "rationale", "family", "years", "variant")
    for key in head:
        if key not in allowed:
            raise lines.error(
                "scenario", key, f"unknown key for {model.name}; use: {', '.join(allowed)}"
            )
    years = check_years(head, lines) if "years" in head else 4.0
    variant = head.get("variant", VARIANTS[0])
    if variant not in VARIANTS:
        raise lines.error(
            "scenario",
            "variant",
            f"unknown variant {variant!r}; choose one of: {', '.join(VARIANTS)}",
        )
    parameters = {}
    for key, value in read_table(doc, "parameters", lines).items():
        if key not in model.parameter_names:
            raise lines.error(
                "parameters",
                key,
                f"unknown parameter for {model.name}; parameters: "
                f"{', '.join(model.parameter_names)}",
            )
        parameters[key] = read_source(value, "parameters", key, lines)
        check_fixed_in_range(model, key, parameters[key], "parameters", lines)
    metrics_table = read_table(doc, "metrics", lines)
    for key in metrics_table:
        if key != "pairs":
            raise lines.error("metrics", key, "unknown key; use pairs = [[T_months, m_years], ...]")
    pairs = metrics_table.get("pairs", [list(p) for p in PUBLISHED_PAIRS])
    if not isinstance(pairs, list) or not pairs:
        raise lines.error("metrics", "pairs", "must be a non-empty list of [T_months, m_years]")
    metrics = []
    for item in pairs:
        ok = (
            isinstance(item, list)
            and len(item) == 2
            and all(
                isinstance(x, int | float)
                and not isinstance(x, bool)
                and math.isfinite(x)
                and x > 0
                for x in item
            )
        )
        if not ok:
            raise lines.error(
                "metrics",
                "pairs",
                f"each pair must be [T_months, m_years], both positive; got {item!r}",
            )
        try:
            doublings_for(float(item[0]), float(item[1]))
        except TakeoffError as exc:
            raise lines.error("metrics", "pairs", str(exc)) from None
        pair = (float(item[0]), float(item[1]))
        if pair in metrics:
            raise lines.error("metrics", "pairs", f"the pair {item!r} is given twice; give it once")
        metrics.append(pair)
    return Scenario(
        name=read_key(head, "name", str, lines, "scenario"),
        title=head.get("title", ""),
        rationale=" ".join(str(head.get("rationale", "")).split()),
        family=model.name,
        kind="doublings",
        start=0.0,
        years=years,
        parameters=parameters,
        correlations=read_correlations(doc, parameters, lines),
        text=text,
        variant=variant,
        metrics=tuple(metrics),
    )


def metric_label(months: float, years: float) -> str:
    return f"{years:g} yr in {months:g} mo"


def windows(scenario: Scenario) -> list[float]:
    """The distinct window lengths T (months) of the scenario's metrics, increasing."""
    return sorted({months for months, _ in scenario.metrics})


@dataclass
class SieBlock:
    """One block of simulated draws."""

    times: np.ndarray  # (n, steps) months at the end of each doubling; inf after stopping
    steps: np.ndarray  # (n,) doublings done
    stop: np.ndarray  # (n,) index into STOP_REASONS
    hits: np.ndarray  # (n, pairs) bool: m years of progress within T months
    runs: np.ndarray  # (n, windows) most consecutive doublings within T months
    values: dict[str, np.ndarray]  # every parameter of the model, drawn or default


def simulate_sie_block(scenario: Scenario, draws: dict[str, np.ndarray]) -> SieBlock:
    """Run the recursion for every draw of the block at once and measure it."""
    n = next(iter(draws.values())).shape[0] if draws else 1
    params = {}
    for p in SIE_DOUBLINGS.parameters:
        values = draws[p.name] if p.name in scenario.parameters else np.full(n, p.default)
        bad = np.isnan(values) | ~p.valid.contains(values)
        if bad.any():
            raise TakeoffError(
                f"scenario {scenario.name}: parameters {p.name} drew {values[bad][0]:g}, outside "
                f"its valid range {p.valid}; use a distribution or transform that stays inside it"
            )
        params[p.name] = values
    d = simulate_doublings(
        params["f"],
        params["r0"],
        params["L"],
        params["p"],
        constant_r=scenario.variant == "constant_r",
        t_max_months=12.0 * scenario.years,
    )
    hits = np.stack([years_within(d.times, t, m) for t, m in scenario.metrics], axis=1)
    runs = np.stack([max_run(d.times, t) for t in windows(scenario)], axis=1)
    return SieBlock(d.times, d.steps, d.stop, hits, runs, params)


def _counts(values: np.ndarray) -> np.ndarray:
    return np.bincount(np.minimum(values, RUN_BINS - 1), minlength=RUN_BINS).astype(np.int64)


@dataclass
class SieAccumulator:
    n: int
    hits: np.ndarray  # (pairs,) draws with m years of progress within T months
    runs: np.ndarray  # (windows, RUN_BINS) counts of the most doublings within T months
    doublings: np.ndarray  # (RUN_BINS,) counts of doublings done
    stop: np.ndarray  # (len(STOP_REASONS),) counts

    @classmethod
    def empty(cls, scenario: Scenario) -> SieAccumulator:
        return cls(
            n=0,
            hits=np.zeros(len(scenario.metrics), np.int64),
            runs=np.zeros((len(windows(scenario)), RUN_BINS), np.int64),
            doublings=np.zeros(RUN_BINS, np.int64),
            stop=np.zeros(len(STOP_REASONS), np.int64),
        )

    def add(self, scenario: Scenario, block: SieBlock) -> None:
        self.n += block.steps.shape[0]
        self.hits += block.hits.sum(axis=0)
        for j in range(block.runs.shape[1]):
            self.runs[j] += _counts(block.runs[:, j])
        self.doublings += _counts(block.steps)
        self.stop += np.bincount(block.stop, minlength=len(STOP_REASONS))

    def merge(self, other: SieAccumulator) -> SieAccumulator:
        return SieAccumulator(
            self.n + other.n,
            self.hits + other.hits,
            self.runs + other.runs,
            self.doublings + other.doublings,
            self.stop + other.stop,
        )


def standard_error(p: np.ndarray, n: int) -> np.ndarray:
    """Monte Carlo standard error of a share p of n independent draws: sqrt(p (1 - p) / n)."""
    return np.sqrt(np.asarray(p, dtype=float) * (1.0 - np.asarray(p, dtype=float)) / n)


def _discrete_quantiles(counts: np.ndarray, qs=QUANTILES) -> np.ndarray:
    """The smallest value whose CDF reaches q, for integer values 0, 1, ... counted in bins."""
    cdf = np.cumsum(counts) / counts.sum()
    return np.array([float(np.argmax(cdf >= q - 1e-12)) for q in qs])


def summarize_sie(scenario: Scenario, acc: SieAccumulator, seed: int, engine: str) -> xr.Dataset:
    """The forecast summary of an sie_doublings scenario (see the variables' long_name attrs)."""
    n = acc.n
    p = acc.hits / n
    months = [m for m, _ in scenario.metrics]
    years = [y for _, y in scenario.metrics]
    labels = [metric_label(m, y) for m, y in scenario.metrics]
    seen = max(int(np.flatnonzero(acc.runs.sum(axis=0))[-1]) if acc.runs.any() else 0, 1)
    exceed = acc.runs[:, ::-1].cumsum(axis=1)[:, ::-1][:, : seen + 1] / n  # P(run >= j)
    sources = "; ".join(
        f"{name} = {scenario.parameters[name].describe()}"
        if name in scenario.parameters
        else f"{name} = {SIE_DOUBLINGS.parameter(name).default:g} (default)"
        for name in SIE_DOUBLINGS.parameter_names
    )
    ds = xr.Dataset(
        {
            "p_years_within": (
                "metric",
                p,
                {
                    "long_name": "probability that some run of k consecutive software doublings "
                    "took less than T months (m years of progress within T months)"
                },
            ),
            "p_years_within_se": (
                "metric",
                standard_error(p, n),
                {"long_name": "Monte Carlo standard error sqrt(p (1 - p) / n)"},
            ),
            "hits": (
                "metric",
                acc.hits,
                {"long_name": "draws with m years of progress within T months (of n)"},
            ),
            "p_run_within": (
                ("window", "run"),
                exceed,
                {
                    "long_name": "P(some run of `run` consecutive doublings took less than "
                    "`window` months)"
                },
            ),
            "doublings_done": (
                "quantile",
                _discrete_quantiles(acc.doublings),
                {"long_name": "quantiles of the doublings done before the simulation stopped"},
            ),
            "stop_probability": (
                "stop_reason",
                acc.stop / n,
                {
                    "long_name": "why simulations stopped: the time limit, or the ceiling "
                    "(N = (4/sc) L doublings done, or r <= 0)"
                },
            ),
        },
        coords={
            "metric": labels,
            "months": ("metric", np.array(months), {"units": "months", "long_name": "T"}),
            "years": ("metric", np.array(years), {"units": "years of progress", "long_name": "m"}),
            "doublings": (
                "metric",
                np.array([doublings_for(m, y) for m, y in scenario.metrics]),
                {"long_name": "k = floor((T/12) 8 m) consecutive doublings"},
            ),
            "window": ("window", np.array(windows(scenario)), {"units": "months"}),
            "run": ("run", np.arange(seen + 1), {"long_name": "consecutive doublings"}),
            "run_years": (
                "run",
                np.arange(seen + 1) / DOUBLINGS_PER_YEAR,
                {"units": "years of progress", "long_name": "run / 8"},
            ),
            "quantile": list(QUANTILES),
            "stop_reason": list(STOP_REASONS),
        },
    )
    ds.attrs.update(
        scenario=scenario.name,
        title=scenario.title,
        kind="doublings",
        family=scenario.family,
        variant=scenario.variant,
        t_max_months=12.0 * scenario.years,
        sc=SC,
        doublings_per_year=DOUBLINGS_PER_YEAR,
        parameters=sources,
        draws=int(n),
        seed=int(seed),
        engine=engine,
        rationale=scenario.rationale,
        not_applicable="milestones, takeoff duration and classes, singularity: the recursion "
        "measures compressed progress and stops at its ceiling",
    )
    return ds


def per_draw_sie(scenario: Scenario, blocks: list[SieBlock]) -> xr.Dataset:
    """Per-draw results (local engine, keep_draws=True): doubling times, metrics, parameters."""
    width = max(b.times.shape[1] for b in blocks)
    times = np.concatenate(
        [
            np.pad(b.times, ((0, 0), (0, width - b.times.shape[1])), constant_values=np.inf)
            for b in blocks
        ]
    )
    labels = [metric_label(m, y) for m, y in scenario.metrics]
    ds = xr.Dataset(
        {
            "t_doubling": (
                ("draw", "step"),
                times,
                {"units": "months", "long_name": "end of each doubling (inf: not done)"},
            ),
            "doublings_done": ("draw", np.concatenate([b.steps for b in blocks])),
            "stop_reason": (
                "draw",
                np.array(STOP_REASONS)[np.concatenate([b.stop for b in blocks])],
            ),
            "years_within": (("draw", "metric"), np.concatenate([b.hits for b in blocks])),
            "max_run": (
                ("draw", "window"),
                np.concatenate([b.runs for b in blocks]),
                {"long_name": "most consecutive doublings that took less than `window` months"},
            ),
        },
        coords={
            "draw": np.arange(times.shape[0]),
            "step": np.arange(1, width + 1),
            "metric": labels,
            "window": ("window", np.array(windows(scenario)), {"units": "months"}),
        },
    )
    for key in blocks[0].values:
        ds[key] = ("draw", np.concatenate([b.values[key] for b in blocks]))
    return ds


def _row(cells: list[str], widths: list[int]) -> str:
    return ("   " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()


def format_sie_summary(summary: xr.Dataset) -> str:
    """The table printed for an sie_doublings scenario: the (T, m) probabilities with s.e."""
    a = summary.attrs
    variant = "constant r" if a["variant"] == "constant_r" else "r decays to 0 at the ceiling"
    lines = [
        f"== {a['scenario']}: {a['title']}",
        f"   {a['family']} ({variant}), {a['draws']:,} draws, seed {a['seed']}, engine "
        f"{a['engine']}; simulations stop at {a['t_max_months']:g} months",
        f"   parameters: {a['parameters']}",
    ]
    rows = [["years of progress within T months", "doublings", "P", "s.e."]]
    for i in range(summary.sizes["metric"]):
        rows.append(
            [
                f"{float(summary['years'][i]):g} years within {float(summary['months'][i]):g} "
                "months",
                f"{int(summary['doublings'][i])}",
                f"{float(summary['p_years_within'][i]):.3f}",
                f"{float(summary['p_years_within_se'][i]):.3f}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines += [_row(r, widths) for r in rows]
    q = summary["doublings_done"]
    per_year = float(a["doublings_per_year"])
    lines.append(
        f"   doublings done: median {float(q.sel(quantile=0.5)):g} "
        f"({float(q.sel(quantile=0.5)) / per_year:g} years of progress), 90% interval "
        f"{float(q.sel(quantile=0.05)):g} to {float(q.sel(quantile=0.95)):g}; stopped at the "
        f"ceiling {float(summary['stop_probability'].sel(stop_reason='ceiling')):.3f}, at "
        f"{a['t_max_months']:g} months "
        f"{float(summary['stop_probability'].sel(stop_reason='time limit')):.3f}"
    )
    lines.append(f"   not applicable: {a['not_applicable']}")
    return "\n".join(lines)


def format_comparison(summaries: list[xr.Dataset]) -> str:
    """Side by side: P(m years of progress within T months) ± s.e. for each scenario."""
    labels: list[str] = []
    for s in summaries:
        labels += [str(x) for x in s["metric"].values if str(x) not in labels]
    names = [str(s.attrs["scenario"]) for s in summaries]
    rows = [["P(m years of progress within T months)", *names]]
    for label in labels:
        row = [label]
        for s in summaries:
            if label in s["metric"].values:
                p = float(s["p_years_within"].sel(metric=label))
                se = float(s["p_years_within_se"].sel(metric=label))
                row.append(f"{p:.3f} ± {se:.3f}")
            else:
                row.append("-")
        rows.append(row)
    draws = ", ".join(f"{s.attrs['scenario']} {s.attrs['draws']:,}" for s in summaries)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = [f"== comparison (draws: {draws}; ± one Monte Carlo standard error)"]
    out += [_row(r, widths) for r in rows]
    return "\n".join(out)


def sie_summary_row(summary: xr.Dataset) -> dict:
    """One CSV row: the probabilities and standard errors of the (T, m) metrics."""
    a = summary.attrs
    row = {
        "scenario": a["scenario"],
        "family": a["family"],
        "draws": a["draws"],
        "seed": a["seed"],
        "engine": a["engine"],
        "variant": a["variant"],
    }
    for i in range(summary.sizes["metric"]):
        key = f"{float(summary['years'][i]):g}y_in_{float(summary['months'][i]):g}m"
        row[f"p_{key}"] = float(summary["p_years_within"][i])
        row[f"se_{key}"] = float(summary["p_years_within_se"][i])
    q = summary["doublings_done"]
    row["doublings_done_median"] = float(q.sel(quantile=0.5))
    row["p_ceiling"] = float(summary["stop_probability"].sel(stop_reason="ceiling"))
    return row


def headline(summary: xr.Dataset) -> list[tuple[str, str, str]]:
    """(column, label, value): P(m years of progress within T months) for each metric."""
    return [
        (
            f"P({summary['metric'].values[i]})",
            f"P({float(summary['years'][i]):g} years of progress within "
            f"{float(summary['months'][i]):g} months)",
            formatting.probability(float(summary["p_years_within"][i])),
        )
        for i in range(summary.sizes["metric"])
    ]


def sensitivity_outputs(scenario: Scenario):
    raise TakeoffError(
        f"scenario {scenario.name} is a sie_doublings recursion, which has no milestones or "
        "takeoff date to analyse; sensitivity takes the ODE-family scenarios"
    )


DOUBLINGS = ForecastKind(
    name="doublings",
    description="runs of software doublings (Davidson & Houlden 2025): P(m years of progress "
    "within T months)",
    families=lambda: (SIE_DOUBLINGS.name,),
    parse=parse,
    simulate=simulate_sie_block,
    accumulator=SieAccumulator.empty,
    summarize=summarize_sie,
    per_draw=per_draw_sie,
    format=format_sie_summary,
    row=sie_summary_row,
    long_rows=doublings_report.long_rows,
    headline=headline,
    figures=doublings_report.figures,
    interactive_figures=doublings_report.interactive_figures,
    comparison_figures=doublings_report.comparison_figures,
    headline_table=doublings_report.headline_table,
    report_sections=doublings_report.report_sections,
    sensitivity_outputs=sensitivity_outputs,
    compare=format_comparison,
    caption=lambda summary: f"Not applicable to this model: {summary.attrs['not_applicable']}.",
    batch_blocks=True,  # every draw is simulated on its own: the batch does not change a result
)

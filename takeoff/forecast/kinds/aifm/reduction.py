"""The aifm kind's exact reduction: the accumulator of integer counts (date histograms of 1/256
year, counts by each year, statuses, histograms of log10 paths) and exact extremes, which adds
up identically over chunks and Dask workers (a ``Counts``); the summary Dataset it gives
(quantiles from the histograms and P(by year) with its standard error, both read as
``takeoff.forecast.reduction`` reads them; where the numbers come from) and the per-draw
results."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from takeoff.forecast.kinds.aifm.links import (
    LINKS,
    missing_link_reason,
)
from takeoff.forecast.kinds.aifm.quantities import (
    CDF_STEP,
    DATE_AND_PATH_QUANTILES,
    DATE_BINS_PER_YEAR,
    LOG10_BIN,
    LOG10_HIGH,
    LOG10_LOW,
    MILESTONE_LABELS,
    NAME,
    PATH_BINS,
    PATHS,
    STATUSES,
)
from takeoff.forecast.kinds.aifm.scenario import (
    AifmScenario,
)
from takeoff.forecast.kinds.aifm.simulation import (
    AifmBlock,
)
from takeoff.forecast.reduction import Counts, histogram_quantiles, standard_error
from takeoff.forecast.sources import Fixed, FromPosterior
from takeoff.models import aifm


def _date_bins(scenario) -> int:
    return round(scenario.years * DATE_BINS_PER_YEAR)


MIN, MAX = {"merge": "min"}, {"merge": "max"}  # exact extremes: merged by min / max


@dataclass
class AifmAccumulator(Counts):
    """Exact counts of an aifm forecast's blocks (``merge``: field by field, the extremes by
    min / max)."""

    n: int
    status: np.ndarray  # (statuses,)
    clamped: int
    reached: np.ndarray  # (milestones,) ok draws that reach it by the end
    by: np.ndarray  # (milestones, years) ok draws that reach it by each year
    dates: np.ndarray  # (milestones, date bins)
    date_min: np.ndarray = field(metadata=MIN)  # (milestones,) exact extremes of the dates
    date_max: np.ndarray = field(metadata=MAX)
    paths: np.ndarray = field()  # (paths, times, PATH_BINS) of log10 values
    path_min: np.ndarray = field(metadata=MIN)  # (paths, times) exact extremes of the log10s
    path_max: np.ndarray = field(metadata=MAX)

    @classmethod
    def empty(cls, scenario: AifmScenario) -> AifmAccumulator:
        m, T = len(aifm.MILESTONES), scenario.output_times().size
        return cls(
            n=0,
            status=np.zeros(len(STATUSES), np.int64),
            clamped=0,
            reached=np.zeros(m, np.int64),
            by=np.zeros((m, len(scenario.probability_by)), np.int64),
            dates=np.zeros((m, _date_bins(scenario)), np.int64),
            date_min=np.full(m, np.inf),
            date_max=np.full(m, -np.inf),
            paths=np.zeros((len(PATHS), T, PATH_BINS), np.int64),
            path_min=np.full((len(PATHS), T), np.inf),
            path_max=np.full((len(PATHS), T), -np.inf),
        )

    def add(self, scenario: AifmScenario, block: AifmBlock) -> None:
        codes = list(STATUSES)
        self.n += block.status.shape[0]
        self.status += np.array([(block.status == c).sum() for c in codes], np.int64)
        self.clamped += int(block.clamped.sum())
        ok = block.status == aifm.OK
        bins = self.dates.shape[1]
        for j in range(self.dates.shape[0]):
            d = block.dates[ok, j]
            d = d[np.isfinite(d)]
            self.reached[j] += d.size
            for k, year in enumerate(scenario.probability_by):
                self.by[j, k] += int((d <= year).sum())
            if d.size:
                index = np.clip(
                    np.floor((d - scenario.start) * DATE_BINS_PER_YEAR).astype(np.int64),
                    0,
                    bins - 1,
                )
                self.dates[j] += np.bincount(index, minlength=bins)
                self.date_min[j] = min(self.date_min[j], d.min())
                self.date_max[j] = max(self.date_max[j], d.max())
        T = self.paths.shape[1]
        for q in range(len(PATHS)):
            with np.errstate(divide="ignore", invalid="ignore"):
                x = np.log10(block.paths[q][ok])  # (n_ok, T); -inf where a value is 0
            if not x.size:
                continue
            valid = ~np.isnan(x)
            index = np.clip(
                np.floor((np.clip(np.where(valid, x, 0.0), LOG10_LOW, LOG10_HIGH) - LOG10_LOW)
                         / LOG10_BIN),
                0,
                PATH_BINS - 1,
            ).astype(np.int64)  # fmt: skip
            flat = np.arange(T)[None, :] * PATH_BINS + index
            self.paths[q] += np.bincount(flat[valid], minlength=T * PATH_BINS).reshape(T, PATH_BINS)
            self.path_min[q] = np.minimum(self.path_min[q], np.where(valid, x, np.inf).min(axis=0))
            self.path_max[q] = np.maximum(self.path_max[q], np.where(valid, x, -np.inf).max(axis=0))


def summarize_aifm(scenario: AifmScenario, acc: AifmAccumulator, seed: int, engine: str):
    """The forecast summary of an aifm scenario (see the variables' long_name attrs)."""
    n_ok = int(acc.status[list(STATUSES).index(aifm.OK)])
    names = list(aifm.MILESTONES)
    width = 1.0 / DATE_BINS_PER_YEAR
    dates = np.stack(
        [
            histogram_quantiles(
                acc.dates[j],
                n_ok,
                DATE_AND_PATH_QUANTILES,
                scenario.start,
                width,
                acc.date_min[j],
                acc.date_max[j],
            )
            for j in range(len(names))
        ]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        p_by = acc.by / n_ok if n_ok else np.full(acc.by.shape, np.nan)
        p_reached = acc.reached / n_ok if n_ok else np.full(acc.reached.shape, np.nan)
    edges = np.arange(0, acc.dates.shape[1] + 1, CDF_STEP)
    if edges[-1] != acc.dates.shape[1]:
        edges = np.append(edges, acc.dates.shape[1])
    cum = np.concatenate([np.zeros((len(names), 1)), np.cumsum(acc.dates, axis=1)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cdf = cum[:, edges] / n_ok if n_ok else np.full((len(names), edges.size), np.nan)
    cdf[:, -1] = p_reached  # the last bin holds dates up to the end itself
    times = scenario.output_times()
    paths = np.empty((len(PATHS), times.size, len(DATE_AND_PATH_QUANTILES)))
    for q in range(len(PATHS)):
        for t in range(times.size):
            paths[q, t] = 10.0 ** histogram_quantiles(
                acc.paths[q, t],
                int(acc.paths[q, t].sum()),
                DATE_AND_PATH_QUANTILES,
                LOG10_LOW,
                LOG10_BIN,
                acc.path_min[q, t],
                acc.path_max[q, t],
                edges=True,
            )
    status_names = list(STATUSES.values())
    ds = xr.Dataset(
        {
            "milestone_date": (
                ("milestone", "quantile"),
                dates,
                {
                    "units": "decimal year",
                    "long_name": "quantiles of the milestone date over the draws that ran "
                    "(inf: not reached by the end)",
                    "resolution": f"1/{DATE_BINS_PER_YEAR} yr (exact when the draws agree)",
                },
            ),
            "p_by": (
                ("milestone", "year"),
                p_by,
                {"long_name": "P(milestone reached by the year), over the draws that ran"},
            ),
            "p_by_se": (
                ("milestone", "year"),
                standard_error(p_by, n_ok),
                {"long_name": "Monte Carlo standard error sqrt(p (1 - p) / n)"},
            ),
            "p_reached": (
                "milestone",
                p_reached,
                {"long_name": "P(milestone reached by the end)"},
            ),
            "p_reached_se": (
                "milestone",
                standard_error(p_reached, n_ok),
                {"long_name": "Monte Carlo standard error sqrt(p (1 - p) / n)"},
            ),
            "reached": ("milestone", acc.reached, {"long_name": "draws that reach it by the end"}),
            "milestone_cdf": (
                ("milestone", "date"),
                cdf,
                {"long_name": "P(milestone reached by date)"},
            ),
            "status_count": (
                "status",
                acc.status,
                {"long_name": "draws by status (every status but ok is a failed draw)"},
            ),
            "path_quantile": (
                ("path", "time", "quantile"),
                paths,
                {
                    "long_name": "quantiles of each path over the draws that ran",
                    "resolution": f"{LOG10_BIN} decades (exact when the draws agree), values "
                    f"outside 1e{LOG10_LOW:g}..1e{LOG10_HIGH:g} counted at the edges",
                },
            ),
        },
        coords={
            "milestone": names,
            "milestone_label": ("milestone", [MILESTONE_LABELS[m] for m in names]),
            "quantile": list(DATE_AND_PATH_QUANTILES),
            "year": ("year", np.array(scenario.probability_by), {"units": "decimal year"}),
            "status": status_names,
            "time": ("time", times, {"units": "decimal year"}),
            "path_label": ("path", [label for _, label, _ in PATHS]),
            "path_unit": ("path", [unit for _, _, unit in PATHS]),
            "date": (
                "date",
                scenario.start + edges / DATE_BINS_PER_YEAR,
                {"units": "decimal year"},
            ),
        },
    )
    ds = ds.assign_coords(path=[p for p, _, _ in PATHS])
    from_data, still_peer = link_report(scenario)
    ds.attrs.update(
        scenario=scenario.name,
        title=scenario.title,
        kind=NAME,
        family=NAME,
        peer=f"{aifm.PEER} @ {aifm.PEER_COMMIT[:8]}",
        start=float(scenario.start),
        end=float(scenario.end),
        draws=int(acc.n),
        draws_ok=n_ok,
        failed=int(acc.n - n_ok),
        rs_clamped=int(acc.clamped),
        deterministic=int(not scenario.uncertain()),
        published_priors=int(scenario.published),
        seed=int(seed),
        engine=engine,
        rationale=scenario.rationale,
        parameters="; ".join(
            f"{k} = {src.describe()}" for k, src in sorted(scenario.parameters.items())
        ),
        sources=sources_line(scenario),
        from_data=from_data,
        still_peer=still_peer,
        dropped_correlations=", ".join(scenario.dropped_correlations),
    )
    return ds


def sources_line(scenario: AifmScenario) -> str:
    """Where the scenario's numbers come from, in one line."""
    parts = []
    if scenario.published:
        parts.append(
            "the published Monte Carlo priors and correlations (sampling_config.yaml, "
            "aifm_priors.toml)"
        )
    else:
        parts.append("the published defaults (model_config.py)")
    series = "constant_training_compute_growth_rate" in scenario.parameters or any(
        u.name == "training_compute" for u in scenario.links
    )
    parts.append(
        "training compute growth from the time-series parameters"
        if series
        else "the published input series (input_data.csv)"
    )
    uncertain = [
        k
        for k, v in scenario.parameters.items()
        if not k.startswith("link.") and not isinstance(v, Fixed)
    ]
    if not scenario.published and uncertain:
        parts.append(f"uncertain: {', '.join(sorted(uncertain))}")
    return "; ".join(parts)


def link_report(scenario: AifmScenario) -> tuple[str, str]:
    """(the links from data, the links still the peer's) as text."""
    used = {u.name: u for u in scenario.links}
    posterior = sorted(
        f"{k} <- {v.source}:{v.variable}"
        for k, v in scenario.parameters.items()
        if isinstance(v, FromPosterior) and not k.startswith("link.") and k not in scenario.linked()
    )
    from_data = [u.describe() for u in scenario.links] + posterior
    peer = [
        f"{spec.label} ({', '.join(spec.sets)}: {missing_link_reason(spec) or 'not linked here'})"
        for name, spec in LINKS.items()
        if name not in used
    ]
    return "; ".join(from_data) or "none", "; ".join(peer)


def per_draw_aifm(scenario: AifmScenario, blocks: list[AifmBlock]) -> xr.Dataset:
    """Per-draw results (local engine, keep_draws=True): dates, statuses, paths, parameters."""
    ds = xr.Dataset(
        {
            "milestone_date": (
                ("draw", "milestone"),
                np.concatenate([b.dates for b in blocks]),
                {"units": "decimal year", "long_name": "inf: not reached; NaN: the draw failed"},
            ),
            "status": (
                "draw",
                np.array(list(STATUSES.values()))[np.concatenate([b.status for b in blocks])],
            ),
            "rs_clamped": ("draw", np.concatenate([b.clamped for b in blocks])),
            "path_value": (
                ("path", "draw", "time"),
                np.concatenate([b.paths for b in blocks], axis=1),
            ),
        },
        coords={
            "draw": np.arange(sum(b.status.shape[0] for b in blocks)),
            "milestone": list(aifm.MILESTONES),
            "path": [p for p, _, _ in PATHS],
            "time": blocks[0].times,
        },
    )
    for key in blocks[0].values:
        ds[key.replace(".", "_")] = ("draw", np.concatenate([b.values[key] for b in blocks]))
    return ds

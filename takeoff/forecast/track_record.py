"""The track record: rolling-origin backtests of the loop and simple baselines, scored with
proper scores on the same held-out points.

At each origin every dated fit is refitted on the rows dated before it (``track_context``),
every model (``track_models.MODELS``) predicts the observations dated at or after it, and each
held-out point gets its log predictive density, CRPS, PIT and whether it fell inside the
central 50% and 90% predictive intervals (``scoring``). ``TrackRecord.scores`` is the table
model x origin x score per series (and pooled over origins, "all": a point counted once per
origin that predicted it), with the skill of each model against the reference of its series
(the exponential METR trend; the compute trend; no uplift for the uplift measurements) as the
ELPD difference with its paired standard error and 1 − CRPS / CRPS_ref; ``feedback`` is the
loop with against without AI feedback. A model that cannot run (the joint loop fit until it is
registered) is listed in ``meta["not_available"]`` and skipped; a model that says nothing
about a series has no row for it.

The main job never refits: ``shipped()`` reads the last full run from
``takeoff/data/track_record`` (points.csv, fans.csv, meta.csv; PROVENANCE.md names the command,
the commit and the date).

Run:  takeoff backtest takeoff_from_data --origin 2024 [--origin 2025 ...] [--out DIR]
"""

from __future__ import annotations

import itertools
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff import formatting
from takeoff.errors import TakeoffError
from takeoff.forecast import scoring
from takeoff.forecast.track_context import (
    DATED,
    METR,
    SERIES_UNITS,
    UPLIFT,
    Origin,
    Settings,
    check_origins,
    fan_grid,
    held_out,
)
from takeoff.forecast.track_models import FEEDBACK_PAIR, MODELS, REFERENCE, Model

# Modelling choices made knowing data after some origins: a backtest with them is not the
# forecast a modeller would have made then, only a check of today's model on later points.
HINDSIGHT = (
    "METR's Time Horizon 1.1 horizons were all measured in 2025-2026 on one task suite, the early "
    "models retrospectively: no forecaster at the 2022-2024 origins had these numbers",
    "the read-out's form (ln horizon linear in log effective compute, the hazard form) was "
    "chosen after the clipped form failed to converge on the data through 2026",
    "horizon_dynamics' priors were sized on the full data: the doubling time centred on 200 "
    "days, |eps| = 0.3 scaled to the data's ~15 doublings",
    "the loop's structure and labelled priors (H_half ~ a work month, A_ai, g_I from the AI "
    "Futures Project's 2026 projections, S_max) were set in 2026, knowing every point scored",
    "software_returns_lm's research input is the AI Futures Project's 2025-26 estimate of "
    "AI-R&D labour, back-cast over the years before each origin",
    "chinchilla (an undated 2022 cross-section) is kept as shipped at every origin",
    "the uplift measurement model's bias priors (takeoff/models/uplift.py) were set in 2026 "
    "knowing every uplift measurement scored: the self-report bias is centred on the 2025 "
    "trial's gap (reported 1.2x against 0.84x measured), itself a held-out point at every origin",
)
POINT_COLUMNS = ("origin", "series", "model", "point", "date", "observed", "lpd", "crps", "pit",
                 "median", "lo50", "hi50", "lo90", "hi90", "in50", "in90", "error")  # fmt: skip
FAN_COLUMNS = ("origin", "series", "model", "date", "q05", "q25", "q50", "q75", "q95")
SAMPLES = 4000  # predictive samples per point for CRPS, PIT and intervals


@dataclass(frozen=True)
class TrackRecord:
    """Per held-out point and model (``points``, ``POINT_COLUMNS``), the METR fans each model
    drew at each origin (``fans``), the run's settings (``meta``) and the refits' convergence
    problems ``(origin, fit, problem)``."""

    scenario: str
    points: pd.DataFrame
    fans: pd.DataFrame
    meta: dict = field(default_factory=dict)
    problems: tuple[tuple[float, str, str], ...] = ()
    labels: dict = field(default_factory=lambda: {m.name: m.label for m in MODELS})

    @property
    def origins(self) -> list[float]:
        return sorted(self.points["origin"].unique())

    def scores(self) -> pd.DataFrame:
        return scores_table(self.points)

    def feedback(self) -> pd.DataFrame:
        return feedback_table(self.points)

    def pit_counts(self, series: str = METR, bins: int = 10) -> pd.DataFrame:
        """PIT histogram counts per model over every held-out point of ``series``."""
        rows = {}
        for model, g in self.points[self.points["series"] == series].groupby("model", sort=False):
            rows[model] = scoring.pit_histogram(g["pit"].to_numpy(float), bins)
        edges = np.linspace(0, 1, bins + 1)
        index = [f"{a:.1f}-{b:.1f}" for a, b in itertools.pairwise(edges)]
        return pd.DataFrame(rows, index=index)

    def verdict(self) -> str:
        return verdict_line(self.points)

    def format(self) -> str:
        return format_track_record(self)

    def write(self, folder: Path) -> list[Path]:
        """points.csv, fans.csv, meta.csv (and problems.csv) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"scenario": self.scenario, **self.meta}
        problems = pd.DataFrame(list(self.problems), columns=["origin", "fit", "problem"])
        out = []
        for name, frame in (
            ("points", self.points),
            ("fans", self.fans),
            ("meta", pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})),
            ("problems", problems),
        ):
            path = folder / f"{name}.csv"
            frame.to_csv(path, index=False, float_format="%.6g")
            out.append(path)
        return out


def read(folder: Path) -> TrackRecord:
    """A track record written by ``TrackRecord.write``."""
    missing = [n for n in ("points", "fans", "meta") if not (folder / f"{n}.csv").exists()]
    if missing:
        raise TakeoffError(
            f"{folder} has no {missing[0]}.csv; run takeoff backtest takeoff_from_data "
            "--origin ... --out DIR first"
        )
    points = pd.read_csv(folder / "points.csv")
    points["in50"], points["in90"] = points["in50"].astype(bool), points["in90"].astype(bool)
    meta = dict(pd.read_csv(folder / "meta.csv", dtype=str).itertuples(index=False))
    problems = ()
    if (folder / "problems.csv").exists():
        p = pd.read_csv(folder / "problems.csv")
        problems = tuple((float(o), str(f), str(q)) for o, f, q in p.itertuples(index=False))
    return TrackRecord(
        meta.pop("scenario", ""), points, pd.read_csv(folder / "fans.csv"), meta, problems
    )


def shipped_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("takeoff.data") / "track_record"))


def shipped() -> TrackRecord | None:
    """The shipped track record (None when none is shipped)."""
    folder = shipped_dir()
    return read(folder) if (folder / "points.csv").exists() else None


# --- running --------------------------------------------------------------------------------


def run_track_record(
    scenario: str = "takeoff_from_data",
    origins: Sequence[float] = (2024.0,),
    settings: Settings | None = None,
    *,
    models: Sequence[Model] = MODELS,
    say: Callable[[str], None] = lambda s: None,
    after_origin: Callable[[TrackRecord], None] | None = None,
) -> TrackRecord:
    """Refit, predict and score every model at every origin (see the module docstring).
    ``after_origin`` receives the record so far after each origin (e.g. to save it)."""
    from takeoff.forecast.loading import load_scenario

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if sc.family != "research_loop":
        raise TakeoffError(
            f"{sc.name} is a {sc.family} scenario; the track record runs research_loop "
            "scenarios (e.g. takeoff_from_data)"
        )
    origins = check_origins(origins)
    settings = settings or Settings()
    skipped = {m.name: why for m in models if (why := m.unavailable())}
    for m in models:
        if m.name in skipped:
            say(f"{m.label}: not available: {skipped[m.name]}; skipped")
    every = models
    models = [m for m in models if m.name not in skipped]
    points, fans, problems = [], [], []
    shared: dict = {}  # refits shared by origins with the same training rows
    with tempfile.TemporaryDirectory() as tmp:
        for i, origin in enumerate(origins):
            ctx = Origin(origin, sc, settings, i, Path(tmp), say, shared=shared)
            rng = np.random.default_rng([settings.seed, i])
            for series in SERIES_UNITS:
                held = held_out(series, origin)
                if held is None:
                    continue
                for m in models:
                    if series not in m.predicts:
                        continue
                    pred = m.predicts[series](ctx, held)
                    points.append(score_points(origin, m.name, held, pred, rng))
                    if series == METR:
                        grid = fan_grid(series, origin, float(np.median(held.sigma)))
                        fans.append(fan_rows(origin, m.name, grid, m.predicts[series](ctx, grid)))
            problems += [(origin, f, p) for f, p in ctx.problems]
            if after_origin is not None:
                after_origin(
                    _record(
                        sc.name, origins[: i + 1], settings, points, fans, problems, every, skipped
                    )
                )
    return _record(sc.name, origins, settings, points, fans, problems, every, skipped)


def _record(name, origins, settings, points, fans, problems, models, skipped) -> TrackRecord:
    meta = {
        "origins": " ".join(f"{o:g}" for o in sorted(origins)),
        "run_order": " ".join(f"{o:g}" for o in origins),
        "draws": settings.draws,
        "chains": settings.chains,
        "tune": settings.tune or "each fit's own",
        "forecast_draws": settings.forecast_draws,
        "seed": settings.seed,
        "refitted": " ".join(DATED),
        "not_available": "; ".join(f"{k}: {v}" for k, v in skipped.items()) or "none",
    }
    return TrackRecord(
        name,
        pd.concat(points, ignore_index=True) if points else pd.DataFrame(columns=POINT_COLUMNS),
        pd.concat(fans, ignore_index=True) if fans else pd.DataFrame(columns=FAN_COLUMNS),
        meta,
        tuple(problems),
        {m.name: m.label for m in models},
    )


def score_points(origin, model, held, predictive, rng) -> pd.DataFrame:
    """One row per held-out point: its proper scores, intervals and error (``POINT_COLUMNS``)."""
    per_draw = max(1, math.ceil(SAMPLES / predictive.loc.shape[0]))
    samples = predictive.sample(rng, per_draw)
    y = held.observed
    q = np.quantile(samples, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return pd.DataFrame(
        {
            "origin": float(origin),
            "series": held.series,
            "model": model,
            "point": np.arange(held.n),
            "date": held.dates,
            "observed": y,
            "lpd": scoring.log_density(predictive, y),
            "crps": scoring.crps(samples, y),
            "pit": scoring.pit(samples, y),
            "median": q[2],
            "lo50": q[1],
            "hi50": q[3],
            "lo90": q[0],
            "hi90": q[4],
            "in50": (q[1] <= y) & (y <= q[3]),
            "in90": (q[0] <= y) & (y <= q[4]),
            "error": q[2] - y,
        },
        columns=list(POINT_COLUMNS),
    )


def fan_rows(origin, model, grid, predictive) -> pd.DataFrame:
    """The predictive quantiles on a date grid (a fan as drawn at the origin)."""
    samples = predictive.sample(np.random.default_rng(0), 1)
    q = np.quantile(samples, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    out = {"origin": float(origin), "series": grid.series, "model": model, "date": grid.dates}
    out.update({c: q[i] for i, c in enumerate(FAN_COLUMNS[4:])})
    return pd.DataFrame(out, columns=list(FAN_COLUMNS))


# --- tables ----------------------------------------------------------------------------------


def _pooled(points: pd.DataFrame) -> pd.DataFrame:
    """The points with an extra copy labelled origin "all"."""
    p = points.copy()
    p["origin"] = p["origin"].map(lambda o: f"{o:g}")
    p["key"] = p["origin"] + "/" + p["point"].astype(str)  # a point of one origin's held-out set
    every = p.copy()
    every["origin"] = "all"
    return pd.concat([p, every], ignore_index=True)


def _paired(points, model, ref, keys=("series", "origin")) -> dict:
    """{key: (ELPD(model) − ELPD(ref), its paired se, points)} over the points both predicted."""
    a = points[points["model"] == model].set_index([*keys, "key"])["lpd"]
    b = points[points["model"] == ref].set_index([*keys, "key"])["lpd"]
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna()
    out = {}
    for key, g in both.groupby(level=list(range(len(keys))), sort=False):
        out[key] = (*scoring.paired_difference(g["a"].to_numpy(), g["b"].to_numpy()), len(g))
    return out


def scores_table(points: pd.DataFrame) -> pd.DataFrame:
    """Series x model x origin (and "all"): n, ELPD and its se, mean CRPS, coverage of the 50%
    and 90% intervals, median error, and against the series' reference model the ELPD
    difference (paired se) and the CRPS skill 1 − CRPS / CRPS_ref."""
    p = _pooled(points)
    rows = []
    crps_ref = {}
    for (series, origin), g in p.groupby(["series", "origin"], sort=False):
        ref = REFERENCE.get(series)
        if ref is not None and (g["model"] == ref).any():
            crps_ref[series, origin] = g.loc[g["model"] == ref, "crps"].mean()
    diffs = {}
    for series, ref in REFERENCE.items():
        for model in p.loc[p["series"] == series, "model"].unique():
            for key, v in _paired(p, model, ref).items():
                diffs[(model, *key)] = v
    for (series, model, origin), g in p.groupby(["series", "model", "origin"], sort=False):
        total, se = scoring.elpd(g["lpd"].to_numpy())
        d, dse, _ = diffs.get((model, series, origin), (math.nan, math.nan, 0))
        ref_crps = crps_ref.get((series, origin), math.nan)
        rows.append(
            {
                "series": series,
                "model": model,
                "origin": origin,
                "n": len(g),
                "elpd": total,
                "elpd_se": se,
                "crps": g["crps"].mean(),
                "coverage50": g["in50"].mean(),
                "coverage90": g["in90"].mean(),
                "median_error": g["error"].median(),
                "elpd_vs_ref": d,
                "elpd_vs_ref_se": dse,
                "crps_skill": 1 - g["crps"].mean() / ref_crps,
            }
        )
    return _ordered(pd.DataFrame(rows), list(dict.fromkeys(points["model"])))


def _origin_order(origin: str) -> float:
    return math.inf if origin == "all" else float(origin)


def _ordered(table: pd.DataFrame, models: list[str] | None = None) -> pd.DataFrame:
    """Rows by series, origin in date order ("all" last) and model (as first scored)."""
    keys = [table["origin"].map(_origin_order)]
    names = ["_o"]
    if models is not None:
        keys = [
            table["series"].map(list(SERIES_UNITS).index),
            *keys,
            table["model"].map(models.index),
        ]
        names = ["_s", *names, "_m"]
    order = pd.concat(keys, axis=1, keys=names).sort_values(names, kind="stable").index
    return table.loc[order].reset_index(drop=True)


def feedback_table(points: pd.DataFrame, series: str = METR) -> pd.DataFrame:
    """ELPD(loop with feedback) − ELPD(without), paired over the same points, per origin."""
    on, off = FEEDBACK_PAIR
    chosen = points[points["series"] == series]
    if not {on, off} <= set(chosen["model"]):
        return pd.DataFrame()
    p = _pooled(chosen)
    rows = [
        {
            "origin": key[-1],
            "n": n,
            "elpd_difference": d,
            "se": se,
        }
        for key, (d, se, n) in _paired(p, on, off).items()
    ]
    return _ordered(pd.DataFrame(rows)) if rows else pd.DataFrame(rows)


def verdict_line(points: pd.DataFrame) -> str:
    """One line: does the loop beat the exponential METR trend on the held-out horizons, and is
    its coverage within 10 points of nominal."""
    s = scores_table(points)
    row = s[(s["series"] == METR) & (s["origin"] == "all")].set_index("model")
    if "loop" not in row.index or REFERENCE[METR] not in row.index:
        return "Track record: no METR backtest of the loop against the exponential trend."
    r = row.loc["loop"]
    d, se = r["elpd_vs_ref"], r["elpd_vs_ref_se"]
    by_elpd, by_crps = d > 0, r["crps_skill"] > 0
    off = max(abs(r["coverage50"] - 0.5), abs(r["coverage90"] - 0.9)) > 0.10
    origins = sorted({float(o) for o in points["origin"]})
    what = (
        f"{int(r['n'])} held-out METR horizons from origins {', '.join(f'{o:g}' for o in origins)}"
    )
    cover = (
        f"covers {r['coverage50']:.0%} in its 50% and {r['coverage90']:.0%} in its 90% intervals"
    )
    comparison = (
        f"ELPD {d:+.1f} ± {se:.1f}, CRPS skill {r['crps_skill']:+.0%} against the exponential trend"
    )
    if by_elpd and by_crps:
        head = "Track record: the loop beats the exponential METR trend"
    elif by_elpd or by_crps:  # the two proper scores disagree: say which way each goes
        better, worse = ("log score", "CRPS") if by_elpd else ("CRPS", "log score")
        head = (
            f"Track record: the loop beats the exponential METR trend by {better} but NOT by "
            f"{worse}"
        )
    else:
        head = "Track record: the loop does NOT beat the exponential METR trend"
    tail = (
        " and its coverage is off by more than 10 points"
        if off
        else " and its coverage is within 10 points"
    )
    best = row.drop(index=REFERENCE[METR])["elpd_vs_ref"].idxmax()
    leader = (
        ""
        if best == "loop"
        else f"; by log score the {_short_label(best)} scores best "
        f"(ELPD {row.loc[best, 'elpd_vs_ref']:+.1f} against the exponential trend)"
    )
    return f"{head}{tail} ({what}: {comparison}; it {cover}{leader})."


def _short_label(name: str) -> str:
    """A model's label without its bracketed source, e.g. 'superexponential METR trend'."""
    label = {m.name: m.label for m in MODELS}.get(name, name)
    return label.split(" (", 1)[0]


def score_tables(t: TrackRecord) -> list[formatting.Table]:
    """The scores as tables: one per series (model x origin), then the feedback difference."""
    s = t.scores()
    out = []
    for series in SERIES_UNITS:
        g = s[s["series"] == series]
        if g.empty:
            continue
        ref = REFERENCE.get(series)
        rows = tuple(
            (
                t.labels.get(r.model, r.model),
                str(r.origin),
                str(r.n),
                f"{r.elpd:.1f} ± {r.elpd_se:.1f}",
                f"{r.crps:.3f}",
                f"{r.coverage50:.0%}",
                f"{r.coverage90:.0%}",
                f"{r.median_error:+.2f}",
                ""
                if math.isnan(r.elpd_vs_ref) or r.model == ref
                else (f"{r.elpd_vs_ref:+.1f} ± {r.elpd_vs_ref_se:.1f}"),
                "" if math.isnan(r.crps_skill) or r.model == ref else f"{r.crps_skill:+.0%}",
            )
            for r in g.itertuples(index=False)
        )
        reference = t.labels.get(ref, ref) if ref else "none"
        silent = (
            [m.label.split(" (", 1)[0] for m in MODELS if series not in m.predicts]
            if series == UPLIFT
            else []
        )
        out.append(
            formatting.Table(
                f"{series} ({SERIES_UNITS[series]}): scores on the points after each origin",
                (
                    "model",
                    "origin",
                    "points",
                    "ELPD ± se",
                    "CRPS",
                    "in 50%",
                    "in 90%",
                    "median error",
                    "ΔELPD vs ref ± se",
                    "CRPS skill",
                ),
                rows,
                f"reference: {reference}. ELPD: summed log predictive density (higher is "
                "better); CRPS: mean, on the series' log scale (lower is better); skill "
                "1 − CRPS/CRPS_ref; median error = median prediction − observation; origin "
                "'all' pools every origin (a point counted once per origin that predicted it)."
                + (SERIES_NOTES.get(series, ""))
                + (
                    f" No row (they say nothing about this series; not scored as zero): "
                    f"{'; '.join(silent)}."
                    if silent
                    else ""
                ),
            )
        )
    for series, what in ((METR, "later horizons"), (UPLIFT, "uplift measurements")):
        fb = feedback_table(t.points, series)
        if fb.empty:
            continue
        out.append(
            formatting.Table(
                f"AI feedback on against off: ELPD(loop) − ELPD(loop, A_ai = 0) on the {series} "
                "points",
                ("origin", "points", "ΔELPD", "se (paired)"),
                tuple(
                    (str(r.origin), str(r.n), f"{r.elpd_difference:+.2f}", f"{r.se:.2f}")
                    for r in fb.itertuples(index=False)
                ),
                f"positive: the feedback made the forecast of the {what} better",
            )
        )
    return out


SERIES_NOTES = {
    UPLIFT: " Only rows whose role is measurement are scored (forecaster anchors, model "
    "outputs and self-forecasts never). Each prediction is ln U + the bias of the row's kind of "
    "evidence with the measurement model's scatter and the row's reported interval (Student-t, "
    "nu = 5); the biases and the scatter are drawn from their priors (takeoff.models.uplift: no "
    "measurement lies before any origin), the same draws for every model, so the loop without "
    "feedback (U = 1 exactly) and the no-uplift baseline are the same forecast by construction."
}


def shipped_verdict(scenarios: Sequence[str]) -> str:
    """The shipped track record's one-line verdict when its scenario is among ``scenarios``
    (the main job's headline), else ""."""
    record = shipped()
    if record is None or record.scenario not in scenarios:
        return ""
    return record.verdict()


def format_track_record(t: TrackRecord) -> str:
    lines = [
        t.verdict(),
        "",
        f"Rolling-origin backtest of {t.scenario}: every dated fit refitted on the data before "
        f"each origin ({', '.join(DATED)}), every model scored on the same later points.",
        "ELPD: summed log predictive density (higher is better; ± its se); CRPS: mean, on the "
        "series' log scale (lower is better); skill against the reference (exponential trend "
        "for METR, compute trend for compute, no uplift for the uplift measurements): ELPD "
        "difference ± paired se and 1 − CRPS/CRPS_ref.",
    ]
    for table in score_tables(t):
        lines += [
            "",
            table.title + ":",
            pd.DataFrame(list(table.rows), columns=list(table.columns)).to_string(index=False),
            table.note,
        ]
    for series in (METR, UPLIFT):
        counts = t.pit_counts(series)
        if not counts.empty:
            lines += [
                "",
                f"PIT histogram of the {series} held-out points (counts per tenth; flat = "
                "calibrated):",
                counts.T.to_string(),
            ]
    if t.meta.get("not_available", "none") != "none":
        for entry in str(t.meta["not_available"]).split("; "):
            name, why = entry.split(": ", 1)
            lines.append(f"Not scored: {t.labels.get(name, name)}: not available: {why}.")
    lines += ["", "Chosen knowing data after some origins (hindsight):"]
    lines += [f"  - {h}" for h in HINDSIGHT]
    for origin, fit, problem in t.problems:
        lines.append(f"NOT CONVERGED at origin {formatting.number(origin, 5)}: {fit}: {problem}")
    return "\n".join(lines)

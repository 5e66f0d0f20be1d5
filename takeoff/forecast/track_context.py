"""What a rolling-origin backtest knows at one origin: the held-out observations after it, the
fits refitted on the data before it, and the loop run from it.

- ``HeldOut``: the observations of one series dated at or after the origin (on the series' log
  scale) with each point's reported measurement sd where the series has one (METR; the uplift
  measurements with a reported 95% interval). The uplift series holds only the rows whose role is
  ``measurement`` (``takeoff.data.ai_uplift``): forecaster anchors, model outputs, self-forecasts
  and excluded rows are never scored.
- ``Origin``: the per-origin context the model entries (``track_models``) draw on. ``fit``
  refits a dated fit on the rows dated before the origin (``FitOptions(until=origin)``), with
  its dated upstream fits refitted first and undated ones (``chinchilla``) as shipped, once per
  origin (cached); ``loop`` runs the loop scenario from the origin on those refits, with its
  AI feedback on or off (A_ai = 0: the scenario's own counterfactual), keeping the draws.
- ``check_origins``: an origin needs at least ``MIN_METR_ROWS`` METR rows before it and one
  after it, and every dated fit at least one row before it; a bad origin is refused in one line.

The row minimum. The horizon fits declare "at least 6 rows" (one more than their 5 parameters)
for their own command; here every one of their parameters has a proper prior and the horizons
identify only the line (level and slope; eps, scatter and nu lean on their priors with few
rows), so the backtest asks for two METR rows before an origin, as the loop's own read-out
(``effective_readout``) does. With 2-5 rows the trend fits' eps is its prior: reported, not
hidden.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.forecast.loop_backtest import REFITTED as LOOP_LINKS

METR, COMPUTE, LM = "METR horizon", "training compute", "LM perplexity"
UPLIFT = "AI uplift"
SERIES_UNITS = {
    METR: "ln minutes",
    COMPUTE: "log10 FLOP",
    LM: "ln perplexity",
    UPLIFT: "ln speed factor",
}
DATED = (*LOOP_LINKS, "horizon_dynamics", "horizon_readout")  # refitted before each origin
JOINT = "research_loop"  # the joint loop fit (track_joint), refitted when it is registered
MIN_METR_ROWS = 2
LN_CAP = math.log(1e12)  # ln minutes: draws that blew up before a date are placed here
FAN_END = 2026.5  # fans run from the origin to here (past the last held-out point)


@dataclass(frozen=True)
class Settings:
    """Sampler and forecast sizes of one backtest: posterior draws per chain, chains, tuning
    steps (None: each fit's own), forecast draws of the loop, seed."""

    draws: int = 500
    chains: int = 2
    tune: int | None = None
    forecast_draws: int = 2000
    seed: int = 0


@dataclass(frozen=True)
class HeldOut:
    """Observations of ``series`` at ``dates`` (log scale, see ``SERIES_UNITS``), each with its
    measurement sd ``sigma`` (0 where the series reports none). ``observed`` may be NaN (a fan's
    grid: predicted, not scored)."""

    series: str
    dates: np.ndarray
    observed: np.ndarray
    sigma: np.ndarray
    extra: pd.DataFrame | None = None  # covariates some models need (LM: N, D, benchmark;
    # uplift: id, kind of evidence)

    @property
    def n(self) -> int:
        return len(self.dates)


def metr_table() -> pd.DataFrame:
    """The METR rows the horizon fits use (Time Horizon 1.1), dated, with ln H and its sd from
    the reported interval (the fits' own ``prepare_horizons``)."""
    from takeoff.models.fits import FitOptions, get_fit
    from takeoff.models.fits.metr import prepare_horizons
    from takeoff.models.fits.tables import load_table

    frame = load_table(get_fit("horizon_dynamics"), None).frame.sort_values("date")
    prepared = prepare_horizons(frame, FitOptions(), "METR held-out rows", free_parameters=0)
    return pd.DataFrame(
        {
            "date": frame["date"].to_numpy(float),
            "observed": prepared.arrays["log_h"],
            "sigma": prepared.arrays["sigma_obs"],
            "frontier": frame["frontier"].astype(bool).to_numpy() if "frontier" in frame else True,
        }
    )


def compute_table() -> pd.DataFrame:
    """Frontier training compute as compute_trend fits it (frontier models from 2010), log10."""
    from takeoff.models.fits import FitOptions, get_fit
    from takeoff.models.fits.backtest import select_rows
    from takeoff.models.fits.tables import load_table

    spec = get_fit("compute_trend")
    frame = select_rows(spec, load_table(spec, None).frame, FitOptions())
    return pd.DataFrame(
        {"date": frame["date"].to_numpy(float), "observed": np.log10(frame["y"].to_numpy(float))}
    )


def lm_table() -> pd.DataFrame:
    """The language-model rows of algorithmic_progress (date, ln perplexity, covariates)."""
    from takeoff.models.fits import get_fit
    from takeoff.models.fits.tables import load_table

    frame = load_table(get_fit("algorithmic_progress"), None).frame.sort_values("date")
    out = frame.reset_index(drop=True).copy()
    out["observed"] = np.log(out["perplexity"].to_numpy(float))
    return out


def uplift_table() -> pd.DataFrame:
    """The uplift measurements (role ``measurement`` only), dated, with ln uplift, its sd on the
    log scale from the reported 95% interval (0 where none is reported) and the kind of
    evidence: the rows and the reading of the ``research_loop`` fit's uplift likelihood."""
    from takeoff.data.ai_uplift import load_uplift, measurements
    from takeoff.models.uplift import log_sd_from_interval

    rows = measurements(load_uplift()).sort_values("date", kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "id": rows["id"],
            "kind": rows["kind"],
            "date": rows["date"].to_numpy(float),
            "observed": np.log(rows["uplift"].to_numpy(float)),
            "sigma": log_sd_from_interval(rows["uplift_low"], rows["uplift_high"]),
        }
    )


def held_out(series: str, origin: float) -> HeldOut | None:
    """The observations of ``series`` dated at or after ``origin`` (None when there are none;
    LM rows only for benchmarks seen before the origin, which the fit can code)."""
    if series in (METR, COMPUTE):
        t = metr_table() if series == METR else compute_table()
        t = t[t["date"] >= origin]
        if t.empty:
            return None
        sigma = t["sigma"].to_numpy() if "sigma" in t else np.zeros(len(t))
        return HeldOut(series, t["date"].to_numpy(), t["observed"].to_numpy(), sigma)
    if series == LM:
        t = lm_table()
        seen = set(t.loc[t["date"] < origin, "benchmark"])
        t = t[(t["date"] >= origin) & t["benchmark"].isin(seen)].reset_index(drop=True)
        if t.empty:
            return None
        return HeldOut(LM, t["date"].to_numpy(float), t["observed"].to_numpy(), np.zeros(len(t)), t)
    if series == UPLIFT:
        t = uplift_table()
        t = t[t["date"] >= origin].reset_index(drop=True)
        if t.empty:
            return None
        return HeldOut(
            UPLIFT,
            t["date"].to_numpy(),
            t["observed"].to_numpy(),
            t["sigma"].to_numpy(),
            t[["id", "kind"]],
        )
    raise TakeoffError(f"unknown series {series!r}; choose one of {', '.join(SERIES_UNITS)}")


def fan_grid(series: str, origin: float, sigma: float = 0.0, points: int = 25) -> HeldOut:
    """A date grid from the origin to ``FAN_END`` to draw a model's fan on (nothing observed)."""
    dates = np.linspace(origin, max(FAN_END, origin + 0.5), points)
    return HeldOut(series, dates, np.full(points, np.nan), np.full(points, sigma))


def check_origins(origins) -> list[float]:
    """Distinct origins in the order given (the order they are run in), each with data to fit
    before and to score after (one-line refusals naming what to do)."""
    values = list(dict.fromkeys(float(o) for o in origins))
    if not values:
        raise TakeoffError("give at least one --origin, e.g. --origin 2024")
    metr = metr_table()["date"].to_numpy()
    for o in values:
        before, after = int((metr < o).sum()), int((metr >= o).sum())
        if after == 0:
            raise TakeoffError(
                f"origin {o:g} is after the last METR point ({metr.max():.2f}): nothing to score; "
                "choose an earlier origin"
            )
        if before < MIN_METR_ROWS:
            raise TakeoffError(
                f"origin {o:g} has {before} METR point(s) before it; the fits need at least "
                f"{MIN_METR_ROWS} (choose an origin after {np.sort(metr)[MIN_METR_ROWS - 1]:.2f})"
            )
    return values


def _backtest_spec(name: str):
    """The fit as the backtest refits it: the horizon fits with the two-row minimum (see the
    module docstring); every other fit as declared."""
    from takeoff.models.fits import get_fit
    from takeoff.models.fits.metr import prepare_horizons

    spec = get_fit(name)
    if name in ("horizon_dynamics", "horizon_readout"):
        spec = dataclasses.replace(spec, prepare=partial(_prepare_two_rows, prepare_horizons, name))
    return spec


def _prepare_two_rows(prepare_horizons, name, frame, options):
    return prepare_horizons(frame, options, name, free_parameters=MIN_METR_ROWS - 1)


@dataclass
class Origin:
    """The per-origin context (see the module docstring). ``problems``: convergence problems
    of its refits, ``(fit, problem)``."""

    origin: float
    scenario: object  # the loop Scenario
    settings: Settings
    index: int
    folder: Path  # where its refits are saved for the loop's posterior sources
    say: Callable[[str], None] = lambda s: None
    problems: list[tuple[str, str]] = field(default_factory=list)
    shared: dict = field(default_factory=dict)  # refits by training set, across origins
    _fits: dict = field(default_factory=dict)
    _runs: dict = field(default_factory=dict)

    def training_key(self, name: str, fixed: dict[str, float] | None = None) -> str:
        """What a refit depends on: the fit, its fixed values, how many of its rows are dated
        before the origin (rows are added in date order, so the count names the set) and the
        same for its dated upstream fits. Two origins with the same key share one refit (e.g.
        the LM fits at every origin after their last row, 2023.4)."""
        from takeoff.models.fits.tables import load_table

        spec = _backtest_spec(name)
        frame = load_table(spec, None).frame
        if spec.default_since is not None:
            frame = frame[frame["date"] >= spec.default_since]
        n = int((frame["date"].to_numpy(float) < self.origin).sum())
        fixed_text = "".join(f",{k}={v:g}" for k, v in sorted((fixed or {}).items()))
        ups = "".join(f"+{self.training_key(u)}" for u in spec.upstream if u in DATED)
        if name == JOINT:  # the joint fit also takes compute rows and uplift measurements
            before = [int((t["date"].to_numpy(float) < self.origin).sum())
                      for t in (compute_table(), uplift_table())]  # fmt: skip
            ups += f"+compute@{before[0]}+uplift@{before[1]}"
        return f"{name}{fixed_text}@{n}{ups}"

    def fit(self, name: str, fixed: dict[str, float] | None = None):
        """``name`` refitted on the rows dated before the origin (cached; shared with another
        origin whose training rows are the same)."""
        from takeoff.models.fits import FitOptions, diagnose, fit

        key = (name, tuple(sorted((fixed or {}).items())))
        if key in self._fits:
            return self._fits[key]
        same = self.training_key(name, fixed)
        if same in self.shared:
            self._fits[key] = self.shared[same]
            self.say(f"origin {self.origin:g}: {name}: same training rows as an earlier origin")
            return self._fits[key]
        spec = _backtest_spec(name)
        upstream = {u: self.fit(u) for u in spec.upstream if u in DATED}
        label = name + "".join(f" {k}={v:g}" for k, v in key[1])
        self.say(f"origin {self.origin:g}: fitting {label} on data before {self.origin:g} ...")
        s = self.settings
        idata = fit(
            spec,
            options=FitOptions(until=self.origin),
            fixed=fixed,
            upstream=upstream,
            draws=s.draws,
            tune=s.tune,
            chains=s.chains,
            seed=s.seed + self.index,
            progress=False,
            posterior_predictive=False,
            log_likelihood=False,
        )
        self.problems += [(label, p) for p in diagnose(idata, spec.summary_vars).problems]
        self._fits[key] = self.shared[same] = idata
        return idata

    def loop(self, feedback: bool = True):
        """Per-draw results of the loop run from the origin on the refitted links (feedback
        off: A_ai = 0, with every other input at the same draw; the scenario's seed)."""
        from takeoff.forecast.loop_backtest import at_origin
        from takeoff.forecast.monte_carlo import forecast
        from takeoff.forecast.sources import Fixed, Transform
        from takeoff.models.fits import save_fit

        if feedback in self._runs:
            return self._runs[feedback]
        files = {}
        for name in LOOP_LINKS:
            path = self.folder / f"{name}_{self.index}.nc"
            if not path.exists():
                save_fit(self.fit(name), path)
            files[name] = path
        moved = at_origin(self.scenario, files, self.origin)
        if not feedback:  # A_ai x 0: drawn as before, so every other input keeps its draw
            src = moved.parameters["A_ai"]
            off = (
                dataclasses.replace(src, transform=Transform(scale=0.0))
                if hasattr(src, "transform")
                else Fixed(0.0)
            )
            moved = dataclasses.replace(moved, parameters={**moved.parameters, "A_ai": off})
        what = "with" if feedback else "without"
        self.say(f"origin {self.origin:g}: running the loop {what} AI feedback ...")
        run = forecast(
            moved, draws=self.settings.forecast_draws, seed=self.settings.seed, keep_draws=True
        )
        self._runs[feedback] = run
        return run

    def noise(self, idata, n: int, salt: int):
        """(scale, df) columns (n, 1) of a fit's observation noise at ``n`` random posterior
        draws (``scatter`` or ``sigma``, and ``nu``)."""
        post = idata.posterior
        scatter = post["scatter" if "scatter" in post else "sigma"].values.reshape(-1)
        nu = post["nu"].values.reshape(-1)
        rng = np.random.default_rng([self.settings.seed, self.index, salt])
        pick = rng.integers(0, scatter.size, n)
        return scatter[pick, None], nu[pick, None]

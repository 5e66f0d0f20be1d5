"""Rolling-origin backtests (hindcasts) of the date-indexed trend fits.

For each origin year Y the fit sees only the rows dated before Y, and the rows dated at or after
Y (up to Y + ``horizon_years`` when given) are predicted from its posterior predictive at their
dates. Each held-out point gets the median prediction, its central 50% and 90% predictive
intervals, whether the observation fell inside them and the error of the median, all on the
fit's log scale (log10 for the trends: errors in orders of magnitude; ln minutes for horizons).
A calibrated forecast puts about 50% and 90% of held-out points inside those intervals.

The models measure time from t_ref, the mean date of the training rows; held-out dates are
measured from the same training t_ref (never re-centred on their own mean), and the model's data
containers are swapped for the held-out rows with ``pm.set_data`` before predicting.

Run on demand:  takeoff backtest compute_trend --origin 2018 --origin 2020 --horizon 3
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.models.fits.fitspec import FitOptions, FitSpec, Prepared, Target
from takeoff.models.fits.registry import FITS, get_fit
from takeoff.units import QUANTILES

NOMINAL = (0.5, 0.9)  # central predictive intervals reported for every held-out point

POINT_COLUMNS = (
    "origin",
    "date",
    "observed",
    "median",
    "lo50",
    "hi50",
    "lo90",
    "hi90",
    "in50",
    "in90",
    "error",
)
SUMMARY_COLUMNS = (
    "origin",
    "n_train",
    "n_test",
    "coverage50",
    "coverage90",
    "median_abs_error",
    "median_error",
    "converged",
)


# the backtestable fits and what each predicts, as each fit declares it (FitSpec.backtest_target)
TARGETS: dict[str, Target] = {
    name: spec.backtest_target for name, spec in FITS.items() if spec.backtest_target is not None
}


@dataclass(frozen=True)
class BacktestResult:
    """Per held-out point (``points``: one row per origin and point, columns ``POINT_COLUMNS``)
    and per origin (``summary``: columns ``SUMMARY_COLUMNS``, plus a last row ``origin="all"``
    pooling every held-out point). ``error`` = median prediction − observation on the fit's log
    scale (positive: the forecast was too high). ``problems`` lists (origin, convergence
    problem) pairs; an empty tuple means every fit converged."""

    fit: str
    target: Target
    points: pd.DataFrame
    summary: pd.DataFrame
    horizon_years: float | None
    since: float | None
    problems: tuple[tuple[float, str], ...] = ()

    def format(self) -> str:
        return format_backtest(self)


def backtest(
    fit_name: str | FitSpec,
    origins: Sequence[float],
    *,
    horizon_years: float | None = None,
    data: pd.DataFrame | None = None,
    options: FitOptions | None = None,
    draws: int = 1000,
    tune: int | None = None,
    chains: int = 4,
    seed: int = 0,
    progress: bool = False,
) -> BacktestResult:
    """Fit ``fit_name`` on the rows dated before each origin and score its posterior predictive
    on the rows dated at or after it (and at most ``horizon_years`` after it, when given).

    ``data`` is a DataFrame whose columns are the fit's roles (dates in decimal years); by default
    the fit's bundled data set. Rows are selected as the fit would (``options.since``, else the
    fit's ``default_since``; ``options.frontier``) before splitting. Origin i is sampled with
    seed ``seed + i``. Every origin is checked before anything is sampled."""
    from takeoff.models.fits.diagnostics import diagnose
    from takeoff.models.fits.fitting import sample
    from takeoff.models.fits.tables import load_table

    spec = get_fit(fit_name)
    if spec.name not in TARGETS:
        raise TakeoffError(
            f"fit {spec.name} cannot be backtested; backtests need a date-indexed fit: "
            f"{', '.join(TARGETS)}"
        )
    target = TARGETS[spec.name]
    origins = _check_origins(origins)
    horizon_years = _check_horizon(horizon_years)
    if data is not None and not isinstance(data, pd.DataFrame):
        raise TakeoffError(
            f"data must be a DataFrame whose columns are the roles of fit {spec.name}; "
            f"got {type(data).__name__}"
        )
    options = options or FitOptions()
    frame = load_table(spec, data).frame
    since = options.since if options.since is not None else spec.default_since
    frame = select_rows(spec, frame, options)
    splits = [split(spec, frame, origin, horizon_years) for origin in origins]

    point_tables, rows, problems = [], [], []
    for i, (origin, (train, test)) in enumerate(zip(origins, splits, strict=True)):
        prepared = spec.prepare(train, FitOptions())  # rows are already selected
        held_out = held_out_prepared(spec, train, prepared, test)
        idata = sample(
            spec,
            prepared,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed + i,
            progress=progress,
            posterior_predictive=False,
        )
        predictive = predict(spec, prepared, held_out, idata, seed=seed + i)
        points = score(origin, test["date"].to_numpy(float), held_out, predictive)
        report = diagnose(idata, spec.summary_vars)
        problems += [(origin, p) for p in report.problems]
        point_tables.append(points)
        rows.append(_summarise(origin, len(train), points, report.converged))
    points = pd.concat(point_tables, ignore_index=True)
    pooled = _summarise("all", pd.NA, points, not problems)
    summary = pd.DataFrame([*rows, pooled], columns=list(SUMMARY_COLUMNS))
    summary["n_train"] = summary["n_train"].astype("Int64")
    return BacktestResult(spec.name, target, points, summary, horizon_years, since, tuple(problems))


def select_rows(spec: FitSpec, frame: pd.DataFrame, options: FitOptions) -> pd.DataFrame:
    """The rows the fit would use (``since``, else the fit's ``default_since``; ``frontier``),
    sorted by date; refuses missing role columns and values that are not finite numbers (or not
    positive, for positive roles)."""
    from takeoff.models.fits.tables import check_options

    check_options(spec, options)
    required = [r.name for r in spec.roles if r.required]
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise TakeoffError(
            f"data for fit {spec.name} lacks column(s) {', '.join(missing)}; give a DataFrame "
            f"with the fit's role columns: {', '.join(required)}"
        )
    for role in spec.roles:
        if role.name in required and role.kind in ("date", "positive", "number"):
            _check_numbers(frame, role.name, role.kind)
    since = options.since if options.since is not None else spec.default_since
    if since is not None:
        frame = frame[frame["date"] >= since]
    if options.frontier:
        if "frontier" not in frame:
            raise TakeoffError(f"--frontier needs a frontier column for fit {spec.name}")
        frame = frame[frame["frontier"].astype(bool)]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def split(
    spec: FitSpec, frame: pd.DataFrame, origin: float, horizon_years: float | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training rows (date < origin) and held-out rows (origin <= date <= origin + horizon);
    refuses an origin with too few training rows for the fit's parameters or no held-out row."""
    dates = frame["date"].to_numpy(float)
    train = frame[dates < origin]
    keep = dates >= origin
    if horizon_years is not None:
        keep &= dates <= origin + horizon_years
    test = frame[keep]
    n_params = len(spec.priors)
    if len(train) <= n_params or test.empty:
        window = "" if horizon_years is None else f" within {horizon_years:g} years"
        todo = "choose a later origin" if len(train) <= n_params else "choose an earlier origin"
        if test.empty and horizon_years is not None:
            todo += " or a longer --horizon"
        raise TakeoffError(
            f"origin {origin:g}: {len(train)} training rows before it and {len(test)} held-out "
            f"rows at or after it{window}; fit {spec.name} has {n_params} parameters and needs "
            f"at least {n_params + 1} training rows and 1 held-out row ({todo})"
        )
    return train, test


def held_out_prepared(
    spec: FitSpec, train: pd.DataFrame, prepared: Prepared, test: pd.DataFrame
) -> Prepared:
    """The model's arrays for the held-out rows, with time measured from the TRAINING t_ref.

    The fit's own ``prepare`` runs on training + held-out rows (so every transform, e.g. log10
    or the measurement error from reported intervals, is the fit's own); its time array is then
    shifted from that table's t_ref to the training t_ref and the held-out rows are kept. (A
    horizon row without a usable interval gets the median measurement error of both, as in
    the fit's own prepare: that uses reported intervals, never the held-out observations.)"""
    target = TARGETS[spec.name]
    both = spec.prepare(pd.concat([train, test], ignore_index=True), FitOptions())
    n_train, n_test = len(train), len(test)
    if any(len(values) != n_train + n_test for values in both.arrays.values()):
        raise RuntimeError(f"fit {spec.name}'s prepare does not keep one array entry per row")
    t_ref = float(prepared.constants["t_ref"])
    time = np.asarray(both.arrays[target.time], float) + (float(both.constants["t_ref"]) - t_ref)
    if not np.allclose(time[:n_train], prepared.arrays[target.time], rtol=0, atol=1e-9):
        raise RuntimeError(f"fit {spec.name}'s {target.time} is not date − t_ref")
    arrays = {name: np.asarray(values)[n_train:] for name, values in both.arrays.items()}
    arrays[target.time] = time[n_train:]
    return Prepared(arrays, prepared.observed, n_test, {"t_ref": t_ref})


def predict(spec: FitSpec, prepared: Prepared, held_out: Prepared, idata, *, seed: int):
    """Posterior predictive draws of the observed variable at the held-out rows, as an array
    (samples, held-out rows) on the fit's log scale: the training model's data containers (the
    covariates and ``<observed>_data``) are set to the held-out arrays."""
    import pymc as pm

    observed = held_out.observed
    model = spec.build(prepared, {})
    new_data = {
        (f"{name}_data" if name == observed else name): values
        for name, values in held_out.arrays.items()
    }
    containers = {v.name for v in model.data_vars}
    unknown = [name for name in new_data if name not in containers]
    if unknown:
        raise RuntimeError(f"fit {spec.name}'s model has no data container {unknown[0]}")
    with model:
        pm.set_data(new_data, coords={"obs": np.arange(held_out.n)})
        result = pm.sample_posterior_predictive(
            idata, var_names=[observed], random_seed=seed, progressbar=False, predictions=True
        )
    values = result.predictions[observed].transpose("chain", "draw", "obs").values
    return values.reshape(-1, held_out.n)


def score(origin: float, dates: np.ndarray, held_out: Prepared, predictive: np.ndarray):
    """One row per held-out point: its median prediction, central 50% and 90% intervals,
    whether the observation is inside each and the error (median − observed)."""
    observed = np.asarray(held_out.arrays[held_out.observed], float)
    lo90, lo50, median, hi50, hi90 = np.quantile(predictive, QUANTILES, axis=0)
    return pd.DataFrame(
        {
            "origin": float(origin),
            "date": dates,
            "observed": observed,
            "median": median,
            "lo50": lo50,
            "hi50": hi50,
            "lo90": lo90,
            "hi90": hi90,
            "in50": (observed >= lo50) & (observed <= hi50),
            "in90": (observed >= lo90) & (observed <= hi90),
            "error": median - observed,
        },
        columns=list(POINT_COLUMNS),
    )


def _summarise(origin, n_train, points: pd.DataFrame, converged: bool) -> dict:
    return {
        "origin": origin,
        "n_train": n_train,
        "n_test": len(points),
        "coverage50": float(points["in50"].mean()),
        "coverage90": float(points["in90"].mean()),
        "median_abs_error": float(points["error"].abs().median()),
        "median_error": float(points["error"].median()),
        "converged": bool(converged),
    }


def coverage_range(n: int, nominal: float, prob: float = 0.95) -> tuple[float, float]:
    """Central ``prob`` range of the share of ``n`` independent points a calibrated forecast
    puts inside its ``nominal`` interval (binomial)."""
    from scipy import stats

    lo, hi = stats.binom.interval(prob, n, nominal)
    return float(lo) / n, float(hi) / n


def format_backtest(result: BacktestResult) -> str:
    window = (
        "every later point"
        if result.horizon_years is None
        else f"points up to {result.horizon_years:g} years after it"
    )
    since = "" if result.since is None else f" (rows from {result.since:g} on)"
    lines = [
        f"backtest of {result.fit}{since}: fit on rows dated before each origin, predict {window}",
        f"errors on the {result.target.scale} scale: {result.target.unit}; "
        "error = median prediction − observation",
        "",
    ]
    header = (
        f"{'origin':>8} {'train':>6} {'test':>5} {'in 50% (nominal 50%)':>21} "
        f"{'in 90% (nominal 90%)':>21} {'median |error|':>15} {'median error':>13}"
    )
    lines.append(header)
    for row in result.summary.itertuples(index=False):
        origin = row.origin if isinstance(row.origin, str) else f"{row.origin:g}"
        n_train = "-" if pd.isna(row.n_train) else str(row.n_train)
        flag = "" if row.converged else "  NOT CONVERGED"
        lines.append(
            f"{origin:>8} {n_train:>6} {row.n_test:>5} {row.coverage50:>21.0%} "
            f"{row.coverage90:>21.0%} {row.median_abs_error:>15.3f} "
            f"{row.median_error:>+13.3f}{flag}"
        )
    n = int(result.summary["n_test"].iloc[-1])
    lo50, hi50 = coverage_range(n, NOMINAL[0])
    lo90, hi90 = coverage_range(n, NOMINAL[1])
    lines += [
        "",
        f"a calibrated forecast covers 50% and 90% of held-out points on average; over {n} "
        f"independent points its coverage would fall in {lo50:.0%}-{hi50:.0%} and "
        f"{lo90:.0%}-{hi90:.0%} (central 95% binomial range)",
    ]
    if result.horizon_years is None and len(result.summary) > 2:
        lines.append(
            "without --horizon the held-out sets of different origins overlap: the 'all' row "
            "counts a point once per origin that predicted it"
        )
    for origin in dict.fromkeys(origin for origin, _ in result.problems):
        problems = "; ".join(p for o, p in result.problems if o == origin)
        lines.append(
            f"NOT CONVERGED at origin {origin:g}: {problems} -- do not trust this origin's "
            "intervals; run more --draws/--tune"
        )
    return "\n".join(lines)


def _check_numbers(frame: pd.DataFrame, column: str, kind: str) -> None:
    if not pd.api.types.is_numeric_dtype(frame[column]) or frame[column].dtype == bool:
        what = "decimal years (e.g. 2020.5)" if kind == "date" else "numbers"
        raise TakeoffError(
            f"column {column} must hold {what}; got dtype {frame[column].dtype} (convert it first)"
        )
    values = frame[column].to_numpy(float)
    bad = ~np.isfinite(values) | ((values <= 0) if kind == "positive" else False)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        need = "a positive number" if kind == "positive" else "a finite number"
        raise TakeoffError(
            f"{column} in row {row} is {values[row]:g}, not {need}; fix or drop that row"
        )


def _check_origins(origins: Sequence[float]) -> list[float]:
    if isinstance(origins, str | bytes) or not isinstance(origins, Sequence | np.ndarray):
        raise TakeoffError(f"origins must be a list of decimal years; got {origins!r}")
    values = []
    for value in origins:
        try:
            year = float(value)
        except (TypeError, ValueError):
            raise TakeoffError(f"origin {value!r} is not a decimal year; give e.g. 2020") from None
        if not math.isfinite(year):
            raise TakeoffError(f"origin {value!r} is not a finite decimal year; give e.g. 2020")
        if year in values:
            raise TakeoffError(f"origin {year:g} is given twice; give each origin once")
        values.append(year)
    if not values:
        raise TakeoffError("no origins given; give at least one decimal year, e.g. 2020")
    return values


def _check_horizon(horizon_years: float | None) -> float | None:
    if horizon_years is None:
        return None
    try:
        value = float(horizon_years)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise TakeoffError(f"--horizon must be a positive number of years; got {horizon_years!r}")
    return value

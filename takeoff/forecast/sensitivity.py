"""Global sensitivity of a scenario forecast: which uncertain inputs move the takeoff date and
the takeoff duration, and by how much.

``sobol(scenario, n, seed)`` estimates first-order (S1) and total (ST) Sobol indices with 95%
bootstrap intervals (Saltelli's scheme on a scrambled Sobol sequence, via SALib): S1 is the
share of the output's variance an input explains on its own, ST the share it takes part in,
interactions included; ST - S1 is its share in interactions, 1 - sum(S1) all interactions.
``tornado_table(scenario, output)`` is the one-at-a-time view: every input at its median, then
each moved alone to its 5% and 95% quantile.

Outputs, one number per simulated point, are declared by the scenario's forecast kind
(``ForecastKind.sensitivity_outputs``); for trajectories:

- ``takeoff_date``: the decimal year the takeoff's ``to`` milestone is reached.
- ``duration``: log10 of the takeoff duration in years (``from`` -> ``to`` milestone). Durations
  span days to decades, so on a linear scale the slowest few points would carry all the
  variance; the indices are of log10 years. Durations below 1e-6 yr (~30 s) count as 1e-6 yr.

- ``hard_or_fast`` (groups of inputs only): 1 if the takeoff is hard or fast (under a year),
  else 0; its mean is P(hard or fast).

Not reached within the horizon is censored at it (for trajectories: a date at
``scenario.end``, a duration at ``scenario.years``). The censored share is reported; with
much censoring the indices mostly say which inputs decide *whether* the milestone is reached
in time. An output censored at every
point, or constant, has no indices: the result says so instead of giving NaN.

Sobol indices per input assume independent inputs. Every uncertain input is therefore sampled
from its own marginal: a distribution through its quantile function, a posterior variable
through the empirical quantiles of its (transformed) draws, so the posterior correlation
between variables of one fit is dropped, and so are a scenario's ``[correlations]``. The
result's text says so when it applies. Fixed inputs stay at their value.

``sobol(..., by="source")`` gives the indices of two groups instead, the data (posterior
draws) and the assumptions (distributions), and keeps every correlation: it draws the inputs as
the forecast does, whole posterior draws per fit, and swaps whole groups between two
independent blocks of draws (pick-freeze by group, ``takeoff.forecast.group_sobol``).

Run ``takeoff sensitivity SCENARIO [--n 1024] [--seed 0]`` to print both tables.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError
from takeoff.forecast.group_sobol import design, group_indices, joint_draws
from takeoff.forecast.kind import SensitivityOutput
from takeoff.forecast.kinds import kinds
from takeoff.forecast.loading import load_scenario
from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import (
    BLOCK,
    FromDistribution,
    FromPosterior,
    Source,
    load_posterior_draws,
)
from takeoff.formatting import source_name

CHUNK = BLOCK  # points simulated at once: memory is flat in n
MIN_DURATION = 1e-6  # yr; shorter durations (0 when both milestones hold at the start) count so
EDGE = 1e-12  # unit-cube coordinates are kept inside (EDGE, 1 - EDGE), as in draw_block
COLUMNS = ("output", "parameter", "S1", "S1_conf", "ST", "ST_conf")
TORNADO_COLUMNS = (
    "parameter",
    "low_value",
    "high_value",
    "output_at_low",
    "output_at_high",
    "swing",
)


@dataclass(frozen=True)
class SobolResult:
    """Sobol indices of a scenario's outputs; ``indices`` has one row per (output, input)."""

    scenario: str
    indices: pd.DataFrame  # output, parameter, S1, S1_conf, ST, ST_conf (95% half-widths)
    n: int  # base samples; the model ran n * (inputs + 2) times
    evaluations: int
    seed: int
    censored: dict[str, float]  # output -> share of points not reached, censored at the horizon
    units: dict[str, str] = field(default_factory=dict)  # output -> unit
    notes: dict[str, str] = field(default_factory=dict)  # output -> why it has no indices
    caveats: tuple[str, ...] = ()  # what the independence assumption dropped
    by: str = "parameter"  # "source": the rows are the groups data / assumption
    means: dict[str, float] = field(default_factory=dict)  # output -> mean over A and B runs

    def format(self) -> str:
        """A printable table per output, inputs sorted by total index."""
        lines = [
            f"Sobol indices for {self.scenario}: n = {self.n} base samples, "
            f"{self.evaluations:,} runs, seed {self.seed}; S1 first order, ST total, "
            "± 95% interval"
        ]
        lines += [f"note: {c}" for c in self.caveats]
        if self.by == "source":
            lines += [f"group {k}: the inputs {v}" for k, v in GROUPS.items()]
        for output in self.censored:
            lines.append("")
            mean = f"; mean {self.means[output]:.4g}" if output in self.means else ""
            lines.append(
                f"{output} [{self.units[output]}]; censored at the horizon: "
                f"{self.censored[output]:.1%} of runs{mean}"
            )
            if output in self.notes:
                lines.append(f"  no indices: {self.notes[output]}")
                continue
            rows = self.indices[self.indices["output"] == output].sort_values(
                "ST", ascending=False, kind="stable"
            )
            width = max(9, *(len(p) for p in rows["parameter"]))
            lines.append(f"  {'parameter':<{width}}  {'S1':>15}  {'ST':>15}")
            for row in rows.itertuples():
                lines.append(
                    f"  {row.parameter:<{width}}  {_pm(row.S1, row.S1_conf)}  "
                    f"{_pm(row.ST, row.ST_conf)}"
                )
            lines.append(
                f"  {'sum':<{width}}  {rows['S1'].sum():>7.3f}"
                "          (1 - sum S1: share of variance in interactions)"
            )
        return "\n".join(lines)


GROUPS = {
    "data": "identified by data (drawn from a fit's posterior)",
    "assumption": "assumed (a labelled prior: a named distribution)",
}


def source_group(source: Source) -> str:
    """Whether an input is data-identified (a posterior) or an assumption (a distribution)."""
    return "data" if isinstance(source, FromPosterior) else "assumption"


def sobol(
    scenario: Scenario | str,
    n: int = 1024,
    seed: int = 0,
    outputs: Sequence[str] | None = None,
    *,
    by: str = "parameter",
    progress: Callable[[int, int], None] | None = None,
) -> SobolResult:
    """First-order and total Sobol indices of ``outputs`` (default: every output of the
    scenario's kind, e.g. takeoff_date and duration) over ``scenario.uncertain()``.

    ``n`` base samples (a power of 2) give ``n * (inputs + 2)`` runs, simulated ``CHUNK`` at a
    time. Inputs are sampled independently from their marginals (posterior correlations and
    the scenario's ``[correlations]`` are dropped; see the module docstring). The design and
    the bootstrap intervals are seeded by ``seed``. ``scenario`` may be a Scenario, a built-in
    name or a .toml path. ``by="source"`` gives the indices of two groups of inputs instead:
    those identified by data (posterior draws) and the assumptions (distributions), so one sees
    how much of the forecast's variance the assumptions carry (Sobol indices of groups). It
    draws the inputs jointly, as the forecast does (each fit's variables from whole posterior
    draws, the scenario's correlations kept), ``n * 4`` runs, and its default outputs add the
    kind's group-only ones (for trajectories, hard_or_fast).
    """
    if by not in ("parameter", "source"):
        raise TakeoffError(f"by must be 'parameter' or 'source'; got {by!r}")
    scenario = _scenario(scenario)
    grouped = by == "source"
    if outputs is None:
        outputs = [o.name for o in outputs_of(scenario, grouped=grouped)]
    outputs = _check_outputs(scenario, outputs, grouped=grouped)
    _check_seed(seed)
    if isinstance(n, bool) or not isinstance(n, int) or n < 16 or n & (n - 1):
        raise TakeoffError(f"n must be a power of 2 of at least 16 (e.g. 512, 1024); got {n!r}")
    keys = _uncertain(scenario)
    if grouped:
        return _sobol_by_source(scenario, keys, n, seed, outputs, progress)
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(keys), "names": keys, "bounds": [[0.0, 1.0]] * len(keys)}
    unit = sobol_sample.sample(
        problem, n, calc_second_order=False, seed=np.random.default_rng([seed, 0])
    )
    quantile = _quantile_functions(scenario, keys)
    unit = np.clip(unit, EDGE, 1.0 - EDGE)
    columns = {key: quantile[key](unit[:, j]) for j, key in enumerate(keys)}
    raw = evaluate(scenario, columns, outputs, progress)
    # SALib seeds its bootstrap only for a truthy seed (0 would use numpy's global RNG)
    analyze_seed = int(np.random.SeedSequence([seed, 1]).generate_state(1)[0]) | 1
    rows, censored, notes = [], {}, {}
    for out in outputs:
        output = out.name
        y, cens = _censor(scenario, out, raw[output])
        censored[output] = float(cens.mean())
        note = _degenerate(scenario, out, y, cens)
        if note:
            notes[output] = note
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=analyze_seed)
        for j, key in enumerate(keys):
            rows.append((output, key, si["S1"][j], si["S1_conf"][j], si["ST"][j], si["ST_conf"][j]))
    return _result(scenario, rows, n, raw, seed, censored, outputs, notes,
                   caveats=_caveats(scenario, keys), by=by)  # fmt: skip


def _sobol_by_source(
    scenario: Scenario,
    keys: Sequence[str],
    n: int,
    seed: int,
    outputs: Sequence[SensitivityOutput],
    progress: Callable[[int, int], None] | None,
) -> SobolResult:
    """Group indices (data / assumption) by pick-freeze over two blocks of joint draws."""
    sources = scenario.all_sources()
    groups = {k: source_group(sources[k]) for k in keys}
    order = list(dict.fromkeys(groups.values()))
    if len(order) < 2:
        raise TakeoffError(
            f"scenario {scenario.name}: every uncertain input is {GROUPS[order[0]]}; "
            "grouping by source needs both kinds"
        )
    order = [g for g in GROUPS if g in order]
    a, b = joint_draws(scenario, n, seed)
    raw = evaluate(scenario, design(a, b, groups, order), outputs, progress)
    rows, censored, notes, means = [], {}, {}, {}
    for i, out in enumerate(outputs):
        output = out.name
        y, cens = _censor(scenario, out, raw[output])
        censored[output] = float(cens.mean())
        means[output] = float(y[: 2 * n].mean())
        note = _degenerate(scenario, out, y, cens)
        if note:
            notes[output] = note
            continue
        rng = np.random.default_rng([seed, 2, i])
        rows += [(output, *row) for row in group_indices(y, n, order, rng)]
    return _result(scenario, rows, n, raw, seed, censored, outputs, notes,
                   caveats=_joint_caveats(scenario, keys), by="source", means=means)  # fmt: skip


def _result(scenario, rows, n, raw, seed, censored, outputs, notes, **more) -> SobolResult:
    """The indices' rows as a table, with what the runs were (both Sobol designs)."""
    indices = pd.DataFrame(rows, columns=list(COLUMNS)).astype(
        {"S1": float, "S1_conf": float, "ST": float, "ST_conf": float}
    )
    return SobolResult(
        scenario=scenario.name,
        indices=indices,
        n=n,
        evaluations=len(next(iter(raw.values()))),
        seed=seed,
        censored=censored,
        units={o.name: o.unit for o in outputs},
        notes=notes,
        **more,
    )


def tornado_table(
    scenario: Scenario | str,
    output: str = "takeoff_date",
    quantiles: tuple[float, float] = (0.05, 0.95),
) -> pd.DataFrame:
    """One-at-a-time swings: every uncertain input at its median (the base), then each alone at
    its ``quantiles[0]`` (low) and ``quantiles[1]`` (high) quantile.

    Deterministic (no draws): quantiles come from the distributions or from all of a
    posterior's draws. Columns: parameter, low_value, high_value (the input at the two
    quantiles), output_at_low, output_at_high, swing = output_at_high - output_at_low, sorted
    by |swing|, largest first. Units and censoring as for ``sobol`` (a duration is log10 yr).
    ``attrs`` holds scenario, output, units, base (the output at the medians), quantiles,
    censored (which cells, e.g. "k low", "base", were not reached and sit at the horizon) and
    note ("" unless every run was censored or the output never moved).
    """
    scenario = _scenario(scenario)
    (out,) = _check_outputs(scenario, [output])
    ok = (
        isinstance(quantiles, tuple | list)
        and len(quantiles) == 2
        and all(isinstance(q, int | float) and not isinstance(q, bool) for q in quantiles)
        and 0 < quantiles[0] < quantiles[1] < 1
    )
    if not ok:
        raise TakeoffError(
            f"quantiles must be two numbers with 0 < low < high < 1, e.g. (0.05, 0.95); "
            f"got {quantiles!r}"
        )
    keys = _uncertain(scenario)
    quantile = _quantile_functions(scenario, keys)
    u = np.array([0.5, *quantiles], dtype=float)
    at = {key: quantile[key](u) for key in keys}  # median, low, high
    m = 1 + 2 * len(keys)
    columns = {key: np.full(m, at[key][0]) for key in keys}
    for j, key in enumerate(keys):
        columns[key][1 + 2 * j] = at[key][1]
        columns[key][2 + 2 * j] = at[key][2]
    y, cens = _censor(scenario, out, evaluate(scenario, columns, [out])[output])
    table = pd.DataFrame(
        {
            "parameter": keys,
            "low_value": [at[k][1] for k in keys],
            "high_value": [at[k][2] for k in keys],
            "output_at_low": y[1::2],
            "output_at_high": y[2::2],
        }
    )
    table["swing"] = table["output_at_high"] - table["output_at_low"]
    order = np.argsort(-table["swing"].abs().to_numpy(), kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    censored = ["base"] if cens[0] else []
    for j, key in enumerate(keys):
        censored += [
            f"{key} {side}"
            for side, c in zip(("low", "high"), cens[1 + 2 * j : 3 + 2 * j], strict=True)
            if c
        ]
    if cens.all():
        note = _degenerate(scenario, out, y, cens)
    elif np.ptp(y) <= _tolerance(y):
        note = f"{output} does not move: every input at either quantile gives {y[0]:.6g}"
    else:
        note = ""
    table.attrs.update(
        scenario=scenario.name,
        output=output,
        units=out.unit,
        base=float(y[0]),
        quantiles=tuple(float(q) for q in quantiles),
        censored=censored,
        note=note,
    )
    return table


def format_tornado(table: pd.DataFrame) -> str:
    """A printable tornado table (from ``tornado_table``); censored outputs are starred."""
    a = table.attrs
    lo, hi = (f"{q:.0%}" for q in a["quantiles"])
    lines = [
        f"One-at-a-time swings of {a['output']} [{a['units']}] for {a['scenario']}: inputs at "
        f"their medians give {a['base']:.4f}{_years(a)}{' *' if 'base' in a['censored'] else ''}; "
        f"each moved alone to its {lo} and {hi} quantile"
    ]
    if a["note"]:
        lines.append(f"note: {a['note']}")
    width = max(9, *(len(p) for p in table["parameter"]))
    lines.append(
        f"  {'parameter':<{width}}  {'at ' + lo:>10}  {'at ' + hi:>10}  "
        f"{'output at ' + lo:>14}  {'output at ' + hi:>15}  {'swing':>9}"
    )
    for row in table.itertuples():
        star_lo = "*" if f"{row.parameter} low" in a["censored"] else " "
        star_hi = "*" if f"{row.parameter} high" in a["censored"] else " "
        lines.append(
            f"  {row.parameter:<{width}}  {row.low_value:>10.4g}  {row.high_value:>10.4g}  "
            f"{row.output_at_low:>13.4f}{star_lo}  {row.output_at_high:>14.4f}{star_hi}  "
            f"{row.swing:>+9.4f}"
        )
    if a["censored"]:
        lines.append("  * not reached within the horizon: censored at it")
    return "\n".join(lines)


# --- internals --------------------------------------------------------------------------------


def _scenario(scenario: Scenario | str) -> Scenario:
    return load_scenario(scenario) if isinstance(scenario, str) else scenario


def outputs_of(scenario: Scenario | str, grouped: bool = False) -> tuple[SensitivityOutput, ...]:
    """The outputs a sensitivity analysis of ``scenario`` can explain (its kind's; the kind
    says in one line why when there are none); ``grouped``: also those explained only by
    groups of inputs (e.g. hard_or_fast)."""
    scenario = _scenario(scenario)
    outputs = kinds()[scenario.kind].sensitivity_outputs(scenario)
    return tuple(o for o in outputs if grouped or o.per_input)


def _check_outputs(
    scenario: Scenario, outputs: Sequence[str], grouped: bool = False
) -> tuple[SensitivityOutput, ...]:
    available = {o.name: o for o in outputs_of(scenario, grouped=grouped)}
    if isinstance(outputs, str):
        outputs = [outputs]
    outputs = tuple(outputs)
    for name in outputs:
        if name not in available:
            raise TakeoffError(f"unknown output '{name}'; choose one of: {', '.join(available)}")
    if not outputs or len(set(outputs)) != len(outputs):
        raise TakeoffError(
            f"give each output once and at least one; choose from: {', '.join(available)}"
        )
    return tuple(available[name] for name in outputs)


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise TakeoffError(f"seed must be a non-negative integer; got {seed!r}")


def _uncertain(scenario: Scenario) -> list[str]:
    keys = scenario.uncertain()
    if not keys:
        raise TakeoffError(
            f"scenario {scenario.name} has no uncertain inputs (every parameter and initial "
            "state is a fixed number); give at least one a distribution or a posterior"
        )
    return keys


def _quantile_functions(
    scenario: Scenario, keys: Sequence[str]
) -> dict[str, Callable[[np.ndarray], np.ndarray]]:
    """Each input's marginal quantile function on (0, 1): a distribution's ppf through its
    transform, or the empirical quantiles of a posterior variable's transformed draws."""
    sources = scenario.all_sources()
    posteriors = load_posterior_draws({k: sources[k] for k in keys})
    out = {}
    for key in keys:
        src = sources[key]
        if isinstance(src, FromDistribution):
            out[key] = distribution_quantile(src)
        elif isinstance(src, FromPosterior):
            draws = np.sort(src.transform(posteriors[src.source][src.variable]))
            if not np.isfinite(draws).all():
                raise TakeoffError(
                    f"scenario {scenario.name}: {key} = {src.describe()} is not finite for some "
                    "posterior draws; use a transform defined on all of them"
                )
            out[key] = _empirical_quantile(draws)
    return out


def distribution_quantile(src: FromDistribution) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: src.transform(src.distribution.ppf(u))


def _empirical_quantile(draws: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: np.quantile(draws, u)


def evaluate(
    scenario: Scenario,
    columns: dict[str, np.ndarray],
    outputs: Sequence[SensitivityOutput],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Raw outputs at each row of ``columns`` (uncertain inputs; fixed ones at their value),
    inf where not reached."""
    sources: dict[str, Source] = scenario.all_sources()
    simulate = kinds()[scenario.kind].simulate
    m = len(next(iter(columns.values())))
    out = {o.name: np.empty(m) for o in outputs}
    starts = range(0, m, CHUNK)
    for i, lo in enumerate(starts):
        hi = min(lo + CHUNK, m)
        values = {
            key: columns[key][lo:hi] if key in columns else np.full(hi - lo, src.value)
            for key, src in sources.items()
        }
        block = simulate(scenario, values)
        for o in outputs:
            out[o.name][lo:hi] = o.values(block)
        if progress:
            progress(i + 1, len(starts))
    return out


def _censor(
    scenario: Scenario, output: SensitivityOutput, raw: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The analysed output (censored at the horizon) and where it was censored."""
    if np.isnan(raw).any():
        raise TakeoffError(
            f"scenario {scenario.name}: the simulation gave no {output.name} (NaN) for some "
            "inputs; report this with the scenario file"
        )
    censored = np.isinf(raw)
    y = np.where(censored, output.censor_at, raw)
    return (np.log10(np.maximum(y, MIN_DURATION)) if output.log10 else y), censored


def _tolerance(y: np.ndarray) -> float:
    return 1e-9 * max(1.0, float(np.abs(y).max()))


def _degenerate(
    scenario: Scenario, output: SensitivityOutput, y: np.ndarray, censored: np.ndarray
) -> str:
    """Why ``output`` has no Sobol indices ("" if it has)."""
    if censored.all():
        return (
            f"{output.never} within the horizon ({scenario.end:g}) in any run; extend the "
            "scenario's years or lower the milestone"
        )
    if np.ptp(y) <= _tolerance(y):
        return f"{output.name} is {y[0]:.6g} in every run; the uncertain inputs do not move it"
    return ""


def _caveats(scenario: Scenario, keys: Sequence[str]) -> tuple[str, ...]:
    sources = scenario.all_sources()
    posterior = [k for k in keys if isinstance(sources[k], FromPosterior)]
    out = []
    if posterior:
        out.append(
            f"posterior inputs ({', '.join(posterior)}) are sampled from their marginals: "
            "Sobol indices assume independent inputs, so any posterior correlation is dropped"
        )
    if scenario.correlations:
        pairs = ", ".join(f"{a}~{b} ({rho:+g})" for a, b, rho in scenario.correlations)
        out.append(
            f"the scenario's correlations {pairs} are dropped: Sobol indices assume "
            "independent inputs"
        )
    return tuple(out)


def _joint_caveats(scenario: Scenario, keys: Sequence[str]) -> tuple[str, ...]:
    sources = scenario.all_sources()
    posterior = [s for k in keys if isinstance(s := sources[k], FromPosterior)]
    fits = sorted({source_name(s.source) for s in posterior})
    out = [
        f"posterior draws kept joint within each fit ({', '.join(fits)}): one draw of a fit "
        "gives all its variables; different fits and the assumptions drawn independently, as "
        "the forecast draws them; groups swapped whole between two blocks of draws "
        "(pick-freeze: S1 Saltelli 2010, ST Jansen)"
    ]
    if scenario.correlations:
        pairs = ", ".join(f"{a}~{b} ({rho:+g})" for a, b, rho in scenario.correlations)
        out.append(f"the scenario's correlations {pairs} are kept (within the assumptions)")
    return tuple(out)


def _years(attrs: dict) -> str:
    return f" (= {10 ** attrs['base']:.3g} yr)" if attrs["output"] == "duration" else ""


def _pm(value: float, conf: float) -> str:
    return f"{value:>7.3f} ± {conf:<5.3f}"

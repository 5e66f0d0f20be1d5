"""The report: one self-contained HTML file a presenter can send (``takeoff report``, and
``results/report.html`` of the main job).

In order: the headline (a table per forecast kind, a row per scenario), the scenarios side by
side on what they have in common, a section per scenario (each kind its own), every shipped fit
with its data, posterior predictive (in data units) and diagnostics, the sensitivity of each
scenario (one-at-a-time tornado tables and Sobol indices at a small base sample), the data sets
with their provenance, and what is needed to reproduce it all (versions, seeds, data and
posterior hashes, the scenario files). Everything iterates over what exists: the forecast
kinds, the scenarios given, the shipped fits and the bundled data sets.
"""

from __future__ import annotations

import hashlib
import platform
import time
import warnings
from collections.abc import Callable, Sequence

from takeoff import __version__, formatting
from takeoff.errors import TakeoffError
from takeoff.plots.blocks import Details, Figure, Links, Section, TableBlock, Text
from takeoff.report.html import Document

SOBOL_N = 64  # base samples of the report's Sobol indices: cheap, with wide intervals shown


def _say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress is not None:
        progress(text)


def build_report(
    results: Sequence,
    *,
    command: str = "",
    fits: bool = True,
    sensitivity: bool = True,
    sobol_n: int | None = SOBOL_N,
    data: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Document:
    """The report of ``results`` (``Forecast`` objects of any kinds) as a ``Document``."""
    from takeoff.forecast import kinds as kinds_module

    if not results:
        raise TakeoffError("a report needs at least one forecast")
    summaries = [r.summary for r in results]
    observed = {r.scenario.name: kinds_module.observations(r.scenario) for r in results}
    draws = sorted({int(s.attrs["draws"]) for s in summaries})
    seeds = sorted({int(s.attrs["seed"]) for s in summaries})
    doc = Document(
        "AI takeoff: how fast, and how likely?",
        f"takeoff {__version__} · {len(results)} scenarios · "
        f"{', '.join(f'{d:,}' for d in draws)} draws each · seed {', '.join(map(str, seeds))} · "
        f"made {time.strftime('%Y-%m-%d %H:%M %Z')}",
    )
    doc.add(_headline(summaries))
    doc.add(_side_by_side(summaries, observed))
    if _track_line(summaries):
        from takeoff.report.track_section import track_record_section

        doc.add(track_record_section())
    for kind in kinds_module.kinds().values():
        mine = [r for r in results if kinds_module.kind_of(r.summary) is kind]
        if not mine:
            continue
        sections = (
            kind.report_sections(mine, observed)
            if kind.report_sections is not None
            else _default_sections(kind, mine, observed)
        )
        inner = [Section(s.title, s.blocks, s.anchor, level=3) for s in sections]
        title = f"Scenarios: {kind.description.split(':')[0]}"
        doc.add(Section(title, inner, anchor=f"kind-{kind.name}"))
    if fits:
        _say(progress, "report: fits")
        doc.add(fits_section())
        from takeoff.report.returns_section import returns_section

        returns = returns_section()
        if returns is not None:
            doc.add(returns)
    if sensitivity:
        _say(progress, "report: sensitivity")
        doc.add(sensitivity_section([r.scenario for r in results], sobol_n=sobol_n))
    if data:
        doc.add(data_section())
    doc.add(reproducibility_section(results, command))
    return doc


def report_html(results: Sequence, **options) -> str:
    """The report of ``results`` as one HTML string (see ``build_report`` for the options)."""
    doc = build_report(results, **options)
    return doc.render(footer=_footer())


def _footer() -> str:
    return (
        f"takeoff {__version__}: forecasts of AI takeoff dynamics fitted to data. This file is "
        "self-contained: it opens without a network or a server."
    )


# --- headline and comparison -----------------------------------------------------------------


def _headline(summaries) -> Section:
    from takeoff.forecast.kinds import headline_tables

    blocks: list = [
        Text(
            "Each scenario is a position in the debate about recursive self-improvement, "
            "written as a model with its parameters taken from fits to data where data exist "
            "and from labelled priors where they do not. A row per scenario; the sections "
            "below show how each is made and what it rests on."
        )
    ]
    for table in headline_tables(summaries):
        blocks.append(TableBlock(formatting.Table("Headline: " + table.title, *_rest(table))))
    line = _track_line(summaries)
    if line:  # the loop's track record against the exponential trend, in one line
        from takeoff.report.track_section import is_bad

        blocks.append(Text(line, kind="warning" if is_bad(line) else "numbers"))
    return Section("Headline", blocks, anchor="headline")


def _track_line(summaries) -> str:
    from takeoff.forecast.track_record import shipped_verdict

    return shipped_verdict([str(s.attrs.get("scenario", "")) for s in summaries])


def _rest(table: formatting.Table):
    return table.columns, table.rows, table.note


def _side_by_side(summaries, observed) -> Section:
    from takeoff.forecast import kinds as kinds_module

    blocks: list = [
        Text(
            "Every scenario on the observables they share: takeoff classes, how long the "
            "takeoff takes, when its last milestone is reached, and the forecasts of the same "
            "quantity on one chart with the data they were fitted to. Colours are the "
            "scenarios' throughout the report."
        )
    ]
    for kind in kinds_module.kinds().values():
        mine = [s for s in summaries if kinds_module.kind_of(s) is kind]
        if not mine:
            continue
        for key, fig in kind.comparison_figures(mine, observed):
            blocks.append(Figure(fig, name=f"compare_{key}"))
    return Section("Scenarios side by side", blocks, anchor="compare")


def _default_sections(kind, results, observed) -> list[Section]:
    """For a kind without report sections: its figures and its table as text."""
    out = []
    for r in results:
        s = r.summary
        name = str(s.attrs["scenario"])
        figs = kind.interactive_figures(s, observed.get(name, ()))
        out.append(
            Section(
                f"{name}: {s.attrs.get('title', '')}",
                [
                    Text(s.attrs.get("rationale", ""), kind="rationale"),
                    *(Figure(f, name=f"{name}_{k}") for k, f in figs),
                    Text(kind.caption(s), kind="caption"),
                    Details("The forecast as a table", kind.format(s)),
                ],
                anchor=f"scenario-{name}",
            )
        )
    return out


# --- fits ------------------------------------------------------------------------------------


def shipped_by_fit() -> dict[str, list[str]]:
    """{fit name: its shipped posterior stems, the free fit first, then nested regimes}."""
    from takeoff.data.posteriors import shipped_names
    from takeoff.models.fits.ship import SHIPPED

    have = set(shipped_names())
    out: dict[str, list[str]] = {}
    for stem, entry in sorted(SHIPPED.items(), key=lambda kv: kv[1].is_regime):
        if stem in have:
            out.setdefault(entry.fit, []).append(stem)
    return out


def _cell(value: float) -> str:
    return formatting.number(float(value), 4)


def fit_blocks(stem: str, idata, diagnostics, comparison=None) -> list:
    """Blocks of one fit: what it fits, its key results, the data with the posterior
    predictive in data units, the diagnostics and (where nested regimes ship) the LOO table."""
    from takeoff.models.fits import get_fit
    from takeoff.models.fits.headline import headline
    from takeoff.models.fits.predictive import fit_data
    from takeoff.plots import interactive

    spec = get_fit(idata.posterior.attrs["fit_name"])
    blocks: list = [Text(line) for line in headline(idata)[1:]]
    if "posterior_predictive" in idata.groups():
        blocks.append(Figure(interactive.fit_predictive(fit_data(idata)), name=f"fit_{stem}"))
    blocks += diagnostics_blocks(diagnostics)
    if comparison is not None:
        blocks.append(comparison_block(comparison))
    priors = "; ".join(f"{p.name} ~ {p.describe()}" for p in spec.priors if hasattr(p, "describe"))
    if priors:
        blocks.append(Details("Priors", priors.replace("; ", "\n")))
    return blocks


def diagnostics_blocks(diagnostics, thinned: bool = True) -> list:
    """The posterior summary with R-hat and ESS as a table, and a sentence on convergence
    (``thinned``: a shipped posterior, whose ESS the thinning caps)."""
    from takeoff.models.fits.diagnostics import ESS_MIN_PER_CHAIN, RHAT_MAX

    cols = ["mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"]
    table = diagnostics.table
    out: list = [
        TableBlock(
            formatting.Table(
                "Posterior summary and convergence",
                ("variable", *cols),
                tuple(
                    (str(name), *(_cell(table.loc[name, c]) for c in cols)) for name in table.index
                ),
            )
        )
    ]
    total = diagnostics.draws * diagnostics.chains
    coverage = (
        f" Posterior predictive check: {diagnostics.ppc_coverage:.0%} of the observations lie "
        "inside the 94% predictive interval (about 94% expected)."
        if diagnostics.ppc_coverage is not None
        else ""
    )
    thresholds = f"R-hat <= {RHAT_MAX:g}, ESS >= {ESS_MIN_PER_CHAIN} per chain, no divergences"
    if diagnostics.converged:
        state = f"Converged ({thresholds})."
    elif thinned:
        state = (
            "Thresholds not met by these thinned draws ("
            + "; ".join(diagnostics.problems)
            + f"): the shipped posterior keeps {diagnostics.draws} draws per chain of a run "
            f"that met {thresholds} before it was thinned (a fit that fails is not shipped), so "
            "ESS here is capped by the thinning."
        )
    else:
        state = "NOT CONVERGED: " + "; ".join(diagnostics.problems) + "."
    out.append(
        Text(
            f"Divergences: {diagnostics.divergences} of {total:,} draws ({diagnostics.chains} "
            f"chains x {diagnostics.draws} draws).{coverage} {state}",
            kind="caption" if diagnostics.converged or thinned else "warning",
        )
    )
    return out


def comparison_block(comparison) -> TableBlock:
    """A LOO comparison table (``takeoff.models.fits.compare``) with its verdict."""
    from takeoff.models.fits.compare import format_comparison

    cols = ["rank", "elpd_loo", "p_loo", "elpd_diff", "dse", "weight", "pareto_k_over_0.7"]
    return TableBlock(
        formatting.Table(
            "Regime comparison (PSIS-LOO, stacking weights)",
            ("fit", *cols),
            tuple((str(n), *(_cell(comparison.loc[n, c]) for c in cols)) for n in comparison.index),
            note=format_comparison(comparison).splitlines()[-1],
        )
    )


def fits_section() -> Section:
    """Every shipped fit: data and posterior predictive in data units, diagnostics, LOO."""
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits import FITS, diagnose, get_fit, load_fit
    from takeoff.models.fits.compare import compare, label

    blocks: list = [
        Text(
            "The Bayesian fits whose posteriors ship with takeoff and feed the scenarios: "
            "each with the observations it was fitted to (black) under its posterior "
            "predictive, in the units the data were measured in, and its convergence "
            "diagnostics. Likelihoods are Student-t (robust to digitised and outlying points)."
        )
    ]
    shipped = shipped_by_fit()
    for name, stems in shipped.items():
        spec = get_fit(name)
        fits = {s: load_fit(posteriors_dir() / f"{s}.nc") for s in stems}
        main = fits[stems[0]]
        comparison = None
        with warnings.catch_warnings():  # ArviZ's numerical warnings: the tables say it
            warnings.simplefilter("ignore", RuntimeWarning)
            if len(stems) > 1:
                comparison = compare({label(f): f for f in fits.values()})
            diagnostics = diagnose(main, spec.summary_vars)
        blocks.append(
            Section(
                f"{name}: {spec.title}",
                [
                    Text(spec.notes, kind="rationale") if spec.notes else None,
                    *fit_blocks(stems[0], main, diagnostics, comparison),
                ],
                anchor=f"fit-{name}",
                level=3,
            )
        )
    unshipped = [n for n in FITS if n not in shipped]
    if unshipped:
        blocks.append(
            Text(
                "Fits without a shipped posterior (fit them to your data with takeoff fit): "
                + ", ".join(unshipped)
                + ".",
                kind="caption",
            )
        )
    return Section("Fits", blocks, anchor="fits")


# --- sensitivity -----------------------------------------------------------------------------


def _tornado_block(table) -> TableBlock:
    a = table.attrs
    lo, hi = (f"{q:.0%}" for q in a["quantiles"])
    censored = set(a["censored"])

    def cell(value, key):
        return f"{value:.4g}" + (" *" if key in censored else "")

    rows = tuple(
        (
            str(r.parameter),
            f"{r.low_value:.4g}",
            f"{r.high_value:.4g}",
            cell(r.output_at_low, f"{r.parameter} low"),
            cell(r.output_at_high, f"{r.parameter} high"),
            f"{r.swing:+.4g}",
        )
        for r in table.itertuples()
    )
    note = f"All inputs at their medians give {a['base']:.4g}" + (
        " (censored at the horizon)" if "base" in censored else ""
    )
    if censored - {"base"}:
        note += "; * not reached within the horizon: censored at it"
    if a.get("note"):
        note += f". {a['note']}"
    return TableBlock(
        formatting.Table(
            f"One-at-a-time swings of {a['output']} [{a['units']}]",
            (
                "input",
                f"at its {lo}",
                f"at its {hi}",
                f"output at {lo}",
                f"output at {hi}",
                "swing",
            ),
            rows,
            note=note,
        )
    )


def _sobol_block(result) -> list:
    blocks = []
    for output in result.censored:
        if output in result.notes:
            blocks.append(Text(f"No Sobol indices for {output}: {result.notes[output]}."))
            continue
        rows = result.indices[result.indices["output"] == output].sort_values(
            "ST", ascending=False, kind="stable"
        )
        blocks.append(
            TableBlock(
                formatting.Table(
                    f"Sobol indices of {output} [{result.units[output]}] (n = {result.n} base "
                    f"samples, {result.evaluations:,} runs; censored: "
                    f"{result.censored[output]:.0%})",
                    ("input", "S1 (first order)", "ST (total)"),
                    tuple(
                        (
                            str(r.parameter),
                            f"{r.S1:.2f} ± {r.S1_conf:.2f}",
                            f"{r.ST:.2f} ± {r.ST_conf:.2f}",
                        )
                        for r in rows.itertuples()
                    ),
                    note="± 95% bootstrap interval; at this small base sample the intervals are "
                    "wide: read the ranking, not the decimals (takeoff sensitivity SCENARIO "
                    "--n 1024 for more).",
                )
            )
        )
    blocks += [Text(c, kind="caption") for c in result.caveats]
    return blocks


def sensitivity_section(scenarios, sobol_n: int | None = SOBOL_N) -> Section:
    """Which uncertain inputs move each scenario's outputs: tornado tables (deterministic, one
    run per input and side) and, with ``sobol_n``, Sobol indices at that base sample."""
    from takeoff.forecast.sensitivity import outputs_of, sobol, tornado_table
    from takeoff.plots import sensitivity_charts

    blocks: list = [
        Text(
            "For each scenario with uncertain inputs: each input moved alone from its 5% to its "
            "95% quantile with the others at their medians (a tornado), and Sobol indices: the "
            "share of the output's variance an input explains on its own (S1) and with its "
            "interactions (ST)."
        )
    ]
    for sc in scenarios:
        try:
            outputs = outputs_of(sc)
        except TakeoffError as exc:
            blocks.append(Section(sc.name, [Text(str(exc), kind="caption")], level=3))
            continue
        if not sc.uncertain():
            blocks.append(
                Section(sc.name, [Text("Every input is a fixed number.", kind="caption")], level=3)
            )
            continue
        inner: list = []
        for i, out in enumerate(outputs):
            table = tornado_table(sc, out.name)
            inner.append(_tornado_block(table))
            if i == 0:
                inner.append(Figure(sensitivity_charts.tornado(table), name=f"tornado_{sc.name}"))
        if sobol_n:
            inner += _sobol_block(sobol(sc, n=sobol_n, seed=0))
        blocks.append(Section(sc.name, inner, anchor=f"sensitivity-{sc.name}", level=3))
    return Section("Sensitivity", blocks, anchor="sensitivity")


# --- data and reproducibility ------------------------------------------------------------------


def data_section() -> Section:
    """Every bundled data set: what it is, where it comes from, its hash and provenance."""
    from takeoff.data import DATASETS, provenance

    blocks: list = [
        Text(
            "The data sets bundled with takeoff, each with the provenance of the original "
            "source and of how it was trimmed."
        )
    ]
    for name, info in DATASETS.items():
        raw = info.path().read_bytes()
        rows = max(raw.count(b"\n") - 1, 0)
        inner = [
            Text(info.description),
            Text(f"Source: {info.source}. Cite: {info.citation}.", kind="caption"),
            Text(
                f"{rows:,} rows; sha256 of the CSV: {hashlib.sha256(raw).hexdigest()}",
                kind="caption",
            ),
            Details(f"PROVENANCE of {name}", provenance(name)),
        ]
        urls = [w for w in str(info.source).split() if w.startswith(("http://", "https://"))]
        if urls:
            inner.insert(2, Links(tuple((u.rstrip(".,;)"), u.rstrip(".,;)")) for u in urls)))
        blocks.append(Section(f"{name}: {info.title}", inner, anchor=f"data-{name}", level=3))
    return Section("Data and provenance", blocks, anchor="data")


def _versions() -> list[tuple[str, str]]:
    import importlib.metadata as md

    out = [("takeoff", __version__), ("python", platform.python_version())]
    for package in ("numpy", "scipy", "xarray", "pandas", "numba", "plotly", "arviz", "SALib"):
        try:
            out.append((package, md.version(package)))
        except md.PackageNotFoundError:
            out.append((package, "not installed"))
    out.append(("platform", platform.platform()))
    return out


def reproducibility_section(results, command: str = "") -> Section:
    """What reproduces the report: the command, versions, each scenario's seed, draws and file
    hash, each shipped posterior's file hash and its fit's data hash, seed and sampler."""
    from takeoff.data.posteriors import posteriors_dir, shipped_names

    blocks: list = []
    if command:
        blocks.append(Details("Command", command))
    blocks.append(
        TableBlock(
            formatting.Table(
                "Versions", ("package", "version"), tuple((k, v) for k, v in _versions())
            )
        )
    )
    blocks.append(
        TableBlock(
            formatting.Table(
                "Scenarios",
                ("scenario", "kind", "draws", "seed", "engine", "sha256 of the scenario file"),
                tuple(
                    (
                        r.scenario.name,
                        str(r.summary.attrs.get("kind", "")),
                        f"{int(r.summary.attrs['draws']):,}",
                        str(r.summary.attrs["seed"]),
                        str(r.summary.attrs.get("engine", "")),
                        hashlib.sha256(r.scenario.text.encode()).hexdigest(),
                    )
                    for r in results
                ),
                note="The same seed gives the same numbers whatever the chunking and on the "
                "local or the Dask engine (draws are made in seeded blocks and reduced to exact "
                "counts).",
            )
        )
    )
    from takeoff.data.posteriors import load_posterior

    rows = []
    for stem in shipped_names():
        path = posteriors_dir() / f"{stem}.nc"
        a = load_posterior(stem).attrs
        rows.append(
            (
                stem,
                str(a.get("fit_name", "")),
                str(a.get("data_source", "")),
                str(a.get("data_hash", ""))[:16],
                str(a.get("seed", "")),
                str(a.get("sampler", "")),
                str(a.get("created", "")),
                hashlib.sha256(path.read_bytes()).hexdigest()[:16],
            )
        )
    blocks.append(
        TableBlock(
            formatting.Table(
                "Shipped posteriors",
                ("file", "fit", "data", "data sha256", "seed", "sampler", "created", "file sha256"),
                tuple(rows),
                note="Hashes shortened to 16 hex digits; the data sets' full hashes are in Data "
                "and provenance.",
            )
        )
    )
    return Section("Reproducibility", blocks, anchor="reproducibility")

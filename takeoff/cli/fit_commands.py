"""Fitting commands: fit a model, list the fits, compare saved fits, calibrate a fitter by
simulation, regenerate the shipped posteriors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from takeoff.cli.options import (
    check_output_dir,
    check_output_file,
    check_positive,
    check_seed,
    interactive,
    parse_assignments,
    parse_columns,
    parse_date,
    say,
)
from takeoff.errors import TakeoffError
from takeoff.models.fits.key_results import REGIME_SUMMARIES
from takeoff.models.fits.registry import FITS

Draws = Annotated[int, typer.Option(help="posterior draws per chain")]
Tune = Annotated[int | None, typer.Option(help="tuning steps per chain [default: the fit's]")]
Chains = Annotated[int, typer.Option(help="chains")]
Seed = Annotated[int, typer.Option(help="random seed")]
Sampler = Annotated[
    str | None,
    typer.Option(
        help="nutpie-c (nutpie on PyTensor's C backend, compiled once per machine), nutpie "
        "(numba, compiled per process) or pymc (PyMC's NUTS) [default: the fit's]"
    ),
]
Since = Annotated[
    str | None, typer.Option(help="keep rows dated on or after this (2024.5 or 2024-07-02)")
]
Until = Annotated[
    str | None, typer.Option(help="keep rows dated before this (2023.5 or 2023-07-02)")
]


def register(app: typer.Typer) -> None:
    app.command(
        help="Fit a model to data with PyMC: prints the posterior, diagnostics (R-hat, ESS, "
        "divergences, posterior predictive check) and the key results; --out saves NetCDF.\n\n"
        f"NAME is one of: {', '.join(FITS)} (see 'takeoff fits')."
    )(fit)
    app.command(
        "compare", help="Compare saved fits of the same data by LOO (elpd, stacking weights)."
    )(compare_fits)
    app.command(
        help="The fits: data set, column roles, priors with their reasons, nested regimes."
    )(fits)
    app.command(
        help="Simulation-based calibration of a fitter on its bundled covariates: draw truths "
        "from the prior, simulate data, fit, and test the ranks of the truths for uniformity."
    )(calibrate)
    app.command(
        help="Maintainers: refit and write the small shipped posteriors (each checked for "
        "convergence; a chained fit uses the upstream fits of the same run)."
    )(ship)


def fit(
    name: Annotated[str, typer.Argument(help="fit name", show_default=False, metavar="NAME")],
    data: Annotated[
        Path | None, typer.Option(help="your CSV instead of the bundled data set")
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="which CSV column plays a role: ROLE=COLUMN (repeatable)"),
    ] = None,
    fix: Annotated[
        list[str] | None,
        typer.Option("--fix", help="hold a parameter fixed, e.g. --fix eps=0 (repeatable)"),
    ] = None,
    since: Since = None,
    until: Until = None,
    frontier: Annotated[bool, typer.Option(help="keep only frontier models")] = False,
    bounded: Annotated[
        bool, typer.Option(help="returns_curve: logistic curve for scores in [0, 1]")
    ] = False,
    draws: Draws = 1000,
    tune: Tune = None,
    chains: Chains = 4,
    seed: Seed = 0,
    sampler: Sampler = None,
    out: Annotated[Path | None, typer.Option(help="save the fit as NetCDF (.nc)")] = None,
    strict: Annotated[
        bool, typer.Option(help="exit non-zero (and save nothing) if the fit did not converge")
    ] = False,
    compare: Annotated[
        bool, typer.Option(help="also fit the nested regime (e.g. eps = 0) and compare by LOO")
    ] = False,
    figures: Annotated[
        Path | None,
        typer.Option(help="write the fit's figures (PNG) into this folder (fits that have some)"),
    ] = None,
) -> None:
    from takeoff.models.fits import FitOptions, diagnose, format_diagnostics, get_fit
    from takeoff.models.fits.compare import format_comparison
    from takeoff.models.fits.fitting import fit_regimes
    from takeoff.models.fits.headline import headline
    from takeoff.models.fits.tables import load_table, prepare

    spec = get_fit(name)
    fixed = parse_assignments(fix, "--fix")
    spec.check_fixed(fixed)
    columns = parse_columns(column)
    if columns and data is None:
        raise TakeoffError("--column maps the columns of your CSV; give it with --data FILE")
    if compare and not spec.compared_regimes:
        raise TakeoffError(f"fit {spec.name} has no nested regime to compare")
    check_positive(draws=draws, tune=tune, chains=chains)
    check_seed(seed)
    if out is not None:
        check_output_file(out, ".nc")
    draw_figures = None
    if figures is not None:
        from takeoff.plots.fit_figures import fit_figures

        draw_figures = fit_figures(spec.name)
        if draw_figures is None:
            raise TakeoffError(f"fit {spec.name} has no figures of its own; drop --figures")
        if figures.exists() and not figures.is_dir():
            raise TakeoffError(f"--figures '{figures}' exists and is not a folder; choose a folder")
        if not figures.parent.exists():
            raise TakeoffError(
                f"folder '{figures.parent}' does not exist; create it or choose another --figures"
            )
    options = FitOptions(
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        frontier=frontier,
        bounded=bounded,
    )
    table = load_table(spec, data, columns)
    prepare(spec, table.frame, options)  # validate the data and the selection before sampling
    regimes = fit_regimes(
        spec,
        table,
        compare=compare,
        fixed=fixed,
        announce=say,
        options=options,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        sampler=sampler,
        progress=interactive(),
    )
    idata = regimes.main
    diagnostics = diagnose(idata, spec.summary_vars)
    typer.echo("\n".join(headline(idata)))
    line = published_prior_line(spec, idata)
    if line:
        typer.echo(line)
    typer.echo("")
    typer.echo(format_diagnostics(diagnostics))
    if regimes.comparison is not None:
        typer.echo("")
        typer.echo("LOO comparison of the regimes:")
        typer.echo(format_comparison(regimes.comparison))
        if spec.name in REGIME_SUMMARIES:
            typer.echo("")
            typer.echo(regime_table(spec, regimes.fits))
    if figures is not None:
        from takeoff.plots.static import save

        figures.mkdir(exist_ok=True)
        for stem, figure in draw_figures(regimes.fits).items():
            path = figures / f"{spec.name}_{stem}.png"
            save(figure, path)
            typer.echo(f"wrote {path}")
    if strict and not diagnostics.converged:
        raise TakeoffError(
            "the fit did not converge (" + "; ".join(diagnostics.problems) + "); nothing saved"
        )
    if out is not None:
        from takeoff.models.fits import save_fit

        save_fit(idata, out)
        typer.echo(f"wrote {out}")


def published_prior_line(spec, idata) -> str | None:
    """P(variable > threshold) of the fit beside the same probability under the prior a
    built-in scenario sets by hand (``FitSpec.published_prior``), read from the scenario file."""
    import numpy as np

    if spec.published_prior is None:
        return None
    scenario, parameter, variable, threshold = spec.published_prior
    if variable not in idata.posterior or np.ptp(idata.posterior[variable].values) == 0:
        return None
    from takeoff.forecast.loading import load_scenario
    from takeoff.forecast.sources import probability_above

    source = load_scenario(scenario).parameters[parameter]
    here = float(np.mean(idata.posterior[variable].values > threshold))
    published = probability_above(source, threshold)
    return (
        f"P({variable} > {threshold:g}) = {here:.4f} fitted, against P({parameter} > "
        f"{threshold:g}) = {published:.3f} under the published prior of scenario {scenario} "
        f"({parameter} ~ {source.describe()})"
    )


def regime_table(spec, fits) -> str:
    """The fit's key numbers per compared regime, one row each (the fit as asked first)."""
    import pandas as pd

    from takeoff.models.fits.compare import label

    summary = REGIME_SUMMARIES[spec.name]
    rows = {label(idata): summary(idata) for idata in fits.values()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    return "Key results per regime:\n" + table.to_string()


def compare_fits(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="two or more .nc files from takeoff fit --out",
            show_default=False,
            metavar="FIT.nc",
        ),
    ],
) -> None:
    from takeoff.models.fits import compare, format_comparison, load_fit
    from takeoff.models.fits.compare import label
    from takeoff.models.fits.headline import regime_probabilities

    fits = {}
    for i, path in enumerate(files, start=1):
        idata = load_fit(path)
        fits[f"{i}: {label(idata)} ({path.name})"] = idata
    typer.echo(format_comparison(compare(fits)))
    for key, idata in fits.items():
        nested = FITS[idata.posterior.attrs["fit_name"]].nested
        for name, p in regime_probabilities(idata).items():
            typer.echo(f"{key}: P({name} > {nested[name]:g}) = {p:.3f}")


def fits() -> None:
    for spec in FITS.values():
        typer.echo(f"{spec.name}: {spec.title}")
        typer.echo(
            f"  data: {spec.dataset or 'your CSV (--data)'}; roles: "
            + ", ".join(f"{r.name} (default column {r.column})" for r in spec.roles)
        )
        if spec.family is not None:
            link = spec.family
            typer.echo(
                f"  family: {link.family}; in its parameters: "
                + ", ".join(f"{k} [{e.unit}]" if e.unit else k for k, e in link.parameters.items())
                + f"; starting at the fit's {link.start}"
            )
        if spec.upstream:
            typer.echo(
                f"  upstream fits (priors from their posteriors): {', '.join(spec.upstream)}"
            )
        for prior in spec.priors:
            if prior.variant == "bounded":
                variant = " (--bounded)"
            elif prior.variants:
                variant = f" (variant {' / '.join(prior.variants)})"
            else:
                variant = ""
            typer.echo(f"  prior {prior.name}{variant} ~ {prior.describe()}: {prior.reason}")
        for regime in spec.compared_regimes:
            typer.echo(f"  compared regime {regime.name}: {regime.description}")
        if spec.exports:
            typer.echo(
                "  exports: "
                + ", ".join(f"{k} [{e.unit}]: {e.description}" for k, e in spec.exports.items())
            )
        if spec.notes:
            typer.echo(f"  note: {spec.notes}")
        typer.echo("")


def calibrate(
    name: Annotated[str, typer.Argument(help="fit name", show_default=False, metavar="NAME")],
    sims: Annotated[int, typer.Option(help="simulated data sets")] = 100,
    draws: Draws = 400,
    tune: Annotated[
        int | None, typer.Option(help="tuning steps per chain [default: draws]")
    ] = None,
    seed: Seed = 0,
) -> None:
    from takeoff.models.fits.calibration import bundled_prepared, sbc
    from takeoff.models.fits.registry import get_fit

    spec = get_fit(name)
    check_positive(sims=sims, draws=draws, tune=tune)
    check_seed(seed)
    result = sbc(
        spec,
        bundled_prepared(spec),
        sims=sims,
        draws=draws,
        tune=tune if tune is not None else draws,
        seed=seed,
        progress=interactive(),
    )
    typer.echo(f"SBC of {spec.name} on its bundled covariates:")
    typer.echo(result.format())


def ship(
    draws: Draws = 1000,
    seed: Seed = 0,
    out: Annotated[
        Path | None, typer.Option(help="folder [default: the package's shipped posteriors]")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="ship only this stem (repeatable)")
    ] = None,
) -> None:
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits.ship import ship as run_ship

    check_positive(draws=draws)
    check_seed(seed)
    target = out or posteriors_dir()
    check_output_dir(target)
    run_ship(target, draws, seed, only, say=typer.echo)

"""Forecast commands: run scenario forecasts (the main job), list and show scenarios, backtest
the date-indexed fits, and the sensitivity of a scenario."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from takeoff.cli.options import (
    check_calendar_year,
    check_output_dir,
    check_output_file,
    check_positive,
    check_seed,
    check_years,
    interactive,
    parse_date,
    say,
    sub_app,
    write_atomic,
)
from takeoff.errors import TakeoffError

scenarios_app = sub_app(
    "scenarios", "The built-in scenarios: list them, or show one (its TOML and rationale)."
)


def register(app: typer.Typer) -> None:
    app.command(
        help="Scenario forecasts: Monte Carlo over parameter draws (posteriors, "
        "distributions). Prints the headline first (a table per kind of forecast, a row per "
        "scenario), then each scenario's results (milestone dates, takeoff duration and class "
        "probabilities, P(singularity); for sie_doublings scenarios P(m years of progress "
        "within T months) with standard errors); writes forecast.nc, summary.csv (long form, "
        "see the README) and figures into --out. With no SCENARIO: all built-ins, and "
        "report.html (the self-contained report) too."
    )(forecast)
    app.command(
        help="The self-contained HTML report (one file: opens with no network or server): "
        "the headline, every scenario side by side and on its own, each shipped fit with its "
        "data, posterior predictive and diagnostics, sensitivity, data provenance, versions, "
        "seeds and hashes. With no SCENARIO: all built-ins."
    )(report)
    app.add_typer(scenarios_app)
    app.command(
        help="Rolling-origin backtest of a date-indexed fit (compute_trend, hardware_trend, "
        "horizon_dynamics): fit on data before each origin, score the posterior predictive "
        "on the later points: 50%/90% interval coverage and the error of the median. Of a "
        "research_loop scenario (takeoff_from_data): every dated fit refitted before each "
        "origin, the loop with and without AI feedback and the baselines (exponential and "
        "superexponential METR trends, loss_to_horizon, the compute trend) scored on the same "
        "later points: ELPD, CRPS, coverage, skill against the exponential trend, PIT."
    )(backtest)
    app.command(
        help="Global sensitivity of a scenario: Sobol indices (first order, total) of its "
        "outputs for each uncertain input, and a one-at-a-time tornado table per output."
    )(sensitivity)


def _scenarios(names: list[str] | None):
    from takeoff.forecast.loading import load_scenario
    from takeoff.forecast.scenario import main_job_names

    scenarios = [load_scenario(s) for s in (names or main_job_names())]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise TakeoffError("two scenarios have the same name; give each scenario once")
    return scenarios


def _run(scenarios, draws: int, seed: int, engine: str = "local", scheduler=None) -> list:
    from takeoff.forecast.monte_carlo import forecast as run_forecast
    from takeoff.forecast.monte_carlo import text_progress

    results = []
    for sc in scenarios:
        progress = text_progress(sc.name) if interactive() else None
        results.append(
            run_forecast(sc, draws, seed, engine=engine, scheduler=scheduler, progress=progress)
        )
    return results


def _command() -> str:
    return "takeoff " + " ".join(sys.argv[1:])


def _heading(summaries) -> str:
    draws = sorted({int(s.attrs["draws"]) for s in summaries})
    seeds = sorted({int(s.attrs["seed"]) for s in summaries})
    return (
        f"Headline: {len(summaries)} scenarios, {' / '.join(f'{d:,}' for d in draws)} draws "
        f"each, seed {' / '.join(map(str, seeds))}"
    )


def _track_line(summaries) -> None:
    """The loop's track record in one line under the headline (from the shipped backtest)."""
    from takeoff.forecast.track_record import shipped_verdict

    line = shipped_verdict([str(s.attrs.get("scenario", "")) for s in summaries])
    if line:
        typer.echo(line)
        typer.echo("")


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def forecast(
    scenario: Annotated[
        list[str] | None,
        typer.Argument(
            help="built-in names or .toml files", metavar="[SCENARIO]...", show_default=False
        ),
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per scenario")] = 10_000,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path, typer.Option(help="folder for forecast.nc, summary.csv, figures")] = Path(
        "results"
    ),
    engine: Annotated[str, typer.Option(help="local or dask")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="a Dask scheduler address (default: a local cluster)")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="print the headline only")] = False,
    report: Annotated[
        bool | None,
        typer.Option(
            "--report/--no-report",
            help="also write report.html [default: when no SCENARIO is given]",
            show_default=False,
        ),
    ] = None,
) -> None:
    from takeoff.cli.console import print_tables
    from takeoff.cli.outputs import REPORT, write_forecast_files
    from takeoff.forecast.kinds import comparisons, format_summary, headline_tables

    check_output_dir(out)
    check_positive(draws=draws)
    check_seed(seed)
    scenarios = _scenarios(scenario)
    results = _run(scenarios, draws, seed, engine, scheduler)
    summaries = [r.summary for r in results]
    print_tables(headline_tables(summaries), heading=_heading(summaries))
    _track_line(summaries)
    if not quiet:
        for r in results:
            typer.echo(format_summary(r.summary))
            typer.echo("")
        for table in comparisons(summaries):
            typer.echo(table)
            typer.echo("")
    with_report = not scenario if report is None else report
    written = write_forecast_files(
        out,
        results,
        report=with_report,
        command=_command(),
        progress=say if interactive() else None,
    )
    if not quiet:
        for path in written:
            extra = f" ({_size(path)}, self-contained)" if path.name == REPORT else ""
            typer.echo(f"wrote {path}{extra}")


def report(
    scenario: Annotated[
        list[str] | None,
        typer.Argument(
            help="built-in names or .toml files", metavar="[SCENARIO]...", show_default=False
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="the report's file (.html)")] = Path("report.html"),
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per scenario")] = 10_000,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    sobol: Annotated[
        int, typer.Option(help="Sobol base sample per scenario (a power of 2; 0: tornado only)")
    ] = 64,
) -> None:
    from takeoff.cli.console import print_tables
    from takeoff.forecast.kinds import headline_tables
    from takeoff.report import report_html

    check_output_file(out, ".html")
    check_positive(draws=draws)
    if sobol and (sobol < 16 or sobol & (sobol - 1)):
        raise TakeoffError(f"--sobol must be 0 or a power of 2 of at least 16; got {sobol}")
    check_positive(sobol=sobol or None)
    check_seed(seed)
    results = _run(_scenarios(scenario), draws, seed)
    summaries = [r.summary for r in results]
    print_tables(headline_tables(summaries), heading=_heading(summaries))
    text = report_html(
        results,
        command=_command(),
        sobol_n=sobol or None,
        progress=say if interactive() else None,
    )
    write_atomic(out, text)
    typer.echo(f"wrote {out} ({_size(out)}, self-contained: open it in any browser)")


@scenarios_app.command("list", help="Every built-in scenario: name, family, title.")
def scenarios_list() -> None:
    from takeoff.cli.console import print_tables
    from takeoff.forecast.loading import load_scenario
    from takeoff.forecast.scenario import builtin_names
    from takeoff.formatting import Table

    scenarios = [load_scenario(name) for name in builtin_names()]
    rows = tuple((sc.name, sc.family, sc.title) for sc in scenarios)
    print_tables([Table("Built-in scenarios", ("name", "family", "title"), rows)])


@scenarios_app.command("show", help="One scenario: its TOML file, as shipped.")
def scenarios_show(
    name: Annotated[str, typer.Argument(help="scenario name or .toml file", metavar="NAME")],
) -> None:
    from takeoff.forecast.loading import load_scenario

    typer.echo(load_scenario(name).text)


def backtest(
    fit_name: Annotated[
        str,
        typer.Argument(
            help="fit name, or a research_loop scenario (e.g. takeoff_from_data): its links "
            "refitted before each origin, the loop run forward and scored",
            metavar="FIT_OR_SCENARIO",
            show_default=False,
        ),
    ],
    origin: Annotated[
        list[str],
        typer.Option("--origin", help="an origin, a decimal year or a date (repeatable)"),
    ],
    horizon: Annotated[
        float | None, typer.Option(help="score only points up to this many years ahead")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="drop rows dated before this (2018 or 2018-01-01)")
    ] = None,
    draws: Annotated[int, typer.Option(help="posterior draws per chain")] = 1000,
    tune: Annotated[
        int | None, typer.Option(help="tuning steps per chain [default: the fit's]")
    ] = None,
    chains: Annotated[int, typer.Option(help="chains")] = 4,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            help="a scenario backtest: also write its points, fans and settings as CSV into "
            "this folder (what takeoff/data/track_record ships)"
        ),
    ] = None,
) -> None:
    from takeoff.forecast.scenario import builtin_names
    from takeoff.forecast.schema import MAX_YEARS, START_YEARS
    from takeoff.models.fits import FitOptions
    from takeoff.models.fits.backtest import backtest as run_backtest

    check_positive(draws=draws, tune=tune, chains=chains)
    check_seed(seed)
    check_years("--horizon", horizon, MAX_YEARS)
    origins = [
        check_calendar_year("--origin", parse_date(o, "--origin"), START_YEARS) for o in origin
    ]
    if fit_name in builtin_names() or fit_name.endswith(".toml"):
        from takeoff.forecast.track_context import Settings
        from takeoff.forecast.track_record import run_track_record

        if horizon is not None or since is not None:
            raise TakeoffError(
                "a scenario backtest refits its links on all data before each origin; drop "
                "--horizon and --since"
            )
        if out is not None:
            check_output_dir(out)
        record = run_track_record(
            fit_name,
            origins,
            Settings(draws=draws, chains=chains, tune=tune, seed=seed),
            say=typer.echo,
            after_origin=None if out is None else lambda r: r.write(out),  # saved as it goes
        )
        if out is not None:
            record.write(out)
        typer.echo(record.format())
        return
    if out is not None:
        raise TakeoffError("--out is for a scenario backtest (e.g. takeoff_from_data); drop it")
    result = run_backtest(
        fit_name,
        origins,
        horizon_years=horizon,
        options=FitOptions(since=parse_date(since, "--since")),
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        progress=interactive(),
    )
    typer.echo(result.format())


def sensitivity(
    scenario: Annotated[
        str, typer.Argument(help="built-in name or .toml file", metavar="SCENARIO")
    ],
    n: Annotated[int, typer.Option(help="Sobol base sample size (a power of 2)")] = 1024,
    groups: Annotated[
        bool,
        typer.Option(
            "--groups",
            help="also the indices of two groups of inputs: identified by data (posteriors) "
            "and assumed (distributions), with the inputs drawn as the forecast draws them "
            "(posterior draws kept joint within each fit), and of P(hard or fast)",
        ),
    ] = False,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[
        Path | None, typer.Option(help="save the tornado figure of the first output (.png)")
    ] = None,
) -> None:
    from takeoff.forecast.loading import load_scenario
    from takeoff.forecast.sensitivity import format_tornado, outputs_of, sobol, tornado_table

    if out is not None:
        check_output_file(out, ".png")
    check_positive(n=n)
    check_seed(seed)
    sc = load_scenario(scenario)
    outputs = outputs_of(sc)
    result = sobol(sc, n=n, seed=seed)
    grouped = sobol(sc, n=n, seed=seed, by="source") if groups else None
    tables = [tornado_table(sc, o.name) for o in outputs]
    typer.echo(result.format())
    if grouped is not None:
        typer.echo("")
        typer.echo(grouped.format())
    for table in tables:
        typer.echo("")
        typer.echo(format_tornado(table))
    if out is not None:
        from takeoff.plots import static

        static.save(static.tornado(tables[0], title=f"{sc.name}: one-at-a-time swings"), out)
        typer.echo(f"wrote {out}")

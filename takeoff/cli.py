"""The ``takeoff`` command line.

Every failure caused by input prints one line, ``error: <what was wrong and what to do>``, to
stderr and exits with status 2; nothing is written unless the whole command succeeded.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from takeoff.errors import TakeoffError
from takeoff.models.registry import FAMILIES


def _families_help() -> str:
    """Families with their equations and parameters (units, defaults, ranges), for --help."""
    blocks = []
    for family in FAMILIES.values():
        lines = [f"{family.name}: {family.equation}"]
        lines += [f"    --param {p.describe()}" for p in family.parameters]
        lines += [f"    --y0 {s.describe()}" for s in family.states]
        blocks.append("\b\n" + "\n".join(lines))
    return "Families and their parameters:\n\n" + "\n\n".join(blocks)


app = typer.Typer(
    name="takeoff",
    help="Forecast AI takeoff dynamics: recursive self-improvement models with sublinear, "
    "exponential or explosive returns.\n\n" + _families_help(),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def parse_assignments(items: list[str] | None, option: str) -> dict[str, float]:
    """Parse repeated ``NAME=VALUE`` options into a dict of floats (``inf`` allowed)."""
    values: dict[str, float] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise TakeoffError(
                f"malformed {option} '{item}': expected NAME=VALUE, e.g. {option} k=0.5"
            )
        try:
            value = float(text)
        except ValueError:
            raise TakeoffError(
                f"{option} {name}={text}: '{text}' is not a number; give e.g. {option} {name}=0.5"
            ) from None
        if math.isnan(value):
            raise TakeoffError(f"{option} {name} is NaN; give a number")
        if name in values:
            raise TakeoffError(f"{option} {name} is given twice; give it once")
        values[name] = value
    return values


@app.command(
    help="Simulate one model family and print its regime and trajectory.\n\n"
    "FAMILY is one of: " + ", ".join(FAMILIES) + ".\n\n" + _families_help(),
)
def simulate(
    family: Annotated[
        str, typer.Argument(help="model family", show_default=False, metavar="FAMILY")
    ],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="parameter value NAME=VALUE (repeatable)"),
    ] = None,
    y0: Annotated[
        list[str] | None, typer.Option("--y0", help="initial state NAME=VALUE (repeatable)")
    ] = None,
    years: Annotated[float, typer.Option(help="years to simulate")] = 10.0,
    points: Annotated[int, typer.Option(help="number of time points in the output")] = 101,
    out: Annotated[
        Path | None, typer.Option(help="write the trajectory as CSV (time + one column per state)")
    ] = None,
) -> None:
    from takeoff.models.registry import get_family
    from takeoff.models.solve import solve, time_grid
    from takeoff.report import format_simulation

    fam = get_family(family)
    params = parse_assignments(param, "--param")
    initial = parse_assignments(y0, "--y0")
    for name in params:
        fam.parameter(name)
    if out is not None:
        _check_output_file(out, ".csv")
    if not math.isfinite(years) or years <= 0:
        raise TakeoffError(f"--years must be a positive number; got {years:g}")
    ds = solve(fam, params, initial, time_grid(years, points))
    typer.echo(format_simulation(fam, ds))
    if out is not None:
        from takeoff.report import trajectory_table

        _write_atomic(out, trajectory_table(fam, ds).to_csv(index=False, float_format="%.10g"))
        typer.echo(f"wrote {out}")


@app.command(help="The model families: equations, parameters with units, ranges and priors.")
def families() -> None:
    for family in FAMILIES.values():
        typer.echo(family.describe())
        typer.echo("")


@app.command(
    help="Demo of the model families on the seed essays' positions: prints the regime table "
    "and writes figures (the keyhole, doubling times, a regime map) into --out."
)
def demo(
    out: Annotated[Path, typer.Option(help="folder for the figures")] = Path("results"),
) -> None:
    from takeoff.demo import run_demo

    _check_output_dir(out)
    report, written = run_demo(out)
    typer.echo(report)
    for path in written:
        typer.echo(f"wrote {path}")


data_app = typer.Typer(
    name="data",
    help="The bundled real data sets: list them, or show one with its units and source.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app)


@data_app.command("list", help="Every bundled data set: name, rows, columns, title, source.")
def data_list() -> None:
    from takeoff.data.describe import format_catalogue

    typer.echo(format_catalogue())


@data_app.command(
    "show", help="One data set: description, source, each column with its unit, first rows."
)
def data_show(
    name: Annotated[
        str,
        typer.Argument(
            help="data set name (see 'takeoff data list')", show_default=False, metavar="NAME"
        ),
    ],
    rows: Annotated[int, typer.Option(help="how many rows to print")] = 5,
) -> None:
    from takeoff.data.describe import format_dataset

    if rows < 0:
        raise TakeoffError(f"--rows must be 0 or more; got {rows}")
    typer.echo(format_dataset(name, head=rows))


def parse_since(text: str | None) -> float | None:
    """--since as a decimal year ("2024.5") or an ISO date ("2024-07-02")."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    try:
        from takeoff.data import to_decimal_year

        return float(to_decimal_year(np.array([np.datetime64(text, "ns")]))[0])
    except (ValueError, TakeoffError):
        raise TakeoffError(
            f"--since '{text}' is neither a decimal year nor a date; give e.g. 2024.5 or 2024-07-02"
        ) from None


def parse_columns(items: list[str] | None) -> dict[str, str]:
    """Repeated --column ROLE=COLUMN."""
    columns: dict[str, str] = {}
    for item in items or []:
        role, sep, column = (part.strip() for part in item.partition("="))
        if not sep or not role or not column:
            raise TakeoffError(
                f"malformed --column '{item}': expected ROLE=COLUMN, e.g. --column x=compute"
            )
        columns[role] = column
    return columns


@app.command(
    help="Fit a model to data with PyMC: prints the posterior, diagnostics (R-hat, ESS, "
    "divergences, posterior predictive check) and the key results; --out saves NetCDF.\n\n"
    "NAME is one of: chinchilla, returns_curve, compute_trend, hardware_trend, "
    "capability_vs_compute, horizon_dynamics, gwp_hyperbolic, horizon_readout (see 'takeoff fits')."
)
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
    since: Annotated[
        str | None, typer.Option(help="keep rows dated on or after this (2024.5 or 2024-07-02)")
    ] = None,
    frontier: Annotated[bool, typer.Option(help="keep only frontier models")] = False,
    bounded: Annotated[
        bool, typer.Option(help="returns_curve: logistic curve for scores in [0, 1]")
    ] = False,
    draws: Annotated[int, typer.Option(help="posterior draws per chain")] = 1000,
    tune: Annotated[
        int | None, typer.Option(help="tuning steps per chain [default: the fit's]")
    ] = None,
    chains: Annotated[int, typer.Option(help="chains")] = 4,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    sampler: Annotated[str, typer.Option(help="pymc or nutpie")] = "pymc",
    out: Annotated[Path | None, typer.Option(help="save the fit as NetCDF (.nc)")] = None,
    strict: Annotated[
        bool, typer.Option(help="exit non-zero (and save nothing) if the fit did not converge")
    ] = False,
    compare: Annotated[
        bool, typer.Option(help="also fit the nested regime (e.g. eps = 0) and compare by LOO")
    ] = False,
) -> None:
    import time

    from takeoff.models.fits import FitOptions, diagnose, format_diagnostics, get_fit
    from takeoff.models.fits import fit as run_fit
    from takeoff.models.fits.report import headline
    from takeoff.models.fits.run import load_table, prepare

    spec = get_fit(name)
    fixed = parse_assignments(fix, "--fix")
    spec.check_fixed(fixed)
    columns = parse_columns(column)
    if columns and data is None:
        raise TakeoffError("--column maps the columns of your CSV; give it with --data FILE")
    if compare and not spec.nested:
        raise TakeoffError(f"fit {spec.name} has no nested regime to compare")
    if out is not None:
        _check_output_file(out, ".nc")
    options = FitOptions(since=parse_since(since), frontier=frontier, bounded=bounded)
    table = load_table(spec, data, columns)
    prepare(spec, table.frame, options)  # validate the data and the selection before sampling
    progress = sys.stderr.isatty()
    runs = {"": fixed}
    if compare:
        runs["nested"] = {**fixed, **spec.nested}
    results = {}
    for label, fixed_here in runs.items():
        what = ", ".join(f"{k}={v:g}" for k, v in fixed_here.items()) or "all parameters free"
        typer.echo(
            f"fitting {spec.name} ({what}): {chains} chains x "
            f"{tune if tune is not None else spec.tune} tune + {draws} draws ...",
            err=True,
        )
        start = time.perf_counter()
        idata = run_fit(
            spec,
            table,
            options=options,
            fixed=fixed_here,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed,
            sampler=sampler,
            progress=progress,
        )
        typer.echo(f"  sampled in {time.perf_counter() - start:.1f} s", err=True)
        results[label] = idata
    idata = results[""]
    diagnostics = diagnose(idata, spec.summary_vars)
    typer.echo("\n".join(headline(idata)))
    typer.echo("")
    typer.echo(format_diagnostics(diagnostics))
    if compare:
        from takeoff.models.fits.compare import compare as loo_compare
        from takeoff.models.fits.compare import format_comparison, label

        typer.echo("")
        typer.echo("LOO comparison of the regimes:")
        typer.echo(format_comparison(loo_compare({label(i): i for i in results.values()})))
    if strict and not diagnostics.converged:
        raise TakeoffError(
            "the fit did not converge (" + "; ".join(diagnostics.problems) + "); nothing saved"
        )
    if out is not None:
        from takeoff.models.fits import save_fit

        save_fit(idata, out)
        typer.echo(f"wrote {out}")


@app.command("compare", help="Compare saved fits of the same data by LOO (elpd, stacking weights).")
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

    fits = {}
    for i, path in enumerate(files, start=1):
        idata = load_fit(path)
        fits[f"{i}: {label(idata)} ({path.name})"] = idata
    typer.echo(format_comparison(compare(fits)))
    for key, idata in fits.items():
        if "eps" in idata.posterior and np.ptp(idata.posterior["eps"].values) > 0:
            typer.echo(f"{key}: P(eps > 0) = {float((idata.posterior['eps'] > 0).mean()):.3f}")
        if "B" in idata.posterior and np.ptp(idata.posterior["B"].values) > 0:
            typer.echo(f"{key}: P(B > 0) = {float((idata.posterior['B'] > 0).mean()):.3f}")


@app.command(help="The fits: data set, column roles, priors with their reasons, nested regimes.")
def fits() -> None:
    from takeoff.models.fits.registry import FITS

    for spec in FITS.values():
        typer.echo(f"{spec.name}: {spec.title}")
        typer.echo(
            f"  data: {spec.dataset or 'your CSV (--data)'}; roles: "
            + ", ".join(f"{r.name} (default column {r.column})" for r in spec.roles)
        )
        for prior in spec.priors:
            typer.echo(f"  prior {prior.name} ~ {prior.distribution}: {prior.reason}")
        if spec.nested:
            typer.echo(
                "  nested regime: " + ", ".join(f"{k} = {v:g}" for k, v in spec.nested.items())
            )
        if spec.notes:
            typer.echo(f"  note: {spec.notes}")
        typer.echo("")


scenarios_app = typer.Typer(
    name="scenarios",
    help="The built-in scenarios: list them, or show one (its TOML and rationale).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(scenarios_app)


@scenarios_app.command("list", help="Every built-in scenario: name, family, title.")
def scenarios_list() -> None:
    from takeoff.forecast.scenario import builtin_names, load_scenario

    for name in builtin_names():
        sc = load_scenario(name)
        typer.echo(f"{name:<20} {sc.family:<18} {sc.title}")


@scenarios_app.command("show", help="One scenario: its TOML file, as shipped.")
def scenarios_show(
    name: Annotated[str, typer.Argument(help="scenario name or .toml file", metavar="NAME")],
) -> None:
    from takeoff.forecast.scenario import load_scenario

    typer.echo(load_scenario(name).text)


@app.command(
    help="Scenario forecasts: Monte Carlo over parameter draws (posteriors, distributions), "
    "printing milestone dates, takeoff duration and class probabilities, P(singularity); "
    "for sie_doublings scenarios, P(m years of progress within T months) with standard errors "
    "(side by side when several are given); writes forecast.nc, summary.csv and figures into "
    "--out. With no SCENARIO: all built-ins."
)
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
) -> None:
    from takeoff.forecast.run import forecast as run_forecast
    from takeoff.forecast.run import text_progress
    from takeoff.forecast.scenario import builtin_names, load_scenario

    _check_output_dir(out)
    if draws < 1:
        raise TakeoffError(f"--draws must be a positive integer; got {draws}")
    scenarios = [load_scenario(s) for s in (scenario or builtin_names())]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise TakeoffError("two scenarios have the same name; give each scenario once")
    results = []
    for sc in scenarios:
        progress = text_progress(sc.name) if sys.stderr.isatty() else None
        results.append(
            run_forecast(sc, draws, seed, engine=engine, scheduler=scheduler, progress=progress)
        )
        typer.echo(format_summary_text(results[-1].summary))
        typer.echo("")
    sie = [r.summary for r in results if r.scenario.is_doublings]
    if len(sie) >= 2:
        from takeoff.forecast.sie import format_comparison

        typer.echo(format_comparison(sie))
        typer.echo("")
    written = _write_forecast_files(out, results)
    for path in written:
        typer.echo(f"wrote {path}")


def format_summary_text(summary) -> str:
    from takeoff.forecast.report import format_summary

    return format_summary(summary)


def _write_forecast_files(out: Path, results) -> list[Path]:
    """forecast.nc (a group per scenario), summary.csv and the figures, written to a temporary
    folder first and moved into --out only when everything succeeded."""
    import shutil
    import tempfile

    from takeoff import plots
    from takeoff.forecast.report import summary_table

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".forecast-", dir=out))
    try:
        nc = tmp / "forecast.nc"
        for i, result in enumerate(results):
            result.summary.to_netcdf(
                nc, group=result.scenario.name, mode="w" if i == 0 else "a", engine="h5netcdf"
            )
        summary_table([r.summary for r in results]).to_csv(tmp / "summary.csv", index=False)
        # sie_doublings scenarios have no trajectories, milestones or classes to draw
        drawn = [r for r in results if not r.scenario.is_doublings]
        figures = {}
        if drawn:
            figures["classes.png"] = plots.class_bars({r.scenario.name: r.summary for r in drawn})
        for r in drawn:
            figures[f"fan_{r.scenario.name}.png"] = plots.fan_chart(r.summary)
            figures[f"milestones_{r.scenario.name}.png"] = plots.milestone_cdfs(r.summary)
        for name, fig in figures.items():
            plots.save(fig, tmp / name)
        written = []
        for path in sorted(tmp.iterdir()):
            target = out / path.name
            path.replace(target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@app.command(
    help="Rolling-origin backtest of a trend fit (compute_trend, hardware_trend, "
    "horizon_dynamics): fit on data before each origin year, score the posterior predictive "
    "on the later points: 50%/90% interval coverage and the error of the median."
)
def backtest(
    fit_name: Annotated[str, typer.Argument(help="fit name", metavar="FIT", show_default=False)],
    origin: Annotated[list[float], typer.Option("--origin", help="an origin year (repeatable)")],
    horizon: Annotated[
        float | None, typer.Option(help="score only points up to this many years ahead")
    ] = None,
    since: Annotated[str | None, typer.Option(help="drop rows dated before this")] = None,
    draws: Annotated[int, typer.Option(help="posterior draws per chain")] = 1000,
    chains: Annotated[int, typer.Option(help="chains")] = 4,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
) -> None:
    from takeoff.forecast.backtest import backtest as run_backtest
    from takeoff.models.fits import FitOptions

    result = run_backtest(
        fit_name,
        origin,
        horizon_years=horizon,
        options=FitOptions(since=parse_since(since)),
        draws=draws,
        chains=chains,
        seed=seed,
        progress=sys.stderr.isatty(),
    )
    typer.echo(result.format())


@app.command(
    help="Global sensitivity of a scenario: Sobol indices (first order, total) of the takeoff "
    "date and duration for each uncertain input, and a one-at-a-time tornado table."
)
def sensitivity(
    scenario: Annotated[
        str, typer.Argument(help="built-in name or .toml file", metavar="SCENARIO")
    ],
    n: Annotated[int, typer.Option(help="Sobol base sample size (a power of 2)")] = 1024,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path | None, typer.Option(help="save the tornado figure (.png)")] = None,
) -> None:
    from takeoff.forecast.sensitivity import format_tornado, sobol, tornado_table

    if out is not None:
        _check_output_file(out, ".png")
    result = sobol(scenario, n=n, seed=seed)
    typer.echo(result.format())
    table = tornado_table(scenario)
    typer.echo("")
    typer.echo(format_tornado(table))
    if out is not None:
        from takeoff import plots

        plots.save(plots.tornado(table, title=f"{scenario}: one-at-a-time swings"), out)
        typer.echo(f"wrote {out}")


@app.command(
    help="Serve the dashboard (Streamlit) on http://127.0.0.1:PORT until stopped with Ctrl+C: "
    "overview, dynamics explorer, fits, forecasts, compare, data."
)
def dashboard(
    port: Annotated[int, typer.Option(help="port to serve on (bound to 127.0.0.1)")] = 8501,
) -> None:
    import os
    import socket

    if not 1 <= port <= 65535:
        raise TakeoffError(f"--port must be between 1 and 65535; got {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise TakeoffError(
                f"port {port} is in use (or not allowed) on 127.0.0.1; choose another with --port"
            ) from None
    app_file = Path(__file__).resolve().parent / "dashboards" / "app.py"
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_file),
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        # no full garbage collection after every rerun: with numpy/xarray/matplotlib loaded it
        # costs ~100 ms per slider move (Python's own collector still runs)
        "--runner.postScriptGC", "false",
    ]  # fmt: skip
    typer.echo(f"takeoff dashboard: http://127.0.0.1:{port} (Ctrl+C stops it)")
    sys.stdout.flush()
    os.execv(sys.executable, command)  # streamlit replaces this process


def _check_output_file(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise TakeoffError(f"--out must name a {suffix} file; got '{path}'")
    if not path.parent.exists():
        raise TakeoffError(
            f"folder '{path.parent}' does not exist; create it or choose another --out"
        )
    if path.is_dir():
        raise TakeoffError(f"--out '{path}' is a folder; give a file name ending in {suffix}")


def _check_output_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise TakeoffError(f"--out '{path}' exists and is not a folder; choose a folder")
    if not path.parent.exists():
        raise TakeoffError(
            f"folder '{path.parent}' does not exist; create it or choose another --out"
        )


def _write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename, so no half-written file remains."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turning bad input into one line and exit status 2."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="takeoff", standalone_mode=False)
    except TakeoffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except typer.TyperException as exc:  # the CLI library's usage errors (unknown option, ...)
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            print(ctx.get_help())
            return 0
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
        print(f"error: {' '.join(message.split()).rstrip('.')}{hint}", file=sys.stderr)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        print("aborted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())

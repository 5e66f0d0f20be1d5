"""Commands on the model families: simulate one, list them, run the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from takeoff.cli.options import (
    MAX_SIMULATE_YEARS,
    check_output_dir,
    check_output_file,
    check_positive,
    check_years,
    families_help,
    parse_assignments,
    write_atomic,
)
from takeoff.errors import TakeoffError
from takeoff.models.registry import FAMILIES


def register(app: typer.Typer) -> None:
    app.command(
        help="Simulate one model family and print its regime and trajectory.\n\n"
        "FAMILY is one of: " + ", ".join(FAMILIES) + ".\n\n" + families_help(),
    )(simulate)
    app.command(help="The model families: equations, parameters with units, ranges and priors.")(
        families
    )
    app.command(
        help="Demo of the model families on the seed essays' positions: prints the regime "
        "table and writes figures (the keyhole, doubling times, a regime map) into --out."
    )(demo)


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
    from takeoff.models.simulation_table import format_simulation, trajectory_table
    from takeoff.models.solve import solve, time_grid

    fam = get_family(family)
    params = parse_assignments(param, "--param")
    initial = parse_assignments(y0, "--y0")
    for name in params:
        fam.parameter(name)
    if out is not None:
        check_output_file(out, ".csv")
    check_years("--years", years, MAX_SIMULATE_YEARS)
    if points < 2:
        raise TakeoffError(f"--points must be at least 2; got {points}")
    check_positive(points=points)
    ds = solve(fam, params, initial, time_grid(years, points))
    typer.echo(format_simulation(fam, ds))
    if out is not None:
        write_atomic(out, trajectory_table(fam, ds).to_csv(index=False, float_format="%.10g"))
        typer.echo(f"wrote {out}")


def families() -> None:
    for family in FAMILIES.values():
        typer.echo(family.describe())
        typer.echo("")


def demo(
    out: Annotated[Path, typer.Option(help="folder for the figures")] = Path("results"),
) -> None:
    from takeoff.demo import run_demo

    check_output_dir(out)
    report, written = run_demo(out)
    typer.echo(report)
    for path in written:
        typer.echo(f"wrote {path}")

"""``takeoff data``: the bundled real data sets (list, show, and the maintainers' rebuild)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from takeoff.cli.options import sub_app
from takeoff.errors import TakeoffError

app = sub_app("data", "The bundled real data sets: list them, show one, or rebuild them.")


@app.command("list", help="Every bundled data set: name, rows, columns, title, source.")
def data_list() -> None:
    from takeoff.data.describe import format_catalogue

    typer.echo(format_catalogue())


@app.command(
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


@app.command(
    "build",
    help="Maintainers: rebuild the bundled CSVs from the unmodified public copies in SOURCE "
    "(the shared data folder, one subfolder per source with its PROVENANCE.md). Nothing is "
    "downloaded.",
)
def data_build(
    source: Annotated[
        Path, typer.Argument(help="folder of the raw public copies", metavar="SOURCE")
    ],
    out: Annotated[
        Path | None, typer.Option(help="where to write [default: the package's data folder]")
    ] = None,
) -> None:
    from takeoff.data.bundled_from_raw import HERE, build

    if not source.is_dir():
        raise TakeoffError(f"source folder '{source}' not found; give the shared data folder")
    target = out or HERE
    if not target.is_dir():
        raise TakeoffError(f"--out '{target}' is not a folder; create it first")
    for name, rows in build(source, target).items():
        typer.echo(f"{name}: {rows} rows")

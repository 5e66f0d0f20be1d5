"""The ``takeoff`` command line: one typer app, a module per group of commands. Commands only
parse arguments and print; the work is done by the library (takeoff.models, takeoff.forecast).

Every failure caused by input prints one line, ``error: <what was wrong and what to do>``, to
stderr and exits with status 2; nothing is written unless the whole command succeeded.
"""

from __future__ import annotations

import sys

import typer

from takeoff.cli import (
    dashboard_command,
    data_commands,
    fit_commands,
    forecast_commands,
    model_commands,
)
from takeoff.cli.options import families_help
from takeoff.errors import TakeoffError

app = typer.Typer(
    name="takeoff",
    help="Forecast AI takeoff dynamics: recursive self-improvement models with sublinear, "
    "exponential or explosive returns.\n\n" + families_help(),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
model_commands.register(app)
app.add_typer(data_commands.app)
fit_commands.register(app)
forecast_commands.register(app)
dashboard_command.register(app)


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

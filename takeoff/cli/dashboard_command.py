"""``takeoff dashboard``: serve the Streamlit app on 127.0.0.1."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from takeoff.errors import TakeoffError


def register(app: typer.Typer) -> None:
    app.command(
        help="Serve the dashboard (Streamlit) on http://127.0.0.1:PORT until stopped with "
        "Ctrl+C: overview, dynamics explorer, fits, forecasts, compare, data."
    )(dashboard)


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
    app_file = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
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

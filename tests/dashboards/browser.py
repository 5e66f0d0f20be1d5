"""Serving the dashboard and driving it in a real browser, for the end-to-end tests and the
latency benchmark: ``serve()`` starts ``takeoff dashboard`` on a free localhost port and stops
it; ``chromium()`` launches Debian's Chromium through Playwright (never ``playwright install``);
``wait_idle()`` waits until Streamlit has finished a run.

Needs the ``test`` extra (playwright) and a ``chromium`` executable on PATH
(``apt-get install -y chromium``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(port: int | None = None, timeout: float = 90.0, log=None) -> Iterator[str]:
    """Run ``takeoff dashboard --port PORT`` in a subprocess; yields its base URL once the
    server answers its health check, and stops it (the whole process group) afterwards."""
    port = port or free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "takeoff.cli", "dashboard", "--port", str(port)],
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the dashboard server exited with status {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard server did not answer within {timeout:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(playwright):
    """Launch Debian's Chromium (headless) through Playwright."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("no chromium on PATH; install it with: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the page's script and no element is stale
    (greyed out while a rerun replaces it)."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-stale="true"]');
        }""",
        timeout=timeout,
    )

"""Fixtures for the dashboard tests: the screenshot folder, printed at the end of the run."""

import os
import tempfile
import time
from pathlib import Path

import pytest

SCREENSHOTS: list[Path] = []  # folders screenshots were saved in


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where the browser tests save screenshots: $TAKEOFF_SCREENSHOTS, or a new folder under
    the system's temporary directory. Printed at the end of the run."""
    root = os.environ.get("TAKEOFF_SCREENSHOTS")
    if root:
        folder = Path(root)
    else:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        folder = Path(tempfile.gettempdir()) / "takeoff-dashboard-screenshots" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    SCREENSHOTS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter):
    for folder in SCREENSHOTS:
        shots = sorted(p.name for p in folder.glob("*.png"))
        terminalreporter.write_line(f"dashboard screenshots ({len(shots)}): {folder}", bold=True)

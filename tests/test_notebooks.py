"""The notebooks are stored executed (documentation with its tables and figures in place),
small, and refreshed by one documented command. CI executes them again under nbmake."""

import base64
import json
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_TOTAL_BYTES = 2_500_000  # all notebooks together
MAX_PNG_WIDTH = 800  # pixels: figures stored at a modest resolution


def _cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def _png_width(data: str) -> int:
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", raw[16:20])[0]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_executed_in_order_without_errors(path):
    cells = _cells(path)
    counts = [c["execution_count"] for c in cells if c["source"]]
    assert counts == list(range(1, len(counts) + 1)), "run from the top: notebooks/refresh.py"
    outputs = [o for c in cells for o in c["outputs"]]
    assert outputs, "stored without outputs"
    assert not [o for o in outputs if o["output_type"] == "error"]
    for cell in cells:
        assert "execution" not in cell.get("metadata", {})  # no timing noise in the diff


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_figures_are_in_and_small(path):
    text = path.read_text()
    cells = _cells(path)
    plots = [c for c in cells if "plots." in "".join(c["source"]) or "plt." in "".join(c["source"])]
    images = [
        o["data"]["image/png"]
        for c in cells
        for o in c["outputs"]
        if "image/png" in o.get("data", {})
    ]
    if plots:
        assert images, f"{path.name} draws figures but stores none"
    for image in images:
        assert _png_width(image) <= MAX_PNG_WIDTH
    assert "/tmp/" not in text  # no paths of the machine that ran it


def test_all_notebooks_together_stay_small():
    assert sum(p.stat().st_size for p in NOTEBOOKS) < MAX_TOTAL_BYTES


def test_the_refresh_command_is_documented():
    readme = (ROOT / "notebooks" / "README.md").read_text()
    assert "python notebooks/refresh.py" in readme
    assert (ROOT / "notebooks" / "refresh.py").is_file()

"""docs/adding_a_model.md stays true: a toy family, its fit and a scenario are added to a copy
of the package exactly as the document says (its code blocks, its registry lines), then fitted
on a tiny table, forecast, and read back from summary.csv, in a fresh process.

The document marks each hand-edited file with an HTML comment before its code block:
``<!-- new file: PATH -->`` (the block is the whole file) or ``<!-- add to registry: PATH -->``
(the block's import line goes after the registry's imports, its other line into the
registry's tuple). A document that names more than five hand-edited files fails here.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "adding_a_model.md"
MARKER = re.compile(r"<!-- (new file|add to registry): (\S+) -->\s*```\w*\n(.*?)```", re.S)
REGISTRY_TUPLE = "    for f in (\n"


def documented_edits() -> list[tuple[str, str, str]]:
    """(action, path, code) for each hand-edited file the document marks, in its order."""
    return [(a, p, code) for a, p, code in MARKER.findall(DOC.read_text(encoding="utf-8"))]


def add_to_registry(source: str, code: str) -> str:
    """The document's registry edit: its import after the registry's last ``from takeoff``
    import, its entry first in the registry's ``for f in (...)`` tuple."""
    imports = [line for line in code.splitlines() if line.startswith(("from ", "import "))]
    entries = [line for line in code.splitlines() if line.strip() and line not in imports]
    lines = source.splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if line.startswith("from takeoff"))
    lines[last + 1 : last + 1] = [f"{line}\n" for line in imports]
    source = "".join(lines)
    assert source.count(REGISTRY_TUPLE) == 1, "the registry's shape changed: update the doc"
    body = "".join(f"        {line.strip()}\n" for line in entries)
    return source.replace(REGISTRY_TUPLE, REGISTRY_TUPLE + body)


def test_the_document_names_at_most_five_hand_edited_files():
    edits = documented_edits()
    paths = [p for _, p, _ in edits]
    assert 3 <= len(paths) == len(set(paths)) <= 5, paths
    text = DOC.read_text(encoding="utf-8")
    for path in paths:  # each is also named in the prose a reader follows
        assert text.count(f"`{path}`") >= 1, path


def _toy_table(path: Path) -> dict:
    """Twelve dated levels of a logistic curve (g = 0.8/yr, K = 100, y = 5 in 2020.0) with 2%
    noise; returns the truth and the date the level reaches 50."""
    g, k, y0, t0 = 0.8, 100.0, 5.0, 2020.0
    t = np.arange(2017, 2029)  # 1 January of each year (user tables give ISO dates)
    y = k / (1.0 + (k / y0 - 1.0) * np.exp(-g * (t - t0)))
    noise = np.random.default_rng(3).normal(0.0, 0.02, t.size)
    dates = [f"{year}-01-01" for year in t]
    pd.DataFrame({"date": dates, "y": y * np.exp(noise)}).to_csv(path, index=False)
    half_way = t0 + math.log(k / y0 - 1.0) / g  # y = K/2 where (K/y0 - 1) e^(-g t) = 1
    return {"half_way": half_way}


def _run(args: list[str], cwd: Path, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "takeoff.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done.stdout


def test_a_toy_model_added_the_documented_way_runs_end_to_end(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "takeoff", copy / "takeoff", ignore=shutil.ignore_patterns("__pycache__")
    )
    for action, path, code in documented_edits():
        target = copy / path
        if action == "new file":
            assert not target.exists(), f"{path} exists already"
            target.write_text(code, encoding="utf-8")
        else:
            target.write_text(add_to_registry(target.read_text(encoding="utf-8"), code))
    truth = _toy_table(tmp_path / "toy.csv")
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTENSOR_FLAGS": "blas__ldflags="}
    nc = copy / "takeoff" / "data" / "posteriors" / "logistic_growth.nc"
    fitted = _run(
        ["fit", "logistic_growth", "--data", str(tmp_path / "toy.csv"), "--out", str(nc)],
        tmp_path,
        env,
    )
    assert "NOT CONVERGED" not in fitted
    _run(
        ["forecast", "logistic_toy", "--draws", "2000", "--out", str(tmp_path / "out")],
        tmp_path,
        env,
    )
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    rows = summary[
        (summary.scenario == "logistic_toy")
        & (summary.quantity == "milestone_date")
        & (summary.milestone == "half_way")
    ].set_index("quantile")["value"]
    assert rows.loc[0.05] <= truth["half_way"] <= rows.loc[0.95]
    assert rows.loc[0.5] == pytest.approx(truth["half_way"], abs=0.25)


def test_the_registry_edit_fails_loudly_when_the_registry_changes_shape():
    with pytest.raises(AssertionError, match="registry's shape changed"):
        add_to_registry("from takeoff.x import Y\nFITS = {f.name: f for f in [Y]}\n", "Z,\n")

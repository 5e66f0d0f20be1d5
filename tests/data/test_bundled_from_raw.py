"""The bundled CSVs are exactly what takeoff.data.bundled_from_raw derives from the raw copies.

The raw copies are not shipped; this test runs where they are (``../shared/data`` beside the
repository, or the folder named by ``TAKEOFF_SHARED_DATA``) and is skipped elsewhere.
"""

import os
from pathlib import Path

import pytest

from takeoff.data import DATASETS
from takeoff.data.bundled_from_raw import BUILDERS, build

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("TAKEOFF_SHARED_DATA", ROOT.parent / "shared" / "data"))


def test_every_bundled_data_set_has_a_builder():
    assert list(BUILDERS) == list(DATASETS)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    if not all((SHARED / folder).is_dir() for folder in ("lm_algorithmic_progress", "roodman_gwp")):
        pytest.skip(f"raw source folders not found under {SHARED} (set TAKEOFF_SHARED_DATA)")
    out = tmp_path_factory.mktemp("rebuilt")
    counts = build(SHARED, out)
    return out, counts


@pytest.mark.parametrize("name", list(DATASETS))
def test_bundled_csv_is_what_the_build_derives(rebuilt, name):
    out, counts = rebuilt
    info = DATASETS[name]
    assert counts[name] == info.rows
    assert (out / info.file).read_bytes() == info.path().read_bytes()

"""The bundled CSVs and PROVENANCE files ship in the wheel and are found without a source tree."""

import fnmatch
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from takeoff.data import DATASETS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "takeoff"


def package_data_globs():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["setuptools"]["package-data"]["takeoff"]


def declared(relative: str) -> bool:
    """Whether a path relative to the takeoff package matches a package-data glob.

    setuptools expands ``**`` recursively (any depth, including none) and ``*`` within a name.
    """
    for glob in package_data_globs():
        head, _, tail = glob.partition("/**/")
        if tail:
            if relative.startswith(head + "/") and fnmatch.fnmatch(Path(relative).name, tail):
                return True
        elif fnmatch.fnmatch(relative, glob) and relative.count("/") == glob.count("/"):
            return True
    return False


@pytest.mark.parametrize("name", list(DATASETS))
def test_files_are_found_through_importlib_resources(name):
    info = DATASETS[name]
    for relative in (info.file, info.provenance):
        node = resources.files("takeoff.data")
        for part in relative.split("/"):
            node = node / part
        assert node.is_file(), relative
    assert info.path().read_bytes().startswith(",".join(info.column_names).encode())


@pytest.mark.parametrize("name", list(DATASETS))
def test_files_are_declared_package_data(name):
    info = DATASETS[name]
    for relative in (info.file, info.provenance):
        assert declared(f"data/{relative}"), f"data/{relative} is not matched by package-data"


def test_every_file_in_the_data_folders_is_a_registered_one():
    registered = {f"data/{d.file}" for d in DATASETS.values()}
    registered |= {f"data/{d.provenance}" for d in DATASETS.values()}
    on_disk = {
        p.relative_to(PACKAGE).as_posix()
        for p in (PACKAGE / "data").glob("*/*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.parent.name not in ("posteriors", "track_record", "summaries")  # results
    }
    # ai_uplift is read and validated by its own loader (takeoff.data.ai_uplift, tested in
    # tests/data/test_ai_uplift.py), not yet through the registry: its files are listed here
    files = ("ai_uplift_measurements.csv", "ai_uplift_readings.csv", "PROVENANCE.md")
    uplift = {f"data/ai_uplift/{f}" for f in files}
    assert uplift <= on_disk
    on_disk -= uplift
    assert on_disk == registered
    # the other folder holds the shipped posteriors, NetCDF only (tests/data/test_posteriors.py)
    assert {p.suffix for p in (PACKAGE / "data" / "posteriors").iterdir()} == {".nc"}


def test_files_stay_small():
    for info in DATASETS.values():
        assert len(info.path().read_bytes()) < 100_000, info.file

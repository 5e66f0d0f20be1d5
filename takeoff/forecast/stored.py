"""Stored forecast summaries, keyed by a hash of everything they are computed from, so that a
summary is computed once and read back (in about a tenth of a second) until its inputs change.

The key (``inputs_key``) is a SHA-256 over: the package version; the parsed scenario (its
``repr``: every field and source, whatever file it extends); the posterior files it reads (their
bytes); the draws and the seed; and the code and data that compute a forecast (every file under
``takeoff/models``, ``takeoff/forecast`` and ``takeoff/data`` but this store and its files, so a
change to the engine or a reshipped posterior makes every stored summary stale, never silently
reused).

Two places hold summaries, each a NetCDF file named ``<scenario>-<key[:16]>.nc`` whose
attributes say the full key, when it was computed and by what (``stored_key``,
``stored_at`` in UTC, ``stored_by``):

- the user's cache (``$TAKEOFF_CACHE``, else ``$XDG_CACHE_HOME/takeoff``, else
  ``~/.cache/takeoff``) under ``summaries/``: written by the main job (``takeoff forecast``)
  and by the dashboard whenever they compute a summary;
- the package (``takeoff/data/summaries``): the built-in scenarios at the dashboard's first
  view (2,000 draws, seed 0), shipped so a freshly installed dashboard opens on its headline at
  once; refreshed by ``python -m takeoff.forecast.stored`` (a stale one is simply not used).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import tempfile
from pathlib import Path

import xarray as xr

from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import FromPosterior

THIS = Path(__file__).resolve()  # the store's own code does not change a summary
PACKAGE = THIS.parents[1]
SHIPPED_DIR = PACKAGE / "data" / "summaries"
SHIPPED_DRAWS, SHIPPED_SEED = 2_000, 0  # the dashboard's first view of every built-in
CODE_PARTS = ("models", "forecast", "data")  # what computes a forecast
# NetCDF 3 through scipy: read in ~0.05 s where NetCDF 4 (h5netcdf) takes ~0.5 s (many small
# variables); uncompressed, 40-470 KiB a summary
ENGINE = "scipy"
KEEP = 200  # summaries kept in the user's cache (the newest; ~0.1-0.5 MB each)


def cache_dir() -> Path:
    """The user's cache of computed summaries (created when first written)."""
    root = os.environ.get("TAKEOFF_CACHE")
    if root:
        return Path(root) / "summaries"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "takeoff" / "summaries"


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """SHA-256 over the files that compute a forecast (code, scenarios, bundled data and
    shipped posteriors), read once per process."""
    digest = hashlib.sha256()
    for part in CODE_PARTS:
        for path in sorted((PACKAGE / part).rglob("*")):
            skip = SHIPPED_DIR in path.parents or "__pycache__" in path.parts or path == THIS
            if skip or not path.is_file():
                continue
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _posterior_files(scenario: Scenario) -> list[str]:
    """The user's posterior files a scenario reads (shipped ones are in ``code_hash``)."""
    out = set()
    for src in scenario.all_sources().values():
        if isinstance(src, FromPosterior) and Path(src.source).suffix == ".nc":
            path = Path(src.source).resolve()
            stat = path.stat() if path.is_file() else None
            digest = _file_hash(str(path), stat.st_mtime_ns, stat.st_size) if stat else "missing"
            out.add(f"{path}:{digest}")
    return sorted(out)


def builtin_text(name: str) -> str | None:
    """The TOML text of a built-in scenario (read, not parsed), or None for another name."""
    from takeoff.forecast.scenario import builtin_dir, builtin_names

    if name not in builtin_names():
        return None
    return (builtin_dir() / f"{name}.toml").read_bytes().decode("utf-8")


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _builtin_key(name: str, text: str, draws: int, seed: int) -> str | None:
    """The key of a built-in scenario given as its own unedited text: its file, the shipped
    posteriors and the code it is parsed with are all in ``code_hash``, so nothing needs to be
    parsed (parsing reads the posteriors it names: seconds on a cold server)."""
    from takeoff import __version__

    if text != builtin_text(name):
        return None
    return _digest(__version__, code_hash(), f"builtin={name}", text, f"{draws=}", f"{seed=}")


def inputs_key(scenario: Scenario, draws: int, seed: int) -> str:
    """The hash a summary of ``scenario`` over ``draws`` draws with ``seed`` is stored under."""
    from takeoff import __version__

    draws, seed = int(draws), int(seed)
    builtin = _builtin_key(scenario.name, scenario.text, draws, seed)
    if builtin is not None:
        return builtin
    return _digest(
        __version__,
        code_hash(),
        repr(scenario),
        *_posterior_files(scenario),
        f"{draws=}",
        f"{seed=}",
    )


def file_name(name: str, key: str) -> str:
    return f"{name}-{key[:16]}.nc"


def _read(name: str, key: str) -> xr.Dataset | None:
    for folder in (cache_dir(), SHIPPED_DIR):
        path = folder / file_name(name, key)
        if not path.is_file():
            continue
        try:
            with xr.open_dataset(path, engine=ENGINE) as ds:
                summary = ds.load()
        except Exception:  # unreadable (e.g. half-copied by hand): as if not stored
            continue
        if summary.attrs.get("stored_key") == key:
            return summary
    return None


def load(scenario: Scenario, draws: int, seed: int) -> xr.Dataset | None:
    """The stored summary of ``scenario`` at ``draws`` and ``seed`` (the user's cache first,
    then the package), or None when none was stored for these exact inputs."""
    return _read(scenario.name, inputs_key(scenario, draws, seed))


def load_text(text: str, where: str, draws: int, seed: int) -> xr.Dataset | None:
    """``load`` of a scenario given as TOML text (``where``: its file name); a built-in's own
    text is looked up without parsing it."""
    name = Path(where).stem
    key = _builtin_key(name, text, int(draws), int(seed))
    if key is not None:
        return _read(name, key)
    from takeoff.forecast.loading import parse_scenario

    return load(parse_scenario(text, where=where), draws, seed)


def stamp(summary: xr.Dataset, scenario: Scenario, draws: int, seed: int, by: str) -> xr.Dataset:
    """``summary`` (a shallow copy) with the attributes of a stored summary: its inputs' key,
    when it was computed (UTC) and by what."""
    stamped = summary.copy(deep=False)
    stamped.attrs = {
        **summary.attrs,
        "stored_key": inputs_key(scenario, draws, seed),
        "stored_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "stored_by": by,
    }
    return stamped


def save(
    summary: xr.Dataset,
    scenario: Scenario,
    draws: int,
    seed: int,
    *,
    by: str,
    folder: Path | None = None,
    keep: int = KEEP,
) -> Path | None:
    """Store ``summary`` under its inputs' key in ``folder`` (the user's cache by default),
    written to a temporary file and renamed, so a reader never sees half a file; the cache
    keeps its ``keep`` newest files. A folder that cannot be written is skipped (returns
    None): storing only saves time."""
    stamped = stamp(summary, scenario, draws, seed, by)
    folder = cache_dir() if folder is None else Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".summary-", suffix=".nc", dir=folder)
        os.close(handle)
        try:
            stamped.to_netcdf(tmp, engine=ENGINE)
            target = folder / file_name(scenario.name, stamped.attrs["stored_key"])
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        if folder != SHIPPED_DIR:
            _prune(folder, keep)
    except OSError:
        return None
    return target


def _prune(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently written summaries of ``folder``."""
    files = sorted(folder.glob("*.nc"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def ship(names: list[str] | None = None, progress=print) -> list[Path]:
    """Recompute the package's stored summaries (every built-in at the dashboard's first
    view), replacing the old ones."""
    from takeoff.forecast.loading import load_scenario
    from takeoff.forecast.monte_carlo import forecast
    from takeoff.forecast.scenario import builtin_names

    SHIPPED_DIR.mkdir(parents=True, exist_ok=True)
    for old in SHIPPED_DIR.glob("*.nc"):  # every one (a removed scenario's too), or those named
        if names is None or old.name.rsplit("-", 1)[0] in names:
            old.unlink()
    written = []
    for name in names or builtin_names():
        scenario = load_scenario(name)
        summary = forecast(scenario, draws=SHIPPED_DRAWS, seed=SHIPPED_SEED).summary
        path = save(
            summary,
            scenario,
            SHIPPED_DRAWS,
            SHIPPED_SEED,
            by="python -m takeoff.forecast.stored",
            folder=SHIPPED_DIR,
        )
        written.append(path)
        progress(f"{name}: {path.name} ({path.stat().st_size / 1024:.0f} KiB)")
    return written


if __name__ == "__main__":
    ship()

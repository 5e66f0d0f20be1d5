"""Forecast summaries for pages that must open at once (the Overview): a stored summary
(:mod:`takeoff.forecast.stored`, the user's cache or the package) is read once per process and
shared by every session; a missing one is computed in a background thread of the server, one
at a time in the order asked, stored in the user's cache when done, and shown when the page
next looks. A page never waits for a forecast here: it asks, shows what is ready, and polls.

One ``Board`` per server process (``cached.board()``, a ``st.cache_resource``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import xarray as xr

Key = tuple[str, str, int, int]  # (scenario TOML text, where it came from, draws, seed)


@dataclass(frozen=True)
class Answer:
    """What the board has for a key: a summary (stored or computed), or why not yet."""

    summary: xr.Dataset | None
    state: str  # "stored", "computed", "running", "queued", "failed"
    error: str = ""


def _compute(text: str, where: str, draws: int, seed: int) -> xr.Dataset:
    """Forecast and store (the background thread's work); the summary carries its stamp."""
    from takeoff.forecast import stored
    from takeoff.forecast.loading import parse_scenario
    from takeoff.forecast.monte_carlo import forecast

    scenario = parse_scenario(text, where=where)
    summary = forecast(scenario, draws=draws, seed=seed).summary
    by = "the dashboard (in the background)"
    stored.save(summary, scenario, draws, seed, by=by)
    return stored.stamp(summary, scenario, draws, seed, by)


class Board:
    """Summaries read or computed by this server process, bounded (``max_entries``)."""

    def __init__(self, max_entries: int = 96) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="takeoff-forecast")
        self._lock = threading.Lock()
        self._ready: OrderedDict[Key, tuple[xr.Dataset, str]] = OrderedDict()
        self._jobs: dict[Key, Future] = {}
        self._max = max_entries

    def _keep(self, key: Key, summary: xr.Dataset, state: str) -> None:
        with self._lock:
            self._ready[key] = (summary, state)
            self._ready.move_to_end(key)
            while len(self._ready) > self._max:
                self._ready.popitem(last=False)

    def get(self, text: str, where: str, draws: int, seed: int, compute: bool = True) -> Answer:
        """The summary if it is ready (read from the store the first time); otherwise, when
        ``compute``, its forecast is queued in the background (once) and its state returned."""
        from takeoff.forecast import stored

        key = (text, where, int(draws), int(seed))
        with self._lock:
            if key in self._ready:
                self._ready.move_to_end(key)
                summary, state = self._ready[key]
                return Answer(summary, state)
            job = self._jobs.get(key)
        if job is not None and job.done():
            error = RuntimeError("cancelled") if job.cancelled() else job.exception()
            if error is not None:
                first = str(error).splitlines()[0] if str(error) else type(error).__name__
                return Answer(None, "failed", first)
            self._keep(key, job.result(), "computed")
            with self._lock:
                self._jobs.pop(key, None)
            return Answer(job.result(), "computed")
        if job is not None:
            return Answer(None, "running" if job.running() else "queued")
        found = stored.load_text(text, where, draws, seed)
        if found is not None:
            self._keep(key, found, "stored")
            return Answer(found, "stored")
        if not compute:
            return Answer(None, "missing")
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                job = self._jobs[key] = self._pool.submit(_compute, *key)
        return Answer(None, "queued")

    def shutdown(self) -> None:
        """Cancel the queued forecasts (a running one finishes); the board computes no more."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def busy(self) -> bool:
        """Whether a forecast is still queued or running."""
        with self._lock:
            return any(not job.done() for job in self._jobs.values())


def provenance(summary: xr.Dataset, state: str) -> str:
    """One line saying which summary is shown (``state``: "stored" or "computed") and when it
    was computed."""
    draws = int(summary.attrs.get("draws", 0))
    seed = summary.attrs.get("seed", "?")
    key = str(summary.attrs.get("stored_key", ""))[:12]
    at = summary.attrs.get("stored_at", "")
    by = summary.attrs.get("stored_by", "")
    if state == "stored":
        return (
            f"Stored summary ({draws:,} draws, seed {seed}) computed {at} by {by}, read back "
            f"without recomputing: its inputs (scenario, posteriors, code, draws, seed) still "
            f"hash to {key}."
        )
    return f"Computed by this server {at} ({draws:,} draws, seed {seed}); stored for next time."

"""Benchmark: slider move to redrawn chart in a real browser, at 10,000 draws.

Starts ``takeoff dashboard`` on a free localhost port (with ``TAKEOFF_TIMINGS=1``: the explorer
prints each script run's duration) and drives Debian's headless Chromium with Playwright (needs
the ``test`` extra and ``apt-get install -y chromium``). Each sample presses the arrow key on a
focused slider and times, from the key press, until

- the chart has been redrawn with the new value (its title names the slider's value): a move
  first shows a band of 1,000 draws (250 for a family without a closed form), drawn in place
  (Plotly.react, ``live_chart``),
- the chart shows the band of all 10,000 draws (the rerun the browser asks for once drawn),
- the page is idle again (the script run finished, every chart redrawn);

and reads the server's work per move: the duration of the script run that answered it (widgets,
computation, the charts' serialisation), from the server's output.

Every move goes to a value not seen before, so no result comes from the dashboard's caches
(except the regime map, which does not depend on the moved parameter: that is its design).

- Dynamics explorer, every family: a parameter of its regime map moved (``power_law``: alpha
  up from 0.3; ``jones_software`` beta up from 0.3), targets: server's work p95 <= 150 ms, slider
  move -> redrawn chart p95 <= 1.5x the floor.
- The floor: ``power_law``'s moves repeated once every result is in the dashboard's cache, so
  no model is computed: what Streamlit and Chromium alone cost per move on this machine. It is
  measured interleaved with every family's moves (a second page of the same browser on the same
  server, its own session, moves one floor move before each measured move), so that a family
  and the floor it is held to see the same load; the load on this shared machine drifts over
  the minutes between families. The old figure, the floor measured once right after
  ``power_law``'s moves, is printed too (labelled "single floor").
- Before and after the in-place update: the floor's moves on two more servers that draw the
  band of all draws at once (one update per move): one draws every chart with st.plotly_chart
  (remounted with newPlot on every change), the other updates them in place: Chromium's main
  thread per move.
- Forecasts: the seed slider moved, a 10,000-draw Monte Carlo forecast rerun each time, for
  ``metr_trend`` and ``keyhole`` (target: p95 < 1 s): each move to a seed not seen before, and
  the servers started here keep their computed summaries in an empty cache of their own (the
  user's cache would answer the seeds of an earlier run on the same code: a read, not a rerun).

    python benchmarks/bench_dashboard.py --quick   # ~5 minutes; --moves 40 for the full run
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "dashboards"))
from browser import chromium, serve, wait_idle

from takeoff.dashboards.explore import live_draws, parameter_slider
from takeoff.models import FAMILIES, get_family
from takeoff.models.sweep import POINTS

START = {"power_law": ("alpha", 0.3), "jones_software": ("beta", 0.3)}
FLOOR_FAMILY = "power_law"  # its moves are repeated from the cache: the latency floor
# the interleaved floor's page: k off its default, so that none of the results it caches is
# one that the measured power_law moves (k at its default) need
FLOOR_VIEW = {"k": 0.463}
FLOOR_SPAN = 12  # the interleaved floor moves to and fro over this many cached values


def explorer_slider(family: str) -> tuple[str, float]:
    """(slider label, start value) of the parameter moved: the x axis of the family's regime
    map (its band is recomputed on every move; the map itself does not depend on it)."""
    fam = get_family(family)
    name, start = START.get(family, (fam.regime_map_axes()[0], None))
    slider = parameter_slider(fam.parameter(name))
    if start is None:
        start = slider.default
    return slider.label, start


def explorer_room(family: str, start: float) -> int:
    """How many values there are above ``start`` on the slider (each move goes to a new one);
    the warm-up needs three below it."""
    label, _ = explorer_slider(family)
    fam = get_family(family)
    options = parameter_slider(fam.parameter(label.split(" ")[0])).options
    assert sum(o < start for o in options) >= 3, (family, start)
    return sum(o > start for o in options)


TITLE = """() => { const gd = document.querySelector('.js-plotly-plot');
    return gd && gd.layout && gd.layout.title && gd.layout.title.text
        ? gd.layout.title.text.replace(/<[^>]+>/g, '') : ''; }"""


def title(page) -> str:
    return page.evaluate(TITLE)


def check_no_error(page, where: str) -> None:
    """Stop with the page's own error message instead of waiting for a chart that never comes."""
    error = page.locator('[data-testid="stAlertContentError"]')
    if error.count():
        raise SystemExit(f"bench_dashboard: {where} shows an error: {error.first.inner_text()}")


REFINED = (
    "() => { const t = ("
    + TITLE
    + ")(); return t.includes('10,000 draws') && !t.includes('release'); }"
)


class ServerLog:
    """The dashboard server's output (a file), read from where it was last read: the explorer
    prints one ``takeoff-timing {...}`` line per script run (``TAKEOFF_TIMINGS=1``)."""

    def __init__(self, path: Path):
        self.path, self.offset = path, 0

    def runs(self) -> list[dict]:
        with self.path.open() as f:
            f.seek(self.offset)
            text = f.read()
            self.offset = f.tell()
        return [json.loads(s.split(" ", 1)[1]) for s in text.splitlines() if s.startswith(MARK)]

    def skip(self) -> None:
        self.runs()


MARK = "takeoff-timing "


@dataclass
class Moves:
    """Per move: ms to the first redrawn chart, to the chart with all the draws, to idle, and
    the server's script runs it caused (live: the run answering the move; refine: the rerun
    the browser asked for)."""

    chart: list = field(default_factory=list)
    refined: list = field(default_factory=list)
    idle: list = field(default_factory=list)
    live_runs: list = field(default_factory=list)
    live_chart: list = field(default_factory=list)  # ms into that run when the chart was sent
    live_sweep: list = field(default_factory=list)  # ... and when its sweep was in hand
    refine_runs: list = field(default_factory=list)

    def extend(self, other: Moves) -> None:
        for name, values in vars(other).items():
            getattr(self, name).extend(values)


def moves(page, slider: str, n: int, key: str = "ArrowRight", log: ServerLog | None = None):
    """``n`` key presses on the slider named ``slider``, each timed (see ``Moves``)."""
    handle = page.locator(f'input[type="range"][aria-label="{slider}"]')  # exactly this one
    out = Moves()
    if log:
        log.skip()
    for _ in range(n):
        before = title(page)
        handle.focus()
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(
            f"""prev => ({TITLE})() !== prev
                || document.querySelector('[data-testid="stAlertContentError"]')""",
            arg=before,
            polling="raf",
            timeout=60_000,
        )
        t1 = time.perf_counter()
        page.wait_for_function(REFINED, polling="raf", timeout=60_000)
        t2 = time.perf_counter()
        wait_idle(page)
        t3 = time.perf_counter()
        check_no_error(page, f"the page after a move of {slider!r}")
        out.chart.append(1000 * (t1 - t0))
        out.refined.append(1000 * (t2 - t0))
        out.idle.append(1000 * (t3 - t0))
        if log:
            runs = log.runs()
            deadline = time.monotonic() + 2
            while not any(r["final"] for r in runs) and time.monotonic() < deadline:
                time.sleep(0.05)
                runs += log.runs()
            out.live_runs.append(runs[0]["ms"])
            out.live_chart.append(runs[0].get("chart_ms", math.nan))
            out.live_sweep.append(runs[0].get("computed_ms", math.nan))
            out.refine_runs += [r["ms"] for r in runs[1:] if r["final"]]
    return out


class BrowserBusy:
    """Chromium's own account of its main thread (DevTools Performance metrics), from now."""

    NAMES = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")
        self.start = self._metrics()

    def _metrics(self) -> dict[str, float]:
        return {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}

    def per_move(self, n: int) -> dict[str, float]:
        """ms per move of each duration since construction."""
        end = self._metrics()
        self.cdp.detach()
        return {k: 1000 * (end[k] - self.start[k]) / n for k in self.NAMES}


def draw_times(page) -> dict[str, float]:
    """Median ms of Plotly.react per live chart, measured in the page (performance.now())."""
    draws = page.evaluate("() => (window.__takeoffDraws || []).filter(d => d.how === 'react')")
    page.evaluate("() => { window.__takeoffDraws = []; }")
    keys = sorted({d["key"] for d in draws})
    return {k: float(np.median([d["ms"] for d in draws if d["key"] == k])) for k in keys}


def server_compute_ms(
    family: str, name: str, start: float, n: int, draws: int, live: bool = False
) -> list[float]:
    """The explorer's computation for the measured moves (the same slider values, called
    directly in this process) with ``draws`` draws in the band (``live``: the first answer)."""
    from takeoff.dashboards.explore import (
        explore,
        parameter_slider,
        shown_quantities,
        state_slider,
    )

    fam = get_family(family)
    centre = {p.name: parameter_slider(p).default for p in fam.parameters}
    y0 = {s.name: state_slider(s).default for s in fam.states}
    _, quantity = shown_quantities(family)
    options = [o for o in parameter_slider(fam.parameter(name)).options if o > start][:n]
    times = []
    for value in options:
        centre[name] = value
        t0 = time.perf_counter()
        explore(family, centre, y0, fam.default_years, quantity, 0.25, draws, 0, live)
        times.append(1000 * (time.perf_counter() - t0))
    return times


def p95(ms) -> float:
    return float(np.percentile(np.asarray(ms, float), 95))


def line(label: str, ms: list[float], target: float | None = None, what: str = "") -> str:
    a = np.asarray(ms, float)
    verdict = ""
    if target is not None:
        ok = "met" if p95(a) <= target else "NOT met"
        verdict = f"  (target p95 <= {target:.0f} ms{what}: {ok})"
    return (
        f"  {label}: median {np.median(a):.0f} ms, p95 {p95(a):.0f} ms, "
        f"min {a.min():.0f}, max {a.max():.0f} (n = {a.size}){verdict}"
    )


class Report(list):
    """The benchmark's lines, each printed as it is measured (a later failure loses none)."""

    def __init__(self, lines):
        super().__init__()
        for text in lines:
            self.append(text)

    def append(self, text: str) -> None:
        print(text, flush=True)
        super().append(text)


def load() -> str:
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()) + " (1, 5, 15 min)"


def open_explorer(
    page, url: str, family: str, view: dict[str, float] | None = None
) -> tuple[str, float, str]:
    """Open the explorer on ``family`` at its start value (other parameters: ``view``, or
    their defaults) at 10,000 draws, and wait for the band of all draws."""
    label, start = explorer_slider(family)
    extra = "".join(f"&{family}.{k}={v:g}" for k, v in (view or {}).items())
    address = (
        f"{url}/explorer?family={family}&{family}.{label.split(' ')[0]}={start:g}{extra}"
        "&explorer_draws=10000&spread=0.25"
    )
    page.goto(address)
    wait_idle(page)
    check_no_error(page, address)
    page.wait_for_selector(".js-plotly-plot")
    page.wait_for_function(REFINED, polling="raf", timeout=60_000)
    wait_idle(page)
    return label, start, address


class InterleavedFloor:
    """``FLOOR_FAMILY``'s explorer on a page of its own (its own browser context and session;
    the same browser and server as the measured family), its moves all answered from the
    dashboard's cache: ``move()`` makes one, to and fro over ``FLOOR_SPAN`` cached values."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.label, _, _ = open_explorer(self.page, url, FLOOR_FAMILY, FLOOR_VIEW)
        moves(self.page, self.label, FLOOR_SPAN)  # computed once ...
        moves(self.page, self.label, FLOOR_SPAN, key="ArrowLeft")  # ... and back: all cached
        self.position, self.key = 0, "ArrowRight"

    def move(self, log: ServerLog) -> Moves:
        if self.position in (0, FLOOR_SPAN):
            self.key = "ArrowRight" if self.position == 0 else "ArrowLeft"
        done = moves(self.page, self.label, 1, key=self.key, log=log)
        self.position += 1 if self.key == "ArrowRight" else -1
        return done


def interleaved(page, label: str, n: int, floor: InterleavedFloor, log: ServerLog):
    """``n`` moves of the family's slider, each after one move of the floor's page: (the
    family's moves, the floor's, each page's Chromium main thread per move)."""
    visible = [p.evaluate("document.visibilityState") for p in (page, floor.page)]
    assert visible == ["visible", "visible"], visible  # else rAF, and the timing, would stall
    done, near = Moves(), Moves()
    busy, floor_busy = BrowserBusy(page), BrowserBusy(floor.page)
    for _ in range(n):
        near.extend(floor.move(log))
        done.extend(moves(page, label, 1, log=log))
    return done, near, busy.per_move(n), floor_busy.per_move(n)


def busy_line(browser_ms: dict[str, float]) -> str:
    style = browser_ms["LayoutDuration"] + browser_ms["RecalcStyleDuration"]
    return (
        f"Chromium's main thread busy {browser_ms['TaskDuration']:.0f} ms per move (script "
        f"{browser_ms['ScriptDuration']:.0f}, layout and style {style:.0f}, the rest painting "
        "and other tasks: software rendering, --disable-gpu)"
    )


def one_update_per_move(p, n: int, env: dict[str, str], what: str, out: Report) -> dict:
    """``FLOOR_FAMILY``'s moves on a server started with ``env``, the band of all 10,000 draws
    at once (one update of the charts per move, no refinement), measured once every result is
    cached: Chromium's main thread per move, remounted (st.plotly_chart) or updated in place."""
    os.environ.update(env)
    try:
        with serve() as url:
            browser = chromium(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            label, _, _ = open_explorer(page, url, FLOOR_FAMILY)
            moves(page, label, n)  # computed once ...
            moves(page, label, n, key="ArrowLeft")
            busy = BrowserBusy(page)
            done = moves(page, label, n)  # ... and now from the cache
            browser_ms = busy.per_move(n)
            browser.close()
    finally:
        for key in env:
            del os.environ[key]
    out.append("")
    out.append(
        f"{what}: {FLOOR_FAMILY}, the band of all 10,000 draws at once (no refinement), the "
        f"same moves from the cache ({', '.join(f'{k}={v}' for k, v in env.items())}):"
    )
    out.append(line("to the redrawn trajectory chart", done.chart))
    out.append("  " + busy_line(browser_ms))
    return {"chart": done.chart, "browser": browser_ms}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--families", nargs="*", help="families of the explorer to measure [default: all]"
    )
    parser.add_argument("--moves", type=int, default=40, help="slider moves per measurement")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="12 moves per measurement and 6 per forecast (about 5 minutes on 2 cores)",
    )
    parser.add_argument("--no-forecasts", action="store_true", help="measure the explorer only")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("last_run_dashboard.txt")
    )
    args = parser.parse_args(argv)
    n_moves = 12 if args.quick else args.moves
    out = Report(
        [
            "Dashboard latency: slider move -> redrawn chart, real browser (headless Chromium via "
            "Playwright), server and browser on this machine",
            f"  {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}; "
            f"{time.strftime('%Y-%m-%d %H:%M')}; {load()} at the start",
            f"  python benchmarks/bench_dashboard.py {' '.join(argv or sys.argv[1:])}",
        ]
    )
    os.environ["TAKEOFF_TIMINGS"] = "1"
    with (
        tempfile.TemporaryDirectory() as tmp,
        (Path(tmp) / "server.log").open("w") as server_out,
    ):
        # an empty cache of computed forecast summaries for the servers started from here (the
        # user's cache would answer the seeds of an earlier run on the same code: a read, not
        # the forecast rerun the forecasts' lines say they measure)
        os.environ["TAKEOFF_CACHE"] = str(Path(tmp) / "cache")
        run(args, n_moves, out, server_out, ServerLog(Path(tmp) / "server.log"))
    out.append("")
    out.append(f"At the end: {load()}")
    args.out.write_text("\n".join(out) + "\n")
    print(f"\nwrote {args.out}")


def run(args, n_moves: int, out: Report, server_out, log: ServerLog) -> None:
    """Every measurement, on servers started here."""
    from playwright.sync_api import sync_playwright

    with serve(log=server_out) as url, sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        summary, floor = [], None
        near_floor = InterleavedFloor(browser, url)
        for family in args.families or list(FAMILIES):
            label, start, _ = open_explorer(page, url, family)
            # warm-up (first runs compile and import) on values below the start, so that no
            # measured move finds its result in the dashboard's caches
            moves(page, label, 3, key="ArrowLeft")
            open_explorer(page, url, family)
            n = min(n_moves, explorer_room(family, start))
            draw_times(page)
            done, near, browser_ms, near_ms = interleaved(page, label, n, near_floor, log)
            react = draw_times(page)
            assert "10,000 draws" in title(page), title(page)
            how = "closed form" if get_family(family).log_closed_form else "no closed form"
            first = live_draws(10_000, 0.25, family)
            name = label.split(" ")[0]
            out.append("")
            out.append(
                f"Dynamics explorer, {family} ({how}), {name} moved up from {start:g}, band of "
                f"10,000 draws (spread 0.25; a move first shows {first:,}, then all), {POINTS} "
                f"time points; {load()}:"
            )
            out.append(
                line("server's work per move (the script run answering it)", done.live_runs, 150)
            )
            out.append(line("  of which until its sweep was in hand", done.live_sweep))
            out.append(line("  of which until the trajectory chart was sent", done.live_chart))
            out.append(line(f"to the redrawn trajectory chart ({first:,} draws)", done.chart))
            out.append(line("to the chart with all 10,000 draws", done.refined))
            out.append(line("to the page idle", done.idle))
            out.append(line("the refinement's script run (10,000 draws)", done.refine_runs))
            live = server_compute_ms(family, name, start, n, first, live=True)
            full = server_compute_ms(family, name, start, n, 10_000)
            out.append(
                f"  the band's computation alone (explore(), in this process): median "
                f"{np.median(live):.0f} ms for {first:,} draws, {np.median(full):.0f} ms for 10,000"
            )
            out.append(
                "  Plotly.react per chart (median, in the page): "
                + ", ".join(f"{k} {v:.0f} ms" for k, v in react.items())
            )
            out.append("  " + busy_line(browser_ms))
            out.append(
                f"  the interleaved floor: {FLOOR_FAMILY} from the cache on a second page, one "
                "move before each of the moves above:"
            )
            out.append(line("server's work per move", near.live_runs))
            out.append(line("to the redrawn trajectory chart", near.chart))
            out.append("  " + busy_line(near_ms))
            out.append(
                f"  end-to-end p95 / the interleaved floor's p95: {p95(done.chart):.0f} / "
                f"{p95(near.chart):.0f} ms = {p95(done.chart) / p95(near.chart):.2f}x "
                "(target <= 1.5x)"
            )
            summary.append((family, how, done, browser_ms, near, near_ms))
            if family == FLOOR_FAMILY:
                # the same values again, now all in the dashboard's caches: no computation,
                # only Streamlit sending the page and Chromium redrawing its three charts
                moves(page, label, n, key="ArrowLeft")
                busy = BrowserBusy(page)
                floor_moves = moves(page, label, n, log=log)
                floor = (floor_moves, busy.per_move(n))
                out.append(
                    "  the single floor (measured once, here; the verdicts before the interleaved "
                    "floor used it): the same moves again, every result now in the dashboard's "
                    "cache (no computation):"
                )
                out.append(line("server's work per move", floor_moves.live_runs))
                out.append(line("to the redrawn trajectory chart", floor_moves.chart))
                out.append("  " + busy_line(floor[1]))
        near_floor.page.close()
        browser.close()

        before = after = None
        if FLOOR_FAMILY in [row[0] for row in summary]:
            remount = {"TAKEOFF_LIVE_CHARTS": "0"}
            before = one_update_per_move(p, n_moves, remount, "Remounted (before)", out)
            in_place = {"TAKEOFF_REFINE": "0"}
            after = one_update_per_move(p, n_moves, in_place, "Updated in place (after)", out)

        out.append("")
        out.append(
            "Dynamics explorer per family, p95: server's work per move (target <= 150 ms); "
            "slider move -> redrawn chart (end-to-end) against the floor measured interleaved "
            "with the family's moves (target <= 1.5x); Chromium main thread per move, the "
            "family's / the interleaved floor's:"
        )
        for family, how, done, browser_ms, near, near_ms in summary:
            server, chart, base = p95(done.live_runs), p95(done.chart), p95(near.chart)
            ratio = chart / base
            out.append(
                f"  {family:<18} {how:<15} server p95 {server:4.0f} ms "
                f"{'met' if server <= 150 else 'NOT met':<8} end-to-end p95 {chart:4.0f} ms, "
                f"floor {base:4.0f} ms: {ratio:4.2f}x {'met' if ratio <= 1.5 else 'NOT met':<8} "
                f"(floor's server p95 {p95(near.live_runs):3.0f} ms); all draws p95 "
                f"{p95(done.refined):5.0f} ms; main thread {browser_ms['TaskDuration']:.0f} / "
                f"{near_ms['TaskDuration']:.0f} ms"
            )
        if floor:
            single = p95(floor[0].chart)
            out.append(
                f"  For continuity, against the single floor (measured once, right after "
                f"{FLOOR_FAMILY}'s moves: p95 {single:.0f} ms to the redrawn chart, 1.5x = "
                f"{1.5 * single:.0f} ms): "
                + ", ".join(f"{row[0]} {p95(row[2].chart) / single:.2f}x" for row in summary)
            )
        if before and after and floor:
            out.append(
                f"  Chromium's main thread per move (one update of the three charts, "
                f"{FLOOR_FAMILY} from the cache): {before['browser']['TaskDuration']:.0f} ms "
                f"remounted (st.plotly_chart) -> {after['browser']['TaskDuration']:.0f} ms "
                f"updated in place (Plotly.react); to the redrawn chart p95 "
                f"{p95(before['chart']):.0f} -> {p95(after['chart']):.0f} ms. With the live "
                f"band a move updates the charts twice (1,000 draws, then 10,000): "
                f"{floor[1]['TaskDuration']:.0f} ms per move (the floor above)"
            )

        if not args.no_forecasts:
            forecasts(p, url, 6 if args.quick else args.moves, out)


def forecasts(p, url: str, n: int, out: Report) -> None:
    browser = chromium(p)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for scenario in ("metr_trend", "keyhole"):
        address = f"{url}/forecasts?scenario={scenario}&forecast_draws=10000&forecast_seed=500"
        page.goto(address)
        wait_idle(page, timeout=180_000)  # the first forecast page imports and loads fits
        check_no_error(page, address)
        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
        moves_plain(page, "Seed", 2, key="ArrowLeft")  # warm-up, on seeds 499 and 498 ...
        chart, idle = moves_plain(page, "Seed", n, key="ArrowLeft")  # ... measured below them
        assert title(page).startswith(f"{scenario}: 10,000 draws, seed"), title(page)
        out.append("")
        out.append(f"Forecasts, {scenario}, seed slider, 10,000-draw forecast rerun per move:")
        out.append(line("to the redrawn fan chart", chart, 1000))
        out.append(line("to the page idle (all charts, tornado cached)", idle))
    browser.close()


def moves_plain(page, slider: str, n: int, key: str = "ArrowRight"):
    """Key presses on a slider of a page without a live band: (ms to the redrawn chart, to
    idle)."""
    handle = page.locator(f'input[type="range"][aria-label="{slider}"]')
    chart, idle = [], []
    for _ in range(n):
        before = title(page)
        handle.focus()
        t0 = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(
            f"prev => ({TITLE})() !== prev", arg=before, polling="raf", timeout=60_000
        )
        t1 = time.perf_counter()
        wait_idle(page)
        check_no_error(page, f"the page after a move of {slider!r}")
        chart.append(1000 * (t1 - t0))
        idle.append(1000 * (time.perf_counter() - t0))
    return chart, idle


if __name__ == "__main__":
    main()

"""Benchmark: slider move to redrawn chart in a real browser, at 10,000 draws.

Starts ``takeoff dashboard`` on a free localhost port and drives Debian's headless Chromium with
Playwright (needs the ``test`` extra and ``apt-get install -y chromium``). Each sample presses
the arrow key on a focused slider and times, from the key press, until

- the chart has been redrawn with the new value (its title names the slider's value), and
- the page is idle again (the script run finished, every chart redrawn).

Every move goes to a value not seen before, so no result comes from the dashboard's caches
(except the regime map, which does not depend on the moved parameter: that is its design).

- Dynamics explorer, every family: a parameter of its regime map moved (``power_law``: alpha
  up from 0.3, through the keyhole when --moves > 35; ``jones_software``, which has no closed
  form, beta up from 0.3), a 10,000-draw uncertainty band recomputed each time (target: p95 <
  300 ms for every family).
- Forecasts: the seed slider moved, a 10,000-draw Monte Carlo forecast rerun each time, for
  ``metr_trend`` (the default, parameters from the shipped posterior) and ``keyhole``
  (target: p95 < 1 s).
- The floor: ``power_law``'s moves repeated once every result is in the dashboard's cache, so
  no model is computed: what Streamlit and Chromium alone cost per move on this machine.

    python benchmarks/bench_dashboard.py [--moves 40] [--out benchmarks/last_run_dashboard.txt]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "dashboards"))
from browser import chromium, serve, wait_idle

from takeoff.dashboards.explore import parameter_slider
from takeoff.models import FAMILIES, get_family
from takeoff.models.sweep import POINTS

START = {"power_law": ("alpha", 0.3), "jones_software": ("beta", 0.3)}  # through the keyhole
FLOOR_FAMILY = "power_law"  # its moves are repeated from the cache: the latency floor


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


def moves(page, slider: str, n: int, key: str = "ArrowRight") -> tuple[list[float], list[float]]:
    """``n`` key presses on the slider named ``slider``: (ms to the redrawn chart, ms to idle)."""
    handle = page.locator(f'input[type="range"][aria-label="{slider}"]')  # exactly this one
    chart, idle = [], []
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
        wait_idle(page)
        t2 = time.perf_counter()
        check_no_error(page, f"the page after a move of {slider!r}")
        chart.append(1000 * (t1 - t0))
        idle.append(1000 * (t2 - t0))
    return chart, idle


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


def server_compute_ms(family: str, name: str, start: float, n: int) -> list[float]:
    """The explorer's computation for the measured moves (the same slider values, called
    directly in this process): what the server spends before Streamlit sends the charts."""
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
        explore(family, centre, y0, fam.default_years, quantity, 0.25, 10_000, 0)
        times.append(1000 * (time.perf_counter() - t0))
    return times


def line(label: str, ms: list[float], target: float | None = None) -> str:
    a = np.asarray(ms)
    p95 = float(np.percentile(a, 95))
    verdict = ""
    if target is not None:
        verdict = f"  (target p95 < {target:.0f} ms: {'met' if p95 < target else 'NOT met'})"
    return (
        f"  {label}: median {np.median(a):.0f} ms, p95 {p95:.0f} ms, "
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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--families", nargs="*", help="families of the explorer to measure [default: all]"
    )
    parser.add_argument("--moves", type=int, default=40, help="slider moves per measurement")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("last_run_dashboard.txt")
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = Report(
        [
            "Dashboard latency: slider move -> redrawn chart, real browser (headless Chromium via "
            "Playwright), server and browser on this machine",
            f"  {platform.processor() or platform.machine()}, "
            f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}; "
            f"{time.strftime('%Y-%m-%d %H:%M')}",
        ]
    )
    with serve() as url, sync_playwright() as p:
        browser = chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        summary = []
        for family in args.families or list(FAMILIES):
            label, start = explorer_slider(family)
            address = (
                f"{url}/explorer?family={family}&{family}.{label.split(' ')[0]}={start:g}"
                "&draws=10000&spread=0.25"
            )
            page.goto(address)
            wait_idle(page)
            check_no_error(page, address)
            page.wait_for_selector(".js-plotly-plot")
            # warm-up (first runs compile and import) on values below the start, so that no
            # measured move finds its result in the dashboard's caches
            moves(page, label, 3, key="ArrowLeft")
            page.goto(address)
            wait_idle(page)
            page.wait_for_selector(".js-plotly-plot")
            n = min(args.moves, explorer_room(family, start))
            busy = BrowserBusy(page)
            chart, idle = moves(page, label, n)
            browser_ms = busy.per_move(n)
            assert "10,000 draws" in title(page), title(page)
            how = "closed form" if get_family(family).log_closed_form else "no closed form"
            out.append("")
            out.append(
                f"Dynamics explorer, {family} ({how}), {label.split(' ')[0]} moved up from "
                f"{start:g}, band of 10,000 draws (spread 0.25), {POINTS} time points:"
            )
            out.append(line("to the redrawn trajectory chart", chart, 300))
            out.append(line("to the page idle (all three charts)", idle))
            compute = server_compute_ms(family, label.split(" ")[0], start, n)
            style = browser_ms["LayoutDuration"] + browser_ms["RecalcStyleDuration"]
            out.append(
                f"  where the time goes, per move: the band's computation (explore(), in this "
                f"process) median {np.median(compute):.0f} ms; Chromium's main thread busy "
                f"{browser_ms['TaskDuration']:.0f} ms (script {browser_ms['ScriptDuration']:.0f}, "
                f"layout and style {style:.0f}, the rest painting and other tasks: software "
                "rendering, --disable-gpu)"
            )
            summary.append((family, how, float(np.percentile(chart, 95))))
            if family == FLOOR_FAMILY:
                # the same values again, now all in the dashboard's caches: no computation,
                # only Streamlit sending the page and Chromium redrawing its three charts
                moves(page, label, n, key="ArrowLeft")
                busy = BrowserBusy(page)
                chart, _ = moves(page, label, n)
                browser_ms = busy.per_move(n)
                out.append(
                    "  the floor: the same moves again, every result now in the dashboard's "
                    "cache (no computation):"
                )
                out.append(line("to the redrawn trajectory chart", chart, 300))
                out.append(
                    f"  Chromium's main thread busy {browser_ms['TaskDuration']:.0f} ms per move "
                    f"(script {browser_ms['ScriptDuration']:.0f})"
                )
        out.append("")
        out.append(
            "Dynamics explorer, p95 slider move -> redrawn chart per family (target 300 ms):"
        )
        for family, how, p95 in summary:
            verdict = "met" if p95 < 300 else "NOT met"
            out.append(f"  {family:<18} {how:<15} p95 {p95:4.0f} ms  {verdict}")

        for scenario in ("metr_trend", "keyhole"):
            address = f"{url}/forecasts?scenario={scenario}&draws=10000&seed=500"
            page.goto(address)
            wait_idle(page, timeout=180_000)  # the first forecast page imports and loads fits
            check_no_error(page, address)
            page.wait_for_selector(".js-plotly-plot", timeout=120_000)
            moves(page, "Seed", 2, key="ArrowLeft")  # warm-up, on seeds not measured
            chart, idle = moves(page, "Seed", args.moves)
            assert title(page).startswith(f"{scenario}: 10,000 draws, seed"), title(page)
            out.append("")
            out.append(f"Forecasts, {scenario}, seed slider, 10,000-draw forecast rerun per move:")
            out.append(line("to the redrawn fan chart", chart, 1000))
            out.append(line("to the page idle (all charts, tornado cached)", idle))
        browser.close()
    args.out.write_text("\n".join(out) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()

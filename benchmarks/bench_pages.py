"""Benchmark: how long each dashboard page takes to open, in a real browser.

Starts ``takeoff dashboard`` (Streamlit with ``--server.headless true --server.address
127.0.0.1``) on a free port, with an empty cache of computed summaries of its own
(``TAKEOFF_CACHE``: only the summaries shipped in the package are stored), and drives Debian's
headless Chromium through pip Playwright (``executable_path=shutil.which("chromium")``, never
``playwright install``). Every page load is a new browser context (a new viewer: nothing in the
browser's cache). Times are from the start of the navigation (``performance.timeOrigin``: the
request for the page, before any byte came back) to:

- **first content**: the first element of the page's main block (``stMainBlockContainer``) that
  is laid out (width and height > 0) and shows text or a chart (Streamlit's grey loading
  skeleton does not count);
- **headline** (the Overview only): the first ``st.metric`` value shown with its text;
- **first chart**: the first Plotly chart drawn (its ``.main-svg`` laid out); printed after
  **server**, when the first message with a Plotly figure arrived on the websocket (what the
  server controls), and **plotly.js**, when the browser asked for Streamlit's Plotly bundle
  (4.7 MB; the app asks for it as the page starts, a ``modulepreload``) and when it had it
  all: the time from ``server`` to ``drawn`` is the browser's (compiling plotly.js, drawing);
- **done**: the script run finished and no element is stale (``wait_idle``).

Runs, in this order:

1. **just started**: the server has just answered its health check (the time from the command
   to that answer is printed too); the Overview is opened at once: first content, headline,
   first chart. The headline is the stored summary (takeoff.forecast.stored), if it is current.
2. **warm**: each page opened once on its default view (imports, compiles, caches), then each
   page on a **new view** nothing computed before (a seed never used, another fit, data set or
   family; the Overview at 10,000 draws, which shows the stored 2,000-draw summary while the
   10,000 are computed in the background, so it runs last).
3. **eight viewers at once**: eight new contexts open The loop together on one new seed: median
   and max per measure (``server``: the first chart sent, as above), and the server's memory
   (resident set, now and at its peak).

Targets (issue 26): the Overview's headline within 3 s on a just-started server; every page's
first content within 3 s and first chart within 5 s on a warm server, new views included.

    python benchmarks/bench_pages.py [--out benchmarks/last_run_pages.txt]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "dashboards"))  # the end-to-end tests' server helpers
from browser import free_port, stop  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"]
TIMEOUT_MS = 180_000
VIEWERS = 8
# page: (url path, query of its default view, query of a new view: nothing computed before)
PAGES = {
    "Overview": ("", "", "overview_draws=10000"),
    "Data": ("data", "", "dataset=epoch_models"),
    "Fits": ("fits", "", "fit=compute_trend"),
    "Dynamics explorer": ("explorer", "", "family=compute_feedback"),
    "Forecasts": ("forecasts", "", "forecast_seed={seed}"),
    "Compare": ("compare", "", "compare_seed={seed}"),
    "The loop": ("loop", "", "loop_seed={seed}"),
}
WARM_ORDER = ["Data", "Fits", "Dynamics explorer", "Forecasts", "Compare", "The loop", "Overview"]

MARKS_JS = """
(() => {
  const marks = {};
  window.__marks = marks;
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const check = () => {
    const t = performance.now();
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const chart = [...main.querySelectorAll('.js-plotly-plot .main-svg')].find(shown);
    if (marks.chart === undefined && chart) marks.chart = t;
    if (marks.content === undefined) {
      const els = main.querySelectorAll('[data-testid="stElementContainer"]');
      for (const el of els) {
        if (el.querySelector('[data-testid="stSkeleton"]') || !shown(el)) continue;
        if (el.innerText.trim() || el.querySelector('.js-plotly-plot .main-svg')) {
          marks.content = t; break;
        }
      }
    }
    if (marks.headline === undefined) {
      const m = [...main.querySelectorAll('[data-testid="stMetricValue"]')].find(
        e => shown(e) && e.innerText.trim());
      if (m) marks.headline = t;
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true,
                                                 attributes: true, characterData: true});
})();
"""
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"]')
      && window.__marks && window.__marks.content !== undefined;
}"""


@contextlib.contextmanager
def server(log, cache: str):
    """``takeoff dashboard`` on a free port; yields (url, pid, seconds to its health answer)."""
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", TAKEOFF_CACHE=cache, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "takeoff.cli", "dashboard", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the dashboard exited with status {process.returncode}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            if time.perf_counter() - start > 120:
                raise RuntimeError("the dashboard did not answer within 120 s")
            time.sleep(0.05)
        yield url, process.pid, time.perf_counter() - start
    finally:
        stop(process)


def memory_mib(pid: int) -> tuple[float, float]:
    """(resident, peak resident) of the server process in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


async def load(browser, url: str) -> dict[str, float]:
    """Open ``url`` in a new context; seconds from navigation start to each mark."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        await page.add_init_script(MARKS_JS)
        seen: dict[str, float] = {}

        def frame(payload) -> None:  # the server's message carrying a Plotly figure
            if "server" not in seen and isinstance(payload, bytes) and b'"layout"' in payload:
                seen["server"] = time.perf_counter() - start

        def request(req) -> None:
            if "PlotlyChart" in req.url and "plotly_js" not in seen:
                seen["plotly_js"] = time.perf_counter() - start

        def finished(req) -> None:
            if "PlotlyChart" in req.url and "plotly_js_loaded" not in seen:
                seen["plotly_js_loaded"] = time.perf_counter() - start

        page.on("websocket", lambda ws: ws.on("framereceived", frame))
        page.on("request", request)
        page.on("requestfinished", finished)
        start = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        await page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS, polling=50)
        with contextlib.suppress(Exception):  # a chart still being drawn after the run
            await page.wait_for_function(
                "() => window.__marks.chart !== undefined", timeout=60_000, polling=50
            )
        marks = await page.evaluate("() => ({...window.__marks, done: performance.now()})")
        marks.update({k: 1000 * v for k, v in seen.items()})
        errors = await page.locator('[data-testid="stException"]').count()
        if errors:
            marks["errors"] = errors
        return {k: v / 1000 if k != "errors" else v for k, v in marks.items()}
    finally:
        await context.close()


def fmt(marks: dict, key: str) -> str:
    return f"{marks[key]:6.2f}" if key in marks else "     -"


def row(label: str, marks: dict) -> str:
    extra = f"  ({marks['errors']} exceptions!)" if marks.get("errors") else ""
    head = f"headline {fmt(marks, 'headline')}  " if label.startswith("Overview") else " " * 17
    return (
        f"  {label:<44} content {fmt(marks, 'content')}  {head}chart: server "
        f"{fmt(marks, 'server')} plotly.js {fmt(marks, 'plotly_js')}-"
        f"{fmt(marks, 'plotly_js_loaded').strip()} drawn "
        f"{fmt(marks, 'chart')}  done {fmt(marks, 'done')}{extra}"
    )


def shipped_state(cache: str) -> str:
    """Whether the package's stored summary of the headline matches its inputs today."""
    os.environ["TAKEOFF_CACHE"] = cache  # the server's (empty) cache: only the package's
    from takeoff.forecast import stored
    from takeoff.forecast.scenario import HEADLINE

    found = stored.load_text(stored.builtin_text(HEADLINE), f"{HEADLINE}.toml", 2_000, 0)
    if found is None:
        return (
            "STALE (its inputs changed since it was shipped: the Overview computes it in the "
            "background; reship with `python -m takeoff.forecast.stored`)"
        )
    return f"current (stored {found.attrs['stored_at']})"


def address(url: str, path: str, query: str, seed: int) -> str:
    query = query.format(seed=seed)
    return f"{url}/{path}" + (f"?{query}" if query else "")


async def run(out_lines: list[str], log) -> None:
    from playwright.async_api import async_playwright

    def say(line: str = "") -> None:
        print(line, flush=True)
        out_lines.append(line)

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium on PATH: apt-get install -y chromium")
    seed = random.Random().randrange(100, 999)  # a seed no earlier run computed
    say(
        f"bench_pages: {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at start "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    say(f"seconds from navigation start; new views use seed {seed}")
    cache = tempfile.mkdtemp(prefix="bench-pages-cache-")
    say(f"the shipped headline summary is {shipped_state(cache)}")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # a browser that has started a page before (its own start is not the server's)
        blank = await browser.new_page()
        await blank.goto("about:blank")
        await blank.close()
        with server(log, cache) as (url, pid, started):
            say()
            say(
                f"1. just started (the server answered its health check {started:.1f} s after "
                "the command)"
            )
            marks = await load(browser, url)
            say(row("Overview (stored headline)", marks))
            say()
            say("2. warm server: each page's default view once, then a new view")
            for name in WARM_ORDER:
                path, default, _ = PAGES[name]
                marks = await load(browser, address(url, path, default, seed))
                say(row(f"{name} (default, first visit)", marks))
            say("   new views:")
            for name in WARM_ORDER:
                path, _, new = PAGES[name]
                if name == "Overview":
                    continue
                marks = await load(browser, address(url, path, new, seed))
                say(row(f"{name} ({new.format(seed=seed)})", marks))
            say()
            loop_seed = seed + 1
            say(f"3. {VIEWERS} viewers open The loop at once (seed {loop_seed}, new)")
            target = address(url, "loop", "loop_seed={seed}", loop_seed)
            results = await asyncio.gather(*(load(browser, target) for _ in range(VIEWERS)))
            rss, peak = memory_mib(pid)
            for key in ("content", "server", "chart", "done"):
                values = [r[key] for r in results if key in r]
                if values:
                    say(
                        f"  {key:<8} median {statistics.median(values):6.2f}  max "
                        f"{max(values):6.2f}  ({len(values)} of {VIEWERS} viewers)"
                    )
            say(f"  server memory: {rss:.0f} MiB resident now, {peak:.0f} MiB at its peak")
            failed = sum(bool(r.get("errors")) for r in results)
            say(f"  viewers with an exception on the page: {failed}")
            say()
            path, _, new = PAGES["Overview"]
            marks = await load(browser, address(url, path, new, seed))
            say(
                "4. warm server, the Overview on a new view (its summaries computed in the "
                "background)"
            )
            say(row(f"Overview ({new})", marks))
        await browser.close()
    shutil.rmtree(cache, ignore_errors=True)
    say()
    say("load average at the end " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "last_run_pages.txt")
    parser.add_argument("--log", type=Path, default=Path(tempfile.gettempdir()) / "bench_pages.log")
    args = parser.parse_args()
    lines: list[str] = []
    start = time.perf_counter()
    with args.log.open("w") as log:
        asyncio.run(run(lines, log))
    lines.append(f"(whole benchmark: {time.perf_counter() - start:.0f} s; server log {args.log})")
    print(lines[-1])
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

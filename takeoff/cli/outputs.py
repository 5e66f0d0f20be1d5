"""Write a forecast's files: forecast.nc (a group per scenario), summary.csv (long form: one
number per row, see the README), each kind's figures (with the observed data behind them) and,
when asked, report.html (the self-contained report), into a temporary folder first and moved
into place only when everything succeeded, so a failure leaves nothing half-written. Each
summary is also kept in the user's cache of summaries, for the dashboard."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from takeoff.forecast import kinds

REPORT = "report.html"


def store_summaries(results, by: str) -> None:
    """Keep each summary in the user's cache of summaries (:mod:`takeoff.forecast.stored`),
    keyed by its inputs: the dashboard then shows the same forecast without recomputing it."""
    from takeoff.forecast import stored

    for result in results:
        attrs = result.summary.attrs
        if "draws" in attrs and "seed" in attrs:
            stored.save(
                result.summary, result.scenario, int(attrs["draws"]), int(attrs["seed"]), by=by
            )


def write_forecast_files(
    out: Path,
    results,
    *,
    report: bool = False,
    command: str = "",
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """The files of ``results`` (Forecast objects) in folder ``out``; returns their paths."""
    from takeoff.plots import static

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".forecast-", dir=out))
    try:
        nc = tmp / "forecast.nc"
        for i, result in enumerate(results):
            result.summary.to_netcdf(
                nc, group=result.scenario.name, mode="w" if i == 0 else "a", engine="h5netcdf"
            )
        summaries = [r.summary for r in results]
        kinds.long_table(summaries).to_csv(tmp / "summary.csv", index=False)
        observed = {r.scenario.name: kinds.observations(r.scenario) for r in results}
        for name, draw in kinds.figures(summaries, observed).items():
            static.save(draw(), tmp / name)
        if report:
            from takeoff.report import report_html

            (tmp / REPORT).write_text(
                report_html(results, command=command, progress=progress), encoding="utf-8"
            )
        written = []
        for path in sorted(tmp.iterdir()):
            target = out / path.name
            path.replace(target)
            written.append(target)
        store_summaries(results, command or "takeoff forecast")
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

"""Write a forecast's files: forecast.nc (a group per scenario), summary.csv and each kind's
figures, into a temporary folder first and moved into place only when everything succeeded,
so a failure leaves nothing half-written."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from takeoff.forecast import kinds


def write_forecast_files(out: Path, results) -> list[Path]:
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
        kinds.summary_table(summaries).to_csv(tmp / "summary.csv", index=False)
        for name, draw in kinds.figures(summaries).items():
            static.save(draw(), tmp / name)
        written = []
        for path in sorted(tmp.iterdir()):
            target = out / path.name
            path.replace(target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

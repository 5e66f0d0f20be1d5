"""Plain-text descriptions of the bundled data sets, for ``takeoff data list`` and ``show``."""

from __future__ import annotations

import pandas as pd

from takeoff.data.registry import DATASETS, get_dataset, load


def format_catalogue() -> str:
    """One line per data set: name, rows, columns, title, source."""
    header = ("name", "rows", "columns", "title", "source")
    rows = [
        (d.name, str(d.rows), str(len(d.columns)), d.title, d.source) for d in DATASETS.values()
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]

    def line(cells: tuple[str, ...]) -> str:
        name, n, ncol, title, source = cells
        return (
            f"{name:<{widths[0]}}  {n:>{widths[1]}}  {ncol:>{widths[2]}}  "
            f"{title:<{widths[3]}}  {source}"
        )

    return "\n".join([line(header), *(line(r) for r in rows)])


def format_dataset(name: str, head: int = 5) -> str:
    """Title, description, source and citation, rows, columns with units, first rows."""
    info = get_dataset(name)
    frame = load(info.name)
    lines = [
        f"{info.name}: {info.title}",
        "",
        info.description,
        "",
        f"source: {info.source}",
        f"citation: {info.citation}",
        f"rows: {len(frame)}",
        f"file: takeoff/data/{info.file} (sha256 {frame.attrs['hash'][:16]}...)",
        f"provenance: takeoff/data/{info.provenance}",
        "",
        "columns:",
    ]
    for c in info.columns:
        lines.append(f"  {c.describe()}")
        if c.kind == "date":
            lines.append(f"  {c.name}_year [decimal year]: {c.name} as a decimal year (added)")
    lines += ["", f"first {min(head, len(frame))} rows:"]
    shown = frame[list(info.column_names)].head(head)
    with pd.option_context("display.width", 200, "display.max_columns", None):
        table = shown.to_string(index=False, float_format=lambda x: f"{x:.6g}")
    lines += [f"  {row}" for row in table.splitlines()]
    return "\n".join(lines)

"""One self-contained HTML file from report blocks: styles and plotly.js inlined (one copy),
each figure's data embedded as JSON, nothing loaded from a network or a server. Figures are
interactive (zoom, hover) and each saves itself as a PNG from its toolbar (plotly draws the
PNG in the browser).

Size: plotly.js is most of it (~4.8 MB); figure data are written compactly (float32 typed
arrays, long series decimated by the figure functions).
"""

from __future__ import annotations

import html
import re

import numpy as np

from takeoff.plots.blocks import Details, Figure, Links, Section, TableBlock, Text

CSS = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d9d9d9; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); margin: 0; line-height: 1.5; font-size: 17px; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
header.top { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; }
h1 { font-size: 2.1rem; margin: 0.2rem 0 0.3rem; }
h2 { font-size: 1.55rem; margin: 2.6rem 0 0.6rem; border-bottom: 1px solid var(--rule);
     padding-bottom: 0.2rem; }
h3 { font-size: 1.2rem; margin: 1.8rem 0 0.4rem; }
p { margin: 0.4rem 0 0.8rem; }
p.subtitle { color: var(--muted); margin-top: 0; }
p.rationale { color: #333; font-size: 0.95rem; }
p.numbers { font-weight: 600; }
p.caption, p.note { color: var(--muted); font-size: 0.9rem; }
p.warning { background: #fff4e5; border-left: 4px solid #e6a23c; padding: 0.4rem 0.7rem; }
nav.toc ol { columns: 2; font-size: 0.95rem; }
nav.toc a, a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; margin: 0.6rem 0 0.4rem; font-size: 0.95rem;
        font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.75rem 0.3rem 0; text-align: left;
         vertical-align: top; }
thead th { border-bottom: 2px solid #999; }
table.headline { font-size: 1.05rem; }
.figure { margin: 0.8rem 0 1.2rem; }
.plot { width: 100%; }
details { margin: 0.4rem 0 0.8rem; }
details pre { background: #f6f6f6; padding: 0.7rem; overflow-x: auto; font-size: 0.82rem;
              line-height: 1.35; white-space: pre; }
summary { cursor: pointer; color: var(--accent); }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; }
@media print { .modebar { display: none !important; } h2 { break-before: page; } }
"""

LOADER = """
(function () {
  var specs = document.querySelectorAll('script[type="application/json"][data-figure]');
  var i = 0;
  function next() {
    if (i >= specs.length) {
      document.body.setAttribute('data-figures-drawn', specs.length);
      return;
    }
    var el = specs[i++];
    var spec = JSON.parse(el.textContent);
    Plotly.newPlot(el.getAttribute('data-figure'), spec.data, spec.layout, spec.config)
      .then(function () { setTimeout(next, 0); }, function () { setTimeout(next, 0); });
  }
  next();
})();
"""


def _compact(value):
    """Figure data as compact as plotly.js reads them: float arrays as float32 (7 significant
    digits, written as base64 typed arrays) where their values fit, long lists of numbers as
    arrays."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        if len(value) > 8 and all(
            isinstance(v, float | int) and not isinstance(v, bool) for v in value
        ):
            return _compact(np.asarray(value, dtype=float))
        return [_compact(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        finite = value[np.isfinite(value)]
        if value.dtype == np.float64 and (finite.size == 0 or np.abs(finite).max() < 1e37):
            return value.astype(np.float32)
    return value


MAX_POINTS = 300  # points per line in the report: a chart a few hundred pixels wide shows no more


def _thinned(trace: dict) -> dict:
    """A line trace with more than MAX_POINTS points, evenly thinned (first and last kept):
    the report's fans carry two points a month over decades, which is most of its size."""
    x, y = _array(trace.get("x")), _array(trace.get("y"))
    if x is None or y is None or x.ndim != 1 or len(x) != len(y) or len(x) <= MAX_POINTS:
        return trace
    keep = np.unique(np.linspace(0, len(x) - 1, MAX_POINTS).round().astype(int))
    out = dict(trace)
    for key in ("x", "y", "customdata", "text", "hovertext"):
        value = _array(trace.get(key))
        if value is not None and value.ndim >= 1 and len(value) == len(x):
            out[key] = _typed(value[keep])
    return out


def _typed(value: np.ndarray):
    """Numbers as plotly's typed array (base64; float32 where the values fit), else a list."""
    import base64

    if value.dtype.kind not in "fiu":
        return value.tolist()
    finite = value[np.isfinite(value)] if value.dtype.kind == "f" else value
    small = value.dtype.kind == "f" and (finite.size == 0 or np.abs(finite).max() < 1e37)
    data = value.astype("<f4" if small else value.dtype.newbyteorder("<"))
    return {
        "dtype": data.dtype.str.lstrip("<|"),
        "bdata": base64.b64encode(data.tobytes()).decode(),
    }


def _array(value):
    """A trace's array as numpy: plotly's typed-array form {dtype, bdata[, shape]} decoded."""
    import base64

    if value is None or isinstance(value, str):
        return None
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if isinstance(shape, str):
            shape = tuple(int(n) for n in shape.split(","))
        return flat.reshape(shape) if shape else flat
    return np.asarray(value) if np.ndim(value) >= 1 else None


def figure_json(fig, name: str) -> str:
    """The figure as a JSON object {data, layout, config}, safe inside a <script> element."""
    from plotly.io.json import to_json_plotly

    spec = fig.to_plotly_json()
    data = [_thinned(trace) for trace in spec.get("data", [])]
    spec = {"data": _compact(data), "layout": _compact(spec.get("layout", {}))}
    spec["layout"].pop("template", None)  # plotly.js' default look; the template is ~10 kB each
    spec["config"] = {
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": _file_name(name), "scale": 2},
    }
    return to_json_plotly(spec).replace("</", "<\\/")


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "figure"


def _text(block: Text) -> str:
    if not block.text:
        return ""
    cls = f' class="{block.kind}"' if block.kind else ""
    return f"<p{cls}>{html.escape(block.text)}</p>"


def _table(block: TableBlock, css: str = "") -> str:
    t = block.table
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in t.rows
    )
    cls = f' class="{css}"' if css else ""
    caption = f"<caption>{html.escape(t.title)}</caption>" if t.title else ""
    note = f'<p class="note">{html.escape(t.note)}</p>' if t.note else ""
    return f"<table{cls}>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


class Document:
    """A report being assembled: sections of blocks, rendered once by ``render``."""

    def __init__(self, title: str, subtitle: str = ""):
        self.title = title
        self.subtitle = subtitle
        self.sections: list[Section] = []
        self._figures = 0

    def add(self, section: Section) -> Document:
        self.sections.append(section)
        return self

    @property
    def figure_count(self) -> int:
        def count(blocks) -> int:
            return sum(
                count(b.blocks) if isinstance(b, Section) else isinstance(b, Figure) for b in blocks
            )

        return count(self.sections)

    def _figure(self, block: Figure) -> str:
        self._figures += 1
        ident = f"fig-{self._figures}"
        height = (block.figure.layout.height or 450) if hasattr(block.figure, "layout") else 450
        caption = f'<p class="caption">{html.escape(block.caption)}</p>' if block.caption else ""
        return (
            f'<div class="figure"><div id="{ident}" class="plot" style="height:{height}px">'
            f"</div>{caption}</div>"
            f'<script type="application/json" data-figure="{ident}">'
            f"{figure_json(block.figure, block.name)}</script>"
        )

    def _block(self, block) -> str:
        if block is None:
            return ""
        if isinstance(block, Text):
            return _text(block)
        if isinstance(block, TableBlock):
            headline = "headline" if block.table.title.lower().startswith("headline") else ""
            return _table(block, headline)
        if isinstance(block, Figure):
            return self._figure(block)
        if isinstance(block, Details):
            return (
                f"<details><summary>{html.escape(block.summary)}</summary>"
                f"<pre>{html.escape(block.text)}</pre></details>"
            )
        if isinstance(block, Links):
            items = "".join(
                f'<li><a href="{html.escape(target, quote=True)}" rel="noreferrer">'
                f"{html.escape(text)}</a></li>"
                for text, target in block.items
            )
            return f"<ul>{items}</ul>"
        if isinstance(block, Section):
            return self._section(block)
        raise TypeError(f"not a report block: {type(block).__name__}")

    def _section(self, section: Section) -> str:
        level = min(max(section.level, 2), 4)
        anchor = f' id="{html.escape(section.anchor, quote=True)}"' if section.anchor else ""
        inner = "".join(self._block(b) for b in section.blocks)
        return (
            f"<section{anchor}><h{level}>{html.escape(section.title)}</h{level}>{inner}</section>"
        )

    def render(self, footer: str = "") -> str:
        """The whole document as one HTML string (plotly.js inlined once)."""
        from plotly.offline import get_plotlyjs

        self._figures = 0
        toc = "".join(
            f'<li><a href="#{html.escape(s.anchor, quote=True)}">{html.escape(s.title)}</a></li>'
            for s in self.sections
            if s.anchor and s.level <= 2
        )
        body = "".join(self._section(s) for s in self.sections)
        plotly = get_plotlyjs() if self._figures else ""
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(self.title)}</title><style>{CSS}</style>"
            + (f"<script>{plotly}</script>" if plotly else "")
            + "</head><body><main>"
            + f'<header class="top"><h1>{html.escape(self.title)}</h1>'
            + (f'<p class="subtitle">{html.escape(self.subtitle)}</p>' if self.subtitle else "")
            + "</header>"
            + (f'<nav class="toc"><ol>{toc}</ol></nav>' if toc else "")
            + body
            + (f"<footer>{html.escape(footer)}</footer>" if footer else "")
            + "</main>"
            + (f"<script>{LOADER}</script>" if self._figures else "")
            + "</body></html>\n"
        )

"""The pieces a report is made of: plain data, rendered to HTML by ``takeoff.report.html``.
Forecast kinds, the report's own sections and the dashboard's "download this view" build
lists of these; nothing here knows about models or forecasts, so they sit below both the
forecasts and the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from takeoff.formatting import Table


@dataclass(frozen=True)
class Text:
    """A paragraph of plain text (escaped when rendered); ``kind`` styles it: "" (body),
    "rationale", "numbers", "caption", "warning"."""

    text: str
    kind: str = ""


@dataclass(frozen=True)
class Figure:
    """A plotly figure, drawn interactively (zoom, hover, PNG download from its toolbar);
    ``name`` is the file name its PNG download gets."""

    figure: object
    name: str = "figure"
    caption: str = ""


@dataclass(frozen=True)
class TableBlock:
    table: Table


@dataclass(frozen=True)
class Details:
    """Collapsed preformatted text (a table as text, a TOML file, a provenance note)."""

    summary: str
    text: str


@dataclass(frozen=True)
class Links:
    """A list of (text, target) links within the document (#anchor) or to sources (shown as
    text links; nothing is fetched)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list = field(default_factory=list)
    anchor: str = ""
    level: int = 2

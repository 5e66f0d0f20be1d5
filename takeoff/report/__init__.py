"""The self-contained HTML report: ``report_html(results)`` (``takeoff report``, and
``results/report.html`` of the main job). ``blocks`` are its pieces, ``html`` renders them
(plotly.js and styles inlined), ``build`` assembles the report's sections; the dashboard's
"download this view" uses the same machinery."""

from takeoff.report.assemble import build_report, report_html
from takeoff.report.html import Document

__all__ = ["Document", "build_report", "report_html"]

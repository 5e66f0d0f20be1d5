"""Figures: ``static`` (matplotlib, for files) and ``interactive`` (plotly, for the dashboard
and the report). Both take the library's results and do no model maths."""

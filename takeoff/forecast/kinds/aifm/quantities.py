"""What the aifm kind measures: its milestones and their labels, the paths it reduces, the
statuses of a draw (the model's and a failed link), the quantiles and years it reports and the
resolution of its histograms."""

from __future__ import annotations

from takeoff.models import aifm

NAME = "aifm"
# the quantiles an aifm summary reports of milestone dates and paths: the shared
# takeoff.units.QUANTILES plus the 10% and 90% its tables show (80% intervals)
DATE_AND_PATH_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
PROBABILITY_BY = (2030.0, 2035.0, 2040.0)
DATE_BINS_PER_YEAR = 256  # milestone-date histogram resolution: 1/256 yr (~1.4 days)
CDF_STEP = 8  # CDF points every 8 bins: 1/32 yr
LOG10_LOW, LOG10_HIGH, LOG10_BIN = -12.0, 40.0, 0.02  # path histograms (edges count beyond)
PATHS = (
    ("horizon_minutes", "80% coding time horizon", "minutes"),
    ("software_progress_rate", "software progress rate", "OOMs/yr"),
    ("ai_rd_speedup", "AI R&D speed-up", "x"),
)
MILESTONE_LABELS = {
    "AC": "Automated Coder",
    "AI2027-SC": "AI 2027 superhuman coder",
    "AIR-5x": "AI R&D speed-up 5x",
    "AIR-25x": "AI R&D speed-up 25x",
    "AIR-250x": "AI R&D speed-up 250x",
    "AIR-2000x": "AI R&D speed-up 2000x",
    "AIR-10000x": "AI R&D speed-up 10000x",
    "SAR": "superhuman AI researcher",
    "SIAR": "superintelligent AI researcher",
}
SENSITIVITY_MILESTONES = ("AC", "SAR", "SIAR")
LINK_FAILED = max(aifm.STATUS_NAMES) + 1
STATUSES = {
    **aifm.STATUS_NAMES,
    LINK_FAILED: "the fitted horizon law has blown up by present_day (no finite horizon there)",
}
assert list(STATUSES) == list(range(len(STATUSES)))  # a status code is its index
HORIZON_PERCENTS = (50, 80)
PATH_BINS = round((LOG10_HIGH - LOG10_LOW) / LOG10_BIN)

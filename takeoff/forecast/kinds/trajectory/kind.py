"""The trajectory kind: scenarios of the ODE families, forecast as paths on a calendar.

Assembled here from the room's modules: its scenario tables (``schema``), the simulation of a
block of draws and what is measured per draw (``measures``: milestone dates, the takeoff
duration and its class, a finite-time singularity date, doubling times), the exact reduction
(``summary``), its headline numbers and table (``headline``), what else it shows
(``presentation``) and the data-period check (``data_check``).
Nothing imports this module but the registry of kinds (``takeoff.forecast.kinds``).
"""

from __future__ import annotations

from takeoff.forecast.kind import ForecastKind, SensitivityOutput
from takeoff.forecast.kinds.trajectory import headline, presentation
from takeoff.forecast.kinds.trajectory.measures import CLASSES, per_draw, simulate_block
from takeoff.forecast.kinds.trajectory.schema import parse
from takeoff.forecast.kinds.trajectory.summary import Accumulator, memory_bytes, summarize
from takeoff.forecast.observations import trajectory_observations
from takeoff.forecast.scenario import Scenario
from takeoff.models.registry import FAMILIES

# --- sensitivity -------------------------------------------------------------------------------

HARD_OR_FAST = CLASSES.index("fast")  # the classes up to it: hard, fast


def sensitivity_outputs(scenario: Scenario) -> tuple[SensitivityOutput, ...]:
    """The takeoff date (the ``to`` milestone) and log10 of the takeoff duration; not reached
    within the horizon is censored at it (the date at the end, the duration at ``years``).
    For groups of inputs only, also whether the takeoff is hard or fast (1 or 0; its mean is
    P(hard or fast); a takeoff not completed within the horizon counts 0)."""
    start, end = scenario.takeoff
    column = [name for name, _ in scenario.milestones].index(end)
    return (
        SensitivityOutput(
            "takeoff_date",
            "decimal year",
            f"the date {end.replace('_', ' ')} is reached",
            lambda block: block.milestone_dates[:, column],
            censor_at=scenario.end,
            never=f"{end} is not reached",
        ),
        SensitivityOutput(
            "duration",
            "log10 yr",
            "the takeoff duration (log10 years)",
            lambda block: block.duration,
            censor_at=scenario.years,
            never=f"the takeoff {start} -> {end} does not complete",
            log10=True,
        ),
        SensitivityOutput(
            "hard_or_fast",
            "1 if hard or fast, else 0",
            "whether the takeoff is hard or fast (under 1 year)",
            lambda block: (block.takeoff_class <= HARD_OR_FAST).astype(float),
            censor_at=0.0,
            never=f"the takeoff {start} -> {end} is never hard or fast",
            per_input=False,
        ),
    )


def _families() -> tuple[str, ...]:
    return tuple(FAMILIES)


TRAJECTORY = ForecastKind(
    name="trajectory",
    description="paths of an ODE family on a calendar: milestone dates, takeoff duration and "
    "class, finite-time singularities",
    families=_families,
    parse=parse,
    simulate=simulate_block,
    accumulator=Accumulator.empty,
    summarize=summarize,
    per_draw=per_draw,
    format=presentation.format_summary,
    row=presentation.summary_row,
    long_rows=presentation.long_rows,
    headline=headline.headline,
    figures=presentation.figures,
    interactive_figures=presentation.interactive_figures,
    interactive_comparison=presentation.interactive_comparison,
    comparison_figures=presentation.comparison_figures,
    headline_table=headline.headline_table,
    observations=trajectory_observations,
    report_sections=presentation.report_sections,
    caption=presentation.caption,
    sensitivity_outputs=sensitivity_outputs,
    memory=memory_bytes,
)

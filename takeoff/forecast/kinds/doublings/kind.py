"""The doublings kind: forecasts of the ``sie_doublings`` family. Parse its scenario tables,
simulate a block of draws, reduce it to exact counts, summarise and report.

The family is the published software-intelligence-explosion recursion (Davidson & Houlden
2025; ``takeoff.models.sie``). Its forecast metrics are the paper's: for each pair
(T months, m years) the probability that some run of k = floor((T/12) 8 m) consecutive software
doublings took less than T months ("m years of progress within T months"), with its Monte Carlo
standard error sqrt(p (1 - p) / n). Beside them: for each window T, P(some run of j doublings
took < T months) for every j (the whole curve the pairs are points of), the doublings done
before the simulation stopped, and why it stopped (48 months, or the ceiling: N doublings).

Milestones, takeoff durations, classes and singularity dates do not apply: the recursion has no
levels to reach on a calendar, only compressed progress, and it never blows up (it stops at the
ceiling). The summary says so instead of inventing them.

The accumulator holds integer counts only, so chunks (and Dask workers) add exactly and the
summary is the same whatever the chunking.

The room: the scenario tables (``schema``), the simulation (``simulation``), the exact
reduction and summary (``summary``) and what the kind shows (``presentation``), assembled into
the ``ForecastKind`` here; nothing imports this module but the registry of kinds.
"""

from __future__ import annotations

from takeoff.errors import TakeoffError
from takeoff.forecast.kind import ForecastKind
from takeoff.forecast.kinds.doublings import presentation
from takeoff.forecast.kinds.doublings.schema import parse
from takeoff.forecast.kinds.doublings.simulation import per_draw_sie, simulate_sie_block
from takeoff.forecast.kinds.doublings.summary import SieAccumulator, summarize_sie
from takeoff.forecast.scenario import Scenario
from takeoff.models.sie import SIE_DOUBLINGS


def sensitivity_outputs(scenario: Scenario):
    raise TakeoffError(
        f"scenario {scenario.name} is a sie_doublings recursion, which has no milestones or "
        "takeoff date to analyse; sensitivity takes the ODE-family scenarios"
    )


DOUBLINGS = ForecastKind(
    name="doublings",
    description="runs of software doublings (Davidson & Houlden 2025): P(m years of progress "
    "within T months)",
    families=lambda: (SIE_DOUBLINGS.name,),
    parse=parse,
    simulate=simulate_sie_block,
    accumulator=SieAccumulator.empty,
    summarize=summarize_sie,
    per_draw=per_draw_sie,
    format=presentation.format_sie_summary,
    row=presentation.sie_summary_row,
    long_rows=presentation.long_rows,
    headline=presentation.headline,
    figures=presentation.figures,
    interactive_figures=presentation.interactive_figures,
    comparison_figures=presentation.comparison_figures,
    headline_table=presentation.headline_table,
    report_sections=presentation.report_sections,
    sensitivity_outputs=sensitivity_outputs,
    compare=presentation.format_comparison,
    caption=lambda summary: f"Not applicable to this model: {summary.attrs['not_applicable']}.",
    batch_blocks=True,  # every draw is simulated on its own: the batch does not change a result
)

"""The aifm kind: forecasts of the AI Futures Model's core (``takeoff.models.aifm``), the
:class:`~takeoff.forecast.kind.ForecastKind` assembled from the modules of this room:
``quantities`` (what it measures), ``links`` (takeoff's fits in the model's parameters),
``scenario`` (its scenarios and their parse), ``simulation`` (a block of draws),
``reduction`` (the exact accumulator and the summary) and ``presentation`` (tables, figures,
report sections).

The model produces, per draw, the dates of its milestones (Automated Coder, AI2027-SC, the AI
R&D speed-ups AIR-5x ... AIR-10000x, SAR, SIAR) and paths on a yearly grid; this kind reduces
them to milestone-date quantiles, P(milestone by a year) with its Monte Carlo standard error
sqrt(p (1 - p) / n), the status of every draw (a draw that fails says why) and fan charts of
the 80% coding time horizon, the software progress rate and the AI R&D speed-up.

Scenario tables::

    [scenario]
    name = "aifm_published_mc"
    family = "aifm"
    end = 2050                        # the model runs from 2012 (its inputs') to `end`
    probability_by = [2030, 2035, 2040]

    [priors]
    published = true                  # the peer's Monte Carlo priors and correlations
                                      # (aifm_priors.toml, from its sampling_config.yaml)

    [parameters]                      # any aifm parameter (or the three time-series ones):
    present_day = 2025.6              # a number, a distribution or a posterior; given here
                                      # it overrides the published prior

    [links]                           # parameters from takeoff's fits, mapped in code
    horizon = "horizon_dynamics"      # present_horizon, present_doubling_time,
    horizon_percent = 50              #   doubling_difficulty_growth_factor (below)
    training_compute = "compute_trend"  # constant_training_compute_growth_rate

    [correlations]                    # optional, between distribution parameters
    pairs = [["a", "b", 0.3]]

Without ``[priors]`` every parameter not given is the published default (``model_config.py``)
and the input series is the published one (``input_data.csv``); a scenario whose inputs are
all fixed numbers is one trajectory (its draws are identical and simulated once).

Links (what the issue calls replacing the hand-set links by takeoff's posteriors) are mapped in
:func:`~takeoff.forecast.kinds.aifm.links.horizon_link`,
:func:`~takeoff.forecast.kinds.aifm.links.training_compute_link` and
:func:`~takeoff.forecast.kinds.aifm.links.software_rate_link` (the software
progress rate at 2023 from ``algorithmic_progress``); r from ``software_returns`` is listed in
:data:`LINKS` without a mapping, because the model calibrates r from that software rate (a
fitted r would over-determine it), and every summary says which links are still the peer's.
Where a link or an explicit parameter replaces a parameter
that the published priors correlate with others, those correlations are dropped (the summary
names them).

The accumulator holds integer counts (date histograms of 1/256 year, per-milestone counts by
each year, status counts, histograms of log10 paths of 0.02 decades per output year) plus
exact minima and maxima, so chunks and Dask workers add up identically; a quantile is the
middle of its histogram bin clamped to the observed range, so a scenario whose draws are all
the same reports its exact dates and paths.
"""

from __future__ import annotations

from takeoff.forecast.kind import ForecastKind
from takeoff.forecast.kinds.aifm import presentation
from takeoff.forecast.kinds.aifm.quantities import NAME
from takeoff.forecast.kinds.aifm.reduction import AifmAccumulator, per_draw_aifm, summarize_aifm
from takeoff.forecast.kinds.aifm.scenario import parse
from takeoff.forecast.kinds.aifm.simulation import sensitivity_outputs, simulate_aifm_block

AIFM = ForecastKind(
    name=NAME,
    description="the AI Futures Model's core (AI Futures Project, 2025): milestone dates "
    "(Automated Coder, SAR, SIAR, AI R&D speed-ups)",
    families=lambda: (NAME,),
    parse=parse,
    simulate=simulate_aifm_block,
    accumulator=AifmAccumulator.empty,
    summarize=summarize_aifm,
    per_draw=per_draw_aifm,
    format=presentation.format_aifm_summary,
    row=presentation.aifm_summary_row,
    long_rows=presentation.long_rows,
    headline=presentation.headline,
    figures=presentation.figures,
    interactive_figures=presentation.interactive_figures,
    interactive_comparison=presentation.interactive_comparison,
    comparison_figures=presentation.comparison_figures,
    headline_table=presentation.headline_table,
    observations=presentation.observations,
    report_sections=presentation.report_sections,
    caption=presentation.caption,
    sensitivity_outputs=sensitivity_outputs,
    compare=presentation.format_comparison,
    batch_blocks=True,  # every draw is integrated on its own: the batch does not change a result
)

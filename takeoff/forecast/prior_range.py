"""How much a trajectory forecast's headline number rests on its labelled priors: P(hard or fast)
with each labelled prior (a ``dist = ...`` source: an assumption, not a fit's posterior) fixed
at its 10th and at its 90th percentile, one at a time, and the least and the most of those runs.

It is the tornado table's one-at-a-time scheme (``takeoff.forecast.sensitivity``: the same
quantile function of a prior, the same evaluation of rows of inputs), with one difference: the
other inputs are not held at their medians but drawn as in the forecast (posteriors jointly,
priors through the scenario's copula), the same draws in every run (common random numbers: the
runs differ only by the input held fixed). Each run is thus a forecast of P(hard or fast) with
one prior pinned. A scenario asks for it with ``[scenario] prior_range = true``; the forecast
(``takeoff.forecast.monte_carlo``) adds it to its summary (``add_prior_range``), at no more than
``MAX_DRAWS`` draws per run so that the main job stays quick.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.errors import TakeoffError
from takeoff.forecast.kinds.trajectory.measures import CLASSES, classify
from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sensitivity import distribution_quantile, evaluate, outputs_of
from takeoff.forecast.sources import BLOCK, FromDistribution, draw_block, load_posterior_draws

QUANTILES = (0.1, 0.9)  # each labelled prior is fixed at these percentiles, one at a time
MAX_DRAWS = 2_000  # draws per run (takeoff_from_data: six priors, twelve runs)
FAST = (CLASSES.index("hard"), CLASSES.index("fast"))


@dataclass(frozen=True)
class PriorRange:
    """P(hard or fast) with each labelled prior fixed: ``p[i, j]`` with ``inputs[i]`` at its
    ``quantiles[j]`` quantile (``values[i, j]``), over ``draws`` draws; ``base``: the same
    draws with nothing fixed."""

    inputs: tuple[str, ...]
    quantiles: tuple[float, ...]
    values: np.ndarray  # (inputs, quantiles)
    p: np.ndarray  # (inputs, quantiles)
    base: float
    draws: int

    @property
    def low(self) -> float:
        return float(self.p.min())

    @property
    def high(self) -> float:
        return float(self.p.max())


def labelled_priors(scenario: Scenario) -> list[str]:
    """The inputs drawn from a named distribution (not a counterfactual's)."""
    return [
        key
        for key, src in scenario.all_sources().items()
        if isinstance(src, FromDistribution) and not key.startswith("counterfactual.")
    ]


def prior_range(
    scenario: Scenario, draws: int = MAX_DRAWS, seed: int = 0, quantiles=QUANTILES
) -> PriorRange:
    """P(hard or fast) of ``scenario`` with each labelled prior fixed at each of ``quantiles``
    in turn, over the forecast's first ``draws`` draws (seeded by ``seed`` as the forecast)."""
    plain = dataclasses.replace(scenario, counterfactual=None)  # the scenario's own runs only
    keys = labelled_priors(plain)
    if not keys:
        raise TakeoffError(
            f"scenario {scenario.name}: prior_range needs at least one labelled prior "
            "(a parameter drawn from a named distribution)"
        )
    sources = plain.all_sources()
    posteriors = load_posterior_draws(sources)
    parts = [
        draw_block(sources, plain.correlations, posteriors, seed, index)
        for index in range(math.ceil(draws / BLOCK))
    ]
    base = {k: np.concatenate([p[k] for p in parts])[:draws] for k in sources}
    (duration,) = (o for o in outputs_of(plain) if o.name == "duration")

    def p_fast(columns) -> float:
        d = evaluate(plain, columns, [duration])["duration"]
        return float(np.isin(classify(d), FAST).mean())

    values = np.array([distribution_quantile(sources[k])(np.asarray(quantiles)) for k in keys])
    p = np.array(
        [
            [p_fast({**base, key: np.full(draws, v)}) for v in values[i]]
            for i, key in enumerate(keys)
        ]
    )
    return PriorRange(tuple(keys), tuple(quantiles), values, p, p_fast(base), draws)


def add_prior_range(summary: xr.Dataset, result: PriorRange) -> xr.Dataset:
    """``summary`` with the prior range: P(hard or fast) and the fixed value per input and
    quantile, the same draws with nothing fixed, and how many draws each run took."""
    ds = summary.assign_coords(
        prior_input=list(result.inputs), prior_quantile=list(result.quantiles)
    )
    dims = ("prior_input", "prior_quantile")
    ds["prior_fixed_value"] = (dims, result.values, {"long_name": "the labelled prior fixed"})
    ds["prior_fixed_p_hard_or_fast"] = (
        dims,
        result.p,
        {
            "long_name": "P(hard or fast) with the labelled prior fixed at the quantile, the "
            "other inputs drawn as in the forecast"
        },
    )
    ds.attrs.update(
        prior_range_draws=int(result.draws),
        prior_range_base=float(result.base),
    )
    return ds

"""Prior against the draws a forecast used: how much data narrowed each assumption of a scenario.

For each input of a scenario that has a declared prior, its prior draws beside the draws the
forecast actually used, and the ratio of their 90% interval widths (used / prior; of the
natural log for a log-normal or log-uniform prior, whose draws span orders of magnitude). The
declared prior is

- the scenario's own distribution for a labelled prior (``A_ai = { dist = ... }``): the draws
  used are then draws of that same prior and the ratio is 1 up to Monte Carlo error: the data
  did not narrow it;
- the fit's declared prior for an input drawn from a posterior (``A_ai = { posterior = ... }``):
  the prior of the fit's variable of that name (a fixed distribution, not one scaled by the data);
  the ratio then says how much the fit's data narrowed it.

The same code thus shows "not narrowed" for today's labelled priors and the narrowing once a fit
supplies them. An input is called narrowed when the ratio is below ``NARROWED`` (a tenth off the
prior's width, several times the Monte Carlo error of the widths at the default draws).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from takeoff.forecast.scenario import Scenario
from takeoff.forecast.sources import (
    BLOCK,
    FromDistribution,
    FromPosterior,
    draw_block,
    load_posterior_draws,
)
from takeoff.models.narrowing import interval_width, width_ratio

DRAWS = 4_000  # draws of each side (the forecast's first draws; the prior by its quantiles)
NARROWED = 0.9  # used / prior width of the 90% interval below this: the data narrowed it
LOG_KINDS = ("lognormal", "loguniform")  # priors on a scale parameter: widths in ln


@dataclass(frozen=True)
class PriorAgainstDraws:
    """One input: its declared prior, where the forecast's draws came from, both sets of draws
    and the ratio of their 90% interval widths (``log``: widths of the natural log)."""

    name: str
    prior: str  # the declared prior, described
    source: str  # where the forecast's draws come from, described
    prior_draws: np.ndarray
    used: np.ndarray
    log: bool

    def width(self, values: np.ndarray) -> float:
        return interval_width(values, self.log)

    @property
    def ratio(self) -> float:
        return width_ratio(self.prior_draws, self.used, self.log)

    @property
    def narrowed(self) -> bool:
        return bool(self.ratio < NARROWED)


def declared_prior(scenario: Scenario, name: str):
    """(distribution, transform, description) of the prior declared for input ``name``: the
    scenario's own distribution, or the prior of the posterior's fit for that variable; None
    when there is none (a fixed value, a derived variable or a prior scaled by the data)."""
    src = scenario.parameters.get(name)
    if isinstance(src, FromDistribution):
        return src.distribution, src.transform, src.describe()
    if not isinstance(src, FromPosterior):
        return None
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.distributions import Distribution
    from takeoff.models.fits.exports import spec_of
    from takeoff.models.fits.reading import AT

    spec = spec_of(load_posterior(src.source, []))
    variable = src.variable.split(AT, 1)[0]
    if spec is None:
        return None
    for prior in spec.priors:
        if prior.name == variable and isinstance(prior.distribution, Distribution):
            text = f"{spec.name}'s prior {prior.distribution.describe()}"
            return prior.distribution, src.transform, src.transform.describe(text)
    return None


def prior_against_draws(
    scenario: Scenario, draws: int = DRAWS, seed: int = 0
) -> list[PriorAgainstDraws]:
    """Every input of ``scenario`` with a declared prior (``declared_prior``), its prior (exact
    quantiles on an even grid) against the first ``draws`` draws the forecast with ``seed``
    used (the same blocks ``forecast`` draws)."""
    names = [n for n in scenario.parameters if declared_prior(scenario, n) is not None]
    if not names:
        return []
    sources = scenario.all_sources()
    posteriors = load_posterior_draws(sources)
    blocks = [
        draw_block(sources, scenario.correlations, posteriors, seed, b)
        for b in range(math.ceil(draws / BLOCK))
    ]
    u = (np.arange(draws) + 0.5) / draws
    out = []
    for name in names:
        distribution, transform, text = declared_prior(scenario, name)
        prior = np.asarray(transform(distribution.ppf(u)), float)
        used = np.concatenate([b[name] for b in blocks])[:draws]
        out.append(
            PriorAgainstDraws(
                name=name,
                prior=text,
                source=scenario.parameters[name].describe(),
                prior_draws=prior,
                used=used,
                log=distribution.kind in LOG_KINDS and bool(np.all(used > 0)),
            )
        )
    return out


def add_prior_posterior(summary: xr.Dataset, checks: list[PriorAgainstDraws]) -> xr.Dataset:
    """``summary`` with, per input with a declared prior, the 90% widths of prior and draws
    used, their ratio and where the draws came from (the details print them)."""
    if not checks:
        return summary
    ds = summary.assign_coords(declared_input=[c.name for c in checks])
    dim = ("declared_input",)
    ds["prior_width90"] = (dim, [c.width(c.prior_draws) for c in checks])
    ds["used_width90"] = (dim, [c.width(c.used) for c in checks])
    ds["width_ratio90"] = (
        dim,
        [c.ratio for c in checks],
        {"long_name": "90% width of the draws used over the declared prior's (ln: log priors)"},
    )
    ds["declared_prior"] = (dim, [c.prior for c in checks])
    ds["declared_source"] = (dim, [c.source for c in checks])
    return ds


def prior_posterior_lines(summary: xr.Dataset) -> list[str]:
    """The details' lines: each input's prior against the draws used, and which data did not
    narrow."""
    if "width_ratio90" not in summary:
        return []
    rows = [["input", "declared prior", "draws used", "90% width used / prior"]]
    flat = []
    for name in summary["declared_input"].values:
        ratio = float(summary["width_ratio90"].sel(declared_input=name))
        rows.append(
            [
                str(name),
                str(summary["declared_prior"].sel(declared_input=name).values),
                str(summary["declared_source"].sel(declared_input=name).values),
                f"{ratio:.2f}",
            ]
        )
        if not ratio < NARROWED:
            flat.append(str(name))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    table = ["   " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    verdict = (
        f"   not narrowed by any data (ratio >= {NARROWED:g}): {', '.join(flat)}"
        if flat
        else "   every declared prior was narrowed by data"
    )
    return [
        "   prior against the draws the forecast used (ratio of 90% widths, of ln for "
        "log-normal and log-uniform priors; 1 = the data did not narrow it):",
        *table,
        verdict,
    ]

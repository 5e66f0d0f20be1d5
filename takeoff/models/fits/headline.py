"""Plain-text summaries of a fit: its title and data, then the quantities a reader comes for
(each fit's own lines, :mod:`takeoff.models.fits.key_results`), and the probability of the
regime the nested model excludes (e.g. P(eps > 0)). Above the registry: it finds a posterior's
fit by name (the pieces the fits write their lines with are in
:mod:`takeoff.models.fits.intervals`)."""

from __future__ import annotations

import numpy as np

from takeoff.formatting import source_name
from takeoff.models.fits.key_results import key_results
from takeoff.models.fits.registry import get_fit


def headline(idata) -> list[str]:
    """The fit's key results as lines of text."""
    attrs = idata.posterior.attrs
    spec = get_fit(attrs["fit_name"])
    source = source_name(str(attrs.get("data_source")))
    lines = [
        f"{spec.name}: {spec.title}",
        f"data: {source} ({attrs.get('n_observations')} observations); "
        f"fixed: {attrs.get('fixed', 'none')}; sampler {attrs.get('sampler')}, "
        f"seed {attrs.get('seed')}",
    ]
    return lines + key_results(spec.name, idata)


def regime_probabilities(idata) -> dict[str, float]:
    """P(parameter > its nested value) for each nested parameter the fit left free, e.g.
    {"eps": P(eps > 0)}: how much the posterior favours the regime the nested model excludes."""
    spec = get_fit(idata.posterior.attrs["fit_name"])
    out = {}
    for name, value in spec.nested.items():
        if name in idata.posterior and np.ptp(idata.posterior[name].values) > 0:
            out[name] = float((idata.posterior[name].values > value).mean())
    return out

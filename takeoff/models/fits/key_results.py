"""The fits' key results as text, keyed by fit name: what ``takeoff fit`` prints under a fit's
title and data, the report and the dashboard's Fits page show beside its posterior
(``KEY_RESULTS``: InferenceData -> lines), and the fit's key numbers as one row of the table of
compared regimes printed beside the LOO comparison (``REGIME_SUMMARIES``: InferenceData ->
{column: text}, ``takeoff fit --compare``). Each function is written in its fit's module; a fit
without an entry has no key results (or no regime table) of its own. Above the fit modules,
beside the registry, like the fits' figures in :mod:`takeoff.plots.fit_figures`.
"""

from __future__ import annotations

from collections.abc import Callable

from takeoff.models.fits import (
    algorithmic_progress,
    capability,
    chinchilla,
    effective_readout,
    gwp_hyperbolic,
    horizon_dynamics,
    horizon_readout,
    returns_curve,
    returns_domains,
    software_returns,
    software_returns_lm,
    trends,
)

KEY_RESULTS: dict[str, Callable[..., list[str]]] = {
    "chinchilla": chinchilla.key_results,
    "returns_curve": returns_curve.key_results,
    "compute_trend": trends.key_results,
    "hardware_trend": trends.key_results,
    "capability_vs_compute": capability.key_results,
    "horizon_dynamics": horizon_dynamics.key_results,
    "horizon_readout": horizon_readout.key_results,
    "effective_readout": effective_readout.key_results,
    "gwp_hyperbolic": gwp_hyperbolic.key_results,
    "algorithmic_progress": algorithmic_progress.key_results,
    "software_returns": software_returns.key_results,
    "software_returns_lm": software_returns_lm.key_results,
    "returns_domains": returns_domains.key_results,
}

REGIME_SUMMARIES: dict[str, Callable[..., dict[str, str]]] = {
    "algorithmic_progress": algorithmic_progress.regime_summary,
    "software_returns": software_returns.regime_summary,
    "software_returns_lm": software_returns_lm.regime_summary,
}


def key_results(name: str, idata) -> list[str]:
    """The lines of fit ``name``'s key results for ``idata`` (none for a fit without an entry)."""
    lines = KEY_RESULTS.get(name)
    return [] if lines is None else lines(idata)

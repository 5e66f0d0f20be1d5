"""Bounded caches over the library calls the pages make.

``st.cache_data`` (results copied per session; small, picklable answers) for simulations,
forecast summaries, tables and diagnostics; ``st.cache_resource`` (one shared object) for the
shipped fits, which are read-only. Every cache has ``max_entries`` so memory stays bounded
however long the server runs. A ``TakeoffError`` raised inside is not cached: it reaches the
page, which shows its message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from takeoff.dashboards import explore as _explore


@st.cache_data(max_entries=64, show_spinner=False)
def explore(
    family: str,
    centre: tuple[tuple[str, float], ...],
    y0: tuple[tuple[str, float], ...],
    years: float,
    quantity: str,
    spread: float,
    draws: int,
    seed: int,
) -> _explore.Sweep:
    from takeoff.dashboards import explore as _explore

    return _explore.explore(family, dict(centre), dict(y0), years, quantity, spread, draws, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def regime_grid(
    family: str,
    x: str,
    y: str,
    others: tuple[tuple[str, float], ...],
    y0: tuple[tuple[str, float], ...],
    years: float,
) -> _explore.RegimeGrid:
    from takeoff.dashboards import explore as _explore

    return _explore.regime_grid(family, x, y, dict(others), dict(y0), years)


# --- forecasts -------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def builtin_text(name: str) -> str:
    """A built-in scenario's TOML text, read (parsing it reads the posteriors it names)."""
    from takeoff.forecast.stored import builtin_text as read

    text = read(name)
    if text is None:
        from takeoff.forecast.loading import load_scenario

        return load_scenario(name).text  # the one-line error of an unknown name
    return text


def scenario(text: str, where: str):
    """A parsed scenario (parsing is fast and a Scenario is not hashable: not cached)."""
    from takeoff.forecast.loading import parse_scenario

    return parse_scenario(text, where=where)


@st.cache_data(max_entries=48, show_spinner=False)
def forecast_summary(text: str, where: str, draws: int, seed: int):
    """The forecast summary (xarray Dataset) of a scenario given as TOML text: the stored one
    when its inputs were computed before (:mod:`takeoff.forecast.stored`), else computed now
    and stored in the user's cache."""
    return _stored_or_computed(scenario(text, where), draws, seed)


def _stored_or_computed(parsed, draws: int, seed: int):
    from takeoff.forecast import stored
    from takeoff.forecast.monte_carlo import forecast

    found = stored.load(parsed, draws, seed)
    if found is not None:
        return found
    summary = forecast(parsed, draws=draws, seed=seed).summary
    stored.save(summary, parsed, draws, seed, by="the dashboard")
    return summary


@st.cache_resource(show_spinner=False)
def board():
    """The server's one :class:`~takeoff.dashboards.summaries.Board`: stored summaries read
    once per process, missing ones computed in a background thread."""
    from takeoff.dashboards.summaries import Board

    return Board()


@st.cache_data(max_entries=16, show_spinner=False)
def forecast_without_feedback(text: str, where: str, draws: int, seed: int):
    """The forecast summary of a scenario with its ``[counterfactual]`` parameters applied
    (takeoff_from_data: A_ai = 0, the feedback off), as a scenario of its own."""
    from takeoff.dashboards.chain import without_feedback

    return _stored_or_computed(without_feedback(scenario(text, where)), draws, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def observations(text: str, where: str) -> tuple:
    """The observed data behind a scenario's forecast (for its fan chart)."""
    from takeoff.forecast.kinds import observations as observed

    return observed(scenario(text, where))


@st.cache_data(max_entries=32, show_spinner=False)
def tornado(text: str, where: str, output: str):
    from takeoff.forecast.sensitivity import tornado_table

    return tornado_table(scenario(text, where), output)


@st.cache_data(max_entries=8, show_spinner=False)
def sobol(text: str, where: str, n: int, seed: int):
    from takeoff.forecast.sensitivity import sobol as run_sobol

    return run_sobol(scenario(text, where), n=n, seed=seed)


# --- fits ------------------------------------------------------------------------------------


@st.cache_resource(max_entries=16, show_spinner=False)
def shipped_fit(stem: str):
    """A shipped fit (ArviZ InferenceData, read-only) by file stem."""
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits import load_fit

    return load_fit(posteriors_dir() / f"{stem}.nc")


@st.cache_data(max_entries=16, show_spinner=False)
def shipped_diagnostics(stem: str):
    from takeoff.models.fits import diagnose, get_fit

    idata = shipped_fit(stem)
    return diagnose(idata, get_fit(idata.posterior.attrs["fit_name"]).summary_vars)


@st.cache_data(max_entries=8, show_spinner=False)
def shipped_comparison(stems: tuple[str, ...]):
    from takeoff.models.fits import compare
    from takeoff.models.fits.compare import label

    fits = {label(shipped_fit(s)): shipped_fit(s) for s in stems}
    return compare(fits)


@st.cache_data(max_entries=16, show_spinner=False)
def shipped_fit_data(stem: str):
    """A shipped fit's data and posterior predictive in data units."""
    from takeoff.models.fits.predictive import fit_data

    return fit_data(shipped_fit(stem))


@st.cache_data(max_entries=16, show_spinner=False)
def shipped_headline(stem: str) -> list[str]:
    from takeoff.models.fits.headline import headline

    return headline(shipped_fit(stem))


def regime_key(stem: str) -> str:
    """The label a fit's own figures know a shipped posterior by: "" for the fit as run, else
    the name of the compared Regime it is (matched by its fixed parameters and variant)."""
    from takeoff.models.fits import get_fit
    from takeoff.models.fits.ship import SHIPPED

    entry = SHIPPED[stem]
    if not entry.is_regime:
        return ""
    for regime in get_fit(entry.fit).regimes:
        if dict(regime.fixed) == entry.fixed and regime.variant == entry.variant:
            return regime.name
    return stem


@st.cache_data(max_entries=8, show_spinner=False)
def shipped_figures(stems: tuple[str, ...]) -> dict[str, bytes]:
    """A fit's own figures (:mod:`takeoff.plots.fit_figures`: those ``takeoff fit --figures``
    writes) drawn from its shipped posteriors ``stems`` (the fit as run first, then its
    regimes), as PNG bytes by figure name. Numpy and matplotlib only: nothing is sampled or
    compiled."""
    import io

    import matplotlib.pyplot as plt

    from takeoff.models.fits import get_fit
    from takeoff.plots.fit_figures import fit_figures

    spec = get_fit(shipped_fit(stems[0]).posterior.attrs["fit_name"])
    draw = fit_figures(spec.name)
    if draw is None:
        return {}
    fits = {regime_key(stem): shipped_fit(stem) for stem in stems}
    out = {}
    for name, figure in draw(fits).items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        plt.close(figure)
        out[name] = buffer.getvalue()
    return out


# --- data ------------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def dataset(name: str):
    from takeoff.data import load

    return load(name)


@st.cache_data(max_entries=16, show_spinner=False)
def provenance(name: str) -> str:
    from takeoff.data import provenance as read

    return read(name)

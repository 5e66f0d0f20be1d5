"""Which returns to research a scenario uses and where they come from, in one line.

Returns to research are r = lambda / beta of the Jones law dS/dt = theta S^(1-beta) R^lambda
(doublings of software per doubling of research input). A scenario takes them from a fit's
posterior, either as ``beta`` and ``lambda`` drawn jointly (``takeoff_from_data`` and its
variants, ``software_explosion``) or as ``r`` itself (``sie_fitted``'s ``r0``; ``r_population``
of ``returns_domains`` for a scenario about software in general). :func:`returns_statement`
finds those sources and states r of the posterior they are drawn from (median, 90% interval,
P(r > 1)) and the fit's words for its research input, e.g.

    returns to research: r = lambda / beta = 0.81 [90%: 0.35 to 1.9], P(r > 1) = 0.40, from
    software_returns_lm: the LM path, R = a CES of human labour and experiment compute ...

A scenario whose r is a prior (the published SIE's r0) says so. No simulation, no PyMC: the
posterior is read as the scenario reads it.
"""

from __future__ import annotations

import numpy as np

from takeoff.forecast.sources import FromDistribution, FromPosterior, Source
from takeoff.formatting import source_name

R_VARIABLES = ("r", "r_population")  # posterior quantities that are r itself
R_KEYS = ("r", "r0")  # scenario keys that take r itself


def _where(posterior, fit: str, variable: str) -> str:
    """The fit's words for the returns it estimated (its research input)."""
    attrs = posterior.attrs
    if fit == "software_returns_lm":
        from takeoff.models.fits.software_returns_lm import INPUTS

        variant = str(attrs.get("variant") or "ces")
        what = INPUTS.get(variant, INPUTS["labour"])
        return f"the language-model path (Jones law), R = {what} (AI Futures Project estimates)"
    if fit == "returns_domains":
        domains = ", ".join(str(d) for d in posterior["domain"].values)
        if variable == "r_population":
            what = "r_population, the predictive r of a new software domain"
            return f"{what} (pooled over {domains})"
        return f"r per domain, pooled over {domains}"
    if fit == "software_returns":
        return "the NanoGPT speedrun records, R = people credited"
    from takeoff.models.fits.exports import spec_of

    spec = spec_of(posterior)
    return spec.title if spec is not None else "a user's posterior"


def _summary(r: np.ndarray) -> str:
    r = r[np.isfinite(r)]
    lo, mid, hi = np.quantile(r, [0.05, 0.5, 0.95])
    return f"{mid:.3g} [90%: {lo:.3g} to {hi:.3g}], P(r > 1) = {np.mean(r > 1):.2f}"


def _posterior_line(src: FromPosterior, names: tuple[str, ...], label: str) -> str:
    from takeoff.data.posteriors import load_posterior
    from takeoff.models.fits.exports import resolve

    posterior = load_posterior(src.source)
    fit = str(posterior.attrs.get("fit_name", "")) or source_name(src.source)
    draws = resolve(posterior, list(names), source_name(src.source))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = draws[names[0]] / draws[names[1]] if len(names) == 2 else draws[names[0]]
    r = src.transform(r) if len(names) == 1 else r
    return (
        f"returns to research: {label} = {_summary(np.asarray(r, float))}, from {fit}: "
        f"{_where(posterior, fit, names[0])}"
    )


def returns_statement(sources: dict[str, Source]) -> str | None:
    """The one line saying which r the scenario uses and where it comes from, or None if the
    scenario takes no returns to research (``beta`` and ``lambda``, or ``r``/``r0``)."""
    beta, lam = sources.get("beta"), sources.get("lambda")
    if isinstance(beta, FromPosterior) and isinstance(lam, FromPosterior):
        if beta.source == lam.source and beta.transform == lam.transform:
            return _posterior_line(lam, (lam.variable, beta.variable), "r = lambda / beta")
    for key in R_KEYS:
        src = sources.get(key)
        if isinstance(src, FromPosterior):
            label = f"{key} = {src.transform.describe(src.variable)}"
            return _posterior_line(src, (src.variable,), label)
        if isinstance(src, FromDistribution):
            return (
                f"returns to research: {key} = {src.describe()}, a prior (not a posterior of "
                "takeoff's fits)"
            )
    if beta is not None or lam is not None:
        given = ", ".join(f"{k} = {s.describe()}" for k, s in (("beta", beta), ("lambda", lam))
                          if s is not None)  # fmt: skip
        return f"returns to research: {given} (not drawn jointly from one posterior)"
    return None

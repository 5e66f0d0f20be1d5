"""Interactive (plotly) figures of the returns to research, for the report and the dashboard:
the forest plot of r per software domain with the population's predictive band and r = 1
marked (the interactive twin of :func:`takeoff.plots.static.forest`, same quantiles), and the
research inputs of the language-model fit (human labour, experiment compute and the composite R
the fit built from them, per posterior draw). Inputs are draws and series; no model maths."""

from __future__ import annotations

import numpy as np

from takeoff.plots import plotly_parts as pp

POPULATION = "a new domain (population)"
DOMAIN_COLOUR = "rgb(31, 119, 180)"
POPULATION_COLOUR = "rgb(255, 127, 14)"


def forest_chart(
    draws: dict[str, np.ndarray],
    population: np.ndarray | None = None,
    *,
    mark: float | None = 1.0,
    xlabel: str = "r = lambda / beta (returns to research)",
    title: str = "Returns to research across software domains (partially pooled)",
):
    """A row per domain: median (circle), 50% (thick) and 90% (thin) intervals; the
    population's predictive r as a last row and a shaded 50% / 90% band; a dotted line at
    ``mark`` (r = 1: the explosion threshold). Log x axis."""
    go = pp.graph_objects()
    rows = list(draws) + ([POPULATION] if population is not None else [])
    values = [np.asarray(v, float).ravel() for v in draws.values()]
    if population is not None:
        values.append(np.asarray(population, float).ravel())
    fig = go.Figure()
    if population is not None:
        q = np.quantile(values[-1], [0.05, 0.25, 0.75, 0.95])
        for (lo, hi), alpha, label in (
            ((q[0], q[3]), 0.12, "population 90%"),
            ((q[1], q[2]), 0.22, "population 50%"),
        ):
            fig.add_vrect(
                x0=lo,
                x1=hi,
                fillcolor=POPULATION_COLOUR,
                opacity=alpha,
                line_width=0,
                layer="below",
            )
            _legend_entry(
                fig,
                label,
                mode="markers",
                marker={
                    "color": POPULATION_COLOUR,
                    "opacity": alpha * 3,
                    "symbol": "square",
                    "size": 12,
                },
            )
    for name, x in zip(rows, values, strict=True):
        q = np.quantile(x[np.isfinite(x)], [0.05, 0.25, 0.5, 0.75, 0.95])
        colour = POPULATION_COLOUR if name == POPULATION else DOMAIN_COLOUR
        hover = f"{name}: median {q[2]:.3g}, 50% {q[1]:.3g}-{q[3]:.3g}, 90% {q[0]:.3g}-{q[4]:.3g}"
        for lo, hi, width in ((q[0], q[4], 2), (q[1], q[3], 8)):  # 90% thin, 50% thick
            fig.add_scatter(
                x=[lo, hi],
                y=[name, name],
                mode="lines",
                showlegend=False,
                line={"color": colour, "width": width},
                hoverinfo="skip",
            )
        fig.add_scatter(
            x=[q[2]],
            y=[name],
            mode="markers",
            showlegend=False,
            name=name,
            marker={"color": "white", "size": 10, "line": {"color": colour, "width": 2}},
            hovertext=hover,
            hoverinfo="text",
        )
    if mark is not None:
        fig.add_vline(x=mark, line={"dash": "dot", "color": "black"})
        _legend_entry(
            fig,
            f"r = {mark:g}: explosion threshold",
            mode="lines",
            line={"dash": "dot", "color": "black"},
        )
    fig.update_layout(
        pp.layout_spec(title, height=90 + 42 * len(rows)),
        xaxis=pp.axis(xlabel, log=True),
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": rows[::-1],
            "automargin": True,
        },
    )
    return fig


def _legend_entry(fig, name: str, **style) -> None:
    """A legend item without data (for what the figure draws as a shape: a band, a line)."""
    fig.add_scatter(x=[None], y=[None], name=name, **style)


def research_inputs_chart(
    time: np.ndarray,
    labour: np.ndarray,
    compute: np.ndarray,
    log_r: np.ndarray,
    *,
    title: str = "Research inputs of the language-model fit (estimates), each 1 at 2012",
):
    """Human labour L and experiment compute C (lines) and the composite research input R the
    fit built from them (median line, 50% and 90% bands over the posterior draws of its share
    and elasticity), on a log axis."""
    go = pp.graph_objects()
    r = np.exp(np.asarray(log_r, float))
    bands = {q: np.quantile(r, q, axis=0) for q in (0.05, 0.25, 0.5, 0.75, 0.95)}
    fig = go.Figure(pp.band_traces(time, bands, names=("R: 90% of posterior draws", "R: 50%")))
    fig.add_scatter(
        x=time,
        y=bands[0.5],
        mode="lines",
        name="R = CES(L, C): median",
        line={"color": DOMAIN_COLOUR, "width": 2.5},
    )
    for y, name, colour in (
        (labour, "L: human AI-R&D labour", "black"),
        (compute, "C: experiment compute", "rgb(214, 39, 40)"),
    ):
        fig.add_scatter(x=time, y=y, mode="lines+markers", name=name, line={"color": colour})
    fig.update_layout(
        pp.layout_spec(title, height=420),
        xaxis=pp.axis("year"),
        yaxis=pp.axis("relative to 2012", log=True),
    )
    return fig


# --- from the fits' posteriors to the figures' inputs (shared by the report and the Fits page) ---

LM_PARAMETERS = ("sigma_ces", "a", "lambda", "beta", "r")  # in the prior-against-posterior panels
LM_LOG = ("sigma_ces", "beta", "r")
LM_LABELS = {
    "sigma_ces": "sigma (CES elasticity)",
    "a": "a (labour's share at 2012)",
    "lambda": "lambda",
    "beta": "beta",
    "r": "r = lambda / beta",
}


def domain_draws(posterior) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """r per domain ({name: draws}) and r_population of a returns_domains posterior."""
    r = posterior["r"].transpose("domain", ...)
    draws = {str(d): np.asarray(r.sel(domain=d).values, float).ravel() for d in r["domain"].values}
    return draws, np.asarray(posterior["r_population"].values, float).ravel()


def lm_prior_posterior(posterior) -> tuple[dict, dict]:
    """Draws of the software_returns_lm fit's declared priors and of its posterior, for
    sigma_ces, a, lambda, beta and r (those the fitted variant has)."""
    from takeoff.models.fits import software_returns as returns
    from takeoff.models.fits import software_returns_lm as returns_lm

    constants = {
        k.removeprefix("const_"): float(v)
        for k, v in posterior.attrs.items()
        if k.startswith("const_")
    }
    variant = posterior.attrs.get("variant") or "ces"
    prior = returns.prior_draws(returns_lm.SOFTWARE_RETURNS_LM, constants, variant=variant)
    prior.update(returns_lm.share_prior_draws(constants))
    names = [n for n in LM_PARAMETERS if n in posterior and n in prior]
    return {n: prior[n] for n in names}, {n: returns.flat(posterior, n) for n in names}


def lm_inputs_chart(posterior, n: int = 400):
    """The research inputs of a software_returns_lm posterior (L, C and R per draw)."""
    from takeoff.models.fits.software_returns_lm import research_input_draws

    d = research_input_draws(posterior, n)
    return research_inputs_chart(d["time"], d["labour"], d["compute"], d["log_r"])

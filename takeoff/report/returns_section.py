"""The report's section on the returns to research r = lambda / beta (issue 23): which r the
forecasts use and from where; r across software domains (the forest plot of the hierarchical
``returns_domains`` fit, with the population's predictive band and r = 1 marked, and its
table); the language-model fit's research inputs (human labour, experiment compute and the
composite R per posterior draw); and prior against posterior of sigma (CES elasticity), the
share a, lambda, beta and r with the ratio of their 90% interval widths. Built from the
shipped posteriors; a section of its own so it merges beside the others."""

from __future__ import annotations

import numpy as np

from takeoff import formatting
from takeoff.plots.blocks import Figure, Section, TableBlock, Text

INTRO = (
    "Whether takeoff is fast hangs on the returns to research r = lambda / beta of the Jones "
    "law dS/dt = theta S^(1-beta) R^lambda: doublings of software per doubling of research "
    "input; with research input growing with the software level, r > 1 is a software "
    "intelligence explosion. Every forecast that takes returns to research (takeoff_from_data "
    "and its variants, software_explosion, sie_fitted) draws them from one posterior, "
    "software_returns_lm: the language-model path with R a CES of human labour and experiment "
    "compute. The other software domains are shown beside it, pooled in returns_domains."
)


def _domain_table(draws: dict, population: np.ndarray) -> formatting.Table:
    rows = []
    for name, x in [*draws.items(), ("a new domain (r_population)", population)]:
        lo, mid, hi = np.quantile(x, [0.05, 0.5, 0.95])
        rows.append((name, formatting.number(mid, 3), f"{lo:.3g} to {hi:.3g}",
                     f"{np.mean(x > 1):.2f}"))  # fmt: skip
    return formatting.Table(
        "r per software domain (returns_domains, partially pooled)",
        ("domain", "median r", "90% interval", "P(r > 1)"),
        tuple(rows),
        note="The endpoint domains (CV + DL, SAT, LP, Atari) identify the ratio of growth "
        "rates g_A / g_I, not beta and lambda apart; the language-model path and the speedrun "
        "enter through their own fits.",
    )


def returns_section() -> Section | None:
    """The section, or None if neither returns posterior ships."""
    from takeoff.data.posteriors import load_posterior, shipped_names
    from takeoff.forecast.returns_source import returns_statement
    from takeoff.forecast.sources import FromPosterior
    from takeoff.plots import returns_charts
    from takeoff.plots.prior_posterior import prior_posterior_chart, prior_posterior_table

    have = set(shipped_names())
    blocks: list = [Text(INTRO, kind="rationale")]
    if "software_returns_lm" in have:
        used = {k: FromPosterior("software_returns_lm", k) for k in ("beta", "lambda")}
        blocks.append(Text("The forecasts' " + returns_statement(used) + ".", kind="numbers"))
    if "returns_domains" in have:
        draws, population = returns_charts.domain_draws(load_posterior("returns_domains"))
        blocks += [
            Figure(
                returns_charts.forest_chart(draws, population),
                name="returns_forest",
                caption="r per domain: median (circle), 50% (thick) and 90% (thin) intervals; "
                "the shaded band is the predictive r of a new software domain (50% and 90%); "
                "dotted: r = 1, the explosion threshold.",
            ),
            TableBlock(_domain_table(draws, population)),
        ]
    if "software_returns_lm" in have:
        post = load_posterior("software_returns_lm")
        priors, posts = returns_charts.lm_prior_posterior(post)
        blocks += [
            Figure(
                returns_charts.lm_inputs_chart(post),
                name="returns_lm_inputs",
                caption="The language-model fit's research inputs (AI Futures Project "
                "estimates, each 1 at 2012): human AI-R&D labour L, experiment compute C, and "
                "the composite R = CES(L, C) per posterior draw of its share and elasticity. "
                "The data (perplexities against parameters and tokens) are in the Fits section.",
            ),
            Figure(
                prior_posterior_chart(
                    priors,
                    posts,
                    log=returns_charts.LM_LOG,
                    marks={"r": 1.0},
                    labels=returns_charts.LM_LABELS,
                    title="software_returns_lm: prior (grey) against posterior (blue)",
                ),
                name="returns_lm_prior_posterior",
                caption="Width ratio: the posterior's 90% interval over the prior's (log scale "
                "for sigma, beta and r); near 1 the parameter stays a labelled prior.",
            ),
            TableBlock(
                prior_posterior_table(
                    priors,
                    posts,
                    log=returns_charts.LM_LOG,
                    title="software_returns_lm: prior against posterior",
                    note="sigma and a are labelled priors: the single language-model path "
                    "cannot tell them apart, and r for the composite input inherits their "
                    "width.",
                )
            ),
        ]
    if len(blocks) == 1:
        return None
    return Section("Returns to research", blocks, anchor="returns")

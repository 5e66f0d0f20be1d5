"""Prior against posterior of any fit's parameters (plotly, for the report and the dashboard):
one panel per parameter with the prior's and the posterior's densities over shared bins, and
the ratio of their 90% interval widths, the number that says whether the data informed a
parameter (near 1: it stays a labelled prior) or identified it (well below 1).

Generic: the caller passes draws (``{name: prior draws}``, ``{name: posterior draws}``), e.g.
from a fit's declared priors and its posterior; nothing here knows a fit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from takeoff import formatting
from takeoff.models.narrowing import finite_draws as _finite
from takeoff.models.narrowing import width_ratio
from takeoff.plots import plotly_parts as pp

PRIOR_COLOUR = "rgba(140, 140, 140, 0.45)"
POSTERIOR_COLOUR = "rgba(31, 119, 180, 0.5)"


def verdict(ratio: float) -> str:
    """Words for a width ratio: identified, weakly identified, or a labelled prior."""
    if not np.isfinite(ratio):
        return "no prior width"
    if ratio < 0.5:
        return "identified"
    return "weakly identified" if ratio < 0.85 else "not identified: a labelled prior"


def _interval(x, log: bool) -> str:
    lo, mid, hi = np.quantile(_finite(x, log), [0.05, 0.5, 0.95])
    return f"{formatting.number(mid, 3)} [{formatting.number(lo, 3)}, {formatting.number(hi, 3)}]"


def prior_posterior_table(
    priors: dict, posteriors: dict, *, log: Sequence[str] = (), title: str = "", note: str = ""
) -> formatting.Table:
    """A row per parameter: prior and posterior median [90%], the ratio of 90% widths and its
    verdict."""
    rows = []
    for name, post in posteriors.items():
        is_log = name in log
        ratio = width_ratio(priors[name], post, is_log)
        rows.append(
            (
                name,
                _interval(priors[name], is_log),
                _interval(post, is_log),
                f"{ratio:.2f}" + (" (log scale)" if is_log else ""),
                verdict(ratio),
            )
        )
    header = ("parameter", "prior median [90%]", "posterior median [90%]",
              "posterior/prior 90% width", "reading")  # fmt: skip
    return formatting.Table(title or "Prior against posterior", header, tuple(rows), note=note)


def prior_posterior_chart(
    priors: dict,
    posteriors: dict,
    *,
    log: Sequence[str] = (),
    marks: dict[str, float] | None = None,
    labels: dict[str, str] | None = None,
    title: str = "",
    bins: int = 50,
):
    """One panel per posterior parameter: prior (grey) and posterior (blue) densities over
    shared bins (log-spaced for the names in ``log``), a dotted line at ``marks[name]`` (e.g.
    r = 1), the panel titled with the ratio of 90% widths."""
    from plotly.subplots import make_subplots

    names = list(posteriors)
    labels = labels or {}
    titles = [
        f"{labels.get(n, n)}<br>width ratio {width_ratio(priors[n], posteriors[n], n in log):.2f}"
        for n in names
    ]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=titles, horizontal_spacing=0.06)
    for col, name in enumerate(names, start=1):
        is_log = name in log
        prior, post = _finite(priors[name], is_log), _finite(posteriors[name], is_log)
        lo, hi = np.quantile(np.concatenate([prior, post]), [0.005, 0.995])
        edges = np.geomspace(lo, hi, bins + 1) if is_log else np.linspace(lo, hi, bins + 1)
        centres = np.sqrt(edges[:-1] * edges[1:]) if is_log else 0.5 * (edges[:-1] + edges[1:])
        scale = np.log if is_log else np.asarray  # densities per unit of the axis's scale
        for draws, colour, label in (
            (prior, PRIOR_COLOUR, "prior"),
            (post, POSTERIOR_COLOUR, "posterior"),
        ):
            density, _ = np.histogram(scale(draws), bins=scale(edges), density=True)
            fig.add_scatter(
                x=centres,
                y=density,
                mode="lines",
                line={"color": colour, "shape": "hvh", "width": 1},
                fill="tozeroy",
                fillcolor=colour,
                name=label,
                legendgroup=label,
                showlegend=col == 1,
                row=1,
                col=col,
            )
        if marks and name in marks:
            fig.add_vline(x=marks[name], line={"dash": "dot", "color": "black"}, row=1, col=col)
        fig.update_xaxes(type="log" if is_log else "linear", row=1, col=col)
        fig.update_yaxes(showticklabels=False, row=1, col=col)
    fig.update_layout(pp.layout_spec(title, height=340))
    fig.update_layout(margin={"t": 90})
    return fig

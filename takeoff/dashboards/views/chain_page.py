"""The loop: the takeoff_from_data chain walked link by link for a presenter. Each fitted link
with its data and posterior in data units (compute trend, algorithmic progress, Chinchilla,
the read-out of METR horizons from effective compute, the returns to research), then the
labelled priors on AI labour with their reasons, then the resulting fan of METR horizons on
the real METR points with the feedback on or off (off: the scenario's counterfactual, A_ai =
0), the milestone table with the years the feedback pulls each forward, and the data-period
check. Shipped posteriors are read with xarray; nothing imports PyMC."""

import pandas as pd
import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.chain import (
    LINKS,
    PRIORS,
    SCENARIO,
    VARIANTS,
    automation_figure,
    chinchilla_on_compute,
    draws_of,
    fixed_loss_figure,
    milestone_rows,
    posterior_group,
)
from takeoff.dashboards.page_tools import (
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
)
from takeoff.forecast.scenario import builtin_names
from takeoff.models.fits.predictive import fit_data_file
from takeoff.plots import interactive

# after page_tools.CONTROLS_CSS (which hides every control in presentation mode); more specific
KEEP_TOGGLE_CSS = (
    "<style>div.stElementContainer.st-key-feedback {display: block !important;}</style>"
)
DRAWS = (500, 1_000, 2_000, 5_000, 10_000)
DEFAULT_DRAWS = 2_000
CHAIN = """\
physical compute C  x  software S  =  effective compute E
  -> loss (Chinchilla)  -> METR horizon H (read-out)
  -> share of AI research automated  -> AI researchers
  -> research input R = humans + AI  -> software S (Jones law)  -> back to E"""


def link_data(stem: str):
    """A shipped fit's observations and posterior predictive in data units (xarray only)."""
    from takeoff.data.posteriors import posteriors_dir

    data = fit_data_file(posteriors_dir() / f"{stem}.nc", predictive=True)
    return chinchilla_on_compute(data) if stem == "chinchilla" else data


def link_section(link, figures: list) -> None:
    st.subheader(link.title, anchor=f"link-{link.key}")
    st.markdown(link.says)
    lines = cached.shipped_headline(link.stem)
    st.markdown("\n".join(f"- {line}" for line in lines[2:]))  # the results; not title, data
    st.caption(lines[1].removeprefix("data: "))
    data = link_data(link.stem)
    fig = interactive.fit_predictive(
        data, title=f"{link.stem}: observations and the posterior predictive"
    )
    figures.append((f"{link.key}_data", fig))
    if link.key == "algorithmic":
        left, right = st.columns(2)
        left.plotly_chart(fig, key=f"{link.key}_data")
        extra = fixed_loss_figure(float(data.x.min()), float(data.x.max()))
        right.plotly_chart(extra, key=f"{link.key}_halving")
        figures.append((f"{link.key}_halving", extra))
    elif link.key == "returns":
        left, right = st.columns(2)
        left.plotly_chart(fig, key=f"{link.key}_data")
        post = posterior_group(link.stem)
        extra = interactive.posteriors(post, ["beta", "lambda", "r"], columns=3)
        extra.update_layout(
            title={"text": f"{link.stem}: posteriors of beta, lambda and r"},
            margin={"t": 80},
            height=360,
        )
        right.plotly_chart(extra, key=f"{link.key}_posteriors")
        figures.append((f"{link.key}_posteriors", extra))
        r = draws_of(link.stem, ("r",))["r"]
        st.info(
            f"An ESTIMATE with labour-only R: P(r > 1) = {(r > 1).mean():.3f} over the "
            f"{r.size} shipped draws. In the loop, the returns are r = lambda rho / beta: AI "
            "researchers scale with effective compute with elasticity rho (a prior, below)."
        )
    else:
        st.plotly_chart(fig, key=f"{link.key}_data")


def priors_section(scenario, summary, figures: list) -> pd.DataFrame:
    from takeoff.dashboards.chain import prior_rows

    st.subheader("6. AI researchers: labelled priors, not fits", anchor="link-priors")
    st.markdown(
        "No data yet say when AI does AI research. These inputs are **priors**, each with "
        f"the reason written in the scenario file: {', '.join(PRIORS)}."
    )
    table = pd.DataFrame(prior_rows(scenario, summary))
    st.dataframe(table, hide_index=True, width="stretch")
    fig = automation_figure(scenario)
    st.plotly_chart(fig, key="priors_automation")
    figures.append(("priors_automation", fig))
    return table


def main() -> None:
    present = presentation_mode()
    names = [n for n in VARIANTS if n in builtin_names()]
    st.title("The loop: takeoff from data, link by link")
    c1, c2, c3, c4 = st.columns([2.2, 1.2, 1.4, 0.8])
    name = c1.selectbox(
        "Scenario",
        names,
        index=names.index(SCENARIO) if SCENARIO in names else 0,
        key="scenario",
        bind="query-params",
    )
    feedback = c2.toggle(
        "AI feedback on",
        True,
        key="feedback",
        bind="query-params",
        help="Off: the same scenario with AI labour switched off (A_ai = 0): software grows "
        "with human research only.",
    )
    draws = c3.select_slider(
        "Draws",
        DRAWS,
        value=DEFAULT_DRAWS,
        key="draws",
        bind="query-params",
        format_func=str,
    )
    seed = c4.number_input("Seed", 0, 999, 0, key="seed", bind="query-params")
    if present:  # the one control a presenter flips in front of the room stays visible
        st.markdown(KEEP_TOGGLE_CSS, unsafe_allow_html=True)
    text = cached.builtin_text(name)
    where = f"{name}.toml"
    scenario = cached.scenario(text, where)
    st.markdown(f"**{scenario.name}**: {scenario.title}")
    st.code(CHAIN, language=None)

    figures: list = []
    for link in LINKS:
        link_section(link, figures)

    with st.spinner(f"Running {draws:,} draws of the loop..."):
        summary = cached.forecast_summary(text, where, int(draws), int(seed))
        shown = (
            summary
            if feedback
            else cached.forecast_without_feedback(text, where, int(draws), int(seed))
        )
    prior_table = priors_section(scenario, summary, figures)

    st.subheader("7. The loop closed: METR horizons forecast", anchor="link-forecast")
    state = "ON" if feedback else "OFF (A_ai = 0: human research only)"
    st.markdown(f"AI feedback **{state}**. The fan is the forecast; black points are METR's.")
    observed = cached.observations(text, where)
    fan = interactive.fan_chart(shown, observations=observed)
    st.plotly_chart(fan, key="loop_fan")
    figures.append(("loop_fan", fan))
    last = str(summary.attrs.get("takeoff_to") or summary["milestone"].values[-1])
    prefix = "" if feedback else "counterfactual_"
    q = summary[f"{prefix}milestone_date"].sel(milestone=last, quantile=0.5)
    pulled = summary["pulled_forward"].sel(milestone=last, quantile=0.5)
    m1, m2 = st.columns(2)
    label = last.replace("_", " ")
    m1.metric(f"{label}: median date", f"{float(q):.1f}" if abs(float(q)) < 1e6 else "not reached")
    m2.metric(f"feedback pulls {label} forward (median)", f"{float(pulled):+.1f} yr")
    rows = pd.DataFrame(milestone_rows(summary, feedback))
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(
        "Milestone dates "
        + ("with the feedback on" if feedback else "with the feedback off (the same draws)")
        + "; the last column compares the two on the same draws."
    )
    check = str(summary.attrs.get("data_check", "")).strip()
    if check:
        st.markdown(f"**Data-period check.** {check}")
    if present:
        leave_presentation_link()
        return
    download_view(
        f"loop_{name}",
        f"The loop: {scenario.name}",
        lambda: _view_blocks(scenario, rows, prior_table, figures, check),
        {
            f"loop_{name}_milestones.csv": (lambda: rows.to_csv(index=False), "text/csv"),
            f"loop_{name}_priors.csv": (lambda: prior_table.to_csv(index=False), "text/csv"),
        },
    )


def _table(title: str, frame: pd.DataFrame):
    from takeoff.formatting import Table

    rows = tuple(tuple(str(v) for v in row) for row in frame.itertuples(index=False))
    return Table(title, tuple(str(c) for c in frame.columns), rows)


def _view_blocks(scenario, rows, prior_table, figures, check) -> list:
    from takeoff.report.blocks import Figure, TableBlock, Text

    blocks = [Text(scenario.rationale, kind="rationale"), Text(CHAIN)]
    blocks += [Figure(fig, name=f"loop_{key}") for key, fig in figures]
    blocks += [
        TableBlock(_table("Labelled priors on AI researchers", prior_table)),
        TableBlock(_table("Milestones", rows)),
    ]
    if check:
        blocks.append(Text(check, kind="caption"))
    return blocks


run_page(main)

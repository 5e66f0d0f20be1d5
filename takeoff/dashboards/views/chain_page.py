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
    fit_table,
    fixed_loss_figure,
    milestone_rows,
    years_text,
)
from takeoff.dashboards.page_tools import (
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
)
from takeoff.data.posteriors import shipped_group
from takeoff.forecast.scenario import builtin_names
from takeoff.models.fits.predictive import fit_data_file
from takeoff.plots import interactive

# after page_tools.CONTROLS_CSS (which hides every control in presentation mode); more specific
KEEP_TOGGLE_CSS = (
    "<style>div.stElementContainer.st-key-feedback, div.stElementContainer.st-key-step "
    "{display: block !important;}</style>"
)
# the "Show" control: the whole chain, or one link at a time (sections 1-7) for a presenter;
# the options are their own labels, so the address reads ?step=chinchilla
STEPS = ("all", *(link.key for link in LINKS), "priors", "forecast")
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
        post = shipped_group(link.stem)
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
            f"{r.size} shipped draws. In the loop, the returns are r = lambda rho / beta: the "
            "number of AI researchers the inference compute can run grows as S^rho (the compute "
            "per copy falls with software efficiency; rho a prior, below)."
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
    narrowing_section(scenario, summary, figures)
    return table


@st.cache_resource(max_entries=16, show_spinner=False)  # frozen results: shared, not copied
def _prior_against_draws(text: str, where: str, seed: int) -> list:
    from takeoff.forecast.prior_posterior import prior_against_draws

    return prior_against_draws(cached.scenario(text, where), seed=seed)


def narrowing_section(scenario, summary, figures: list) -> None:
    """Each declared prior against the draws the forecast used, and the grouped Sobol indices
    of the date, the duration and hard-or-fast (from the forecast's summary)."""
    from takeoff.forecast.headline_sobol import sobol_frame
    from takeoff.forecast.prior_posterior import prior_posterior_lines
    from takeoff.plots.scenario_details import group_sobol_bars, prior_against_draws

    checks = _prior_against_draws(
        scenario.text, f"{scenario.name}.toml", int(summary.attrs["seed"])
    )
    if checks:
        st.markdown(
            "**Did data narrow them?** Each input with a declared prior: the prior against the "
            "draws the forecast used, and the ratio of their 90% interval widths (1: no data "
            "narrowed it; a labelled prior is drawn from itself)."
        )
        fig = prior_against_draws(checks)
        st.plotly_chart(fig, key="priors_narrowing")
        figures.append(("priors_narrowing", fig))
        verdict = prior_posterior_lines(summary)[-1:] if "width_ratio90" in summary else []
        if verdict:
            st.caption(verdict[0].strip())
    frame = sobol_frame(summary)
    if len(frame):
        st.markdown(
            "**What decides the forecast?** Grouped Sobol indices: the share of each output's "
            "variance from the data (posterior draws, each fit's kept joint) and from the "
            f"labelled priors ({summary.attrs['sobol_runs']:,} runs)."
        )
        fig = group_sobol_bars(frame)
        st.plotly_chart(fig, key="priors_sobol")
        figures.append(("priors_sobol", fig))


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
        key="loop_draws",
        bind="query-params",
        format_func=str,
    )
    seed = c4.number_input("Seed", 0, 999, 0, key="loop_seed", bind="query-params")
    step = st.radio(
        "Show (the whole chain, or link by link)",
        STEPS,
        horizontal=True,
        key="step",
        bind="query-params",
        help="One link at a time, to walk a room through the chain; the address keeps it",
    )
    if present:  # the controls a presenter uses in front of the room stay visible
        st.markdown(KEEP_TOGGLE_CSS, unsafe_allow_html=True)
    text = cached.builtin_text(name)
    where = f"{name}.toml"
    scenario = cached.scenario(text, where)
    st.markdown(f"**{scenario.name}**: {scenario.title}")
    st.code(CHAIN, language=None)

    figures: list = []
    for link in LINKS:
        if step in ("all", link.key):
            link_section(link, figures)
    prior_table = rows = None
    check = ""
    if step in ("all", "priors", "forecast"):
        prior_table, rows, check = loop_sections(
            scenario, text, where, int(draws), int(seed), feedback, step, figures
        )
    if present:
        leave_presentation_link()
        return
    data = {}
    if rows is not None:
        data[f"loop_{name}_milestones.csv"] = (lambda: rows.to_csv(index=False), "text/csv")
    if prior_table is not None:
        data[f"loop_{name}_priors.csv"] = (lambda: prior_table.to_csv(index=False), "text/csv")
    if not data:  # a fit's link alone: its data and posterior predictive
        shown = [link for link in LINKS if link.key == step]
        frame = fit_table(link_data(shown[0].stem))
        data[f"loop_{shown[0].stem}_data.csv"] = (lambda: frame.to_csv(index=False), "text/csv")
    download_view(
        f"loop_{name}",
        f"The loop: {scenario.name}",
        lambda: _view_blocks(scenario, rows, prior_table, figures, check),
        data,
    )


def loop_sections(scenario, text, where, draws, seed, feedback, step, figures):
    """Sections 6 (the priors) and 7 (the fan, the milestones, the data-period check), as
    ``step`` asks; returns (prior table or None, milestone table or None, check line)."""
    with st.spinner(f"Running {draws:,} draws of the loop..."):
        summary = cached.forecast_summary(text, where, draws, seed)
        shown = summary if feedback else cached.forecast_without_feedback(text, where, draws, seed)
    prior_table = None
    if step in ("all", "priors"):
        prior_table = priors_section(scenario, summary, figures)
    if step == "priors":
        return prior_table, None, ""

    st.subheader("7. The loop closed: METR horizons forecast", anchor="link-forecast")
    state = "ON" if feedback else "OFF (A_ai = 0: human research only)"
    st.markdown(f"AI feedback **{state}**. The fan is the forecast; black points are METR's.")
    observed = cached.observations(text, where)
    fan = interactive.fan_chart(shown, observations=observed, names=builtin_names())
    st.plotly_chart(fan, key="loop_fan")
    figures.append(("loop_fan", fan))
    last = str(summary.attrs.get("takeoff_to") or summary["milestone"].values[-1])
    prefix = "" if feedback else "counterfactual_"
    q = summary[f"{prefix}milestone_date"].sel(milestone=last, quantile=0.5)
    pulled = summary["pulled_forward"].sel(milestone=last, quantile=0.5)
    m1, m2 = st.columns(2)
    label = last.replace("_", " ")
    m1.metric(f"{label}: median date", f"{float(q):.1f}" if abs(float(q)) < 1e6 else "not reached")
    m2.metric(f"feedback pulls {label} forward (median)", years_text(float(pulled)))
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
    return prior_table, rows, check


def _table(title: str, frame: pd.DataFrame):
    from takeoff.formatting import Table

    rows = tuple(tuple(str(v) for v in row) for row in frame.itertuples(index=False))
    return Table(title, tuple(str(c) for c in frame.columns), rows)


def _view_blocks(scenario, rows, prior_table, figures, check) -> list:
    from takeoff.plots.blocks import Figure, TableBlock, Text

    blocks = [Text(scenario.rationale, kind="rationale"), Text(CHAIN)]
    blocks += [Figure(fig, name=f"loop_{key}") for key, fig in figures]
    if prior_table is not None:
        blocks.append(TableBlock(_table("Labelled priors on AI researchers", prior_table)))
    if rows is not None:
        blocks.append(TableBlock(_table("Milestones", rows)))
    if check:
        blocks.append(Text(check, kind="caption"))
    return blocks


run_page(main)

"""Fits: the shipped posteriors of the Bayesian fits (data with posterior-predictive bands,
parameter posteriors, diagnostics with warnings, the fit's own figures in data units, the LOO
regime comparison), and fitting a user's CSV (size-limited, validated, columns mapped to the
fit's roles) with visible progress. The returns-to-research fits say in plain words what r
means and what each data set says, with the numbers read from the shipped posteriors.
Nothing samples on page load: PyMC is imported only when "Fit" is pressed."""

import dataclasses
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from takeoff.dashboards import cached
from takeoff.dashboards.page_tools import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    download_view,
    leave_presentation_link,
    presentation_mode,
    run_page,
    upload_bytes,
)
from takeoff.data.posteriors import shipped_names
from takeoff.errors import TakeoffError
from takeoff.models.fits import FITS, get_fit
from takeoff.models.fits.diagnostics import ESS_MIN_PER_CHAIN, RHAT_MAX
from takeoff.models.fits.predictive import fit_data
from takeoff.models.fits.ship import SHIPPED
from takeoff.plots import interactive

THRESHOLDS = f"R-hat <= {RHAT_MAX:g}, ESS >= {ESS_MIN_PER_CHAIN} per chain and no divergences"

DEFAULT = "horizon_dynamics"
DRAWS = (100, 200, 500, 1000)
CHAINS = 2
NONE = "(none)"
RETURNS_FITS = {  # the returns-to-research fits, shown side by side: (data set, research input)
    "software_returns": (
        "NanoGPT speedrun records (fixed hardware, fixed target loss)",
        "people credited on records in the trailing 180 days",
    ),
    "software_returns_lm": (
        "language-model effective compute (Ho et al. 2024 data)",
        "a CES of human AI R&D labour and experiment compute (the AI Futures Project's "
        "ESTIMATED series; share and elasticity labelled priors)",
    ),
}
FIGURE_CAPTIONS = {
    "records": "Records against date (black) with the fitted law's posterior band (median, "
    "50% and 90%) and the 94% posterior predictive interval at each record; below it, the "
    "research input R(t) the law was fitted with and the alternative construction.",
    "compute_needed": "Physical compute needed to reach a fixed loss, relative to the first "
    "year shown, with its 50% and 90% posterior bands: it falls as algorithms improve.",
    "pairs": "Posterior draws of the scaling exponents against the rates of algorithmic "
    "progress: a ridge (exponent x rate = constant) is what the data do not separate.",
    "prior_posterior": "Prior (grey) against posterior (blue); the dotted line marks r = 1. "
    "Where the two coincide the data did not inform the parameter: it stays a labelled prior.",
    "forest": "Returns to research r per software domain: median (circle), 50% (thick) and 90% "
    "(thin) posterior intervals, partially pooled; the shaded band and the last row are the "
    "predictive r of a new software domain (r_population); the dotted line marks r = 1.",
}
R_MEANING = (
    "**What r means.** The fit's law of motion is dS/dt = theta S^(1-beta) R^lambda: research "
    "input R (people) raises the software level S, each gain is harder to get than the last "
    "(beta: *ideas get harder to find*) and doubling the researchers less than doubles their "
    "output (lambda <= 1). Suppose the research labour itself grows with the software (as it "
    "would once AI systems do the research, rho = 1). Then the growth rate of S goes as "
    "S^(lambda - beta), and the returns to software R&D are **r = lambda / beta**: with "
    "**r > 1** every improvement makes the next one faster, so progress compounds (a software "
    "intelligence explosion); with **r < 1** ideas get harder to find faster than the research "
    "effort grows, and progress slows down."
)
HALVING_MEANING = (
    "**What the halving time means.** Algorithmic progress makes parameters and data count for "
    "more over time; `compute_halving_months` is the time in which the physical training "
    "compute needed to reach a fixed loss halves (12 ln 2 / g_total, exact for every target "
    "loss). The data identify the total rate g_total; how it splits between parameters and "
    "data (phi) is a labelled prior, and the split moves the halving time (see the regimes)."
)


def shipped_stems(fit_name: str) -> list[str]:
    """The shipped posteriors of a fit: the free one first, then its nested regimes."""
    have = set(shipped_names())
    stems = [s for s, entry in SHIPPED.items() if entry.fit == fit_name and s in have]
    return sorted(stems, key=lambda s: SHIPPED[s].is_regime)


def show_fit(idata, diagnostics, key: str, thinned: bool = False, data=None) -> None:
    """Posterior predictive (in data units: ``data``, or read from ``idata``), posteriors and
    diagnostics of one fit; ``thinned``: a shipped posterior (a few hundred draws kept of a run
    checked for convergence before shipping)."""
    spec = get_fit(idata.posterior.attrs["fit_name"])
    ppc, post, diag = st.tabs(["Data and posterior predictive", "Posteriors", "Diagnostics"])
    with ppc:
        if "posterior_predictive" not in idata.groups():
            st.info("This fit has no posterior predictive group.")
        else:
            data = fit_data(idata) if data is None else data
            by_index = st.toggle("x axis: observation index", False, key=f"{key}.index")
            if by_index:
                n = data.observed.size
                data = dataclasses.replace(
                    data, x=np.arange(n, dtype=float), xlabel="observation", log_x=False
                )
            fig = interactive.fit_predictive(
                data, title=f"{spec.name}: observations and the posterior predictive"
            )
            st.plotly_chart(fig, key=f"{key}.ppc")
    with post:
        names = [v for v in spec.summary_vars if v in idata.posterior]
        st.plotly_chart(interactive.posteriors(idata.posterior, names), key=f"{key}.post")
    with diag:
        cols = ["mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"]
        st.dataframe(diagnostics.table[cols].style.format("{:.4g}"))
        total = diagnostics.draws * diagnostics.chains
        st.markdown(
            f"Divergences: **{diagnostics.divergences}** of {total:,} draws "
            f"({diagnostics.chains} chains x {diagnostics.draws} draws)."
        )
        if diagnostics.ppc_coverage is not None:
            st.markdown(
                f"Posterior predictive check: **{diagnostics.ppc_coverage:.0%}** of the "
                "observations lie inside the 94% predictive interval (about 94% expected)."
            )
        if diagnostics.converged:
            st.success(f"Converged: {THRESHOLDS}.")
        elif thinned:
            st.info(
                "Thresholds not met by the thinned draws: "
                + "; ".join(diagnostics.problems)
                + f". This shipped posterior keeps {diagnostics.draws} draws per chain of a run "
                f"that met {THRESHOLDS} before it was thinned (a fit that fails is not shipped), "
                "so ESS here is capped by the thinning. Refit with `takeoff fit` for the full "
                "diagnostics."
            )
        else:
            st.warning(
                "NOT CONVERGED: "
                + "; ".join(diagnostics.problems)
                + ". Do not trust this posterior; fit with more draws."
            )


def _interval(x: np.ndarray) -> str:
    lo, mid, hi = np.quantile(x, [0.05, 0.5, 0.95])
    return f"{mid:.2g} [{lo:.2g}, {hi:.2g}]"


def returns_table(fits: dict) -> pd.DataFrame:
    """r = lambda / beta of each returns fit (name -> InferenceData) side by side: data set,
    research input, median and 90% interval of r, beta and lambda, and P(r > 1)."""
    rows = []
    for name, idata in fits.items():
        post = idata.posterior
        r = np.asarray(post["r"].values, float).reshape(-1)
        what, research = RETURNS_FITS[name]
        rows.append(
            {
                "fit": name,
                "data set": what,
                "research input R": research,
                "r (median [90%])": _interval(r),
                "P(r > 1)": f"{np.mean(r > 1):.3f}",
                "beta": _interval(np.asarray(post["beta"].values, float).reshape(-1)),
                "lambda": _interval(np.asarray(post["lambda"].values, float).reshape(-1)),
            }
        )
    return pd.DataFrame(rows)


def returns_story(table: pd.DataFrame) -> str:
    """What the two data sets say, in plain words, with their numbers from ``table``."""
    by = {row["fit"]: row for _, row in table.iterrows()}
    parts = []
    if "software_returns" in by:
        row = by["software_returns"]
        parts.append(
            f"- **NanoGPT speedrun** (`software_returns`): r = {row['r (median [90%])']}, "
            f"P(r > 1) = {row['P(r > 1)']}. Hardware and the target loss are fixed, so the "
            "falling record time is software alone. beta and lambda lie on a ridge and lambda "
            "presses on its bound 1, so r is identified *given lambda <= 1* (a labelled "
            "prior); with R counted as active spans instead, lambda is not identified and r is "
            "wider (the fit's `--compare`). The task is bounded (training time has a floor), "
            "which looks like a large beta and pulls r down."
        )
    if "software_returns_lm" in by:
        row = by["software_returns_lm"]
        parts.append(
            f"- **Language-model path** (`software_returns_lm`): r = {row['r (median [90%])']}, "
            f"P(r > 1) = {row['P(r > 1)']}. R is a CES of human labour and experiment "
            "compute, both *estimated* series; what the data see is roughly the growth of "
            "effective compute over the growth of R, whose share and elasticity the one path "
            "cannot identify (labelled priors, against their posteriors below), so r inherits "
            "their width. With labour alone in R the same path gives a much larger r "
            "(`--compare`). This is the r every forecast uses."
        )
    parts.append(
        "- **They measure different things**: a bounded task on fixed hardware, and a field "
        "whose compute grew with its people. Read them side by side; `returns_domains` "
        "pools them with four more software domains (partial pooling of ln r) for the r of a "
        "new domain."
    )
    return "\n".join(parts)


def returns_section(name: str) -> None:
    """The plain-words explanation of r and the two data sets' results side by side."""
    st.markdown(R_MEANING)
    have = set(shipped_names())
    fits = {n: cached.shipped_fit(n) for n in RETURNS_FITS if n in have}
    if not fits:
        return
    st.markdown("**What the two data sets say.**")
    table = returns_table(fits)
    st.dataframe(table, hide_index=True, key=f"returns_table.{name}")
    st.markdown(returns_story(table))


def returns_charts_section(name: str) -> None:
    """The returns fits' interactive figures (the report's returns section): r per domain as a
    table, the LM fit's research inputs and prior against posterior with width ratios."""
    from takeoff.plots import returns_charts
    from takeoff.plots.prior_posterior import prior_posterior_chart, prior_posterior_table

    post = cached.shipped_fit(name).posterior
    if name == "returns_domains":
        draws, population = returns_charts.domain_draws(post)
        rows = [*draws.items(), ("a new domain (r_population)", population)]
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "domain": d,
                        "r (median [90%])": _interval(x),
                        "P(r > 1)": f"{np.mean(x > 1):.3f}",
                    }
                    for d, x in rows
                ]
            ),
            hide_index=True,
            key="returns_domains_table",
        )
        return
    if name != "software_returns_lm" or "beta" not in post:
        return
    st.subheader("Research inputs and prior against posterior")
    st.plotly_chart(returns_charts.lm_inputs_chart(post), key="returns_lm_inputs")
    priors, posts = returns_charts.lm_prior_posterior(post)
    kw = {"log": returns_charts.LM_LOG}
    st.plotly_chart(
        prior_posterior_chart(priors, posts, marks={"r": 1.0}, labels=returns_charts.LM_LABELS,
                              title="Prior (grey) against posterior (blue)", **kw),
        key="returns_lm_prior_posterior",
    )  # fmt: skip
    table = prior_posterior_table(priors, posts, **kw)
    st.dataframe(pd.DataFrame(table.records()), hide_index=True, key="returns_lm_widths")


def figures_section(stems: list[str]) -> None:
    """The fit's own figures from its shipped posteriors (as ``takeoff fit --figures``)."""
    pngs = cached.shipped_figures(tuple(stems))
    if not pngs:
        return
    st.subheader("Figures of the fit (data units)")
    for name, png in pngs.items():
        st.image(png, caption=FIGURE_CAPTIONS.get(name, name))


def user_fit_section(spec) -> None:
    st.markdown(
        f"Fit **{spec.name}** to your own data: a CSV file (up to "
        f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB) with a header row. Map each role to a column."
    )
    st.dataframe(
        [
            {"role": r.name, "kind": r.kind, "required": r.required, "meaning": r.description}
            for r in spec.roles
        ],
        hide_index=True,
    )
    uploaded = st.file_uploader(
        "CSV file", type=["csv"], key="fits_upload", max_upload_size=MAX_UPLOAD_MB
    )
    if uploaded is None:
        return
    from takeoff.data.validate import read_table
    from takeoff.models.fits.tables import load_table

    data = upload_bytes(uploaded, "upload")
    table = read_table(Path(uploaded.name), f"'{uploaded.name}'", data)
    header = [h for h in table.header if h]
    mapping = {}
    columns = st.columns(len(spec.roles))
    named = {c for r in spec.roles for c in (r.column, r.name) if c in header}
    spare = iter([c for c in header if c not in named])
    for col, role in zip(columns, spec.roles, strict=True):
        options = header if role.required else [NONE, *header]
        default = next((c for c in (role.column, role.name) if c in header), None)
        if default is None:  # a required role takes the next column no role is named after
            default = next(spare, options[0]) if role.required else NONE
        choice = col.selectbox(
            f"{role.name} ({role.kind})",
            options,
            index=options.index(default),
            key=f"map.{spec.name}.{role.name}",
            help=role.description,
        )
        if choice != NONE:
            mapping[role.name] = choice
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(uploaded.name).name
        path.write_bytes(data)
        try:
            checked = load_table(spec, path, mapping)
        except TakeoffError as exc:  # the message names the temporary file: show the upload's
            raise TakeoffError(str(exc).replace(str(path), uploaded.name)) from None
    checked = dataclasses.replace(checked, source=uploaded.name)
    st.success(f"{len(checked.frame)} valid rows in {uploaded.name}.")
    with st.expander("The validated table"):
        st.dataframe(checked.frame, hide_index=True)
    draws = st.select_slider(
        "Draws per chain (and tuning steps)", DRAWS, value=200, key="fit_draws"
    )
    if st.button(f"Fit {spec.name} ({CHAINS} chains x {draws} draws)", key="run_fit"):
        with st.status(f"Fitting {spec.name} to {uploaded.name}...", expanded=True) as status:
            from takeoff.models.fits import diagnose, fit

            status.write("Importing PyMC and compiling the model (a few seconds the first time)...")
            status.write(f"Sampling {CHAINS} chains x {draws} draws after {draws} tuning steps...")
            idata = fit(spec, checked, draws=draws, tune=draws, chains=CHAINS, progress=False)
            status.write("Diagnostics...")
            diagnostics = diagnose(idata, spec.summary_vars)
            status.update(label=f"Fitted {spec.name} to {uploaded.name}", state="complete")
        st.session_state["user_fit"] = (spec.name, uploaded.name, idata, diagnostics)
    saved = st.session_state.get("user_fit")
    if saved and saved[0] == spec.name:
        _, source, idata, diagnostics = saved
        st.markdown(f"#### Your fit: {spec.name} on {source}")
        from takeoff.models.fits.headline import headline

        st.markdown("\n".join(f"- {line}" for line in headline(idata)))
        show_fit(idata, diagnostics, "user")


def predictive_table(data) -> pd.DataFrame:
    """The fit's observations with the posterior predictive's median and 90% interval at each,
    in data units (the Fits page's data download)."""
    frame = pd.DataFrame({data.xlabel: data.x, f"observed {data.ylabel}": data.observed})
    if data.predictive is not None:
        q05, q50, q95 = np.quantile(data.predictive, [0.05, 0.5, 0.95], axis=0)
        frame["predictive median"] = q50
        frame["predictive 5%"] = q05
        frame["predictive 95%"] = q95
    return frame


def _view_blocks(spec, lines, data, diagnostics, comparison=None) -> list:
    """The fit as report blocks: its key results, data and posterior predictive in data units,
    diagnostics and the LOO comparison."""
    from takeoff.plots.blocks import Figure, Text
    from takeoff.report.assemble import comparison_block, diagnostics_blocks

    blocks = [Text(line) for line in lines]
    if data.predictive is not None:
        blocks.append(Figure(interactive.fit_predictive(data), name=f"fit_{spec.name}"))
    blocks += diagnostics_blocks(diagnostics)
    if comparison is not None:
        blocks.append(comparison_block(comparison))
    return blocks


def main() -> None:
    present = presentation_mode()
    names = list(FITS)
    name = st.selectbox(
        "Fit",
        names,
        index=names.index(DEFAULT),
        key="fit",
        bind="query-params",
    )
    spec = get_fit(name)
    st.caption(
        f"**{spec.title}**. Data: {spec.dataset or 'none bundled'}; roles: "
        + ", ".join(f"{r.name} ({r.column})" for r in spec.roles)
        + (f". {spec.notes}" if spec.notes else "")
    )
    shipped, upload = st.tabs(["Shipped posterior", "Fit your own CSV"])
    with shipped:
        stems = shipped_stems(name)
        if not stems:
            st.info(
                f"No posterior of {name} ships with the package; fit it to your data in the "
                "next tab (or run `takeoff fit` on the command line)."
            )
        else:
            main_stem = stems[0]
            with st.spinner("Loading the shipped posterior..."):
                idata = cached.shipped_fit(main_stem)
                lines = cached.shipped_headline(main_stem)
                diagnostics = cached.shipped_diagnostics(main_stem)
            st.markdown("\n".join(f"- {line}" for line in lines))
            if name in RETURNS_FITS:
                returns_section(name)
            elif name == "algorithmic_progress":
                st.markdown(HALVING_MEANING)
            data = cached.shipped_fit_data(main_stem)
            show_fit(idata, diagnostics, "shipped", thinned=True, data=data)
            from takeoff.plots.fit_figures import FIGURES

            if name in FIGURES:
                figures_section(stems)
            if name in ("software_returns_lm", "returns_domains"):
                returns_charts_section(name)
            table = None
            if len(stems) > 1:
                st.subheader("Regime comparison (PSIS-LOO)")
                from takeoff.models.fits.compare import format_comparison

                table = cached.shipped_comparison(tuple(stems))
                st.dataframe(
                    table[
                        [
                            "rank",
                            "elpd_loo",
                            "p_loo",
                            "elpd_diff",
                            "dse",
                            "weight",
                            "pareto_k_over_0.7",
                        ]
                    ]
                )
                st.code(format_comparison(table), language=None)
                bad = int(table["pareto_k_over_0.7"].sum())
                if bad:
                    st.warning(
                        f"{bad} observation(s) have Pareto k > 0.7: LOO is unreliable there."
                    )
            if not present:
                download_view(
                    f"fit_{main_stem}",
                    f"{spec.name}: {spec.title}",
                    lambda: _view_blocks(spec, lines, data, diagnostics, table),
                    {
                        f"{main_stem}_data.csv": (
                            lambda: predictive_table(data).to_csv(index=False),
                            "text/csv",
                        )
                    },
                )
    with upload:
        try:
            user_fit_section(spec)
        except TakeoffError as exc:
            st.error(str(exc))
    if present:
        leave_presentation_link()


run_page(main)

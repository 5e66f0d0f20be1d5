"""returns_domains: what the table identifies, recovery of known per-domain r from domains
simulated by the hierarchical model, a reduced simulation-based calibration (the full one is
test_sbc.py's slow test_sbc_full), the key results and the forest plot of the shipped
posterior; and each domain alone through software_returns' user-table path, bad tables refused
with one line and nothing written."""

import math

import numpy as np
import pandas as pd
import pytest

from takeoff.cli import main
from takeoff.data import load
from takeoff.errors import TakeoffError
from takeoff.models.fits.fitspec import FitOptions
from takeoff.models.fits.registry import get_fit
from takeoff.models.fits.returns_domains import BALANCE_SD, SUMMARIES
from takeoff.models.fits.tables import bundled_table, prepare

DOMAINS = ["CV + DL", "SAT", "LP", "Atari (RL)"]
ALL = [*DOMAINS, "language models", "NanoGPT speedrun"]


def _prepared(frame=None):
    spec = get_fit("returns_domains")
    frame = bundled_table(spec)[0] if frame is None else frame
    return spec, prepare(spec, frame, FitOptions())


# --- the table and what it identifies --------------------------------------------------------


def test_prepared_rows_and_the_summaries_of_the_upstream_fits():
    from takeoff.data.posteriors import load_posterior

    _, prepared = _prepared()
    a = prepared.arrays
    assert prepared.levels == {"domain": tuple(ALL), "research_domain": tuple(DOMAINS)}
    assert prepared.n == 58 + 4 + 2  # every I row, one endpoint per domain, two summaries
    assert list(np.bincount(a["kind"].astype(int))) == [58, 4, 2]
    endpoint = a["y"][a["kind"] == 1]
    expected = [math.log(math.log(g) / t) for g, t in [(10321.2732, 10), (1448.1547, 21),
                                                         (9, 20), (43.8512, 5)]]  # fmt: skip
    np.testing.assert_allclose(endpoint, expected)
    assert prepared.constants["balance_sd"] == BALANCE_SD
    for _, fit, prefix in SUMMARIES:  # the shipped posteriors' ln r, as a normal
        log_r = np.log(load_posterior(fit)["r"].values.reshape(-1))
        assert prepared.constants[f"{prefix}_log_r_mean"] == pytest.approx(log_r.mean())
        assert prepared.constants[f"{prefix}_log_r_sd"] == pytest.approx(log_r.std())


def test_an_upstream_posterior_passed_in_replaces_the_shipped_one():
    import xarray as xr

    spec = get_fit("returns_domains")
    frame, _ = bundled_table(spec)
    r = xr.DataArray(np.exp(np.linspace(-1.0, 1.0, 400)).reshape(1, 400), dims=("chain", "draw"))
    given = xr.Dataset({"r": r}, attrs={"fit_name": "software_returns_lm"})
    prepared = prepare(spec, frame, FitOptions(), upstream={"software_returns_lm": given})
    assert prepared.constants["lm_log_r_mean"] == pytest.approx(0.0, abs=1e-12)
    wrong = given.assign_attrs(fit_name="software_returns")
    with pytest.raises(TakeoffError, match="is a software_returns fit; give a"):
        prepare(spec, frame, FitOptions(), upstream={"software_returns_lm": wrong})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: f.assign(growth=np.where(f["year"] == 1, 5.0, f["growth"])),
            "domain 'CV + DL' has 2 rows with a growth factor; give it on exactly one row of "
            "the domain",
        ),
        (
            lambda f: f.assign(growth=np.where(f["domain"] == "LP", np.nan, f["growth"])),
            "domain 'LP' has 0 rows with a growth factor; give it on exactly one row of the domain",
        ),
        (
            lambda f: f.assign(growth=np.where(f["growth"] == 9.0, 0.5, f["growth"])),
            "domain 'LP' has a growth factor 0.5 <= 1: the balanced-growth link ln A(T) / T = "
            "r g_I needs a software level that grew",
        ),
        (
            lambda f: f.drop(columns=["window"]),
            "returns_domains needs the software-level growth over the window: give --column "
            "growth=COLUMN (A(T)/A(0)) and --column window=COLUMN (T in years), on one row per "
            "domain",
        ),
        (
            lambda f: f[(f["domain"] != "Atari (RL)") | (f["year"] < 2)],
            "domain 'Atari (RL)' has 2 research-input row(s); give research input in at least 3 "
            "different years",
        ),
        (
            lambda f: f.assign(domain=f["domain"].replace("SAT", "language models")),
            "domain 'language models' is the name of a fitted domain; rename it in the table",
        ),
    ],
)
def test_bad_domain_tables_are_one_line(edit, message):
    spec = get_fit("returns_domains")
    frame, _ = bundled_table(spec)
    with pytest.raises(TakeoffError) as info:
        prepare(spec, edit(frame), FitOptions())
    assert str(info.value) == message


# --- recovery and calibration --------------------------------------------------------------


def _truth(n_domains, n_research, seed):
    rng = np.random.default_rng(seed)
    return {
        "mu": 0.2,
        "tau": 0.5,
        "z": rng.normal(size=n_domains),
        "z_new": 0.0,
        "c": rng.normal(0.0, 0.1, n_research),
        "g_I": np.exp(rng.normal(math.log(0.2), 0.8, n_research)),
        "sigma_I": np.full(n_research, 0.15),
    }


def _recover(prepared, truth, seed, draws):
    """Simulate from ``truth`` on ``prepared``'s covariates and fit: {what: (truth, draws)}
    for each domain's r, mu and tau, and the number of divergences."""
    from takeoff.models.fits.calibration import simulate, with_observed
    from takeoff.models.fits.fitting import sample

    spec = get_fit("returns_domains")
    data = with_observed(prepared, simulate(spec, prepared, truth, seed))
    idata = sample(
        spec, data, draws=draws, tune=draws, chains=2, seed=seed, progress=False,
        posterior_predictive=False, log_likelihood=False,
    )  # fmt: skip
    post = idata.posterior
    true_r = np.exp(truth["mu"] + truth["tau"] * np.asarray(truth["z"]))
    r = post["r"].transpose("domain", ...).values.reshape(len(true_r), -1)
    out = {f"r[{d}]": (t, x) for d, t, x in zip(post["domain"].values, true_r, r, strict=True)}
    for name in ("mu", "tau"):
        out[name] = (truth[name], post[name].values.reshape(-1))
    return out, int(idata.sample_stats["diverging"].values.sum())


def _inside(recovered, prob):
    lo, hi = (1 - prob) / 2, (1 + prob) / 2
    return {
        what: bool(np.quantile(x, lo) <= t <= np.quantile(x, hi))
        for what, (t, x) in recovered.items()
    }


def test_recovery_of_known_r_on_the_bundled_covariates():
    """Data simulated from known mu, tau and r_d on the real covariates (the four I series and
    windows, the two summaries' sds): every domain's r, mu and tau in the posterior's 95%."""
    pytest.importorskip("pymc")
    _, prepared = _prepared()
    recovered, divergences = _recover(prepared, _truth(6, 4, seed=3), seed=3, draws=300)
    inside = _inside(recovered, 0.95)
    assert all(inside.values()), inside
    assert divergences == 0


def _synthetic(n_domains, seed):
    """A table of ``n_domains`` endpoint domains: 12 years of research input each, a growth
    factor on the first row (the values are replaced by simulation; the covariates matter)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_domains):
        g = math.exp(rng.normal(math.log(0.2), 0.6))
        for year in range(12):
            first = year == 0
            rows.append(
                {
                    "domain": f"d{k}",
                    "year": float(year),
                    "research": 100.0 * math.exp(g * year),
                    "growth": 10.0 if first else np.nan,
                    "window": 12.0 if first else np.nan,
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_recovery_on_many_simulated_domains():
    """Sixteen simulated endpoint domains (plus the two summaries), four seeds: each domain's r
    inside its 90% interval in at least 80% of the 72 cases, mu and tau in their 99% always."""
    pytest.importorskip("pymc")
    _, prepared = _prepared(_synthetic(16, seed=0))
    r_inside, hyper_inside = [], []
    for seed in range(4):
        recovered, divergences = _recover(prepared, _truth(18, 16, seed=10 + seed), seed, 800)
        assert divergences == 0
        r_inside += [v for k, v in _inside(recovered, 0.9).items() if k.startswith("r[")]
        hyper_inside += [v for k, v in _inside(recovered, 0.99).items() if k in ("mu", "tau")]
    assert np.mean(r_inside) >= 0.8, np.mean(r_inside)
    assert all(hyper_inside)


def test_sbc_reduced():
    """Simulation-based calibration, reduced: 12 simulations from the prior on the bundled
    covariates, ranks among 49 thinned draws; no parameter's ranks reject uniformity at
    p < 1e-3 and few ranks pile at the ends. The full run (100 simulations) is test_sbc.py's
    slow test_sbc_full, which runs over every registered fit."""
    pytest.importorskip("nutpie")
    from takeoff.models.fits.calibration import sbc

    spec, prepared = _prepared()
    result = sbc(
        spec, prepared, sims=12, draws=150, tune=150, thin_to=49, bins=3, seed=6, progress=False
    )
    assert len(result.ranks) == 12
    ranked = {str(label).split("[")[0] for label in result.p_values.index}
    assert ranked == {p.name for p in spec.priors_for(prepared)}
    assert (result.p_values > 1e-3).all(), result.format()
    extremes = np.mean((result.ranks.values <= 1) | (result.ranks.values >= 48))
    assert extremes < 0.3, result.format()


# --- the shipped posterior: key results and figure -------------------------------------------


def _shipped():
    from takeoff.data.posteriors import posteriors_dir
    from takeoff.models.fits import load_fit

    return load_fit(posteriors_dir() / "returns_domains.nc", "returns_domains")


def test_shipped_posterior_has_r_per_domain_and_the_population():
    post = _shipped().posterior
    assert [str(d) for d in post["domain"].values] == ALL
    assert post["r"].dims[-1] == "domain"
    for name in ("r", "mu", "tau", "r_population"):
        assert np.isfinite(post[name].values).all()
    assert (post["tau"].values > 0).all() and (post["r"].values > 0).all()


def test_key_results_print_each_domain_what_it_identifies_and_the_population():
    from takeoff.models.fits.key_results import key_results

    idata = _shipped()
    lines = key_results("returns_domains", idata)
    text = "\n".join(lines)
    for d in ALL:
        assert f"  {d}: r " in text
    assert text.count("90% interval") >= 8
    assert "identifies the ratio g_A / g_I" in text and "not beta, lambda" in text
    assert "two-stage meta-analysis" in text
    new = idata.posterior["r_population"].values.reshape(-1)
    assert f"P(r > 1) = {np.mean(new > 1):.3f}" in text and "r_population (a new" in text


def test_forest_plot_of_the_shipped_posterior():
    from takeoff.plots.fit_figures import fit_figures

    figures = fit_figures("returns_domains")({"": _shipped()})
    assert list(figures) == ["forest"]
    ax = figures["forest"].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [*ALL, "a new domain (population)"]
    assert ax.get_xscale() == "log"
    assert any(line.get_xdata()[0] == 1.0 for line in ax.get_lines())  # r = 1 marked


# --- one domain alone through software_returns' user-table path -------------------------------


def domain_table(domain: str) -> pd.DataFrame:
    """One domain of the bundled table as a user would write it: an integer year column, the
    research input on every row, the software level on the first row (1) and at year T."""
    data = load("returns_domains")
    rows = data[data["domain"] == domain]
    growth, window = rows["A_total_growth_over_T"].iloc[0], rows["T_years"].iloc[0]
    years = rows["year_index"].astype(int).to_numpy()
    level = np.full(len(rows), np.nan)
    level[0] = 1.0
    level[years == window] = growth
    return pd.DataFrame(
        {"year": 2000 + years, "authors": rows["research_input_I"].to_numpy(), "level": level}
    )


COLUMNS = ["--column", "date=year", "--column", "research=authors", "--column",
           "performance=level"]  # fmt: skip


def test_one_domain_alone_through_the_user_table_path(tmp_path, monkeypatch, capsys):
    """SAT (research input at years 0..21, levels at 0 and 21): the fit runs on the endpoints,
    says what so few levels identify, and saves its posterior."""
    pytest.importorskip("pymc")
    monkeypatch.chdir(tmp_path)
    domain_table("SAT").to_csv("sat.csv", index=False)
    args = ["fit", "software_returns", "--data", "sat.csv", *COLUMNS, "--draws", "150",
            "--tune", "150", "--chains", "2", "--out", "sat.nc"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "only 2 software levels: the law's theta absorbs them" in out
    assert "research input R: the table's research column" in out
    from takeoff.models.fits import load_fit

    post = load_fit("sat.nc", "software_returns").posterior
    assert post.attrs["n_observations"] == 2
    assert post.attrs["const_t_ref"] == 2000.0 and post.attrs["const_tau_end"] == 21.0
    assert post.attrs["const_log_s_last"] == pytest.approx(math.log(1448.1547))


def _bad(frame, tmp_path, monkeypatch, capsys, columns=COLUMNS):
    monkeypatch.chdir(tmp_path)
    frame.to_csv("bad.csv", index=False)
    code = main(["fit", "software_returns", "--data", "bad.csv", *columns, "--out", "bad.nc"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1
    assert not (tmp_path / "bad.nc").exists()
    return err.strip()


def test_a_domain_whose_research_input_stops_before_its_last_level(tmp_path, monkeypatch, capsys):
    """CV + DL gives I at years 0..9 and A at year 10: a row with the level but no research
    input is refused (the research input must span the levels)."""
    last = pd.DataFrame({"year": [2010], "authors": [np.nan], "level": [10321.2732]})
    frame = pd.concat([domain_table("CV + DL"), last], ignore_index=True)
    assert _bad(frame, tmp_path, monkeypatch, capsys) == (
        "error: column 'authors' of 'bad.csv' has an empty cell in data row 11 (line 12); fill "
        "it in or delete the row"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: f.assign(level=np.nan),
            "error: software_returns: no row has a software level (performance) in the dates "
            "selected; give it on at least two rows (e.g. the first and the last date)",
        ),
        (
            lambda f: f.assign(level=np.where(f["year"] == 2000, 1.0, np.nan)),
            "error: software_returns: only one row has a software level (performance) in the "
            "dates selected; give it on at least two rows (e.g. the first and the last date)",
        ),
        (
            lambda f: f.assign(authors=np.where(f["year"] == 2003, 0, f["authors"])),
            "error: column 'authors' of 'bad.csv' must be positive because its logarithm is "
            "taken, but data row 4 (line 5) has 0.0; remove the row or correct the value",
        ),
        (
            lambda f: f.assign(level=np.where(f["year"] == 2021, -3.0, f["level"])),
            "error: column 'level' of 'bad.csv' must be positive because its logarithm is "
            "taken, but data row 22 (line 23) has -3.0; remove the row or correct the value",
        ),
        (
            lambda f: f.assign(year=np.where(f["year"] == 2003, 2001, f["year"])),
            "error: column 'year' of 'bad.csv' is not in time order: data row 4 (line 5) has "
            "2001, earlier than 2002 in the row above; sort the rows by date",
        ),
    ],
)
def test_bad_domain_tables_are_refused_with_one_line(tmp_path, monkeypatch, capsys, edit, message):
    assert _bad(edit(domain_table("SAT")), tmp_path, monkeypatch, capsys) == message


@pytest.mark.parametrize(
    ("edit", "columns", "message"),
    [
        (
            lambda f: f.iloc[:1],
            COLUMNS,
            "error: file 'bad.csv' has 1 data row but fitting 4 parameters needs at least 5 "
            "rows; add data rows",
        ),
        (
            lambda f: f.assign(authors=100.0),
            COLUMNS,
            "error: the research input is 100 on every row: returns to research cannot be "
            "measured from an input that never changes; give a research input that varies over "
            "the dates",
        ),
        (
            lambda f: f.assign(level=np.where(f["year"] == 2021, 1.0, f["level"])),
            COLUMNS,
            "error: the software level (performance) is 1 on every row that gives one: the law "
            "needs a software level that grew; give levels that change",
        ),
        (
            lambda f: f.assign(year=np.where(f["year"] == 2005, 2004, f["year"])),
            COLUMNS,
            "error: data rows 5 and 6 have the same date (2004); give one row per date with its "
            "research input and software level",
        ),
        (
            lambda f: f.assign(
                authors=f["authors"].astype(object).where(f["year"] != 2004, "many")
            ),
            COLUMNS,
            "error: column 'authors' of 'bad.csv' has a non-numeric value 'many' in data row 5 "
            "(line 6); give plain numbers such as 2.5 or 1e22",
        ),
        (
            lambda f: f.assign(level=f["level"].astype(object).where(f["year"] != 2021, "high")),
            COLUMNS,
            "error: column 'level' of 'bad.csv' has a non-numeric value 'high' in data row 22 "
            "(line 23); give plain numbers such as 2.5 or 1e22",
        ),
        (
            lambda f: f.assign(authors=np.where(f["year"] == 2004, np.inf, f["authors"])),
            COLUMNS,
            "error: column 'authors' of 'bad.csv' has a non-finite value 'inf' in data row 5 "
            "(line 6); give finite numbers",
        ),
        (
            lambda f: f,
            [
                "--column",
                "date=year",
                "--column",
                "research=writers",
                "--column",
                "performance=level",
            ],
            "error: column 'writers' not found in 'bad.csv'; available columns: year, authors, "
            "level",
        ),
    ],
)
def test_hostile_domain_tables_are_refused_with_one_line(
    tmp_path, monkeypatch, capsys, edit, columns, message
):
    """One row, a constant research input, a constant level, a repeated date, non-numeric and
    infinite cells, an unknown column: exit 2, one line saying what to do, nothing written."""
    frame = edit(domain_table("SAT"))
    assert _bad(frame, tmp_path, monkeypatch, capsys, columns) == message

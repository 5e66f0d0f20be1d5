"""The headline scenario's details: each declared prior against the draws the forecast used
(a labelled prior is not narrowed, a fitted one is) and the grouped Sobol indices as printed
(shares of variance; a group with no influence gets none)."""

import re

import numpy as np
import pytest
import xarray as xr

from takeoff.forecast.headline_sobol import add_group_sobol, group_sobol_lines, sobol_frame
from takeoff.forecast.loading import load_scenario, parse_scenario
from takeoff.forecast.prior_posterior import (
    NARROWED,
    add_prior_posterior,
    prior_against_draws,
    prior_posterior_lines,
)
from takeoff.forecast.sensitivity import sobol

LABELLED = ("S_max", "H_half", "w", "rho", "g_I", "A_ai")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("takeoff_from_data")


def test_labelled_priors_are_not_narrowed_and_a_fitted_one_is(scenario):
    checks = {c.name: c for c in prior_against_draws(scenario, draws=2000, seed=0)}
    for name in LABELLED:  # drawn from the prior itself: the widths agree within MC error
        assert checks[name].ratio == pytest.approx(1.0, abs=0.08), name
        assert not checks[name].narrowed
    # kappa comes from effective_readout's posterior; its declared prior is the fit's
    # lognormal(0, 1.5), whose 90% width in ln kappa is 2 * 1.645 * 1.5
    # nu is chinchilla's derived a: no prior of its own (not the Student-t nu of that fit)
    assert "nu" not in checks
    assert checks["rho"].log is False and checks["A_ai"].log is True  # uniform / log-uniform
    kappa = checks["kappa"]
    assert kappa.width(kappa.prior_draws) == pytest.approx(2 * 1.6449 * 1.5, rel=0.01)
    assert kappa.narrowed and kappa.ratio < NARROWED
    # the draws used are the forecast's: the first block of its draws with the seed
    from takeoff.forecast.sources import draw_block, load_posterior_draws

    sources = scenario.all_sources()
    first = draw_block(sources, scenario.correlations, load_posterior_draws(sources), 0, 0)
    np.testing.assert_array_equal(checks["A_ai"].used[:1000], first["A_ai"])


def test_the_details_name_the_priors_no_data_narrowed(scenario):
    summary = add_prior_posterior(xr.Dataset(), prior_against_draws(scenario, draws=2000))
    lines = prior_posterior_lines(summary)
    verdict = lines[-1]
    assert verdict.strip().startswith("not narrowed by any data")
    named = set(verdict.split(":", 1)[1].replace(" ", "").split(","))
    assert set(LABELLED) <= named and "kappa" not in named


@pytest.fixture(scope="module")
def no_feedback_summary(scenario):
    """Grouped Sobol of the loop with AI labour off and no ceiling: the labelled priors left
    (H_half, w, rho, g_I) act only through AI labour, so they have no influence at all."""
    text = scenario.text.replace(
        'A_ai = { dist = "loguniform", low = 0.1, high = 10.0 }', "A_ai = 0.0"
    ).replace('S_max = { dist = "loguniform", low = 1e3, high = 1e9 }', "S_max = inf")
    assert text.count("A_ai = 0.0") == 2 and "S_max = { dist" not in text
    quiet = parse_scenario(text, where="no_feedback.toml")
    result = sobol(quiet, n=64, seed=3, by="source")
    return add_group_sobol(xr.Dataset(), result)


def _printed(lines):
    """{(output label, group): (S1, S1 conf, ST, ST conf)} parsed back from the printed lines."""
    pattern = re.compile(r"(\w+) S1 (-?[\d.]+) ± ([\d.]+), ST (-?[\d.]+) ± ([\d.]+)")
    out = {}
    for line in lines[1:]:
        label, _, cells = line.strip().partition(": ")
        for m in pattern.finditer(cells):
            out[(label, m.group(1))] = tuple(float(m.group(k)) for k in range(2, 6))
    return out


def test_printed_indices_are_shares_and_a_group_without_influence_gets_none(no_feedback_summary):
    printed = _printed(group_sobol_lines(no_feedback_summary))
    assert {g for _, g in printed} == {"data", "assumption"}
    assert len(printed) == 2 * no_feedback_summary.sizes["sobol_output"]
    for (label, group), (s1, s1c, st, stc) in printed.items():
        assert -s1c - 0.01 <= s1 <= 1 + s1c + 0.01, (label, group)
        assert -0.01 <= st <= 1 + stc + 0.01, (label, group)
        if group == "assumption":  # swapping it changes no run: exactly zero
            assert s1 == 0.0 and st == 0.0, label
        else:  # the data carry all the variance
            assert st == pytest.approx(1.0, abs=max(stc, 0.02)), label
    frame = sobol_frame(no_feedback_summary)
    assert set(frame["group"]) == {"data", "assumption"} and len(frame) == len(printed)

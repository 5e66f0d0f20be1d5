"""Every fit is declared completely, builds on its bundled data and its priors predict data
of the right scale (prior predictive check). No sampling here: these tests are fast."""

import numpy as np
import pytest

from takeoff import TakeoffError
from takeoff.models.fits.fitspec import FitOptions
from takeoff.models.fits.registry import FITS, get_fit
from takeoff.models.fits.tables import bundled_table, prepare

pm = pytest.importorskip("pymc")


@pytest.fixture(scope="module", params=list(FITS))
def built(request):
    spec = FITS[request.param]
    frame, data_hash = bundled_table(spec)
    prepared = prepare(spec, frame, FitOptions())
    return spec, prepared, spec.build(prepared, {}), data_hash


def test_declaration(built):
    spec, prepared, model, data_hash = built
    assert len(data_hash) == 64
    free = {rv.name for rv in model.free_RVs}
    assert free == {p.name for p in spec.priors_for(prepared)}
    assert set(spec.nested) <= free
    assert prepared.n == len(prepared.arrays[prepared.observed])
    if not any(p.variants for p in spec.priors):  # a fit with variants has some per variant
        for name in spec.summary_vars:
            assert name in model.named_vars


def test_log_density_is_finite_at_the_initial_point(built):
    """The graph's value and gradient (PyTensor's Python implementations, FAST_COMPILE: the
    same graph without 20-45 s of C compilation per fit on a cold machine; the samplers'
    compiled paths are exercised by the fits' own tests)."""
    _, _, model, _ = built
    point = model.initial_point()
    assert np.isfinite(model.compile_logp(mode="FAST_COMPILE")(point))
    grads = model.compile_dlogp(mode="FAST_COMPILE")(point)
    assert np.isfinite(grads).all()


def test_prior_predictive_covers_the_data(built):
    """Priors one can defend: the prior predictive's central 98% holds nearly every
    observation, without being absurdly wide (the data span a fair share of it)."""
    spec, prepared, model, _ = built
    with model:
        prior = pm.sample_prior_predictive(draws=400, random_seed=1)
    sims = prior.prior_predictive[prepared.observed].values.reshape(400, -1)
    observed = prepared.arrays[prepared.observed]
    lo, hi = np.nanquantile(sims, [0.01, 0.99], axis=0)
    inside = np.mean((observed >= lo) & (observed <= hi))
    assert inside >= 0.9, f"{spec.name}: only {inside:.0%} of the data inside the prior's 98%"


def test_the_model_samples_the_declared_priors(built):
    """The distributions printed by ``takeoff fits`` are those the model uses: the model's
    prior draws of every free parameter match draws of its Prior object (two-sample KS)."""
    from scipy import stats

    spec, prepared, model, _ = built
    priors = spec.priors_for(prepared)
    with model:
        prior = pm.sample_prior_predictive(draws=2000, random_seed=7).prior
    rng = np.random.default_rng(7)
    for p in priors:
        ours = p.resolve(prepared.constants).sample(rng, 2000)
        theirs = prior[p.name].values.reshape(-1)
        assert stats.ks_2samp(ours, theirs).pvalue > 1e-3, f"{spec.name}: prior of {p.name}"


def test_a_mis_declared_prior_would_be_caught():
    """The KS check above can fail: a prior scaled by 1.5 is told apart from the declared one."""
    from scipy import stats

    from takeoff.models.distributions import Distribution

    rng = np.random.default_rng(0)
    declared = Distribution("halfnormal", sigma=0.5).sample(rng, 2000)
    wrong = Distribution("halfnormal", sigma=0.75).sample(rng, 2000)
    assert stats.ks_2samp(declared, wrong).pvalue < 1e-6


def test_every_prior_is_printable_with_its_reason():
    for spec in FITS.values():
        for p in spec.priors:
            assert p.describe() and p.reason, f"{spec.name}: {p.name}"


def test_fixing_a_parameter_removes_it_from_the_free_variables():
    spec = get_fit("horizon_dynamics")
    frame, _ = bundled_table(spec)
    prepared = prepare(spec, frame, FitOptions())
    model = spec.build(prepared, {"eps": 0.0})
    assert "eps" not in {rv.name for rv in model.free_RVs}
    assert float(model["eps"].eval()) == 0.0


@pytest.mark.parametrize(
    ("fixed", "message"),
    [
        (
            {"epsilon": 0.0},
            "cannot fix 'epsilon' in fit horizon_dynamics; fixable parameters: "
            "log_h_ref, log_doubling_days, eps, scatter, nu",
        ),
        ({"eps": float("nan")}, "--fix eps must be a finite number; got nan"),
    ],
)
def test_bad_fixes(fixed, message):
    with pytest.raises(TakeoffError) as info:
        get_fit("horizon_dynamics").check_fixed(fixed)
    assert str(info.value) == message


def test_unknown_fit():
    with pytest.raises(TakeoffError, match=r"^unknown fit 'chinchila'; choose one of: chinchilla"):
        get_fit("chinchila")


def test_since_and_frontier_select_rows():
    spec = get_fit("horizon_dynamics")
    frame, _ = bundled_table(spec)
    everything = prepare(spec, frame, FitOptions())
    recent = prepare(spec, frame, FitOptions(since=2024.0))
    frontier = prepare(spec, frame, FitOptions(frontier=True))
    assert recent.n == int((frame["date"] >= 2024.0).sum()) < everything.n
    assert frontier.n == int(frame["frontier"].sum()) < everything.n
    with pytest.raises(TakeoffError, match="rows left after selection"):
        prepare(spec, frame, FitOptions(since=2026.1))


def test_options_a_fit_does_not_take_are_refused():
    spec = get_fit("chinchilla")
    frame, _ = bundled_table(spec)
    with pytest.raises(TakeoffError, match=r"^fit chinchilla does not take --since$"):
        prepare(spec, frame, FitOptions(since=2020.0))

"""Each family: its declaration, its growth law, its regimes and its special cases."""

import math

import numpy as np
import pytest

from takeoff.models import FAMILIES, doubling_time, get_family, solve, time_grid
from takeoff.models.family import resolve_parameters


@pytest.mark.parametrize("name", list(FAMILIES))
def test_family_declaration_is_complete(name):
    fam = FAMILIES[name]
    assert fam.states and fam.parameters
    for p in fam.parameters:
        assert p.valid.contains(np.array([p.default]))[0], p.name
        draws = p.prior.sample(np.random.default_rng(0), 200)
        assert np.isfinite(draws).all()
    names = [*fam.state_names, *fam.parameter_names, *(d.name for d in fam.derived)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", list(FAMILIES))
def test_vector_field_is_state_times_growth_rate(name):
    fam = FAMILIES[name]
    p = resolve_parameters(fam, None, 3)
    if fam.prepare:
        p = {**p, **fam.prepare(p)}
    y = np.array([[1.5], [20.0], [300.0]])
    f = fam.vector_field(np.full(3, 0.7), y, p)
    np.testing.assert_allclose(f, y * fam.growth_rate(0.7, np.log(y), p), rtol=1e-14)


def test_power_law_vector_field_is_k_I_to_the_alpha():
    fam = get_family("power_law")
    p = {"k": np.array([0.3]), "alpha": np.array([1.7])}
    np.testing.assert_allclose(fam.vector_field(0.0, np.array([[5.0]]), p), 0.3 * 5.0**1.7)


def test_compute_feedback_vector_field_and_capability():
    fam = get_family("compute_feedback")
    values = dict(a=2.0, gamma=0.4, eta=1.5, s=0.3, y0=1.2, p0=0.8, g=0.2, delta=0.05)
    p = resolve_parameters(fam, values, 1)
    C, t = 7.0, 1.3
    capability = 2.0 * C**0.4
    expected = 0.3 * 1.2 * capability**1.5 * 0.8 * math.exp(0.2 * t) - 0.05 * C
    np.testing.assert_allclose(
        fam.vector_field(np.array([t]), np.array([[C]]), p), expected, rtol=1e-13
    )
    ds = solve(fam, values, {"C": C}, t=[0.0, 1.0])
    np.testing.assert_allclose(ds["I"].values[0, 0], capability, rtol=1e-13)
    assert float(ds["m"][0]) == pytest.approx(0.6)


def test_jones_vector_field_matches_its_equation():
    fam = get_family("jones_software")
    values = dict(
        theta=0.4,
        beta=0.6,
        rho=0.9,
        kappa=0.2,
        L0=1.5,
        g_L=0.02,
        H0=2.0,
        g_H=0.3,
        S_max=100.0,
        **{"lambda": 0.7},
    )
    p = resolve_parameters(fam, values, 1)
    p = {**p, **fam.prepare(p)}
    S, t = 4.0, 2.0
    R = 1.5 * math.exp(0.02 * t) + 0.2 * (S * 2.0 * math.exp(0.3 * t)) ** 0.9
    expected = 0.4 * S ** (1 - 0.6) * R**0.7 * (1 - S / 100.0)
    np.testing.assert_allclose(
        fam.vector_field(np.array([t]), np.array([[S]]), p), expected, rtol=1e-13
    )


def test_jones_returns_exponent_and_regimes():
    ds = solve(
        "jones_software", {"beta": [0.5, 0.6, 0.75], "rho": 1.0, "lambda": 0.6}, t=[0.0, 1.0]
    )
    np.testing.assert_allclose(ds["r"].values, [1.2, 1.0, 0.8])
    assert list(ds["regime"].values) == [
        "software intelligence explosion (r > 1)",
        "knife-edge (r = 1): exponential once AI labour dominates",
        "no software explosion (r < 1)",
    ]


def test_jones_with_ai_labour_only_is_a_power_law():
    """L0 = 0 and g_H = 0 reduce jones_software to dS/dt = k S^alpha with
    k = theta kappa^lambda H0^(lambda rho), alpha = 1 - beta + lambda rho: the numerical
    solution must match that closed form, blow-up time included."""
    values = dict(
        theta=0.8, beta=0.5, rho=1.0, kappa=0.3, L0=0.0, g_L=0.0, H0=2.0, g_H=0.0, **{"lambda": 0.8}
    )
    k = 0.8 * 0.3**0.8 * 2.0**0.8
    alpha = 1 - 0.5 + 0.8
    t = time_grid(10, 201)
    jones = solve("jones_software", values, t=t, rtol=1e-10, atol=1e-12)
    power = solve("power_law", {"k": k, "alpha": alpha}, {"I": 1.0}, t=t)
    t_star = float(power["t_blowup"][0])
    assert 0 < t_star < 10
    before = t < t_star * 0.999
    np.testing.assert_allclose(
        jones["S"].values[0, before], power["I"].values[0, before], rtol=1e-6
    )
    assert jones["status"].item() in ("capped", "singular")
    assert float(jones["t_cap"][0]) == pytest.approx(t_star, rel=1e-6)


def test_horizon_is_a_reparametrised_power_law():
    T0, H0, eps, Hstart = 0.4, 30.0, 0.15, 10.0
    t = time_grid(5, 51)
    h = solve("horizon", {"T0": T0, "H0": H0, "eps": eps}, {"H": Hstart}, t=t)
    k = math.log(2) / (T0 * H0**eps)
    p = solve("power_law", {"k": k, "alpha": 1 + eps}, {"I": Hstart}, t=t)
    np.testing.assert_allclose(h["H"].values, p["I"].values, rtol=1e-12)
    t_star = T0 * (Hstart / H0) ** (-eps) / (eps * math.log(2))
    assert float(h["t_blowup"][0]) == pytest.approx(t_star, rel=1e-12)
    assert float(h["doubling_time_0"][0]) == pytest.approx(T0 * (Hstart / H0) ** -eps, rel=1e-12)


def test_horizon_doubling_time_changes_by_two_to_the_minus_eps_per_doubling():
    eps = -0.2
    ds = solve("horizon", {"T0": 0.5, "H0": 60.0, "eps": eps}, {"H": 60.0}, t=time_grid(20, 401))
    dt = doubling_time("horizon", ds).values[0]
    H = ds["H"].values[0]
    np.testing.assert_allclose(dt, 0.5 * (H / 60.0) ** -eps, rtol=1e-12)
    np.testing.assert_allclose(0.5 * 2.0**-eps, 0.5 * (120.0 / 60.0) ** -eps)


def test_hyperbolic_singularity_date():
    ds = solve("hyperbolic_growth", {"s": 0.02, "B": 0.8}, {"Y": 3.0}, t=time_grid(100, 11))
    assert float(ds["t_blowup"][0]) == pytest.approx(3.0**-0.8 / (0.8 * 0.02), rel=1e-13)
    assert ds["regime"].item() == "hyperbolic growth: finite-time singularity"


def test_peer_models_are_declared_like_families():
    """The reproduced peers declare their parameters with the families' own types, so one
    lookup finds a parameter or an input series by name and refuses others in one line."""
    from takeoff.errors import TakeoffError
    from takeoff.models.aifm import AIFM_MODEL, TIME_SERIES
    from takeoff.models.family import Parameter, PeerModel
    from takeoff.models.sie import SIE_DOUBLINGS

    for model in (AIFM_MODEL, SIE_DOUBLINGS):
        assert isinstance(model, PeerModel)
        assert all(isinstance(p, Parameter) for p in (*model.parameters, *model.inputs))
        assert model.parameter(model.parameters[0].name) is model.parameters[0]
    series = TIME_SERIES[0]
    assert AIFM_MODEL.parameter(series.name) is series  # an input series, found by name
    assert series.name not in AIFM_MODEL.parameter_names  # but listed apart
    assert "input series:" in AIFM_MODEL.describe()
    assert "variants: decaying_r, constant_r" in SIE_DOUBLINGS.describe()
    with pytest.raises(TakeoffError, match=r"^unknown parameter 'nope' for sie_doublings; valid "):
        SIE_DOUBLINGS.parameter("nope")

"""``research_loop``: the closed loop of recursive self-improvement on observable scales.

    physical compute   C(t) = C0 e^(g_C t)                                  (compute_trend)
    effective compute  E = S C                                   (S: algorithmic efficiency)
    reducible loss     L − E_irr = K (E/6)^−gamma                 (chinchilla, compute-optimal)
    METR 50% horizon   H = H0 (E/E0)^(kappa gamma) e^(g_U t)   (loss-to-horizon read-out fitted
                                                                 against effective compute;
                          the exponent is (kappa + dkappa) gamma above E_change: dkappa = 0 default)
    automation         a = 1 / (1 + (H_half / H)^(1/w))       (share of AI-research tasks AI does)
    AI researchers     N = A_ai e^((g_I − nu g_C) t) (S/S_ai)^rho       (inference compute put to
                                                  research / the compute one copy needs)
    research input     R = L0 e^(g_L t) + a N                     (human + AI researchers)
    software           dS/dt = theta S^(1−beta) R^lambda (1 − S/S_max)+     (Jones law)

S = 1 at the start; theta is set there so that S grows at the fitted algorithmic-progress rate
g_S: theta = g_S / (R(0)^lambda (1 − 1/S_max)) (``theta = 0`` asks for that; a positive theta is
used as given). Everything is in observable units: E in FLOP, H in human-expert minutes, R in
units of the human research labour at the start (L0 = 1), so every scenario of this family
speaks the same language and each link is a posterior of a fit or a labelled prior.

AI labour is what closes the loop: it rises with capability (automation a(H), from ~0 well below
H_half to ~1 above it, over w e-folds of horizon) and with the number of AI researchers the
inference compute put to research can run: that compute I(t) grows at g_I, and one
researcher-equivalent needs compute that grows with the physical size of the frontier model
(parameters ∝ C^nu, nu ≈ 0.5 for compute-optimal training: a 10x bigger training run at a fixed
budget gives 10^nu times fewer copies) and falls with algorithmic progress (S^-rho: rho is the
elasticity of the number of copies to software efficiency, 1 if every efficiency gain applies to
running models as to training them). A_ai is the AI labour, in human-labour units, that full
automation would give at the start (at S = S_ai, by default the start's). With AI labour
dominant and human labour negligible, dS/dt ~ S^(1 − beta + lambda rho) times exogenous growth
e^(lambda (g_I − nu g_C) t): a software explosion iff r = lambda rho / beta > 1 (Jones 1995;
Davidson & Houlden 2025), up to the ceiling S_max where there is one.
``A_ai = 0`` is the no-feedback counterfactual: S then follows the Jones law with
human labour only, S^beta = 1 + beta theta L0^lambda (e^(lambda g_L t) − 1) / (lambda g_L), which
is the trend S = e^(g_S t) exactly when beta g_S = lambda g_L (balanced growth).

``g_U`` is an extra axis of capability growth (e.g. continual learning from deployment; 0 = off),
switched on by a scenario's [switch]. A one-time jump of S at a date (an overhang) is a
[switch.jump] of the state. Restarting at a switch keeps the loop continuous: the clock-dependent
references (C0, L0, H0, S_ref, A_ai) move to the switch date and theta, S_ai stay as calibrated.

No closed form exists with AI labour: the solver integrates ln S numerically. All functions are
vectorised over draws (parameters (n,), log-states (n, 1)).
"""

from __future__ import annotations

import math

import numpy as np

from takeoff.models.distributions import Distribution
from takeoff.models.family import (
    NON_NEGATIVE,
    POSITIVE,
    REAL,
    Derived,
    Family,
    Interval,
    Parameter,
    State,
)
from takeoff.models.jones_software import explosion_regime, returns_exponent
from takeoff.models.readout import log_horizon_changed

LN6 = math.log(6.0)


def _prepare(p):
    """The start's calibration (theta from g_S; S_ai = the start's software level), and
    logs of constant factors, computed once per solve (log 0 = -inf is intended)."""
    with np.errstate(divide="ignore"):
        out = {
            "log_L0": np.log(p["L0"]),
            "log_A_ai": np.log(p["A_ai"]),
            "log_S_max": np.log(p["S_max"]),
            "log_C0": np.log(p["C0"]),
            "log_H0": np.log(p["H0"]),
            "log_S_ref": np.log(p["S_ref"]),
            "log_H_half": np.log(p["H_half"]),
            "log_E_change": np.log(p["E_change"]),
        }
    log_s_ai = np.log(np.maximum(p["S_ai"], 1e-300))
    out["log_S_ai"] = np.where(p["S_ai"] > 0, log_s_ai, out["log_S_ref"])
    if np.any(p["theta"] <= 0):
        log_r0 = _log_research(out["log_S_ref"], 0.0, {**p, **out}, out["log_H0"])
        ceiling = np.maximum(-np.expm1(out["log_S_ref"] - out["log_S_max"]), 1e-300)
        calibrated = p["g_S"] * np.exp(p["beta"] * out["log_S_ref"] - p["lambda"] * log_r0)
        out["theta"] = np.where(p["theta"] > 0, p["theta"], calibrated / ceiling)
    else:
        out["theta"] = p["theta"]
    with np.errstate(divide="ignore"):
        out["log_theta"] = np.log(out["theta"])
    return out


def _prepared(p):
    return p if "log_S_ai" in p else {**p, **_prepare(p)}


def _log_effective(u, tau, p):
    """ln E [FLOP] for ln S = u at tau years after the start."""
    return u + p["log_C0"] + p["g_C"] * tau


def _log_horizon(u, tau, p):
    """ln H [minutes]: the read-out, H ∝ E^(kappa gamma) (E^((kappa + dkappa) gamma) above
    E_change), relative to the start, times e^(g_U t) (:func:`readout.log_horizon_changed`)."""
    log_e0 = p["log_S_ref"] + p["log_C0"]
    log_e = u + p["log_C0"] + p["g_C"] * tau
    h, dh = p["kappa"] * p["gamma"], p["dkappa"] * p["gamma"]
    if not np.any(dh):  # the straight law (the default), as it always was: no ramps
        return p["log_H0"] + h * (u - p["log_S_ref"] + p["g_C"] * tau) + p["g_U"] * tau
    log_h = log_horizon_changed(log_e, log_e0, p["log_H0"], h, dh, p["log_E_change"])
    return log_h + p["g_U"] * tau


def log_automation(log_h, log_h_half, w):
    """ln a, the share of AI-research tasks automated at horizon H: a = 1 / (1 + (H_half /
    H)^(1/w)) (arrays broadcast; the Loop page draws it under the priors too)."""
    return -np.logaddexp(0.0, (log_h_half - log_h) / w)


def _log_automation(log_h, p):
    return log_automation(log_h, p["log_H_half"], p["w"])


def _log_ai_researchers(u, tau, p):
    """ln N, the AI researcher-equivalents the inference compute put to research can run:
    A_ai e^((g_I − nu g_C) t) (S / S_ai)^rho (copies = compute / compute per copy)."""
    return p["log_A_ai"] + (p["g_I"] - p["nu"] * p["g_C"]) * tau + p["rho"] * (u - p["log_S_ai"])


def _log_research(u, tau, p, log_h=None):
    """ln R: human labour L0 e^(g_L t) plus AI labour a(H) N."""
    log_h = _log_horizon(u, tau, p) if log_h is None else log_h
    log_human = p["log_L0"] + p["g_L"] * tau
    log_ai = _log_ai_researchers(u, tau, p) + _log_automation(log_h, p)
    return np.logaddexp(log_human, log_ai)


def _log_software_rate(u, tau, p):
    """ln d ln S/dt = ln theta − beta ln S + lambda ln R + ln (1 − S/S_max)+ (−inf at the
    ceiling)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = p["log_theta"] - p["beta"] * u + p["lambda"] * _log_research(u, tau, p)
        if not np.all(np.isinf(p["log_S_max"])):  # else (1 - S/S_max) = 1: skip two logs
            rate = rate + np.log(np.maximum(-np.expm1(u - p["log_S_max"]), 0.0))
        return rate


def _growth_rate(tau, log_y, p):
    p = _prepared(p)
    with np.errstate(over="ignore"):
        return np.exp(_log_software_rate(log_y[:, 0], tau, p))[:, None]


def _derived(fn):
    def log_value(log_states, p, tau=0.0):
        p = _prepared({k: np.asarray(v)[:, None] for k, v in p.items()})
        return fn(log_states[0], np.broadcast_to(tau, log_states[0].shape), p)

    return log_value


def _log_loss(u, tau, p):
    return np.log(p["K"]) - p["gamma"] * (_log_effective(u, tau, p) - LN6)


def _log_speedup(u, tau, p):
    return _log_software_rate(u, tau, p) - np.log(p["g_S"])


def _regime(log_y0, p):
    """jones_software's regimes (r = lambda rho / beta decides), or no feedback at all."""
    no_ai = p["A_ai"] == 0
    return np.where(no_ai, "no feedback: AI labour off (trend growth)", explosion_regime(p))


def _indicators(log_y0, p):
    return {"r": returns_exponent(p), "theta_start": _prepare(p)["theta"]}


def _rebase(p, dt, log_y):
    """The loop seen from ``dt`` years later, at the log-states ``log_y`` reached then: the
    clock-dependent references move there (C0, L0, H0, S_ref, and A_ai by the growth of the
    compute per copy's budget), the calibration (theta, S_ai) stays."""
    q = _prepare(p)
    u = log_y[:, 0]
    return {
        **p,
        "theta": q["theta"],
        "S_ai": np.exp(q["log_S_ai"]),
        "A_ai": p["A_ai"] * np.exp((p["g_I"] - p["nu"] * p["g_C"]) * dt),
        "C0": p["C0"] * np.exp(p["g_C"] * dt),
        "L0": p["L0"] * np.exp(p["g_L"] * dt),
        "H0": np.exp(_log_horizon(u, dt, {**p, **q})),
        "S_ref": np.exp(u),
    }


def backdated(p, years):
    """The loop ``years`` before its start, as the fitted links put it: software on its
    calibrated trend (ln S = −g_S years), compute, human labour and the horizon moved back along
    their laws, and the calibration (theta, S_ai) kept at the start, so the same model runs
    forward through the data period. Returns (parameters, ln S) at that date."""
    dt = np.broadcast_to(-np.asarray(years, float), np.shape(p["g_S"]))
    u = (dt * p["g_S"])[:, None]
    return _rebase(p, dt, u), u[:, 0]


def backdated_on_path(p, years, step=1.0 / 24.0):
    """As :func:`backdated`, but ln S back there is the loop's own path run back from the start
    (RK4 at ``step`` years, vectorised over draws), not the calibrated trend: what the joint
    fit ``research_loop`` integrates over the data period (its path is the same ODE)."""
    p = {k: np.asarray(v, float) for k, v in p.items()}
    years = float(years)
    n = max(1, math.ceil(years / step - 1e-9))
    h = -years / n
    q = {k: v[:, None] for k, v in p.items()}
    q = {**q, **_prepare(q)}

    def rate(u, tau):
        with np.errstate(over="ignore"):
            return np.exp(_log_software_rate(u, tau, q))

    u = np.zeros((np.shape(p["g_S"])[0], 1))
    for i in range(n):
        tau = i * h
        k1 = rate(u, tau)
        k2 = rate(u + 0.5 * h * k1, tau + 0.5 * h)
        k3 = rate(u + 0.5 * h * k2, tau + 0.5 * h)
        k4 = rate(u + h * k3, tau + h)
        u = u + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    dt = np.full(u.shape[0], -years)
    return _rebase(p, dt, u), u[:, 0]


def _param(name, unit, description, default, valid, prior):
    return Parameter(name, unit, description, default, valid, prior)


RESEARCH_LOOP = Family(
    name="research_loop",
    summary="the closed loop: compute -> capability (loss, METR horizon) -> AI researchers -> "
    "software -> effective compute",
    equation=(
        "dS/dt = theta S^(1-beta) R^lambda (1 - S/S_max)+;  R = L0 e^(g_L t) + a(H) A_ai "
        "e^((g_I - nu g_C) t) (S/S_ai)^rho;  E = S C0 e^(g_C t);  H = H0 (E/E0)^(kappa gamma) "
        "e^(g_U t)"
    ),
    states=(State("S", "software level (S0 = 1 units)", "algorithmic efficiency multiplier", 1.0),),
    parameters=(
        _param(
            "g_S",
            "1/yr",
            "algorithmic progress rate at the start (sets theta)",
            0.67,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.67), sigma=0.3),
        ),
        _param(
            "beta",
            "",
            "ideas get harder to find: returns fall as S^-beta",
            0.25,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.25), sigma=0.5),
        ),
        _param(
            "lambda",
            "",
            "returns to research input (parallelisation)",
            0.75,
            Interval(0.0, 1.0, high_closed=True),
            Distribution("beta", a=6.0, b=2.0),
        ),
        _param(
            "S_max",
            "S units",
            "ceiling on software ('effective limits'); inf = none",
            math.inf,
            Interval(1.0, math.inf, high_closed=True),
            Distribution("loguniform", low=1e3, high=1e9),
        ),
        _param(
            "g_C",
            "1/yr",
            "growth rate of physical frontier training compute",
            1.53,
            REAL,
            Distribution("normal", mu=1.53, sigma=0.1),
        ),
        _param(
            "C0",
            "FLOP",
            "physical frontier training compute at the start",
            1e25,
            POSITIVE,
            Distribution("lognormal", mu=math.log(1e25), sigma=1.0),
        ),
        _param(
            "L0",
            "human researchers at the start",
            "human research labour at the start (the unit of R)",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.1),
        ),
        _param(
            "g_L",
            "1/yr",
            "growth rate of human research labour",
            0.26,
            REAL,
            Distribution("normal", mu=0.26, sigma=0.1),
        ),
        _param(
            "H0",
            "minutes",
            "METR 50% horizon at the start",
            60.0,
            POSITIVE,
            Distribution("lognormal", mu=math.log(60.0), sigma=0.5),
        ),
        _param(
            "gamma",
            "",
            "reducible loss falls as E^-gamma (compute-optimal Chinchilla law)",
            0.17,
            POSITIVE,
            Distribution("lognormal", mu=math.log(0.17), sigma=0.1),
        ),
        _param(
            "kappa",
            "",
            "horizon ∝ (reducible loss)^-kappa (read-out against effective compute)",
            4.0,
            POSITIVE,
            Distribution("lognormal", mu=math.log(4.0), sigma=0.3),
        ),
        _param(
            "K",
            "nats",
            "reducible loss of a compute-optimal model at E = 6 FLOP (L - E_irr = K (E/6)^-gamma)",
            1e4,
            POSITIVE,
            Distribution("lognormal", mu=math.log(1e4), sigma=1.0),
        ),
        _param(
            "H_half",
            "minutes",
            "horizon at which half of AI-research tasks are automatable",
            10_000.0,
            POSITIVE,
            Distribution("lognormal", mu=math.log(10_000.0), sigma=1.5),
        ),
        _param(
            "w",
            "e-folds of horizon",
            "how sharply automation rises in ln horizon (logistic scale)",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.5),
        ),
        _param(
            "rho",
            "",
            "elasticity of the number of AI researchers to software efficiency (the compute one "
            "copy needs falls as S^-rho)",
            0.5,
            NON_NEGATIVE,
            Distribution("uniform", low=0.0, high=1.0),
        ),
        _param(
            "A_ai",
            "human researchers at the start",
            "AI research labour under full automation at the start (0 = no feedback)",
            1.0,
            NON_NEGATIVE,
            Distribution("loguniform", low=0.1, high=10.0),
        ),
        _param(
            "g_I",
            "1/yr",
            "growth rate of the inference compute put to AI research",
            0.9,
            REAL,
            Distribution("lognormal", mu=math.log(0.9), sigma=0.35),
        ),
        _param(
            "nu",
            "",
            "compute one AI researcher needs grows as (physical training compute)^nu (model size)",
            0.5,
            NON_NEGATIVE,
            Distribution("normal", mu=0.5, sigma=0.05),
        ),
        _param(
            "g_U",
            "1/yr",
            "extra growth rate of the horizon from a new axis (continual learning; 0 = off)",
            0.0,
            NON_NEGATIVE,
            Distribution("lognormal", mu=math.log(0.5), sigma=0.5),
        ),
        _param(
            "theta",
            "1/yr per R^lambda",
            "research productivity; 0 = set at the start from g_S",
            0.0,
            NON_NEGATIVE,
            Distribution("lognormal", mu=math.log(0.5), sigma=0.5),
        ),
        _param(
            "S_ai",
            "S units",
            "software level at which A_ai is defined; 0 = the start's (kept at restarts)",
            0.0,
            NON_NEGATIVE,
            Distribution("lognormal", mu=0.0, sigma=0.1),
        ),
        _param(
            "S_ref",
            "S units",
            "software level at which H = H0 (1: the start; moved at restarts)",
            1.0,
            POSITIVE,
            Distribution("lognormal", mu=0.0, sigma=0.1),
        ),
        _param(
            "dkappa",
            "",
            "change of the read-out exponent above E_change (0 = the straight law H ∝ E^(kappa "
            "gamma))",
            0.0,
            REAL,
            Distribution("normal", mu=0.0, sigma=1.0),
        ),
        _param(
            "E_change",
            "FLOP",
            "effective compute (S C, S = 1 at the start) at which the read-out exponent changes",
            1e25,
            POSITIVE,
            Distribution("lognormal", mu=math.log(1e25), sigma=3.0),
        ),
    ),
    growth_rate=_growth_rate,
    regime=_regime,
    indicators=_indicators,
    indicator_notes={
        "r": "returns to software R&D, lambda rho / beta (explosion iff r > 1)",
        "theta_start": "research productivity set at the start from g_S [1/yr per R^lambda]",
    },
    derived=(
        Derived("E", "FLOP", "effective training compute S x C", _derived(_log_effective)),
        Derived("H", "minutes", "METR 50% task horizon", _derived(_log_horizon)),
        Derived(
            "loss",
            "nats",
            "reducible loss of a compute-optimal model at E",
            _derived(_log_loss),
        ),
        Derived(
            "automation",
            "share",
            "share of AI-research tasks automated",
            _derived(lambda u, tau, p: _log_automation(_log_horizon(u, tau, p), p)),
        ),
        Derived(
            "R",
            "human researchers at the start",
            "research input: human plus AI labour",
            _derived(_log_research),
        ),
        Derived(
            "software_rate",
            "1/yr",
            "growth rate of software, d ln S / dt",
            _derived(_log_software_rate),
        ),
        Derived(
            "speedup",
            "x the start's rate",
            "software progress rate relative to the start's",
            _derived(_log_speedup),
        ),
    ),
    prepare=_prepare,
    log_ceiling=lambda p: np.log(p["S_max"])[:, None],
    rebase=_rebase,
    map_axes=("rho", "beta"),
    default_years=20.0,
)

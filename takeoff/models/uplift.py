"""The uplift measurement model: how a measured AI speed-up relates to the research loop.

The loop's uplift of AI research at a date is the speed of software progress with AI labour
over the speed without it, at the same state:

    U(t) = (d ln S/dt with AI labour) / (d ln S/dt with human labour only) = (R / R_human)^lambda

(the Jones law dS/dt = theta S^(1−beta) R^lambda (1 − S/S_max): theta, S and the ceiling cancel,
so the two definitions are one). Why this and not R / R_human: the measurements are SERIAL speed
factors (time for a task without AI over time with it, for the same people), and a speed-up f
of every researcher's work speeds research progress by f, whereas lambda < 1 discounts PARALLEL
labour (more researchers step on each other's toes); so a measured f is compared with the
research speed R^lambda, not with the labour R. U >= 1 by construction.

Each measurement i of kind k (randomised trial, self-report, telemetry, task evaluation) reads

    ln y_i = ln U(t_i) + b_k + e_i,   e_i ~ Student-t(nu = 5, 0, sqrt(s_i^2 + sigma_u^2))

with s_i the sd on the log scale from the reported 95% interval ((ln hi − ln lo) / 3.92; 0
where none is reported) and sigma_u the spread of measurements around the loop's uplift. b_k is
a multiplicative bias e^(b_k) of the kind of evidence: it may be negative, so a measurement
below 1 (the 2025 trial's 0.84x) is representable: an adoption cost (learning new tools,
reviewing AI output) on top of U >= 1. The priors on b_k (below, each with its reason) are what
lets the data separate the kinds; with a handful of points they are informative on purpose.
Forecaster anchors and model outputs never enter (``takeoff.data.ai_uplift``).
"""

from __future__ import annotations

import numpy as np

from takeoff.models.distributions import Distribution

NU_UPLIFT = 5.0  # Student-t degrees of freedom of the uplift measurements (robust, fixed)
# kind of evidence -> (prior of its log bias b_k, reason)
BIASES: dict[str, tuple[Distribution, str]] = {
    "rct": (
        Distribution("normal", mu=-0.1, sigma=0.2),
        "randomised trials time real tasks with and without AI, the least biased evidence, but "
        "on experienced open-source developers in their own mature repositories (not AI "
        "researchers) and with the adoption cost of new tools (the 2025 trial) or a selection "
        "of who stayed (the 2026 follow-up, biased down per METR): centred a little below 1 "
        "(e^-0.1 = 0.90), 95% within x0.6-x1.3",
    ),
    "self_report": (
        Distribution("normal", mu=0.35, sigma=0.25),
        "people overstate their AI speed-up: in the 2025 trial developers reported 1.2x where "
        "0.84x was measured, ln(1.2/0.84) = 0.36; centred there, 95% within x0.9-x2.3",
    ),
    "telemetry": (
        Distribution("normal", mu=0.7, sigma=0.5),
        "output volume (code delivered) is not speed of research: more code per engineer need "
        "not mean more progress; centred on a factor 2 overstatement, wide (x0.7-x5.4, 95%)",
    ),
    "task_eval": (
        Distribution("normal", mu=1.0, sigma=1.0),
        "a model's speed-up on one task is not the speed-up of researchers' work; very wide "
        "(no bundled task evaluation is a speed ratio of researchers' work: none is fitted)",
    ),
}
KINDS = tuple(BIASES)
SCATTER = (
    Distribution("halfnormal", sigma=0.3),
    "spread of the measurements around the loop's uplift beyond their reported intervals, in "
    "ln units (populations and tasks differ): ~x1.35 at one sd",
)


def log_sd_from_interval(low, high) -> np.ndarray:
    """The sd on the log scale of a reported 95% interval, 0 where none is reported."""
    low, high = np.asarray(low, float), np.asarray(high, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = (np.log(high) - np.log(low)) / 3.92
    return np.where(np.isfinite(sd) & (sd > 0), sd, 0.0)


def kind_codes(kinds) -> np.ndarray:
    """Integer codes of the kinds of evidence (the order of ``KINDS``)."""
    return np.array([KINDS.index(k) for k in kinds], dtype=float)


def log_loop_uplift(log_r, log_human, lam):
    """ln U = lambda (ln R − ln R_human) (numpy or PyTensor)."""
    return lam * (log_r - log_human)

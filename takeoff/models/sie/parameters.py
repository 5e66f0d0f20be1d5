"""The published software-intelligence-explosion recursion's constants (Davidson & Houlden
2025: the software share, the recent pace, the 48-month limit, the published (T, m) pairs),
its parameters with their units, ranges and priors, and its variants (:data:`SIE_DOUBLINGS`)."""

from __future__ import annotations

import math

from takeoff.models.distributions import Distribution
from takeoff.models.family import POSITIVE, Parameter, PeerModel

SC = 0.5  # share of recent AI progress that came from software
RECENT_SOFTWARE_DOUBLINGS_PER_YEAR = 4.0  # software doubled every 3 months: Δ0 = 3 / f
DOUBLINGS_PER_YEAR = RECENT_SOFTWARE_DOUBLINGS_PER_YEAR / SC  # 8: one year of progress
T_MAX_MONTHS = 48.0
VARIANTS = ("decaying_r", "constant_r")
PUBLISHED_PAIRS = ((12.0, 3.0), (4.0, 10.0), (12.0, 10.0), (4.0, 30.0))
STOP_REASONS = ("time limit", "ceiling")  # ceiling: N doublings done (or r <= 0)
MAX_STEPS = 100_000  # refuse draws that would need more doublings than this
LN2 = math.log(2.0)


SIE_DOUBLINGS = PeerModel(
    name="sie_doublings",
    summary="the software intelligence explosion of Davidson & Houlden (2025), one step per "
    "software doubling",
    equation="t += Δ; S *= 2; r -= r0/N; if r > 0: Δ *= 2^(p(1/r - 1)); Δ0 = 3/f months, "
    "N = (4/sc) L, stop at 48 months, N doublings or r <= 0",
    parameters=(
        Parameter(
            "f",
            "",
            "initial speed-up of software progress once AI R&D is automated",
            8.0,
            POSITIVE,
            Distribution("loguniform", low=2.0, high=32.0),
        ),
        Parameter(
            "r0",
            "",
            "initial returns to software R&D (software doublings per doubling of research input)",
            1.2,
            POSITIVE,
            Distribution("loguniform", low=0.4, high=3.6),
        ),
        Parameter(
            "L",
            "years of progress",
            "distance to the effective limits, in years of progress at the recent pace",
            11.0,
            POSITIVE,
            Distribution("uniform", low=6.0, high=16.0),
        ),
        Parameter(
            "p",
            "",
            "parallelisation penalty exponent",
            0.3,
            POSITIVE,
            Distribution("loguniform", low=0.15, high=0.6),
        ),
    ),
    variants=VARIANTS,
)

"""The AI Futures Model's fixed constants: the peer it reproduces (repository and commit), the
constants of its equations and calibration, its milestones and the status codes of a draw."""

from __future__ import annotations

import math

PEER = "brendanhalstead/ai-progress-rates"
PEER_COMMIT = "786c6655cff1f0221318da47624059371aac319e"

LN10 = math.log(10.0)
LN2 = math.log(2.0)
TASK_INDEX_MAX = 1.0 - 1e-6  # the peer's task grid ends here
EPS_ONE_MINUS_I = 1e-18  # the peer's log(1 - i + 1e-18)
AUTOMATION_CLIP = 1e-9
REFERENCE_YEAR = 2024.8  # experiment-capacity anchors
REFERENCE_COMPUTE_CHANGE = 0.1
SOFTWARE_REFERENCE_YEAR = 2023.0
TRAINING_COMPUTE_REFERENCE_YEAR = 2025.13
TRAINING_COMPUTE_REFERENCE_OOMS = 26.54
TOP_PERCENTILE = 0.999
SAR_TASTE = 3.25
SIAR_TASTE = 3.25**3
AI2027_SC_SERIAL_MULTIPLIER = 10.0 * 30.0
AI2027_SC_BASE = 30.0
AIR_TARGETS = (5.0, 25.0, 250.0, 2000.0, 10000.0)
MAX_SD = 100.0
LOG_TASTE_MAX = math.log(1e30)
LOG_MAX_RESEARCH_EFFORT = math.log(1e30)
LOG_RESEARCH_STOCK_CLAMP = math.log(1e30)
RHO_BRACKET = (-50.0, 1.0)
ZETA_CLIP = (0.001, 10.0)
HORIZON_FALLBACK_MINUTES = 1e12
T_START, T_END = 2012.0, 2050.0

MILESTONES = (
    "AC",
    "AI2027-SC",
    "AIR-5x",
    "AIR-25x",
    "AIR-250x",
    "AIR-2000x",
    "AIR-10000x",
    "SAR",
    "SIAR",
)
PEER_MILESTONE_NAMES = {
    "AC": "ACD-AI",
    "SAR": "SAR-level-experiment-selection-skill",
    "SIAR": "SIAR-level-experiment-selection-skill",
}

# Per-draw status codes.
OK = 0
RHO_NO_BRACKET = 1
ZETA_UNDEFINED = 2
RS_CLAMP = 3
EXHAUSTED = 4
BAD_ANCHORS = 5
STATUS_NAMES = {
    OK: "ok",
    RHO_NO_BRACKET: "experiment-capacity asymptotes give no rho in [-50, 1]",
    ZETA_UNDEFINED: "experiment compute exponent undefined ((1+k) M^rho - k <= 0)",
    RS_CLAMP: "research stock reached the 1e30 clamp",
    EXHAUSTED: "step budget exhausted",
    BAD_ANCHORS: "automation anchors not increasing in progress",
}

"""The model families by name."""

from __future__ import annotations

from takeoff.errors import TakeoffError
from takeoff.models.compute_feedback import COMPUTE_FEEDBACK
from takeoff.models.family import Family
from takeoff.models.horizon import HORIZON
from takeoff.models.hyperbolic_growth import HYPERBOLIC_GROWTH
from takeoff.models.jones_software import JONES_SOFTWARE
from takeoff.models.power_law import POWER_LAW
from takeoff.models.research_loop import RESEARCH_LOOP

FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        POWER_LAW,
        COMPUTE_FEEDBACK,
        JONES_SOFTWARE,
        HORIZON,
        HYPERBOLIC_GROWTH,
        RESEARCH_LOOP,
    )
}


def get_family(family: str | Family) -> Family:
    """The family with this name (a Family passes through)."""
    if isinstance(family, Family):
        return family
    try:
        return FAMILIES[family]
    except KeyError:
        raise TakeoffError(
            f"unknown family '{family}'; choose one of: {', '.join(FAMILIES)}"
        ) from None

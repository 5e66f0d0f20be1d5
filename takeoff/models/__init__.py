"""The science: model families of recursive self-improvement and the solver.

>>> from takeoff.models import solve
>>> ds = solve("power_law", {"k": 0.5, "alpha": 1.5}, t=[0.0, 1.0, 2.0])
>>> float(ds["t_blowup"][0])
4.0
"""

from takeoff.models.distributions import Distribution
from takeoff.models.family import Family, Interval, Parameter, State
from takeoff.models.registry import FAMILIES, get_family
from takeoff.models.solve import METHODS, doubling_time, solve, time_grid

__all__ = [
    "FAMILIES",
    "METHODS",
    "Distribution",
    "Family",
    "Interval",
    "Parameter",
    "State",
    "doubling_time",
    "get_family",
    "solve",
    "time_grid",
]

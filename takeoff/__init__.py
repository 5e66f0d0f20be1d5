"""takeoff: forecast AI takeoff dynamics.

Differential-equation models of recursive self-improvement (``takeoff.models``), real data
(``takeoff.data``), scenario forecasts (``takeoff.forecast``) and a Streamlit dashboard
(``takeoff.dashboards``). Imports flow one way: data -> models -> forecast -> dashboards / cli.
"""

from importlib.metadata import PackageNotFoundError, version

from takeoff.errors import TakeoffError

try:
    __version__ = version("takeoff")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["TakeoffError", "__version__"]

"""A Plotly chart that a rerun updates in place instead of drawing anew.

``st.plotly_chart`` remounts a chart whose figure changed: the browser rebuilds it with
``Plotly.newPlot`` (axes, legend, hover layers, every trace) on every slider move. ``live_chart``
sends the same figure to a small Streamlit component (``st.components.v2``, mounted in the page's
own DOM, no iframe) whose script keeps the plot between reruns and calls ``Plotly.react``, which
redraws only what changed. Its script is ``static/live_chart/live_chart.js``.

plotly.js is the copy bundled with the installed ``plotly`` Python package (never downloaded):
at first use it is copied into a folder this process owns (removed at exit) and served by the
dashboard as the static folder of a ``st.components.v1`` component; the page loads it once.

A chart drawn from a quick first answer can ask for the full one: ``live_chart(...,
refine=token)`` makes the browser, once it has drawn the figure, set the chart's state
``refined`` to ``token``, which reruns the page; ``refined(key)`` is then ``token`` and the page
draws its full answer under the same key (updated in place again).

``payload(figure)`` is what the component receives; ``figure_of(payload)`` reads it back (the
tests hold the two to be the same figure). AppTest shows the component as an element of type
``bidi_component`` whose ``proto.json`` is the payload; it has no browser to ask for a
refinement, so pages draw their full answer at once there. ``TAKEOFF_LIVE_CHARTS=0`` draws
every chart with ``st.plotly_chart`` and refines nothing (the benchmark's "before");
``TAKEOFF_REFINE=0`` keeps the live charts but draws the full answer at once.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).with_name("static") / "live_chart"
CONFIG = {"responsive": True, "displaylogo": False}
_NAME = "takeoff_live_chart"
_SERVED = "plotly_js"  # the v1 component whose static folder holds plotly.min.js
_state: dict[str, object] = {}


def enabled() -> bool:
    """Whether charts go through the component (``TAKEOFF_LIVE_CHARTS=0`` turns it off)."""
    return os.environ.get("TAKEOFF_LIVE_CHARTS", "1") != "0"


def refines() -> bool:
    """Whether a chart can ask for a refinement: a browser draws it and answers, AppTest has
    none (its pages draw their full answer at once); ``TAKEOFF_REFINE=0`` turns it off."""
    from streamlit import config

    on = os.environ.get("TAKEOFF_REFINE", "1") != "0"
    return on and enabled() and not config.get_option("global.appTest")


def refined(key: str) -> str | None:
    """The token the chart ``key`` last asked a refinement for (None if none)."""
    state = st.session_state.get(key)
    return getattr(state, "refined", None) if state is not None else None


def payload(figure, key: str, refine: str | None = None) -> dict:
    """The component's data: the figure as plotly JSON (its template left out, as
    ``st.plotly_chart`` replaces it with the app's theme; numpy arrays as plotly's typed
    arrays), the chart's key, the plot's config and where plotly.js is served. ``figure``: a
    plotly Figure or a plain dict {"data", "layout"} (not validated: faster)."""
    import plotly.io as pio

    if isinstance(figure, dict):
        layout = {k: v for k, v in figure.get("layout", {}).items() if k != "template"}
        spec = {"data": _typed(figure["data"]), "layout": _typed(layout)}
    else:
        spec = figure.to_plotly_json()
        spec["layout"].pop("template", None)
    return {
        "figure": pio.to_json(spec, validate=False, remove_uids=False),
        "key": key,
        "config": CONFIG,
        "plotly": _plotly_url(),
        "refine": refine,
    }


def _typed(node):
    """numpy arrays in a figure's dict as plotly's typed-array specs (base64), as a Figure
    serialises them."""
    if isinstance(node, dict):
        return {k: _typed(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_typed(v) for v in node]
    if hasattr(node, "dtype") and getattr(node, "ndim", 0) > 0:
        from _plotly_utils.utils import to_typed_array_spec

        return to_typed_array_spec(node)
    return node


def figure_of(data: dict):
    """The figure a payload draws (a ``plotly.graph_objects.Figure``): plotly's JSON with its
    typed arrays ({"dtype", "bdata"[, "shape"]}, base64) read back into numpy arrays."""
    import plotly.graph_objects as go

    return go.Figure(_arrays(json.loads(data["figure"])))


def _arrays(node):
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            import base64

            import numpy as np

            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            shape = node.get("shape")
            if shape is not None:
                values = values.reshape([int(n) for n in str(shape).split(",")])
            return values
        return {k: _arrays(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_arrays(v) for v in node]
    return node


def live_chart(figure, *, key: str, refine: str | None = None) -> None:
    """Draw ``figure`` under ``key``; a later run with the same key updates it in place. With
    ``refine``, the browser asks for a rerun once it has drawn it (see the module's notes)."""
    if not enabled():
        st.plotly_chart(_as_figure(figure), key=key)
        return
    _component()(key=key, data=payload(figure, key, refine), on_refined_change=_nothing)


def _as_figure(figure):
    if isinstance(figure, dict):
        import plotly.graph_objects as go

        return go.Figure(figure)
    return figure


def _nothing() -> None:
    """The rerun that the state change starts is all a refinement needs."""


def _component():
    if "mount" not in _state:
        from streamlit.components.v2 import component

        _state["mount"] = component(
            _NAME, js=(STATIC / "live_chart.js").read_text(), isolate_styles=False
        )
    _serve_plotly()
    return _state["mount"]


def _plotly_folder() -> Path:
    """A folder of this process's own with a copy of the installed plotly's plotly.min.js."""
    if "folder" not in _state:
        import plotly

        source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        folder = Path(tempfile.mkdtemp(prefix="takeoff-plotly-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        shutil.copyfile(source, folder / "plotly.min.js")
        _state["folder"] = folder
    return _state["folder"]


def _serve_plotly() -> None:
    """Register the folder with the running Streamlit (once per runtime: AppTest starts one per
    test) as a v1 component's static files."""
    from streamlit.components.v1 import declare_component
    from streamlit.runtime import Runtime

    runtime = Runtime.instance() if Runtime.exists() else None
    if runtime is not None and _state.get("runtime") is not runtime:
        served = declare_component(_SERVED, path=str(_plotly_folder()))
        _state["runtime"], _state["served"] = runtime, served.name


def _plotly_url() -> str:
    """Where the page fetches plotly.js (relative to the app's address)."""
    name = _state.get("served", f"{__name__}.{_SERVED}")
    return f"component/{name}/plotly.min.js"

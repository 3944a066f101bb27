import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

SHADES = {"τ = 0.5": "#1e3a8a", "τ = 1": "#2563eb", "τ = 2": "#93c5fd"}
LOGITS = np.array([2.0, 1.0, 0.1, -0.5, 1.5])
CLASSES = [f"class {k + 1}" for k in range(LOGITS.size)]
# Log-spaced, cold to hot: "play" cools nothing, it heats the distribution towards uniform.
TEMPERATURES = [round(float(t), 3) for t in np.geomspace(0.1, 10, 25)]


def _softmax(z: np.ndarray, tau: float) -> np.ndarray:
    scaled = z / tau
    p = np.exp(scaled - scaled.max())
    return p / p.sum()


def _temperature_figure() -> go.Figure:
    fig = go.Figure()
    for (name, colour), tau in zip(SHADES.items(), (0.5, 1.0, 2.0), strict=True):
        fig.add_bar(x=CLASSES, y=_softmax(LOGITS, tau), name=name, marker_color=colour)
    fig.update_layout(
        barmode="group",
        height=360,
        yaxis_title="probability",
        title={"text": "softmax(z / τ) for z = (2, 1, 0.1, −0.5, 1.5) at three temperatures"},
    )
    return fig


def _temperature_frame(tau: float) -> dict:
    p = _softmax(LOGITS, tau)
    entropy = float(-(p * np.log(p)).sum())
    return {
        "data": [
            {
                "type": "bar",
                "x": CLASSES,
                "y": p,
                "marker": {"color": "#2563eb"},
                "name": "softmax(z / τ)",
            }
        ],
        "layout": {
            "title": {
                "text": f"τ = {tau:.3g}: entropy {entropy:.2f} nats (uniform: log 5 = {np.log(5):.2f})"
            },
            "yaxis": {"title": {"text": "probability"}, "range": [0, 1]},
            "showlegend": False,
            "height": 360,
        },
    }


def temperature_explorable() -> Explorable:
    return Explorable(
        params=[Param("tau", "temperature $\\tau$", TEMPERATURES, initial=1.0)],
        build=_temperature_frame,
        animate=True,
        frame_ms=250,
    )


def figures() -> dict[str, go.Figure | Explorable]:
    return {"temperature": _temperature_figure(), "temperature-slider": temperature_explorable()}

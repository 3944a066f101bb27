import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    xs = np.linspace(-2.0, 2.0, 61)
    ys = np.linspace(-1.5, 1.5, 46)
    x, y = np.meshgrid(xs, ys)
    z = x**3 - 3 * x + y**2
    fig = go.Figure()
    fig.add_contour(
        x=xs,
        y=ys,
        z=z,
        colorscale="RdBu",
        reversescale=True,
        showscale=False,
        ncontours=24,
        contours={"coloring": "heatmap"},
        name="f",
    )
    fig.add_scatter(
        x=[1.0],
        y=[0.0],
        mode="markers+text",
        text=["minimum (λ = 6, 2)"],
        textposition="top center",
        marker={"size": 10, "color": "black"},
        name="minimum",
    )
    fig.add_scatter(
        x=[-1.0],
        y=[0.0],
        mode="markers+text",
        text=["saddle (λ = −6, 2)"],
        textposition="top center",
        marker={"size": 10, "color": "black", "symbol": "x"},
        name="saddle",
    )
    fig.update_layout(
        title={"text": "f(x, y) = x³ − 3x + y²: a minimum and a saddle"},
        xaxis_title="x",
        yaxis_title="y",
        height=400,
    )
    return {"critical-points": fig, "quadratic-model": quadratic_model_explorable()}


# ----- explorable: the second-order Taylor model of f = x^3 - 3x + y^2 around a moving point ---
CENTRES = [round(float(v), 2) for v in np.linspace(-1.5, 1.5, 13)]
XS = np.linspace(-2.0, 2.0, 41)
YS = np.linspace(-1.5, 1.5, 31)
LEVELS = {"start": -3.0, "end": 6.0, "size": 0.5}


def _f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x**3 - 3 * x + y**2


def _shape(curvature: float) -> str:
    if curvature > 0:
        return "both curvatures positive: the model is a bowl"
    if curvature < 0:
        return "curvatures of opposite signs: the model is a saddle"
    return "zero curvature along x: the model is a tilted trough"


def _quadratic_model_frame(x0: float) -> dict:
    # At (x0, 0): f = x0^3 - 3 x0, gradient (3 x0^2 - 3, 0), Hessian diag(6 x0, 2).
    value, slope, curvature = x0**3 - 3 * x0, 3 * x0**2 - 3, 6 * x0
    gx, gy = np.meshgrid(XS, YS)
    dx = gx - x0
    model = value + slope * dx + 0.5 * curvature * dx**2 + gy**2
    line = XS - x0
    return {
        "data": [
            {
                "type": "contour",
                "x": XS,
                "y": YS,
                "z": _f(gx, gy),
                "contours": {"coloring": "lines", **LEVELS},
                "colorscale": "Greys",
                "showscale": False,
                "hoverinfo": "skip",
                "name": "f",
            },
            {
                "type": "contour",
                "x": XS,
                "y": YS,
                "z": model,
                "contours": {"coloring": "lines", **LEVELS},
                "colorscale": "Oranges",
                "showscale": False,
                "line": {"dash": "dot"},
                "hoverinfo": "skip",
                "name": "quadratic model",
            },
            {
                "type": "scatter",
                "x": [x0],
                "y": [0.0],
                "mode": "markers",
                "marker": {"size": 10, "color": "black"},
                "name": "expansion point",
            },
            {
                "type": "scatter",
                "x": XS,
                "y": _f(XS, 0.0 * XS),
                "mode": "lines",
                "line": {"color": "#374151"},
                "name": "f(x, 0)",
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": XS,
                "y": value + slope * line + 0.5 * curvature * line**2,
                "mode": "lines",
                "line": {"color": "#f97316", "dash": "dot", "width": 3},
                "name": "model along y = 0",
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "x": [x0],
                "y": [value],
                "mode": "markers",
                "marker": {"size": 10, "color": "black"},
                "name": "expansion point",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ],
        "layout": {
            "title": {
                "text": f"around ({x0:g}, 0): H = diag({curvature:g}, 2), {_shape(curvature)}"
            },
            "showlegend": False,
            "height": 420,
            "xaxis": {"domain": [0, 0.55], "range": [-2, 2], "title": {"text": "x"}},
            "yaxis": {"range": [-1.5, 1.5], "title": {"text": "y"}},
            "xaxis2": {
                "domain": [0.65, 1],
                "anchor": "y2",
                "range": [-2, 2],
                "title": {"text": "x (y = 0)"},
            },
            "yaxis2": {"anchor": "x2", "range": [-4, 5]},
        },
    }


def quadratic_model_explorable() -> Explorable:
    return Explorable(
        params=[Param("x0", "expansion point $x_0$", CENTRES, initial=1.0)],
        build=_quadratic_model_frame,
    )

import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
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
    return {"critical-points": fig}

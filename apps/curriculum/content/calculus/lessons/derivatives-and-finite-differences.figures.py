import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    fine = np.linspace(-2.0, 2.0, 41)
    u, v = np.meshgrid(fine, fine)
    z = u**2 + 3 * u * v
    fig = go.Figure()
    fig.add_contour(
        x=fine,
        y=fine,
        z=z,
        colorscale="Greys",
        showscale=False,
        ncontours=20,
        contours={"coloring": "lines"},
        name="f",
    )
    grid = np.linspace(-1.8, 1.8, 7)
    gu, gv = np.meshgrid(grid, grid)
    du, dv = 2 * gu + 3 * gv, 3 * gu
    scale = 0.45 / np.hypot(du, dv).max()
    xs, ys = [], []
    for x0, y0, a, b in zip(gu.ravel(), gv.ravel(), du.ravel(), dv.ravel(), strict=True):
        xs += [float(x0), float(x0 + scale * a), None]
        ys += [float(y0), float(y0 + scale * b), None]
    fig.add_scatter(
        x=xs, y=ys, mode="lines", name="∇f (scaled)", line={"color": "#f97316", "width": 2}
    )
    fig.add_scatter(
        x=gu.ravel(),
        y=gv.ravel(),
        mode="markers",
        marker={"size": 4, "color": "#f97316"},
        showlegend=False,
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": "f(x₁, x₂) = x₁² + 3x₁x₂: the gradient is perpendicular to the contours"},
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=420,
    )
    return {"gradient-field": fig}

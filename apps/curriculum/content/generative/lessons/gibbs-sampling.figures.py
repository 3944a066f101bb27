import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    rng = np.random.default_rng(0)
    rho, n = 0.95, 120
    scale = np.sqrt(1 - rho**2)
    x1, x2 = -2.5, 2.5
    path = [(x1, x2)]
    for _ in range(n):
        x1 = rho * x2 + scale * rng.normal()
        path.append((x1, x2))
        x2 = rho * x1 + scale * rng.normal()
        path.append((x1, x2))
    path = np.array(path)
    angle = np.linspace(0, 2 * np.pi, 100)
    root = np.linalg.cholesky(np.array([[1.0, rho], [rho, 1.0]]))
    fig = go.Figure()
    for k in (1, 2):
        ring = k * root @ np.stack([np.cos(angle), np.sin(angle)])
        fig.add_scatter(
            x=ring[0],
            y=ring[1],
            mode="lines",
            line={"color": "#f97316"},
            name="target contours",
            showlegend=k == 1,
        )
    fig.add_scatter(
        x=path[:, 0],
        y=path[:, 1],
        mode="lines+markers",
        name="Gibbs chain (axis-aligned moves)",
        line={"color": "#2563eb", "width": 1},
        marker={"size": 3},
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={
            "text": "Gibbs sampling with rho = 0.95: small axis-aligned steps along a narrow ellipse"
        },
        xaxis_title="x₁",
        yaxis_title="x₂",
        height=440,
    )
    return {"chain": fig}
